"""Taxonomies: ways of grouping entries (tags, topics, folders, years, months, types), one shape for all.

A taxonomy's terms hold entry ids, not copies; its pages come from one listing emitter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


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
