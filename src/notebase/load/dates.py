"""Dates as researchers write them: ISO, dotted, Korean, RFC 822 and English month names."""

from __future__ import annotations

import datetime as dt
import functools
import re
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Year, month, day with -, ., / or 년/월/일 between them: 2021.04.25, 2023년 11월 24일, 2025-04-2.
NUMERIC = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:(?P<s>[-./])|년)\s*(?P<m>\d{1,2})\s*(?:(?P=s)|월)\s*"
    r"(?P<d>\d{1,2})(?!\d)(?:\s*일)?"
)
# November 24, 2023 / Nov. 24 2023 / December.18 , 2023 / Oct. 15. 2023 / 24 Nov 2023
ENGLISH = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})(?:\.\s{{0,3}}|\s{{1,3}})(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s{{0,3}}[,.]?\s{{1,3}}"
    rf"(?P<y1>(?:19|20)\d{{2}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>(?:19|20)\d{{2}}))\b",
    re.IGNORECASE,
)
# A weekday after a date heading: `2024년 12월 11일 수요일`, `(수)`, `Wednesday`.
_WEEKDAY = (r"(?:\s{0,3}[,(]?\s{0,2}(?:[월화수목금토일](?:요일)?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?)"
            r"\)?)?")
_RFC822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")


class DateError(ValueError):
    """A value that is not a date, or names a day that does not exist."""


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"impossible date '{raw}': {exc}") from None


