"""Assemble the frozen Site: entries in order, their pages, taxonomies and the link graph.

Nothing is written until this is complete (gather, freeze, then write). Taxonomy terms hold entry
ids, not copies; every mapping is read-only once assembled.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from notebase.config import Config
from notebase.markup import wikilink_key
from notebase.model import Entry, EntryType
from notebase.slug import slugify
from notebase.urls import entry_path, month_path, tag_path, type_path, year_path

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
    ids: tuple[str, ...]


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

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with this id."""
        return self.by_id[entry_id]

    def tag_path(self, tag: str) -> str:
        """Return the site path of a tag's page."""
        return self.tag_paths[tag.casefold()]


def _freeze(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


def published(entries: Iterable[Entry]) -> list[Entry]:
    """Filter: keep entries that are not drafts."""
    return [e for e in entries if not e.draft]


def assemble(entries: Iterable[Entry], config: Config, files: Iterable[str] = ()) -> Site:
    """Order the entries and compute their pages, taxonomies, backlinks and related entries."""
    ordered = sorted(published(entries), key=lambda e: (-e.date.toordinal(), e.id))
    by_id = {e.id: e for e in ordered}
    paths = {e.id: entry_path(e.id, e.type) for e in ordered}
    targets = link_targets(ordered, paths)
    tags, tag_paths = _tags(ordered)
    backlinks = _backlinks(ordered, paths, targets)
    return Site(
        config=config, entries=tuple(ordered), by_id=_freeze(by_id), paths=_freeze(paths),
        targets=_freeze(targets), tags=tags, years=_years(ordered), months=_months(ordered),
        types=_types(ordered), tag_paths=_freeze(tag_paths), backlinks=_freeze(backlinks),
        related=_freeze(_related(ordered, tags)), files=frozenset(files),
    )


def link_targets(entries: list[Entry], paths: Mapping[str, str]) -> dict[str, str]:
    """Map every name a wikilink may use for an entry to its page: id, title, paper title, file.

    Earlier kinds of name win over later ones, so a title never steals another entry's id.
    """
    per_file = Counter(e.source.path for e in entries)
    targets: dict[str, str] = {}
    names = [
        lambda e: [e.id],
        lambda e: [e.title, getattr(e, "paper_title", "") or ""],
        lambda e: _file_names(e.source.path) if per_file[e.source.path] == 1 else [],
    ]
    for kind in names:
        for entry in sorted(entries, key=lambda e: (e.source.path, e.source.line)):
            for name in kind(entry):
                key = wikilink_key(name) if name else ""
                if key and key not in targets:
                    targets[key] = paths[entry.id]
    return targets


def _file_names(path: str) -> list[str]:
    stem = posixpath.splitext(path)[0]
    return [stem, posixpath.basename(stem)]


def _tags(entries: list[Entry]) -> tuple[Taxonomy, dict[str, str]]:
    """Tags merge across case; each gets a unique readable slug and its most used spelling."""
    ids: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        for tag in dict.fromkeys(entry.tags):
            folded = tag.casefold()
            if entry.id not in ids[folded][-1:]:
                ids[folded].append(entry.id)
            spellings[folded][tag] += 1
    taken: set[str] = set()
    paths: dict[str, str] = {}
    for folded in sorted(ids, key=lambda k: (slugify(k), k)):
        base = slugify(folded, limit=60)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        paths[folded] = tag_path(slug)
    label = {k: min(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in ids}
    terms = sorted((Term(k, label[k], paths[k], tuple(v)) for k, v in ids.items()),
                   key=lambda t: (-len(t.ids), t.label.casefold(), t.key))
    return Taxonomy("tags", tuple(terms)), paths


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


def _backlinks(entries: list[Entry], paths: Mapping[str, str], targets: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Who links to whom: by wikilink, by a relative link to a note file, or by an entry's URL."""
    by_path = {v: k for k, v in paths.items()}
    by_file: dict[str, str] = {}
    for entry in entries:
        by_file.setdefault(entry.source.path, entry.id)
    by_url = {_norm_url(e.url): e.id for e in entries if e.url}
    incoming: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        linked: list[str] = []
        for link in entry.links:
            path = targets.get(wikilink_key(link.target)) if link.target and not link.embed else None
            if path:
                linked.append(by_path[path])
        if entry.body_format == "markdown" and ".md" in entry.body:
            here = posixpath.dirname(entry.source.path)
            for m in _MD_LINK.finditer(entry.body):
                target = posixpath.normpath(posixpath.join(here, m[1]))
                if target in by_file:
                    linked.append(by_file[target])
        if by_url and "http" in entry.body:
            linked += [by_url[u] for u in map(_norm_url, _URL.findall(entry.body)) if u in by_url]
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
    related: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        scores: dict[str, float] = defaultdict(float)
        for folded in {t.casefold() for t in entry.tags}:
            if 1 < size[folded] <= RELATED_TAG_LIMIT:
                weight = 1.0 / size[folded]
                for other in members[folded]:
                    scores[other] += weight
        scores.pop(entry.id, None)
        if scores:
            best = sorted(scores, key=lambda i: (-scores[i], rank[i]))[:RELATED]
            related[entry.id] = tuple(best)
    return related
