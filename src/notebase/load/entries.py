"""Turn a RawNote into a typed Entry: front matter wins, inference fills the rest."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import PurePosixPath
from typing import Any

from notebase.load import classify
from notebase.load.dates import DateError, date_from_filename, find_date, folder_date, parse_date
from notebase.load.entrytags import TAG_KEYS, entry_tags
from notebase.load.notedates import prose_date, stated_date
from notebase.load.notetype import infer_type, is_hub, place_type
from notebase.load.citations import zotero_name
from notebase.load.paperinfo import PaperFacts, paper_facts
from notebase.errors import Problem, Severity
from notebase.model import ENTRY_CLASSES, STATED_DATE_SOURCES, Entry, EntryType, SourceRef
from notebase.render.plaintext import has_code, html_to_text, markdown_to_text, summarize
from notebase.load.readers.raw import RawNote
from notebase.slug import file_slug, item_key, item_slug
from notebase.load.typed import type_fields
from notebase.render.wikilinks import find_wikilinks

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
# Keys real tools write for a note's date (Jekyll, Hugo, Obsidian, Notion, feeds), best first;
# the modification keys stand in only when nothing else dates a note.
DATE_KEYS = ("date", "created", "created-at", "created_at", "date created", "date_created", "date_daily",
             "creation date", "published", "pubdate", "publishdate", "published_at", "date_published")
UPDATED_KEYS = ("updated", "lastmod", "last_modified_at", "last_modified", "last-modified", "modified",
                "updated_at", "date_modified", "date updated")
KNOWN_KEYS = set(TAG_KEYS + DATE_KEYS + UPDATED_KEYS) | {
    "title", "type", "lang", "language", "id", "slug", "url", "link", "source", "canonical",
    "summary", "description", "draft", "split", "author", "paper_title", "paper", "authors", "author(s)",
    "venue", "year", "arxiv", "doi", "pdf", "links", "presenter", "event", "location", "place",
    "dates", "start", "end", "talks",
}
# Keys blogs write that mean nothing here but are no mistake: kept in extra without a warning.
QUIET_KEYS = {"lastmod", "updated", "modified", "weight", "aliases", "layout", "toc", "comments",
              "image", "cover", "thumbnail", "series", "math", "katex", "mathjax", "hidden", "pin",
              "permalink", "excerpt", "featured", "share", "readingtime", "showtoc", "sidebar",
              # publish and cssclasses are read from extra by the site (site.published, pages)
              "cssclasses", "cssclass", "publish", "alias", "status", "rating", "banner", "icon", "header",
              "sitemap", "redirect_from", "author_profile", "use_math", "related", "nav_order", "parent",
              "has_children", "sidebar_position", "sidebar_label", "menu", "expirydate", "hidemeta",
              "disableshare", "canonicalurl", "tocopen", "weight", "order", "lang_ref"}
ITEM_LOCAL = {"title", "id", "slug", "permalink", "url", "link", "canonical", "summary", "description",
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
        self.date_stated = False
        self.lines: dict[str, int] | None = None  # lowercased key -> line, made on first use
        self.meta = {k.lower(): v for k, v in raw.meta.items()}
        if "item" in raw.hints:
            self.meta = {k: v for k, v in self.meta.items() if k not in ITEM_LOCAL}

    def line(self, key: str) -> int:
        if self.lines is None:  # built once: a note with 5,000 unknown keys asks 5,000 times
            self.lines = {}
            for k, n in self.raw.key_lines.items():
                self.lines.setdefault(k.lower(), n)
        return self.lines.get(key, self.raw.line)

    def problem(self, key: str, message: str, hint: str, severity: Severity = Severity.ERROR,
                once: str = "") -> None:
        self.problems.append(Problem(self.raw.path, self.line(key), message, hint, severity, once))


def build_entry(raw: RawNote) -> tuple[Entry, list[Problem]]:
    """Return the typed entry for one raw note and every problem its metadata has."""
    ctx = _Ctx(raw)
    meta, hints = ctx.meta, raw.hints
    props = hints.get("properties") or {}
    path = PurePosixPath(raw.path)
    is_html = raw.body_format == "html"
    lines = raw.body.split("\n")
    header_lines = list(lines)
    title_line = ""  # the line the title was read from, when it leaves the body
    title = _text(meta.get("title")) or _text(props.get("title")) or hints.get("title")
    tag_source = raw.body if not is_html else ""  # read before a title line leaves the body
    if not title and not is_html:
        if hints.get("category") is not None and "item" in hints:
            first = next((line for line in lines if classify.is_meaningful(line)), "")
            title = classify.short_title(first) if first else None
        if not title:
            title, at = classify.infer_title(lines, path.stem, path.parent.name)
            if at is not None:
                title_line = lines[at]
                lines[at] = ""
                if at + 1 < len(lines) and classify.setext_underline(lines[at + 1]):
                    lines[at + 1] = ""
    first_body_line = raw.line + hints.get("body_offset", 0)
    links = () if is_html else find_wikilinks("\n".join(lines), first_body_line)
    joined = "\n".join(lines)
    body = joined.strip("\n") if not is_html else raw.body
    body_line = first_body_line + (len(joined) - len(joined.lstrip("\n")) if not is_html else 0)
    text = html_to_text(body) if is_html else markdown_to_text(body)
    title = title or classify.short_title(text) or path.stem
    date, date_source = _date(ctx, header_lines, path.stem)
    ctx.date_stated = date_source in STATED_DATE_SOURCES
    tags = entry_tags(ctx, tag_source, text)
    # Reading a body for its paper is the loader's dearest step: done only when the type is inferred
    # or the entry is a paper, which is never the case for a note stated to be a tip or a conference.
    # A title line that links the paper (`# [Title](arxiv…) (EMNLP 2023)`) gives its own link and title.
    linked_title = title_line if "](" in title_line or "://" in title_line else ""
    facts_of = functools.cache(lambda: paper_facts(f"{linked_title}\n{body}" if linked_title else body, is_html))
    entry_type = _type(ctx, text, title, body, facts_of, tags)
    read = entry_type is EntryType.PAPER or facts_of.cache_info().currsize > 0
    facts = facts_of() if read else PaperFacts()
    lang = _lang(ctx, text, title)
    fields = type_fields(ctx, entry_type, title=title, text=text, date=date, facts=facts)
    url = _text(meta.get("url") or meta.get("link") or meta.get("canonical") or meta.get("source")) \
        or hints.get("url")
    if url is None and entry_type is EntryType.PAPER and fields.get("paper_links"):
        url = fields["paper_links"][0].url
    extra = _extra(ctx)
    if hints.get("series_intro"):
        extra["series_intro"] = hints["series_intro"]
    for key in ("alias", "aliases"):
        if key in props and "aliases" not in extra:
            extra["aliases"] = [a.strip() for a in props[key].split(",") if a.strip()]
    entry = ENTRY_CLASSES[entry_type](
        id=stated_id(meta) or _derived_id(raw, title),
        type=entry_type, title=title, date=date, date_source=date_source, lang=lang,
        tags=tags, source=SourceRef(raw.path, raw.line, hints.get("item") if is_html else None),
        url=url, body=body, body_format=raw.body_format, body_line=body_line, text=text,
        summary=_text(meta.get("summary") or meta.get("description")) or _text(props.get("description"))
        or _summary(body, text, is_html),
        author=_text(meta.get("author")) or hints.get("author") or _writer(props) or facts.writer,
        series=hints.get("series"), links=links, updated=_updated(ctx),
        draft=bool(meta.get("draft", False)), extra=extra, **fields,
    )
    return entry, ctx.problems


def _summary(body: str, text: str, is_html: bool) -> str:
    """The first sentences of a note, its headings and hashtag lines left out."""
    if is_html or ("#" not in body and "\n=" not in body and "\n-" not in body):
        return summarize(text)
    return summarize(markdown_to_text(classify.summary_source(body))) or summarize(text)


def _writer(props: dict[str, str]) -> str | None:
    for key in ("작성자", "author", "reviewer", "발표자", "presenter"):
        if props.get(key):
            return props[key][:80]
    return None


def explicit_id_line(raw: RawNote) -> int | None:
    """Return the line of the front-matter key that sets the note's id, or None."""
    if "item" in raw.hints or not stated_id({k.lower(): v for k, v in raw.meta.items()}):
        return None
    for key in raw.meta:
        if key.lower() in ID_KEYS:
            return raw.key_lines.get(key, raw.line)
    return None


