"""The Korean↔English term glossary that lets `대조 학습` find notes about contrastive learning.

The shipped list is `glossary.txt` beside this module: one concept a line, its terms separated by
` = `. A knowledge base adds its own concepts under `glossary:` in notebase.yaml, in the same
`a = b` form or as a list of terms; a term the shipped list has joins its concept.

Terms match query words regardless of spacing, hyphens and case (`self-attention` is
`self attention` is `selfattention`), and a trailing Korean particle or English plural `s` on the
last word is ignored (`대조 학습을`, `neural networks`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEPARATOR = " = "
MAX_WORDS = 6  # the longest term, in words, that is looked for in a query
# Particles and endings that may follow a term in a Korean query, longest first.
PARTICLES = tuple(sorted("""을 를 이 가 은 는 의 에 로 와 과 도 만 에서 으로 에게 까지 부터 보다 처럼 이나 이란 란 라는 이라는
    에서는 으로는 에는 와의 과의 에서의 으로의 로의 이다 이고 으로서 로서 하는 하기 하고 하여 해서 한 된 되는 하다 했다""".split(),
                         key=len, reverse=True))
_SQUASH = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")


def squash(text: str) -> str:
    """Return the form terms are matched by: NFKC, lowercase, only Hangul, a-z and 0-9."""
    return _SQUASH.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Expansion:
    """A run of query words that names a glossary concept, and the concept's other terms."""

    matched: str  # the query words, as typed
    alternatives: tuple[str, ...]


class Glossary:
    """Concepts as tuples of synonymous terms, looked up by their squashed form."""

    def __init__(self, concepts: list[tuple[str, ...]]):
        self.concepts: list[tuple[str, ...]] = []
        self._index: dict[str, int] = {}
        for concept in concepts:
            self.add(concept)

    def add(self, terms: tuple[str, ...]) -> None:
        """Add a concept; terms another concept already has merge the two."""
        terms = tuple(t.strip() for t in terms if squash(t))
        known = {self._index[squash(t)] for t in terms if squash(t) in self._index}
        if known:
            target = min(known)
            merged = list(self.concepts[target])
            for other in sorted(known - {target}):
                merged += self.concepts[other]
                self.concepts[other] = ()
            merged += terms
            unique = tuple(dict.fromkeys(merged, None))
            self.concepts[target] = unique
        else:
            target, unique = len(self.concepts), terms
            self.concepts.append(unique)
        for term in unique:
            self._index[squash(term)] = target

    def __len__(self) -> int:
        return sum(1 for c in self.concepts if c)

    def lookup(self, words: list[str]) -> Expansion | None:
        """Return the expansion for exactly these words, each maybe with a particle or plural `s`."""
        forms = [_forms(squash(word)) for word in words]
        if not all(forms):
            return None
        for combo in itertools.product(*forms):
            found = self._index.get("".join(combo))
            if found is not None:
                typed = {squash(w) for w in words} | {"".join(combo), squash("".join(words))}
                others = tuple(t for t in self.concepts[found] if squash(t) not in typed)
                return Expansion(" ".join(words), others) if others else None
        return None

    def expand(self, words: list[str]) -> list[tuple[int, int, Expansion]]:
        """Find concepts in a run of words, longest first, not overlapping: (start, end, expansion)."""
        found, i = [], 0
        while i < len(words):
            for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
                expansion = self.lookup(words[i:i + size])
                if expansion:
                    found.append((i, i + size, expansion))
                    i += size
                    break
            else:
                i += 1
        return found


def _forms(word: str) -> list[str]:
    """Return a squashed word as typed, then without a trailing particle or plural, as lookups try them."""
    if not word:
        return []
    forms = [word]
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            forms.append(word[:-len(particle)])
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    return forms


def parse_line(line: str) -> tuple[str, ...] | None:
    """Return the terms of one `a = b = c` line, or None for a blank or comment line."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    return tuple(t.strip() for t in line.split(SEPARATOR.strip()) if t.strip())


@cache
def shipped() -> tuple[tuple[str, ...], ...]:
    """Return the concepts of the glossary that ships with notebase."""
    text = Path(__file__).with_name("glossary.txt").read_text(encoding="utf-8")
    return tuple(terms for line in text.splitlines() if (terms := parse_line(line)))


def load_glossary(extra: tuple = ()) -> Glossary:
    """Return the shipped glossary with a knowledge base's own concepts added."""
    glossary = Glossary(list(shipped()))
    for item in extra:
        terms = parse_line(item) if isinstance(item, str) else tuple(str(t) for t in item)
        if terms and len(terms) > 1:
            glossary.add(terms)
    return glossary
