"""Each entry's concept topics and first words, read once per assemble: in parallel when there are many.

Reading an entry's text for its topics is most of what topics and related entries cost (about a
millisecond an entry), so past `PARALLEL` entries the work is split across processes as the entry
pages are (fork: the entries and the vocabulary are inherited, not pickled); each process sends
back only the topic keys and the words.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Sequence

from notebase.crash import worker_pool
from notebase.model import Entry
from notebase.related import profile
from notebase.topics import SCANNED, Vocabulary, tokens

PARALLEL = 1500  # below this, starting processes costs more than it saves
Reading = tuple[tuple[str, ...], tuple[str, ...]]  # topic keys, best first; the entry's first words

_FORKED: tuple | None = None  # (entries, vocabulary) inherited by forked workers


def read_entry(entry: Entry, vocab: Vocabulary | None) -> Reading:
    """Return an entry's topic keys and the words of its first lines (for related entries by text)."""
    if vocab is None:
        return (), profile(tokens(entry.text[:SCANNED]))
    topics, words = vocab.read(entry)
    return topics, profile(words)


def _share(start: int, stop: int) -> list[Reading]:
    entries, vocab = _FORKED
    return [read_entry(entries[n], vocab) for n in range(start, stop)]


def read_entries(entries: Sequence[Entry], vocab: Vocabulary | None, jobs: int | None = None) -> list[Reading]:
    """Return every entry's reading, in order."""
    global _FORKED
    count = len(entries)
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs < 2 or count < PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return [read_entry(e, vocab) for e in entries]
    _FORKED = (entries, vocab)
    gc.freeze()  # the children's collector then leaves the shared pages alone
    try:
        mine = count // jobs
        size = -(-(count - mine) // (jobs - 1))
        bounds = [(i, min(i + size, count)) for i in range(mine, count, size)]
        with worker_pool(jobs - 1, "fork") as pool:
            futures = [pool.submit(_share, a, b) for a, b in bounds]
            readings = _share(0, mine)
            for future in futures:
                # Words come back as new strings: interned again, the entries share them.
                readings += [(topics, tuple(map(sys.intern, words))) for topics, words in future.result()]
        return readings
    finally:
        _FORKED = None
        gc.unfreeze()
