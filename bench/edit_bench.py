"""Time `notebase build` after one edit, each in a fresh process: `python bench/edit_bench.py --count 10000`.

The knowledge base is built once in full (that keeps the build state in .notebase/); then, for each
kind of edit, one note is changed on disk and the installed `notebase build` command runs in a new
process, so interpreter start, imports, reading the state, the site update and the search index
update are all counted. Each kind is measured `--repeat` times; the median and worst are printed.

  no change   nothing edited (the fingerprint check)
  body        a paragraph appended to one note
  retitle     one note's title changed
  add         a new note
  delete      that note deleted again
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
    """Build once, then time each kind of edit."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = knowledge_base(args)
    root = args.out / f"edit-{args.count}"
    if not (root / ".notebase" / "engine.pickle").exists():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source / "notes", root / "notes")
        subprocess.run([*notebase_command(), "--root", str(root), "build", "--force"], check=True)
    notes = sorted((root / "notes").rglob("*.md"))
    target = notes[len(notes) // 2]
    original = target.read_text(encoding="utf-8")
    new_note = target.parent / "bench-new-note.md"  # a folder the generated notes have
    new_note.unlink(missing_ok=True)
    _time_only(root)  # whatever an earlier run left is caught up first

    def body(n: int) -> None:
        touch(target, original + f"\n\nA paragraph added by the benchmark ({n}).\n")

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

    kinds = [("no change", lambda n: None), ("body", body), ("retitle", retitle), ("add", add), ("delete", delete)]
    results: dict[str, list[float]] = {name: [] for name, _ in kinds}
    for n in range(args.repeat):
        for name, edit in kinds:
            edit(n)
            results[name].append(_time_only(root))
    touch(target, original)
    _time_only(root)
    print(f"one-edit `notebase build` at {len(notes)} notes, fresh process each (median / worst of {args.repeat}):")
    for name, times in results.items():
        print(f"  {name:10s} {statistics.median(times):6.2f} s / {max(times):6.2f} s")


def _time_only(root: Path) -> float:
    """Run `notebase build` in a new process; return its wall time."""
    started = time.perf_counter()
    done = subprocess.run([*notebase_command(), "--root", str(root), "build"], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
