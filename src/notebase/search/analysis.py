"""The Korean/English analyzer, shared by the index, the query parser and the site's search.

The rules are few and exact so that a JavaScript port can reproduce them token for token:

1. Normalise the text with NFKC and lowercase it.
2. Split it into runs of Hangul syllables (U+AC00-U+D7A3) and runs of ASCII letters and digits
   [a-z0-9]; every other character separates runs (so `accuracy를` is `accuracy` + `를`).
3. A Hangul run of one syllable is one token; a longer run gives its overlapping bigrams
   (`논문에서` -> `논문`, `문에`, `에서`), so `논문` finds `논문에서` without a dictionary.
4. A Latin/digit run is one token. Tokens of one character and stop words are dropped
   (`STOP_WORDS`); positions count the tokens kept.
5. One letter followed by `++` or `#` (and no letter or digit after) is a token with them:
   `C++`, `C#`, `F#`, `g++` are words people search for.

Each token carries its position and its start and end offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# English function words, Korean one-syllable particles and endings, and particle bigrams
# that only glue words together. Kept short: every word here is unsearchable.
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her his how
    i if in into is it its may me my no not of on or our she should so than that the their them then
    there these they this those to too was we were what when where which who why will with would you
    your 을 를 이 가 은 는 의 에 와 과 도 로 만 에서 으로 하는 하고 했다 합니다 입니다 있는 있다""".split()
)
_LANGUAGE = r"[a-z](?:\+\+|#)(?![a-z0-9])"  # rule 5; a longer run never ends in it (runs are greedy)
_RUN = re.compile(rf"[\uac00-\ud7a3]+|{_LANGUAGE}|[a-z0-9]+")
LATIN_TERM = re.compile(rf"{_LANGUAGE}|[a-z0-9]{{2,}}")  # the Latin tokens alone, for counting them in one scan


@dataclass(frozen=True)
class Token:
    """One analysed term with its position and its offsets in the original text."""

    text: str
    pos: int
    start: int
    end: int


def normalise(text: str) -> tuple[str, list[int] | None]:
    """NFKC + lowercase, with a map back to original offsets when the length changes."""
    norm = unicodedata.normalize("NFKC", text).lower()
    if len(norm) == len(text):
        return norm, None
    offsets: list[int] = []
    out = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).lower()
        out.append(piece)
        offsets.extend([i] * len(piece))
    offsets.append(len(text))
    return "".join(out), offsets


def spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (term, start, end) for each token of text, offsets into the original text."""
    norm, offsets = normalise(text)
    stop = STOP_WORDS
    for m in _RUN.finditer(norm):
        run, start = m.group(), m.start()
        if run[0] < "\uac00" or len(run) == 1:
            if (len(run) > 1 or run[0] >= "\uac00") and run not in stop:
                yield (run, start, m.end()) if offsets is None else (run, offsets[start], offsets[m.end() - 1] + 1)
            continue
        for i in range(len(run) - 1):
            term = run[i:i + 2]
            if term in stop:
                continue
            at = start + i
            yield (term, at, at + 2) if offsets is None else (term, offsets[at], offsets[at + 1] + 1)


# The same tokens in one C-level scan: a Latin run, a lone syllable, or a zero-width match at each
# syllable followed by another (every overlapping bigram, in order). Used where offsets are not needed.
_FAST = re.compile(rf"({_LANGUAGE}|[a-z0-9]{{2,}})|[a-z0-9]|(?<![\uac00-\ud7a3])([\uac00-\ud7a3])(?![\uac00-\ud7a3])"
                   r"|(?=([\uac00-\ud7a3]{2}))")


def terms(text: str) -> list[str]:
    """Return the token texts of text, in order, exactly as `tokenize` finds them."""
    norm = unicodedata.normalize("NFKC", text).lower()
    stop = STOP_WORDS
    return [t for t in (a or b or c for a, b, c in _FAST.findall(norm)) if t and t not in stop]


def tokenize(text: str) -> list[Token]:
    """Return the tokens of text by the rules in this module's docstring."""
    return [Token(term, pos, start, end) for pos, (term, start, end) in enumerate(spans(text))]


