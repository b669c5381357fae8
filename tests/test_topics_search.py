"""`topic:` in the search language: parsed, resolved to concepts in either language, filtering the
CLI's index and the site's search (templates/static/search-*.js, under node) to the same entries."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO
from notebase.build import build
from notebase.config import load_config
from notebase.load.loader import load
from notebase.search.engine import search
from notebase.search.parse import Filter, QueryError, parse
from notebase.site.topics import topics_of, vocabulary

NODE = shutil.which("node")
STATIC = REPO / "templates" / "static"


def test_topic_filter_parses_as_typed():
    query = parse('대조 topic:GAN -topic:"contrastive learning" topic:대조학습')
    assert Filter("topic", ("GAN", "대조학습")) in query.filters
    assert Filter("topic", ("contrastive learning",), negated=True) in query.filters
    with pytest.raises(QueryError, match=r"'topic:' needs a value — write e.g. topic:GAN"):
        parse("topic:")
    with pytest.raises(QueryError, match=r"unknown field 'topc:' — use type:, tag:, topic:, lang:"):
        parse("topc:gan")


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("topicsearch")
    shutil.copytree(REPO / "notes", root / "notes")
    config = load_config(root)
    build(config, index=True)
    return config


def _about(config, key):
    vocab = vocabulary(config)
    return {e.id for e in load(config).entries if key in topics_of(e, vocab)}


@pytest.mark.parametrize("query", ["topic:대조학습", "topic:contrastive-learning", 'topic:"Contrastive Learning"',
                                   "topic:대조 학습을"])
def test_cli_search_filters_by_topic_in_either_language(kb, query):
    results, _ = search(kb, query.replace(" 학습을", "학습을"), limit=100)
    assert {h.id for h in results.hits} == _about(kb, "contrastive-learning") != set()


def test_topic_filter_narrows_words_and_negates(kb):
    every, _ = search(kb, "augmentation", limit=100)
    inside, _ = search(kb, "augmentation topic:data-augmentation", limit=100)
    outside, _ = search(kb, "augmentation -topic:데이터증강", limit=100)
    about = _about(kb, "data-augmentation")
    assert {h.id for h in inside.hits} == {h.id for h in every.hits} & about
    assert {h.id for h in outside.hits} == {h.id for h in every.hits} - about
    assert inside.hits and outside.hits


@pytest.mark.parametrize("query, message", [
    ("topic:quantum-gravity", "no topic 'quantum-gravity' — name a concept from the topics page, or search for the word itself"),
    ("topic:논문", "'논문' is never a topic: nearly every note mentions it — search for the word itself"),
])
def test_cli_topic_errors_say_what_to_do(kb, query, message):
    with pytest.raises(QueryError) as caught:
        search(kb, query)
    assert str(caught.value) == message


def test_a_topic_added_in_the_config_filters_too(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "notebase.yaml").write_text("topics_add: ['판다스 활용 = dataframe wrangling = pandas']\n"
                                             "topics_stop: [git]\n", encoding="utf-8")
    config = load_config(tmp_path)
    results, _ = search(config, "topic:pandas", limit=50)
    assert {h.id for h in results.hits} == _about(config, "pandas") != set()
    with pytest.raises(QueryError, match="'git' is never a topic"):
        search(config, "topic:git")


# The site's search: the same entries, the same messages ---------------------------------------

QUERIES = ["topic:대조학습", "topic:contrastive-learning", 'topic:"self supervised learning"', "학습 topic:GAN",
           "augmentation topic:data-augmentation", "augmentation -topic:데이터증강", "topic:불확실성추정을",
           "type:paper topic:transformers", "topic:quantum-gravity", "topic:논문", "topic:diffusion topic:uncertainty"]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_site_search_filters_topics_as_the_cli_does(kb):
    data = kb.output_path / "search" / "data"
    payload = {"static": str(STATIC), "data": str(data), "queries": [[q, []] for q in QUERIES], "limit": 100}
    done = subprocess.run([NODE, str(REPO / "tests" / "js" / "run_search.js")], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    for query, js in zip(QUERIES, got):
        try:
            results, _ = search(kb, query, limit=100)
        except QueryError as exc:
            assert js.get("error") == str(exc) and js.get("queryError"), query
            continue
        assert "error" not in js, (query, js)
        assert [h["id"] for h in js["hits"]] == [h.id for h in results.hits], query
        assert js["total"] == results.total, query
    assert "topics.js" in got[0]["loaded"]  # loaded once, for the first topic filter
    assert sum(bool(js.get("hits")) for js in got) >= 6