ID_KEYS = ("id", "slug", "permalink")


def stated_id(meta: dict[str, Any]) -> str | None:
    """Return the id front matter gives (`id`, `slug`, or the last part of a Jekyll `permalink`), or None."""
    stated = _text(meta.get("id")) or _text(meta.get("slug"))
    if stated:
        return stated
    link = _text(meta.get("permalink"))
    if link and ":" not in link:  # `/:categories/:title/` is a pattern, not a page's own address
        return next((p for p in reversed(link.split("/")) if p.strip()), "").removesuffix(".html") or None
    return None


def _derived_id(raw: RawNote, title: str) -> str:
    """The id a note takes from its file (a retitled note keeps its URL); an item adds its own key."""
    if "item" not in raw.hints:
        return file_slug(raw.path)
    hints = raw.hints
    is_feed = raw.body_format == "html"
    key = item_key(is_feed, hints.get("url"), hints.get("title") if is_feed else title, str(hints["item"]))
    return item_slug(raw.path, key)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _date(ctx: _Ctx, lines: list[str], stem: str) -> tuple[dt.date, str]:
    """The note's date, best source first: its own item date, front matter, file name, header, prose."""
    hints = ctx.raw.hints
    own = hints.get("date") is not None and not hints.get("date_shared")
    if own:  # an item's own date: its date line or its feed entry
        return hints["date"], hints.get("date_source") or "text"
    found = _meta_date(ctx, DATE_KEYS)
    if found:
        return found, "front matter"
    first_day = _first_day(ctx.meta)
    if first_day is not None:
        return first_day, "front matter"
    if hints.get("date") is not None:
        return hints["date"], hints.get("date_source") or "text"
    folder = str(PurePosixPath(ctx.raw.path).parent)
    if "item" not in hints:
        found = date_from_filename(stem, folder)
        if found:
            return found, "filename"
    props = hints.get("properties") or {}
    prop_date = next((props[k] for k in ("date", "created", "created-at", "created_at", "날짜") if props.get(k)), None)
    found = (_loose_date(prop_date) if prop_date else None) or stated_date(lines, hints.get("byline_date")) \
        or _loose_date(_text(ctx.meta.get("description")) or "")
    if found:
        return found, "text"
    found = folder_date(folder) if "item" not in hints else None
    if found:  # a folder named for a day (an event's, a meeting's) dates the notes in it
        return found, "folder"
    found = _meta_date(ctx, UPDATED_KEYS)  # a modification date stands in when nothing else exists
    if found:
        return found, "front matter"
    found = prose_date(lines)
    if found:
        return found, "prose"
    return dt.date.fromtimestamp(ctx.raw.mtime or 0), "mtime"


