"""A weekly paper digest: week headings, then one table row or list item per paper, each linking it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from notebase.load.dates import find_date

_WEEK = re.compile(r"^\s{0,3}#{2,4}\s{1,4}\S?.{0,10}?(?:week\s?\d{1,3}|\bw\d{1,3}\b|\d{1,3}\s?주차|\d{1,2}월\s?\d주|"
                   r"(?:19|20)\d{2}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2})", re.I)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_ROW = re.compile(r"^\s{0,3}\|(?P<cells>.{1,3000})\|\s*$")
_RULE_ROW = re.compile(r"^\s{0,3}\|[\s:|\-]{1,500}\|\s*$")
_ITEM = re.compile(r"^(?P<indent>\s{0,3})(?:[-*+]|\d{1,3}[.)])\s{1,4}(?P<text>\S.{0,3000})$")
_PAPER = re.compile(r"arxiv\.org/(?:abs|pdf)/\d{4}\.\d{4,5}|doi\.org/10\.\d{4,9}/|openreview\.net/(?:forum|pdf)|"
                    r"aclanthology\.org/", re.I)
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{1,300})\]\((?P<url>[^()\s]{1,800})\)")
_GENERIC = {"arxiv", "paper", "pdf", "link", "논문", "원문", "doi", "openreview", "code", "github"}
_PRESENTER_HEADS = {"발표자", "발제자", "presenter", "speaker", "발표", "reviewer", "리뷰어"}


@dataclass
class Row:
    """One paper of a weekly digest: the file line it is on, its text as markdown, what it says."""

    start: int
    lines: list[str]
    hints: dict = field(default_factory=dict)


def _cells(line: str) -> list[str]:
    m = _ROW.match(line)
    return [cell.strip() for cell in m["cells"].split("|")] if m else []


def _title(text: str, cells: list[str]) -> str:
    for m in _LINK.finditer(text):
        if _PAPER.search(m["url"]) and m["text"].strip().lower() not in _GENERIC:
            return m["text"].strip()
    for cell in cells or [text]:
        plain = _LINK.sub(lambda m: m["text"], cell).replace("**", "").strip()
        if len(plain) >= 8 and plain.lower() not in _GENERIC and not plain.isdigit():
            return plain
    return ""


def digest_rows(lines: list[str]) -> list[Row]:
    """Return the paper rows under week headings, or [] when the file is no weekly digest.

    A digest has two or more week headings (`## Week 3`, `## 3주차`, `## 2024-01-08`) and at least
    three rows that each link one paper; a list of links under topic headings is a reading list.
    """
    if sum(1 for line in lines if line.lstrip().startswith("#") and _WEEK.match(line)) < 2:
        return []
    rows: list[Row] = []
    others = 0
    week_date = None
    in_week = False
    header: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _HEADING.match(line):
            in_week = bool(_WEEK.match(line))
            week_date = find_date(line) if in_week else None
            header = []
            i += 1
            continue
        if not in_week or not line.strip():
            i += 1
            continue
        cells = _cells(line)
        if cells and not header and not _PAPER.search(line):
            header = [c.lower().replace("*", "").strip() for c in cells]
            i += 1
            continue
        if _RULE_ROW.match(line):
            i += 1
            continue
        item = None if cells else _ITEM.match(line)
        if not cells and not item:
            i += 1
            continue
        end = i + 1
        if item:  # an item's indented continuation lines belong to it
            while end < len(lines) and lines[end].strip() and lines[end].startswith((" ", "\t")):
                end += 1
        text = "\n".join(lines[i:end])
        if len(set(m[0] for m in _PAPER.finditer(text))) not in (1, 2):
            others += 1
            i = end
            continue
        rows.append(_row(i, lines[i:end], cells, header, week_date))
        i = end
    return rows if len(rows) >= 3 and len(rows) >= 2 * others else []


def _row(start: int, lines: list[str], cells: list[str], header: list[str], week_date) -> Row:
    title = _title("\n".join(lines), cells)
    hints: dict = {"title": title, "paper_title": title, "type": "paper", "header_lines": 0}
    if week_date is not None:
        hints["date"] = week_date
    if cells:
        named = list(zip(header, cells)) if len(header) == len(cells) else [("", c) for c in cells]
        body = [f"- **{name}**: {value}" if name else f"- {value}" for name, value in named if value]
        presenter = next((value for name, value in named if name in _PRESENTER_HEADS and value), None)
        if presenter:
            hints["presenter"] = _LINK.sub(lambda m: m["text"], presenter)
        return Row(start, body, hints)
    return Row(start, [line.strip() if n == 0 else line for n, line in enumerate(lines)], hints)
