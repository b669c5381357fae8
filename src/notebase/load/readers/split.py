"""Split logs and digests into items: TIL date logs, [S1] newsletters, presenter digests, H2s."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from notebase.load.classify import atx_heading, category_name, is_category_line
from notebase.load.dates import date_only_line
from notebase.load.extract import VENUES, is_korean_name
from notebase.load.citations import citation_parts
from notebase.render.plaintext import mask_code
from notebase.load.readers.digest_rows import digest_rows

SPLIT_MODES = ("auto", "none", "date", "marker", "presenter", "heading", "papers", "rows", "citations")

# Titles run to the end of the line and are stripped after: `(\S.*?)\s*$` retried its trailing
# `\s*` at every position of a long line (a 20 KB `[S1]` line).
_MARKER = re.compile(r"^\s*\[(?P<marker>[A-Z]{1,3}\d{1,3})\]\s*(?P<title>\S.*)")
_PRESENTER = re.compile(r"^\s{0,3}(?:#{1,6}\s*)?(?P<name>[^\s:,#•\-*][^:,]{0,30}?)\s?[:,]\s?(?P<title>\S.*)")
_GLUED = re.compile(r"(?<=[.!?)다됨음함])\s+(?P<name>[\uac00-\ud7a3]{3})\s?[:,]\s?(?P<title>[A-Za-z][^\uac00-\ud7a3]{8,})$")
_PAPER_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})|doi\.org/(10\.\d{4,9}/[^\s)\]\"'>]{1,200})", re.I)
_PAPER_LINE = re.compile(r"^\s{0,4}[-*+]?\s{0,3}(?:\*\*)?(?:paper|논문|논문 원문|원문)(?:\*\*)?\s{0,2}[:：]\s{0,3}"
                         r"[^\n]{0,300}?(?:https?://|\]\()", re.I | re.M)
_ANCHOR = re.compile(r"<a\s[^>\n]{0,200}>\s*</a>|<[^>\n]{1,200}>", re.I)
_ITEM_NUMBER = re.compile(r"\s*\[\d{1,3}\]\s*$")
_REFERENCES = re.compile(r"^\s*(?:#{1,6}\s*)?(?:references|참고\s?문헌|참고\s?자료|footnotes|각주|출처)\s*:?\s*$", re.I)
_REF_ITEM = re.compile(r"^\s*(?P<n>\d{1,3})[.)]\s+(?P<text>\S.*)$")
# Starts only where a run of spaces starts, and takes runs whole: retried inside a 20 KB run of
# spaces, the leading `\s*` was quadratic.
_TITLE_VENUE = re.compile(
    rf"(?<!\s)\s*+(?:\((?:[^()]*\b(?:{VENUES})\b[^()]*)\)|,\s*+(?:{VENUES})\s*+,?\s*+(?:19|20)\d{{2}})\s*+[,.]?\s*+$")


@dataclass
class Item:
    """One entry cut out of a log or digest: where it starts and what its header said."""

    start: int
    lines: list[str]
    hints: dict = field(default_factory=dict)


def _h2(line: str) -> dict | None:
    """The title of a `## Title` line, as a match's groups, or None (linear: classify.atx_heading)."""
    heading = atx_heading(line)
    return {"title": heading[1]} if heading and heading[0] == 2 else None


def presenter_header(line: str, strict: bool, syllables: tuple[int, ...] = (3,)) -> tuple[str, str] | None:
    """Return (presenter, paper title) when a line opens a presentation digest item.

    strict asks for a Korean name of the given syllable counts and a title in Latin letters.
    """
    m = _PRESENTER.match(line)
    if not m or line.lstrip().startswith(("•", "-", "*", ">")):
        return None
    name, title = m["name"].strip(), m["title"].strip()
    if strict:
        ok = is_korean_name(name) and len(name) in syllables and re.match(r"[A-Za-z0-9\"'(\[]", title)
        if not ok or len(title) > 200:
            return None
    elif len(name.split()) > 4 or len(title) > 300:
        return None
    return name, title


def clean_paper_title(title: str) -> str:
    """Drop escapes, a trailing venue mention and trailing punctuation from a paper title."""
    title = title.replace("\\_", "_").replace("\\", "").strip()
    title = _TITLE_VENUE.sub("", title)
    return title.strip(" ,.;")


