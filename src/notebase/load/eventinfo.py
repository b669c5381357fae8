"""A conference log's event and dates as its title and text state them, and a paper's title unwrapped."""

from __future__ import annotations

import datetime as dt
import re

from notebase.load.dates import NUMERIC, DateError, parse_date
from notebase.load.notetype import CONFERENCE_TITLE_WORDS
from notebase.load.citations import VENUE_YEAR

# Words a trip report wraps around the event's name: `ICML 2014 후기`, `PLDI 2025 trip report`.
# Each of these starts only where a run of spaces starts and takes runs whole: `\s*` retried inside
# a long run of spaces, around an optional separator, was cubic (2,000 spaces in a title: 80 s).
_TRIP_WORDS = re.compile(
    r"(?<!\s)\s*+(?:참관\s?후기|참석\s?후기|참관기|참석기|방문기|여행기|후기|정리|요약|리뷰|다녀온\s?이야기|다녀와서|다녀온|"
    r"(?:에\s?)?다녀왔(?:습니다|어요|다)|(?:을|를)\s?기다리며|"
    r"발표\s?자료|발표\s?슬라이드|trip\s?report|recap|review|notes?|summary|highlights|slides|"
    r"(?:day|데이)\s?\d{1,2}|\d{1,2}\s?일차|첫째\s?날|둘째\s?날|셋째\s?날)\s*+$",
    re.I,
)
_LEAD_SEPARATORS = " -–—:|·,/"
_BRACKET = re.compile(r"\s{0,3}\[([^\[\]\n]{2,60})\]")
_NAME_YEAR = re.compile(r"[A-Za-z][\w&.\-]{1,30}(?: [A-Za-z][\w&.\-]{1,30}){0,2} (?:19|20)\d{2}(?= \S)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# `2014/4/7 ~ 2014/4/8`, `2024.06.26-28`, `2024년 6월 26일~28일`, `2024.06.30 ~ 07.02`.
_NUMERIC_RANGE = re.compile(
    rf"(?P<first>{NUMERIC.pattern})\s{{0,3}}[~–—-]\s{{0,3}}"
    r"(?P<second>(?:19|20)\d{2}\s{0,2}(?:[-./]|년)\s{0,2}\d{1,2}\s{0,2}(?:[-./]|월)\s{0,2}\d{1,2}"
    r"|\d{1,2}\s{0,2}(?:[-./]|월)\s{0,2}\d{1,2}(?!\d)|\d{1,2}(?!\d))"
)
_ENGLISH_RANGE = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s{1,3}(?P<d1>\d{1,2})"
    r"\s{0,3}[~–—-]\s{0,3}(?P<d2>\d{1,2}),?\s{1,3}(?P<year>(?:19|20)\d{2})\b", re.I)
# What wraps a paper's title in a review's title: `[논문 리뷰]`, `[2017]`, `Note:`, `(… 논문 설명)`, `… 요약`.
_TITLE_WRAPPERS = (
    re.compile(r"^\s*\[[^\]\n]{1,40}\]\s*"),
    # `(KOR) KR-BERT: …`, `(EN) …`: the language the review is written in.
    re.compile(r"^\s*\((?:kor?|kr|eng?|korean|english|한글|한국어|영어|국문|영문)\)\s*", re.I),
    re.compile(r"^\s*+(?:note|notes|review|paper review|논문\s?리뷰|논문\s?정리|논문\s?요약|paper|summary)\s*+[:|\-–—]\s*",
               re.I),
    re.compile(r"(?<!\s)\s*+\((?:[^()\n]{0,40}\s)?(?:논문|paper)[^()\n]{0,20}\)\s*+$", re.I),
    re.compile(r"(?<!\s)\s*+[-–—:|]?\s*+(?:논문\s?)?(?:리뷰|요약|정리|설명)\s*+$"),
    re.compile(r"(?<!\s)\s*+[-–—:|]\s*+(?:paper\s)?(?:review|summary|notes?)\s*+$", re.I),
    # `… Learners review`: a lowercase word after the title (a paper that is a review capitalises it).
    re.compile(r"(?<=[\w)])(?<!\ba)(?<!\bA)(?<!\ban)(?<!\bAn)(?<!\bthe)(?<!\bThe)(?<!literature)(?<!systematic)\s++(?:paper\s)?"
               r"(?:review|summary|notes)\s*+$"),
    VENUE_YEAR,
)


