"""Read RSS 2.0, Atom and RDF feeds, leniently, into one note per item."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from notebase.load.dates import DateError, parse_date
from notebase.errors import Problem, Severity
from notebase.load.readers.raw import MAX_ITEMS, RawNote

_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b")
_SPACE = re.compile(r"\s*")
_END = re.compile(r"</(?:rss|feed|rdf:RDF)>\s*$")
_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_SUBSET_END = re.compile(r"\]\s*>")  # the end of a DOCTYPE's internal subset
_DOCTYPE_STOP = re.compile(r"[\[>]")
# Character references XML cannot hold (surrogates, beyond U+10FFFF, most controls) crash
# feedparser's lenient parser; the digits are bounded so int() never sees a huge number.
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));|&#(?:[xX][0-9a-fA-F]{9,}|[0-9]{11,});")
_ITEM_TAG = re.compile(r"<(?:item|entry)[\s>]")


class _Finder:
    """Where a pattern next occurs at or after a position, for positions that only grow: linear in all."""

    def __init__(self, text: str, pattern: re.Pattern[str]):
        self.text, self.pattern = text, pattern
        self.since, self.found = -1, None  # the last search started at `since` and found `found`

    def next(self, start: int) -> re.Match[str] | None:
        """Return the first match at or after start (None when there is none)."""
        stale = self.since < 0 or start < self.since or (self.found is not None and start > self.found.start())
        if stale:
            self.since, self.found = start, self.pattern.search(self.text, start)
        return self.found


def _prolog_item_end(text: str, i: int, find: dict[str, _Finder]) -> int | None:
    """Return where the XML declaration, comment or DOCTYPE starting at i ends, or None."""
    if text.startswith("<?", i):
        m = find[">"].next(i + 2)
        return m.end() if m and text[m.start() - 1] == "?" and m.start() - 1 >= i + 2 else None
    if text.startswith("<!--", i):
        m = find["-->"].next(i + 4)
        return m.end() if m else None
    if text.startswith("<!DOCTYPE", i):
        m = find["[>"].next(i + 9)
        if m is None:
            return None
        if m[0] == ">":
            return m.end()
        m = find["]>"].next(m.end())
        return m.end() if m else None
    return None


def _scan_prolog(text: str, i: int, find: dict[str, _Finder]) -> tuple[bool, int]:
    """Skip declarations, comments and DOCTYPEs from i; return (a feed root follows, where it stopped)."""
    while True:
        if _ROOT.match(text, i):
            return True, i
        end = _prolog_item_end(text, i, find)
        if end is None:
            return False, i
        i = _SPACE.match(text, end).end()


def _find_start(text: str) -> int | None:
    """Return the first line start where a feed begins (after spaces, declarations and comments).

    A linear scan, not a regex: `(<!--.*?-->\\s*)*<rss` backtracks exponentially on comments that
    lead to no feed. A line inside prolog items an earlier line already skipped is not tried again.
    """
    find = {">": _Finder(text, re.compile(">")), "-->": _Finder(text, re.compile("-->")),
            "[>": _Finder(text, _DOCTYPE_STOP), "]>": _Finder(text, _SUBSET_END)}
    line, reached = 0, 0
    while line < len(text):
        if line >= reached:
            at = line
            while at < len(text) and text[at] in " \t":
                at += 1
            if at < len(text) and text[at] == "<":
                found, reached = _scan_prolog(text, at, find)
                if found:
                    return line
        newline = text.find("\n", line)
        if newline < 0:
            return None
        line = newline + 1
    return None


def feed_start(text: str, is_feed_file: bool) -> int | None:
    """Return where the feed XML begins in text, or None when text is not a feed."""
    if is_feed_file:
        return _find_start(text[:65536])
    # A .md/.txt copy of a feed may carry page chrome before the XML, never after it.
    head = text[:262144]
    if "<rss" not in head and "<feed" not in head and "<rdf:RDF" not in head:
        return None
    start = _find_start(head)
    if start is not None and _END.search(text[-512:]):
        return start
    return None


def strip_doctypes(xml: str) -> tuple[str, bool]:
    """Blank every <!DOCTYPE ...> block (keeping its newlines); say whether there was one."""
    low = xml.lower()
    if "<!doctype" not in low:
        return xml, False
    parts, at, found = [], 0, False
    subset_end: re.Match[str] | None | bool = False  # False: not searched yet
    i = low.find("<!doctype")
    while i >= 0:
        stop = _DOCTYPE_STOP.search(xml, i + 9)
        end = None
        if stop is not None and stop[0] == ">":
            end = stop.end()
        elif stop is not None:
            # Where no subset end follows one DOCTYPE, none follows a later one: search once.
            if subset_end is False or (subset_end is not None and subset_end.start() < stop.end()):
                subset_end = _SUBSET_END.search(xml, stop.end())
            end = subset_end.end() if subset_end is not None else None
        if end is None:
            i = low.find("<!doctype", i + 9)
            continue
        found = True
        parts += [xml[at:i], "\n" * xml.count("\n", i, end)]
        at = end
        i = low.find("<!doctype", end)
    return "".join(parts) + xml[at:], found


def _fix_charrefs(xml: str) -> tuple[str, int | None]:
    """Replace character references no XML may hold by U+FFFD; return the text and the first one's offset."""
    if "&#" not in xml:
        return xml, None
    first: list[int] = []

    def fix(m: re.Match[str]) -> str:
        hexa, dec = m[1], m[2]
        code = int(hexa, 16) if hexa else int(dec) if dec else -1
        if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
                or 0x10000 <= code <= 0x10FFFF:
            return m[0]
        if not first:
            first.append(m.start())
        return "&#xFFFD;"

    fixed = _CHARREF.sub(fix, xml)
    return fixed, (first[0] if first else None)


