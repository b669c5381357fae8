"""Listing pages: home, one page per type, tag and month, the tag and date indexes, search, 404.

Tags, years, months and types are one abstraction (a Taxonomy), so their pages come from one
paginated listing template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment

from notebase.render import page_context
from notebase.site import Site, Taxonomy, Term, newest_stated
from notebase.urls import output_file, page_path
from notebase.writer import Writer

PAGE_SIZE = 50
HOME_RECENT = 15
HOME_TAGS = 40


@dataclass(frozen=True)
class Page:
    """One listing page to render: its page path, template and the values the template reads."""

    path: str
    template: str
    values: dict
    absolute_links: bool = False


def render_page(env: Environment, page: Page) -> bytes:
    """Render one listing page."""
    context = page_context(env.globals["site"], page.path, page.absolute_links)
    context.update(page.values)
    return env.get_template(page.template).render(context).encode("utf-8")


def listing(site: Site, path: str, title: str, ids: tuple[str, ...], kind: str, **values) -> Iterator[Page]:
    """Yield the pages of a paginated list of entries at `path` (and `path/page/N/`)."""
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = ids[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        pager = {
            "number": number, "pages": pages, "total": len(ids),
            "newer": page_path(path, number - 1) if number > 1 else None,
            "older": page_path(path, number + 1) if number < pages else None,
        }
        yield Page(page_path(path, number), "list.html", dict(
            title=title, kind=kind, items=[site.entry(i) for i in chunk], pager=pager, paths=site.paths, **values))


def taxonomy_pages(site: Site, taxonomy: Taxonomy, label) -> Iterator[Page]:
    """Yield the listings of every term of a taxonomy; `label(term)` gives each page's title."""
    by_year = _months_by_year(site) if taxonomy.name == "years" else None
    for term in taxonomy.terms:
        if term.ids or taxonomy.name == "types":
            # A year page shows its own months only: given just those, it changes only with them.
            months = {term.key: by_year.get(term.key, [])} if by_year is not None else None
            yield from listing(site, term.path, label(term), term.ids, taxonomy.name, term=term,
                               feed=f"{term.path}feed.xml" if taxonomy.name == "tags" else None, months=months)


def listing_pages(site: Site, env: Environment) -> Iterator[Page]:
    """Yield home, the type, tag, year and month pages, their indexes, search and 404."""
    t = env.globals["t"]
    month_label = env.globals["month_label"]
    counts = {term.key: len(term.ids) for term in site.types.terms}
    yield Page("", "home.html", dict(
        recent=newest_stated(site.entries, HOME_RECENT), counts=counts, types=site.types, top_tags=site.tags.terms[:HOME_TAGS],
        tag_count=len(site.tags.terms), years=site.years, paths=site.paths, total=len(site.entries)))
    yield from taxonomy_pages(site, site.types, lambda term: t[term.key + "s"])
    yield from taxonomy_pages(site, site.tags, lambda term: f"#{term.label}")
    yield from taxonomy_pages(site, site.years, lambda term: term.label)
    yield from taxonomy_pages(site, site.months, lambda term: month_label(term.key))
    yield Page("tags/", "tags.html", dict(tags=site.tags.terms))
    yield Page("archive/", "archive.html", dict(years=site.years, months=_months_by_year(site)))
    yield Page("search/", "search.html", {})
    yield Page("404.html", "404.html", {}, absolute_links=True)


def emit_listings(site: Site, env: Environment, writer: Writer) -> None:
    """Write every listing page."""
    for page in listing_pages(site, env):
        writer.write(output_file(page.path), render_page(env, page))


def _months_by_year(site: Site) -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {}
    for term in site.months.terms:
        grouped.setdefault(term.key[:4], []).append(term)
    return grouped
