"""Redirect pages: at the old address of a page that moved, and at the names of a note's `aliases`.

Entry URLs come from files, so they rarely change; when one does (a file renamed, a `slug:` set,
a note that became another type), the build remembers every page it made in `.notebase/urls.json`
and writes a small page at each old address that sends the reader on to the new one. A moved page
is found by what stays when an address changes: the same file and item, the same body (a file
renamed without an edit), or, for an item of a log retitled in place, the same place in its file.
Aliases (Obsidian `aliases`, Logseq `alias::`, Hugo `aliases`, Jekyll `redirect_from`) get one too.
A redirect never replaces a real page.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from notebase.errors import Problem, Severity
from notebase.model import Entry
from notebase.slug import slugify
from notebase.render.urls import RESERVED, TYPE_DIRS, output_file, relative
from notebase.site.writer import write_json

HISTORY = "urls.json"
HISTORY_FORMAT = 1
MIN_BODY = 40  # a shorter body (a template, a stub) is no sign of which note a renamed file was
KEEP_UNMATCHED = 2000  # old addresses remembered without a page to send them to (a note deleted, for now)
ALIAS_KEYS = ("aliases", "alias", "redirect_from")
# First folders of the site's own pages: an alias written as a path never lands among them.
_SITE_FOLDERS = frozenset({"tags", "archive", "search", "static", "media"})
_SITE_FILES = frozenset({"index.html", "404.html", "feed.xml", "atom.xml", "sitemap.xml"})


@dataclass(frozen=True)
class PageRecord:
    """One entry page the site had: where, and what identified its entry then."""

    path: str  # site path of the page
    file: str  # the note's file, relative to the notes folder
    item: str | None  # an item's own key (a feed item's id, an item's title); None for a whole note
    n: int  # the entry's place among its file's entries
    digest: str  # of the body, "" when too short to tell notes apart
    seen: int = 0  # the history's generation when the page was last made


@dataclass(frozen=True)
class Redirects:
    """Where each redirect page sends its reader, what planning them found, and the history to keep."""

    targets: Mapping[str, str]  # site path of a redirect page -> site path of the page it sends to
    problems: tuple[Problem, ...]
    history: tuple[PageRecord, ...]
    generation: int


def item_identity(entry: Entry) -> str | None:
    """Return what names an item inside its file (a feed item's id, a log item's title), or None for a whole note."""
    if entry.source.item:
        return entry.source.item
    return entry.title if entry.series is not None else None


def body_digest(entry: Entry) -> str:
    """Return a digest of an entry's body, or "" when it is too short to recognise the note by."""
    body = entry.body  # read once: a long one is decompressed on each read
    if len("".join(body.split())) < MIN_BODY:
        return ""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def page_records(entries: Iterable[Entry], paths: Mapping[str, str], generation: int,
                 memo: dict | None = None) -> dict[str, PageRecord]:
    """Return a record of every entry page, by its site path.

    `memo`, kept between calls (as `notebase serve` does), holds each entry's body digest, so an
    update digests only the entries it changed.
    """
    fresh: dict[int, tuple[Entry, str]] = {}

    def digest_of(entry: Entry) -> str:
        kept = memo.get(id(entry)) if memo is not None else None
        found = kept[1] if kept is not None and kept[0] is entry else body_digest(entry)
        fresh[id(entry)] = (entry, found)
        return found

    by_file: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_file[entry.source.path].append(entry)
    records = {}
    for file, found in by_file.items():
        for n, entry in enumerate(sorted(found, key=lambda e: e.source.line)):
            path = paths[entry.id]
            records[path] = PageRecord(path, file, item_identity(entry), n, digest_of(entry), generation)
    if memo is not None:
        memo.clear()
        memo.update(fresh)  # only current entries: an id() of a freed entry may be reused
    return records


def read_history(cache: Path) -> tuple[dict[str, PageRecord], int]:
    """Return the remembered pages and their generation; nothing when there is no usable history."""
    try:
        data = json.loads((cache / HISTORY).read_text(encoding="utf-8"))
        if data.get("format") != HISTORY_FORMAT:
            return {}, 0
        records = {r["path"]: PageRecord(**r) for r in data["pages"]}
        return records, int(data.get("generation", 0))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, 0


def write_history(cache: Path, redirects: Redirects) -> None:
    """Remember the pages for the next build (written to a temporary file, then renamed)."""
    write_json(cache / HISTORY, {"format": HISTORY_FORMAT, "generation": redirects.generation,
                                 # asdict copies deeply: 10,000 records cost 0.25 s
                                 "pages": [dict(vars(r)) for r in redirects.history]})