def read_feed(rel: str, text: str, mtime: float, settings: dict[str, Any],
              start: int = 0) -> tuple[list[RawNote], list[Problem]]:
    """Return one note per feed item; a feed that yields nothing is reported with its line."""
    import feedparser  # imported here: it is slow to import and only feeds need it

    problems: list[Problem] = []
    offset = text.count("\n", 0, start)
    xml = text[start:]
    # Entities from a DTD can read local files or expand without bound: never honour them.
    xml, had_doctype = strip_doctypes(xml)
    if had_doctype:
        problems.append(Problem(rel, offset + 1, "feed declares a DOCTYPE; its entities were ignored",
                                "feeds need no DTD; remove the <!DOCTYPE ...> block", Severity.WARNING))
    declaration = _DECL.match(xml)
    if declaration:
        xml = "\n" * declaration[0].count("\n") + xml[declaration.end():]
    xml, bad_ref = _fix_charrefs(xml)
    if bad_ref is not None:
        problems.append(Problem(rel, offset + xml.count("\n", 0, bad_ref) + 1,
                                "feed has a character reference to no valid character; shown as �",
                                "write the character itself, or a reference below &#x110000; "
                                "that is not a surrogate (&#xD800;-&#xDFFF;)"))
    xml, cut = _first_items(xml)
    if cut:
        problems.append(Problem(rel, offset + xml.count("\n", 0, cut[0]) + 1, f"feed has {cut[1]:,} items, more than "
                                f"{MAX_ITEMS:,}: the first {MAX_ITEMS:,} were read",
                                "split the feed, or keep only its newest items", Severity.WARNING))
    try:
        parsed = feedparser.parse(('<?xml version="1.0" encoding="utf-8"?>' + xml).encode("utf-8", "replace"),
                                  sanitize_html=True, resolve_relative_uris=False)
    except (ValueError, TypeError, LookupError, AssertionError, RecursionError, OverflowError) as exc:
        # feedparser's lenient parser has its own failures on hostile input: one file's problem.
        return [], problems + [Problem(rel, offset + 1, f"cannot read feed: {type(exc).__name__}: {exc}",
                                       "check that the file is RSS 2.0, Atom or RDF XML")]
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
    item_lines, line, at = [], offset + 1, 0
    for m in _ITEM_TAG.finditer(xml):  # counted on from the previous item: linear in the feed
        line, at = line + xml.count("\n", at, m.start()), m.start()
        item_lines.append(line)
    channel_date, _ = _date_of(channel)
    notes = []
    for n, item in enumerate(parsed.entries):
        line = item_lines[n] if n < len(item_lines) else offset + 1
        notes.append(_note(rel, line, n, item, channel, channel_date, settings, mtime, problems))
    return notes, problems


def _first_items(xml: str) -> tuple[str, tuple[int, int] | None]:
    """Cut a feed to its first MAX_ITEMS items; say where the cut is and how many items there were.

    (Cut before the feed parser, whose sanitiser is slow: 5,000 tiny items took seconds.)
    """
    starts = [m.start() for m in _ITEM_TAG.finditer(xml)]
    if len(starts) <= MAX_ITEMS:
        return xml, None
    cut = starts[MAX_ITEMS]
    end = max(xml.rfind("</item>") + len("</item>"), xml.rfind("</entry>") + len("</entry>"))
    if end < cut:  # items not closed where expected: keep the rest, the lenient parser copes
        return xml, None
    rest = xml[end:]
    # The items kept come before the cut, so the lines they are reported at do not move.
    return xml[:cut] + rest, (cut, len(starts))


def _note(rel, line, n, item, channel, channel_date, settings, mtime, problems) -> RawNote:
    date, error = _date_of(item)
    if error:
        problems.append(Problem(rel, line, error, "write pubDate as RFC 822, e.g. Tue, 05 Mar 2024 09:00:00 +0900"))
    source = "feed"
    if date is None:
        date, source = channel_date, "feed channel"
    content = item.get("content") or []
    body = _string(content[0].get("value") if content else item.get("summary"))
    kind = (content[0].get("type") if content else (item.get("summary_detail") or {}).get("type")) or "text/html"
    # A title-only item is ordinary RSS (a link post); one with neither title nor text says nothing.
    if not body.strip() and not _string(item.get("title")).strip():
        problems.append(Problem(rel, line, "feed item has no title and no content", "give the item a <title> "
                                "and a <description> or <content>; it is listed by its link or number",
                                Severity.WARNING))
    if kind == "text/plain":
        body = "<p>" + html.escape(body).replace("\n\n", "</p><p>") + "</p>"
    tags: dict[str, None] = {}  # ordered set: an item may carry thousands of categories
    for tag in item.get("tags") or []:
        term = _string(tag.get("term") or tag.get("label")).strip()
        if term:
            tags[term] = None
    hints = {
        "title": html.unescape(_string(item.get("title"))).strip() or None,
        "url": item.get("link") or None,
        "date": date,
        "date_source": source if date is not None else None,
        "feed_tags": list(tags),
        "author": item.get("author") or None,
        "item": item.get("id") or item.get("link") or f"item {n + 1}",
        "series": html.unescape(_string(channel.get("title"))).strip() or None,
    }
    return RawNote(rel, line, body, "html", meta=dict(settings), hints=hints, mtime=mtime)


def _string(value: Any) -> str:
    """A feed field as text: feedparser gives None or odd types for malformed items."""
    return value if isinstance(value, str) else "" if value is None else str(value)


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