def event_name(title: str, year: int | None = None) -> str:
    """Return the event a trip report's title names, trip words removed, with its year."""
    name = title.strip()
    bracket = _BRACKET.match(name)  # `[2022 피로컨퍼런스] 발표 제목`: the event, then its talk
    label = bracket is not None and not _TRIP_WORDS.sub("", bracket[1]).strip(_LEAD_SEPARATORS)  # `[후기] …`
    if bracket and not label and (_YEAR.search(bracket[1]) or any(w in bracket[1].lower() for w in CONFERENCE_TITLE_WORDS)):
        name = bracket[1].strip()
    elif bracket and _YEAR.search(name, bracket.end()):  # `[인프콘] INFCON 2022 …`: a label, then the event
        name = name[bracket.end():].strip()
    for _ in range(3):
        stripped = _TRIP_WORDS.sub("", name).strip(_LEAD_SEPARATORS)
        if stripped == name or not stripped:
            break
        name = stripped
    head, dash, _ = name.partition(" - ")  # `우아한 테크 세미나 - React Query`: the event, then its talk
    if dash and (_YEAR.search(head) or any(w in head.lower() for w in CONFERENCE_TITLE_WORDS)):
        name = head.strip()
    elif m := _NAME_YEAR.match(name):  # `FEConf 2020 OpenAPI로 …`: a talk's title after the event's year
        name = m[0]
    if year and not _YEAR.search(name):
        name = f"{name} {year}"
    return name


def date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day of a range written in text, or (None, None)."""
    # Only lines with a range mark and a year can hold one: cheap tests before the costly pattern.
    text = "\n".join(line for line in text.split("\n") if ("~" in line or "-" in line or "–" in line or "—" in line)
                     and ("19" in line or "20" in line))
    if not text:
        return None, None
    m = _NUMERIC_RANGE.search(text)
    if m:
        try:
            first = parse_date(m["first"])
        except DateError:
            first = None
        if first is not None:
            second = _second(first, m["second"])
            if second is not None and second >= first:
                return first, second
    m = _ENGLISH_RANGE.search(text)
    if m:
        try:
            first = parse_date(f"{m['month']} {m['d1']}, {m['year']}")
            return first, first.replace(day=int(m["d2"])) if int(m["d2"]) >= first.day else None
        except (DateError, ValueError):
            return None, None
    return None, None


def _second(first: dt.date, text: str) -> dt.date | None:
    digits = [int(d) for d in re.findall(r"\d+", text)]
    try:
        if len(digits) == 3:
            return dt.date(*digits)
        if len(digits) == 2:
            return dt.date(first.year, digits[0], digits[1])
        if len(digits) == 1:
            return first.replace(day=digits[0])
    except ValueError:
        return None
    return None


def unwrap_paper_title(title: str) -> str:
    """Return a review's title without its wrappers: `[논문 리뷰] X (… 논문 설명)` gives `X`."""
    text = title
    for _ in range(3):
        before = text
        for pattern in _TITLE_WRAPPERS:
            stripped = pattern.sub("", text).strip()
            if stripped:
                text = stripped
        if text == before:
            break
    # `YOLO v1 Review`: a short name then the post's own word, capitalised as titles are.
    name, _, last = text.rpartition(" ")
    if last == "Review" and 1 <= len(name.split()) <= 3 \
            and name.split()[-1].lower() not in ("literature", "systematic", "a", "an", "the"):
        text = name
    return text
