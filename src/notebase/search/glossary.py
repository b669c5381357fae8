"""The Korean↔English term glossary that lets `대조 학습` find notes about contrastive learning.

The shipped list is `glossary.txt` beside this module: one concept a line, its terms separated by
` = `. A knowledge base adds its own concepts under `glossary:` in notebase.yaml, in the same
`a = b` form or as a list of terms; a term the shipped list has joins its concept.

Terms match query words regardless of spacing, hyphens and case (`self-attention` is
`self attention` is `selfattention`), and a trailing Korean particle or English plural `s` on the
last word is ignored (`대조 학습을`, `neural networks`).

Beside it, `words.txt` translates common words (학습 = learning, 모델 = model) in the same format.
They are too general to be concepts of their own, so they are used only word by word, inside a
query of several words that no concept covers: `few-shot 학습` becomes `few-shot learning`, which
is a concept, and `학습 데이터 추출` searches for training, data and extraction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from notebase.search.analysis import PARTICLES  # noqa: F401 - public here too, as it always was

SEPARATOR = " = "
MAX_WORDS = 6  # the longest term, in words, that is looked for in a query
WORD_OPTIONS = 3  # translations of one word tried when a run of words is translated word by word
MAX_TRANSLATED = 3  # the longest run of words translated word by word into a concept
_SQUASH = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")


@lru_cache(maxsize=16384)  # loading the glossary squashes each term several times
def squash(text: str) -> str:
    """Return the form terms are matched by: NFKC, lowercase, only Hangul, a-z and 0-9."""
    return _SQUASH.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Expansion:
    """A run of query words that names a glossary concept, and the concept's other terms."""

    matched: str  # the query words, as typed
    alternatives: tuple[str, ...]
    kind: str = "concept"  # concept, words (translated word by word), word (a common word), typo


class Glossary:
    """Concepts as tuples of synonymous terms, looked up by their squashed form, and common words."""

    def __init__(self, concepts: list[tuple[str, ...]], words: list[tuple[str, ...]] = ()):
        self.concepts: list[tuple[str, ...]] = []
        self._index: dict[str, int] = {}
        self._prefixes: set[str] = {""}  # every start of a squashed term: lookups stop at a dead end
        self.words: dict[str, tuple[str, ...]] = {}  # squashed common word -> its translations
        for concept in concepts:
            self.add(concept)
        for line in words:
            self.add_word(line)

    def add_word(self, terms: tuple[str, ...]) -> None:
        """Add a line of common words that translate each other, used only word by word."""
        terms = tuple(t.strip() for t in terms if squash(t))
        for term in terms:
            others = tuple(t for t in terms if squash(t) != squash(term))
            if others:
                self.words[squash(term)] = tuple(dict.fromkeys(self.words.get(squash(term), ()) + others))

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
            key = squash(term)
            self._index[key] = target
            self._prefixes.update(key[:n] for n in range(1, len(key)))

    def __len__(self) -> int:
        return sum(1 for c in self.concepts if c)

    def lookup(self, words: list[str]) -> Expansion | None:
        """Return the expansion for exactly these words, each maybe with a particle or plural `s`."""
        path = self._first([[(None, form) for form in _forms(squash(word))] for word in words])
        if path is None:
            return None
        combo = "".join(form for _, form in path)
        typed = {squash(w) for w in words} | {combo, squash("".join(words))}
        others = tuple(t for t in self.concepts[self._index[combo]] if squash(t) not in typed)
        return Expansion(" ".join(words), others) if others else None

    def _first(self, choices: list[list[tuple]], accept=None) -> list[tuple] | None:
        """Return the first path (one (tag, squashed piece) per word, in itertools.product order)
        whose pieces join into a term, and that `accept` takes; prefixes no term starts with are not followed."""
        if not choices or not all(choices):
            return None
        path: list[tuple] = []

        def walk(k: int, joined: str) -> bool:
            for choice in choices[k]:
                text = joined + choice[1]
                path.append(choice)
                if k + 1 == len(choices):
                    if text in self._index and (accept is None or accept(path)):
                        return True
                elif text in self._prefixes and walk(k + 1, text):
                    return True
                path.pop()
            return False

        return list(path) if walk(0, "") else None

    def expand(self, words: list[str], smallest: int = 1) -> list[tuple[int, int, Expansion]]:
        """Find concepts in a run of words, longest first, not overlapping: (start, end, expansion).

        Only runs of `smallest` words or more are looked up.
        """
        found, i = [], 0
        while i < len(words):
            for size in range(min(MAX_WORDS, len(words) - i), smallest - 1, -1):
                expansion = self.lookup(words[i:i + size])
                if expansion:
                    found.append((i, i + size, expansion))
                    i += size
                    break
            else:
                i += 1
        return found

    def translations(self, word: str) -> tuple[str, ...]:
        """Return what one typed word translates to: its concept's other terms, or its common-word translations."""
        concept = self.lookup([word])
        if concept:
            return concept.alternatives
        for form in _forms(squash(word)):
            if form in self.words:
                return tuple(t for t in self.words[form] if squash(t) != squash(word))
        return ()

    def expand_all(self, words: list[str]) -> list[tuple[int, int, Expansion]]:
        """Concepts in a run of words (`expand`); in a query of several words, word by word too.

        First concepts of two or more words as typed; then runs that no concept covers, translated
        word by word (each word as typed or as one of its first translations) and looked up again:
        `few-shot 학습` finds the concept of `few-shot learning`; then concepts of one word; then
        the common-word translations of the words still uncovered. Returns (start, end, expansion)
        in word order.
        """
        if len(words) < 2:
            return self.expand(words)
        found = self.expand(words, 2)
        covered = {i for start, end, _ in found for i in range(start, end)}
        for start, end in _runs(len(words), covered):
            found += self._translate_run(words, start, end, covered)
        for start, end in _runs(len(words), covered):
            for first, last, expansion in self.expand(words[start:end]):
                found.append((start + first, start + last, expansion))
                covered.update(range(start + first, start + last))
        for i, word in enumerate(words):
            if i not in covered:
                others = self.translations(word)
                if others:
                    found.append((i, i + 1, Expansion(word, others, "word")))
        return sorted(found, key=lambda f: f[0])

    def _translate_run(self, words: list[str], start: int, end: int, covered: set[int]) -> list:
        """Concepts named by word-by-word translations of words[start:end], longest first; marks them covered.

        Each word is tried as typed (with its particle or plural forms) and as each of its first
        WORD_OPTIONS translations (with theirs), in that order; at least one word is translated.
        """
        options = {}
        for i in range(start, end):
            picks = [(0, words[i], form) for form in _forms(squash(words[i]))]
            for n, other in enumerate(self.translations(words[i])[:WORD_OPTIONS], 1):
                picks += [(n, other, form) for form in _forms(squash(other))]
            options[i] = picks
        found, i = [], start
        while i < end:
            for size in range(min(MAX_TRANSLATED, end - i), 1, -1):
                path = self._first([[(p, form) for p, _, form in options[k]] for k in range(i, i + size)],
                                   accept=lambda path: any(p for p, _ in path))
                if path is None:
                    continue
                part = words[i:i + size]
                shown = [next(text for p, text, form in options[i + k] if (p, form) == pick) for k, pick in enumerate(path)]
                combo = "".join(form for _, form in path)
                typed = {squash(w) for w in part} | {squash("".join(part))}
                alternatives = [" ".join(shown)] + list(self.concepts[self._index[combo]])
                alternatives = tuple(a for a in dict.fromkeys(alternatives) if squash(a) not in typed)
                if alternatives:
                    found.append((i, i + size, Expansion(" ".join(part), alternatives, "words")))
                    covered.update(range(i, i + size))
                    i += size
                    break
            else:
                i += 1
        return found

    def near_spellings(self, word: str) -> tuple[str, ...]:
        """Return the glossary's Hangul terms one letter (jamo) away from a Hangul word: 트렌스포머 -> 트랜스포머."""
        target = squash(word)
        if not target or not all("\uac00" <= ch <= "\ud7a3" for ch in target):
            return ()
        found = []
        for concept in self.concepts:
            for term in concept:
                form = squash(term)
                if len(form) == len(target) and form != target and one_jamo_apart(form, target):
                    found.append(term)
        return tuple(dict.fromkeys(found))


