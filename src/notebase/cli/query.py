"""Filter and order entries for browsing: by type, tag and date range."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from notebase.load.dates import DateError, parse_date
from notebase.load.entries import parse_type
from notebase.model import Entry, EntryType

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})[-./](\d{1,2})\s*$")


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a YYYY, YYYY-MM or full date means; raise DateError."""
    m = _YEAR.match(value) or _MONTH.match(value)
    if m and int(m[1]) < 1:
        raise DateError(f"impossible year '{value}': years start at 0001")
    m = _YEAR.match(value)
    if m:
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    m = _MONTH.match(value)
    if m:
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise DateError(f"impossible month '{value}': month must be in 1..12")
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = parse_date(value)
    return day, day


def entry_type(value: str) -> EntryType:
    """Return the type a name or alias means; raise ValueError naming the choices."""
    found = parse_type(value)
    if found is None:
        raise ValueError(f"unknown type '{value}': use paper, conference or tip")
    return found


def select(entries: Iterable[Entry], *, type_: EntryType | None = None, tag: str | None = None,
           since: dt.date | None = None, until: dt.date | None = None) -> list[Entry]:
    """Return matching entries, newest first, ties by title."""
    from notebase.site.tags import tag_key, with_ancestors

    wanted = tag_key(tag) if tag else None
    chosen = [
        e for e in entries
        if (type_ is None or e.type is type_)
        and (wanted is None or any(wanted in with_ancestors(tag_key(t)) for t in e.tags))
        and (since is None or e.date >= since)
        and (until is None or e.date <= until)
    ]
    return sorted(chosen, key=lambda e: (-e.date.toordinal(), e.title.lower(), e.id))