def detect(lines: list[str]) -> str:
    """Return the split mode a file's structure asks for, or none."""
    masked = mask_code("\n".join(lines)).split("\n")
    if sum(1 for line in masked if line.lstrip().startswith("[") and _MARKER.match(line)) >= 2:
        return "marker"
    # Cheap character tests first: these run on every line of every note.
    colon = [line for line in masked if ":" in line or "," in line]
    heads = sum(1 for line in colon if len(line) < 300 and presenter_header(line, strict=True))
    heads += sum(1 for line in colon if (g := _GLUED.search(line[-300:])) and is_korean_name(g["name"]))
    if heads >= 3:
        return "presenter"
    if len(_paper_sections(masked)) >= 3:
        return "papers"
    if len(_citation_bullets(masked)) >= 3:
        return "citations"
    if digest_rows(masked):
        return "rows"
    dates = sum(1 for line in masked if len(line) < 40 and date_only_line(line))
    if dates >= 3 or (dates >= 2 and len(_category_lines(masked)) >= 2):
        return "date"
    return "none"


def _category_lines(lines: list[str]) -> list[int]:
    names = [category_name(line) if is_category_line(line) else None for line in lines]
    counts = Counter(names)  # counted once, and the next non-blank line found from the end:
    following = [""] * len(lines)  # per line, both were quadratic in a log of many categories
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] if lines[i + 1].strip() else following[i + 1]
    return [i for i, name in enumerate(names) if name and (counts[name] >= 2 or date_only_line(following[i]))]


def split(lines: list[str], mode: str) -> tuple[list[str], list[Item]]:
    """Cut lines into a preamble and items by mode; a mode that finds nothing gives no items."""
    masked = mask_code("\n".join(lines)).split("\n")
    cutter = {"date": _by_date, "marker": _by_marker, "presenter": _by_presenter, "heading": _by_heading,
              "papers": _by_paper_section, "rows": _by_row, "citations": _by_citation}
    if mode not in cutter:
        return lines, []
    items = cutter[mode](lines, masked)
    if not items:
        return lines, []
    preamble = lines[: items[0].start]
    if mode == "date":
        _attach_references(items)
    return preamble, items


def _cut(lines: list[str], starts: list[tuple[int, dict]]) -> list[Item]:
    items = []
    for n, (start, hints) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        items.append(Item(start, lines[start:end], hints))
    return items


def _by_marker(lines: list[str], masked: list[str]) -> list[Item]:
    starts = []
    for i, line in enumerate(masked):
        m = _MARKER.match(line)
        if m:
            starts.append((i, {"marker": m["marker"], "title": clean_paper_title(m["title"]),
                               "paper_title": clean_paper_title(m["title"]), "header_lines": 1}))
    return _cut(lines, starts)


def _by_heading(lines: list[str], masked: list[str]) -> list[Item]:
    starts = [(i, {"title": m["title"], "header_lines": 1})
              for i, line in enumerate(masked) if (m := _h2(line))]
    return _cut(lines, starts)


def _paper_sections(masked: list[str]) -> list[int]:
    """Return the H2 lines that open a digest's paper sections: each links one paper (arXiv or DOI).

    A digest gives most of its sections one paper each; an awesome list's sections link many.
    """
    starts = [i for i, line in enumerate(masked) if line.startswith(("##", " ##", "  ##")) and _h2(line)]
    if len(starts) < 3:
        return []
    found = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(masked)
        section = "\n".join(masked[start:end])
        ids = {m[1] or m[2] for m in _PAPER_ID.finditer(section)} if ("arxiv" in section or "doi" in section) \
            else set()
        if 1 <= len(ids) <= 2 or (not ids and _PAPER_LINE.search(section)):
            found.append(start)
    return found if len(found) >= 3 and len(found) >= 0.6 * len(starts) else []


def paper_heading(title: str) -> str:
    """Return a digest heading's paper title: no HTML anchor, no `[3]` number, no emphasis marks."""
    title = _ANCHOR.sub("", title) if "<" in title else title
    title = _ITEM_NUMBER.sub("", title).replace("**", "").strip()
    return clean_paper_title(title)


def _by_paper_section(lines: list[str], masked: list[str]) -> list[Item]:
    starts = []
    for i in _paper_sections(masked):
        title = paper_heading(_h2(masked[i])["title"])
        starts.append((i, {"title": title, "paper_title": title, "header_lines": 1, "type": "paper"}))
    return _cut(lines, starts)


def _citation_bullets(masked: list[str]) -> list[tuple[int, str]]:
    """The top-level bullets citing a paper (`* A and B. Title. Venue 2003 http://…`) with notes under them."""
    found = []
    for i, line in enumerate(masked[:-1]):
        if line.startswith(("* ", "- ", "+ ")) and "://" in line and masked[i + 1][:1] in (" ", "\t") \
                and (parts := citation_parts(line)) is not None:
            found.append((i, parts[1]))
    return found


