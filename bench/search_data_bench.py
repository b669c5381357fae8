"""Measure the static site's search data on N generated notes: `python bench/search_data_bench.py --count 10000`.

Prints the time of `search_files` (all processes, then one), the size of what it writes (total,
per kind, largest file), and for each benchmark query what the page loads from cold: files,
bytes and milliseconds under node (the same scripts the browser runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402
from search_bench import QUERIES  # noqa: E402

from notebase.config import load_config  # noqa: E402
from notebase.emitters.search_data import FOLDER, search_files  # noqa: E402
from notebase.load import load  # noqa: E402
from notebase.site import published  # noqa: E402

STATIC = Path(__file__).resolve().parents[1] / "templates" / "static"
# Each query on a fresh engine with the loaded-file store emptied: what a first visit costs.
COLD = """
const path = require("path"), fs = require("fs");
const [stat, data, queries] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];
const NS = require(path.join(stat, "search-rank.js"));
global.NotebaseSearch = NS;
(async () => {
  for (const q of queries) {
    for (const k of Object.keys(NS._store)) delete NS._store[k];
    for (const k of Object.keys(require.cache)) if (k.startsWith(data)) delete require.cache[k];
    let files = 0, bytes = 0;
    const e = NS.open(null, { load: (r) => { files++; bytes += fs.statSync(path.join(data, r)).size; require(path.join(data, r)); } });
    const t = performance.now();
    const r = await e.search(q, { limit: 10 });
    const ms = performance.now() - t, u = performance.now();
    await e.search(q, { limit: 10 });
    console.log(JSON.stringify([q, files, bytes, ms, performance.now() - u, r.total, r.totalMax]));
  }
})();
"""


def main() -> None:
    """Generate the notes once, then time search_files and the queries and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config(knowledge_base(args))
    entries = published(load(config).entries)
    for jobs, label in ((None, f"{min(os.cpu_count() or 1, 4)} processes"), (1, "1 process")):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            files = search_files(entries, config, jobs=jobs)
            times.append(time.perf_counter() - start)
        print(f"search_files, {len(entries)} entries, {label}: median {statistics.median(times):.2f} s, "
              f"best {min(times):.2f} s over {args.runs} runs")
    sizes = {rel: len(data) for rel, data in files.items()}
    print(f"{len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB")
    for kind in ("manifest.js", "docs.js", "tags.js", "terms/", "text/"):
        chosen = [size for rel, size in sizes.items() if rel[len(FOLDER):].startswith(kind)]
        print(f"  {kind:<12} {len(chosen):>5} files  {sum(chosen) / 1e3:>9.0f} kB  largest {max(chosen) / 1e3:.0f} kB  "
              f"mean {sum(chosen) / len(chosen) / 1e3:.0f} kB")
    out = Path(tempfile.mkdtemp(prefix="search-data-"))
    try:
        for rel, data in files.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        done = subprocess.run(["node", "-e", COLD, str(STATIC), str(out / FOLDER), json.dumps(QUERIES)],
                              capture_output=True, text=True, check=True)
        print("query (cold: files, kB, ms; warm ms; total)")
        for line in done.stdout.splitlines():
            q, count, size, cold, warm, total, most = json.loads(line)
            shown = total if total == most else f"{total}-{most}"
            print(f"  {q:<32} {count:>3} files {size / 1e3:>6.0f} kB {cold:>5.0f} ms  warm {warm:>5.1f} ms  {shown}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
