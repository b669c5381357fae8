"""The date a note states in its own text: a date heading, a property line, a byline, prose."""

from __future__ import annotations

import datetime as dt
import re

from notebase.load.dates import DateError, date_only_line, find_date, parse_date
from notebase.render.plaintext import mask_code

# `날짜: 2020년 10월 18일`, `**작성일**: 2024-09-15`, `- date:: [[Sep 23rd, 2020]]`: the day the note was
# written. `일시` (when a meeting or talk took place) only counts when no written date exists.
_WRITTEN = ("날짜", "작성일", "작성일자", "작성 날짜", "작성날짜", "등록일", "게시일", "date", "created",
            "created at", "written", "posted", "published", "creation date", "date created")
_HELD = ("일시", "when", "일자")
_UPDATED = re.compile(r"\b(?:last\s{1,3})?updated(?:\s{1,3}on)?\s{0,3}:?|최종\s?수정(?:일)?\s{0,3}:?", re.I)
_PROPERTY = re.compile(
    r"^\s{0,4}(?:[-*•]\s{1,4})?(?:\*\*|__)?\s{0,2}(?:[^\w\s]{1,3}\s{0,2})?(?P<key>[\w가-힣][\w가-힣 _\-]{0,18}?)"
    r"\s{0,2}(?:\*\*|__)?\s{0,2}(?:::?|：|\s)\s{0,4}(?:\*\*|__)?\s{0,2}(?P<value>\S.{0,80})$"
)
_STRIP_VALUE = re.compile(r"\[\[|\]\]|\*\*|__|`")
# What never carries the note's own date: links to other notes, shell assignments, navigation.
_NOISE = re.compile(r"!?\[\[[^\]\n]{0,300}\]\]|!?\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)|https?://\S{1,500}"
                    r"|\b[A-Za-z_][A-Za-z0-9_]{0,40}=\S{1,80}")
_NAV = ("←", "→", "«", "»", "‹", "›", "이전 글", "다음 글", "previous", "next post", "older", "newer")
HEAD_LINES = 15


def _property_date(line: str, keys: tuple[str, ...]) -> dt.date | None:
    if len(line) > 200:
        return None
    m = _PROPERTY.match(line)
    if not m or m["key"].strip().lower().replace("_", " ").replace("-", " ") not in keys:
        return None
    value = _STRIP_VALUE.sub("", m["value"]).strip()
    try:
        return parse_date(value)
    except DateError:
        return find_date(value)


def stated_date(lines: list[str], byline: str | None = None) -> dt.date | None:
    """Return the date a note's own header states: a byline, a date line or heading, a property line.

    Date lines count near the top only; property lines anywhere in the first or last lines (a
    `작성일:` often closes a log). Code is never read.
    """
    if byline:
        found = find_date(byline)
        if found:
            return found
    masked = mask_code("\n".join(lines)).split("\n") if any("`" in line or "~~~" in line for line in lines) \
        else lines
    seen = 0
    for line in masked:
        if not line.strip():
            continue
        seen += 1
        if seen > 8:
            break
        found = date_only_line(line) or (find_date(line) if line.startswith("# ") else None)
        if found:
            return found  # a date alone on a line, or in the title heading (`# Day 2 – September 9, 2026: …`)
    ends = masked[:40] + (masked[-20:] if len(masked) > 40 else [])
    for keys in (_WRITTEN, _HELD):
        for line in ends:
            found = _property_date(line, keys)
            if found:
                return found
    for line in ends:  # `Last updated on Apr. 12, 2023`: when nothing says when it was written
        m = _UPDATED.search(line) if len(line) < 200 else None
        if m and (found := find_date(line[m.end():])):
            return found
    return None


def prose_date(lines: list[str]) -> dt.date | None:
    """Return a date written in the first lines of prose: a guess, never from code, links or commands."""
    masked = mask_code("\n".join(lines[:60])).split("\n")
    kept = []
    for line in masked:
        if not line.strip():
            continue
        low = line.lower()
        if any(mark in low for mark in _NAV):
            continue
        kept.append(_NOISE.sub(" ", line) if ("[" in line or "=" in line or "://" in line) else line)
        if len(kept) >= HEAD_LINES:
            break
    return find_date("\n".join(kept))
