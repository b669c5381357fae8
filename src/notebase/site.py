"""Assemble the frozen Site: entries in order, their pages, taxonomies and the link graph.

Nothing is written until this is complete (gather, freeze, then write). Taxonomy terms hold entry
ids, not copies; every mapping is read-only once assembled.
"""

from __future__ import annotations

import functools
import heapq
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from notebase.config import Config
from notebase.markup import IMAGE_EXTS, wikilink_key
from notebase.model import Entry, EntryType
from notebase.redirects import alias_names
from notebase.slug import slugify
from notebase.tags import tag_key, with_ancestors
from notebase.urls import RESERVED, entry_path, month_path, tag_path, type_path, year_path

RELATED = 5  # related entries shown on a page
RELATED_TAG_LIMIT = 300  # tags on more entries than this say little about relatedness, and cost n²
_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>]+?\.md)(?:#[^)\s]*)?>?\s*(?:\"[^\"]*\")?\)")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")


@dataclass(frozen=True)
class Term:
    """One term of a taxonomy (a tag, a year, a month, a type) and its entries, newest first."""

    key: str
    label: str
    path: str
    ids: tuple[str, ...]  # a nested tag's parent holds its children's entries too
    children: tuple[Term, ...] = ()  # the tags nested directly inside this one (`a/b` in `a`)


@dataclass(frozen=True)
class Taxonomy:
    """A way of grouping entries: its name and its terms in display order."""

    name: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Site:
    """Everything the emitters need, complete and read-only."""

    config: Config
    entries: tuple[Entry, ...]  # newest first, then by id
    by_id: Mapping[str, Entry]
    paths: Mapping[str, str]  # entry id -> site path of its page
    targets: Mapping[str, str]  # wikilink_key -> site path, for resolving wikilinks
    tags: Taxonomy
    years: Taxonomy
    months: Taxonomy
    types: Taxonomy
    tag_paths: Mapping[str, str]  # tag as written on entries, any case -> site path
    backlinks: Mapping[str, tuple[str, ...]]  # id -> ids of entries linking to it
    related: Mapping[str, tuple[str, ...]]  # id -> ids of entries sharing rare tags
    files: frozenset[str] = frozenset()  # every file under the notes folder, for images and embeds
    redirects: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # redirect page -> the page it sends to (redirects.py)

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with this id."""
        return self.by_id[entry_id]

    @functools.cached_property
    def by_path(self) -> Mapping[str, Entry]:
        """Return the entry at each entry page's site path (what note embeds show)."""
        return _freeze({path: self.by_id[i] for i, path in self.paths.items() if i in self.by_id})

    def tag_path(self, tag: str) -> str:
        """Return the site path of a tag's page, the tag as any entry spells it."""
        return self.tag_paths[tag_key(tag)]

    def tag_pages(self, tag: str) -> tuple[str, ...]:
        """Return the pages a tag's entries are listed on: its own and those of the tags it sits inside."""
        return tuple(self.tag_paths[k] for k in with_ancestors(tag_key(tag)))


def _freeze(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


def published(entries: Iterable[Entry], config: Config | None = None) -> list[Entry]:
    """Filter: keep the entries the site shows: no drafts (unless `drafts`), none marked `publish: false`.

    With `explicit_publish` only entries marked `publish: true` are kept (Obsidian Publish and
    Quartz's ExplicitPublish work that way).
    """
    drafts = config is not None and config.drafts
    explicit = config is not None and config.explicit_publish
    kept = []
    for entry in entries:
        publish = publish_flag(entry)
        if (entry.draft and not drafts) or publish is False or (explicit and publish is not True):
            continue
        kept.append(entry)
    return kept


def extra_value(entry: Entry, key: str):
    """Return a front-matter key the loader kept in `extra`, whatever its case (Obsidian writes cssClasses too)."""
    for name, value in entry.extra.items():
        if name.casefold() == key:
            return value
    return None


def publish_flag(entry: Entry) -> bool | None:
    """Return what an entry's `publish:` front matter says: True, False or None (not said)."""
    value = extra_value(entry, "publish")
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().casefold()
    return True if text in ("true", "yes", "on", "1") else False if text in ("false", "no", "off", "0") else None


def assemble(entries: Iterable[Entry], config: Config, files: Iterable[str] = (), memo: dict | None = None) -> Site:
    """Order the entries and compute their pages, taxonomies, backlinks and related entries.

    `memo`, when a caller keeps one between calls (as `notebase serve` does), holds what each entry
    names and links to, so an unchanged entry is not scanned again.
    """
    ordered = sorted(published(entries, config), key=lambda e: (-e.date.toordinal(), e.id))
    by_id = {e.id: e for e in ordered}
    refs = _all_refs(ordered, memo)
    # Everything but the entries themselves follows from these; an edit that changes none of them
    # (the body of a note, say) reuses the previous graph and taxonomies.
    shape = tuple((e.id, e.type, e.date, e.tags, e.source.path, e.source.line, e.url, refs[e.id]) for e in ordered)
    kept = memo.get("shape") if memo is not None else None
    if kept is not None and kept[0] == shape:
        graph = kept[1]
    else:
        paths = {e.id: entry_path(e.id, e.type) for e in ordered}
        targets = link_targets(ordered, paths, refs)
        tags, tag_paths = tag_taxonomy(ordered)
        backlinks = _backlinks(ordered, paths, targets, refs)
        graph = dict(
            paths=_freeze(paths), targets=_freeze(targets), tags=tags, years=_years(ordered),
            months=_months(ordered), types=_types(ordered), tag_paths=_freeze(tag_paths),
            backlinks=_freeze(backlinks), related=_freeze(_related(ordered, tags)))
    if memo is not None:
        memo["shape"] = (shape, graph)
    return Site(config=config, entries=tuple(ordered), by_id=_freeze(by_id), files=frozenset(files), **graph)


@dataclass(frozen=True)
class Refs:
    """What one entry is called by and what it points at, as lookup keys."""

    ids: tuple[str, ...]  # its id
    titles: tuple[str, ...]  # its title and paper title
    file_names: tuple[str, ...]  # its file's path and name without extension
    wikilinks: tuple[str, ...]  # targets of its wikilinks and note embeds (not image embeds)
    notes: tuple[str, ...]  # notes-relative paths of the .md files its body links to
    urls: tuple[str, ...]  # the URLs in its body, normalised
    aliases: tuple[str, ...] = ()  # its `aliases` (redirects.alias_names)


def refs_of(entry: Entry) -> Refs:
    """Return an entry's names and references as lookup keys."""
    def keys(names) -> tuple[str, ...]:
        return tuple(k for k in (wikilink_key(n) for n in names if n) if k)

    notes: tuple[str, ...] = ()
    if entry.body_format == "markdown" and ".md" in entry.body:
        here = posixpath.dirname(entry.source.path)
        notes = tuple(posixpath.normpath(posixpath.join(here, m[1])) for m in _MD_LINK.finditer(entry.body))
    urls = tuple(map(_norm_url, _URL.findall(entry.body))) if "http" in entry.body else ()
    return Refs(keys([entry.id]), keys([entry.title, getattr(entry, "paper_title", "") or ""]),
                keys(_file_names(entry.source.path)),
                keys(link.target for link in entry.links if link.target and not (link.embed and is_image(link.target))),
                notes, urls, keys(alias_names(entry)) if entry.extra else ())


def _all_refs(entries: list[Entry], memo: dict | None) -> dict[str, Refs]:
    if memo is None:
        return {e.id: refs_of(e) for e in entries}
    found: dict[str, Refs] = {}
    fresh: dict[int, tuple[Entry, Refs]] = {}
    for entry in entries:
        kept = memo.get(id(entry))
        refs = kept[1] if kept is not None and kept[0] is entry else refs_of(entry)
        fresh[id(entry)] = (entry, refs)
        found[entry.id] = refs
    shape = memo.get("shape")
    memo.clear()
    memo.update(fresh)  # only current entries: an id() of a freed entry may be reused
    if shape is not None:
        memo["shape"] = shape
    return found


def link_targets(entries: list[Entry], paths: Mapping[str, str], refs: Mapping[str, Refs] | None = None
                 ) -> dict[str, str]:
    """Map every name a wikilink may use for an entry to its page: id, title, paper title, alias, file.

    Earlier kinds of name win over later ones, so a title never steals another entry's id.
    """
    refs = refs if refs is not None else {e.id: refs_of(e) for e in entries}
    per_file = Counter(e.source.path for e in entries)
    targets: dict[str, str] = {}
    in_file_order = sorted(entries, key=lambda e: (e.source.path, e.source.line))
    for kind in ("ids", "titles", "aliases", "file_names"):
        for entry in in_file_order:
            if kind == "file_names" and per_file[entry.source.path] != 1:
                continue
            page = paths[entry.id]
            for key in getattr(refs[entry.id], kind):
                targets.setdefault(key, page)
    return targets


def is_image(target: str) -> bool:
    """Whether a wikilink embed names an image (shown as one) rather than a note (shown inline)."""
    return target.rpartition(".")[2].lower() in IMAGE_EXTS if "." in target else False


def _file_names(path: str) -> list[str]:
    stem = posixpath.splitext(path)[0]
    return [stem, posixpath.basename(stem)]


def tag_taxonomy(entries: list[Entry]) -> tuple[Taxonomy, dict[str, str]]:
    """Group entries by tag key (case, spaces, `-`, `_` aside); a tag inside another (`a/b`) is listed on `a` too.

    Each term gets a readable path (`tags/a/b/` for `a/b`), unique among its siblings, and the
    spelling most entries use as its label; returns the taxonomy and {tag key: path}.
    """
    ids: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        keys: dict[str, None] = {}
        for tag in entry.tags:
            key = tag_key(tag)
            if not key:
                continue
            levels = [p for p in tag.strip().lstrip("#").split("/") if tag_key(p)]
            for n, inner in enumerate(with_ancestors(key), 1):
                keys[inner] = None
                spellings[inner]["/".join(p.strip() for p in levels[:n])] += 1
        for key in keys:
            ids[key].append(entry.id)
    label = {k: min(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in ids}
    paths: dict[str, str] = {}
    taken: set[str] = set()
    # Parents first, so a child's path continues its parent's (tags/a/b/ under tags/a/).
    for key in sorted(ids, key=lambda k: (k.count("/"), slugify(k), k)):
        parent = key.rpartition("/")[0]
        base = (paths[parent] if parent else tag_path("")[:-1]) + _tag_slug(key.rpartition("/")[2])
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        paths[key] = slug + "/"
    children: dict[str, list[str]] = defaultdict(list)
    for key in ids:
        if "/" in key:
            children[key.rpartition("/")[0]].append(key)

    def order(key: str):
        return (-len(ids[key]), label[key].casefold(), key)

    built: dict[str, Term] = {}
    for key in sorted(ids, key=lambda k: -k.count("/")):  # children before their parents
        kids = tuple(built[c] for c in sorted(children.get(key, ()), key=order))
        built[key] = Term(key, label[key], paths[key], tuple(ids[key]), kids)
    terms = tuple(built[k] for k in sorted(ids, key=order))
    return Taxonomy("tags", terms), paths


def _tag_slug(level: str) -> str:
    slug = slugify(level, limit=60)
    # `page` would share tags/a/page/2/ with the pagination of tags/a/.
    return f"{slug}-tag" if slug in RESERVED else slug


def _years(entries: list[Entry]) -> Taxonomy:
    groups: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        groups[entry.date.year].append(entry.id)
    return Taxonomy("years", tuple(Term(f"{y:04d}", f"{y:04d}", year_path(y), tuple(groups[y]))
                                   for y in sorted(groups, reverse=True)))


def _months(entries: list[Entry]) -> Taxonomy:
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for entry in entries:
        groups[(entry.date.year, entry.date.month)].append(entry.id)
    return Taxonomy("months", tuple(Term(f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}", month_path(y, m), tuple(groups[y, m]))
                                    for y, m in sorted(groups, reverse=True)))


def _types(entries: list[Entry]) -> Taxonomy:
    groups: dict[EntryType, list[str]] = {t: [] for t in EntryType}
    for entry in entries:
        groups[entry.type].append(entry.id)
    return Taxonomy("types", tuple(Term(t.value, t.value, type_path(t), tuple(groups[t])) for t in EntryType))


def _backlinks(entries: list[Entry], paths: Mapping[str, str], targets: Mapping[str, str],
               refs: Mapping[str, Refs]) -> dict[str, tuple[str, ...]]:
    """Who links to whom: by wikilink, by a relative link to a note file, or by an entry's URL."""
    by_path = {v: k for k, v in paths.items()}
    by_file: dict[str, str] = {}
    for entry in entries:
        by_file.setdefault(entry.source.path, entry.id)
    by_url = {_norm_url(e.url): e.id for e in entries if e.url}
    incoming: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        found = refs[entry.id]
        linked = [by_path[targets[key]] for key in found.wikilinks if key in targets]
        linked += [by_file[note] for note in found.notes if note in by_file]
        if by_url:
            linked += [by_url[u] for u in found.urls if u in by_url]
        for target in dict.fromkeys(linked):
            if target != entry.id:
                incoming[target].append(entry.id)
    return {k: tuple(v) for k, v in incoming.items()}


def _norm_url(url: str) -> str:
    return url.split("#")[0].rstrip("/").removeprefix("https://").removeprefix("http://").casefold()


def _related(entries: list[Entry], tags: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Entries sharing the most informative tags (rarer tags count more), newer first on ties."""
    size = {t.key: len(t.ids) for t in tags.terms}
    members = {t.key: t.ids for t in tags.terms}
    rank = {e.id: n for n, e in enumerate(entries)}
    # Entries with the same telling tags share one ranking (one more than shown, as each drops
    # itself): many notes reuse a few tag sets, and scoring is the n² part.
    ranked: dict[tuple[str, ...], list[str]] = {}
    related: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        own = {tag_key(t) for t in entry.tags} - {""}
        telling = tuple(sorted(k for k in own if 1 < size[k] <= RELATED_TAG_LIMIT))
        if not telling:
            continue
        if telling not in ranked:
            scores: dict[str, float] = defaultdict(float)
            for folded in telling:
                weight = 1.0 / size[folded]
                for other in members[folded]:
                    scores[other] += weight
            ranked[telling] = heapq.nsmallest(RELATED + 1, scores, key=lambda i: (-scores[i], rank[i]))
        best = tuple(i for i in ranked[telling] if i != entry.id)[:RELATED]
        if best:
            related[entry.id] = best
    return related


def newest_stated(entries: Sequence[Entry], n: int) -> tuple[Entry, ...]:
    """Return up to n of the newest entries, stated dates first, in their date order.

    A note whose date is only a guess (file time, first commit, a date in prose) fills the list
    only when too few dated ones exist, so a freshly cloned folder of undated notes never pushes
    the real news off the home page and the feeds.
    """
    chosen = [i for i, e in enumerate(entries) if not e.date_inferred][:n]
    if len(chosen) < n:
        chosen += [i for i, e in enumerate(entries) if e.date_inferred][: n - len(chosen)]
    return tuple(entries[i] for i in sorted(chosen))
