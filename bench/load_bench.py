"""Measure loading N generated notes: `python bench/load_bench.py --count 10000`."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

from notebase.config import load_config  # noqa: E402
from notebase.load import load  # noqa: E402


def main() -> None:
    """Generate the notes once, then time several full loads and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--uniform", action="store_true", help="notes drawn from ~90 research terms (worst case)")
    args = parser.parse_args()
    root = args.out / f"kb-{args.count}{'-uniform' if args.uniform else ''}"
    if not (root / "notes").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, args.count, uniform=args.uniform)
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
