"""The on-disk index: built on first use, updated by file stamps, rebuilt when damaged or outdated."""

from __future__ import annotations

import os
import time

import pytest

from conftest import write_notes
from notebase.config import load_config
from notebase.load.loader import load
from notebase.search import index as index_module
from notebase.search.engine import open_searcher, search
from notebase.search.index import index_path, update
from notebase.search.parse import parse

NOTE = "---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


def note(title, date="2023-01-01", body="", extra=""):
    return NOTE.format(title=title, date=date, body=body, extra=extra)


def ids(config, text):
    results, _ = search(config, text, limit=50)
    return [h.id for h in results.hits]


def touch_later(path):
    """Move a file's mtime forward so a stamp change is seen even on coarse clocks."""
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.fixture
def kb(tmp_path):
    write_notes(tmp_path, {
        "a.md": note("대조 학습 정리", "2022-05-03", "SimCLR 논문을 학회에서 들었다."),
        "b.md": note("Git bisect", "2023-01-10", "Find the commit that broke the build."),
        "c.md": note("학회 후기", "2021-11-24", "포스터 세션이 좋았다."),
    })
    return load_config(tmp_path)


def test_first_search_builds_the_index_on_disk(kb):
    assert not index_path(kb).exists()
    results, report = search(kb, "학회")
    assert report.rebuilt == "no index yet" and report.total == 3
    assert (index_path(kb) / "snapshot.json").is_file()
    assert {h.id for h in results.hits} == {"a", "c"}


def test_nothing_changed_reads_nothing(kb):
    update(kb)
    report = update(kb)
    assert (report.files_read, report.changed) == (0, False)


def test_one_edit_reads_one_file_and_replaces_one_entry(kb):
    update(kb)
    path = kb.notes_path / "b.md"
    path.write_text(note("Git bisect", "2023-01-10", "Binary search over history with bisect run."), "utf-8")
    touch_later(path)
    report = update(kb)
    assert (report.files_read, report.added, report.updated, report.removed) == (1, 0, 1, 0)
    assert ids(kb, "history") == ["b"]
    assert ids(kb, "broke") == []


def test_touching_without_changing_rewrites_nothing(kb):
    update(kb)
    touch_later(kb.notes_path / "a.md")
    report = update(kb)
    assert report.files_read == 1 and not (report.added or report.updated or report.removed)


def test_added_and_removed_files(kb):
    update(kb)
    (kb.notes_path / "c.md").unlink()
    write_notes(kb.root, {"d.md": note("Rsync tips", "2024-02-02", "rsync --exclude")})
    report = update(kb)
    assert (report.added, report.removed, report.total) == (1, 1, 3)
    assert ids(kb, "후기") == []
    assert ids(kb, "rsync") == ["d"]


def test_an_id_taken_by_a_new_note_moves_the_old_one_as_a_full_load_would(kb):
    update(kb)
    write_notes(kb.root, {"z.md": note("Other", "2020-01-01", "다른 노트 zebra", extra="id: b\n")})
    report = update(kb)
    full = {e.id for e in load(kb).entries}
    with open_searcher(kb) as searcher:
        indexed = {h.id for h in searcher.search(parse("type:tip type:paper type:conference"), limit=50).hits}
    assert indexed == full and "b" in full and len(full) == 4
    assert report.files_read == 2  # the new note, and b.md whose id it took
    assert ids(kb, "zebra") == ["b"]


def test_a_settings_change_rereads_every_file(kb):
    update(kb)
    (kb.root / "notebase.yaml").write_text("exclude: ['c.md']\n", encoding="utf-8")
    report = update(load_config(kb.root))
    assert report.files_read == 2 and report.removed == 1


@pytest.mark.parametrize("damage", ["snapshot", "toc", "segments", "garbage-snapshot", "count"])
def test_a_damaged_index_is_rebuilt_with_a_warning(kb, damage):
    update(kb)
    folder = index_path(kb)
    if damage == "snapshot":
        (folder / "snapshot.json").unlink()
    elif damage == "garbage-snapshot":
        (folder / "snapshot.json").write_text("{not json", encoding="utf-8")
    elif damage == "toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"\x00garbage")
    elif damage == "segments":
        for seg in folder.glob("*.trm"):
            seg.write_bytes(seg.read_bytes()[:40])
    else:
        text = (folder / "snapshot.json").read_text(encoding="utf-8")
        cut = text.index('"records": [[') + len('"records": [')
        end = text.index("]]", cut) + 1
        (folder / "snapshot.json").write_text(text[:cut] + text[end + 1:].lstrip(", "), encoding="utf-8")
    report = update(kb)
    assert report.rebuilt, report
    warning = [p for p in report.problems if "search index rebuilt" in p.message]
    assert warning and warning[0].severity.value == "warning"
    assert ids(kb, "학회") and report.total == 3


