"""Measure `notebase serve` on N generated notes: `python bench/serve_bench.py --count 10000`.

Runs the installed command on a copy of the generated notes (so other benchmarks' sites are left
alone) and reads its server-sent events as an open page does. For each kind of edit it reports
the time from the file being written to the reload event arriving, and to the page then being
served with the new text: what "visible in the browser" means. Edits are a second apart
(`--pause`), as a writer's are; back to back, an edit also waits for the previous one's search
index update. The server's own update times and index updates are read from its output.

  start     serve started to "serving" printed (the site was already built once, as usual)
  edit      a paragraph appended to one note (same title, date, tags): the common case
  retitle   one note's title changed (its listings, neighbours and feeds change too)
  add       a new note with a new tag
  delete    that note deleted again

`--against REV` runs whole sessions of this code and of git revision REV (checked out aside, on a
copy of the same notes), alternating, `--sessions` of each: this kind of machine drifts by 20-40%
within minutes. Then the medians of both and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402
from site_bench import checkout  # noqa: E402


def _notebase(code: Path | None = None) -> list[str]:
    exe = Path(sys.executable).with_name("notebase")
    return [str(exe)] if exe.exists() and code is None else [sys.executable, "-m", "notebase"]


def _env(code: Path | None) -> dict:
    """The environment that runs the notebase of `code` (a checkout's src/), or the installed one."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH", "")]))
    return env


class Server:
    """`notebase serve --port 0` in a child process, and one event-stream client."""

    def __init__(self, root: Path, code: Path | None = None):
        started = time.perf_counter()
        self.process = subprocess.Popen(_notebase(code) + ["--root", str(root), "serve", "--port", "0"],
                                        stderr=subprocess.PIPE, text=True, env=_env(code))
        self.log: list[str] = []
        while True:
            line = self.process.stderr.readline()
            if not line:
                raise SystemExit("serve ended:\n" + "".join(self.log))
            self.log.append(line)
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                self.url = found[1]
                break
        self.start_seconds = time.perf_counter() - started
        self.events = urllib.request.urlopen(self.url + "_notebase/events", timeout=120)
        self.next_event()  # the current state

    def next_event(self) -> dict:
        data = None
        while True:
            line = self.events.readline().decode("utf-8")
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + quote(path), timeout=30) as response:
            return response.read().decode("utf-8")

    def stop(self) -> str:
        self.process.terminate()
        _, rest = self.process.communicate(timeout=60)
        return "".join(self.log) + rest


PAUSE = 1.0


def _timed(server: Server, write, page: str | None = None, shows: str | None = None) -> tuple[float, float]:
    """Write, wait for the reload event that names `page` (any page when None), then fetch a page with the edit.

    An editor's save can reach the watcher as two changes (truncate, then write), so events that
    change nothing are skipped. Returns seconds to the event and to the edit being served.
    """
    time.sleep(PAUSE)  # at a writer's pace: the server has finished the last edit's index update
    started = time.perf_counter()
    write()
    while True:
        if time.perf_counter() - started > 120:
            raise SystemExit("no reload event within 120 s")
        event = server.next_event()
        if (page in event["pages"]) if page else event["pages"]:
            break
    to_event = time.perf_counter() - started
    if shows is not None:
        pages = [page] if page else [p for p in event["pages"] if p.count("/") == 2
                                     and not p.startswith(("tags/", "archive/"))]
        assert any(shows in server.page(p) for p in pages), f"no page of {pages} shows the edit"
    return to_event, time.perf_counter() - started


