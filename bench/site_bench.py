"""Measure the site build on N generated notes: `python bench/site_bench.py --count 5000`.

Each build runs in a fresh process (as `notebase build` would) while this script samples the
process tree's memory. Memory is reported as peak PSS summed over the build and its workers
(forked workers share pages with their parent, so summing RSS would count them twice), and as
the largest single-process RSS; the peak PSS within each stage of the build is listed too. Figures:

  cold      no site/ and no build state (the search index is left out unless --with-index)
  nothing   a rebuild with nothing changed
  one edit  a rebuild after appending a paragraph to one note

CPU seconds (the build and its workers) are printed beside the wall time: steadier on a busy
machine. `--setting 'topics: false' --setting 'related: 0'` measures what topics and related
entries cost, against a run without settings. `--compare 'related: 0' --runs 7` does that in one
run: cold builds with and without the setting, alternating (this machine's speed drifts by 10-20%
over minutes), then the medians and minimums of both and what the difference costs. `--against REV`
does the same against an older version of the code (git revision REV, checked out aside), both
builds starting with no `.notebase/` at all: `--against 4c4ded9 --runs 5` measures the build
against the code before topics and related entries (issue 14's "today").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402

RUN = """
import json, sys, time
from notebase.build import build
from notebase.config import load_config
started, clock = time.perf_counter(), time.time()
report = build(load_config(sys.argv[1]), index={index})
print(json.dumps({{"seconds": time.perf_counter() - started, "timings": report.timings, "files": report.files,
                  "rewritten": report.rewritten, "entries": report.entries, "up_to_date": report.up_to_date,
                  "clock": clock}}))
"""


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo += [int(c) for c in children]
    return pids


def _memory(pid: int) -> tuple[int, int]:
    """Return (PSS summed over the tree, largest RSS) in kB."""
    pss = rss = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = max(rss, int(line.split()[1]))
        except OSError:
            continue
    return pss, rss


def run_build(root: Path, index: bool, source: Path | None = None) -> dict:
    """Build once in a child process (with the notebase of `source`, a checkout's src/, if given); return its report plus peak memory."""
    import resource

    code = RUN.format(index=index)
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH", "")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen([sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True, env=env)
    peak_rss = 0
    samples = []  # (wall clock, PSS in kB)
    while child.poll() is None:
        pss, rss = _memory(child.pid)
        samples.append((time.time(), pss))
        peak_rss = max(peak_rss, rss)
        time.sleep(0.05)
    out = child.stdout.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if child.returncode:
        raise SystemExit(f"build failed ({child.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_pss_mb"], result["peak_rss_mb"] = max(p for _, p in samples) / 1024, peak_rss / 1024
    result["stage_peaks"] = _stage_peaks(samples, result["clock"], result["timings"])
    result["cpu"] = cpu
    return result


def _stage_peaks(samples: list[tuple[float, int]], clock: float, timings: dict[str, float]) -> dict[str, float]:
    """Return the peak PSS (MB) seen during each stage, the stages laid end to end from the build's start."""
    peaks, start = {}, clock
    for stage, seconds in timings.items():
        inside = [p for t, p in samples if start <= t < start + seconds]
        peaks[stage] = max(inside, default=0) / 1024
        start += seconds
    return peaks


def show(name: str, r: dict) -> None:
    """Print one measured build."""
    stages = ", ".join(f"{k} {v:.2f}" for k, v in r["timings"].items())
    peaks = ", ".join(f"{k} {v:.0f}" for k, v in r["stage_peaks"].items())
    print(f"{name:<9} {r['seconds']:6.2f} s ({r['cpu']:.2f} s CPU)  files {r['files']}, rewritten {r['rewritten']}; "
          f"peak memory {r['peak_pss_mb']:.0f} MB PSS (largest process {r['peak_rss_mb']:.0f} MB RSS)\n"
          f"          stages: {stages}\n"
          f"          peak MB PSS by stage: {peaks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=1, help="cold builds to run")
    parser.add_argument("--with-index", action="store_true", help="include the search index (built from scratch)")
    parser.add_argument("--setting", action="append", default=[], metavar="'KEY: VALUE'",
                        help="a notebase.yaml line for these builds, e.g. 'topics: false' (repeatable)")
    parser.add_argument("--compare", action="append", default=[], metavar="'KEY: VALUE'",
                        help="alternate cold builds with and without these lines (repeatable)")
    parser.add_argument("--against", metavar="REV",
                        help="alternate cold builds of this code and of git revision REV (checked out aside)")
    args = parser.parse_args()
    root = knowledge_base(args)
    settings = root / "notebase.yaml"
    settings.unlink(missing_ok=True)
    if args.setting:
        settings.write_text("".join(f"{line}\n" for line in args.setting), encoding="utf-8")
    try:
        if args.against:
            with checkout(args.against) as source:
                _compare(root, args, source)
        else:
            _compare(root, args) if args.compare else _measure(root, args)
    finally:
        settings.unlink(missing_ok=True)


def compile_sources(src: Path) -> None:
    """Compile a tree's modules ahead, as an installed package is: where PYTHONDONTWRITEBYTECODE is set (as
    on some machines), every run would otherwise compile its imports again (0.2 s of a one-edit build)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False, capture_output=True)


@contextlib.contextmanager
def checkout(rev: str):
    """Check git revision `rev` of this repository out into a temporary folder; yield its src/."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="notebase-against-") as folder:
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "-q", folder, rev], check=True)
        compile_sources(Path(folder) / "src")
        try:
            yield Path(folder) / "src"
        finally:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", folder], check=False)


