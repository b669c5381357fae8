"""Listing pages: home, one page per type, tag and month, the tag and date indexes, search, 404.

Tags, years, months and types are one abstraction (a Taxonomy), so their pages come from one
paginated listing template.
"""

from __future__ import annotations

from jinja2 import Environment

from notebase.render import page_context
from notebase.site import Site, Taxonomy, Term
from notebase.urls import output_file, page_path
from notebase.writer import Writer

PAGE_SIZE = 50
HOME_RECENT = 15
HOME_TAGS = 40


def _write(env: Environment, writer: Writer, template: str, path: str, absolute_links: bool = False, **values) -> None:
    context = page_context(env.globals["site"], path, absolute_links)
    context.update(values)
    writer.write(output_file(path), env.get_template(template).render(context).encode("utf-8"))


def emit_listing(site: Site, env: Environment, writer: Writer, path: str, title: str, ids: tuple[str, ...],
                 kind: str, **values) -> int:
    """Write a paginated list of entries at `path` (and `path/page/N/`); return the page count."""
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = ids[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        pager = {
            "number": number, "pages": pages, "total": len(ids),
            "newer": page_path(path, number - 1) if number > 1 else None,
            "older": page_path(path, number + 1) if number < pages else None,
        }
        _write(env, writer, "list.html", page_path(path, number), title=title, kind=kind,
               items=[site.entry(i) for i in chunk], pager=pager, paths=site.paths, **values)
    return pages


def emit_taxonomy(site: Site, env: Environment, writer: Writer, taxonomy: Taxonomy, label) -> None:
    """Write one listing per term of a taxonomy; `label(term)` gives each page's title."""
    months = _months_by_year(site) if taxonomy.name == "years" else None
    for term in taxonomy.terms:
        if term.ids or taxonomy.name == "types":
            emit_listing(site, env, writer, term.path, label(term), term.ids, taxonomy.name, term=term,
                         feed=f"{term.path}feed.xml" if taxonomy.name == "tags" else None, months=months)


def emit_listings(site: Site, env: Environment, writer: Writer) -> None:
    """Write home, the type, tag, year and month pages, their indexes, search and 404."""
    t = env.globals["t"]
    month_label = env.globals["month_label"]
    counts = {term.key: len(term.ids) for term in site.types.terms}
    _write(env, writer, "home.html", "", recent=site.entries[:HOME_RECENT],
           counts=counts, types=site.types, top_tags=site.tags.terms[:HOME_TAGS], tag_count=len(site.tags.terms),
           years=site.years, paths=site.paths, total=len(site.entries))
    emit_taxonomy(site, env, writer, site.types, lambda term: t[term.key + "s"])
    emit_taxonomy(site, env, writer, site.tags, lambda term: f"#{term.label}")
    emit_taxonomy(site, env, writer, site.years, lambda term: term.label)
    emit_taxonomy(site, env, writer, site.months, lambda term: month_label(term.key))
    _write(env, writer, "tags.html", "tags/", tags=site.tags.terms)
    _write(env, writer, "archive.html", "archive/", years=site.years, months=_months_by_year(site))
    _write(env, writer, "search.html", "search/")
    _write(env, writer, "404.html", "404.html", absolute_links=True)


def _months_by_year(site: Site) -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {}
    for term in site.months.terms:
        grouped.setdefault(term.key[:4], []).append(term)
    return grouped
