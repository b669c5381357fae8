"""Snippets: the passage of an entry's text with the most query terms, and where they are.

Matches are found with one regular expression that obeys the analyzer's rules (a Latin term is a
whole [a-z0-9] run, a one-syllable Hangul term a whole Hangul run, a bigram anywhere in a run),
so a long note is scanned in C rather than tokenized in Python.
"""

from __future__ import annotations

import re
from functools import lru_cache

from notebase.search.analysis import normalise

WIDTH = 180  # characters in a snippet
LEAD = 40  # characters of context kept before the first match
_HANGUL = "\uac00-\ud7a3"


@lru_cache(maxsize=64)
def _pattern(wanted: frozenset[str]) -> re.Pattern | None:
    """One pattern per query, shared by every hit's snippet and title."""
    parts = []
    for term in sorted(wanted, key=len, reverse=True):
        if term[0] >= "\uac00":
            if len(term) == 1:
                parts.append(f"(?<![{_HANGUL}]){term}(?![{_HANGUL}])")
            else:
                parts.append(term)
        else:
            parts.append(f"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])")
    return re.compile("|".join(parts)) if parts else None


def find_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Return the merged (start, end) offsets in text of the wanted terms, as the analyzer sees them."""
    pattern = _pattern(frozenset(wanted))
    if pattern is None:
        return []
    norm, offsets = normalise(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := pattern.search(norm, pos)) is not None:
        start, end = m.span()
        pos = start + 1  # overlapping bigrams: 학회 and 회의 in 학회의
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def make_snippet(text: str, wanted: set[str], width: int = WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """Return a one-line passage around the most distinct wanted terms, and their offsets in it."""
    pattern = _pattern(frozenset(wanted))
    norm, offsets = normalise(text)
    matches = [] if pattern is None else list(pattern.finditer(norm))
    if not matches:
        return _cut(text, 0, width), []
    best, best_count = 0, -1
    for i, first in enumerate(matches[:200]):
        distinct = {m.group() for m in matches[i:i + 50] if m.end() - first.start() <= width - LEAD}
        if len(distinct) > best_count:
            best, best_count = i, len(distinct)
    first = matches[best].start()
    start = max(0, (offsets[first] if offsets is not None else first) - LEAD)
    if start:
        # Open at a word boundary when one is near, not mid-word.
        boundary = max(text.rfind(" ", 0, start + 1), text.rfind("\n", 0, start + 1))
        if boundary >= 0 and start - boundary < 20:
            start = boundary + 1
    snippet = _cut(text, start, width)
    return snippet, find_spans(snippet, wanted)


def _cut(text: str, start: int, width: int) -> str:
    """Return text[start:] flattened to one line and cut at a word boundary, with ellipses."""
    end = start + width
    piece = text[start:end]
    if end < len(text):
        space = piece.rfind(" ")
        if space > width * 2 // 3:
            piece = piece[:space]
    piece = " ".join(piece.split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")
