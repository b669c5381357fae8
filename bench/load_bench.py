"""Measure loading N generated notes: `python bench/load_bench.py --count 10000`."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402

from notebase.config import load_config  # noqa: E402
from notebase.load.loader import load  # noqa: E402


def main() -> None:
    """Generate the notes once, then time several full loads and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = knowledge_base(args)
    size = sum(p.stat().st_size for p in (root / "notes").rglob("*.md"))
    config = load_config(root)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = load(config)
        times.append(time.perf_counter() - start)
    print(f"notes: {args.count} files, {size / 1e6:.1f} MB; entries: {len(result.entries)}; "
          f"problems: {len(result.problems)}")
    print(f"load: median {statistics.median(times):.2f} s, best {min(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
