"""Listing pages: home, one page per type, tag, topic, folder and month, their indexes, papers, search, 404.

Tags, topics, folders, years, months and types are one abstraction (a Taxonomy), so their pages
come from one paginated listing template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment

from notebase.render.graph_svg import Bubble, topic_map
from notebase.site.papers import LETTERS, letter_page
from notebase.render.templates import page_context
from notebase.site.assemble import Site, Taxonomy, Term, newest_stated
from notebase.site.topics import vocabulary
from notebase.render.urls import PAPER_INDEX, output_file, page_path, relative
from notebase.site.writer import Writer

PAGE_SIZE = 50
HOME_RECENT = 15
HOME_TAGS = 40
HOME_TOPICS = 40
FEEDS = ("tags", "topics")  # taxonomies whose terms have their own feeds


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


def listing(site: Site, path: str, title: str, ids: tuple[str, ...], kind: str, feed: str | None = None,
            **values) -> Iterator[Page]:
    """Yield the pages of a paginated list of entries at `path` (and `path/page/N/`), newest first.

    Pages are counted from the oldest entry (`page_bounds`), so a new note, the newest, changes the
    first page alone: the older pages keep their entries until there are enough for one more page.
    What changes with every note (the count, the term's overview in `values`) is on the first page
    only; an older page shows its title, entries and place.
    """
    bounds = page_bounds(len(ids))
    by_id = site.by_id  # looked up directly: every listing's entries, after every edit
    for number, (start, end) in enumerate(bounds, 1):
        pager = {"number": number, "pages": len(bounds),
                 "newer": page_path(path, number - 1) if number > 1 else None,
                 "older": page_path(path, number + 1) if number < len(bounds) else None}
        shown = dict(title=title, kind=kind, items=list(map(by_id.__getitem__, ids[start:end])), feed=feed,
                     paths=site.paths)
        if number == 1:
            pager["total"] = len(ids)
            shown.update(values)
        yield Page(page_path(path, number), "list.html", dict(shown, pager=pager))


def page_bounds(count: int, size: int | None = None) -> list[tuple[int, int]]:
    """Where each page of a newest-first list of `count` entries starts and ends, `size` (PAGE_SIZE) a page.

    Every page but the first holds exactly `size` entries, counted from the oldest; the first holds
    the rest, `size` to twice that less one (all of them when there are fewer).
    """
    size = size or PAGE_SIZE
    pages = max(1, count // size)
    first = count - (pages - 1) * size
    return [(0, first)] + [(first + n * size, first + (n + 1) * size) for n in range(pages - 1)]


def taxonomy_pages(site: Site, taxonomy: Taxonomy, label, about=None, **values) -> Iterator[Page]:
    """Yield the listings of every term of a taxonomy; `label(term)` gives each page's title.

    `about(term)`, when given, is a line shown under the title (a topic's other names).
    """
    by_year = _months_by_year(site) if taxonomy.name == "years" else None
    for term in taxonomy.terms:
        if term.ids or term.children or taxonomy.name == "types":
            # A year page shows its own months only: given just those, it changes only with them.
            months = {term.key: by_year.get(term.key, [])} if by_year is not None else None
            yield from listing(site, term.path, label(term), term.ids, taxonomy.name, term=term,
                               feed=f"{term.path}feed.xml" if taxonomy.name in FEEDS else None, months=months,
                               about=about(term) if about else "", **values)


def listing_pages(site: Site, env: Environment, lists: bool = True) -> Iterator[Page]:
    """Yield home, the type, tag, year and month pages (the lists, unless not `lists`), their indexes,
    search and 404."""
    t = env.globals["t"]
    month_label = env.globals["month_label"]
    counts = {term.key: len(term.ids) for term in site.types.terms}
    yield Page("", "home.html", dict(
        recent=newest_stated(site.entries, HOME_RECENT), counts=counts, types=site.types, top_tags=site.tags.terms[:HOME_TAGS],
        tag_count=len(site.tags.terms), years=site.years, paths=site.paths, total=len(site.entries),
        topic_map=home_topic_map(site, t), topic_count=len(site.topics.terms), folder_count=len(site.folders.terms),
        paper_count=len(site.papers)))
    if lists:
        yield from taxonomy_pages(site, site.types, lambda term: t[term.key + "s"], paper_count=len(site.papers))
        yield from taxonomy_pages(site, site.tags, lambda term: f"#{term.label}")
        yield from taxonomy_pages(site, site.topics, lambda term: term.label, topic_about(site))
        yield from taxonomy_pages(site, site.folders, lambda term: term.key)
        yield from taxonomy_pages(site, site.years, lambda term: term.label)
        yield from taxonomy_pages(site, site.months, lambda term: month_label(term.key))
    yield Page("tags/", "tags.html", dict(tags=site.tags.terms))
    if site.config.topics:  # the header links here
        about = topic_about(site)
        yield Page("topics/", "topics.html", dict(topics=site.topics.terms,
                                                  about={term.key: about(term) for term in site.topics.terms}))
    if site.folders.terms:
        yield Page("folders/", "folders.html", dict(folders=[f for f in site.folders.terms if "/" not in f.key],
                                                    totals=folder_totals(site.folders)))
    yield from paper_index_pages(site)
    yield Page("archive/", "archive.html", dict(years=site.years, months=_months_by_year(site)))
    yield Page("search/", "search.html", {})
    yield Page("404.html", "404.html", {}, absolute_links=True)


def topic_about(site: Site):
    """Return a function giving a topic's other names (the other language first), for its page."""
    vocab = vocabulary(site.config)

    def about(term: Term) -> str:
        if vocab is None:
            return ""
        concept = vocab.concept(term.key)
        names = [n for n in (concept.other(site.config.language), *concept.terms) if n and n != term.label]
        return " · ".join(dict.fromkeys(names))
    return about


def folder_totals(folders: Taxonomy) -> dict[str, int]:
    """Return how many entries each folder holds, its subfolders' included."""
    totals = {t.key: len(t.ids) for t in folders.terms}
    for term in sorted(folders.terms, key=lambda t: -t.key.count("/")):  # deepest first
        if "/" in term.key:
            totals[term.key.rpartition("/")[0]] += totals[term.key]
    return totals


def home_topic_map(site: Site, t: dict) -> str:
    """Return the home page's topic map: the topics with most entries as circles sized by their count."""
    bubbles = [Bubble(relative("", term.path), term.label, len(term.ids)) for term in site.topics.terms[:HOME_TOPICS]]
    return topic_map(bubbles, t["topic_map_label"], t["entries_word"])


def paper_index_pages(site: Site) -> Iterator[Page]:
    """Yield the papers index: every summarised paper once, with its summaries, A to Z then ㄱ to ㅎ.

    Up to PER_PAGE papers it is one page; past that, the index lists the letters with their counts
    and each letter has a page of its own (group_papers files each paper so).
    """
    if not any(paper.page != PAPER_INDEX for paper in site.papers):
        items = [(paper, [site.entry(i) for i in paper.ids]) for paper in site.papers]
        yield Page(PAPER_INDEX, "papers.html", dict(items=items, total=len(site.papers), letters=(), letter=None,
                                                     paths=site.paths))
        return
    filed: dict[str, list] = {}
    for paper in site.papers:
        filed.setdefault(paper.letter, []).append(paper)
    letters = [(letter, letter_page(letter)) for letter in LETTERS if letter in filed]
    counted = [(letter, path, len(filed[letter])) for letter, path in letters]
    yield Page(PAPER_INDEX, "papers.html", dict(items=[], total=len(site.papers), letter=None, paths=site.paths,
                                                letters=counted))
    for letter, path in letters:  # no counts here: a page changes only with its own papers
        items = [(paper, [site.entry(i) for i in paper.ids]) for paper in filed[letter]]
        yield Page(path, "papers.html", dict(items=items, letters=letters, letter=letter, paths=site.paths))


def emit_listings(site: Site, env: Environment, writer: Writer) -> None:
    """Write every listing page."""
    for page in listing_pages(site, env):
        writer.write(output_file(page.path), render_page(env, page))


def _months_by_year(site: Site) -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {}
    for term in site.months.terms:
        grouped.setdefault(term.key[:4], []).append(term)
    return grouped
