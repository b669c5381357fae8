"""What a careful author wants to know beyond load errors: broken links, missing fields, duplicates, future dates.

`lint` is pure: it reads the assembled Site and returns warnings; nothing here touches the disk.
Relative markdown links and images are resolved with the renderer's own helpers (markdown-it parse
only, no HTML rendering), so `check` reports them exactly as `build` does; `build` passes
`links=False` because rendering already reports those.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from notebase.errors import Problem, Severity
from notebase.load.extract import venue_year
from notebase.render.markup import IMAGE_EXTS, wikilink_key
from notebase.load.eventinfo import event_name
from notebase.model import ConferenceLog, Entry, PaperSummary
from notebase.site.assemble import Site
from notebase.site.closest import Closest

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_EXT = re.compile(r"[A-Za-z0-9]{1,8}")
# Words that make a title name an event by itself ("2023 추계학술대회", "PyData Seoul meetup").
_EVENT_WORDS = ("학회", "학술대회", "컨퍼런스", "콘퍼런스", "심포지엄", "워크숍", "워크샵", "세미나", "포럼",
                "conference", "symposium", "workshop", "seminar", "summit", "forum", "meetup", "expo")
# A body without these holds no link definition, raw HTML, autolink or embed; and a body whose every
# "](" opens a web URL holds no link the renderer could warn about. Either way: no parse needed.
_LINK_MARKS = ("]:", "<", "![[")
_WEB_LINK = re.compile(r"\]\(\s*(?:https?:)?//", re.I)


def lint(site: Site, *, today: dt.date | None = None, links: bool = True, memo: dict | None = None) -> list[Problem]:
    """Return every warning about the site's entries, sorted by path and line.

    `memo`, a dict a caller keeps between calls (as `notebase serve` does), holds what each entry's
    own checks found (its wikilinks, fields and date) and its title's key: an entry unchanged since
    the last call, on a site whose link targets and files are unchanged, is not checked again.
    """
    today = today or dt.date.today()
    memo = memo if memo is not None else {}  # one pass either way: a fresh memo checks every entry
    problems = _remembered(site, today, memo)
    problems += duplicate_titles(site, memo)
    if links:
        problems += broken_internal_links(site)
    return sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.message))


def _remembered(site: Site, today: dt.date, memo: dict) -> list[Problem]:
    """The per-entry checks, from `memo` for each entry checked before.

    An entry's fields and date are checked again only when it changed (or the day did); its
    wikilinks also when the link targets or the files changed, and only if it has any.
    """
    if memo.get("today") != today:
        memo.clear()
    links_kept = memo.get("links") is not None and memo["links"][0] is site.targets and memo["links"][1] == site.files
    names = Closest(lambda: _entry_names(site))
    files = Closest(lambda: {posixpath.basename(f).casefold(): posixpath.basename(f) for f in site.files})
    found: dict = {}
    for entry in site.entries:
        kept = memo.get(id(entry))
        if kept is None or kept[0] is not entry:
            kept = (entry, (*_fields_of(entry), *_date_of(entry, today)), tuple(_wikilinks_of(site, entry, names, files)))
        elif not links_kept and entry.links:
            kept = (entry, kept[1], tuple(_wikilinks_of(site, entry, names, files)))
        found[id(entry)] = kept
    titles = memo.get("titles", {})
    memo.clear()
    memo.update(found)  # only current entries: an id() of a freed entry may be reused
    memo["today"], memo["links"], memo["titles"] = today, (site.targets, site.files), titles
    return [problem for _, own, links in found.values() for problem in (*links, *own)]


def _warning(entry: Entry, line: int, message: str, hint: str) -> Problem:
    return Problem(entry.source.path, line, message, hint, Severity.WARNING)


# --- 1. wikilinks and embeds ----------------------------------------------------------------


def _wikilinks_of(site: Site, entry: Entry, names: Closest, files: Closest) -> Iterator[Problem]:
    """An entry's wikilinks that name no entry, and its embeds of non-image files nowhere in the notes.

    Image embeds (`![[figure.png]]`) are left to the link pass, which resolves them as the
    renderer does (and so reports them word for word as the build does).
    """
    for link in entry.links:
        target = link.target.rstrip("\\").strip()  # [[a\|b]] inside a table
        ext = _ext(target)
        if not target or (link.embed and ext in IMAGE_EXTS) or _lookup(site, target):
            continue
        written = f"{'!' if link.embed else ''}[[{target}]]"
        if ext and ext not in ("md", "markdown"):
            if not site.files or _file_exists(target, entry.source.path, site.files, files):
                continue  # Obsidian opens the file (or which files exist is unknown): no typo
            if link.embed:
                close = files.closest(posixpath.basename(target).casefold())
                hint = (_did_you_mean(close, "!") if close
                        else f"put {posixpath.basename(target)!r} in the notes folder, or fix the name")
                yield _warning(entry, link.line, f"embed {written} matches no file in the notes folder", hint)
                continue
        close = names.closest(wikilink_key(target))
        hint = _did_you_mean(close) if close else "link to an entry's title, id or file name"
        yield _warning(entry, link.line, f"wikilink {written} matches no entry", hint)


def _lookup(site: Site, target: str) -> bool:
    # As the renderer's lookup: the whole name, else its last path segment ([[folder/note]]).
    key = wikilink_key(target)
    return key in site.targets or ("/" in key and key.rsplit("/", 1)[1] in site.targets)


def _ext(target: str) -> str:
    base = posixpath.basename(target)
    ext = base.rsplit(".", 1)[1] if "." in base else ""
    return ext.lower() if _EXT.fullmatch(ext) else ""


def _file_exists(target: str, note: str, files: frozenset[str], names: Closest) -> bool:
    """As Obsidian resolves a link to a file: from the root, beside the note, or by name anywhere."""
    path = target.replace("\\", "/")
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(note), path))
    return (posixpath.normpath(path) in files or beside in files
            or ("/" not in path and path.casefold() in names.shown()))


def _entry_names(site: Site) -> dict[str, str]:
    # An entry is suggested by its title, whether the link reads like the title or the id.
    shown: dict[str, str] = {}
    for entry in site.entries:
        for name in (entry.title, entry.id):
            shown.setdefault(wikilink_key(name), entry.title)
    return shown


def _did_you_mean(names: list[str], bang: str = "") -> str:
    shown = [f"{bang}[[{name}]]" for name in names]
    return "did you mean " + " or ".join(shown) + "?"


# --- 2. relative links and images, resolved as the renderer does ------------------------------


def broken_internal_links(site: Site) -> list[Problem]:
    """Links to .md files that are no entry, missing or misplaced images: the renderer's warnings."""
    from notebase.site.emitters.pages import MEDIA_TYPES

    problems: list[Problem] = []
    for entry in site.entries:
        ctx = _link_context(site, entry)
        if ctx is None:
            continue
        problems += ctx.problems
        for image in ctx.images:  # as the build's page emitter says when it cannot copy one
            if not image.lower().endswith(MEDIA_TYPES):
                problems.append(_warning(entry, entry.body_line, f"image '{image}' not copied: only raster images are",
                                         "convert it to PNG or JPEG"))
    return problems


