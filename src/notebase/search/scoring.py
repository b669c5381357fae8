"""BM25F scoring straight from Whoosh's posting lists, and bounds that let a search score few entries.

Whoosh's matcher trees advance one document at a time through a Python object per query term
and field; for a Korean query of six bigrams over 10,000 notes that is 60-180 ms. Here each posting
list is decoded a block at a time into a dict of term frequencies, kept for the next queries, and
scored with Whoosh's own BM25F formula (idf = log(N / (df + 1)) + 1, B = 0.75, K1 = 1.2), so
rankings do not change. Which documents match is found with set operations, and `bounds` says how
much a group can add at most, so a search scores only the documents that can still reach its top.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from math import inf, log
from pickle import loads

from whoosh.reading import TermNotFound

K1 = 1.2
B = 0.75
# Decoded postings kept between queries, least recently used dropped first: about 110 bytes each.
CACHE_POSTINGS = 300_000
CACHE_PHRASES = 256


@dataclass(frozen=True)
class Group:
    """Terms scored together: a word's term, a phrase, or a glossary synonym.

    A group with `all_terms` scores only in entries that hold every one of its terms; `docs`, when
    given, further limits it to those document numbers (the entries where a phrase occurs).
    `slots` are the coordination slots the group fills when it scores in an entry.
    """

    terms: tuple[str, ...]
    boost: float
    slots: tuple[int, ...]
    all_terms: bool = False
    docs: frozenset[int] | None = None


@dataclass(frozen=True)
class Postings:
    """One term's postings in one field of the whole index, and what bounds its score."""

    weights: dict[int, float]  # term frequency by document number, deleted documents included
    df: int  # document frequency as Whoosh counts it for idf (deleted documents included)
    max_weight: float
    min_length: int  # the shortest field length among its documents, as doc_field_length reads it


