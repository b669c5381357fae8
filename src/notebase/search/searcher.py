"""Run parsed queries against the index: rank, coordinate, filter, explain and cut snippets.

Ranking is BM25F over the head (title, paper title, tags, people) and body fields, the head
weighted above the body (`index.FIELD_BOOSTS`), then a coordination factor: an entry that matches
more of the query's terms (or a glossary synonym of them) keeps more of its score. Equal scores
go to the newer entry, then to the id, so results never shuffle between runs.
"""

from __future__ import annotations

import datetime as dt
import heapq
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from notebase.search.analysis import terms as analyse
from notebase.search.glossary import Expansion, Glossary
from notebase.search.schema import FIELD_BOOSTS, INDEX_NAME
from notebase.search.parse import Clause, Filter, Query
from notebase.search.scoring import Group, Scorer
from notebase.search.snippet import find_spans, make_snippet

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
    total: int
    expansions: tuple[Expansion, ...]
    seconds: float


def _slop(terms: tuple[str, ...]) -> int:
    # Hangul bigrams across a space (대조 학습 vs 대조학습) leave one position between them.
    return 2 if any(t[0] >= "\uac00" for t in terms) else 1


def _text_query(terms: tuple[str, ...]) -> wq.Query:
    """Entries holding a term, or the terms as a phrase, in any text field."""
    if len(terms) == 1:
        return wq.Or([wq.Term(f, terms[0]) for f in FIELD_BOOSTS])
    return wq.Or([wq.Phrase(f, list(terms), slop=_slop(terms)) for f in FIELD_BOOSTS])


