"""How notes cite a paper: reference shapes (bibliography bullets, APA, `Title (A, B)`, a bracketed
title over its authors, `Title; A, B; ICLR 2013`) and author lists, apart from where a note has them."""

from __future__ import annotations

import html
import re

# No character class overlaps its neighbour, so a failed match never backtracks far.
MD_LINK = re.compile(r"!?\[(?P<text>[^\[\]\n]{0,500})\]\((?P<url>[^()\s]{1,800}(?:\([^()\s]{0,100}\)[^()\s]{0,200})?)"
                      r"(?:\s{1,4}\"[^\"\n]{0,200}\")?\)")
_TAG = re.compile(r"<[^>\n]{1,300}>")
_MARKS = re.compile(r"\*\*|__|`|~~")
# `… (EMNLP 2023)`, `(CogSCI 1990)`, `(NeurIPS'22)`, `…, ECCV 2020` after a paper's title: where and when it appeared.
VENUE_YEAR = re.compile(r"(?:(?<!\s)\s*+\((?:[A-Za-z][\w&.\-]{0,20}\s){0,2}[A-Z][\w&.\-]{1,20}(?:\s|\s?')(?:19|20)?\d{2}\)"
                        r"|,\s{0,3}[A-Z][A-Za-z&.\-]{1,20}\s(?:19|20)\d{2})\s*+$")


def clean_text(text: str) -> str:
    """A line's text without markdown marks, HTML tags, entities, escapes or surrounding dashes and colons."""
    text = html.unescape(_TAG.sub("", _MARKS.sub("", text)))
    return " ".join(text.replace("\\", "").split()).strip(" -:|")


_NAME_WORD = re.compile(r"[A-Z][A-Za-z'’\-]{0,30}\.?|and|et|al\.?|&|van|von|de|der|den|da|di|le|la")
_NAMES_END = re.compile(r"(?<![\s.][A-Z])\. ")
_TRAILING_VENUE = re.compile(r"(?:,\s{0,3}[^,\n]{1,60})?,\s{0,3}(?:19|20)\d{2}$")


def cited_paper(line: str) -> tuple[str, str] | None:
    """Return (authors, title) of a line citing a paper near a note's top, in one of the shapes notes use:

    a bibliography bullet (`* A and B. Title. ACL 2003 <url>`), an APA reference (`Kolotouros, N., &
    Black, M. J. (2019). Title. In …`) or a title with its authors after it (`Title (Timo Schick, Jane Yu)`).
    """
    return citation_parts(line) or _apa(line) or _title_then_names(line)


_BRACKETED_TITLE = re.compile(r"\[(?P<title>[^\[\]\n]{8,300})\]")
# The run of spaces must start after a word: a search then never retries from inside it.
_TRAILING_YEAR = re.compile(r"(?<![\s,])[\s,]*\(?(?:19|20)\d{2}[a-z]?\)?\.?$")


def bracketed_citation(lines: list[str], n: int) -> tuple[str, str] | None:
    """(authors, title) when line n is a title in brackets and the next line with text lists its authors:

        [Prioritized Experience Replay]

        Tom Schaul, John Quan and David Silver, Google DeepMind(2015)
    """
    m = _BRACKETED_TITLE.fullmatch(lines[n].strip())
    if m is None or len(m["title"].split()) < 2:
        return None
    after = next((line.strip() for line in lines[n + 1:n + 3] if line.strip()), "")
    names = _TRAILING_YEAR.sub("", after)
    if "," not in names and " and " not in names or not _all_names(names):
        return None
    if _APA_FIRST.match(names):  # `Silver, D., Lever, G., & Riedmiller, M.`
        return _apa_people(names), m["title"].strip()
    return ", ".join(n for n in split_names(names) if _ORG_WORDS.isdisjoint(n.split())), m["title"].strip()


# Words of an affiliation written among the authors (`…, David Silver, Google DeepMind`).
_ORG_WORDS = frozenset("Google DeepMind OpenAI Microsoft Facebook Meta Amazon Apple NVIDIA Baidu Alibaba Tencent "
                       "Naver Kakao Samsung University Univ. Institute Research Lab Labs Inc Inc. Corp. College".split())


_APA_YEAR = re.compile(r"\s\((?:19|20)\d{2}[a-z]?\)\.\s")
_APA_NAME = re.compile(r"([A-Z][\w'’\-]{1,30}),\s((?:[A-Z]\.\s?){1,3})")
_PERSON = re.compile(r"[A-Z][\w'’\-]{0,30}(?: [A-Z][\w'’\-.]{0,30}){1,3}")  # `Timo Schick`, `Jane Dwivedi-Yu`
_APA_FIRST = re.compile(r"[A-Z][\w'’\-]{1,30},\s(?:[A-Z]\.\s?){1,3}")


def _apa(line: str) -> tuple[str, str] | None:
    m = _APA_YEAR.search(line) if "(" in line and len(line) < 1000 else None
    names = line[:m.start()].strip(" >*-") if m else ""
    if not m or not _APA_FIRST.match(names):
        return None
    title = line[m.end():].split(". ", 1)[0].strip(" .")
    return (_apa_people(names), title) if len(title.split()) >= 3 else None


def _apa_people(names: str) -> str:
    """`Silver, D., Lever, G., & Riedmiller, M.` as `D. Silver, G. Lever, M. Riedmiller`."""
    return ", ".join(f"{initials.strip()} {surname}" for surname, initials in _APA_NAME.findall(names))


