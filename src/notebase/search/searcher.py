"""Run parsed queries against the index: rank, coordinate, filter, explain and cut snippets.

Ranking is BM25F over the head (title, paper title, tags, people) and body fields, the head
weighted above the body for all but common words (`scoring.field_weight`), over the groups of
terms the query plan gives (`plan.py`: typed words, corrections and glossary synonyms), then a
coordination factor: an entry that matches more of the words typed (or a synonym of them) keeps
more of its score. Equal scores go to the newer entry, then to the id, so results never shuffle
between runs. Only the entries that can still reach the top are scored (`_candidates`); the total
still counts every match.
"""

from __future__ import annotations

import datetime as dt
import heapq
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from notebase.search.glossary import Expansion, Glossary
from notebase.search.parse import Query
from notebase.search.plan import build_plan, slop
from notebase.search.schema import FIELD_BOOSTS, INDEX_NAME
from notebase.search.scoring import Group, Scorer
from notebase.search.snippet import find_spans, make_snippet
from notebase.search.vocabulary import Vocabulary

COORD_FLOOR = 0.3  # the share of its score an entry keeps when it matches one word of many
PRUNE_FROM = 300  # with fewer matches than this (plus 4 per hit wanted), scoring them all is as quick
SEEDS = 40  # documents (plus 2 per hit wanted) scored first to set the floor the top must reach
PRUNE_STEPS = 300  # intersections of parts tried before a coarser cut (whole parts set aside)


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
    date_inferred: bool = False  # the date was guessed (a file's mtime, a date in the text)


@dataclass(frozen=True)
class Results:
    """The hits of one query, how many entries matched in all, and the glossary expansions used."""

    query: Query
    hits: tuple[Hit, ...]
    total: int
    expansions: tuple[Expansion, ...]
    seconds: float


