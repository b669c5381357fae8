"""Build a whole index fast: segments written in parallel processes, in batches that fit in memory.

Whoosh's writer sorts postings in a memory pool and, past its limit, pickles every posting to
disk and merges the runs back, which doubled the time for 10,000 notes. Here each batch of about
BATCH_CHARS of text becomes its own segment, sorted in memory (in a `CompactPool`), and processes
split the entries between them; the segments are listed in one table of contents at the end,
never merged. Memory (10,000 notes, two processes) is kept low three ways: the compact pool, fresh
string copies for Whoosh to pickle (`_fresh`), and new processes rather than forked ones (`_parallel`).
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence

from whoosh.writing import SegmentWriter

BATCH_CHARS = 3_000_000  # text per segment: ~450,000 postings, ~20 MB in a CompactPool
PARALLEL_ENTRIES = 1500  # below this, a second process costs more than it saves


def write_segments(ix, docs: Iterable[dict], batch_chars: int | None = None) -> list:
    """Write documents into new segments of ix without taking its lock; return the segments."""
    batch_chars = batch_chars or BATCH_CHARS
    segments = []
    writer, size = None, 0
    for doc in docs:
        if writer is None:
            writer, size = BatchWriter(ix, _lk=False, compound=False, codec=codec()), 0
            writer.pool = CompactPool()  # never spills to disk: a batch's postings fit in memory
        writer.add_document(**doc)
        size += len(doc["body"]) + len(doc["head"])
        if size >= batch_chars:
            segments.append(_finish(writer))
            writer = None
    if writer is not None:
        segments.append(_finish(writer))
    return segments


class BatchWriter(SegmentWriter):
    """Whoosh's segment writer, but a CompactPool writes its own postings, a term at a time (CompactPool.write_postings)."""

    def _flush_segment(self):
        # SegmentWriter._flush_segment, with the pool's own writing when it can.
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        if isinstance(self.pool, CompactPool) and self.pool.ordered:
            self.pool.write_postings(self.fieldwriter, self.schema, lengths)
        else:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