def _cold(root: Path, index: bool, source: Path | None = None, wipe: bool = False) -> dict:
    shutil.rmtree(root / "site", ignore_errors=True)
    if wipe:  # against another version: nothing either kept (its vocabulary, its URL history) is read
        shutil.rmtree(root / ".notebase", ignore_errors=True)
    for name in ("site-state.json", "site-manifest.json", "engine.pickle"):
        (root / ".notebase" / name).unlink(missing_ok=True)
    if index:
        shutil.rmtree(root / ".notebase" / "index", ignore_errors=True)
    return run_build(root, index, source)


def _compare(root: Path, args: argparse.Namespace, against: Path | None = None) -> None:
    """Cold builds as set (`--setting`) and with `--compare`'s lines too, or by the code of `--against`,
    alternating; report what they cost."""
    import statistics

    base = "".join(f"{line}\n" for line in args.setting)
    variants = {"as set": (base, None), "compared": (base + "".join(f"{line}\n" for line in args.compare), against)}
    compared = "; ".join(args.compare + ([f"the code of {args.against}"] if against else []))
    print(f"{args.count} notes, {os.cpu_count()} CPUs; compared: {compared}")
    found: dict[str, list[dict]] = {name: [] for name in variants}
    for n in range(args.runs):
        for name in variants if n % 2 == 0 else reversed(variants):
            setting, source = variants[name]
            (root / "notebase.yaml").write_text(setting, encoding="utf-8")
            found[name].append(r := _cold(root, args.with_index, source, against is not None))
            print(f"  {name:<9} {r['seconds']:6.2f} s ({r['cpu']:.2f} s CPU), peak {r['peak_pss_mb']:.0f} MB PSS")
    figures = {}
    for name, runs in found.items():
        wall, cpu = [r["seconds"] for r in runs], [r["cpu"] for r in runs]
        figures[name] = (statistics.median(wall), min(wall), statistics.median(cpu), min(cpu))
        print(f"{name:<9} wall median {figures[name][0]:.2f} s, min {figures[name][1]:.2f}; CPU median "
              f"{figures[name][2]:.2f} s, min {figures[name][3]:.2f}; peak {max(r['peak_pss_mb'] for r in runs):.0f} MB")
    a, b = figures["as set"], figures["compared"]
    print("as set costs, against compared: wall median {:+.1%}, min {:+.1%}; CPU median {:+.1%}, min {:+.1%}".format(
        *(x / y - 1 for x, y in zip(a, b))))


def _measure(root: Path, args: argparse.Namespace) -> None:
    print(f"{args.count} notes in {root}, {os.cpu_count()} CPUs" + "".join(f"; {s}" for s in args.setting))
    for _ in range(args.runs):
        show("cold", _cold(root, args.with_index))
    show("nothing", run_build(root, args.with_index))
    note = sorted((root / "notes").rglob("*.md"))[len(list((root / "notes").rglob("*.md"))) // 2]
    original = note.read_text(encoding="utf-8")
    try:
        note.write_text(original + "\n\n한 문단을 더했다. One more paragraph.\n", encoding="utf-8")
        show("one edit", run_build(root, args.with_index))
    finally:
        note.write_text(original, encoding="utf-8")


if __name__ == "__main__":
    main()
