"""CJK-friendly emphasis: `**대조 학습(CL)**을` is bold, as markdown-it-cjk-friendly makes it.

CommonMark decides whether `**` can open or close by what is on either side: punctuation
inside and a letter outside (`**(SAS)**를`, `**45%**를`, `**강조。**이`) makes a closing run
that cannot close, because the rule assumes words are separated by spaces. Korean particles
and Chinese/Japanese text are not. This ports the CommonMark CJK-friendly amendment
(https://github.com/tats-u/markdown-cjk-friendly, specification.md): a CJK character next to
the run counts like punctuation for `*` and `~`. For `_` the amendment keeps CommonMark; we
add one thing it leaves out: a `_` run followed by a CJK character may close
(`__중요__에서`), since a particle follows its word without a space. A `_` run after a CJK
letter still cannot open, so `파일_이름_규칙` stays text, like `snake_case_word`.

Runs next to Latin text only are scanned exactly as CommonMark says.
"""

from __future__ import annotations

import bisect
import unicodedata

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

__all__ = ["cjk_friendly_plugin", "is_cjk"]

# Emoji_Presentation code points that are East Asian Wide (UTS #51 emoji-data.txt): wide, but
# emoji, not CJK. Kept as sorted (first, last) ranges; looked up only for wide characters.
_EMOJI = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF),
    (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F1E6, 0x1F1FF), (0x1F201, 0x1F201),
    (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F), (0x1F232, 0x1F236), (0x1F238, 0x1F23A),
    (0x1F250, 0x1F251), (0x1F300, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F7E0, 0x1F7FF),
    (0x1F90C, 0x1F9FF), (0x1FA70, 0x1FAFF),
)
_EMOJI_STARTS = tuple(first for first, _ in _EMOJI)
# Hangul script characters that are not East Asian Wide (conjoining jamo): CJK all the same.
_HANGUL_NARROW = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))
_QUOTES = frozenset("\u2018\u2019\u201c\u201d")


def _emoji(cp: int) -> bool:
    at = bisect.bisect_right(_EMOJI_STARTS, cp) - 1
    return at >= 0 and cp <= _EMOJI[at][1]


def is_cjk(char: str) -> bool | None:
    """True for a CJK character (wide, full- or half-width and not emoji, or Hangul); None if ambiguous width."""
    cp = ord(char)
    if cp < 0x1100:  # nothing below is CJK (Latin, Greek, Cyrillic, ...): the common case
        return False
    width = unicodedata.east_asian_width(char)
    if width in ("F", "H"):
        return True
    if width == "W":
        return not _emoji(cp)
    if width == "A":
        return None  # decided by what follows it (a variation selector), as the spec says
    return any(first <= cp <= last for first, last in _HANGUL_NARROW)


def _previous_cjk(last: str, two_back: str | None) -> bool:
    if two_back is not None:  # `last` is a variation selector: the character before decides
        cjk = is_cjk(two_back)
        return cjk if cjk is not None else (last == "\ufe01" and two_back in _QUOTES)
    cjk = is_cjk(last)
    return cjk if cjk is not None else "\U000e0100" <= last <= "\U000e01ef"  # ideographic VS


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def scan_delims(src: str, start: int, maximum: int, can_split_word: bool) -> Scanned:
    """Scan the run of `src[start]` markers: can it open, can it close, how long (CJK-friendly)."""
    marker = src[start]
    last = src[start - 1] if start > 0 else " "  # the start of the line counts as a space
    last_main, two_back = last, None
    if "\ufe00" <= last <= "\ufe0e":  # a text variation selector belongs to the CJK character before it
        two_back = src[start - 2] if start > 1 else " "
        if unicodedata.category(two_back) != "Zs" and _previous_cjk(last, two_back):
            last_main = two_back
        else:
            # Not after a CJK character: read the selector as CommonMark does (the amendment would
            # count `§` + selector as punctuation, which changes Latin text; we keep CommonMark).
            two_back = None
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    count = pos - start
    following = src[pos] if pos < maximum else " "  # so does the end of the line

    last_space, next_space = isWhiteSpace(ord(last_main)), isWhiteSpace(ord(following))
    if last_space or next_space:
        return Scanned(not next_space, not last_space, count)
    last_punct, next_punct = _punct(last_main), _punct(following)
    next_cjk = bool(is_cjk(following))
    if not can_split_word:  # `_`: CommonMark, plus "a CJK character after the run may close it"
        return Scanned(last_punct, next_punct or next_cjk, count)
    either_cjk = next_cjk or _previous_cjk(last, two_back)
    return Scanned(last_punct or either_cjk or not next_punct,
                   next_punct or either_cjk or not last_punct, count)


class CjkStateInline(StateInline):
    """The inline parser state with the CJK-friendly delimiter scan (used by `*`, `_` and `~~`)."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:  # noqa: N802, N803 -- markdown-it's names
        """As StateInline.scanDelims, with a CJK character beside the run counting as the spec says."""
        return scan_delims(self.src, start, self.posMax, canSplitWord)


def cjk_friendly_plugin(md) -> None:
    """Make `md` scan emphasis delimiters CJK-friendly (every inline parse, footnotes included)."""
    inline = md.inline

    def parse(src, md, env, tokens):
        # ParserInline.parse with our state class: every rule that calls md.inline.parse gets it.
        state = CjkStateInline(src, md, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse
