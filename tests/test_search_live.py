"""LiveSearchData: after any sequence of updates, the files it has handed out are search_files' files.

Notes come from bench/generate.py (Korean and English, Zipf words); every operation `notebase
serve` can see is applied at random (edit body or title, change date, tags, type or language, add,
delete, rename) and after each update the accumulated files are compared byte for byte with a
full run over the same entries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys

import pytest

from conftest import REPO
from notebase.config import load_config
from notebase.site.emitters import search_data, search_live, search_postings
from notebase.site.emitters.search_data import FOLDER, doc_columns, doc_terms, fnv1a, search_files
from notebase.load.loader import load
from notebase.model import EntryType
from notebase.search.schema import to_document
from notebase.search.vocabulary import keys
from notebase.site.assemble import published

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    """(config, 220 generated entries): the first 160 start the site, the rest are added later."""
    root = tmp_path_factory.mktemp("kb")
    generate(root, 220, seed=3)
    config = load_config(root)
    return config, published(load(config).entries)


class Site:
    """A LiveSearchData and the files it has handed out so far, checked against a full run."""

    def __init__(self, config, entries, jobs=1):
        self.config, self.entries = config, list(entries)
        self.live = search_live.LiveSearchData(config, jobs=jobs)
        self.files: dict[str, bytes] = {}
        self.last: tuple[dict, set] = ({}, set())

    def update(self) -> tuple[dict[str, bytes], set[str]]:
        changed, gone = self.live.update(self.entries)
        for rel, data in changed.items():
            assert self.files.get(rel) != data, f"{rel} is returned but did not change"
        assert gone <= self.files.keys() and not gone & changed.keys()
        self.files.update(changed)
        for rel in gone:
            del self.files[rel]
        self.last = changed, gone
        return changed, gone

    def check(self) -> None:
        want = search_files(self.entries, self.config)
        assert sorted(self.files) == sorted(want)
        wrong = [rel for rel in want if self.files[rel] != want[rel]]
        assert not wrong, f"{len(wrong)} files differ, first {wrong[:5]}"


def mutate(rng: random.Random, entries: list, spare: list, step: int) -> list[str]:
    """Apply one to three random changes to entries in place; return their names."""
    done = []
    for n in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.choice(["body", "append", "title", "date", "tags", "type", "lang", "add", "delete", "rename", "copy"])
        if not entries:
            op = "add"
        i = rng.randrange(len(entries)) if entries else 0
        e = entries[i] if entries else None
        if op == "body":
            entries[i] = dataclasses.replace(e, text=rng.choice(spare).text)
        elif op == "append":
            entries[i] = dataclasses.replace(e, text=e.text + f" 새 문장을 덧붙였다 added{step} words")
        elif op == "title":
            entries[i] = dataclasses.replace(e, title=f"{e.title} 수정 {step}")
        elif op == "date":
            entries[i] = dataclasses.replace(e, date=e.date + dt.timedelta(days=rng.randint(-800, 800)))
        elif op == "tags":
            entries[i] = dataclasses.replace(e, tags=tuple(rng.sample(["cv", "NLP", "nlp", f"new{step}", "a,b", "통계", " "], 2)))
        elif op == "type":
            entries[i] = dataclasses.replace(e, type=rng.choice(list(EntryType)))
        elif op == "lang":
            entries[i] = dataclasses.replace(e, lang=rng.choice(["ko", "en", "mixed", "xx"]))
        elif op == "add":
            source = rng.choice(spare)
            date = rng.choice([dt.date(2026, 3, 1), source.date, entries[i].date if entries else source.date])
            entries.insert(rng.randrange(len(entries) + 1), dataclasses.replace(source, id=f"new-{step}-{n}", date=date))
        elif op == "delete":
            del entries[i]
        elif op == "rename":
            entries[i] = dataclasses.replace(e, id=f"{e.id}-r{step}")
        else:  # an equal entry that is another object
            entries[i] = dataclasses.replace(e)
        done.append(op)
    return done


@pytest.mark.parametrize("small", [False, True], ids=["default-sizes", "small-shards-chunks-labels"])
def test_random_updates_give_the_files_of_a_full_run(notes, monkeypatch, small):
    config, entries = notes
    if small:  # many shards and chunks whose counts change often, and labels that run out
        monkeypatch.setattr(search_data, "SHARD_BYTES", 3000)
        monkeypatch.setattr(search_data, "CHUNK_CHARS", 20_000)
        monkeypatch.setattr(search_postings, "LABEL_SPAN", 200)  # 2 apart: relabelled often
    rng = random.Random(11 if small else 5)
    site = Site(config, entries[:160])
    site.update()
    site.check()
    for step in range(30):
        ops = mutate(rng, site.entries, entries[160:], step)
        site.update()
        try:
            site.check()
        except AssertionError as error:
            raise AssertionError(f"after step {step} {ops}: {error}") from None


def test_shrinking_to_nothing_and_growing_back(notes, monkeypatch):
    config, entries = notes
    monkeypatch.setattr(search_data, "SHARD_BYTES", 3000)
    monkeypatch.setattr(search_data, "CHUNK_CHARS", 20_000)
    site = Site(config, entries[:40])
    site.update()
    removed = set()
    while site.entries:
        del site.entries[:7]
        _, gone = site.update()
        removed |= gone
        site.check()
    assert any("/terms/" in rel for rel in removed) and any("/text/" in rel for rel in removed)
    for start in range(0, 40, 9):
        site.entries += entries[start:start + 9]
        site.update()
        site.check()


def test_one_edit_rewrites_its_chunk_its_terms_and_the_manifest(notes, monkeypatch):
    config, entries = notes
    monkeypatch.setattr(search_data, "SHARD_BYTES", 3000)  # ~100 shards: a full rewrite would show
    site = Site(config, entries[:160])
    site.update()
    shards = sum(rel.startswith(FOLDER + "terms/") for rel in site.files)
    chunks = sum(rel.startswith(FOLDER + "text/") for rel in site.files)
    assert shards >= 32 and chunks >= 16
    note = site.entries[70]
    site.entries[70] = dataclasses.replace(note, text=note.text + " zqxjvw")  # one new term, once
    columns = []  # docs.js's columns: patched for a text changed in its place, not worked out again
    monkeypatch.setattr(search_data, "doc_columns", lambda *args: columns.append(args) or doc_columns(*args))
    changed, gone = site.update()
    assert not columns
    chunk = FOLDER + f"text/{fnv1a(note.id) & (chunks - 1)}.js"
    shard = FOLDER + f"terms/{fnv1a('zqxjvw') & (shards - 1)}.js"
    words = sum(rel.startswith(FOLDER + "vocab/") for rel in site.files)
    vocab = FOLDER + f"vocab/{fnv1a('z') & (words - 1)}.js"  # a new word, filed under its first letter
    expected = {FOLDER + "manifest.js", chunk, shard, vocab}
    # docs.js changes only if the body's quantised length does
    assert expected <= changed.keys() <= expected | {FOLDER + "docs.js"} and not gone
    site.check()

    old_head = doc_terms(to_document(site.entries[70])["head"], "")[0]
    site.entries[70] = dataclasses.replace(site.entries[70], title="완전히 다른 제목 entirely new heading")
    new_head = doc_terms(to_document(site.entries[70])["head"], "")[0]
    touched = {t for t in old_head.keys() | new_head.keys() if old_head[t] != new_head[t]}
    changed, _ = site.update()
    shards = {FOLDER + f"terms/{fnv1a(t) & (shards - 1)}.js" for t in touched}
    shards |= {FOLDER + f"vocab/{fnv1a(k) & (words - 1)}.js" for t in touched for k in keys(t)}  # words that came or went
    assert chunk in changed and changed.keys() <= shards | {chunk, FOLDER + "manifest.js", FOLDER + "docs.js"}
    site.check()

    site.entries[:] = [dataclasses.replace(e) for e in site.entries]  # equal, but other objects
    assert site.update() == ({}, set())
    assert site.update() == ({}, set())


def test_a_renumbering_update_is_patched_not_rebuilt(notes, monkeypatch):
    config, entries = notes
    site = Site(config, entries[:160])
    site.update()

    def no_rebuild(*args):
        raise AssertionError("rebuilt from scratch")

    monkeypatch.setattr(site.live, "_rebuild", no_rebuild)
    site.entries.append(dataclasses.replace(entries[170], id="brand-new", date=dt.date(2030, 1, 1)))
    site.update()
    site.check()
    del site.entries[80]
    site.entries[10] = dataclasses.replace(site.entries[10], date=dt.date(2001, 1, 1))
    site.update()
    site.check()


def test_the_newest_note_added_or_deleted_renumbers_nothing(notes, monkeypatch):
    """Documents are numbered oldest first: a new newest note rewrites only the shards of its own terms."""
    config, entries = notes
    monkeypatch.setattr(search_data, "SHARD_BYTES", 3000)  # ~100 shards: a renumbering would show
    site = Site(config, entries[:160])
    site.update()
    shards = sum(rel.startswith(FOLDER + "terms/") for rel in site.files)

    def term_files(entry) -> set[str]:
        doc = to_document(entry)
        head, body = doc_terms(doc["head"], doc["body"])
        return {FOLDER + f"terms/{fnv1a(t) & (shards - 1)}.js" for t in head.keys() | body.keys()}

    newest = dataclasses.replace(entries[170], id="the-newest", date=dt.date(2031, 1, 1))
    site.entries.append(newest)
    changed, _ = site.update()
    written = {rel for rel in changed if rel.startswith(FOLDER + "terms/")}
    assert written and written <= term_files(newest)
    site.check()
    site.entries.remove(newest)
    changed, _ = site.update()
    assert {rel for rel in changed if rel.startswith(FOLDER + "terms/")} <= term_files(newest)
    site.check()
    # An old note, by contrast, renumbers every newer one: shards it has no term in change too.
    oldest = dataclasses.replace(entries[171], id="the-oldest", date=dt.date(1990, 1, 1))
    site.entries.append(oldest)
    changed, _ = site.update()
    assert {rel for rel in changed if rel.startswith(FOLDER + "terms/")} - term_files(oldest)
    site.check()


def test_many_changes_at_once_start_over_with_the_right_difference(notes, monkeypatch):
    config, entries = notes
    monkeypatch.setattr(search_live, "REBUILD_MOVES", 3)
    site = Site(config, entries[:120])
    site.update()
    site.entries = entries[20:140]
    site.update()
    site.check()


def test_a_failed_update_leaves_the_next_one_correct(notes, monkeypatch):
    config, entries = notes
    site = Site(config, entries[:100])
    site.update()
    site.entries = entries[:100] + [dataclasses.replace(entries[5], title="twin")]
    with pytest.raises(ValueError, match="two entries"):
        site.update()
    site.entries = entries[10:110]
    site.update()
    site.check()

    def interrupted(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:  # halfway through renumbering: what was kept is half patched
        patch.setattr(search_postings.Postings, "insert", interrupted)
        site.entries = entries[20:120]
        with pytest.raises(KeyboardInterrupt):
            site.update()
    site.entries = entries[25:125]
    site.update()  # starts over, and returns the difference from what the caller was last given
    site.check()


def test_the_first_update_may_tokenize_in_processes(notes, monkeypatch):
    config, entries = notes
    monkeypatch.setattr(search_data, "PARALLEL_DOCS", 10)
    site = Site(config, entries[:120], jobs=2)
    site.update()
    site.check()
    site.entries[3] = dataclasses.replace(site.entries[3], text="바뀐 본문 changed body")
    site.update()
    site.check()


def test_labels_that_run_out_between_two_notes_are_given_again(notes, monkeypatch):
    config, entries = notes
    monkeypatch.setattr(search_postings, "LABEL_SPAN", 200)  # 2 apart: the second note into one gap relabels
    relabels = []
    relabel = search_postings.Postings._relabel
    monkeypatch.setattr(search_postings.Postings, "_relabel", lambda self, n: relabels.append(n) or relabel(self, n))
    site = Site(config, entries[:60])
    site.update()
    anchor = sorted(site.entries, key=lambda e: (-e.date.toordinal(), e.id))[30]
    for n in range(4):  # same date, ids sorting right after the anchor: always the same gap
        site.entries.append(dataclasses.replace(entries[100 + n], id=f"{anchor.id}-{9 - n}", date=anchor.date))
        site.update()
        site.check()
    site.entries += [dataclasses.replace(entries[110 + n], id=f"{anchor.id}-{n}", date=anchor.date) for n in range(3)]
    site.update()
    site.check()
    assert len(relabels) >= 4  # the first labelling, then again at least three times


def test_files_handed_out_one_by_one_are_the_files_returned(notes):
    """A full build takes each file as it is made (`out`): the same files, none left in the returned dict;
    a later edit's files come back as usual."""
    config, entries = notes
    returned, _ = search_live.LiveSearchData(config, jobs=1).update(entries[:160])
    handed: dict[str, bytes] = {}
    streaming = search_live.LiveSearchData(config, jobs=1)
    changed, gone = streaming.update(entries[:160], out=handed.__setitem__)
    assert changed == {} and not gone
    assert handed == returned and handed == search_files(entries[:160], config)
    changed, _ = streaming.update(entries[:161])
    assert changed and all(handed.get(rel) != data for rel, data in changed.items())
