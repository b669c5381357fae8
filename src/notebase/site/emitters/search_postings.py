"""Every term's posting lists as search_data writes them, patched in place as documents come and go.

search_data encodes a posting list as the gaps between document numbers and the term frequencies,
each number in `encode_number` digits. Kept that way (the bytes a shard file needs anyway), a list is
patched where it changes and the rest copied:

- a document added to, removed from or changed in a list: one or two numbers change;
- documents renumbered (an added or deleted note moves every later one by one): only the gap that
  crosses the move changes, so each list changes in one number, often its first.

To find that number a list is decoded once, the first time it is touched, into the *labels* of
its documents: integers in document order that, unlike document numbers, stay put when a document
comes or goes (a new one takes a label between its neighbours'). A document's number is its
label's place in `labels`. Most terms are never decoded; all of them at 10,000 notes take ~30 MB.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from itertools import accumulate

# Attributes read at call time, not imported: tests shrink SHARD_BYTES.
from notebase.site.emitters import search_data as sd

LABEL_SPAN = 1 << 31  # labels are spread over half of [-LABEL_SPAN, LABEL_SPAN) when they are given
_INT32 = range(-(1 << 31), 1 << 31)  # what the arrays hold
_CODE = re.compile(r"[g-z0-9_-]*[A-Za-f]")  # one `encode_number` number: marked digits, then its last digit
# Skipping n numbers in one C-level match, for a few n, forwards and in the reversed text.
_FORWARD = [(n, re.compile(rf"(?:[g-z0-9_-]*[A-Za-f]){{{n}}}")) for n in (256, 64, 16, 4, 1)]
_BACKWARD = [(n, re.compile(rf"(?:[A-Za-f][g-z0-9_-]*){{{n}}}")) for n in (256, 64, 16, 4, 1)]
# A term's record: for head then body, [labels (None until decoded), encoded document numbers,
# encoded frequencies], then the term's FNV hash.
HEAD, BODY, HASH = 0, 3, 6


class _Values(dict):
    """`_enc` text to number, each code worked out once."""

    def __missing__(self, code: str) -> int:
        value = 0
        for digit in code:
            value = value * 32 + (sd.ALPHABET.index(digit) & 31)
        self[code] = value
        return value


class Digits:
    """`_enc` of 0, 1, 2... with their widths in characters, grown on demand, and the way back."""

    def __init__(self) -> None:
        self.codes = sd.Codes()
        self.widths: list[int] = []
        self.values = _Values()

    def upto(self, n: int) -> None:
        """Make codes and widths cover 0..n."""
        if n >= len(self.codes):
            self.codes.upto(n)
            self.widths.extend(map(len, self.codes[len(self.widths):]))


def _skip(text: str, count: int, patterns) -> int:
    pos = 0
    for n, pattern in patterns:
        while count >= n:
            pos = pattern.match(text, pos).end()
            count -= n
    return pos


def _offset(text: str, k: int, n: int) -> int:
    """Where the k-th of the n numbers in `text` starts, counted from the nearer end."""
    if k <= n - k:
        return _skip(text, k, _FORWARD)
    return len(text) - _skip(text[::-1], n - k, _BACKWARD)


class Postings:
    """The postings of every term, grouped in FNV shards, with the shards a change touched."""

    def __init__(self, encoded: dict[str, list[str]], digits: Digits, count: int):
        self.digits = digits
        self.records: dict[str, list] = {}
        self.size = 0  # what search_data sizes shards by
        while encoded:
            term, (head, head_tfs, body, body_tfs) = encoded.popitem()  # popped: never two copies
            self.records[term] = [None, head, head_tfs, None, body, body_tfs, sd.fnv1a(term)]
            self.size += len(term) + len(head) + len(head_tfs) + len(body) + len(body_tfs) + 12
        self.labels: list[int] = []  # of each document, in document order
        self.spacing = 1
        self._relabel(count)
        self.shards: list[dict[str, list]] = []
        self.dirty: set[int] = set()
        self.appeared: set[str] = set()  # terms that came or went since the caller last looked (the vocabulary's)
        self.vanished: set[str] = set()
        self.reshard()

    def reshard(self) -> None:
        """Spread the terms over as many shards as their size asks for; every shard is then dirty."""
        count = sd.shard_count(self.size, sd.SHARD_BYTES)
        self.shards = [{} for _ in range(count)]
        for term, record in self.records.items():
            self.shards[record[HASH] & (count - 1)][term] = record
        self.dirty = set(range(count))

    def shard_file(self, n: int) -> tuple[str, bytes]:
        """Return shard n's file as search_data writes it."""
        return sd.data_file(f"terms/{n}.js", "terms", n, {t: [r[1], r[2], r[4], r[5]] for t, r in self.shards[n].items()})

    def insert(self, doc: int, counts) -> None:
        """Add a document numbered `doc` (the ones from there on move up) with its (head, body) term counts."""
        if doc < len(self.labels):
            self._shift(doc, 1)
        label = self._new_label(doc)  # first: it may replace self.labels
        self.labels.insert(doc, label)
        for field, found in zip((HEAD, BODY), counts):
            for term, tf in found.items():
                self.set(term, field, doc, tf)

    def remove(self, doc: int, counts) -> None:
        """Remove document `doc`, whose (head, body) term counts are `counts` (the later ones move down)."""
        for field, found in zip((HEAD, BODY), counts):
            for term in found:
                self.set(term, field, doc, 0)
        if doc + 1 < len(self.labels):
            self._shift(doc + 1, -1)
        del self.labels[doc]

    def change(self, doc: int, old, new) -> None:
        """Bring document `doc` from the (head, body) term counts `old` to `new`."""
        for field, before, after in zip((HEAD, BODY), old, new):
            for term in before.keys() | after.keys():
                if before.get(term, 0) != after.get(term, 0):
                    self.set(term, field, doc, after.get(term, 0))

    def set(self, term: str, field: int, doc: int, tf: int) -> None:
        """Make `term` occur `tf` times in document `doc`'s field (HEAD or BODY); 0 removes it."""
        record = self.records.get(term)
        if record is None:
            if not tf:
                return
            record = self.records[term] = [array("i"), "", "", array("i"), "", "", sd.fnv1a(term)]
            self.shards[record[HASH] & (len(self.shards) - 1)][term] = record
            self.size += len(term) + 12
            self.appeared.add(term)
            self.vanished.discard(term)
        docs = self._decoded(record, field)
        text, freqs = record[field + 1], record[field + 2]
        labels, label = self.labels, self.labels[doc]
        self.digits.upto(tf)
        codes, widths = self.digits.codes, self.digits.widths
        k, n = bisect_left(docs, label), len(docs)
        present = k < n and docs[k] == label
        if not (present or tf):
            return
        at, tf_at = _offset(text, k, n), _offset(freqs, k, n)
        prev = bisect_left(labels, docs[k - 1]) if k else -1
        if present:
            old_tf = _CODE.match(freqs, tf_at).end() - tf_at
            freqs = freqs[:tf_at] + (codes[tf] if tf else "") + freqs[tf_at + old_tf:]
        if present and not tf:  # the gaps either side of doc become one
            if k + 1 < n:
                after = bisect_left(labels, docs[k + 1])
                text = text[:at] + codes[after - prev] + text[at + widths[doc - prev] + widths[after - doc]:]
            else:
                text = text[:at]
            del docs[k]
        elif not present:  # doc splits the gap it falls in
            if k < n:
                after = bisect_left(labels, docs[k])
                text = text[:at] + codes[doc - prev] + codes[after - doc] + text[at + widths[after - prev]:]
            else:
                text += codes[doc - prev]
            freqs = freqs[:tf_at] + codes[tf] + freqs[tf_at:]
            docs.insert(k, label)
        self.size += len(text) + len(freqs) - len(record[field + 1]) - len(record[field + 2])
        record[field + 1], record[field + 2] = text, freqs
        shard = record[HASH] & (len(self.shards) - 1)
        self.dirty.add(shard)
        if not (record[HEAD + 1] or record[BODY + 1]):
            del self.records[term], self.shards[shard][term]
            self.size -= len(term) + 12
            self.vanished.add(term)
            self.appeared.discard(term)

    def _shift(self, start: int, delta: int) -> None:
        """Renumber documents `start` and later by `delta` (1 or -1): each list changes in one gap."""
        codes, widths, values, labels = self.digits.codes, self.digits.widths, self.digits.values, self.labels
        boundary, mask = labels[start], len(self.shards) - 1
        for record in self.records.values():
            for field in (HEAD, BODY):
                text = record[field + 1]
                if not text:
                    continue
                docs = record[field]
                if docs is None:
                    first = _CODE.match(text).group()
                    gap = values[first]  # the first document's number plus one
                    if gap > start:  # every document moves: only the first number changes
                        record[field + 1] = codes[gap + delta] + text[len(first):]
                        self.size += widths[gap + delta] - len(first)
                        self.dirty.add(record[HASH] & mask)
                        continue
                    docs = self._decoded(record, field)
                k = bisect_left(docs, boundary)
                if k == len(docs):
                    continue
                gap = bisect_left(labels, docs[k]) - (bisect_left(labels, docs[k - 1]) if k else -1)
                at = _offset(text, k, len(docs))
                record[field + 1] = text[:at] + codes[gap + delta] + text[at + widths[gap]:]
                self.size += widths[gap + delta] - widths[gap]
                self.dirty.add(record[HASH] & mask)

    def _new_label(self, doc: int) -> int:
        """A label between those of the documents now numbered doc - 1 and doc, relabelling all if none is free."""
        labels = self.labels
        low = labels[doc - 1] if doc else None
        high = labels[doc] if doc < len(labels) else None
        if low is None and high is None:
            return 0
        if low is None:
            label = high - self.spacing
        elif high is None:
            label = low + self.spacing
        else:
            label = (low + high) // 2
        if label == low or label == high or label not in _INT32:
            self._relabel(len(labels))  # rare: ~count/2 notes added at one end, or ~20 at one place
            return self._new_label(doc)
        return label

    def _relabel(self, count: int) -> None:
        """Give the `count` documents evenly spaced labels over the middle half of the range; decoded lists follow."""
        self.spacing = max(2, LABEL_SPAN // (count + 1))
        start = -(count * self.spacing) // 2
        fresh = list(range(start, start + count * self.spacing, self.spacing))
        mapping = dict(zip(self.labels, fresh))
        for record in self.records.values() if mapping else ():
            for field in (HEAD, BODY):
                if record[field] is not None:
                    record[field] = array("i", map(mapping.__getitem__, record[field]))
        self.labels = fresh

    def _decoded(self, record: list, field: int) -> array:
        """Return a field's document labels, decoding its numbers the first time."""
        if record[field] is None:
            numbers = accumulate(map(self.digits.values.__getitem__, _CODE.findall(record[field + 1])), initial=-1)
            next(numbers)
            record[field] = array("i", map(self.labels.__getitem__, numbers))
        return record[field]