class Searcher:
    """An open index that answers queries; keep one open to answer many quickly."""

    def __init__(self, path: Path, glossary: Glossary, coord_floor: float = COORD_FLOOR):
        self.coord_floor = coord_floor
        self._ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        self._searcher = self._ix.searcher()
        self._scorer = Scorer(self._searcher, FIELD_BOOSTS)
        self.glossary = glossary

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _refresh(self) -> None:
        fresh = self._searcher.refresh()
        if fresh is not self._searcher:
            self._searcher = fresh
            self._scorer = Scorer(fresh, FIELD_BOOSTS)

    def search(self, query: Query, limit: int = 10) -> Results:
        """Return the best `limit` hits of a parsed query."""
        started = time.perf_counter()
        self._refresh()
        reader = self._searcher.reader()
        positive = query.positive
        expansions = self.glossary.expand([c.text for c in positive]) if positive else []
        groups, slot_count, alternatives = self._groups(positive, expansions)
        keep = self._keep(query)
        if groups:
            scores, filled = self._scorer.score(groups)
            final = {}
            for doc, value in scores.items():
                if keep is None or keep(doc):
                    share = sum(1 for s in filled[doc] if s < slot_count) / slot_count
                    final[doc] = round(value * (self.coord_floor + (1 - self.coord_floor) * share), 7)
        else:
            filled = {}
            final = {doc: 0.0 for doc in reader.all_doc_ids() if keep is None or keep(doc)}
        best = self._best(final, limit)
        wanted = {t for c in positive for t in c.terms} | {t for _, _, terms, _ in alternatives for t in terms}
        hits = tuple(self._hit(doc, final[doc], filled.get(doc, set()), wanted, alternatives) for doc in best)
        return Results(query, hits, len(final), tuple(e for _, _, e in expansions), time.perf_counter() - started)

    def _groups(self, positive: tuple[Clause, ...], expansions):
        """Return the term groups to score, the number of coordination slots, and the synonyms used.

        Each typed term (or quoted phrase) is a slot. A synonym fills the slots of the words it
        translates, and also a marker slot past `slot_count` that says it matched.
        """
        groups: list[Group] = []
        clause_slots: list[list[int]] = []
        slot = 0
        for clause in positive:
            if clause.phrase:
                docs = frozenset(self._searcher.docs_for_query(_text_query(clause.terms)))
                groups.append(Group(clause.terms, 1.0, (slot,), all_terms=True, docs=docs))
                clause_slots.append([slot])
                slot += 1
            else:
                clause_slots.append([])
                for term in dict.fromkeys(clause.terms):
                    groups.append(Group((term,), 1.0, (slot,)))
                    clause_slots[-1].append(slot)
                    slot += 1
        alternatives = []
        for start, end, expansion in expansions:
            covered = tuple(i for c in range(start, end) for i in clause_slots[c])
            for synonym in expansion.alternatives:
                terms = tuple(analyse(synonym))
                if not terms:
                    continue
                marker = slot + 1 + len(alternatives)
                # A synonym scores where all its terms occur: checking their order too (a phrase
                # query) cost more than the whole rest of a search, for little gain on research terms.
                groups.append(Group(terms, EXPANSION_BOOST, covered + (marker,), all_terms=True))
                alternatives.append((expansion.matched, synonym, terms, marker))
        return groups, slot, alternatives

    def _best(self, final: dict[int, float], limit: int) -> list[int]:
        """Return the top documents by score, ties to the newer entry, then to the id."""
        top = heapq.nlargest(limit, final, key=final.__getitem__)
        if not top:
            return []
        cutoff = final[top[-1]]
        tied = [d for d, value in final.items() if value >= cutoff] if len(final) > limit else list(final)
        dates, ids = self._scorer.column("date", len(tied)), self._scorer.column("id", len(tied))
        return sorted(tied, key=lambda d: (-final[d], _neg_date(dates[d]), ids[d]))[:limit]

    def _keep(self, query: Query):
        """Return a test of whether a document passes the filters and exclusions, or None for all."""
        if not query.filters and not query.negative and not self._scorer.deleted:
            return None
        allowed: list[set[int]] = []
        masked: set[int] = set()
        date_tests = []
        for f in query.filters:
            if f.field == "date":
                bounds = [(s.isoformat(), e.isoformat()) for s, e in f.values]
                date_tests.append((bounds, f.negated))
                continue
            docs = set(self._searcher.docs_for_query(_filter_query(f)))
            if f.negated:
                masked |= docs
            else:
                allowed.append(docs)
        for clause in query.negative:
            masked |= set(self._searcher.docs_for_query(_text_query(clause.terms)))
        deleted = self._scorer.deleted
        dates = self._scorer.column("date", len(self._scorer.deleted) + 1000) if date_tests else None

        def keep(doc: int) -> bool:
            if doc in masked or doc in deleted or any(doc not in docs for docs in allowed):
                return False
            if not date_tests:
                return True
            day = dates[doc]
            for bounds, negated in date_tests:
                inside = any(start <= day <= end for start, end in bounds)
                if inside == negated:
                    return False
            return True

        return keep

    def _hit(self, doc: int, score: float, filled: set[int], wanted: set[str], alternatives) -> Hit:
        fields = self._searcher.stored_fields(doc)
        snippet, spans = make_snippet(fields.get("body", ""), wanted)
        title = fields.get("title", "")
        used = tuple(dict.fromkeys(f"{typed} → {synonym}" for typed, synonym, _, marker in alternatives
                                   if marker in filled))
        return Hit(
            id=fields["id"], type=fields["type"], title=title, date=dt.date.fromisoformat(fields["date"]),
            tags=tuple(t for t in fields.get("tag", "").split(",") if t), lang=fields.get("lang", ""),
            source=fields.get("source", ""), url=fields.get("url", ""), score=round(score, 4),
            snippet=snippet, highlights=tuple(spans), title_highlights=tuple(find_spans(title, wanted)),
            expansions=used,
        )


def _filter_query(f: Filter) -> wq.Query:
    return wq.Or([wq.Term(f.field, v) for v in f.values])


def _neg_date(value: str) -> int:
    """Sort key that puts newer ISO dates first."""
    try:
        return -dt.date.fromisoformat(value).toordinal()
    except ValueError:
        return 0