def alias_values(entry: Entry) -> list[str]:
    """Return an entry's aliases and `redirect_from` paths as written (a list or one string each)."""
    found: list[str] = []
    for name, value in entry.extra.items():
        if name.casefold() not in ALIAS_KEYS:
            continue
        items = value if isinstance(value, list) else [value] if isinstance(value, (str, int, float)) else []
        found += [str(v).strip() for v in items if isinstance(v, (str, int, float)) and str(v).strip()]
    return list(dict.fromkeys(found))[:50]


def alias_names(entry: Entry) -> list[str]:
    """Return the aliases that are names (wikilinks may use them), not paths."""
    return [a for a in alias_values(entry) if not a.startswith("/")]


def alias_path(entry: Entry, alias: str) -> str | None:
    """Return the site path of an alias's redirect page, or None when it cannot be one.

    A name goes beside the entry's page (`papers/<slug of the name>/`), as Quartz does; a path
    (`/old/address/`, as Hugo and Jekyll write them) is taken from the site root.
    """
    if not alias.startswith("/"):
        slug = slugify(alias)
        return None if slug in RESERVED or not any(ch.isalnum() for ch in alias) else f"{TYPE_DIRS[entry.type]}/{slug}/"
    parts = [p for p in alias.split("?", 1)[0].split("#", 1)[0].split("/") if p]
    if not parts or any(p in (".", "..") or not p.isprintable() or any(ch in p for ch in "\\:")
                        or len(p.encode("utf-8", "surrogatepass")) > 200 for p in parts):
        return None
    if parts[0] in _SITE_FOLDERS or parts[0] in _SITE_FILES or "page" in parts[:-1] or len(parts) > 8:
        return None
    if parts[-1].endswith((".html", ".htm")):
        return "/".join(parts)
    return "/".join(parts) + "/"


def plan_redirects(entries: Iterable[Entry], paths: Mapping[str, str], taken: Iterable[str],
                   history: Mapping[str, PageRecord], generation: int, memo: dict | None = None) -> Redirects:
    """Decide every redirect page: aliases first, then old addresses of moved pages; real pages always win.

    `taken` holds the site paths of the other pages (listings, tag and archive pages).
    """
    entries = list(entries)
    generation += 1
    current = page_records(entries, paths, generation, memo)
    occupied = set(current) | set(taken)
    occupied_files = {output_file(p) for p in occupied}
    targets: dict[str, str] = {}
    owner: dict[str, Entry] = {}
    pages = {paths[e.id]: e for e in entries}
    problems: list[Problem] = []
    for entry in sorted(entries, key=lambda e: (e.source.path, e.source.line)):
        for alias in alias_values(entry):
            where = alias_path(entry, alias)
            if where is None or where == paths[entry.id]:
                if where is None:
                    problems.append(Problem(entry.source.path, entry.source.line,
                                            f"alias {alias!r} cannot be an address of this site; no redirect made",
                                            "write a name, or a path such as /old/address/ outside tags/, archive/ "
                                            "and search/", Severity.WARNING))
                continue
            clash = owner.get(where) or pages.get(where)
            if where in occupied or output_file(where) in occupied_files or (clash is not None and clash is not entry):
                other = clash.source.path if clash is not None else "a page of the site"
                problems.append(Problem(entry.source.path, entry.source.line,
                                        f"alias {alias!r} is the address of {other}; no redirect made there",
                                        "give the alias another name, or rename the other note", Severity.WARNING))
                continue
            owner[where] = entry
            targets[where] = paths[entry.id]
    moved, kept = _moved(current, history)
    for old, new in moved.items():
        if old not in occupied and output_file(old) not in occupied_files and old not in targets:
            targets[old] = new
    records = list(current.values())
    for old, record in kept.items():
        if old in targets and old in moved:  # now identified as its new page's entry, for the next move
            records.append(PageRecord(old, *(_identity(current[moved[old]])), generation))
        elif old not in current:
            records.append(record)
    records = _pruned(records, len(current))
    return Redirects(dict(sorted(targets.items())), tuple(problems), tuple(records), generation)


def _identity(record: PageRecord) -> tuple:
    return record.file, record.item, record.n, record.digest


