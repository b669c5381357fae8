"""Whoosh 2.7 posting lists (W3 codec) decoded a block at a time, for `scoring.Scorer`.

A block is a length, a pickled info tuple and a pickled data tuple; the reading here cuts the ids
and weights out of the pickle's bytes where it can and falls back to Whoosh's matchers when a
list is not laid out as expected.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from pickle import loads

class Unexpected(Exception):
    """A posting list not laid out as Whoosh 2.7's W3 codec writes it: read it through a matcher."""


def leaf_blocks(leaf, info, field: str, term: str, offset: int, values: bool,
                 wanted: list[int] | None = None) -> list[tuple]:
    """Return one leaf's postings of a term as (ids + offset, weights, values or None) blocks."""
    try:
        return list(_decode(leaf._terms._postfile, info, offset, values, wanted))
    except (Unexpected, AttributeError, IndexError, TypeError, ValueError, struct.error, zlib.error):
        return list(_matcher_blocks(leaf.postings(field, term), offset, values))


def _matcher_blocks(matcher, offset: int, values: bool) -> Iterator[tuple]:
    """Yield a matcher's live postings as one block, a posting at a time (the slow, general way)."""
    postings = []
    while matcher.is_active():
        postings.append((matcher.id() + offset, matcher.weight(), matcher.value() if values else None))
        matcher.next()
    ids, weights, found = zip(*postings) if postings else ((), (), ())
    yield ids, weights, found if values else None


_MAGIC = b"W3Bl"
_INT = struct.Struct("!i")
_DOUBLE = struct.Struct(">d")
_WEIGHTS: dict[int, struct.Struct] = {}


def _decode(postfile, info, offset: int, values: bool, wanted: list[int] | None) -> Iterator[tuple]:
    """Yield the blocks of a W3 posting list: a length, a pickled info tuple, a pickled data tuple.

    The data tuple is (delta-coded ids, weights, encoded positions); the positions are most of its
    bytes and of the time pickle takes, so without `values` the ids and weights are cut out of the
    pickle's bytes (1-byte deltas and 8-byte floats, checked), else the whole tuple is unpickled.
    With `wanted` (sorted document numbers), blocks holding none of them are skipped.
    """
    if info.is_inlined():
        raise Unexpected("inlined postings")
    start, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length  # Whoosh 2.7 reads it back as a 1-tuple
    buf = postfile.get(start, length)
    if buf[:4] != _MAGIC:
        raise Unexpected("no block header")
    p, end, size, last = 4, len(buf), 0, offset - 1
    while p < end:
        size = _INT.unpack_from(buf, p)[0]
        stop = p + 4 + abs(size)
        (n, top, _, compression, _, _), q = _pickled(buf, p + 4, 6)
        top += offset
        if wanted is not None and bisect_right(wanted, last) == bisect_right(wanted, top):
            p, last = stop, top
            continue
        data = buf[q:stop]
        if compression:
            data = zlib.decompress(data)
        block = None if values else _ids_and_weights(data, n, offset)
        if block is None:
            ids, weights, found = loads(data)
            if values and not (isinstance(found, tuple) and len(found) == n):
                raise Unexpected("values not one per posting")  # fixed-size formats: Whoosh splits them
            ids = tuple(accumulate(ids, initial=offset))[1:]
            if weights is None:
                weights = (1.0,) * n
            elif isinstance(weights, float):
                weights = (array("f", [weights])[0],) * n  # as Whoosh's array("f") of the one weight
            block = ids, weights, found
        if len(block[0]) != n or block[0][-1] != top:
            raise Unexpected("block ids do not match its info")
        yield block
        p, last = stop, top
        if size < 0:
            break
    if p != end or size >= 0:
        raise Unexpected("posting list does not end with its last block")


def _ids_and_weights(data: bytes, n: int, offset: int) -> tuple | None:
    """Cut ids and weights out of a pickled data tuple without unpickling it; None if not laid out so."""
    if n < 4 or data[:3] != b"\x80\x02(":
        return None
    first, i = _item(data, 3)
    rest = 2 * (n - 1)
    if not isinstance(first, int) or data[i:i + rest:2] != b"K" * (n - 1) or data[i + rest] != 0x74:
        return None
    ids = tuple(accumulate(data[i + 1:i + rest:2], initial=first + offset))
    i = _memo(data, i + rest + 1)
    op = data[i]
    if op == 0x4E:  # None: every weight is 1
        return ids, (1.0,) * n, None
    if op == 0x47:  # one float for all
        return ids, (array("f", _DOUBLE.unpack_from(data, i + 1))[0],) * n, None
    if op == 0x28 and data[i + 1:i + 1 + 9 * n:9] == b"G" * n and data[i + 1 + 9 * n] == 0x74:
        unpack = _WEIGHTS.get(n)
        if unpack is None:
            unpack = _WEIGHTS[n] = struct.Struct(">" + "xd" * n)
        return ids, unpack.unpack_from(data, i + 1), None
    return None


def _pickled(buf: bytes, p: int, count: int) -> tuple[list, int]:
    """Read a pickled tuple of `count` numbers at p; return them and where the pickle ends."""
    if buf[p:p + 3] != b"\x80\x02(":
        raise Unexpected("block info")
    i, items = p + 3, []
    for _ in range(count):
        value, i = _item(buf, i)
        items.append(value)
    if buf[i] != 0x74:
        raise Unexpected("block info")
    i = _memo(buf, i + 1)
    if buf[i] != 0x2E:
        raise Unexpected("block info")
    return items, i + 1


def _item(buf: bytes, i: int) -> tuple:
    """Read one pickled number (BININT1/2, BININT, BINFLOAT or None) at i."""
    op = buf[i]
    if op == 0x4B:
        return buf[i + 1], i + 2
    if op == 0x4D:
        return buf[i + 1] | buf[i + 2] << 8, i + 3
    if op == 0x4A:
        return int.from_bytes(buf[i + 1:i + 5], "little", signed=True), i + 5
    if op == 0x47:
        return _DOUBLE.unpack_from(buf, i + 1)[0], i + 9
    if op == 0x4E:
        return None, i + 1
    raise Unexpected(f"pickle opcode {op}")


def _memo(buf: bytes, i: int) -> int:
    """Skip a BINPUT or LONG_BINPUT after a pickled tuple."""
    op = buf[i]
    return i + 2 if op == 0x71 else i + 5 if op == 0x72 else i
