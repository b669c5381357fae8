"""BM25F scoring straight from Whoosh's posting lists, and bounds that let a search score few entries.

Whoosh's matcher trees advance one document at a time through a Python object per query term
and field; for a Korean query of six bigrams over 10,000 notes that is 60-180 ms. Here each posting
list is decoded a block at a time into a dict of term frequencies, kept for the next queries, and
scored with Whoosh's own BM25F formula (idf = log(N / (df + 1)) + 1, B = 0.75, K1 = 1.2), so
rankings do not change. Which documents match is found with set operations, and `bounds` says how
much a group can add at most, so a search scores only the documents that can still reach its top.

Three departures from plain BM25F, each the same in the site's search (search.js):

- The head field's weight falls for common words: a term in COMMON_SHARE of the entries or more
  weighs no more in a title than in the body, a rare one the head's full boost (`field_weight`),
  so a title that happens to say 데이터 does not outrank the entry about the query.
- Long fields are normalised as passages: past PASSAGE times the average length, each further
  token counts SPREAD of one (`effective_length`), so a long conference log whose one section
  is about the query is not buried for its length.
- A glossary synonym of several terms gives partial credit (`Group.partial`): an entry with some
  of its terms, its rarest among them, scores their share of the synonym's idf (`fills`) when that
  share is PARTIAL_MIN or more, so `contrastive loss` counts for `contrastive learning`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate
from math import inf, log
from pickle import loads

from whoosh.reading import TermNotFound

from notebase.search.w3 import leaf_blocks

K1 = 1.2
B = 0.75
HEAD = "head"  # the field whose weight falls for common words
COMMON_SHARE = 0.25  # a term in this share of the entries or more gets no title bonus
PASSAGE = 2.0  # field length, in average lengths, from which further tokens count SPREAD each
SPREAD = 0.25
PARTIAL_MIN = 0.5  # share of a synonym's idf an entry must hold to score it partly
# Decoded postings kept between queries, least recently used dropped first: about 110 bytes each.
CACHE_POSTINGS = 300_000
CACHE_PHRASES = 256


@dataclass(frozen=True)
class Group:
    """Terms scored together: a typed word's pieces, a phrase, or a glossary synonym.

    A group with `all_terms` scores only in entries that hold every one of its terms; `docs`, when
    given, further limits it to those document numbers (where a phrase occurs, or where a word has
    enough of its pieces). `weights` scale each term (a word's pieces share one word's weight).
    A `partial` group scores in entries holding PARTIAL_MIN of its idf, times that share. `slots`
    are the coordination slots the group fills when it scores in an entry (partly, for a partial one).
    """

    terms: tuple[str, ...]
    boost: float
    slots: tuple[int, ...]
    all_terms: bool = False
    docs: frozenset[int] | None = None
    weights: tuple[float, ...] | None = None
    partial: bool = False
    capped: bool = False  # a word's pieces: each counts no more often than the rarest of them (`Scorer._caps`)


def field_weight(boost: float, field: str, share: float) -> float:
    """Return a field's weight for a term in `share` of the entries: the head's falls to 1 for common terms."""
    if field != HEAD:
        return boost
    return 1.0 + (boost - 1.0) * max(0.0, 1.0 - share / COMMON_SHARE)


def effective_length(length: float, average: float) -> float:
    """Return the length BM25 normalises by: past PASSAGE averages, tokens count SPREAD each."""
    cap = PASSAGE * average
    return length if length <= cap else cap + SPREAD * (length - cap)


@dataclass(frozen=True)
class Postings:
    """One term's postings in one field of the whole index, and what bounds its score."""

    weights: dict[int, float]  # term frequency by document number, deleted documents included
    df: int  # document frequency as Whoosh counts it for idf (deleted documents included)
    max_weight: float
    min_length: int  # the shortest field length among its documents, as doc_field_length reads it


