"""Each entry's concept topics and first words, read once per assemble: in parallel when there are many.

Reading an entry's text for its topics is most of what topics and related entries cost (under a
millisecond an entry), so past `PARALLEL` entries the work is split across processes as the entry
pages are (fork: the entries and the vocabulary are inherited, not pickled); each process sends
back only the topic keys and the words.

Entries are read in chunks of `CHUNK`, whatever the number of processes, and each chunk leaves out
the words in more of its entries than `KEPT_LIMIT` allows: such words are no sign of kinship
(related.py), and sending them back would cost more than reading. The same chunks in one process
or many give the same words.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from notebase.crash import worker_pool
from notebase.model import Entry
from notebase.site.related import profile, telling_limit
from notebase.site.topics import SCANNED, Vocabulary, tokens

PARALLEL = 1500  # below this, starting processes costs more than it saves
# Entries read together, whose common words are left out together. Small enough that the chunks
# share out evenly over the processes (5 chunks of 2,000 left one process 60% of the work).
CHUNK = 1000
Reading = tuple[tuple[str, ...], tuple[str, ...]]  # topic keys, best first; the entry's first words

_FORKED: tuple | None = None  # (entries, vocabulary) inherited by forked workers


def read_entry(entry: Entry, vocab: Vocabulary | None, words: bool = True) -> Reading:
    """Return an entry's topic keys and (unless not asked for) the words of its first lines, for related entries."""
    if vocab is None:
        return (), profile(tokens(entry.text[:SCANNED])) if words else ()
    topics, read = vocab.read(entry)
    return topics, profile(read) if words else ()


def kept_limit(entries: int) -> int:
    """Return in how many entries of a chunk a word may be and still be kept: well past a telling word's."""
    return 4 * telling_limit(entries)


def _chunk(entries: Sequence[Entry], vocab: Vocabulary | None, start: int, stop: int,
           words: bool = True) -> list[Reading]:
    readings = [read_entry(entries[n], vocab, words) for n in range(start, stop)]
    limit = kept_limit(len(entries))
    common = Counter(chain.from_iterable(words for _, words in readings))
    frequent = {word for word, n in common.items() if n > limit}
    if not frequent:
        return readings
    return [(topics, tuple(w for w in words if w not in frequent)) for topics, words in readings]


def _forked_chunk(start: int, stop: int) -> list[Reading]:
    entries, vocab, words = _FORKED
    return _chunk(entries, vocab, start, stop, words)


def read_entries(entries: Sequence[Entry], vocab: Vocabulary | None, jobs: int | None = None,
                 words: bool = True) -> list[Reading]:
    """Return every entry's reading, in order; without `words` (no related entries) only the topics."""
    global _FORKED
    count = len(entries)
    if vocab is None and not words:
        return [((), ())] * count
    bounds = [(a, min(a + CHUNK, count)) for a in range(0, count, CHUNK)]
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs < 2 or count < PARALLEL or len(bounds) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [r for a, b in bounds for r in _chunk(entries, vocab, a, b, words)]
    _FORKED = (entries, vocab, words)
    gc.freeze()  # the children's collector then leaves the shared pages alone
    try:
        # This process reads every jobs-th chunk, the workers the others, so all finish about together.
        with worker_pool(min(jobs - 1, len(bounds) - 1), "fork") as pool:
            futures = {n: pool.submit(_forked_chunk, *bounds[n]) for n in range(len(bounds)) if n % jobs}
            parts = {n: _chunk(entries, vocab, *bounds[n], words) for n in range(len(bounds)) if not n % jobs}
            for n, future in futures.items():
                # Words come back as new strings: interned again, the entries share them.
                parts[n] = [(topics, tuple(map(sys.intern, words))) for topics, words in future.result()]
        return [r for n in range(len(bounds)) for r in parts[n]]
    finally:
        _FORKED = None
        gc.unfreeze()