def _by_citation(lines: list[str], masked: list[str]) -> list[Item]:
    # The citation stays as the item's first line: it holds the paper's link and its authors.
    return _cut(lines, [(i, {"title": title, "paper_title": title, "type": "paper", "header_lines": 0})
                        for i, title in _citation_bullets(masked)])


def _by_row(lines: list[str], masked: list[str]) -> list[Item]:
    return [Item(row.start, row.lines, row.hints) for row in digest_rows(lines)]


def _by_presenter(lines: list[str], masked: list[str]) -> list[Item]:
    strict = sum(1 for line in masked if presenter_header(line, strict=True)) >= 3
    lines = list(lines)
    starts: list[tuple[int, dict]] = []
    extra_lines: dict[int, str] = {}
    for i, line in enumerate(masked):
        # Detection needed three-syllable names; once a file is a digest, 2 and 4 syllables count.
        head = presenter_header(line, strict=True, syllables=(2, 3, 4)) if strict \
            else presenter_header(line, strict=False)
        if head:
            starts.append((i, _presenter_hints(*head, header_lines=1)))
            continue
        glued = _GLUED.search(line)
        if glued and is_korean_name(glued["name"]) and starts:
            # The header was pasted onto the end of the previous item's paragraph.
            extra_lines[i] = lines[i][: glued.start()]
            starts.append((i, _presenter_hints(glued["name"], glued["title"], header_lines=1)))
    items = _cut(lines, starts)
    for n, item in enumerate(items[1:], start=1):
        if item.start in extra_lines:
            items[n - 1].lines.append(extra_lines[item.start])
    return items


def _presenter_hints(name: str, title: str, header_lines: int) -> dict:
    paper = clean_paper_title(title)
    return {"presenter": name, "title": paper, "paper_title": paper, "header_title": title,
            "header_lines": header_lines, "type": "paper"}


def _by_date(lines: list[str], masked: list[str]) -> list[Item]:
    categories = set(_category_lines(masked))
    starts: list[tuple[int, dict]] = []
    previous_nonblank = None
    for i, line in enumerate(masked):
        if i in categories:
            starts.append((i, {"category": category_name(line), "type": "tip", "header_lines": 1}))
        elif (when := date_only_line(line)) is not None:
            if starts and starts[-1][0] == previous_nonblank and previous_nonblank in categories:
                # The date right under a category line belongs to that item's header.
                starts[-1][1].update(date=when, header_lines=i - previous_nonblank + 1)
            else:
                starts.append((i, {"date": when, "type": "tip", "header_lines": 1}))
        if line.strip():
            previous_nonblank = i
    return _cut(lines, starts)


def _attach_references(items: list[Item]) -> None:
    """Move a trailing numbered reference list into the items that cite each number."""
    last = items[-1]
    at = next((i for i, line in enumerate(last.lines) if _REFERENCES.match(line)), None)
    if at is None:
        return
    refs = [(int(m["n"]), m["text"]) for line in last.lines[at + 1:] if (m := _REF_ITEM.match(line))]
    if not refs:
        return
    heading = last.lines[at].strip().lstrip("#").strip()
    del last.lines[at:]
    cited: dict[int, list[str]] = {}
    where = (0, 0)
    citations = _citations(items)
    for n, text in refs:
        found = _find_citation(citations, n, where)
        index = found[0] if found else where[0]
        where = found or where
        cited.setdefault(index, []).append(f"{n}. {text}")
    for index, entries in cited.items():
        items[index].lines += ["", heading, ""] + entries


# Footnote numbers lost their superscript: `Moment1는`, `Function(SDF)4에`; they come in order.
_CITATION = re.compile(r"(?<=[A-Za-z\uac00-\ud7a3)\]])([0-9]{1,3})(?=[\uac00-\ud7a3\s,.:;)]|$)")


def _citations(items: list[Item]) -> dict[int, list[tuple[int, int, int]]]:
    """Every footnote number cited in the items: number -> [(item, start, end)], in text order.

    Found in one pass: searching every item again for each of 5,000 references was quadratic.
    """
    found: dict[int, list[tuple[int, int, int]]] = {}
    for index, item in enumerate(items):
        for m in _CITATION.finditer("\n".join(item.lines)):
            if m[1] == str(int(m[1])):  # `Moment01` cites nothing: numbers are written without zeros
                found.setdefault(int(m[1]), []).append((index, m.start(), m.end()))
    return found


def _find_citation(citations: dict[int, list[tuple[int, int, int]]], n: int,
                   after: tuple[int, int]) -> tuple[int, int] | None:
    """Where number n is next cited at or after `after` (item, offset): (item, end of the number)."""
    places = citations.get(n, ())
    at = bisect_left(places, (after[0], after[1], -1))
    return (places[at][0], places[at][2]) if at < len(places) else None