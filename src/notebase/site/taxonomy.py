"""Taxonomies: ways of grouping entries (tags, topics, folders, years, months, types), one shape for all.

A taxonomy's terms hold entry ids, not copies; its pages come from one listing emitter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from notebase.model import Entry, EntryType
from notebase.render.urls import RESERVED, month_path, tag_path, type_path, year_path
from notebase.site.tags import tag_key, with_ancestors
from notebase.slug import first_free, slugify


@dataclass(frozen=True)
class Term:
    """One term of a taxonomy (a tag, a topic, a folder, a year, a month, a type) and its entries, newest first."""

    key: str
    label: str
    path: str
    ids: tuple[str, ...]  # a nested term's parent holds its children's entries too
    children: tuple[Term, ...] = ()  # the terms nested directly inside this one (`a/b` in `a`)


@dataclass(frozen=True)
class Taxonomy:
    """A way of grouping entries: its name and its terms in display order."""

    name: str
    terms: tuple[Term, ...]

    def term(self, key: str) -> Term | None:
        """Return the term with this key, or None."""
        return self.by_key.get(key)

    @cached_property
    def by_key(self) -> dict[str, Term]:
        """The terms by key (built once: a taxonomy never changes)."""
        return {t.key: t for t in self.terms}


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
            for inner, spelling in _levels(tag):
                keys[inner] = None
                spellings[inner][spelling] += 1
        for key in keys:
            ids[key].append(entry.id)
    label = {k: min(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in ids}
    paths: dict[str, str] = {}
    taken: set[str] = set()
    next_n: dict[str, int] = {}
    # Parents first, so a child's path continues its parent's (tags/a/b/ under tags/a/).
    for key in sorted(ids, key=lambda k: (k.count("/"), slugify(k), k)):
        parent = key.rpartition("/")[0]
        base = (paths[parent] if parent else tag_path("")[:-1]) + tag_slug(key.rpartition("/")[2])
        slug = first_free(base, taken.__contains__, next_n)
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


@lru_cache(maxsize=1 << 14)  # a site spells a few hundred tags thousands of times each
def _levels(tag: str) -> tuple[tuple[str, str], ...]:
    """The keys a tag is listed under (its own and its ancestors', outermost first), each with how the tag spells it."""
    key = tag_key(tag)
    if not key:
        return ()
    levels = [p for p in tag.strip().lstrip("#").split("/") if tag_key(p)]
    return tuple((inner, "/".join(p.strip() for p in levels[:n])) for n, inner in enumerate(with_ancestors(key), 1))


def tag_slug(level: str) -> str:
    """Return the path part of one level of a tag (never a name pagination uses)."""
    slug = slugify(level, limit=60)
    # `page` would share tags/a/page/2/ with the pagination of tags/a/.
    return f"{slug}-tag" if slug in RESERVED else slug


def year_taxonomy(entries: list[Entry]) -> Taxonomy:
    """Group entries by year, newest first."""
    groups: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        groups[entry.date.year].append(entry.id)
    return Taxonomy("years", tuple(Term(f"{y:04d}", f"{y:04d}", year_path(y), tuple(groups[y]))
                                   for y in sorted(groups, reverse=True)))


def month_taxonomy(entries: list[Entry]) -> Taxonomy:
    """Group entries by month, newest first."""
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for entry in entries:
        groups[(entry.date.year, entry.date.month)].append(entry.id)
    return Taxonomy("months", tuple(Term(f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}", month_path(y, m), tuple(groups[y, m]))
                                    for y, m in sorted(groups, reverse=True)))


def type_taxonomy(entries: list[Entry]) -> Taxonomy:
    """Group entries by type, in the types' own order."""
    groups: dict[EntryType, list[str]] = {t: [] for t in EntryType}
    for entry in entries:
        groups[entry.type].append(entry.id)
    return Taxonomy("types", tuple(Term(t.value, t.value, type_path(t), tuple(groups[t])) for t in EntryType))
