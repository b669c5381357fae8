"""The search query language: words, "quoted phrases", -exclusions and field filters.

    contrastive learning            any of the words, more matched ranks higher
    "data augmentation"             the words next to each other, in this order
    -gan  -"style transfer"         leave out entries with the word or phrase
    type:paper  tag:GAN  lang:ko    filters: only entries of that type, tag or language
    topic:gan  topic:대조학습        only entries about a concept topic (any of its names, either language)
    year:2022  date:2022-05  date:2021..2022-06  date:2023-11-24  date:2022..
                                    filters on the entry's date (a year, month, day or range)
    -tag:draft                      a negated filter leaves those entries out

Filters narrow the results and never add to the score. Two values for the same field mean
either (`type:paper type:tip`); different fields must all hold. A quoted value keeps spaces
(`tag:"machine learning"`). Errors are `QueryError`s that say what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from notebase.search.analysis import query_terms, terms

FIELDS = ("type", "tag", "topic", "lang", "year", "date")
_LANGS = {"ko": "ko", "korean": "ko", "한국어": "ko", "en": "en", "english": "en", "영어": "en",
          "mixed": "mixed", "혼합": "mixed"}
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)


class QueryError(ValueError):
    """A query that cannot be run, with a message that says how to fix it."""


@dataclass(frozen=True)
class Clause:
    """A word or a quoted phrase as typed, with its analysed terms (a word's without a trailing particle)."""

    text: str
    terms: tuple[str, ...]
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Filter:
    """Entries whose field has one of the values (or, negated, none of them).

    Dates are (first day, last day) pairs; a topic is its name as typed (the engine finds the
    concept, see topic_filters.resolve_topics); other values are lowercase strings.
    """

    field: str
    values: tuple
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: what to rank by and what to filter on."""

    raw: str
    clauses: tuple[Clause, ...]
    filters: tuple[Filter, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        """The clauses that score."""
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        """The clauses that exclude."""
        return tuple(c for c in self.clauses if c.negated)


def _pieces(raw: str) -> list[tuple[str, bool, bool]]:
    """Split a query into (text, quoted, negated) pieces; `field:"a b"` stays one piece.

    A wholly quoted piece is never a filter: `"foo:bar"` searches for that text.
    """
    pieces, i, n = [], 0, len(raw)
    while i < n:
        if raw[i].isspace():
            i += 1
            continue
        negated = raw[i] == "-" and i + 1 < n and not raw[i + 1].isspace()
        start = i + 1 if negated else i
        j = start
        while j < n and not raw[j].isspace() and raw[j] != '"':
            j += 1
        if j < n and raw[j] == '"':
            close = raw.find('"', j + 1)
            if close < 0:
                raise QueryError(f"unbalanced quote at column {j + 1}: {raw[j:][:30]!r} — "
                                 'close the phrase with " or remove the quote')
            if j == start:
                pieces.append((raw[j + 1:close], True, negated))
                i = close + 1
                continue
            if raw[start:j].endswith(":"):
                pieces.append((raw[start:j] + raw[j + 1:close], False, negated))  # field:"a value"
                i = close + 1
                continue
            # a quote inside a word (o"clock): end the word before it
        pieces.append((raw[start:j], False, negated))
        i = j
    return pieces


def parse(raw: str, *, extra: tuple[Filter, ...] = ()) -> Query:
    """Parse a query string; raise QueryError on an empty query or bad syntax."""
    if not raw.strip() and not extra:
        raise QueryError("empty query — type words to search for, or a filter such as type:paper")
    clauses, filters = [], list(extra)
    typed_words = []
    for text, quoted, negated in _pieces(raw):
        m = None if quoted else _FIELD.fullmatch(text)
        if m and not m[2].startswith("//"):
            name, value = m[1].lower(), m[2].strip()
            filters.append(_filter(name, value, negated))
            continue
        if not text:
            continue
        typed_words.append(text)
        # A word loses a trailing particle (모델을 -> 모델); a quoted phrase is searched as written.
        found = tuple(terms(text) if quoted else query_terms(text))
        if found:
            clauses.append(Clause(text, found, phrase=quoted and len(found) > 1, negated=negated))
    if typed_words and not clauses and not filters:
        shown = " ".join(typed_words)
        raise QueryError(f"nothing to search for in {shown!r}: only stop words, single letters or punctuation — "
                         "add a more specific word")
    if not clauses and not filters:
        raise QueryError("empty query — type words to search for, or a filter such as type:paper")
    return Query(raw, tuple(clauses), tuple(_merge(filters)))


def _merge(filters: list[Filter]) -> list[Filter]:
    """Join filters on the same field and sign, so `type:paper type:tip` means either."""
    merged: dict[tuple[str, bool], list] = {}
    for f in filters:
        merged.setdefault((f.field, f.negated), []).extend(f.values)
    return [Filter(field, tuple(dict.fromkeys(values)), negated) for (field, negated), values in merged.items()]


def _filter(name: str, value: str, negated: bool) -> Filter:
    if name not in FIELDS:
        raise QueryError(f"unknown field '{name}:' — use {', '.join(f + ':' for f in FIELDS)}; "
                         f'to search for the text itself, quote it: "{name}:{value}"')
    if not value:
        raise QueryError(f"'{name}:' needs a value — write e.g. {_EXAMPLES[name]}")
    if name == "type":
        from notebase.load.entries import parse_type

        kind = parse_type(value)
        if kind is None:
            raise QueryError(f"unknown type '{value}' — use type:paper, type:conference or type:tip")
        return Filter("type", (kind.value,), negated)
    if name == "lang":
        lang = _LANGS.get(value.lower())
        if lang is None:
            raise QueryError(f"unknown language '{value}' — use lang:ko, lang:en or lang:mixed")
        return Filter("lang", (lang,), negated)
    if name == "tag":
        from notebase.site.tags import tag_key

        return Filter("tag", (tag_key(value),), negated)
    if name == "topic":
        return Filter("topic", (value,), negated)
    return Filter("date", (date_range(value, name),), negated)


_EXAMPLES = {"type": "type:paper", "tag": "tag:GAN", "topic": "topic:GAN", "lang": "lang:ko", "year": "year:2022",
             "date": "date:2022-05 or date:2021..2022-06"}
_YEAR = re.compile(r"\d{4}")


def date_range(value: str, name: str = "date") -> tuple[dt.date, dt.date]:
    """Return the first and last day of a year, month, day or `a..b` range; raise QueryError."""
    from notebase.load.dates import DateError
    from notebase.cli.query import date_bounds

    start_text, sep, end_text = value.partition("..")
    if not sep:
        start_text = end_text = value
    if name == "year" and not all(_YEAR.fullmatch(v) for v in (start_text, end_text) if v):
        raise QueryError(f"'{name}:{value}' is not a year — write year:2022 or year:2021..2023")
    try:
        start = date_bounds(start_text)[0] if start_text else dt.date.min
        end = date_bounds(end_text)[1] if end_text else dt.date.max
    except DateError as exc:
        raise QueryError(f"'{name}:{value}': {exc} — write YYYY, YYYY-MM or YYYY-MM-DD, "
                         "or a range such as 2021..2022-06") from None
    if start > end:
        raise QueryError(f"'{name}:{value}' ends before it starts — put the earlier date first")
    return start, end
