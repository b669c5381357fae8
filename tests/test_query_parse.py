"""The query language: words, phrases, exclusions, filters, and clear errors for bad queries."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.search.parse import Clause, Filter, QueryError, parse

D = dt.date


def test_words_phrases_and_exclusions():
    q = parse('대조 학습을 "data augmentation" -gan -"style transfer"')
    assert q.clauses == (
        Clause("대조", ("대조",)),
        Clause("학습을", ("학습",)),  # a word loses its particle
        Clause("data augmentation", ("data", "augmentation"), phrase=True),
        Clause("gan", ("gan",), negated=True),
        Clause("style transfer", ("style", "transfer"), phrase=True, negated=True),
    )
    assert q.filters == ()


@pytest.mark.parametrize("text, expected", [
    ("type:paper", Filter("type", ("paper",))),
    ("type:논문", Filter("type", ("paper",))),
    ("type:til", Filter("type", ("tip",))),
    ("tag:GAN", Filter("tag", ("gan",))),
    ("tag:#Vision", Filter("tag", ("vision",))),
    ('tag:"machine learning"', Filter("tag", ("machine-learning",))),  # spaces, - and _ are one tag
    ("lang:ko", Filter("lang", ("ko",))),
    ("lang:English", Filter("lang", ("en",))),
    ("year:2022", Filter("date", ((D(2022, 1, 1), D(2022, 12, 31)),))),
    ("year:2021..2022", Filter("date", ((D(2021, 1, 1), D(2022, 12, 31)),))),
    ("date:2022-05", Filter("date", ((D(2022, 5, 1), D(2022, 5, 31)),))),
    ("date:2024-02", Filter("date", ((D(2024, 2, 1), D(2024, 2, 29)),))),
    ("date:2023-11-24", Filter("date", ((D(2023, 11, 24), D(2023, 11, 24)),))),
    ("date:2021..2022-06", Filter("date", ((D(2021, 1, 1), D(2022, 6, 30)),))),
    ("date:2022..", Filter("date", ((D(2022, 1, 1), D.max),))),
    ("date:..2021-03", Filter("date", ((D.min, D(2021, 3, 31)),))),
    ("-tag:draft", Filter("tag", ("draft",), negated=True)),
])
def test_filters(text, expected):
    q = parse(text)
    assert q.filters == (expected,)
    assert q.clauses == ()


def test_same_field_twice_means_either_and_fields_combine():
    q = parse("type:paper type:tip tag:rl 강화")
    assert Filter("type", ("paper", "tip")) in q.filters
    assert Filter("tag", ("rl",)) in q.filters
    assert [c.text for c in q.clauses] == ["강화"]


def test_urls_and_quoted_fields_are_text():
    q = parse('https://arxiv.org "foo:bar"')
    assert q.filters == ()
    assert [c.terms for c in q.clauses] == [("http", "arxiv", "org"), ("foo", "bar")]  # https folds as a plural


def test_only_negations_is_a_query():
    q = parse("-gan")
    assert q.positive == () and q.negative[0].terms == ("gan",)


@pytest.mark.parametrize("text, message", [
    ("", "empty query"),
    ("   ", "empty query"),
    ("the of a", "only stop words"),
    ("?!.,", "only stop words"),
    ('"unbalanced phrase', "unbalanced quote at column 1"),
    ('contrastive "learning', "unbalanced quote at column 13"),
    ("date:2022-13", "impossible month '2022-13'"),
    ("date:0000", "impossible year '0000'"),
    ("year:0000..2020", "impossible year '0000'"),
    ("date:2022-02-30", "2022-02-30"),
    ("date:yesterday", "'date:yesterday'"),
    ("date:2023..2021", "ends before it starts"),
    ("year:22", "is not a year"),
    ("foo:bar", "unknown field 'foo:'"),
    ("type:video", "unknown type 'video'"),
    ("lang:fr", "unknown language 'fr'"),
    ("tag:", "'tag:' needs a value"),
])
def test_bad_queries_raise_a_clear_error(text, message):
    with pytest.raises(QueryError) as info:
        parse(text)
    assert message in str(info.value)
    assert "—" in str(info.value)  # every message carries a hint