class Scorer:
    """Scores term groups over one open Whoosh searcher; cheap to keep for many queries."""

    def __init__(self, searcher, field_boosts: dict[str, float]):
        self.searcher = searcher
        self.fields = field_boosts
        self.count = searcher.doc_count_all()
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.offsets = [offset for _, offset in self.leaves]
        self.average = {f: searcher.field_length(f) / (self.count or 1) for f in field_boosts}
        self._norms: dict[str, list[float | None]] = {f: [None] * self.count for f in field_boosts}
        self._columns: dict[str, list] = {}
        self._readers: dict[str, object] = {}
        self._dates: tuple[list[str], list[int]] | None = None
        self._postings: OrderedDict[tuple[str, str], Postings | None] = OrderedDict()
        self._held = 0
        self._phrases: OrderedDict[tuple, frozenset[int]] = OrderedDict()
        self.deleted = {offset + d for reader, offset in self.leaves if reader.has_deletions()
                        for d in range(reader.doc_count_all()) if reader.is_deleted(d)}

    def column(self, name: str, wanted: int):
        """Return a sortable field's values by document number: a list when many are wanted."""
        if wanted < 200:
            if name not in self._readers:  # a column reader derives its offsets in Python: keep it
                self._readers[name] = self.searcher.reader().column_reader(name)
            return self._readers[name]
        if name not in self._columns:
            self._columns[name] = list(self.searcher.reader().column_reader(name))
        return self._columns[name]

    def dated(self, start: str, end: str) -> set[int]:
        """Return the documents whose date column is between start and end, both included."""
        if self._dates is None:
            dates = self.column("date", max(self.count, 200))
            order = sorted(range(len(dates)), key=dates.__getitem__)
            self._dates = [dates[d] for d in order], order
        days, docs = self._dates
        return set(docs[bisect_left(days, start):bisect_right(days, end)])

    def postings(self, field: str, term: str) -> Postings | None:
        """Return a term's postings in a field, decoded once and kept while the cache has room."""
        key = (field, term)
        if key in self._postings:
            self._postings.move_to_end(key)
            return self._postings[key]
        weights: dict[int, float] = {}
        df, min_length = 0, None
        for leaf, offset in self.leaves:
            try:
                info = leaf.term_info(field, term)
            except TermNotFound:
                continue
            df += info.doc_frequency()  # what reader.doc_frequency sums, without looking the term up again
            length = info.min_length() or 0
            min_length = length if min_length is None else min(min_length, length)
            for ids, found, _ in _leaf_blocks(leaf, info, field, term, offset, False):
                weights.update(zip(ids, found))
        found = Postings(weights, df, max(weights.values()), min_length) if weights else None
        self._postings[key] = found
        self._held += len(weights)
        while self._held > CACHE_POSTINGS and len(self._postings) > 1:
            _, old = self._postings.popitem(last=False)
            self._held -= len(old.weights) if old else 0
        return found

    def docs(self, term: str, fields=None) -> set[int]:
        """Return the documents holding a term in any of the fields (the scored ones unless given)."""
        found: set[int] = set()
        for field in fields or self.fields:
            postings = self.postings(field, term)
            if postings is not None:
                found.update(postings.weights)  # deleted documents too: callers leave them out
        return found

    def phrase_docs(self, terms: tuple[str, ...], slop: int) -> frozenset[int]:
        """Return the live documents with the terms in order in one field, each at most slop after the last.

        The same documents as Whoosh's `Phrase(field, terms, slop)` in any scored field, whose span
        matching this repeats over the positions: reading them through its matchers took 20-40 ms.
        """
        key = (terms, slop)
        if key in self._phrases:
            self._phrases.move_to_end(key)
            return self._phrases[key]
        if len(terms) == 1:
            found = self.docs(terms[0])
        else:
            found = set()
            for field in self.fields:
                sets = [self.postings(field, t) for t in terms]
                if all(sets):
                    both = set.intersection(*(set(p.weights) for p in sets)) - self.deleted
                    if both:
                        found |= self._near(field, terms, slop, both)
        result = frozenset(found - self.deleted)
        self._phrases[key] = result
        if len(self._phrases) > CACHE_PHRASES:
            self._phrases.popitem(last=False)
        return result

    def _near(self, field: str, terms: tuple[str, ...], slop: int, docs: set[int]) -> set[int]:
        """Return the documents among docs where the terms occur as Whoosh's SpanNear2 (ordered) finds them."""
        wanted = sorted(docs)
        positions = {term: self._positions(field, term, wanted, docs) for term in dict.fromkeys(terms)}
        found = set()
        for doc in wanted:
            spans = {(p, p) for p in positions[terms[0]][doc]}
            for term in terms[1:]:
                later = positions[term][doc]
                # A span grows by a later position 1..slop past its end (Whoosh's mindist=1, ordered).
                spans = {(start, p) for start, end in spans
                         for p in later[bisect_right(later, end):bisect_right(later, end + slop)]}
                if not spans:
                    break
            if spans:
                found.add(doc)
        return found

    def _positions(self, field: str, term: str, wanted: list[int], docs: set[int]) -> dict[int, list[int]]:
        """Return a term's positions in each of docs (also given sorted), reading only their blocks."""
        out: dict[int, list[int]] = {}
        for leaf, offset in self.leaves:
            try:
                info = leaf.term_info(field, term)
            except TermNotFound:
                continue
            for ids, _, values in _leaf_blocks(leaf, info, field, term, offset, True, wanted):
                for doc in docs.intersection(ids):
                    value = values[bisect_left(ids, doc)]
                    if not value.endswith(b"."):  # as Whoosh's Positions.decode_positions
                        value += b"."
                    out[doc] = list(accumulate(loads(value[4:])))
        return out

    def _scale(self, field: str, postings: Postings, boost: float) -> float:
        return boost * self.fields[field] * (log(self.count / (postings.df + 1)) + 1) * (K1 + 1)

    def bounds(self, group: Group, docs: set[int]) -> list[tuple[set[int], float]]:
        """Return, per field, the documents of docs holding a group's term there, and the most it adds there."""
        out = []
        for field in self.fields:
            top, holding = 0.0, set()
            for term in dict.fromkeys(group.terms):
                postings = self.postings(field, term)
                if postings is None:
                    continue
                # weight / (weight + norm) grows with the weight and shrinks with the field length.
                weight = postings.max_weight
                norm = K1 * (1 - B + B * postings.min_length / (self.average[field] or 1.0))
                top += self._scale(field, postings, group.boost) * weight / (weight + norm)
                holding |= postings.weights.keys() & docs
            if holding:
                # Room for the rounding of sums added in another order; no bound for negative boosts.
                out.append((holding, top * (1 + 1e-9) if group.boost >= 0 else inf))
        return out

    def group_docs(self, group: Group) -> set[int]:
        """Return the documents a group scores in (deleted ones included)."""
        unique = tuple(dict.fromkeys(group.terms))
        sets = [self.docs(term) for term in unique]
        if group.all_terms and len(unique) > 1:
            found = set.intersection(*sets)
        else:
            found = set().union(*sets)
        return set(group.docs.intersection(found)) if group.docs is not None else found

    def score(self, groups: list[Group], docs: set[int],
              matched: list[set[int]]) -> tuple[dict[int, float], dict[int, set[int]]]:
        """Return the summed score and the filled slots of each of docs, given each group's documents.

        Sums are added term by term, field by field, group by group, as the one-pass scorer this
        replaced added them, so every score is the same float.
        """
        total: dict[int, float] = {}
        filled: dict[int, set[int]] = {}
        for group, found in zip(groups, matched):
            inside = docs & found
            if not inside:
                continue
            scores = dict.fromkeys(inside, 0.0)
            for term in dict.fromkeys(group.terms):
                for field in self.fields:
                    postings = self.postings(field, term)
                    if postings is None:
                        continue
                    scale = self._scale(field, postings, group.boost)
                    average = self.average[field] or 1.0
                    weights, norms = postings.weights, self._norms[field]
                    for doc in weights.keys() & inside:
                        weight = weights[doc]
                        norm = norms[doc]
                        if norm is None:
                            leaf, offset = self.leaves[bisect_right(self.offsets, doc) - 1]
                            norm = norms[doc] = K1 * (1 - B + B * leaf.doc_field_length(doc - offset, field) / average)
                        scores[doc] += scale * weight / (weight + norm)
            for doc, value in scores.items():
                total[doc] = total.get(doc, 0.0) + value
                slots = filled.get(doc)
                if slots is None:
                    filled[doc] = set(group.slots)
                else:
                    slots.update(group.slots)
        return total, filled


