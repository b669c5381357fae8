"""Building the index from scratch in little memory, with the same index on disk.

Three parts keep a 10,000-note build small (see notebase/search/build.py): a compact posting
pool that must write the very bytes Whoosh's pool writes, fresh string copies for Whoosh to
pickle, and worker processes that index documents spooled to a file.
"""

from __future__ import annotations

import pickle
import random
import shutil
import sys

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from conftest import REPO, write_notes
from notebase.config import load_config
from notebase.load.loader import load
from notebase.search import build
from notebase.search.engine import search
from notebase.search.index import index_path, update
from notebase.search.schema import INDEX_NAME, make_schema, to_document


@pytest.fixture(scope="module")
def sample_docs(tmp_path_factory):
    """The documents of the repository's sample notes (Korean and English, every entry type)."""
    root = tmp_path_factory.mktemp("samplekb")
    shutil.copytree(REPO / "notes", root / "notes")
    entries = load(load_config(root)).entries
    assert len(entries) > 20
    return [to_document(e) for e in entries]


def segment_files(folder, docs, pool=None, writer_class=SegmentWriter) -> dict[str, bytes]:
    """Write docs as one segment into a new index in folder; return its files by name (segment id masked)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema(), INDEX_NAME)
    writer = writer_class(ix, _lk=False, compound=False, codec=build.codec())
    if pool is not None:
        writer.pool = pool
    for doc in docs:
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    ix.close()
    return {p.name.replace(segment.segment_id(), "SEG"): p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_the_compact_pool_writes_the_bytes_whooshs_pool_writes(sample_docs, tmp_path):
    whoosh_files = segment_files(tmp_path / "whoosh", sample_docs)
    compact_files = segment_files(tmp_path / "compact", sample_docs, build.CompactPool())
    assert {"SEG.trm", "SEG.pst", "SEG._stored.col"} <= whoosh_files.keys()
    assert compact_files == whoosh_files


@pytest.mark.parametrize("copies", [1, 5])  # five copies: common terms span several blocks of 128 postings
def test_the_batch_writer_writes_the_bytes_whooshs_writer_writes(sample_docs, tmp_path, copies):
    # It reads each document's field lengths once where Whoosh reads them per posting, and puts
    # a term's postings into the block buffer itself (CompactPool.write_postings).
    docs = [dict(doc, id=f"{doc['id']}-{n}") for n in range(copies) for doc in sample_docs]
    whoosh_files = segment_files(tmp_path / "whoosh", docs)
    batch_files = segment_files(tmp_path / "batch", docs, build.CompactPool(), build.BatchWriter)
    assert batch_files == whoosh_files


def test_the_compact_pool_sorts_postings_as_whoosh_does_in_any_order():
    rng = random.Random(7)
    postings = [(field, term.encode(), doc, float(rng.randint(1, 5)), None if term == "n" else bytes([doc, len(term)]))
                for field in ("body", "head", "id") for term in ("논문", "학회", "git", "n", "a") for doc in range(6)]
    postings.append(("body", b"git", 3, 9.0, b"\x00"))  # the same document twice, which Whoosh sorts by weight
    ordered = sorted(postings)

    pool = build.CompactPool()
    for posting in sorted(postings, key=lambda p: p[2]):  # documents in order, as a writer adds them
        pool.add(posting)
    assert list(pool.iter_postings()) == ordered

    pool.cleanup()
    rng.shuffle(postings)
    for posting in postings:
        pool.add(posting)
    assert list(pool.iter_postings()) == ordered
    assert pool.fieldnames == {"body", "head", "id"}


def test_indexing_an_entry_leaves_no_utf8_copy_in_its_strings(tmp_path):
    write_notes(tmp_path, {"a.md": "---\ntitle: 대조 학습\n---\n" + "대조 학습은 표현을 배운다. " * 200})
    entry = load(load_config(tmp_path)).entries[0]
    text, title = entry.text, entry.title
    sizes = sys.getsizeof(text), sys.getsizeof(title)
    (tmp_path / "ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), make_schema(), INDEX_NAME)
    build.write_segments(ix, build.documents([entry], to_document))
    assert (sys.getsizeof(text), sys.getsizeof(title)) == sizes
    if sys.implementation.name == "cpython":  # the check can see the copy pickling leaves behind
        pickle.dumps(text)
        assert sys.getsizeof(text) > sizes[0]


def test_worker_processes_index_their_share_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_ENTRIES", 2)
    monkeypatch.setattr(build, "BATCH_CHARS", 1)  # one segment per entry, in every process
    write_notes(tmp_path, {f"n{i}.md": f"---\ntitle: Note {i}\n---\n공유 단어 shared word{i}\n" for i in range(9)})
    config = load_config(tmp_path)
    started = []
    real_start = build._start
    monkeypatch.setattr(build, "_start", lambda *args: started.append(args) or real_start(*args))
    report = update(config, jobs=3)
    assert report.total == 9 and len(started) == 2  # this process and two workers
    ix = whoosh_index.open_dir(str(index_path(config)), INDEX_NAME)
    try:
        assert [s.doc_count() for s in ix._segments()] == [1] * 9
    finally:
        ix.close()
    results, _ = search(config, "공유", limit=20)
    assert sorted(h.id for h in results.hits) == sorted(f"n{i}" for i in range(9))
    assert [h.id for h in search(config, "word7")[0].hits] == ["n7"]
    leftovers = [p.name for p in index_path(config).rglob("*") if "docs-" in p.name or p.suffix == ".tmp"]
    assert leftovers == []


def test_a_failing_worker_is_reported_with_its_error(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    whoosh_index.create_in(str(folder), make_schema(), INDEX_NAME).close()
    spool = build._spool([{"no_such_field": "x"}], dict, str(folder))
    with pytest.raises(RuntimeError, match="UnknownFieldError"):
        build._result(build._start(str(folder), INDEX_NAME, spool), spool)
    assert list(build._unspool(spool)) == [{"no_such_field": "x"}]
