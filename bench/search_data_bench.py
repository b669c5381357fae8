"""Measure the static site's search data on N generated notes: `python bench/search_data_bench.py --count 10000`.

Prints the time of `search_files` (all processes, then one), the size of what it writes (total,
per kind, largest file), and for each benchmark query what the page loads from cold: files,
bytes and milliseconds under node (the same scripts the browser runs).

`--live` measures `LiveSearchData` instead, as `notebase serve` uses it: the first update (time,
memory it adds), then the median time of an update after one change of each kind, and with
`--check` that the files it handed out equal a full run's at the end.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import datetime as dt
import gc
import json
import os
import random
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
from notebase.site.emitters.search_data import FOLDER, LiveSearchData, search_files  # noqa: E402
from notebase.load.loader import load  # noqa: E402
from notebase.site.assemble import published  # noqa: E402

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
    parser.add_argument("--live", action="store_true", help="measure LiveSearchData's updates instead")
    parser.add_argument("--check", action="store_true", help="with --live: compare with a full run at the end")
    args = parser.parse_args()
    config = load_config(knowledge_base(args))
    entries = published(load(config).entries)
    if args.live:
        return live(entries, config, max(args.runs, 5), args.check)
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


def _memory(field: str) -> float:
    """This process's VmRSS or VmHWM (peak), in MB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def _trim() -> None:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed pages back, so RSS shows what is kept


def live(entries: list, config, runs: int, check: bool) -> None:
    """Time LiveSearchData's first update and its updates after one edit, addition or deletion."""
    entries = list(entries)
    _trim()
    before = _memory("VmRSS")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset VmHWM: the peak loading the notes reached is not ours
    data = LiveSearchData(config)
    start = time.perf_counter()
    files, _ = data.update(entries)
    took = time.perf_counter() - start
    peak = _memory("VmHWM") - before
    with_files = _memory("VmRSS") - before
    size = sum(map(len, files.values()))
    if not check:
        del files
    _trim()
    print(f"first update, {len(entries)} entries: {took:.2f} s, {size / 1e6:.0f} MB of files; "
          f"memory added: peak {peak:.0f} MB, {with_files:.0f} MB holding the files, {_memory('VmRSS') - before:.0f} MB "
          "kept without them (this process; forked tokenizers not counted)")
    rng = random.Random(1)
    spare = entries[::-1]
    today = max(e.date for e in entries) + dt.timedelta(days=1)

    def edit_body(n: int) -> None:
        i = rng.randrange(len(entries))
        entries[i] = dataclasses.replace(entries[i], text=entries[i].text + f" 실험 결과를 덧붙였다 revised {n} ablation.")

    def rewrite_body(n: int) -> None:
        i = rng.randrange(len(entries))
        entries[i] = dataclasses.replace(entries[i], text=spare[n].text)

    def edit_title(n: int) -> None:
        i = rng.randrange(len(entries))
        entries[i] = dataclasses.replace(entries[i], title=f"{entries[i].title} 개정 revised {n}")

    def add_newest(n: int) -> None:
        entries.append(dataclasses.replace(spare[n], id=f"live-new-{n}", date=today))

    def add_older(n: int) -> None:
        entries.append(dataclasses.replace(spare[n + 50], id=f"live-old-{n}", date=rng.choice(entries).date))

    def delete(n: int) -> None:
        del entries[rng.randrange(len(entries))]

    def change_date(n: int) -> None:
        i = rng.randrange(len(entries))
        entries[i] = dataclasses.replace(entries[i], date=entries[i].date - dt.timedelta(days=rng.randint(1, 400)))

    print(f"update after one change, median of {runs} (ms; files returned):")
    for label, change in (("edit body (append a sentence, same date)", edit_body),
                          ("edit body (rewrite it all, same date)", rewrite_body), ("edit title", edit_title),
                          ("add a note (newest)", add_newest), ("add a note (date of a random one)", add_older),
                          ("delete a random note", delete), ("change a random note's date", change_date)):
        times, counts = [], []
        for n in range(runs):
            change(n)
            start = time.perf_counter()
            changed, gone = data.update(entries)
            times.append(time.perf_counter() - start)
            counts.append(len(changed) + len(gone))
            if check:
                files.update(changed)
                for rel in gone:
                    del files[rel]
        print(f"  {label:<42} {statistics.median(times) * 1000:>6.0f} ms  (best {min(times) * 1000:.0f}, "
              f"worst {max(times) * 1000:.0f})  files {statistics.median(counts):.0f}")
    _trim()
    print(f"memory kept after the updates: {_memory('VmRSS') - before:.0f} MB over the notes")
    if check:
        same = files == search_files(entries, config)
        print("files equal a full run's:", same)
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