def _link_context(site: Site, entry: Entry):
    """Resolve one body's links and images as `markup.render` would; None when it has none."""
    from notebase.render import markup
    from notebase.render.sanitize import clean

    body = entry.body  # read once: a long one is decompressed on each read
    if entry.body_format == "markdown" and not _may_warn(body):
        return None  # most notes: nothing to parse
    if entry.body_format == "html":
        ctx = markup.context(body, entry.source.path, entry.body_line, site.paths[entry.id],
                             site.targets, site.files or None, "html")
        clean(body, ctx.rewrite)  # feed HTML: every href and src goes through the rewrite
        return ctx
    # The body as the renderer reads it (template tags and directives made markdown), lines mapped back.
    ctx = markup.context(body, entry.source.path, entry.body_line, site.paths[entry.id],
                         site.targets, site.files or None)
    raw: list[str] = []
    for token in markup.parse(ctx):
        if token.type == "inline":
            if token.children:  # the renderer's own bookkeeping of the line, kept identical
                ctx.line = token.map[0] if token.map else ctx.line
                _inline_links(ctx, token.children, raw)
        elif token.type == "html_block":
            raw.append(token.content)
    if raw:
        clean("".join(raw), ctx.rewrite)  # raw HTML's href/src, as the sanitiser hands them over
    return ctx


