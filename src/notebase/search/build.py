"""Build a whole index fast: segments written in parallel processes, in batches that fit in memory.

Whoosh's writer sorts postings in a memory pool and, past its limit, pickles every posting to
disk and merges the runs back, which doubled the time for 10,000 notes. Here each batch of about
BATCH_CHARS of text becomes its own segment, sorted in memory, and processes split the entries
between them; the segments are listed in one table of contents at the end, never merged.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Sequence

from whoosh.writing import SegmentWriter

BATCH_CHARS = 3_000_000  # text per segment: about 75 MB of postings in the pool per process, no spill
POOL_MB = 512
PARALLEL_ENTRIES = 1500  # below this, a second process costs more than it saves


def write_segments(ix, docs: Sequence, to_document: Callable) -> list:
    """Write entries into new segments of ix without taking its lock; return the segments."""
    segments = []
    writer, size = None, 0
    for entry in docs:
        if writer is None:
            writer, size = SegmentWriter(ix, _lk=False, limitmb=POOL_MB, compound=False, codec=codec()), 0
        doc = to_document(entry)
        writer.add_document(**doc)
        size += len(doc["body"]) + len(doc["head"])
        if size >= BATCH_CHARS:
            segments.append(_finish(writer))
            writer = None
    if writer is not None:
        segments.append(_finish(writer))
    return segments


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
    if jobs > 1 and len(entries) >= PARALLEL_ENTRIES and "fork" in multiprocessing.get_all_start_methods():
        segments = _parallel(ix, entries, to_document, jobs)
    else:
        segments = write_segments(ix, entries, to_document)
    writer = ix.writer()
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _parallel(ix, entries: Sequence, to_document: Callable, jobs: int) -> list:
    """Split entries between this process and jobs-1 forked ones; return every segment."""
    context = multiprocessing.get_context("fork")  # children inherit the entries: nothing to pickle
    share = -(-len(entries) // jobs)
    results = context.Queue()
    workers = []
    gc.freeze()  # keep the children's collector from copying every shared page
    try:
        for n in range(1, jobs):
            part = entries[n * share:(n + 1) * share]
            worker = context.Process(target=_work, args=(ix, part, to_document, results), daemon=True)
            worker.start()
            workers.append(worker)
    finally:
        gc.unfreeze()
    segments = write_segments(ix, entries[:share], to_document)
    failures = []
    waiting = len(workers)
    while waiting:
        try:
            ok, found = results.get(timeout=1.0)
        except queue.Empty:
            if not any(w.is_alive() for w in workers) and results.empty():
                raise RuntimeError("an indexing process died without a result (out of memory?)") from None
            continue
        waiting -= 1
        (segments.extend if ok else failures.append)(found)
    for worker in workers:
        worker.join()
    if failures:
        raise RuntimeError("indexing process failed:\n" + failures[0])
    return segments


def _work(ix, entries, to_document, results) -> None:
    try:
        results.put((True, write_segments(ix, entries, to_document)))
    except BaseException:  # noqa: BLE001 - the parent reports it
        results.put((False, traceback.format_exc()))
    finally:
        results.close()
        results.join_thread()  # the result must reach the pipe before the process ends
        os._exit(0)  # skip the parent's atexit handlers and buffers, inherited by fork