def _loose_date(value: str) -> dt.date | None:
    try:
        return parse_date(value.strip("[] "))
    except DateError:
        return find_date(value)


def _meta_date(ctx: _Ctx, keys: tuple[str, ...]) -> dt.date | None:
    for key in keys:
        if key in ctx.meta and ctx.meta[key] not in (None, ""):
            value = ctx.meta[key]
            try:
                return parse_date(value)
            except DateError as exc:
                if isinstance(value, str) and ("{{" in value or "<%" in value):
                    ctx.problem(key, f"'{key}' is a template placeholder ({value.strip()}), not a date",
                                "fill it in, or keep note templates in a templates/ folder, which is skipped",
                                Severity.WARNING)
                else:
                    ctx.problem(key, str(exc), "write the date as YYYY-MM-DD, e.g. date: 2024-03-12")
            break
    return None


def _updated(ctx: _Ctx) -> dt.date | None:
    for key in UPDATED_KEYS:
        value = ctx.meta.get(key)
        if value not in (None, ""):
            try:
                return parse_date(value)
            except DateError:
                return None
    return None


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


def _type(ctx: _Ctx, text: str, title: str, body: str, facts_of, tags: tuple[str, ...]) -> EntryType:
    if "type" in ctx.meta and ctx.meta["type"] not in (None, "", []):
        found = parse_type(ctx.meta["type"]) if not isinstance(ctx.meta["type"], list) else None
        if found:
            return found
        if not _wiki_value(ctx.meta["type"]):  # Obsidian's `type: "[[Meetings]]"` names a page, not a kind
            ctx.problem("type", f"unknown type '{ctx.meta['type']}'",
                        "use paper, conference or tip (aliases: paper-summary, 논문, conference-log, 학회, "
                        "til, tech-tip); the type was inferred from the text meanwhile")
    props = ctx.raw.hints.get("properties") or {}
    if props.get("type") and parse_type(props["type"]):
        return parse_type(props["type"])
    if ctx.raw.hints.get("type"):
        return EntryType(ctx.raw.hints["type"])
    meta = ctx.meta
    if (meta.get("authors") or meta.get("author(s)")) and any(meta.get(k) for k in ("year", "venue", "doi", "arxiv",
                                                                                    "journal", "booktitle")):
        return EntryType.PAPER  # a literature note's front matter: whose work, and where or when it appeared
    if zotero_name(PurePosixPath(ctx.raw.path).stem):
        return EntryType.PAPER  # a page named as Zotero names the paper's PDF
    placed = place_type(ctx.raw.path, tags)
    if placed:
        return placed
    facts = facts_of()
    if is_hub(ctx.raw.path, facts, body):
        return EntryType.TIP  # an index of links or a table of contents
    code = has_code(body)
    if ctx.raw.body_format == "html":
        # Plain text of HTML loses link targets, and an arXiv or DOI href is the best paper signal.
        text += "\n" + " ".join(_HREF.findall(body))
    return infer_type(text, title, has_code=code, facts=facts)


def _wiki_value(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(isinstance(v, str) and v.strip().startswith("[[") for v in values)


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
