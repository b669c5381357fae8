"""One paper, many summaries: paper summaries of the same paper found and grouped.

Two summaries are of one paper when they share an arXiv id, a DOI, or a normalised paper title
(case, spacing and punctuation aside); the groups are joined through any of these, so a summary
with only an arXiv link meets one with only the title when a third has both.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from notebase.model import Entry, EntryType
from notebase.render.urls import PAPER_INDEX
from notebase.slug import first_free, slugify

MIN_TITLE = 10  # characters of a normalised title that say which paper it is ("Attention" alone does not)
PER_PAGE = 100  # papers the index shows on one page; past this, one page a letter
SAME_PAPER_SHOWN = 20  # other summaries of its paper an entry lists
_ARXIV = re.compile(r"(\d{4}\.\d{4,5})(?:v\d{1,2})?")
_DOI = re.compile(r"(10\.\d{4,9}/[^\s?#]{1,200})")
_NOT_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")


@dataclass(frozen=True)
class Paper:
    """A paper and the summaries of it, newest first; `anchor` is its place on the papers index."""

    title: str
    ids: tuple[str, ...]
    anchor: str
    letter: str  # what the index files it under: a-z, a Hangul initial, or "#" (`initial`)
    page: str  # the page of the papers index it is on: the index itself, or its letter's page


# Hangul syllables by initial consonant (19 of them), the doubled ones filed with the plain.
_CHOSEONG = "ㄱㄱㄴㄷㄷㄹㅁㅂㅂㅅㅅㅇㅈㅈㅊㅋㅌㅍㅎ"
_COMPAT = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
LETTERS = "abcdefghijklmnopqrstuvwxyz" + "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ" + "#"  # in the order the index shows them


def initial(title: str) -> str:
    """The letter the papers index files a title under: a-z (accents aside), a Hangul initial, else "#"."""
    first = next((c for c in _sort_key(title) if c.isalnum()), "")
    if "가" <= first <= "힣":
        return _CHOSEONG[(ord(first) - 0xAC00) // 588]
    if "\u1100" <= first <= "\u1112":  # a lone initial consonant, as NFKC leaves one
        return _CHOSEONG[ord(first) - 0x1100]
    first = _COMPAT.get(first, first)
    if "ㄱ" <= first <= "ㅎ" and first in LETTERS:
        return first
    plain = unicodedata.normalize("NFKD", first)[:1]
    return plain if "a" <= plain <= "z" else "#"


def letter_page(letter: str) -> str:
    """The papers index page of one letter (used once the index is too long for one page)."""
    return f"{PAPER_INDEX}{'etc' if letter == '#' else letter}/"


def paper_keys(entry: Entry) -> list[str]:
    """Return what names the paper a summary is about: arxiv:ID, doi:ID, title:normalised title."""
    keys = []
    for link in getattr(entry, "paper_links", ()):
        url = link.url.casefold()
        if (link.kind == "arxiv" or "arxiv.org/" in url) and (m := _ARXIV.search(link.url)):
            keys.append("arxiv:" + m[1])  # an arXiv PDF link names the paper as its abstract page does
        elif (link.kind == "doi" or "doi.org/" in url) and (m := _DOI.search(link.url)):
            keys.append("doi:" + m[1].casefold().rstrip("."))
    title = _NOT_WORD.sub("", unicodedata.normalize("NFKC", getattr(entry, "paper_title", "") or "").casefold())
    if len(title) >= MIN_TITLE:
        keys.append("title:" + title)
    return keys


def group_papers(entries: Sequence[Entry]) -> tuple[tuple[Paper, ...], dict[str, tuple[str, ...]]]:
    """Return every summarised paper once (by title) and, per summary, the other summaries of its paper."""
    summaries = [e for e in entries if e.type is EntryType.PAPER]
    parent = list(range(len(summaries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for n, entry in enumerate(summaries):
        for key in paper_keys(entry):
            if key in first:
                a, b = root(first[key]), root(n)
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = n
    groups: dict[int, list[int]] = {}
    for n in range(len(summaries)):
        groups.setdefault(root(n), []).append(n)
    papers = []
    same: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        ids = tuple(summaries[n].id for n in members)  # entries come newest first, and so do these
        counts = Counter(getattr(summaries[n], "paper_title", "") or summaries[n].title for n in members)
        papers.append((min(counts, key=lambda t: (-counts[t], t)), ids))
        if len(ids) > 1:
            # The first few others, not all: a paper summarised by 4,000 presenters made each page
            # list (and each build hold) every other summary. The papers index lists them all.
            head = ids[:SAME_PAPER_SHOWN + 1]
            for i in ids:
                same[i] = tuple(o for o in head if o != i)[:SAME_PAPER_SHOWN]
    papers.sort(key=lambda p: (_sort_key(p[0]), p[1]))
    # A long index is one page a letter, not numbered pages: a paper added or gone changes its
    # letter's page alone, and a link to a paper's place lasts.
    paged = len(papers) > PER_PAGE
    listed, taken = [], set()
    counters: dict[str, int] = {}
    for title, ids in papers:
        anchor = first_free(slugify(title, limit=60), taken.__contains__, counters)
        taken.add(anchor)
        letter = initial(title)
        listed.append(Paper(title, ids, "p-" + anchor, letter, letter_page(letter) if paged else PAPER_INDEX))
    return tuple(listed), same


def _sort_key(title: str) -> str:
    return unicodedata.normalize("NFKC", title).casefold().lstrip("\"'“‘([ ")