class CompactPool:
    """Whoosh's posting pool for a segment sorted in memory, in under a quarter of its memory.

    Whoosh keeps each posting as a tuple (fieldname, term bytes, docnum, weight, value bytes) of
    five objects, ~200 bytes; here a posting is a row of flat arrays (28 bytes plus its value bytes),
    each distinct term is kept once, and a term's postings are chained in the order they came
    (a batch of BATCH_CHARS: ~21 MB, against ~94 MB). They come back sorted exactly as Whoosh
    sorts them, so the segment's files are the same bytes.
    """

    def __init__(self):
        self._reset()

    def _reset(self) -> None:
        self._terms: dict[str, dict[bytes, int]] = {}  # fieldname -> term bytes -> term number
        self._first = array("i")  # per term number: its first and its last posting
        self._last = array("i")
        self._next = array("i")  # per posting: the next posting of its term, or -1
        self._docnums = array("q")
        self._weights = array("d")
        self._values = bytearray()  # the postings' value bytes, one after another
        self._ends = array("q", [0])  # posting n's value is _values[_ends[n]:_ends[n + 1]]
        self._none: set[int] = set()  # postings whose value is None, not bytes
        self._ordered = True  # every term's postings came in increasing docnum order
        self.fieldnames: set[str] = set()

    def add(self, item) -> None:
        """Add one posting (fieldname, term bytes, docnum, weight, value bytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        n = len(self._docnums)
        term = terms.get(tbytes)
        if term is None:
            terms[tbytes] = len(self._first)
            self._first.append(n)
            self._last.append(n)
        else:
            last = self._last[term]
            if docnum <= self._docnums[last]:
                self._ordered = False  # a term twice in one document, or documents out of order
            self._next[last] = n
            self._last[term] = n
        self._next.append(-1)
        self._docnums.append(docnum)
        self._weights.append(weight)
        if vbytes is None:
            self._none.add(n)
        else:
            self._values += vbytes
        self._ends.append(len(self._values))

    @property
    def ordered(self) -> bool:
        """Whether every term's postings came in increasing document order (they then need no sorting)."""
        return self._ordered

    def iter_postings(self) -> Iterator[tuple]:
        """Yield every posting, sorted as Whoosh's pool sorts them (as tuples)."""
        values, self._values = bytes(self._values), bytearray()
        ends, docnums, weights, nxt, none, first = (self._ends, self._docnums, self._weights, self._next,
                                                    self._none, self._first)
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            for tbytes in sorted(terms):
                rows = self._chain(fieldname, tbytes, first[terms[tbytes]], values, ends, docnums, weights, nxt, none)
                if self._ordered:
                    yield from rows
                else:
                    yield from sorted(rows)

    def write_postings(self, fieldwriter, schema, lengths) -> None:
        """Write every posting through Whoosh's W3 field writer: the bytes its `add_postings` writes.

        Whoosh hands the writer one posting at a time (a tuple made, a method called and four
        types asserted per posting: a third of writing a segment) and reads the posting's field
        length in its document from the lengths column each time (17% more); here each term's
        postings are put into the writer's block buffer directly, a block written whenever Whoosh
        would write one, and each document's field length is read once.
        Only for a pool whose terms' postings came in document order (`ordered`), as a writer adds them.
        """
        values, self._values = bytes(self._values), bytearray()
        ends, docnums, weights, nxt, none, first = (self._ends, self._docnums, self._weights, self._next,
                                                    self._none, self._first)
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            known: dict[int, int | None] = {}  # docnum -> the field's length in it
            fieldwriter.start_field(fieldname, schema[fieldname])
            out = fieldwriter._postwriter
            limit = out._blocklimit
            for tbytes in sorted(terms):
                n = first[terms[tbytes]]
                rows = []
                while n >= 0:
                    rows.append(n)
                    n = nxt[n]
                fieldwriter.start_term(tbytes)
                for n in rows:
                    if len(out._ids) >= limit:
                        out._write_block()
                    docnum, weight = docnums[n], weights[n]
                    if docnum in known:
                        length = known[docnum]
                    else:
                        length = known[docnum] = lengths.doc_field_length(docnum, fieldname) if lengths else 0
                    out._ids.append(docnum)
                    out._weights.append(weight)
                    if weight > out._maxweight:
                        out._maxweight = weight
                    if n not in none and ends[n] != ends[n + 1]:
                        out._values.append(values[ends[n]:ends[n + 1]])
                    if length:
                        if out._minlength is None or length < out._minlength:
                            out._minlength = length
                        if length > out._maxlength:
                            out._maxlength = length
                fieldwriter.finish_term()
            fieldwriter.finish_field()

    @staticmethod
    def _chain(fieldname, tbytes, n, values, ends, docnums, weights, nxt, none) -> Iterator[tuple]:
        while n >= 0:
            yield fieldname, tbytes, docnums[n], weights[n], None if n in none else values[ends[n]:ends[n + 1]]
            n = nxt[n]

    items = iter_postings

    def cleanup(self) -> None:
        """Drop every posting (none of this pool is ever on disk)."""
        self._reset()


def _fresh(doc: dict) -> dict:
    """Give the document copies of its non-ASCII strings, to be freed once it is written.

    Whoosh pickles the stored fields, and pickling a str caches its UTF-8 form inside the str for
    as long as the str lives: 3 bytes per Korean character, which grew the build by ~5 MB a segment
    (~75 MB for 10,000 notes) as the loaded entries' text gained a second copy.
    """
    # "".join((v, "")) is a new str; v[:] and str(v) are v itself. ASCII strs pickle without a copy.
    return {k: v if not isinstance(v, str) or v.isascii() else "".join((v, "")) for k, v in doc.items()}


def codec():
    """Whoosh's format without zlib on posting blocks: a search decompresses no block."""
    from whoosh.codec.whoosh3 import W3Codec

    return W3Codec(compression=0)


def _finish(writer: SegmentWriter):
    # The steps Whoosh's own multi-process writer takes; the shared temp folder is removed by the
    # final commit in build_all, as other processes may still be using it.
    return writer._finalize_segment()


