"""Score the search against judged queries: recall@10, MRR, P@5 and nDCG@10, overall and per kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from math import log2

from notebase.config import Config
from notebase.search.engine import ensure_index
from notebase.search.glossary import Glossary, load_glossary
from notebase.search.index import index_path
from notebase.search.parse import parse
from notebase.search.searcher import COORD_FLOOR, Searcher


@dataclass(frozen=True)
class Measures:
    """The four figures of one query, or their means over several."""

    recall: float  # share of the relevant entries in the top k
    rr: float  # 1 / rank of the first relevant entry (0 when none is in the top k)
    p5: float  # relevant entries in the top 5, over 5
    ndcg: float  # binary-gain nDCG of the top k


@dataclass(frozen=True)
class Figures:
    """Mean figures, per kind of query, and a line per imperfect query."""

    recall: float
    mrr: float
    kinds: dict[str, tuple[float, float]]  # kind -> (recall, MRR), as before P@5 and nDCG were added
    misses: tuple[str, ...]
    queries: int
    p5: float = 0.0
    ndcg: float = 0.0
    by_kind: dict[str, Measures] | None = None  # kind -> all four means
    per_query: tuple[tuple[str, Measures], ...] = ()


def measure(ranked: list[str], relevant: set[str], k: int = 10) -> Measures:
    """Return the four figures of one ranked list of ids against the judged relevant ids."""
    top = ranked[:k]
    rank = next((n for n, i in enumerate(top, 1) if i in relevant), None)
    dcg = sum(1 / log2(n + 1) for n, i in enumerate(top, 1) if i in relevant)
    ideal = sum(1 / log2(n + 1) for n in range(1, min(len(relevant), k) + 1))
    return Measures(len(relevant & set(top)) / len(relevant), 1 / rank if rank else 0.0,
                    len(relevant & set(ranked[:5])) / 5, dcg / ideal if ideal else 0.0)


def mean(values: list[Measures]) -> Measures:
    """Return the mean of each figure."""
    n = len(values) or 1
    return Measures(sum(v.recall for v in values) / n, sum(v.rr for v in values) / n,
                    sum(v.p5 for v in values) / n, sum(v.ndcg for v in values) / n)


def evaluate(config: Config, judged: list[dict], k: int = 10, glossary: Glossary | None = None,
             coord_floor: float = COORD_FLOOR) -> Figures:
    """Run each judged query ({query, kind, relevant: [ids]}) and score its top k.

    `glossary` and `coord_floor` replace the knowledge base's, to measure what each part is worth.
    """
    per_kind: dict[str, list[Measures]] = defaultdict(list)
    per_query, misses = [], []
    ensure_index(config)
    searcher = Searcher(index_path(config), glossary if glossary is not None else load_glossary(config.glossary),
                        coord_floor)
    with searcher:
        ranked = [[hit.id for hit in searcher.search(parse(case["query"]), k).hits] for case in judged]
    for case, ids in zip(judged, ranked, strict=True):
        found = measure(ids, set(case["relevant"]), k)
        per_kind[case.get("kind", "all")].append(found)
        per_query.append((case["query"], found))
        if found.recall < 1 or found.rr < 1:
            rank = round(1 / found.rr) if found.rr else None
            misses.append(f"{case['query']!r}: recall {found.recall:.2f}, first relevant at {rank}")
    every = mean([m for _, m in per_query])
    by_kind = {kind: mean(values) for kind, values in per_kind.items()}
    return Figures(every.recall, every.rr, {kind: (m.recall, m.rr) for kind, m in by_kind.items()}, tuple(misses),
                   len(per_query), every.p5, every.ndcg, by_kind, tuple(per_query))
