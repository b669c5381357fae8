"""The fields each entry type adds: paper metadata, conference details, a tip's category."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from notebase.load import extract
from notebase.load.dates import DateError, parse_date
from notebase.errors import Severity
from notebase.load.eventinfo import date_range, event_name, unwrap_paper_title
from notebase.model import EntryType, PaperLink, Talk
from notebase.load.notetype import folder_event, year_folder_event
from notebase.load.citations import title_citation, zotero_name
from notebase.load.paperinfo import PaperFacts


def type_fields(ctx, entry_type: EntryType, *, title: str, text: str,
                date: dt.date, facts: PaperFacts) -> dict[str, Any]:
    """Return the keyword fields of the entry class for entry_type."""
    if entry_type is EntryType.PAPER:
        return _paper(ctx, title, text, facts)
    if entry_type is EntryType.CONFERENCE:
        return _conference(ctx, title, text, date)
    return _tip(ctx)


def _paper(ctx, title: str, text: str, facts: PaperFacts) -> dict[str, Any]:
    meta, hints = ctx.meta, ctx.raw.hints
    authors = meta.get("authors", meta.get("author(s)"))
    cited = title_citation(title)  # a post titled `Paper Title; A, B; ICLR 2013`
    named = zotero_name(PurePosixPath(ctx.raw.path).stem)  # `2020_Kawagoe_Levin_Title.md`
    if named and not cited:
        cited = (named[2], named[1])
    if authors is None:
        found = facts.authors or (cited[1] if cited else ()) or extract.authors(text)
    elif isinstance(authors, str):
        found = extract.split_names(authors)
    elif isinstance(authors, list) and all(isinstance(a, (str, int, float)) for a in authors):
        found = tuple(str(a).strip() for a in authors if str(a).strip())
    else:
        ctx.problem("authors", "'authors' must be a list of names", "write authors: [A, B]")
        found = ()
    stated = meta.get("venue") not in (None, "") and meta.get("year") not in (None, "")
    venue, year = (None, None) if stated else extract.venue_year(text + "\n" + hints.get("header_title", ""))
    if meta.get("venue") not in (None, ""):
        stated_venue, stated_year = extract.venue_year(str(meta["venue"]))
        venue, year = str(meta["venue"]).strip(), stated_year or year
        if stated_venue and stated_year:
            venue = stated_venue
    year = year or (named[0] if named else None)
    if meta.get("year") not in (None, ""):
        try:
            year = int(str(meta["year"]).strip())
            if not 1900 <= year <= 2100:
                raise ValueError
        except ValueError:
            ctx.problem("year", f"'year' must be a four-digit year, not {meta['year']!r}", "write year: 2021")
    links = list(_stated_links(ctx))
    urls = {link.url for link in links}
    links += [link for link in facts.links if link.url not in urls]
    presenter = meta.get("presenter") or hints.get("presenter") or facts.writer
    props = hints.get("properties") or {}  # Logseq's Zotero pages: `original-title:: …`
    paper_title = meta.get("paper_title") or (None if _is_url(meta.get("paper")) else meta.get("paper")) \
        or hints.get("paper_title") \
        or props.get("original-title") or props.get("paper-title") or facts.title \
        or (cited[0] if cited else unwrap_paper_title(title))
    return {
        "paper_title": str(paper_title),
        "authors": found,
        "venue": venue,
        "year": year,
        "paper_links": tuple(links),
        "presenter": str(presenter).strip() if presenter else None,
    }


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith(("http://", "https://"))


def _stated_links(ctx):
    meta = ctx.meta
    if meta.get("arxiv"):
        arxiv = str(meta["arxiv"]).strip()
        found = extract.paper_links(arxiv if arxiv.startswith("http") else f"https://arxiv.org/abs/{arxiv}")
        yield from found
    if meta.get("doi"):
        doi = str(meta["doi"]).strip()
        yield PaperLink("doi", doi if doi.startswith("http") else f"https://doi.org/{doi}")
    if meta.get("pdf"):
        yield PaperLink("pdf", str(meta["pdf"]).strip())
    if _is_url(meta.get("paper")):  # `paper: https://arxiv.org/abs/…` gives the paper's link, not its title
        url = str(meta["paper"]).strip()
        yield from (extract.paper_links(url) or (PaperLink("web", url),))
    links = meta.get("links")
    if isinstance(links, dict):
        for kind, url in links.items():
            yield PaperLink(str(kind), str(url))
    elif isinstance(links, list):
        for url in links:
            if isinstance(url, str):
                yield from (extract.paper_links(url) or (PaperLink("web", url),))
    elif links is not None:
        ctx.problem("links", "'links' must be a list of URLs or a map of kind: URL",
                    "write links: [https://arxiv.org/abs/...]")


def _conference(ctx, title: str, text: str, date: dt.date) -> dict[str, Any]:
    meta = ctx.meta
    start, end = _date_range(ctx)
    if start is None and end is None:
        start, end = date_range(title + "\n" + "\n".join(text.split("\n")[:30]))
    when = start or (date if ctx.date_stated else None)
    talks = meta.get("talks")
    if talks is None:
        found = extract.talks(text)
    elif isinstance(talks, list):
        found = tuple(_talk(t) for t in talks)
    else:
        ctx.problem("talks", "'talks' must be a list", "write talks: [{speaker: A, title: B}]")
        found = ()
    return {
        "event": str(meta.get("event") or folder_event(ctx.raw.path) or year_folder_event(ctx.raw.path, title)
                     or event_name(title, when.year if when else None)),
        # A date guessed from the file's time is no day the event was held on.
        "start": start or when,
        "end": end or start or when,
        "location": str(meta.get("location") or meta.get("place") or "") or extract.location(text),
        "talks": found,
    }


def _talk(value: Any) -> Talk:
    if isinstance(value, dict):
        return Talk(str(value.get("speaker") or value.get("by") or ""), str(value.get("title") or ""))
    speaker, _, title = str(value).partition(":")
    return (Talk(speaker.strip(), title.strip()) if title else Talk("", speaker.strip()))


def _date_range(ctx) -> tuple[dt.date | None, dt.date | None]:
    meta = ctx.meta
    raw = meta.get("dates")
    if isinstance(raw, str) and ".." in raw:
        raw = raw.split("..", 1)
    if isinstance(raw, dict):
        raw = [raw.get("start"), raw.get("end")]
    values = {"start": meta.get("start"), "end": meta.get("end")}
    if isinstance(raw, list) and raw:
        values = {"start": raw[0], "end": raw[-1]}
    elif raw is not None:
        values["start"] = raw
    out = {}
    for key, value in values.items():
        out[key] = None
        if value in (None, ""):
            continue
        try:
            out[key] = parse_date(value)
        except DateError as exc:
            ctx.problem("dates" if "dates" in meta else key, str(exc), "write dates: [2024-06-27, 2024-06-28]")
    if out["start"] and out["end"] and out["end"] < out["start"]:
        ctx.problem("dates" if "dates" in meta else "end", "the conference ends before it starts",
                    "put the first day first", Severity.ERROR)
        out["end"] = out["start"]
    return out["start"], out["end"]


def _tip(ctx) -> dict[str, Any]:
    category = ctx.meta.get("category")
    if isinstance(category, list):
        category = category[0] if category else None
    return {"category": str(category).strip() if category else ctx.raw.hints.get("category")}