def test_an_index_from_another_schema_version_is_rebuilt(kb, monkeypatch):
    update(kb)
    monkeypatch.setattr(index_module, "SCHEMA_VERSION", index_module.SCHEMA_VERSION + 1)
    report = update(kb)
    assert "another version" in report.rebuilt


def test_an_interrupted_rebuild_leaves_the_old_index_answering(kb, monkeypatch):
    update(kb)
    (index_path(kb) / "snapshot.json").unlink()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_swap", fail)
    with pytest.raises(KeyboardInterrupt):
        update(kb)
    # No half-built folder is left behind, and the old index files still answer.
    assert [p.name for p in index_path(kb).parent.iterdir()] == ["index"]
    with open_searcher(kb) as searcher:
        assert searcher.search(parse("학회")).hits


def test_a_search_while_another_process_holds_the_lock_still_answers(kb):
    from whoosh import index as whoosh_index

    update(kb)
    write_notes(kb.root, {"d.md": note("Rsync tips", "2024-02-02", "rsync --exclude")})
    ix = whoosh_index.open_dir(str(index_path(kb)), "entries")
    writer = ix.writer()
    try:
        results, report = search(kb, "학회")  # the refresh cannot write; the answer comes from the index as is
        assert results.hits and report is None
    finally:
        writer.cancel()
        ix.close()
    assert ids(kb, "rsync") == ["d"]  # the next search catches up


def test_problems_are_kept_for_files_not_read_again(tmp_path):
    write_notes(tmp_path, {"ok.md": note("Fine", "2023-01-01", "text"),
                           "bad.md": "---\ntitle: [unclosed\n---\nbody\n"})
    config = load_config(tmp_path)
    first = update(config)
    again = update(config)
    assert again.files_read == 0
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert any(p.path == "bad.md" for p in again.problems)


def test_a_parallel_build_indexes_every_entry_once(tmp_path, monkeypatch):
    from notebase.search import build

    monkeypatch.setattr(build, "PARALLEL_ENTRIES", 2)
    monkeypatch.setattr(build, "BATCH_CHARS", 200)  # several segments per process
    write_notes(tmp_path, {f"n{i}.md": note(f"Note {i}", "2023-01-01", f"shared word{i} " * 30) for i in range(12)})
    config = load_config(tmp_path)
    report = update(config, jobs=2)
    assert report.total == 12
    assert len(ids(config, "shared")) == 12
    assert ids(config, "word7") == ["n7"]
    assert not list(index_path(config).glob("*.tmp"))  # the shared temp folder is gone


def test_many_edits_leave_few_segments_and_never_merge_big_ones(kb, monkeypatch):
    from whoosh import index as whoosh_index

    monkeypatch.setattr(index_module, "TINY_SEGMENT", 2)  # the three-note index counts as big here
    update(kb)
    path = kb.notes_path / "b.md"

    def segments():
        ix = whoosh_index.open_dir(str(index_path(kb)), index_module.INDEX_NAME)
        try:
            return [s.segment_id() for s in ix._segments()]
        finally:
            ix.close()

    big = segments()
    for n in range(index_module.MAX_TINY + 3):
        path.write_text(note("Git bisect", "2023-01-10", f"edit number{n} of the note"), encoding="utf-8")
        touch_later(path)
        update(kb)
        assert len(segments()) <= len(big) + index_module.MAX_TINY + 1  # the tiny ones, and this edit's
    final = index_module.MAX_TINY + 2
    assert ids(kb, f"number{final}") == ["b"] and ids(kb, "number0") == []
    assert big[0] in segments()  # the large segment was never rewritten


def test_freshness_follows_every_kind_of_change_and_old_indexes_upgrade(kb):
    """A search trusts the index only while no note was added, edited, renamed or deleted."""
    import json

    from notebase.search.index import STAMPS, is_fresh

    config = kb
    update(config)
    assert is_fresh(config)
    notes = config.notes_path
    first = sorted(notes.rglob("*.md"))[0]
    touch_later(first)
    assert not is_fresh(config)
    update(config)
    assert is_fresh(config)
    (notes / "new.md").write_text(note("New one"), encoding="utf-8")
    assert not is_fresh(config)
    update(config)
    (notes / "new.md").rename(notes / "renamed.md")
    assert not is_fresh(config)
    update(config)
    (notes / "renamed.md").unlink()
    assert not is_fresh(config)
    update(config)
    assert is_fresh(config)
    # An index written before the digest (every stamp listed) is brought up to date by one update.
    saved = json.loads((index_path(config) / STAMPS).read_text(encoding="utf-8"))
    (index_path(config) / STAMPS).write_text(json.dumps({"fingerprint": saved["fingerprint"], "stamps": {}}),
                                             encoding="utf-8")
    assert not is_fresh(config)
    report = update(config)
    assert report.added == report.updated == 0 and is_fresh(config)