def _moved(current: dict[str, PageRecord], history: Mapping[str, PageRecord]
           ) -> tuple[dict[str, str], dict[str, PageRecord]]:
    """Old addresses that are no page now, and the page each one's entry has now."""
    by_key = {(r.file, r.item): r.path for r in current.values()}
    by_digest: dict[str, list[str]] = defaultdict(list)
    for r in current.values():
        if r.digest:
            by_digest[r.digest].append(r.path)
    by_place = {(r.file, r.n): r for r in current.values()}
    old_items: dict[str, set] = defaultdict(set)
    for r in history.values():
        old_items[r.file].add(r.item)
    moved: dict[str, str] = {}
    kept: dict[str, PageRecord] = {}
    for old, record in history.items():
        if old in current:
            continue
        kept[old] = record
        new = by_key.get((record.file, record.item))
        if new is None and record.digest and len(by_digest.get(record.digest, ())) == 1:
            new = by_digest[record.digest][0]  # the same text under another file name: renamed
        if new is None and record.item is not None:
            place = by_place.get((record.file, record.n))  # an item retitled where it stood
            if place is not None and place.item not in old_items[record.file]:
                new = place.path
        if new is not None and new != old:
            moved[old] = new
    return moved, kept


def _pruned(records: list[PageRecord], pages: int) -> list[PageRecord]:
    """Every current page's record, and the most recently seen of the others, up to a bound."""
    records.sort(key=lambda r: (-r.seen, r.path))
    bound = pages + max(KEEP_UNMATCHED, pages)
    return records[:bound]


def redirect_page(title: str, from_path: str, to_path: str, lang: str = "en") -> bytes:
    """Return the page at `from_path` that sends its reader to `to_path` (relative, so it works anywhere)."""
    href = escape(relative(from_path, to_path))
    words = {"ko": ("이동했습니다", "새 주소로 가기"), "en": ("Moved", "Go to the new address")}[lang if lang == "ko" else "en"]
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} · {words[0]}</title>\n<meta name=\"robots\" content=\"noindex\">\n"
            f'<link rel="canonical" href="{href}">\n<meta http-equiv="refresh" content="0; url={href}">\n'
            f'</head>\n<body>\n<main>\n<p><a href="{href}">{words[1]}: {escape(title)}</a></p>\n</main>\n'
            f"</body>\n</html>\n").encode("utf-8")


def other_pages(site) -> set[str]:
    """Return the site paths of the pages that are not entries: home, listings, tag and archive pages."""
    found = {"", "tags/", "archive/", "search/"}
    stack = [*site.tags.terms, *site.years.terms, *site.months.terms, *site.types.terms]
    while stack:
        term = stack.pop()
        found.add(term.path)
        stack.extend(term.children)
    return found


def plan_site(site, history: Mapping[str, PageRecord], generation: int, memo: dict | None = None) -> Redirects:
    """Plan the redirects of an assembled Site (see `plan_redirects`)."""
    return plan_redirects(site.entries, site.paths, other_pages(site), history, generation, memo)


# What the redirects are planned from besides the entries: when assemble kept these (the same
# objects), no page moved.
_PAGES = ("paths", "tags", "years", "months", "types")


def replan_bodies(planned: Redirects, site, old, memo: dict) -> Redirects | None:
    """The plan for `site` when only entries' bodies or titles changed since `old` (planned as `planned`); else None.

    Only the changed entries' body digests (what finds a renamed note) are taken again, not every
    page's record: at 10,000 notes a whole plan is a fifth of a second an edit.
    """
    if old is None or len(site.entries) != len(old.entries):
        return None
    if any(getattr(site, name) is not getattr(old, name) for name in _PAGES):
        return None
    changed = [(new, was) for new, was in zip(site.entries, old.entries) if new is not was]
    # A page's record is its entry's file, place and item (a log item is named by its title), and
    # its aliases are redirects: an edit that keeps these (a retitle of a note, say) changes no plan.
    if any(new.id != was.id or new.source != was.source or item_identity(new) != item_identity(was)
           or alias_values(new) != alias_values(was) for new, was in changed):
        return None
    digests = {}
    for new, was in changed:
        memo.pop(id(was), None)
        memo[id(new)] = (new, digests.setdefault(site.paths[new.id], body_digest(new)))
    records = tuple(replace(r, digest=digests[r.path]) if r.path in digests and r.seen == planned.generation else r
                    for r in planned.history)
    return Redirects(planned.targets, planned.problems, records, planned.generation)


def redirect_files(site) -> list[tuple[str, bytes]]:
    """Return each redirect page's output file and content."""
    by_path = {path: entry_id for entry_id, path in site.paths.items()}
    lang = site.config.language
    return [(output_file(old), redirect_page(site.entry(by_path[new]).title, old, new, lang))
            for old, new in site.redirects.items() if new in by_path]