class Scorer:
    """Scores term groups over one open Whoosh reader; cheap to keep for many queries."""

    def __init__(self, reader, field_boosts: dict[str, float], vocabulary=None):
        self.reader = reader
        self.vocabulary = vocabulary  # a vocabulary.Vocabulary, for lone syllables and typos
        self.fields = field_boosts
        self.count = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self.offsets = [offset for _, offset in self.leaves]
        self.average = {f: reader.field_length(f) / (self.count or 1) for f in field_boosts}
        self._norms: dict[str, list[float | None]] = {f: [None] * self.count for f in field_boosts}
        self._columns: dict[str, list] = {}
        self._readers: dict[str, object] = {}
        self._dates: tuple[list[str], list[int]] | None = None
        self._postings: OrderedDict[tuple[str, str], Postings | None] = OrderedDict()
        self._held = 0
        self._phrases: OrderedDict[tuple, frozenset[int]] = OrderedDict()
        self._df: dict[str, int] = {}
        self._live: dict[str, set[int]] = {}
        self._fills: dict[tuple[str, ...], dict[int, float]] = {}
        self.deleted = {offset + d for reader, offset in self.leaves if reader.has_deletions()
                        for d in range(reader.doc_count_all()) if reader.is_deleted(d)}

    def column(self, name: str, wanted: int):
        """Return a sortable field's values by document number: a list when many are wanted."""
        if wanted < 200:
            if name not in self._readers:  # a column reader derives its offsets in Python: keep it
                self._readers[name] = self.reader.column_reader(name)
            return self._readers[name]
        if name not in self._columns:
            self._columns[name] = list(self.reader.column_reader(name))
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
            for ids, found, _ in leaf_blocks(leaf, info, field, term, offset, False):
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
            for ids, _, values in leaf_blocks(leaf, info, field, term, offset, True, wanted):
                for doc in docs.intersection(ids):
                    value = values[bisect_left(ids, doc)]
                    if not value.endswith(b"."):  # as Whoosh's Positions.decode_positions
                        value += b"."
                    out[doc] = list(accumulate(loads(value[4:])))
        return out

    def live_docs(self, term: str) -> set[int]:
        """Return the live documents holding a term in any scored field (kept: do not change the set)."""
        found = self._live.get(term)
        if found is None:
            found = self.docs(term)
            found = self._live[term] = found - self.deleted if self.deleted else found
            if len(self._live) > CACHE_PHRASES * 8:
                self._live.pop(next(iter(self._live)))
        return found

    def df(self, term: str) -> int:
        """Return how many live entries hold a term in any field (what the site's search data counts too)."""
        found = self._df.get(term)
        if found is None:
            found = self._df[term] = len(self.live_docs(term))
            if len(self._df) > CACHE_PHRASES * 64:
                self._df.clear()
        return found

    def idf(self, term: str) -> float:
        """Return a term's idf over the whole entry, the weight of its share in a partial synonym."""
        return log(max(self.count, 1) / (self.df(term) + 1)) + 1

    def _scale(self, field: str, postings: Postings, boost: float, term: str) -> float:
        weight = field_weight(self.fields[field], field, self.df(term) / (self.count or 1))
        return boost * weight * (log(self.count / (postings.df + 1)) + 1) * (K1 + 1)

    def bounds(self, group: Group, docs: set[int]) -> list[tuple[set[int], float]]:
        """Return, per field, the documents of docs holding a group's term there, and the most it adds there."""
        out = []
        weights = group.weights or (1.0,) * len(group.terms)
        for field in self.fields:
            top, holding = 0.0, set()
            for term, each in dict(zip(group.terms, weights)).items():
                postings = self.postings(field, term)
                if postings is None:
                    continue
                # weight / (weight + norm) grows with the weight and shrinks with the field length.
                weight = postings.max_weight
                average = self.average[field] or 1.0
                norm = K1 * (1 - B + B * effective_length(postings.min_length, average) / average)
                top += self._scale(field, postings, group.boost * each, term) * weight / (weight + norm)
                holding |= postings.weights.keys() & docs
            if holding:
                # Room for the rounding of sums added in another order; no bound for negative boosts.
                out.append((holding, top * (1 + 1e-9) if group.boost >= 0 else inf))
        return out

    def fills(self, group: Group) -> dict[int, float]:
        """Return a partial group's share of its idf in each live document holding PARTIAL_MIN of it or more."""
        unique = tuple(dict.fromkeys(group.terms))
        found = self._fills.get(unique)
        if found is not None:
            return found
        idfs = [self.idf(term) for term in unique]
        whole = sum(idfs)
        # Only entries holding the rarest term qualify: `neural network` alone is not `graph neural network`.
        rarest = self.live_docs(unique[idfs.index(max(idfs))])
        held = dict.fromkeys(rarest, 0.0)
        for term, idf in zip(unique, idfs):  # term by term, so each entry's sum adds in the same order
            for doc in rarest & self.live_docs(term):
                held[doc] += idf
        found = self._fills[unique] = {doc: value / whole for doc, value in held.items() if value / whole >= PARTIAL_MIN}
        if len(self._fills) > CACHE_PHRASES:
            self._fills.pop(next(iter(self._fills)))
        return found

    def group_docs(self, group: Group, fills: dict[int, float] | None = None) -> set[int]:
        """Return the live documents a group scores in."""
        unique = tuple(dict.fromkeys(group.terms))
        if group.partial:
            found = set(fills if fills is not None else self.fills(group))
        else:
            sets = [self.live_docs(term) for term in unique]
            found = set.intersection(*sets) if group.all_terms and len(unique) > 1 else set().union(*sets)
        return set(group.docs.intersection(found)) if group.docs is not None else found

    def score(self, groups: list[Group], docs: set[int], matched: list[set[int]],
              fills: list[dict[int, float] | None] | None = None) -> tuple[dict[int, float], dict[int, dict[int, float]]]:
        """Return the summed score and the filled slots (slot -> share filled) of each of docs.

        Sums are added term by term, field by field, group by group, in the order search.js adds
        them, so every score is the same float.
        """
        total: dict[int, float] = {}
        filled: dict[int, dict[int, float]] = {}
        for n, (group, found) in enumerate(zip(groups, matched)):
            inside = docs & found
            if not inside:
                continue
            share = fills[n] if fills is not None and group.partial else None
            scores = dict.fromkeys(inside, 0.0)
            weights = group.weights or (1.0,) * len(group.terms)
            caps = self._caps(group, inside) if group.capped else None
            for term, each in dict(zip(group.terms, weights)).items():
                for field in self.fields:
                    postings = self.postings(field, term)
                    if postings is None:
                        continue
                    scale = self._scale(field, postings, group.boost * each, term)
                    average = self.average[field] or 1.0
                    frequencies, norms = postings.weights, self._norms[field]
                    cap = caps[field] if caps is not None else None
                    for doc in frequencies.keys() & inside:
                        weight = frequencies[doc]
                        if cap is not None and cap[doc] < weight:
                            weight = cap[doc]
                        norm = norms[doc]
                        if norm is None:
                            leaf, offset = self.leaves[bisect_right(self.offsets, doc) - 1]
                            length = effective_length(leaf.doc_field_length(doc - offset, field), average)
                            norm = norms[doc] = K1 * (1 - B + B * length / average)
                        scores[doc] += scale * weight / (weight + norm)
            for doc, value in scores.items():
                part = 1.0 if share is None else share[doc]
                total[doc] = total.get(doc, 0.0) + (value if share is None else value * part)
                slots = filled.get(doc)
                if slots is None:
                    slots = filled[doc] = {}
                for slot in group.slots:
                    if slots.get(slot, 0.0) < part:
                        slots[slot] = part
        return total, filled

    def _caps(self, group: Group, inside: set[int]) -> dict[str, dict[int, float]]:
        """Return, per field, the fewest times any of a word's pieces present there occurs in each document.

        A word occurs no more often than its rarest piece: `코딩` in `디코딩` must not count every
        `인코딩` of the entry.
        """
        caps: dict[str, dict[int, float]] = {}
        for field in self.fields:
            cap: dict[int, float] = {}
            for term in dict.fromkeys(group.terms):
                postings = self.postings(field, term)
                if postings is not None:
                    weights = postings.weights
                    for doc in weights.keys() & inside:
                        weight, known = weights[doc], cap.get(doc)
                        if known is None or weight < known:
                            cap[doc] = weight
            caps[field] = cap
        return caps
