"""Run parsed queries against the index: rank, coordinate, filter, explain and cut snippets.

Ranking is Whoosh's BM25F over the text fields, with title, paper title and tags weighted above
the body (`index.FIELD_BOOSTS`), then a coordination factor: an entry that matches more of the
query's terms (or a glossary synonym of them) keeps more of its score. Equal scores go to the
newer entry, then to the id, so results never shuffle between runs.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from notebase.search.analysis import terms as analyse
from notebase.search.glossary import Expansion, Glossary
from notebase.search.index import FIELD_BOOSTS, INDEX_NAME, TEXT_FIELDS
from notebase.search.parse import Clause, Filter, Query
from notebase.search.snippet import find_spans, make_snippet

CANDIDATES = 100  # raw-score leaders that the coordination factor re-orders
COORD_FLOOR = 0.3  # the share of its score an entry keeps when it matches one term of many
EXPANSION_BOOST = 1.0  # weight of a glossary synonym relative to the words typed


@dataclass(frozen=True)
class Hit:
    """One ranked result, ready to print or serialise."""

    id: str
    type: str
    title: str
    date: dt.date
    tags: tuple[str, ...]
    lang: str
    source: str  # path:line
    url: str
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # offsets of matches in snippet
    title_highlights: tuple[tuple[int, int], ...]
    expansions: tuple[str, ...]  # "대조 학습 → contrastive learning" for each synonym this entry matched


@dataclass(frozen=True)
class Results:
    """The hits of one query, how many entries matched in all, and the glossary expansions used."""

    query: Query
    hits: tuple[Hit, ...]
    total: int  # entries matched; when `more`, at least this many
    more: bool
    expansions: tuple[Expansion, ...]
    seconds: float


@dataclass(frozen=True)
class _Slot:
    """A part of the query an entry can match: a word's term, a phrase, or a synonym standing in."""

    terms: frozenset[str]


def _any_field(terms: tuple[str, ...], slop: int, boost: float = 1.0) -> wq.Query:
    if len(terms) == 1:
        return wq.Or([wq.Term(f, terms[0], boost=FIELD_BOOSTS[f] * boost) for f in TEXT_FIELDS])
    return wq.Or([wq.Phrase(f, list(terms), slop=slop, boost=FIELD_BOOSTS[f] * boost) for f in TEXT_FIELDS])


def _slop(terms: tuple[str, ...]) -> int:
    # Hangul bigrams across a space (대조 학습 vs 대조학습) leave one position between them.
    return 2 if any(t[0] >= "\uac00" for t in terms) else 1


def _filter_query(f: Filter) -> wq.Query:
    if f.field == "date":
        return wq.Or([wq.TermRange("date", s.isoformat(), e.isoformat()) for s, e in f.values])
    return wq.Or([wq.Term(f.field, v) for v in f.values])


class Searcher:
    """An open index that answers queries; keep one open to answer many quickly."""

    def __init__(self, path: Path, glossary: Glossary):
        self._ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        self._searcher = self._ix.searcher()
        self.glossary = glossary

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(self, query: Query, limit: int = 10) -> Results:
        """Return the best `limit` hits of a parsed query."""
        started = time.perf_counter()
        self._searcher = self._searcher.refresh()
        positive = query.positive
        expansions = self.glossary.expand([c.text for c in positive]) if positive else []
        members, slots, alternatives = self._members(positive, expansions)
        filters = [_filter_query(f) for f in query.filters if not f.negated]
        masks = [_filter_query(f) for f in query.filters if f.negated]
        masks += [_any_field(c.terms, _slop(c.terms)) for c in query.negative]
        kwargs = {"filter": wq.And(filters) if filters else None, "mask": wq.Or(masks) if masks else None}
        if not members:
            results = self._searcher.search(wq.Every(), limit=limit, sortedby="date", reverse=True, **kwargs)
            total = len(results)  # cheap: no scoring, and filters are small term lists
            ranked = [(0.0, hit, frozenset()) for hit in results]
        else:
            results = self._searcher.search(wq.Or(members), limit=max(CANDIDATES, limit), terms=True, **kwargs)
            # Counting every match would score the whole index again; past the candidates it says "N+".
            total = results.scored_length()
            ranked = [(_coordinate(hit, slots, alternatives), hit, _matched(hit)) for hit in results]
            ranked.sort(key=lambda r: (-round(r[0], 7), -_date(r[1]["date"]).toordinal(), r[1]["id"]))
        wanted = {t for c in positive for t in c.terms} | {t for alt in alternatives for t in alt[2]}
        hits = tuple(self._hit(score, hit, matched, wanted, alternatives) for score, hit, matched in ranked[:limit])
        more = bool(members) and total >= max(CANDIDATES, limit)
        return Results(query, hits, total, more, tuple(e for _, _, e in expansions), time.perf_counter() - started)

    def _members(self, positive: tuple[Clause, ...], expansions):
        """Return the scoring queries, the coordination slots, and each synonym as (typed, synonym, terms)."""
        members, slots = [], []
        clause_slots: list[list[int]] = []
        for clause in positive:
            if clause.phrase:
                members.append(_any_field(clause.terms, _slop(clause.terms)))
                clause_slots.append([len(slots)])
                slots.append(_Slot(frozenset(clause.terms)))
            else:
                clause_slots.append([])
                for term in dict.fromkeys(clause.terms):
                    members.append(_any_field((term,), 1))
                    clause_slots[-1].append(len(slots))
                    slots.append(_Slot(frozenset((term,))))
        alternatives = []
        for start, end, expansion in expansions:
            covered = [i for c in range(start, end) for i in clause_slots[c]]
            for synonym in expansion.alternatives:
                terms = tuple(analyse(synonym))
                if not terms:
                    continue
                members.append(_any_field(terms, _slop(terms), EXPANSION_BOOST))
                alternatives.append((expansion.matched, synonym, frozenset(terms), tuple(covered)))
        return members, slots, alternatives

    def _hit(self, score: float, hit, matched, wanted: set[str], alternatives) -> Hit:
        fields = hit.fields()
        snippet, spans = make_snippet(fields.get("body", ""), wanted)
        title = fields.get("title", "")
        used = tuple(dict.fromkeys(f"{typed} → {synonym}" for typed, synonym, terms, _ in alternatives
                                   if terms <= matched))
        return Hit(
            id=fields["id"], type=fields["type"], title=title, date=_date(fields["date"]),
            tags=tuple(t for t in fields.get("tag", "").split(",") if t), lang=fields.get("lang", ""),
            source=fields.get("source", ""), url=fields.get("url", ""), score=round(score, 4),
            snippet=snippet, highlights=tuple(spans), title_highlights=tuple(find_spans(title, wanted)),
            expansions=used,
        )


def _matched(hit) -> set[str]:
    return {t.decode("utf-8") if isinstance(t, bytes) else t for _, t in hit.matched_terms()}


def _coordinate(hit, slots: list[_Slot], alternatives) -> float:
    """Scale a hit's score by the share of query slots it matched, synonyms standing in for words."""
    matched = _matched(hit)
    done = [slot.terms <= matched for slot in slots]
    for _, _, terms, covered in alternatives:
        if terms <= matched:
            for i in covered:
                done[i] = True
    share = sum(done) / len(done) if done else 1.0
    return hit.score * (COORD_FLOOR + (1 - COORD_FLOOR) * share)


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