class Searcher:
    """An open index that answers queries; keep one open to answer many quickly."""

    def __init__(self, path: Path, glossary: Glossary, coord_floor: float = COORD_FLOOR):
        self.coord_floor = coord_floor
        self._ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        # A reader, not a Whoosh searcher: the scoring reads postings itself, and a searcher would
        # import Whoosh's query language (a cold `notebase search` pays for every import).
        self._reader = self._ix.reader()
        self._vocabulary = Vocabulary(Path(path))
        self._scorer = self._new_scorer()
        self.glossary = glossary

    @property
    def reader(self):
        """The open Whoosh reader the hits come from (tests compare with Whoosh's own queries)."""
        return self._reader

    def _new_scorer(self) -> Scorer:
        return Scorer(self._reader, FIELD_BOOSTS, self._vocabulary)

    def close(self) -> None:
        """Release the index files."""
        self._reader.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _refresh(self) -> None:
        if self._reader.segments() is None:
            # A reader over an index without segments (no entries) cannot be reused: open a new one.
            self._reader.close()
            self._reader = self._ix.reader()
        elif self._ix.latest_generation() != self._reader.generation():
            # An update committed since: a new reader, sharing the unchanged segments' readers (as
            # Whoosh's own Searcher.refresh does, the old one is left to them).
            self._reader = self._ix.reader(reuse=self._reader)
        else:
            return
        self._vocabulary = Vocabulary(self._vocabulary.folder.parent)  # an update may have added terms
        self._scorer = self._new_scorer()

    def search(self, query: Query, limit: int = 10) -> Results:
        """Return the best `limit` hits of a parsed query."""
        started = time.perf_counter()
        self._refresh()
        reader = self._reader
        plan = build_plan(query.positive, self.glossary, self._scorer)
        groups, weights = plan.groups, tuple(plan.slot_weights)
        keep = self._keep(query)
        if groups:
            fills = [self._scorer.fills(g) if g.partial else None for g in groups]
            matched = [self._scorer.group_docs(g, f) for g, f in zip(groups, fills)]
            found = keep(set().union(*matched))
            total = len(found)
            docs, final, filled = self._candidates(groups, matched, fills, found, weights, limit)
            more, more_filled = self._final(groups, matched, fills, docs - final.keys(), weights)
            final.update(more)
            filled.update(more_filled)
        else:
            filled = {}
            final = dict.fromkeys(keep(set(reader.all_doc_ids())), 0.0)
            total = len(final)
        best = self._best(final, limit)
        hits = tuple(self._hit(doc, final[doc], filled.get(doc, {}), plan) for doc in best)
        return Results(query, hits, total, tuple(plan.expansions), time.perf_counter() - started)

    def _final(self, groups: list[Group], matched: list[set[int]], fills: list, docs: set[int],
               weights: tuple[float, ...]) -> tuple[dict[int, float], dict[int, dict[int, float]]]:
        """Return the final (coordinated, rounded) score and the filled slots of each of docs.

        The coordination share weighs each word's slot by the word's idf (`Plan.slot_weights`), so
        an entry missing the rare word of a query loses more than one missing a common one.
        """
        scores, filled = self._scorer.score(groups, docs, matched, fills)
        final = {}
        count, whole, floor = len(weights), sum(weights), self.coord_floor
        for doc, value in scores.items():
            slots = filled[doc]
            share = 0.0  # the words' slots in order, as search.js adds them
            for s in sorted(slots) if len(slots) > 1 else slots:
                if s < count:
                    share += weights[s] * slots[s]
            final[doc] = round(value * (floor + (1 - floor) * (share / whole)), 7)
        return final, filled

    def _candidates(self, groups: list[Group], matched: list[set[int]], fills: list, found: set[int],
                    weights: tuple[float, ...],
                    limit: int) -> tuple[set[int], dict[int, float], dict[int, dict[int, float]]]:
        """Return the documents of found that can be among the best `limit`, and those already scored.

        Each group's documents are split by field into parts, with the most the group's terms can
        add there (`Scorer.bounds`). Some documents in the most valuable parts are scored first:
        the `limit`-th best of them is a floor the true top must reach.
        """
        if limit < 1:
            return set(), {}, {}
        if len(found) <= PRUNE_FROM + 4 * limit:
            return found, {}, {}
        split = [self._scorer.bounds(g, m & found) for g, m in zip(groups, matched)]
        parts = sorted(((docs, bound, frozenset(s for s in g.slots if s < len(weights)))
                        for g, pieces in zip(groups, split) for docs, bound in pieces),
                       key=lambda part: part[1], reverse=True)
        # Seeds: the documents in the most valuable groups, then in their most valuable fields (unless
        # that leaves many), and those in the parts that add up to most. Any seeds give a true floor.
        value = [sum(bound for _, bound in pieces) for pieces in split]
        wanted = SEEDS + 2 * limit
        seeds = found
        for docs in [matched[i] for i in sorted(range(len(groups)), key=value.__getitem__, reverse=True)] + \
                [docs for docs, _, _ in parts]:
            narrower = seeds & docs
            if len(narrower) >= wanted:
                seeds = narrower
        if len(seeds) > 8 * wanted:
            seeds = set()
        # And the entries whose parts promise the most (among those in the most valuable parts): a
        # floor near the true one leaves few to score.
        promising: set[int] = set()
        for docs, _, _ in parts:
            promising |= docs
            if len(promising) >= 8 * wanted:
                break
        ceiling = dict.fromkeys(promising, 0.0)
        for docs, bound, _ in parts:
            for doc in docs & promising:
                ceiling[doc] += bound
        seeds |= set(heapq.nlargest(2 * wanted, ceiling, key=ceiling.__getitem__))
        final, filled = self._final(groups, matched, fills, seeds, weights)
        if len(final) < limit or len(seeds) == len(found):
            return found, final, filled
        floor = heapq.nlargest(limit, final.values())[-1]
        return self._reaching(parts, found, floor, weights), final, filled

    def _reaching(self, parts: list[tuple[set[int], float, frozenset[int]]], found: set[int], floor: float,
                  weights: tuple[float, ...]) -> set[int]:
        """Return the documents of found whose score can reach the floor, given the parts, best first.

        A document scores at most the sum of the bounds of the parts it is in, times the
        coordination of the slots they fill, and that ceiling only grows with more parts. So the
        documents that can reach the floor are those in some smallest set of parts whose ceiling
        reaches it: found by intersecting parts, most valuable first, leaving a branch as soon as
        even all the parts after it could not reach. Any other document stays below the floor: it
        cannot be in the top, nor tie with it.
        """
        whole = sum(weights)
        rest, rest_slots = [0.0] * (len(parts) + 1), [frozenset()] * (len(parts) + 1)
        for k in range(len(parts) - 1, -1, -1):
            rest[k], rest_slots[k] = rest[k + 1] + parts[k][1], rest_slots[k + 1] | parts[k][2]
        candidates: set[int] = set()
        steps = [PRUNE_STEPS]

        def reaches(total: float, slots: frozenset[int]) -> bool:
            share = sum(weights[s] for s in slots) / whole
            coordination = max(self.coord_floor, self.coord_floor + (1 - self.coord_floor) * share, 0.0)
            # Finals are rounded to 7 places: stay clear of the floor by more than that.
            return total * coordination * (1 + 1e-9) + 1e-6 >= floor

        def extend(start: int, docs: set[int], total: float, slots: frozenset[int]) -> bool:
            """Add the documents of docs that can reach with parts[start:]; False after too many steps."""
            for k in range(start, len(parts)):
                if not reaches(total + rest[k], slots | rest_slots[k]):
                    break  # the parts left only get smaller
                inside = docs & parts[k][0]
                if not inside:
                    continue
                steps[0] -= 1
                if steps[0] < 0:
                    return False
                more = slots | parts[k][2]
                if reaches(total + parts[k][1], more):
                    candidates.update(inside)
                elif not extend(k + 1, inside, total + parts[k][1], more):
                    return False
            return True

        if extend(0, found, 0.0, frozenset()):
            return candidates
        # Too many sets of parts to try: set parts aside, largest first, while a document in only
        # those stays below the floor; the documents in any other part are the candidates.
        aside, total, slots = set(), 0.0, frozenset()
        for k in sorted(range(len(parts)), key=lambda k: len(parts[k][0]), reverse=True):
            if not reaches(total + parts[k][1], slots | parts[k][2]):
                aside.add(k)
                total, slots = total + parts[k][1], slots | parts[k][2]
        return found & set().union(*(parts[k][0] for k in range(len(parts)) if k not in aside))

    def _best(self, final: dict[int, float], limit: int) -> list[int]:
        """Return the top documents by score, ties to the newer entry, then to the id."""
        top = heapq.nlargest(limit, final, key=final.__getitem__)
        if not top:
            return []
        cutoff = final[top[-1]]
        tied = [d for d, value in final.items() if value >= cutoff] if len(final) > limit else list(final)
        dates, ids = self._scorer.column("date", len(tied)), self._scorer.column("id", len(tied))
        return sorted(tied, key=lambda d: (-final[d], _neg_date(dates[d]), ids[d]))[:limit]

    def _text_docs(self, terms: tuple[str, ...]) -> frozenset[int]:
        """Return the live documents holding the term, or the terms as a phrase, in any text field."""
        return self._scorer.phrase_docs(terms, slop(terms))

    def _keep(self, query: Query):
        """Return a function that leaves out of a set of documents those the filters and exclusions drop."""
        deleted = self._scorer.deleted
        if not query.filters and not query.negative and not deleted:
            return lambda docs: docs
        allowed: list[set[int]] = []
        masked: set[int] = set(deleted)
        dated: list[tuple[set[int], bool]] = []
        for f in query.filters:
            if f.field == "date":
                inside = set().union(*(self._scorer.dated(s.isoformat(), e.isoformat()) for s, e in f.values))
                dated.append((inside, f.negated))
                continue
            docs = set().union(*(self._scorer.docs(value, (f.field,)) for value in f.values))
            if f.negated:
                masked |= docs
            else:
                allowed.append(docs)
        for clause in query.negative:
            masked |= self._text_docs(clause.terms)

        def keep(docs: set[int]) -> set[int]:
            docs = docs - masked
            for other in allowed:
                docs &= other
            for inside, negated in dated:
                docs = docs - inside if negated else docs & inside
            return docs

        return keep

    def _hit(self, doc: int, score: float, filled: dict[int, float], plan) -> Hit:
        fields = self._reader.stored_fields(doc)
        snippet, spans = make_snippet(fields.get("body", ""), plan.wanted)
        title = fields.get("title", "")
        used = tuple(dict.fromkeys(f"{typed} → {synonym}" for typed, synonym, _, marker in plan.alternatives
                                   if marker in filled))
        return Hit(
            id=fields["id"], type=fields["type"], title=title, date=dt.date.fromisoformat(fields["date"]),
            tags=tuple(t for t in fields.get("tags", "").split(",") if t), lang=fields.get("lang", ""),
            source=fields.get("source", ""), url=fields.get("url", ""), score=round(score, 4),
            snippet=snippet, highlights=tuple(spans), title_highlights=tuple(find_spans(title, plan.wanted)),
            expansions=used, date_inferred=bool(fields.get("inferred")),
        )


def _neg_date(value: str) -> int:
    """Sort key that puts newer ISO dates first."""
    try:
        return -dt.date.fromisoformat(value).toordinal()
    except ValueError:
        return 0