def _title_then_names(line: str) -> tuple[str, str] | None:
    line = line.strip()
    at = line.rfind(" (")
    if not line.endswith(")") or at < 8 or len(line) > 1000:
        return None
    title, names = line[:at].strip(), line[at + 2:-1]
    people = [n.strip() for n in names.split(",") if n.strip() and n.strip() not in ("et al", "et al.", "…", "...")]
    words = title.split()
    titled = ":" in title or sum(1 for w in words if w[:1].isupper()) >= 0.6 * len(words)  # not a sentence
    if len(people) >= 2 and all(_PERSON.fullmatch(n) for n in people) and len(words) >= 3 and titled:
        return ", ".join(people), title
    return None


def title_citation(title: str) -> tuple[str, tuple[str, ...]] | None:
    """Return (paper title, authors) of a post titled as a citation: `Title; A, B, C; ICLR 2013` or
    `Title, LoBue and Yates, ACL 2011`; None for any other title."""
    parts = [p.strip() for p in title.split(";")]
    if len(parts) >= 2 and len(parts[0].split()) >= 3 and _all_names(parts[1]):
        return parts[0], split_names(parts[1])
    rest = VENUE_YEAR.sub("", title)
    head, comma, names = rest.rpartition(",")
    if rest != title and comma and len(head.split()) >= 3 and _all_names(names):
        return head.strip(), split_names(names)
    return None


_SURNAME = re.compile(r"[A-Z][a-z'’\-]{1,30}|van|von|de|der|da|di|le|la")
_NAMES_YEAR = re.compile(r"(?P<names>[^\d()\n]{2,200}?),?\s{0,3}\(?(?:19|20)\d{2}\)?")


def names_and_year(text: str) -> str | None:
    """The names of an author-year citation (`Wang, de Freitas, Lanctot, 2016`, `Smith and Jones (2019)`), else None."""
    m = _NAMES_YEAR.fullmatch(text.strip())
    if not m or "," not in text and "(" not in text or not _all_names(m["names"]):
        return None
    names = split_names(m["names"])
    # One name alone must look like a surname (`Mnih, 2016`), not a title (`BERT, 2018`, `Deep Residual Learning, 2016`).
    if len(names) == 1 and not (len(names[0].split()) <= 2 and all(_SURNAME.fullmatch(w) for w in names[0].split())):
        return None
    return m["names"]


def _all_names(text: str) -> bool:
    """True for `Tomas Mikolov, Kai Chen` or `LoBue and Yates`: people's names and nothing else."""
    names = split_names(text)
    return bool(names) and all(1 <= len(n.split()) <= 4 and all(_NAME_WORD.fullmatch(w) for w in n.split())
                               for n in names)


def citation_parts(line: str) -> tuple[str, str] | None:
    """Return (authors, title) of a bibliography-style bullet: `* A and B. Title. Venue 2003 http://…`."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or stripped[:2] not in ("* ", "- ", "+ ") or "://" not in line:
        return None
    m = _NAMES_END.search(stripped, 2)  # the first `. ` not after an initial (`Clinton P. McCully`)
    names, rest = (stripped[2:m.start()], stripped[m.end():]) if m else ("", "")
    words = names.replace(",", " ").split()
    if not m or not 2 <= len(words) <= 16 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return None
    title = rest.split(". ", 1)[0].split("://", 1)[0]
    title = title.rsplit(" ", 1)[0] if title.endswith(("http", "https")) else title
    title = _TRAILING_VENUE.sub("", title.strip(" ,.")).strip(" ,.")
    return (names, title) if len(title.split()) >= 2 and len(title) >= 8 else None



# `Feng Liu1* Shiwei Zhang2† Xiaofeng Wang1,3`: affiliation marks end each name.
_AFFILIATION_MARKS = re.compile(r"(?<=[a-z])[\d*†‡§¶]{1,4}(?:,[\d*†‡§¶]{1,4}){0,6}(?=\s|,|$)")


def split_names(value: str) -> tuple[str, ...]:
    """Split an author list written with commas, semicolons, 'and' or '·', dropping et al. and affiliations."""
    value = clean_text(MD_LINK.sub(lambda m: m["text"], value))
    value = _AFFILIATION_MARKS.sub(",", value)
    value = re.sub(r"\([^()]{0,120}\)|\bet\s{1,2}al\.?|\b외\s{0,2}\d{0,3}\s?(?:인|명)?|\s등$", "", value)
    parts = re.split(r"\s*(?:,|;|\band\b|&|·|、)\s*", value)
    return tuple(" ".join(p.strip(" .").split()) for p in parts if p.strip(" .") and len(p.strip()) <= 60)


# `2020_Kawagoe_Levin_Microscopic definitions of anyon data`: ZotFile's `{year}_{authors}_{title}` name.
_ZOTERO_NAME = re.compile(r"(?P<year>(?:19|20)\d{2})_(?P<names>[A-Z][\w'’\-]{1,30}(?:_[A-Z][\w'’\-]{1,30}){0,3})_"
                          r"(?P<title>[^_\n]{8,250})")


def zotero_name(stem: str) -> tuple[int, tuple[str, ...], str] | None:
    """(year, surnames, title) of a note named as Zotero names a paper's file, else None."""
    m = _ZOTERO_NAME.fullmatch(stem)
    if m is None or " " not in m["title"].strip():
        return None
    return int(m["year"]), tuple(m["names"].split("_")), m["title"].strip()
