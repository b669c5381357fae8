"""Score the search against judged queries: recall@10 and MRR, overall and per kind of query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from notebase.config import Config
from notebase.search.engine import ensure_index
from notebase.search.glossary import Glossary, load_glossary
from notebase.search.index import index_path
from notebase.search.parse import parse
from notebase.search.searcher import COORD_FLOOR, Searcher


@dataclass(frozen=True)
class Figures:
    """Mean recall@k and reciprocal rank, per kind of query, and a line per imperfect query."""

    recall: float
    mrr: float
    kinds: dict[str, tuple[float, float]]
    misses: tuple[str, ...]
    queries: int


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate(config: Config, judged: list[dict], k: int = 10, glossary: Glossary | None = None,
             coord_floor: float = COORD_FLOOR) -> Figures:
    """Run each judged query ({query, kind, relevant: [ids]}) and score its top k.

    `glossary` and `coord_floor` replace the knowledge base's, to measure what each part is worth.
    """
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    misses = []
    ensure_index(config)
    searcher = Searcher(index_path(config), glossary if glossary is not None else load_glossary(config.glossary),
                        coord_floor)
    with searcher:
        ranked = [[hit.id for hit in searcher.search(parse(case["query"]), k).hits] for case in judged]
    for case, ids in zip(judged, ranked, strict=True):
        relevant = set(case["relevant"])
        recall = len(relevant & set(ids)) / len(relevant)
        rank = next((n for n, i in enumerate(ids, 1) if i in relevant), None)
        per_kind[case.get("kind", "all")].append((recall, 1 / rank if rank else 0.0))
        if recall < 1 or rank != 1:
            misses.append(f"{case['query']!r}: recall {recall:.2f}, first relevant at {rank}")
    pairs = [p for found in per_kind.values() for p in found]
    kinds = {kind: (_mean([r for r, _ in v]), _mean([m for _, m in v])) for kind, v in per_kind.items()}
    return Figures(_mean([r for r, _ in pairs]), _mean([m for _, m in pairs]), kinds, tuple(misses), len(pairs))
