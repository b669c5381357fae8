"""Measure the search index on N generated notes: `python bench/search_bench.py --count 10000`.

Prints four figures: indexing from scratch (`notebase index` on a fresh knowledge base, loading
included), an incremental update after editing one note, warm query latency (one open index,
many queries; also their first run, before the searcher has decoded and kept any postings), and
`notebase search` end to end from a cold process. `--queries-only` times the warm queries alone on
the index already built, `--cold-only` the cold searches alone; `--per-query` adds each query's
median. The machine may be shared: `--repeat N` runs the timed part N times and prints each run,
then the medians of p50/p95 (warm) and of the medians (cold).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402

from notebase.config import load_config  # noqa: E402
from notebase.search.engine import ensure_index, open_searcher  # noqa: E402
from notebase.search.index import index_path, update  # noqa: E402
from notebase.search.parse import parse  # noqa: E402

QUERIES = ("학회", "대조 학습", "contrastive learning", "불확실성을 추정하는 방법", "데이터 증강", "graph neural network",
           "지식 증류", "diffusion 모델", "학습률 배치 크기", "\"batch size\"", "type:paper 어텐션", "tag:rl 강화 학습",
           "year:2022 추론 속도", "date:2021..2022-06 transformer", "베이지안 sampling -diffusion", "overfitting을 막는 방법",
           "memory latency", "포스터 세션", "encoder decoder embedding", "self-supervised 표현 학습")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def warm_queries(config, per_query: bool = False) -> tuple[float, float]:
    """Time every query ten times on one open index (after a first touch); print and return p50/p95 (s)."""
    warm = []
    each: dict[str, list[float]] = {q: [] for q in QUERIES}
    with open_searcher(config) as searcher:
        parsed = [parse(q) for q in QUERIES]
        first = []
        for q in parsed:
            start = time.perf_counter()
            searcher.search(q)  # first touch of each term's postings
            first.append(time.perf_counter() - start)
        for _ in range(10):
            for text, q in zip(QUERIES, parsed):
                start = time.perf_counter()
                searcher.search(q)
                warm.append(time.perf_counter() - start)
                each[text].append(warm[-1])
    print(f"warm query over {len(warm)} runs of {len(QUERIES)} queries: p50 {_percentile(warm, 0.5) * 1000:.1f} ms, "
          f"p95 {_percentile(warm, 0.95) * 1000:.1f} ms, max {max(warm) * 1000:.1f} ms")
    print(f"first run of each query on the fresh searcher: median {statistics.median(first) * 1000:.1f} ms, "
          f"worst {max(first) * 1000:.1f} ms")
    if per_query:
        for text, times in sorted(each.items(), key=lambda item: -statistics.median(item[1])):
            print(f"    {statistics.median(times) * 1000:6.1f} ms  {text}")
    return _percentile(warm, 0.5), _percentile(warm, 0.95)


def cold_searches(root: Path) -> float:
    """Run `notebase search` in a new process for ten queries; print and return the median (s)."""
    command = shutil.which("notebase") or "notebase"
    cold = []
    for q in QUERIES[:10]:
        start = time.perf_counter()
        subprocess.run([command, "--root", str(root), "search", q], check=False, capture_output=True)
        cold.append(time.perf_counter() - start)
    print(f"cold `notebase search` end to end over {len(cold)} queries: median {statistics.median(cold) * 1000:.0f} ms, "
          f"worst {max(cold) * 1000:.0f} ms")
    return statistics.median(cold)


def repeated(args, config, root: Path) -> None:
    """The timed parts, args.repeat times, then their medians."""
    warm, cold = [], []
    for _ in range(args.repeat):
        if not args.cold_only:
            warm.append(warm_queries(config, args.per_query))
        if not args.queries_only:
            cold.append(cold_searches(root))
    if warm:
        print(f"over {len(warm)} repeats: median warm p50 {statistics.median(w[0] for w in warm) * 1000:.1f} ms, "
              f"median warm p95 {statistics.median(w[1] for w in warm) * 1000:.1f} ms")
    if cold:
        print(f"over {len(cold)} repeats: median cold search {statistics.median(cold) * 1000:.0f} ms")


def main() -> None:
    """Generate the notes once, then time each figure and print it."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3, help="runs of the from-scratch build")
    parser.add_argument("--queries-only", action="store_true",
                        help="only the warm queries, on the index as it is (built if missing)")
    parser.add_argument("--cold-only", action="store_true", help="only the cold searches, on the index as it is")
    parser.add_argument("--per-query", action="store_true", help="also print each query's median warm time")
    parser.add_argument("--repeat", type=int, default=1, help="run the timed queries this many times (medians)")
    args = parser.parse_args()
    root = knowledge_base(args)
    config = load_config(root)
    if args.queries_only or args.cold_only:
        ensure_index(config, refresh=False)
        repeated(args, config, root)
        return

    scratch = []
    for _ in range(args.runs):
        shutil.rmtree(index_path(config), ignore_errors=True)
        start = time.perf_counter()
        report = update(config)
        scratch.append(time.perf_counter() - start)
    print(f"index from scratch, {report.total} entries: median {statistics.median(scratch):.2f} s, "
          f"best {min(scratch):.2f} s over {args.runs} runs ({os.cpu_count()} CPUs)")

    note = sorted((root / "notes").rglob("*.md"))[len(scratch) * 97 % args.count]
    original = note.read_text(encoding="utf-8")
    incremental = []
    for n in range(5):
        note.write_text(original + f"\n\n편집 {n}: 새로운 문장을 덧붙였다 edited.\n", encoding="utf-8")
        start = time.perf_counter()
        report = update(config)
        incremental.append(time.perf_counter() - start)
        assert report.updated == 1 and report.files_read == 1, report
    note.write_text(original, encoding="utf-8")
    update(config)
    print(f"incremental update after one edit: median {statistics.median(incremental) * 1000:.0f} ms, "
          f"worst {max(incremental) * 1000:.0f} ms over {len(incremental)} edits")

    repeated(args, config, root)


if __name__ == "__main__":
    main()