def _may_warn(body: str) -> bool:
    from notebase.render.dialects import may_change

    opened = body.count("](")
    return (any(mark in body for mark in _LINK_MARKS) or (opened > 0 and opened != len(_WEB_LINK.findall(body)))
            or may_change(body))  # template leftovers the renderer warns about


def _inline_links(ctx, children: list, raw: list[str]) -> None:
    from notebase.render.context import inline_line

    for idx, token in enumerate(children):
        if token.type == "link_open":
            ctx.link_href(str(token.attrs.get("href", "")), inline_line(ctx, children, idx))
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            if src.lower().startswith("data:"):
                ctx.warn(inline_line(ctx, children, idx), "inline data: images are not kept",
                         "save the image as a file beside the note")
            else:
                ctx.image_src(src, inline_line(ctx, children, idx))
        elif token.type == "wikilink" and token.meta["embed"]:
            target = token.meta["target"]
            if "." in target and target.rsplit(".", 1)[-1].lower() in IMAGE_EXTS:
                ctx.local_file(target, inline_line(ctx, children, idx), "embedded image", obsidian=True)
        elif token.type == "html_inline":
            raw.append(token.content)


# --- 3. fields each type needs ------------------------------------------------------------------


def _fields_of(entry: Entry) -> Iterator[Problem]:
    """A paper summary nobody could find the paper from; a conference log that does not say which event.

    Feed items are skipped (there is no front matter to add to). A paper summary split from a
    digest or log is skipped too: its file's front matter cannot hold one item's authors, and a
    class digest of a hundred one-paragraph summaries would drown every other warning.
    """
    if entry.source.item is not None:
        return
    if isinstance(entry, PaperSummary) and entry.series is None:
        if not entry.authors and not entry.paper_links and not entry.url:
            yield _warning(entry, entry.source.line, "paper summary has neither authors nor a link to the paper",
                           "add authors: [A, B] or arxiv:, doi:, pdf: or url: to the front matter "
                           "(or type: tip if it is not about one paper)")
    elif isinstance(entry, ConferenceLog) and not _names_event(entry):
        where = "the front matter" if entry.series is None else f"the front matter of {entry.source.path}"
        yield _warning(entry, entry.source.line, f"conference log does not say which event it is from "
                       f"(its event is its title, {entry.title!r})",
                       f"add event: <its name and year> to {where}")


def _names_event(entry: ConferenceLog) -> bool:
    # The event defaults to the title, so an event equal to the title is taken as unstated
    # unless the title itself reads as an event: a year, a known venue, or a word like 학회.
    event = entry.event.strip()
    years = {d.year for d in (entry.start, entry.date) if d is not None}
    derived = {entry.title, event_name(entry.title)} | {event_name(entry.title, y) for y in years}
    if event and event not in derived:
        return True
    title = entry.title
    low = title.casefold()
    return bool(_YEAR.search(title) or any(w in low for w in _EVENT_WORDS) or venue_year(title)[0])


# --- 4. duplicate titles -------------------------------------------------------------------------


