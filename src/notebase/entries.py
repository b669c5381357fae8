"""Turn a RawNote into a typed Entry: front matter wins, inference fills the rest."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Any

from notebase import classify
from notebase.dates import DateError, date_from_filename, find_date, parse_date
from notebase.errors import Problem, Severity
from notebase.model import ENTRY_CLASSES, Entry, EntryType, SourceRef
from notebase.plaintext import html_to_text, markdown_to_text, summarize
from notebase.readers.raw import RawNote
from notebase.slug import slugify
from notebase.typed import type_fields
from notebase.wikilinks import find_wikilinks

_HREF = re.compile(r"""href\s*=\s*["']([^"']+)""", re.I)
TYPE_ALIASES: dict[str, EntryType] = {
    alias: kind
    for kind, aliases in {
        EntryType.PAPER: ("paper", "papers", "papersummary", "paperreview", "summary", "review",
                          "논문", "논문요약", "논문리뷰", "논문정리", "리뷰"),
        EntryType.CONFERENCE: ("conference", "conferencelog", "conf", "학회", "학술대회", "컨퍼런스",
                               "학회후기", "참관기", "event", "workshop", "seminar", "세미나"),
        EntryType.TIP: ("tip", "tips", "techtip", "til", "note", "팁", "기술팁", "메모", "howto"),
    }.items()
    for alias in aliases
}
TAG_KEYS = ("tags", "tag", "categories", "category", "keywords")
DATE_KEYS = ("date", "created", "published", "pubdate")
KNOWN_KEYS = set(TAG_KEYS + DATE_KEYS) | {
    "title", "type", "lang", "language", "id", "slug", "url", "link", "source", "canonical",
    "summary", "description", "draft", "split", "author", "paper_title", "paper", "authors",
    "venue", "year", "arxiv", "doi", "pdf", "links", "presenter", "event", "location", "place",
    "dates", "start", "end", "talks",
}
# Keys blogs write that mean nothing here but are no mistake: kept in extra without a warning.
QUIET_KEYS = {"lastmod", "updated", "modified", "weight", "aliases", "layout", "toc", "comments",
              "image", "cover", "thumbnail", "series", "math", "katex", "mathjax", "hidden", "pin",
              "permalink", "excerpt", "featured", "share", "readingtime", "showtoc", "sidebar",
              "publish", "cssclasses", "cssclass"}  # read from extra by the site (site.published, pages)
ITEM_LOCAL = {"title", "id", "slug", "url", "link", "canonical", "summary", "description",
              "paper_title", "paper", "authors", "arxiv", "doi", "pdf", "links", "presenter"}


def parse_type(value: Any) -> EntryType | None:
    """Return the entry type a front-matter `type:` names, aliases included, or None."""
    key = "".join(ch for ch in str(value).lower() if ch not in " -_")
    return TYPE_ALIASES.get(key)


class _Ctx:
    """What building one entry needs: the raw note, where its keys sit, and problems found."""

    def __init__(self, raw: RawNote):
        self.raw = raw
        self.problems: list[Problem] = []
        self.meta = {k.lower(): v for k, v in raw.meta.items()}
        if "item" in raw.hints:
            self.meta = {k: v for k, v in self.meta.items() if k not in ITEM_LOCAL}

    def line(self, key: str) -> int:
        for k, n in self.raw.key_lines.items():
            if k.lower() == key:
                return n
        return self.raw.line

    def problem(self, key: str, message: str, hint: str, severity: Severity = Severity.ERROR,
                once: str = "") -> None:
        self.problems.append(Problem(self.raw.path, self.line(key), message, hint, severity, once))


def build_entry(raw: RawNote) -> tuple[Entry, list[Problem]]:
    """Return the typed entry for one raw note and every problem its metadata has."""
    ctx = _Ctx(raw)
    meta, hints = ctx.meta, raw.hints
    path = PurePosixPath(raw.path)
    is_html = raw.body_format == "html"
    lines = raw.body.split("\n")
    title = _text(meta.get("title")) or hints.get("title")
    tag_source = raw.body if not is_html else ""  # read before a title line leaves the body
    if not title and not is_html:
        if hints.get("category") is not None and "item" in hints:
            first = next((line for line in lines if classify.is_meaningful(line)), "")
            title = classify.short_title(first) if first else None
        if not title:
            title, at = classify.infer_title(lines, path.stem, path.parent.name)
            if at is not None:
                lines[at] = ""
    first_body_line = raw.line + hints.get("body_offset", 0)
    links = () if is_html else find_wikilinks("\n".join(lines), first_body_line)
    joined = "\n".join(lines)
    body = joined.strip("\n") if not is_html else raw.body
    body_line = first_body_line + (len(joined) - len(joined.lstrip("\n")) if not is_html else 0)
    text = html_to_text(body) if is_html else markdown_to_text(body)
    title = title or classify.short_title(text) or path.stem
    date, date_source = _date(ctx, text, path.stem)
    entry_type = _type(ctx, text, title, body)
    tags = _tags(ctx, tag_source, text)
    lang = _lang(ctx, text, title)
    fields = type_fields(ctx, entry_type, title=title, body=body, text=text, date=date)
    url = _text(meta.get("url") or meta.get("link") or meta.get("canonical") or meta.get("source")) \
        or hints.get("url")
    if url is None and entry_type is EntryType.PAPER and fields.get("paper_links"):
        url = fields["paper_links"][0].url
    extra = _extra(ctx)
    if hints.get("series_intro"):
        extra["series_intro"] = hints["series_intro"]
    entry = ENTRY_CLASSES[entry_type](
        id=_text(meta.get("id") or meta.get("slug")) or slugify(title),
        type=entry_type, title=title, date=date, date_source=date_source, lang=lang,
        tags=tags, source=SourceRef(raw.path, raw.line, hints.get("item") if is_html else None),
        url=url, body=body, body_format=raw.body_format, body_line=body_line, text=text,
        summary=_text(meta.get("summary") or meta.get("description")) or summarize(text),
        author=_text(meta.get("author")) or hints.get("author"),
        series=hints.get("series"), links=links,
        draft=bool(meta.get("draft", False)), extra=extra, **fields,
    )
    return entry, ctx.problems


def explicit_id_line(raw: RawNote) -> int | None:
    """Return the line of the front-matter key that sets the note's id, or None."""
    if "item" in raw.hints:
        return None
    for key in raw.meta:
        if key.lower() in ("id", "slug"):
            return raw.key_lines.get(key, raw.line)
    return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _date(ctx: _Ctx, text: str, stem: str) -> tuple[dt.date, str]:
    hints = ctx.raw.hints
    own = hints.get("date") is not None and not hints.get("date_shared")
    if own:  # an item's own date: its date line or its feed entry
        return hints["date"], hints.get("date_source") or "text"
    for key in DATE_KEYS:
        if key in ctx.meta and ctx.meta[key] not in (None, ""):
            try:
                return parse_date(ctx.meta[key]), "front matter"
            except DateError as exc:
                ctx.problem(key, str(exc), "write the date as YYYY-MM-DD, e.g. date: 2024-03-12")
            break
    first_day = _first_day(ctx.meta)
    if first_day is not None:
        return first_day, "front matter"
    if hints.get("date") is not None:
        return hints["date"], hints.get("date_source") or "text"
    found = find_date(hints.get("byline_date") or "") or find_date("\n".join(text.split("\n")[:15]))
    if found:
        return found, "text"
    found = date_from_filename(stem)
    if found:
        return found, "filename"
    return dt.date.fromtimestamp(ctx.raw.mtime or 0), "mtime"


def _first_day(meta: dict) -> dt.date | None:
    """Return the first day of a conference's stated `start` or `dates`, if it reads as one."""
    value = meta.get("start") or meta.get("dates")
    if isinstance(value, dict):
        value = value.get("start")
    elif isinstance(value, list):
        value = value[0] if value else None
    elif isinstance(value, str) and ".." in value:
        value = value.split("..", 1)[0]
    try:
        return parse_date(value) if value not in (None, "") else None
    except DateError:
        return None  # the conference fields report it, with the key's line


def _type(ctx: _Ctx, text: str, title: str, body: str) -> EntryType:
    if "type" in ctx.meta and ctx.meta["type"] not in (None, ""):
        found = parse_type(ctx.meta["type"])
        if found:
            return found
        ctx.problem("type", f"unknown type '{ctx.meta['type']}'",
                    "use paper, conference or tip (aliases: paper-summary, 논문, conference-log, 학회, "
                    "til, tech-tip); the type was inferred from the text meanwhile")
    if ctx.raw.hints.get("type"):
        return EntryType(ctx.raw.hints["type"])
    has_code = "```" in body or "~~~" in body or "<pre" in body or "<code" in body
    if ctx.raw.body_format == "html":
        # Plain text of HTML loses link targets, and an arXiv or DOI href is the best paper signal.
        text += "\n" + " ".join(_HREF.findall(body))
    return classify.infer_type(text, title, has_code=has_code)


def tag_list(value: Any) -> list[str]:
    """Return the tags a front-matter value holds: a list, a comma string, or nested lists."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out += tag_list(item)
        return out
    if isinstance(value, dict):
        return []
    return [part.strip().lstrip("#").strip() for part in str(value).split(",") if part.strip(" #")]


def _tags(ctx: _Ctx, body: str, text: str) -> tuple[str, ...]:
    stated = [tag for key in TAG_KEYS if key in ctx.meta for tag in tag_list(ctx.meta[key])]
    for key in TAG_KEYS:
        if isinstance(ctx.meta.get(key), dict):
            ctx.problem(key, f"'{key}' must be a list or a comma-separated string",
                        f"write {key}: [a, b] or {key}: a, b")
    hints = ctx.raw.hints
    structural = list(hints.get("feed_tags") or []) + ([hints["category"]] if hints.get("category") else [])
    inferred = [] if stated else classify.header_tags(body.split("\n")) + classify.hashtags(body)
    result: list[str] = []
    seen: set[str] = set()
    for tag in stated + structural + inferred:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return tuple(result)


_LANGS = {"ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko", "en": "en", "english": "en",
          "영어": "en", "mixed": "mixed"}


def _lang(ctx: _Ctx, text: str, title: str) -> str:
    for key in ("lang", "language"):
        value = ctx.meta.get(key)
        if value:
            code = _LANGS.get(str(value).lower().split("-")[0].split("_")[0])
            if code:
                return code
            ctx.problem(key, f"unknown language '{value}'", "use ko, en or mixed", Severity.WARNING)
    return classify.detect_lang(title + "\n" + text)


def _extra(ctx: _Ctx) -> dict[str, Any]:
    extra = {}
    for key, value in ctx.raw.meta.items():
        low = key.lower()
        if low in KNOWN_KEYS or (low in ITEM_LOCAL and "item" in ctx.raw.hints):
            continue
        extra[key] = value
        if low not in QUIET_KEYS:
            ctx.problem(low, f"unknown front-matter key '{key}' (kept, not used)",
                        "check the spelling; known keys: title, date, type, tags, lang, id, url, ...",
                        Severity.WARNING, once=f"unknown key {low}")
    return extra
