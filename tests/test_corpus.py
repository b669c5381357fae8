"""Real third-party notes and feeds load with the right titles, dates and tags."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import SHARED
from notebase.config import load_config
from notebase.load.loader import load
from notebase.model import EntryType

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpuskb")
    shutil.copytree(CORPUS, root / "notes")
    result = load(load_config(root))
    return result, {e.title: e for e in result.entries}


def test_corpus_loads_cleanly(corpus):
    result, _ = corpus
    assert result.errors == [] and result.warnings == []


@pytest.mark.parametrize("title, tags, url", [
    ("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
     ("Attention", "Deep Learning Optimization"), "https://arxiv.org/abs/2205.14135"),
    ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
     ("Large Language Models", "State Space Models (SSM)", "Sequence Modeling"), "https://arxiv.org/abs/2312.00752"),
    ("Attention is All you Need", ("LLM", "Transformers"), None),
    ("Lightglue: Local feature matching at light speed",
     ("Feature Matching", "Visual Localization", "Camera Localization"), None),
    ("3D Gaussian Splatting for Real-Time Radiance Field Rendering", ("Gaussian Splatting", "Radiance Field"), None),
])
def test_paper_reviews_without_front_matter(corpus, title, tags, url):
    entry = corpus[1][title]
    assert entry.type is EntryType.PAPER
    assert entry.tags == tags  # the 분류 list between rules; never a ToC anchor like (#abstract)
    if url:
        assert entry.url == url
    assert entry.url and entry.venue and entry.year
    assert entry.date_source == "mtime"  # no date anywhere: the file's date, marked inferred


def test_note_starting_with_a_rule_and_prose_is_not_front_matter(corpus):
    entry = corpus[1]["H2ONet"]  # no H1 and a generic file name: the folder names it
    assert "Reference" in entry.body
    assert corpus[1]["Mamba: Linear-Time Sequence Modeling with Selective State Spaces"].authors == ("Albert Gu", "Tri Dao")


def test_images_are_recorded_relative_to_the_note(corpus):
    entry = corpus[1]["Lightglue: Local feature matching at light speed"]
    assert "./images/Fig%201.png" in entry.body


def test_jekyll_feed_with_escaped_html(corpus):
    _, by_title = corpus
    lesson = by_title["Python OpenCV 강좌 : 제 21강 - 윤곽선 검출"]
    assert lesson.date == dt.date(2019, 2, 9)  # +0900 kept as the local day
    assert lesson.tags == ("Python-OpenCV", "posts")
    assert lesson.url == "http://localhost:4000/posts/Python-opencv-21/"
    assert "&lt;" not in lesson.text and "윤곽선" in lesson.text
    assert sum(1 for e in by_title.values() if e.source.path.endswith("feed.xml")) == 5


def test_feed_with_blank_line_before_declaration(corpus):
    _, by_title = corpus
    entry = by_title["YUN DAE HEE"]
    assert entry.source.path.endswith("rss.xml")
    assert entry.date == dt.date(2017, 7, 25) and entry.date_source == "feed channel"
