"""Dates as researchers write them: parse_date, find_date, date_only_line, date_from_filename."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.load.dates import (
    DateError,
    date_from_filename,
    date_only_line,
    find_date,
    parse_date,
    strip_filename_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-21T22:52", D(2023, 11, 21)),
        ("2023-11-21T22:52:00Z", D(2023, 11, 21)),
        ("2021.04.25", D(2021, 4, 25)),
        ("2023년 11월 24일", D(2023, 11, 24)),
        ("2023년11월24일", D(2023, 11, 24)),
        ("2023. 11. 24.", D(2023, 11, 24)),
        ("Tue, 05 Mar 2024 09:00:00 +0900", D(2024, 3, 5)),
        ("05 Mar 2024 09:00:00 GMT", D(2024, 3, 5)),
        # RFC 822: the date as written is kept, not shifted to UTC.
        ("Tue, 05 Mar 2024 23:30:00 -0900", D(2024, 3, 5)),
        ("2025-04-2 17:00:43 +0900", D(2025, 4, 2)),
        ("2024-1-5", D(2024, 1, 5)),
        ("November 24, 2023", D(2023, 11, 24)),
        ("Nov. 3 2023", D(2023, 11, 3)),
        ("Sept 5, 2021", D(2021, 9, 5)),
        ("march 1st, 2022", D(2022, 3, 1)),
        ("24 Nov 2023", D(2023, 11, 24)),
        ("24 November 2023", D(2023, 11, 24)),
        ("2020/08/07", D(2020, 8, 7)),
        ("  2020/08/07  ", D(2020, 8, 7)),
        (dt.datetime(2022, 5, 6, 23, 59), D(2022, 5, 6)),
        (D(2019, 12, 31), D(2019, 12, 31)),
        (2021, D(2021, 1, 1)),
    ],
)
def test_parse_date_accepts(value, expected):
    result = parse_date(value)
    assert result == expected
    assert type(result) is dt.date


@pytest.mark.parametrize(
    "value",
    ["2023-02-30", "2022-13-01", "2023.04.31", "2024년 2월 30일", "February 30, 2023",
     "31 Apr 2023", "Mon, 31 Feb 2024 09:00:00 +0000"],
)
def test_parse_date_impossible_dates_name_the_value(value):
    with pytest.raises(DateError) as info:
        parse_date(value)
    assert value in str(info.value)
    assert "impossible" in str(info.value)


@pytest.mark.parametrize(
    "value",
    ["hello", "", "   ", "2023-11", "yesterday", "11/24/2023", "24.11.2023", None, True,
     3.5, 1800, ["2023-01-01"], {"date": "2023-01-01"}],
)
def test_parse_date_rejects_garbage(value):
    with pytest.raises(DateError):
        parse_date(value)


def test_date_error_is_value_error():
    with pytest.raises(ValueError, match="not-a-date"):
        parse_date("not-a-date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("작성일: 2023. 11. 24. 오후 3시", D(2023, 11, 24)),
        ("오늘은 2024년 3월 2일 토요일이다.", D(2024, 3, 2)),
        ("Posted on November 24, 2023 by me", D(2023, 11, 24)),
        ("updated 24 Nov 2023.", D(2023, 11, 24)),
        # The earliest date in the text wins, whatever its shape.
        ("see Nov 3, 2022 and then 2021-01-01", D(2022, 11, 3)),
        ("first 2021-01-01 then Nov 3, 2022", D(2021, 1, 1)),
        # An impossible date is skipped, the next real one is taken.
        ("2023-02-30 was a typo for 2023-03-01", D(2023, 3, 1)),
        ("version 1.2.3 with no date", None),
        ("build 12023.01.01", None),
        ("", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024.02.03", D(2024, 2, 3)),
        ("  2024.02.03.  ", D(2024, 2, 3)),
        ("2024-02-03", D(2024, 2, 3)),
        ("2023년 11월 24일", D(2023, 11, 24)),
        ("November 24, 2023", D(2023, 11, 24)),
        ("24 Nov 2023", D(2023, 11, 24)),
        ("2024.02.03 회의 메모", None),
        ("Meeting on 2024-02-03", None),
        ("#2024.02.03", None),
        ("2023-02-30", None),
        ("", None),
        ("그냥 문장입니다.", None),
    ],
)
def test_date_only_line(line, expected):
    assert date_only_line(line) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2024-01-15-x", D(2024, 1, 15)),
        ("2024-01-15_회의록", D(2024, 1, 15)),
        ("2024.01.15 notes", D(2024, 1, 15)),
        ("2024-01-15", D(2024, 1, 15)),
        ("2024-13-01-x", None),
        ("2023-02-30-x", None),
        ("20240115", D(2024, 1, 15)),
        ("20240115-seminar", D(2024, 1, 15)),
        ("2024_01_15", D(2024, 1, 15)),
        ("202401150", None),
        ("2024-1-5-x", D(2024, 1, 5)),  # Jekyll reads one-digit months and days too
        ("2024-01-15x", None),
        ("notes-2024-01-15", None),
    ],
)
def test_date_from_filename(stem, expected):
    assert date_from_filename(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [("2024-01-15-my-note", "my-note"), ("2024-01-15_회의록", "회의록"), ("plain-note", "plain-note"),
     ("2024-01-15", "2024-01-15")],
)
def test_strip_filename_date(stem, expected):
    assert strip_filename_date(stem) == expected