def build_all(ix, entries: Sequence, to_document: Callable, jobs: int) -> None:
    """Index every entry into the empty index ix, using `jobs` processes, and commit."""
    folder = getattr(ix.storage, "folder", None)
    if jobs > 1 and len(entries) >= PARALLEL_ENTRIES and folder and sys.executable:
        segments = _parallel(ix, folder, entries, to_document, jobs)
    else:
        segments = write_segments(ix, documents(entries, to_document))
    writer = ix.writer()
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def documents(entries: Iterable, to_document: Callable) -> Iterator[dict]:
    """Yield each entry's document, its strings fresh copies (see `_fresh`)."""
    for entry in entries:
        yield _fresh(to_document(entry))


def _parallel(ix, folder: str, entries: Sequence, to_document: Callable, jobs: int) -> list:
    """Split entries between this process and jobs-1 new ones; return every segment.

    Each other share is written to a file of documents that a new Python process reads and indexes.
    A forked process shared the whole build's heap instead, and every shared page either process
    wrote to (the entries it read, the holes the site build left that new postings filled) was
    copied: ~100 MB more at the peak for 10,000 notes than a new interpreter's ~25 MB.
    """
    share = -(-len(entries) // jobs)
    spools: list[str] = []
    workers: list[subprocess.Popen] = []
    try:
        for n in range(1, jobs):
            spools.append(_spool(entries[n * share:(n + 1) * share], to_document, folder))
            workers.append(_start(folder, ix.indexname, spools[-1]))
        segments = write_segments(ix, documents(entries[:share], to_document))
        for worker, spool in zip(workers, spools):
            segments += _result(worker, spool)
        return segments
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        for spool in spools:
            for path in (spool, spool + ".out", spool + ".err"):
                with contextlib.suppress(OSError):
                    os.unlink(path)


def _spool(entries: Iterable, to_document: Callable, folder: str) -> str:
    """Write the entries' documents to a new file, one marshalled dict each; return its path."""
    fd, path = tempfile.mkstemp(prefix="docs-", suffix=".spool", dir=folder)
    try:
        with open(fd, "wb") as f:
            for entry in entries:
                marshal.dump(to_document(entry), f)  # marshal, unlike pickle, caches no UTF-8 in the strings
    except BaseException:
        os.unlink(path)
        raise
    return path


def _unspool(path: str) -> Iterator[dict]:
    """Yield the documents a `_spool` file holds."""
    with open(path, "rb") as f:
        while True:
            try:
                yield marshal.load(f)
            except EOFError:
                return


def _start(folder: str, indexname: str, spool: str) -> subprocess.Popen:
    """Start a Python process indexing the documents in spool; it imports from this process's sys.path."""
    code = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
            "from notebase.search.build import index_spool; index_spool(*sys.argv[2:])")
    with open(spool + ".err", "wb") as err:  # -I: nothing in the working folder or PYTHON* settings is imported
        return subprocess.Popen([sys.executable, "-I", "-c", code, json.dumps(sys.path), folder, indexname, spool,
                                 str(BATCH_CHARS), str(os.getpid())],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)


def index_spool(folder: str, indexname: str, spool: str, batch_chars: str, parent: str = "0") -> None:
    """In a process of its own: index the spooled documents; pickle (ok, segments or traceback) beside them."""
    from whoosh import index as whoosh_index

    from notebase.crash import die_with_parent

    if int(parent):
        die_with_parent(int(parent))  # a killed build's indexer stops too
    try:
        ix = whoosh_index.open_dir(folder, indexname)
        result = (True, write_segments(ix, _unspool(spool), int(batch_chars)))
    except BaseException:  # noqa: BLE001 - the parent reports it
        result = (False, traceback.format_exc())
    with open(spool + ".out", "wb") as f:
        pickle.dump(result, f)


def _result(worker: subprocess.Popen, spool: str) -> list:
    """Wait for a worker; return its segments, or raise what went wrong in it."""
    code = worker.wait()
    try:
        with open(spool + ".out", "rb") as f:
            ok, found = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        with open(spool + ".err", encoding="utf-8", errors="replace") as f:
            said = f.read()[-2000:]
        raise RuntimeError(f"an indexing process died without a result (exit code {code}):\n{said}") from None
    if not ok:
        raise RuntimeError("indexing process failed:\n" + found)
    return found
