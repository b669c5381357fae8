"""The real seed notes load as a user expects (skipped when ../shared is absent)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict

import pytest

from conftest import SHARED
from notebase.config import load_config
from notebase.load.loader import load
from notebase.model import EntryType

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """Copy the seeds into an empty notes/ as a user would: text files as .md, the feed as .xml."""
    root = tmp_path_factory.mktemp("seedkb")
    notes = root / "notes"
    notes.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, notes / (path.stem + ".md"))
    shutil.copy(SEEDS / "003_feed_extracted.xml", notes / "003_feed_extracted.xml")
    result = load(load_config(root))
    by_file = defaultdict(list)
    for entry in result.entries:
        by_file[entry.source.path[:3] + (".xml" if entry.source.path.endswith(".xml") else "")].append(entry)
    return result, by_file


def test_seeds_load_without_errors(seeds):
    result, _ = seeds
    assert result.errors == []
    # The malformed feed is read leniently, and says so.
    assert all("read leniently, 10 items recovered" in p.message for p in result.warnings)


def test_000_is_one_conference_log(seeds):
    (entry,) = seeds[1]["000"]
    assert entry.type is EntryType.CONFERENCE
    assert entry.date == dt.date(2023, 11, 24)
    assert entry.tags == ("TimeSeries",)
    assert entry.title == "2023 한국인공지능학회 추계학술대회"
    assert entry.event == entry.title
    assert entry.author == "Yelim Kim"
    for chrome in ("목록 보기", "post-thumbnail", "0개의 댓글", "16/22"):
        assert chrome not in entry.body
    assert [link.target for link in entry.links if link.embed][:1] == ["IMG_8158.heic"]
    talks = {t.speaker: t.title for t in entry.talks}
    assert talks["한보형"].startswith("On the Training-Free Image Manipulation")
    assert "아침" not in talks


def test_001_is_a_digest_of_paper_summaries(seeds):
    entries = seeds[1]["001"]
    assert len(entries) >= 90
    assert all(e.type is EntryType.PAPER for e in entries)
    assert all(e.presenter and e.paper_title for e in entries)
    by_presenter = {e.presenter: e for e in entries}
    # A header glued to the end of the previous paragraph still starts its own entry.
    assert by_presenter["송우혁"].paper_title.startswith("SimPLE")
    assert by_presenter["오설아"].paper_title.startswith("NORMFORMER")  # written as '# Name, Title'
    assert by_presenter["이종민"].venue == "CVPR" and by_presenter["이종민"].year == 2021
    assert {s.key for s in by_presenter["강봉균"].sections} >= {"purpose", "method", "experiments"}
    assert len({e.id for e in entries}) == len(entries)


def test_002_is_a_til_log_of_dated_tips(seeds):
    entries = seeds[1]["002"]
    assert len(entries) >= 35
    assert all(e.type is EntryType.TIP for e in entries)
    dated = [e for e in entries if e.date_source == "text"]
    assert len(dated) >= 35
    first = min(entries, key=lambda e: e.source.line)
    assert first.date == dt.date(2021, 4, 25)
    assert first.category == "ML library" and "ML library" in first.tags
    assert {e.category for e in entries} == {"ML library", "ML & DL"}
    # The numbered references at the end travel with the tips that cite them.
    moment = next(e for e in entries if e.text.startswith("Moment1"))
    assert "Moment (mathematics)" in moment.body


@pytest.mark.parametrize("key", ["003", "003.xml"])
def test_003_feed_gives_ten_dated_items_mostly_papers(seeds, key):
    entries = seeds[1][key]
    assert len(entries) == 10
    assert all(e.date_source == "feed" and e.url.startswith("https://cse-study.github.io/") for e in entries)
    assert sum(e.type is EntryType.PAPER for e in entries) > 5
    assert all(e.lang in ("ko", "mixed") for e in entries)  # <language>zh-cn</language> is not trusted
    whisper = next(e for e in entries if e.title.startswith("Whisper"))
    assert whisper.date == dt.date(2022, 9, 23)
    assert "&ldquo;" not in whisper.text and "<p>" not in whisper.text


def test_004_newsletter_gives_four_papers_with_urls(seeds):
    entries = seeds[1]["004"]
    assert len(entries) == 4
    assert all(e.type is EntryType.PAPER for e in entries)
    urls = {e.title: e.url for e in entries}
    assert urls["Supermasks in Superposition"] == "https://arxiv.org/abs/2006.14769"
    assert urls["Rewriting a Deep Generative Model"] == "https://arxiv.org/abs/2007.15646"
    assert all(e.url for e in entries)
    rewriting = next(e for e in entries if e.title.startswith("Rewriting"))
    assert rewriting.venue == "ECCV" and rewriting.year == 2020
    assert {"review", "purpose", "method"} <= {s.key for s in rewriting.sections}
