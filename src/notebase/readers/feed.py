"""Read RSS 2.0, Atom and RDF feeds, leniently, into one note per item."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from notebase.dates import DateError, parse_date
from notebase.errors import Problem, Severity
from notebase.readers.raw import RawNote

_START = re.compile(r"^[ \t]*(?:(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)\s*)*"
                    r"<(?:rss|feed|rdf:RDF)\b", re.M | re.S)
_END = re.compile(r"</(?:rss|feed|rdf:RDF)>\s*$")
_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_ITEM_TAG = re.compile(r"<(?:item|entry)[\s>]")


def feed_start(text: str, is_feed_file: bool) -> int | None:
    """Return where the feed XML begins in text, or None when text is not a feed."""
    if is_feed_file:
        m = _START.search(text[:65536])
        return m.start() if m else None
    # A .md/.txt copy of a feed may carry page chrome before the XML, never after it.
    head = text[:262144]
    if "<rss" not in head and "<feed" not in head and "<rdf:RDF" not in head:
        return None
    m = _START.search(head)
    if m and _END.search(text[-512:]):
        return m.start()
    return None


def read_feed(rel: str, text: str, mtime: float, settings: dict[str, Any],
              start: int = 0) -> tuple[list[RawNote], list[Problem]]:
    """Return one note per feed item; a feed that yields nothing is reported with its line."""
    import feedparser  # imported here: it is slow to import and only feeds need it

    problems: list[Problem] = []
    offset = text.count("\n", 0, start)
    xml = text[start:]
    if _DOCTYPE.search(xml):
        # Entities from a DTD can read local files or expand without bound: never honour them.
        xml = _DOCTYPE.sub(lambda m: "\n" * m[0].count("\n"), xml)
        problems.append(Problem(rel, offset + 1, "feed declares a DOCTYPE; its entities were ignored",
                                "feeds need no DTD; remove the <!DOCTYPE ...> block", Severity.WARNING))
    declaration = _DECL.match(xml)
    if declaration:
        xml = "\n" * declaration[0].count("\n") + xml[declaration.end():]
    parsed = feedparser.parse(('<?xml version="1.0" encoding="utf-8"?>' + xml).encode("utf-8"),
                              sanitize_html=True, resolve_relative_uris=False)
    error = parsed.get("bozo_exception")
    error_line = offset + _exception_line(error)
    if not parsed.entries:
        if error is not None:
            problems.append(Problem(rel, error_line, f"cannot read feed: {_describe(error)}",
                                    "check that the file is RSS 2.0, Atom or RDF XML"))
        else:
            problems.append(Problem(rel, offset + 1, "feed has no items",
                                    "add <item> or <entry> elements, or delete the file",
                                    Severity.WARNING))
        return [], problems
    if error is not None:
        problems.append(Problem(rel, error_line, f"feed is not well-formed XML ({_describe(error)}); "
                                f"read leniently, {len(parsed.entries)} items recovered",
                                "escape & and < in descriptions, or wrap HTML in <![CDATA[ ]]>",
                                Severity.WARNING))
    channel = parsed.feed
    item_lines = [offset + xml.count("\n", 0, m.start()) + 1 for m in _ITEM_TAG.finditer(xml)]
    channel_date, _ = _date_of(channel)
    notes = []
    for n, item in enumerate(parsed.entries):
        line = item_lines[n] if n < len(item_lines) else offset + 1
        notes.append(_note(rel, line, n, item, channel, channel_date, settings, mtime, problems))
    return notes, problems


def _note(rel, line, n, item, channel, channel_date, settings, mtime, problems) -> RawNote:
    date, error = _date_of(item)
    if error:
        problems.append(Problem(rel, line, error, "write pubDate as RFC 822, e.g. Tue, 05 Mar 2024 09:00:00 +0900"))
    source = "feed"
    if date is None:
        date, source = channel_date, "feed channel"
    content = item.get("content") or []
    body = content[0].get("value", "") if content else item.get("summary", "")
    kind = (content[0].get("type") if content else item.get("summary_detail", {}).get("type")) or "text/html"
    if kind == "text/plain":
        body = "<p>" + html.escape(body).replace("\n\n", "</p><p>") + "</p>"
    tags = []
    for tag in item.get("tags") or []:
        term = (tag.get("term") or tag.get("label") or "").strip()
        if term and term not in tags:
            tags.append(term)
    hints = {
        "title": html.unescape(item.get("title", "")).strip() or None,
        "url": item.get("link") or None,
        "date": date,
        "date_source": source if date is not None else None,
        "feed_tags": tags,
        "author": item.get("author") or None,
        "item": item.get("id") or item.get("link") or f"item {n + 1}",
        "series": html.unescape(channel.get("title", "")).strip() or None,
    }
    return RawNote(rel, line, body, "html", meta=dict(settings), hints=hints, mtime=mtime)


def _date_of(node) -> tuple[dt.date | None, str | None]:
    """Return a feed node's date, or None with the reason its stated date cannot be read."""
    for key in ("published", "updated", "created", "dc_date", "date"):
        raw = node.get(key)
        if raw:
            try:
                return parse_date(raw), None
            except DateError as exc:
                parsed = node.get(key + "_parsed")  # feedparser may still have made sense of it
                if parsed:
                    return dt.date(*parsed[:3]), None
                return None, str(exc)
    return None, None


def _exception_line(error) -> int:
    getter = getattr(error, "getLineNumber", None)
    try:
        return max(1, int(getter())) if getter else 1
    except (TypeError, ValueError):
        return 1


def _describe(error) -> str:
    message = getattr(error, "getMessage", None)
    return message() if message else str(error) or type(error).__name__
