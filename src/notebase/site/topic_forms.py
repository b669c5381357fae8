"""How a concept's name is written in notes: its words, Korean particles and plurals, spacings, acronyms.

topics.py builds its lookup tables from these forms, so `대조 학습을`, `대조학습` and `contrastive
learnings` all find one concept.
"""

from __future__ import annotations

import re
import unicodedata

from notebase.search.glossary import PARTICLES, squash

_TOKEN = re.compile(r"[0-9a-z]+|[\uac00-\ud7a3]+")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def tokens(text: str) -> list[str]:
    """Return the words of text as topics are found in it: lowercase runs of a-z0-9 or of Hangul."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def endings(word: str) -> list[str]:
    """The ways a term's last word may end in a note: as it is, with a Korean particle, plural."""
    if HANGUL.search(word[-1:]):
        return [word] + [word + p for p in PARTICLES]
    if word[-1:].isalpha():
        forms = [word, word + "s", word + "es"]
        if word.endswith("y"):
            forms.append(word[:-1] + "ies")
        return forms
    return [word]


_PARTICLE_SET = frozenset(PARTICLES)
_LONGEST_PARTICLE = max(map(len, PARTICLES))


def name_forms(name: str) -> list[str]:
    """The forms a typed topic name is looked up by: squashed, then without a particle or a plural s."""
    folded = squash(name)
    forms = [folded]
    forms += [folded[: -len(p)] for p in PARTICLES if folded.endswith(p) and len(folded) > len(p) + 1]
    forms += [folded[:-1]] if folded.endswith("s") and len(folded) > 3 else []
    return forms


def stems(word: str) -> list[str]:
    """The word without an ending a note may have put on a term's last word: a particle, a plural."""
    if HANGUL.match(word[-1:]):
        return [word[:-k] for k in range(_LONGEST_PARTICLE, 0, -1)
                if len(word) > k + 1 and word[-k:] in _PARTICLE_SET]
    stems = []
    if word.endswith("ies") and len(word) > 4:
        stems.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        stems.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        stems.append(word[:-1])
    return stems


def spacings(words: list[str], korean: bool) -> list[list[str]]:
    """The ways a term's words may be spaced: Korean writes 사전 분포 and 사전분포 alike; English, autoencoder."""
    if len(words) == 1:
        return [words]
    joined = "".join(words)
    if not korean or len(words) > 4:
        return [words, [joined]] if len(joined) >= 4 else [words]
    ways = []
    for mask in range(2 ** (len(words) - 1)):  # each gap kept or closed
        parts = [words[0]]
        for gap, word in enumerate(words[1:]):
            if mask >> gap & 1:
                parts[-1] += word
            else:
                parts.append(word)
        ways.append(parts)
    return ways


def is_acronym(term: str) -> bool:
    """A one-word term in capitals (GAN): it names the concept only when written in capitals."""
    return bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", term.strip()))