def _runs(count: int, covered: set[int]) -> list[tuple[int, int]]:
    """Return the (start, end) runs of positions below count that are not covered."""
    runs, i = [], 0
    while i < count:
        if i in covered:
            i += 1
            continue
        end = i
        while end < count and end not in covered:
            end += 1
        runs.append((i, end))
        i = end
    return runs


def one_jamo_apart(a: str, b: str) -> bool:
    """Whether two Hangul strings of one length differ in one letter of one syllable (렌 and 랜, 망 and 맘)."""
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    if len(diff) != 1:
        return False
    x, y = (ord(c) - 0xAC00 for c in diff[0])
    if not (0 <= x < 11172 and 0 <= y < 11172):
        return False
    parts = (x // 588 != y // 588, x % 588 // 28 != y % 588 // 28, x % 28 != y % 28)
    return sum(parts) == 1


@lru_cache(maxsize=4096)  # a query's words are looked up in many runs
def _forms(word: str) -> tuple[str, ...]:
    """Return a squashed word as typed, then without a trailing particle or plural, as lookups try them."""
    if not word:
        return ()
    forms = [word]
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            forms.append(word[:-len(particle)])
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    return tuple(forms)


def parse_line(line: str) -> tuple[str, ...] | None:
    """Return the terms of one `a = b = c` line, or None for a blank or comment line."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    return tuple(t.strip() for t in line.split(SEPARATOR.strip()) if t.strip())


@cache
def shipped() -> tuple[tuple[str, ...], ...]:
    """Return the concepts of the glossary that ships with notebase."""
    return _read("glossary.txt")


@cache
def shipped_words() -> tuple[tuple[str, ...], ...]:
    """Return the common words and their translations that ship with notebase (words.txt)."""
    return _read("words.txt")


def _read(name: str) -> tuple[tuple[str, ...], ...]:
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return tuple(terms for line in text.splitlines() if (terms := parse_line(line)))


def load_glossary(extra: tuple = ()) -> Glossary:
    """Return the shipped glossary with a knowledge base's own concepts added."""
    glossary = Glossary(list(shipped()), list(shipped_words()))
    for item in extra:
        terms = parse_line(item) if isinstance(item, str) else tuple(str(t) for t in item)
        if terms and len(terms) > 1:
            glossary.add(terms)
    return glossary
