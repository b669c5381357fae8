"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (as it was before, after it).

    Parsing a large body, assembling a site of 10,000 entries and pickling the build state each
    make many small objects and no reference cycles; every collection they would set off walks
    every object alive (on a table of 50,000 rows, two thirds of the parse; at 10,000 notes,
    seconds of assembling). Whatever garbage there is is collected once the collector is back on.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