def parse_date(value: object) -> dt.date:
    """Read a date from a front-matter value; raise DateError saying why it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return dt.date(value, 1, 1)
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"cannot read date {value!r}")
    raw = value.strip()
    m = NUMERIC.match(raw)
    if m:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), raw)
    if _RFC822.match(raw) and ":" in raw:
        try:
            return parsedate_to_datetime(raw).date()
        except (TypeError, ValueError) as exc:
            raise DateError(f"impossible date '{raw}': {exc}") from None
    m = ENGLISH.match(raw)
    if m:
        return _from_english(m, raw)
    raise DateError(f"cannot read date '{raw}'")


def _from_english(m: re.Match, raw: str) -> dt.date:
    month = (m["m1"] or m["m2"]).lower().rstrip(".")
    day = m["d1"] or m["d2"]
    year = m["y1"] or m["y2"]
    return _make(int(year), _MONTHS[month], int(day), raw)


def find_date(text: str) -> dt.date | None:
    """Return the first real date written anywhere in text, or None."""
    best: tuple[int, dt.date] | None = None
    for pattern in (NUMERIC, ENGLISH):
        if best is not None and best[0] == 0:
            break  # no date can start before the first character
        for m in pattern.finditer(text):
            try:
                found = _make(int(m["y"]), int(m["m"]), int(m["d"]), m[0]) if pattern is NUMERIC \
                    else _from_english(m, m[0])
            except DateError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), found)
            break
    return best[1] if best else None


# `2022 10 18`: spaces between year, month and day, trusted only where a date stands alone.
_SPACED = re.compile(r"(?<!\d)((?:19|20)\d{2}) (\d{2}) (\d{2})(?!\d)")
# A date alone on a line, perhaps as a heading, in bold, after `TIL`, or followed by its weekday.
DATE_LINE = re.compile(
    rf"^\s{{0,3}}(?:#{{1,6}}\s{{1,4}})?(?:\*\*)?(?:(?:til|daily|일지|일기)\s{{1,3}})?"
    rf"(?:(?:{NUMERIC.pattern})\.?|(?:{ENGLISH.pattern})|{_SPACED.pattern})"
    rf"{_WEEKDAY}(?:\*\*)?\s*$",
    re.IGNORECASE,
)


def date_only_line(line: str) -> dt.date | None:
    """Return the date when a line holds a date and nothing else (a TIL log's item marker)."""
    # Every date written has a year 19xx or 20xx: most lines are settled without the pattern.
    if len(line) > 80 or ("20" not in line and "19" not in line):
        return None
    return _date_only(line)


# A log's lines are read several times (to tell how to split it, then to cut its items) and date
# lines repeat: the last few thousand short lines are remembered (a date is immutable).
@functools.lru_cache(maxsize=8192)
def _date_only(line: str) -> dt.date | None:
    if not DATE_LINE.match(line):
        return None
    found = find_date(line)
    if found is None and (m := _SPACED.search(line)):
        try:
            found = _make(int(m[1]), int(m[2]), int(m[3]), m[0])
        except DateError:
            return None
    return found


# YYYY-MM-DD-title and YYYY-M-D-title (Jekyll), YYYY_MM_DD (Logseq journals), YYYY.MM.DD, `YYYY MM DD title`,
# YYYYMMDD-title, and any of them after `TIL` or `daily` (`TIL20221018`).
_FILE_DATE = re.compile(
    r"^(?:(?:til|daily|log|일지|일기)[-_ ]?)?(?P<y>(?:19|20)\d{2})(?:(?P<s>[-._])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
    r"| (?P<m3>\d{2}) (?P<d3>\d{2})|(?P<m2>\d{2})(?P<d2>\d{2}))(?:[-_. ~(]|$)", re.I
)
# `220818`, `240318 분할정복`, `220715_Fri`: YYMMDD, as many Korean notes are named (never a future day).
_YYMMDD = re.compile(r"^(?P<y>\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:[-_. ~(]|$)")


# `22-10-18 화 hashCode().md` in a `2022_10/` folder: a two-digit year the folder spells out.
_SHORT_FILE_DATE = re.compile(r"^(?P<y>\d{2})(?P<s>[-.])(?P<m>\d{2})(?P=s)(?P<d>\d{2})(?:[-_. ]|$)")
_FOLDER_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


# `[201119]Kafka meetup`, `(2022-10-26) 세미나`: the date bracketed at the start of a name.
_BRACKETED = re.compile(r"^[\[(](?P<date>[\d._-]{6,10})[\])][ _-]?")


def date_from_filename(stem: str, folder: str = "") -> dt.date | None:
    """Return the date a `YYYY-MM-DD-`, `YYYY_MM_DD`, `YYYY.MM.DD`, `YYYYMMDD` or `YYMMDD` file name starts
    with (bracketed or not), or a `YY-MM-DD` / `YY.MM.DD` one whose century a year in its `folder` path gives."""
    if stem[:1] in "[(" and (bracketed := _BRACKETED.match(stem)) is not None:
        stem = bracketed["date"]
    m = _FILE_DATE.match(stem)
    if m:
        year, month, day = m["y"], m["m"] or m["m2"] or m["m3"], m["d"] or m["d2"] or m["d3"]
    elif (m := _SHORT_FILE_DATE.match(stem) if folder else None) is not None:
        year = next((y for y in _FOLDER_YEAR.findall(folder) if y[2:] == m["y"]), None)
        if year is None:
            return None
        month, day = m["m"], m["d"]
    elif (m := _YYMMDD.match(stem)) is not None:
        year, month, day = f"20{m['y']}", m["m"], m["d"]
        try:
            if dt.date(int(year), int(month), int(day)) > dt.date.today():
                return None
        except ValueError:
            return None
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def strip_filename_date(stem: str) -> str:
    """Remove a leading date from a file name stem."""
    bracketed = _BRACKETED.match(stem)
    if bracketed is not None and date_from_filename(stem) is not None:
        return stem[bracketed.end():] or stem
    return _FILE_DATE.sub("", stem, count=1) or stem


def folder_date(folder: str) -> dt.date | None:
    """The date the note's own folder is named with (`[221026]DE모임/`, `2022-10-26-seminar/`), if any."""
    name = folder.rstrip("/").rpartition("/")[2]
    return date_from_filename(name, folder.rpartition("/")[0]) if name[:1] in "[(0123456789" else None
