"""Time reading and writing the build state of N generated notes: `python bench/state_bench.py --count 10000`.

Builds the knowledge base once if it has no state (in the folder edit_bench.py uses), then, in this
process, loads the state and writes it again (the main pickle to /dev/null; no row changes)
`--runs` times. CPU seconds, not wall time: the minimum is the figure to compare on a busy machine.
Also prints the size of the main pickle and of the rows.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from edit_bench import notebase_command  # noqa: E402
from generate import add_arguments, knowledge_base  # noqa: E402

from notebase.config import load_config  # noqa: E402
from notebase.site import engine  # noqa: E402
from notebase.site.state_rows import ROWS  # noqa: E402


def main() -> None:
    """Build once when needed, then time loading and writing the state `--runs` times."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, help="a knowledge base built already (edit_bench's by default)")
    args = parser.parse_args()
    source = knowledge_base(args)
    root = args.root or args.out / f"edit-{args.count}"
    if not (root / ".notebase" / engine.STATE).exists():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source / "notes", root / "notes")
        subprocess.run([*notebase_command(), "--root", str(root), "build", "--force"], check=True)
    config = load_config(root)
    settings = engine.scan_sources(config).settings
    loads, saves = [], []
    for _ in range(args.runs):
        gc.collect()
        start = time.process_time()
        live = engine.load_state(config, settings)
        loads.append(time.process_time() - start)
        if live is None:
            raise SystemExit(f"no state for these settings in {root}: build it with this code first")
        with open("/dev/null", "wb") as sink:
            start = time.process_time()
            engine.write_state(live, settings, sink)
            saves.append(time.process_time() - start)
        gc.unfreeze()  # load_state froze what it loaded; let the next round free it
        del live
    cache = config.cache_path
    print(f"state of {len(list((root / 'notes').rglob('*.md')))} notes: main pickle "
          f"{(cache / engine.STATE).stat().st_size / 1e6:.1f} MB, rows {(cache / ROWS).stat().st_size / 1e6:.1f} MB")
    print(f"load: min {min(loads):.3f} s, median {statistics.median(loads):.3f} s CPU over {args.runs} runs")
    print(f"save: min {min(saves):.3f} s, median {statistics.median(saves):.3f} s CPU over {args.runs} runs")


if __name__ == "__main__":
    main()
