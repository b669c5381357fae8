"""Time `notebase build` after one edit, each in a fresh process: `python bench/edit_bench.py --count 10000`.

The knowledge base is built once in full (that keeps the build state in .notebase/); then, for each
kind of edit, one note is changed on disk and the installed `notebase build` command runs in a new
process, so interpreter start, imports, reading the state, the site update and the search index
update are all counted. Each kind is measured `--repeat` times; the median and worst are printed.

  no change   nothing edited (the fingerprint check)
  body        a paragraph appended to one note
  retitle     one note's title changed
  add         a new note dated within the notes' years (older notes shift across listing pages)
  delete      that note deleted again
  add newest  a new note dated today, the newest (the usual new note)
  delete newest  that note deleted again

`--against REV` does the same with an older version of the code (git revision REV, checked out
aside) on a copy of the same notes, alternating the two at every step, since this kind of machine
drifts by 20-40% within minutes; then the medians of both and their ratio.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402
from site_bench import checkout, compile_sources  # noqa: E402

def notebase_command() -> list[str]:
    """The installed command beside this interpreter, else `python -m notebase`."""
    found = Path(sys.executable).with_name("notebase")
    return [str(found)] if found.exists() else [sys.executable, "-m", "notebase"]


def touch(path: Path, text: str) -> None:
    """Write text and move the mtime on, so an edit within the clock's grain still counts."""
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


def main() -> None:
    """Build once, then time each kind of edit (alternating with `--against`'s code)."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also time the code of this git revision, alternating")
    args = parser.parse_args()
    source = knowledge_base(args)
    compile_sources(Path(__file__).resolve().parents[1] / "src")
    root = args.out / f"edit-{args.count}"
    if not (root / ".notebase" / "engine.pickle").exists():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source / "notes", root / "notes")
        subprocess.run([*notebase_command(), "--root", str(root), "build", "--force"], check=True)
    if not args.against:
        _measure({"this code": (root, None)}, args.repeat)
        return
    old = args.out / f"edit-{args.count}-against"
    shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(root / "notes", old / "notes")
    with checkout(args.against) as code:
        _time_only(old, code, "--force")
        _measure({"this code": (root, None), args.against: (old, code)}, args.repeat)


def _measure(variants: dict[str, tuple[Path, Path | None]], repeat: int) -> None:
    """Time each kind of edit `repeat` times on every variant (root, code), alternating; print the medians."""
    kinds = ["no change", "body", "retitle", "add", "delete", "add newest", "delete newest"]
    results = {name: {kind: [] for kind in kinds} for name in variants}
    edits = {name: _edits(root) for name, (root, _) in variants.items()}
    for name, (root, code) in variants.items():
        _time_only(root, code)  # whatever an earlier run left is caught up first
    for n in range(repeat):
        for kind in kinds:
            for name in (list(variants) if n % 2 == 0 else list(reversed(variants))):
                root, code = variants[name]
                edits[name][kind](n)
                results[name][kind].append(_time_only(root, code))
    for name, (root, code) in variants.items():
        edits[name]["restore"](0)
        _time_only(root, code)
    count = len(list(next(iter(variants.values()))[0].joinpath("notes").rglob("*.md")))
    print(f"one-edit `notebase build` at {count} notes, fresh process each (median / worst of {repeat}):")
    for name in variants:
        print(f" {name}:")
        for kind, times in results[name].items():
            print(f"  {kind:10s} {statistics.median(times):6.2f} s / {max(times):6.2f} s")
    if len(variants) == 2:
        this, other = variants
        print(" ratio of medians, " + this + " / " + other + ": " + ", ".join(
            f"{kind} {statistics.median(results[this][kind]) / statistics.median(results[other][kind]):.2f}"
            for kind in kinds))


def _edits(root: Path) -> dict:
    """The edits of one knowledge base, each given the round's number."""
    notes = sorted((root / "notes").rglob("*.md"))
    notes = [p for p in notes if p.name != "bench-new-note.md"]
    target = notes[len(notes) // 2]
    original = target.read_text(encoding="utf-8")
    new_note = target.parent / "bench-new-note.md"  # a folder the generated notes have
    new_note.unlink(missing_ok=True)

    def body(n: int) -> None:  # to the note as the last round left it: from `original`, it undid the retitle too
        touch(target, target.read_text(encoding="utf-8") + f"\n\nA paragraph added by the benchmark ({n}).\n")

    def retitle(n: int) -> None:
        text = original if original.startswith("---") else f"---\ntitle: x\n---\n{original}"
        lines = text.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith("title:")) if any(
            line.startswith("title:") for line in lines) else 1
        lines[at] = f"title: \"Retitled by the benchmark {n}\"\n" if lines[at].startswith("title:") else \
            lines[at] + f"title: \"Retitled by the benchmark {n}\"\n"
        touch(target, "".join(lines))

    def add(n: int) -> None:
        touch(new_note, f"---\ntitle: Benchmark note {n}\ndate: 2024-05-0{1 + n % 9}\ntags: [bench]\n---\n\n"
                        "한 줄짜리 메모와 an English line.\n")

    def delete(n: int) -> None:
        new_note.unlink()

    def add_newest(n: int) -> None:  # the usual new note: today's, the newest of the site
        touch(new_note, f"---\ntitle: Today's note {n}\ndate: {datetime.date.today()}\ntags: [bench]\n---\n\n"
                        "오늘 배운 것과 what I learned today.\n")

    return {"no change": lambda n: None, "body": body, "retitle": retitle, "add": add, "delete": delete,
            "add newest": add_newest, "delete newest": delete, "restore": lambda n: touch(target, original)}


def _command(code: Path | None) -> list[str]:
    return notebase_command() if code is None else [sys.executable, "-m", "notebase"]


def _time_only(root: Path, code: Path | None = None, *options: str) -> float:
    """Run `notebase build` in a new process (with the notebase of `code`, a checkout's src/, if given); return its wall time."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH", "")]))
    started = time.perf_counter()
    done = subprocess.run([*_command(code), "--root", str(root), "build", *options], capture_output=True, text=True,
                          env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