def _retitle(text: str, title: str) -> str:
    """Change a note's title: its `title:` line, else its `# heading`, else add a heading."""
    for pattern, replacement in ((r"^title: .*$", f"title: {title}"), (r"^# .*$", f"# {title}")):
        changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
        if count:
            return changed
    return f"# {title}\n\n{text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=5, help="edits of each kind")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits (0: back to back)")
    parser.add_argument("--against", metavar="REV", help="also time the code of this git revision, alternating")
    parser.add_argument("--sessions", type=int, default=3, help="server sessions of each code with --against")
    args = parser.parse_args()
    global PAUSE
    PAUSE = args.pause
    source = knowledge_base(args)
    root = args.out / f"serve-{args.count}"
    if not args.against:
        print(f"{args.count} notes in {root}, {os.cpu_count()} CPUs")
        _report(*_session(source, root, None, args.runs))
        return
    other = args.out / f"serve-{args.count}-against"
    variants: dict[str, list[dict]] = {"this code": [], args.against: []}
    with checkout(args.against) as code:
        for n in range(args.sessions):
            order = [("this code", root, None), (args.against, other, code)]
            for name, where, src in order if n % 2 == 0 else reversed(order):
                variants[name].append(_session(source, where, src, args.runs)[0])
    print(f"{args.count} notes, {os.cpu_count()} CPUs; {args.sessions} sessions of each code, alternating, "
          f"{args.runs} edits of each kind a session: reload event, median / worst")
    medians = {}
    for name, sessions in variants.items():
        print(f" {name}:")
        for kind in sessions[0]:
            events = [t[0] * 1000 for results in sessions for t in results[kind]]
            medians[name, kind] = statistics.median(events)
            print(f"  {kind:<9} {medians[name, kind]:5.0f} ms / {max(events):5.0f} ms")
    print(" ratio of medians, this code / " + args.against + ": " + ", ".join(
        f"{kind} {medians['this code', kind] / medians[args.against, kind]:.2f}" for kind in variants["this code"][0]))


def _session(source: Path, root: Path, code: Path | None, runs: int) -> tuple[dict, float, str]:
    """Serve a copy of the notes with the notebase of `code` (the installed one when None), time `runs`
    edits of each kind; return the times by kind, the start's seconds and the server's log."""
    if not (root / "notes").is_dir():
        shutil.copytree(source / "notes", root / "notes")
    for leftover in (root / "notes").glob("bench-new-*.md"):  # from an interrupted run
        leftover.unlink()
    subprocess.run(_notebase(code) + ["--root", str(root), "build"], check=False, capture_output=True, env=_env(code))
    server = Server(root, code)
    notes = sorted((root / "notes").rglob("*.md"))
    results: dict[str, list[tuple[float, float]]] = {}
    restore: list[tuple[Path, str]] = []
    try:
        for run in range(runs):
            note = notes[(run + 1) * len(notes) // (runs + 2)]
            original = note.read_text(encoding="utf-8")
            restore.append((note, original))
            marker = f"편집 {run} edit marker"
            results.setdefault("edit", []).append(
                _timed(server, lambda: note.write_text(original + f"\n\n{marker}\n", "utf-8"), shows=marker))
            retitled = _retitle(original, f"Retitled {run}")
            results.setdefault("retitle", []).append(_timed(server, lambda: note.write_text(retitled, "utf-8")))
            _timed(server, lambda: note.write_text(original, encoding="utf-8"))
            new = root / "notes" / f"bench-new-{run}.md"
            text = f"---\ntitle: Bench new {run}\ndate: 2031-01-0{run + 1}\ntype: tip\ntags: [bench-new-{run}]\n---\nhello\n"
            results.setdefault("add", []).append(_timed(server, lambda: new.write_text(text, "utf-8"),
                                                        f"tips/bench-new-{run}/", "hello"))
            results.setdefault("delete", []).append(_timed(server, new.unlink, f"tips/bench-new-{run}/"))
    finally:
        log = server.stop()
        for note, text in restore:
            note.write_text(text, encoding="utf-8")
    return results, server.start_seconds, log


def _report(results: dict, start: float, log: str) -> None:
    print(f"start     {start:6.2f} s (site already built)")
    for kind, times in results.items():
        events, pages = [t[0] * 1000 for t in times], [t[1] * 1000 for t in times]
        print(f"{kind:<9} reload event median {statistics.median(events):5.0f} ms (worst {max(events):4.0f}); "
              f"page with the edit served: median {statistics.median(pages):5.0f} ms (worst {max(pages):4.0f})")
    updates = [float(m) for m in re.findall(r"updated in (\d+) ms", log)]
    indexed = [float(m) for m in re.findall(r"search index: .*\((\d+) ms\)", log)]
    if updates:
        print(f"update (server side) median {statistics.median(updates):.0f} ms; "
              f"search index after it median {statistics.median(indexed or [0]):.0f} ms")


if __name__ == "__main__":
    main()