def duplicate_titles(site: Site, memo: dict | None = None) -> Iterator[Problem]:
    """Each entry whose title an entry earlier in the notes already has (case and spaces aside).

    Two people's summaries of one paper share its title and are no mistake: entries whose
    presenters (or authors) are both known and differ are not duplicates of each other.
    `memo` (see `lint`) keeps each entry's title key between calls.
    """
    kept = memo.get("titles", {}) if memo is not None else {}
    keys = {}
    for entry in site.entries:
        found = kept.get(id(entry))
        keys[id(entry)] = found if found is not None and found[0] is entry else (entry, _title_key(entry.title))
    if memo is not None:
        memo["titles"] = keys  # only current entries, as lint's own memo
    counts = Counter(key for _, key in keys.values())
    shared = [e for e in site.entries if counts[keys[id(e)][1]] > 1]  # a title had once is no duplicate
    # Per title: its first entry, its first entry by no one known, and its first entry by each
    # person. The first earlier entry not by someone else is one of these three: scanning every
    # earlier entry was quadratic in 20,000 items of one title by different presenters.
    earlier: dict[str, tuple[tuple[int, Entry], list, dict[str, tuple[int, Entry]]]] = {}
    for n, entry in enumerate(sorted(shared, key=lambda e: (e.source.path, e.source.line))):
        key = keys[id(entry)][1]
        by = _by(entry)
        first, anonymous, by_person = earlier.setdefault(key, ((n, entry), [], {}))
        if first[1] is entry:
            other = None
        elif not by:
            other = first[1]
        else:
            found = [c for c in (anonymous[0] if anonymous else None, by_person.get(by)) if c is not None]
            other = min(found, key=lambda c: c[0])[1] if found else None
        if not by and not anonymous:
            anonymous.append((n, entry))
        if by:
            by_person.setdefault(by, (n, entry))
        if other is not None:
            yield _warning(entry, entry.source.line, f"duplicate title {entry.title!r}",
                           f"{other.source} has it too, and wikilinks to this title go there; "
                           "give one of them another title")


def _title_key(title: str) -> str:
    return " ".join(unicodedata.normalize("NFC", title).casefold().split())


def _by(entry: Entry) -> str:
    """Who wrote or presented an entry, casefolded ('' when no one is known)."""
    return (getattr(entry, "presenter", None) or entry.author or "").casefold()


# --- 5. dates in the future ----------------------------------------------------------------------

_DATE_HINTS = {
    "front matter": "check the year in date:",
    "feed": "the feed dates this item so; check the feed",
    "feed channel": "the feed dates this item so; check the feed",
    "filename": "the date was read from the file name; rename the file or set date: in the front matter",
    "folder": "the date was read from the folder's name; rename the folder or set date: in the front matter",
    "mtime": "the date is the file's modification time; set date: in the front matter",
    "git": "the date is the file's first commit; set date: in the front matter",
}


def undated_summary(entries: Iterable[Entry]) -> str | None:
    """One line about the notes that state no date anywhere, so git or the file's time dates them.

    Not a warning: an undated note is no mistake, and `--strict` should not fail for it.
    """
    undated = sorted({e.source.path for e in entries if e.date_source in ("git", "mtime")})
    if not undated:
        return None
    shown = ", ".join(undated[:5]) + (f" and {len(undated) - 5} more" if len(undated) > 5 else "")
    count = f"{len(undated)} note{'s' if len(undated) > 1 else ''} state{'' if len(undated) > 1 else 's'}"
    return (f"{count} no date anywhere, so the first commit or the file's time dates them (marked ~): {shown}"
            " — add date: YYYY-MM-DD to the front matter, or start the file name with the date")


def _date_of(entry: Entry, today: dt.date) -> Iterator[Problem]:
    """An entry dated after `today`."""
    if entry.date > today:
        hint = _DATE_HINTS.get(entry.date_source, "the date was read from the text; check it, or set date: "
                               "in the front matter")
        yield _warning(entry, entry.source.line, f"date {entry.date.isoformat()} is in the future", hint)