class _Unexpected(Exception):
    """A posting list not laid out as Whoosh 2.7's W3 codec writes it: read it through a matcher."""


def _leaf_blocks(leaf, info, field: str, term: str, offset: int, values: bool,
                 wanted: list[int] | None = None) -> list[tuple]:
    """Return one leaf's postings of a term as (ids + offset, weights, values or None) blocks."""
    try:
        return list(_decode(leaf._terms._postfile, info, offset, values, wanted))
    except (_Unexpected, AttributeError, IndexError, TypeError, ValueError, struct.error, zlib.error):
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
        raise _Unexpected("inlined postings")
    start, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length  # Whoosh 2.7 reads it back as a 1-tuple
    buf = postfile.get(start, length)
    if buf[:4] != _MAGIC:
        raise _Unexpected("no block header")
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
                raise _Unexpected("values not one per posting")  # fixed-size formats: Whoosh splits them
            ids = tuple(accumulate(ids, initial=offset))[1:]
            if weights is None:
                weights = (1.0,) * n
            elif isinstance(weights, float):
                weights = (array("f", [weights])[0],) * n  # as Whoosh's array("f") of the one weight
            block = ids, weights, found
        if len(block[0]) != n or block[0][-1] != top:
            raise _Unexpected("block ids do not match its info")
        yield block
        p, last = stop, top
        if size < 0:
            break
    if p != end or size >= 0:
        raise _Unexpected("posting list does not end with its last block")


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
        raise _Unexpected("block info")
    i, items = p + 3, []
    for _ in range(count):
        value, i = _item(buf, i)
        items.append(value)
    if buf[i] != 0x74:
        raise _Unexpected("block info")
    i = _memo(buf, i + 1)
    if buf[i] != 0x2E:
        raise _Unexpected("block info")
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
    raise _Unexpected(f"pickle opcode {op}")


def _memo(buf: bytes, i: int) -> int:
    """Skip a BINPUT or LONG_BINPUT after a pickled tuple."""
    op = buf[i]
    return i + 2 if op == 0x71 else i + 5 if op == 0x72 else i
