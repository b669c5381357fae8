"""Concept topics against the judged set in topics_judged.py: precision and recall, with floors.

Precision: of the topics given, the share a reader accepts (core or also). Recall: of the core
topics, the share given. Both are printed in pytest's summary; the floors are the issue's.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, SHARED, record_figure
from notebase.config import load_config
from notebase.load.loader import load
from notebase.site.topics import build_vocabulary, TopicSettings
from topics_judged import JUDGED

PRECISION_FLOOR = 0.8
RECALL_FLOOR = 0.7
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def vocab():
    return build_vocabulary(TopicSettings())


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    """Entries by (where, file, line): the sample notes, and the seeds loaded as test_seeds.py loads them."""
    found = {}
    for entry in load(load_config(REPO)).entries:
        found["notes", entry.source.path, entry.source.line] = entry
    if SEEDS.is_dir():
        root = tmp_path_factory.mktemp("judged-seeds")
        (root / "notes").mkdir()
        for path in SEEDS.glob("*.txt"):
            shutil.copy(path, root / "notes" / (path.stem + ".md"))
        shutil.copy(SEEDS / "003_feed_extracted.xml", root / "notes" / "003_feed_extracted.xml")
        for entry in load(load_config(root)).entries:
            prefix = "003x" if entry.source.path.endswith(".xml") else entry.source.path[:3]
            found["seed", prefix, entry.source.line] = entry
    return found


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(";") if n.strip()]


def test_every_judged_name_is_a_concept(vocab):
    # A concept that is never a topic (generalization, prior) may be judged: it then counts as missed.
    unknown = {name for row in JUDGED for name in _names(row[3]) + _names(row[4])
               if vocab.find(name, stopped=True) is None}
    assert not unknown, f"judged topics the vocabulary does not know: {sorted(unknown)}"


def test_topic_precision_and_recall_on_the_judged_set(vocab, entries):
    given = accepted = core_total = core_found = judged = 0
    misses, extras = [], []
    for where, file, line, core, also in JUDGED:
        entry = entries.get((where, file, line))
        if entry is None:
            assert where == "seed" and not SEEDS.is_dir(), f"no entry at {where} {file}:{line}"
            continue
        judged += 1
        want = {vocab.find(n, stopped=True).key for n in _names(core)}
        ok = want | {vocab.find(n, stopped=True).key for n in _names(also)}
        got = set(vocab.topics_of(entry))
        given += len(got)
        accepted += len(got & ok)
        core_total += len(want)
        core_found += len(got & want)
        misses += [f"{file}:{line} {k}" for k in sorted(want - got)]
        extras += [f"{file}:{line} {k}" for k in sorted(got - ok)]
    precision, recall = accepted / max(given, 1), core_found / max(core_total, 1)
    record_figure(f"topics on {judged} judged entries: precision {precision:.3f} ({accepted}/{given}), "
                  f"recall {recall:.3f} ({core_found}/{core_total})")
    assert judged >= 60
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f}; topics no reader gave: {extras}"
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f}; topics missed: {misses}"
