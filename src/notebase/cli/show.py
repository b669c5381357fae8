"""Entries and tags as terminal text: pure functions that return strings, styled only when asked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import click

from notebase.cli.browse import TagCount
from notebase.render.labels import labels
from notebase.model import ConferenceLog, Entry, PaperSummary, TechTip

# Control characters from a note (an escape sequence in a title) must never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_PREFIX = re.compile(r"^(\s*(?:>\s?)*)((?:[-*+•]|\d{1,3}[.)])\s+)?")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_LINK_KINDS = {"arxiv": "arXiv", "doi": "DOI", "pdf": "PDF", "code": "Code", "web": "Web"}
_MORE = {
    "ko": {"file": "파일", "series": "묶음", "author": "작성", "draft": "초안", "dates": "기간",
           "lang": "언어", "date_from": {"text": "본문", "filename": "파일 이름", "folder": "폴더 이름", "log": "로그",
                                          "mtime": "파일 수정 시각", "git": "첫 커밋",
                                          "prose": "본문 속 날짜"}},
    "en": {"file": "File", "series": "Series", "author": "Author", "draft": "draft", "dates": "Dates",
           "lang": "Language", "date_from": {"text": "text", "filename": "file name", "folder": "folder name", "log": "log",
                                             "mtime": "file modification time",
                                             "git": "first commit", "prose": "a date in the text"}},
}


def clean(text: str) -> str:
    """Replace control characters, so nothing from a note can drive the terminal."""
    return _CONTROL.sub(" ", text)


def display_width(text: str) -> int:
    """Return how many terminal cells text takes: Hangul and other wide letters take two."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def wrap_line(line: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Wrap one line at spaces to width cells, prefixing the first and the later lines.

    textwrap counts characters, and a line of Hangul would take twice the width it meant to.
    A word wider than the line stays whole (URLs keep working) unless it is wide text.
    """
    out: list[str] = []
    current, used = first, display_width(first)
    fresh = True  # nothing but the prefix on the current line yet
    for word in line.split():
        size = display_width(word)
        if not fresh and used + 1 + size > width:
            out.append(current)
            current, used, fresh = rest, display_width(rest), True
        if fresh and used + size > width and size != len(word):
            # A long run of wide letters (Hangul without spaces) is cut where the line ends.
            for ch in word:
                cells = display_width(ch)
                if used + cells > width and not fresh:
                    out.append(current)
                    current, used = rest, display_width(rest)
                current, used, fresh = current + ch, used + cells, False
            continue
        current, used = (current + word, used + size) if fresh else (f"{current} {word}", used + 1 + size)
        fresh = False
    out.append(current)
    return out


def wrap_markdown(body: str, width: int, color: bool = False) -> str:
    """Reflow a markdown body's paragraphs and list items to width; code, tables and HTML stay as written.

    Markdown reads a single line break inside a paragraph as a space, so joining a hard-wrapped
    paragraph before wrapping it keeps its meaning and avoids ragged half-empty lines.
    """
    out: list[str] = []
    para: list | None = None  # [first prefix, later prefix, quote, words]
    fence = None

    def flush() -> None:
        nonlocal para
        if para is not None:
            out.extend(wrap_line(" ".join(para[3]), width, para[0], para[1]))
            para = None

    for line in clean(body).split("\n"):
        m = _FENCE.match(line)
        if fence is not None or m:
            flush()
            out.append(line)
            if fence is None:
                fence = m[1]
            elif m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line.strip()[len(m[1]):].strip():
                fence = None
            continue
        stripped = line.strip()
        if not stripped or _HEADING.match(line) or _RULE.match(line) or stripped[0] in "|<" \
                or (para is None and len(line) - len(line.lstrip(" ")) >= 4):
            flush()
            out.append(click.style(line, bold=True) if color and _HEADING.match(line) else line.rstrip())
            continue
        p = _PREFIX.match(line)
        quote, marker, text = p[1], p[2] or "", line[p.end():].strip()
        if marker or para is None or quote.strip() != para[2]:
            flush()
            rest = re.sub(r"[^>\s]", " ", quote) + " " * len(marker) if marker else quote
            para = [quote + marker, rest, quote.strip(), []]
        para[3].append(text)
        if line.endswith("  ") or line.endswith("\\"):  # a hard line break ends the line here
            flush()
    flush()
    return "\n".join(out)


def wrap_text(text: str, width: int) -> str:
    """Wrap plain text (a feed item's HTML as text) paragraph by paragraph."""
    return "\n".join("\n".join(wrap_line(line, width)) if line.strip() else ""
                     for line in clean(text).split("\n"))


def _fields(entry: Entry, words: dict, more: dict) -> list[tuple[str, str]]:
    """The rows of an entry's type card, as (label, value)."""
    rows: list[tuple[str, str]] = []
    if isinstance(entry, PaperSummary):
        if entry.paper_title and entry.paper_title != entry.title:
            rows.append((words["paper_title"], entry.paper_title))
        if entry.authors:
            rows.append((words["authors"], ", ".join(entry.authors)))
        venue = " ".join(str(x) for x in (entry.venue, entry.year) if x)
        if venue:
            rows.append((words["venue"], venue))
        if entry.presenter:
            rows.append((words["presenter"], entry.presenter))
        rows += [(_LINK_KINDS.get(link.kind, link.kind), link.url) for link in entry.paper_links]
    elif isinstance(entry, ConferenceLog):
        if entry.event and entry.event != entry.title:
            rows.append((words["event"], entry.event))
        if entry.start:
            span = entry.start.isoformat()
            if entry.end and entry.end != entry.start:
                span += f" – {entry.end.isoformat()}"
            rows.append((more["dates"], span))
        if entry.location:
            rows.append((words["location"], entry.location))
        for n, talk in enumerate(entry.talks):
            rows.append(("" if n else words["talks"], " — ".join(x for x in (talk.speaker, talk.title) if x)))
    elif isinstance(entry, TechTip) and entry.category:
        rows.append((words["category"], entry.category))
    return rows


def _table(rows: Sequence[tuple[str, str]], width: int, color: bool) -> list[str]:
    """Label-value rows with the values aligned, long values wrapped under themselves."""
    if not rows:
        return []
    column = max(display_width(label) for label, _ in rows) + 2
    lines = []
    for label, value in rows:
        pad = label + " " * (column - display_width(label))
        shown = click.style(pad, dim=True) if color else pad
        wrapped = wrap_line(clean(str(value)), width, " " * column, " " * column)
        lines.append(shown + wrapped[0][column:])
        lines += wrapped[1:]
    return lines


def format_entry(entry: Entry, *, width: int = 80, color: bool = False, language: str = "en",
                 backlinks: Sequence[Entry] = (), topics: Sequence[str] = (),
                 related: Sequence[tuple[Entry, str]] = ()) -> str:
    """Return one entry for reading in a terminal: heading, facts, type card, topics, backlinks, related, body.

    `topics` are the names of its concept topics; `related` pairs each related entry with why.
    """
    words, more = labels(language), _MORE.get(language, _MORE["en"])
    title = clean(entry.title)
    lines = [click.style(title, bold=True) if color else title]
    date = entry.date.isoformat()
    if entry.date_inferred:
        date += f" ({words['inferred_date']}: {more['date_from'].get(entry.date_source, entry.date_source)})"
    meta = [words[entry.type.value], date] + ([more["draft"]] if entry.draft else [])
    tags = " ".join(f"#{t}" for t in entry.tags)
    meta_line = " · ".join(meta)
    lines.append(click.style(clean(meta_line), fg="cyan") if color else clean(meta_line))
    if tags:
        lines += [click.style(line, fg="cyan") if color else line for line in wrap_line(clean(tags), width)]
    if topics:
        shown = f"{words['topics']}: " + ", ".join(topics)
        lines += [click.style(line, fg="magenta") if color else line for line in wrap_line(clean(shown), width)]
    facts = [("id", entry.id), (more["file"], str(entry.source))]
    if entry.url:
        facts.append((words["source"], entry.url))
    if entry.series:
        facts.append((more["series"], entry.series))
    if entry.author:
        facts.append((more["author"], entry.author))
    lines += [""] + _table(facts + _fields(entry, words, more), width, color)
    if backlinks:
        lines += ["", click.style(words["backlinks"], bold=True) if color else words["backlinks"]]
        lines += [f"  {clean(e.title)}  ({e.id})" for e in backlinks]
    if related:
        lines += ["", click.style(words["related"], bold=True) if color else words["related"]]
        lines += [f"  {clean(e.title)}  ({e.id})  — {clean(why)}" for e, why in related]
    body = wrap_text(entry.text, width) if entry.body_format == "html" else wrap_markdown(entry.body, width, color)
    if body.strip():
        rule = "─" * min(width, 40)
        lines += ["", click.style(rule, dim=True) if color else rule, "", body.strip("\n")]
    return "\n".join(lines)


def format_tags(counts: Sequence[TagCount], color: bool = False, topics: Sequence = ()) -> str:
    """Return tags as `count  tag` lines, other spellings of a tag noted after it; then topics, marked.

    A topic line ends with `[topic: KEY]`, the name `list --topic` and `search topic:` take.
    """
    if not counts and not topics:
        return ""
    digits = len(str(max([t.count for t in counts] + [t.count for t in topics])))
    lines = []
    for tag in counts:
        others = [s for s in tag.spellings if s != tag.tag]
        also = f"  (also {', '.join(others)})" if others else ""
        number = f"{tag.count:>{digits}}"
        lines.append(f"{click.style(number, fg='cyan') if color else number}  {clean(tag.tag)}"
                     + (click.style(clean(also), dim=True) if color and also else clean(also)))
    if topics:
        heading = "topics (concepts found in the text, apart from the tags):"
        lines += ([""] if counts else []) + [click.style(heading, bold=True) if color else heading]
    for topic in topics:
        number = f"{topic.count:>{digits}}"
        mark = f"  [topic: {topic.key}]"
        lines.append(f"{click.style(number, fg='cyan') if color else number}  {clean(topic.label)}"
                     + (click.style(mark, fg="magenta") if color else mark))
    return "\n".join(lines)
