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
6. An English plural folds to its singular (`fold`): `transformers` is `transformer`, `losses`
   `loss`, `studies` `study`, `batches` `batch`, `gpus` `gpu`; words in -ss, -is and (past four
   letters) -us, and words of three letters, stay as they are. Both sides fold, so a note's plural and a query's singular meet.

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
# Particles, the plural 들 and endings that follow a Korean word in a query, longest first. A query
# word loses one of them when at least two syllables stay (`모델을` -> `모델`, `학회에서는` -> `학회`),
# so the particle's bigram (`델을`) is not a piece of the word; the glossary tries the same forms.
PARTICLES = tuple(sorted("""을 를 이 가 은 는 의 에 로 와 과 도 만 에서 으로 에게 까지 부터 보다 처럼 이나 이란 란 라는 이라는
    에서는 으로는 에는 와의 과의 에서의 으로의 로의 이다 이고 으로서 로서 하는 하기 하고 하여 해서 한 된 되는 하다 했다
    들 들을 들의 들이 들은 들에 들과 들로 들도 들에서 에서도 에도 으로도 로도 하려면 으려면 려면 하면 하는지 되는지 인지
    는지 하는가 인가 할까 하게 되게 해야 된다 한다 했던 하던""".split(),
                         key=len, reverse=True))
# A query word does not lose 도: it ends many nouns (정확도, 유사도, 신뢰도) and is rarely typed as "also".
QUERY_PARTICLES = tuple(p for p in PARTICLES if p != "도")
_LANGUAGE = r"[a-z](?:\+\+|#)(?![a-z0-9])"  # rule 5; a longer run never ends in it (runs are greedy)
_RUN = re.compile(rf"[\uac00-\ud7a3]+|{_LANGUAGE}|[a-z0-9]+")
LATIN_TERM = re.compile(rf"{_LANGUAGE}|[a-z0-9]{{2,}}")  # the Latin tokens alone, for counting them in one scan
HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


@dataclass(frozen=True)
class Token:
    """One analysed term with its position and its offsets in the original text."""

    text: str
    pos: int
    start: int
    end: int


def fold(term: str) -> str:
    """Return a Latin token's singular by rule 6 (a term that is not a plural comes back as it is)."""
    if len(term) < 4 or term[-1] != "s" or term[-2] in "si" or (term[-2] == "u" and len(term) > 4):
        return term  # 4-letter words in -us fold: gpus, cpus, imus (and thus, plus, which meet nothing)
    if term.endswith("ies") and len(term) > 4:
        folded = term[:-3] + "y"
    elif term.endswith(("sses", "shes", "ches", "xes")):
        folded = term[:-2]
    else:
        folded = term[:-1]
    return term if folded in STOP_WORDS else folded


def surface_forms(term: str) -> list[str]:
    """Return the spellings a text may use for an analysed Latin term: itself and the plurals that fold to it."""
    found = [term] if fold(term) == term else []
    candidates = [term + "s", term + "es"] + ([term[:-1] + "ies"] if term.endswith("y") else [])
    return found + [c for c in candidates if fold(c) == term]


def strip_particle(run: str) -> str:
    """Return a Hangul run without a trailing particle or ending, when two or more syllables stay."""
    for particle in QUERY_PARTICLES:
        if run.endswith(particle) and len(run) >= len(particle) + 2:
            return run[:-len(particle)]
    return run


def normalise(text: str) -> tuple[str, list[int] | None]:
    """NFKC + lowercase, with a map back to original offsets when the length changes."""
    # Most notes are already in NFKC: checking is several times quicker than normalising.
    norm = (text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)).lower()
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
                term = fold(run) if run[-1] == "s" else run
                yield (term, start, m.end()) if offsets is None else (term, offsets[start], offsets[m.end() - 1] + 1)
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
    found = [t for t in (a or b or c for a, b, c in _FAST.findall(norm)) if t and t not in stop]
    return [fold(t) if t[-1] == "s" else t for t in found]


def tokenize(text: str) -> list[Token]:
    """Return the tokens of text by the rules in this module's docstring."""
    return [Token(term, pos, start, end) for pos, (term, start, end) in enumerate(spans(text))]


def query_terms(text: str) -> list[str]:
    """Return the terms of a word typed in a query: its Hangul runs lose a trailing particle first."""
    norm = unicodedata.normalize("NFKC", text).lower()
    stripped = HANGUL_RUN.sub(lambda m: strip_particle(m.group()), norm)
    return terms(stripped) or terms(norm)
