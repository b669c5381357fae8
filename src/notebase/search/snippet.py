"""Snippets: the passage of an entry's text that covers most of the query, and where its terms are.

Matches are found with one regular expression that obeys the analyzer's rules (a Latin term is a
whole [a-z0-9] run in any spelling that folds to it, a one-syllable Hangul term a whole Hangul run,
a bigram anywhere in a run), so a long note is scanned in C rather than tokenized in Python.

The passage is the window of WIDTH characters whose matches stand for the most query words (a
term stands for the words it belongs to, or a synonym for the words it translates), then hold the
most distinct terms; the earliest such window wins. Every window is weighed, so in a long log the
section about the query is shown, however far down it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from notebase.search.analysis import fold, normalise, surface_forms

WIDTH = 180  # characters in a snippet
LEAD = 40  # characters of context kept before the first match
_HANGUL = "\uac00-\ud7a3"


@lru_cache(maxsize=64)
def _pattern(wanted: frozenset[str]) -> re.Pattern | None:
    """One pattern per query, shared by every hit's snippet and title."""
    # The Latin spellings under one pair of boundaries, the lone syllables under another, then the
    # bigrams: one alternation each, longest first, so the engine tries few branches per position.
    latin = sorted({s for term in wanted if term[0] < "\uac00" for s in surface_forms(term) or [term]}, key=len, reverse=True)
    lone = sorted(t for t in wanted if t[0] >= "\uac00" and len(t) == 1)
    pairs = sorted(t for t in wanted if t[0] >= "\uac00" and len(t) > 1)
    parts = []
    if latin:
        parts.append("(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin)) + ")(?![a-z0-9])")
    if pairs:
        parts.append("|".join(pairs))
    if lone:
        parts.append(f"(?<![{_HANGUL}])[{''.join(lone)}](?![{_HANGUL}])")
    return re.compile("|".join(parts)) if parts else None


def find_spans(text: str, wanted) -> list[tuple[int, int]]:
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


def make_snippet(text: str, wanted, width: int = WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """Return a one-line passage covering most of the query, and the offsets of its terms in it.

    `wanted` maps each term to the query words (any hashable labels) it stands for; a plain set of
    terms makes each term a word of its own.
    """
    units = wanted if isinstance(wanted, dict) else {term: (term,) for term in wanted}
    pattern = _pattern(frozenset(units))
    norm, offsets = normalise(text)
    matches = [] if pattern is None else [(m.start(), m.end(), m.group()) for m in pattern.finditer(norm)]
    if not matches:
        return _cut(text, 0, width), []
    labels = [_labels(units, found) for _, _, found in matches]
    best, best_score = 0, (-1, -1)
    words: dict = {}  # label -> matches in the window standing for it
    spellings: dict[str, int] = {}
    j = 0
    for i, (start, _, _) in enumerate(matches):
        j = max(j, i)
        while j < len(matches) and matches[j][1] - start <= width - LEAD:
            for label in labels[j]:
                words[label] = words.get(label, 0) + 1
            spellings[matches[j][2]] = spellings.get(matches[j][2], 0) + 1
            j += 1
        if (len(words), len(spellings)) > best_score:
            best, best_score = i, (len(words), len(spellings))
        if j > i:  # the window moves past match i
            for label in labels[i]:
                words[label] -= 1
                if not words[label]:
                    del words[label]
            spellings[matches[i][2]] -= 1
            if not spellings[matches[i][2]]:
                del spellings[matches[i][2]]
    first = matches[best][0]
    start = max(0, (offsets[first] if offsets is not None else first) - LEAD)
    if start:
        # Open at a word boundary when one is near, not mid-word.
        boundary = max(text.rfind(" ", 0, start + 1), text.rfind("\n", 0, start + 1))
        if boundary >= 0 and start - boundary < 20:
            start = boundary + 1
    lead, core, tail = _pieces(text, start, width)
    # The spans of the passage itself, past the opening ellipsis (which NFKC would make three dots).
    return lead + core + tail, [(a + len(lead), b + len(lead)) for a, b in find_spans(core, units)]


def _labels(units: dict, found: str) -> tuple:
    """Return the query words a matched spelling stands for."""
    if found in units:
        return tuple(units[found])
    return tuple(units.get(fold(found), ()))


def _cut(text: str, start: int, width: int) -> str:
    """Return text[start:] flattened to one line and cut at a word boundary, with ellipses."""
    return "".join(_pieces(text, start, width))


def _pieces(text: str, start: int, width: int) -> tuple[str, str, str]:
    """Return the opening ellipsis (or ""), text[start:] flattened and cut at a word boundary, and the closing one."""
    end = start + width
    piece = text[start:end]
    if end < len(text):
        space = piece.rfind(" ")
        if space > width * 2 // 3:
            piece = piece[:space]
    return ("…" if start else ""), " ".join(piece.split()), ("…" if end < len(text) else "")
