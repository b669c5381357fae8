"""Hostile notes at three sizes each, timed: `python bench/pathological.py [--timeout 60] [family ...]`.

Every family is one note (or feed) built to hit one weakness: a regex that backtracks, a loop
that is quadratic in items, an expansion without bound. Each case runs in a fresh process with a
hard time-out: it writes the note into an empty knowledge base (under /dev/shm when there is one,
or $NOTEBASE_BENCH_DIR), then times loading it and building the whole site for it (load, render,
listings, feeds, search data; the search index too with --index). The table prints the build's
seconds per size and the growth exponent between the two larger sizes (1 is linear, 2 quadratic);
the budget is 1 s for any single note up to 1 MB. Once a size passes the time-out, the larger
ones are not run.

`FAMILIES` is importable; `--guard 0` loads and renders every family at its first size in memory
(tests/test_pathological.py runs that under a time-out, as a hang guard).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

Files = dict[str, bytes]
FM_TIP = "---\ntitle: t\ndate: 2024-01-02\ntype: tip\n---\n"


def _md(text: str, front: str = FM_TIP, name: str = "case.md") -> Files:
    return {name: (front + text).encode("utf-8")}


def _typed(kind: str) -> str:
    return f"---\ntitle: t\ndate: 2024-01-02\ntype: {kind}\n---\n"


def alias_bomb(levels: int) -> Files:
    """A YAML 'billion laughs': each level names the previous one nine times (335 bytes at 9 levels)."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip(names, names[1:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return {"case.md": ("---\n" + "\n".join(lines) + f"\ntags: *{names[levels - 1]}\n---\nbody\n").encode()}


def log_same_titles(n: int) -> Files:
    """A TIL date log whose items all share one date and one title: every id clashes."""
    return _md("".join("2024.01.05\n같은 제목 same title\n\n" for _ in range(n)), front="")


def references(n: int) -> Files:
    """A date log ending in a long numbered References list, each number cited once."""
    items = "".join(f"2024.01.{1 + i % 28:02d}\n항목 {i} cites Moment{i + 1}는 here\n\n" for i in range(3))
    refs = "".join(f"{i + 1}. Author {i}. A paper title {i}. 2020.\n" for i in range(n))
    return _md(items + "References\n\n" + refs, front="")


def same_title_presenters(n: int) -> Files:
    """A seminar digest where n different presenters summarise one paper: the same title n times."""
    syllables = "가나다라마바사아자차카타파하민수영진호현우재"
    names = [s + a + b for s in "김이박최정강조윤장임" for a in syllables for b in syllables][:n]
    return _md("# 세미나\n\n" + "".join(f"{name}: Attention Is All You Need\n요약 {i}.\n\n"
                                       for i, name in enumerate(names)), front="")


def unknown_keys(n: int) -> Files:
    """Front matter with thousands of keys nobody knows: one warning each, found near-linearly."""
    keys = "".join(f"key_{i}: {i}\n" for i in range(n))
    return {"case.md": f"---\ntitle: t\ndate: 2024-01-02\n{keys}---\nbody\n".encode()}


def hashtags(n: int) -> Files:
    """Many inline #hashtags: one tag page each (plus its feed), and a tag list on the page."""
    return _md(" ".join(f"#태그{i} #tag{i}" for i in range(n // 2)) + "\n", front="")


def atom_feed(n: int) -> Files:
    """An Atom feed of n entries whose bodies carry a little HTML."""
    entries = "".join(
        f"<entry><title>Item {i}</title><id>urn:{i}</id><updated>2024-01-02T00:00:00Z</updated>"
        f"<content type=\"html\">&lt;p&gt;본문 {i} &amp;lt;b&amp;gt;&lt;/p&gt;</content></entry>" for i in range(n))
    return {"case.xml": f'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{entries}</feed>'.encode()}


# name -> (make(n) -> files, the three sizes n takes)
FAMILIES: dict[str, tuple[Callable[[int], Files], tuple[int, int, int]]] = {
    "baseline": (lambda n: _md("a\n" * n), (1, 1, 1)),  # the fixed cost of any build
    # Regex backtracking on one long line.
    "heading-spaces": (lambda n: _md("# a" + " " * n + "x\n"), (3_000, 30_000, 300_000)),
    "h2-spaces": (lambda n: _md("## a" + " " * n + "x\n"), (3_000, 30_000, 300_000)),
    "paper-space-lines": (lambda n: _md("a\n" + " \n" * n + "b\n", _typed("paper")), (700, 7_000, 70_000)),
    "conference-space-lines": (lambda n: _md("a\n" + " \n" * n + "b\n", _typed("conference")),
                               (700, 7_000, 70_000)),
    "paper-title-spaces": (lambda n: {"case.md": f"---\ntitle: \"a{' ' * n}b 리뷰\"\ntype: paper\n---\n본문\n".encode()},
                           (2_000, 20_000, 200_000)),
    "event-title-spaces": (lambda n: {"case.md": f"---\ntitle: \"a{' ' * n}b 후기\"\ntype: conference\n---\n본문\n"
                                      .encode()}, (2_000, 20_000, 200_000)),
    "untyped-space-lines": (lambda n: _md("a\n" + " \n" * n + "b\n", ""), (700, 7_000, 70_000)),
    "xml-comments": (lambda n: {"case.xml": ("<!--a-->" * n).encode()}, (28, 2_800, 28_000)),
    "md-feed-comments": (lambda n: _md("<!--a-->" * n + "<rss", ""), (28, 2_800, 28_000)),
    "yaml-alias-bomb": (alias_bomb, (7, 9, 11)),
    "marker-line": (lambda n: _md(("[S1] a" + " " * n + "b\n\n") * 2, ""), (2_000, 20_000, 200_000)),
    "presenter-line": (lambda n: _md(("김철수: a" + " " * n + "b\n\n") * 3, ""), (2_000, 20_000, 200_000)),
    "presenter-long-name": (lambda n: _md(("a" * n + ": Title\n\n") * 3, ""), (2_000, 20_000, 200_000)),
    "wikilink-opens": (lambda n: _md("[[" * n + "\n"), (5_000, 50_000, 500_000)),
    "backticks": (lambda n: _md("`" * n + "\n"), (2_000, 20_000, 200_000)),
    "backtick-pairs": (lambda n: _md("`a" * n + "\n"), (2_000, 20_000, 200_000)),
    "leading-spaces": (lambda n: _md(" " * n + "x\n"), (8_000, 80_000, 800_000)),
    "link-opens": (lambda n: _md("[a](" * n + "\n"), (2_000, 20_000, 200_000)),
    "image-opens": (lambda n: _md("![a](" * n + "\n"), (2_000, 20_000, 150_000)),
    "emphasis-stars": (lambda n: _md("*a " * n + "\n"), (2_000, 20_000, 200_000)),
    "emphasis-runs": (lambda n: _md("**" * n + "a\n"), (2_000, 20_000, 200_000)),
    "html-opens": (lambda n: _md("<a " * n + "\n"), (2_000, 20_000, 200_000)),
    "angle-urls": (lambda n: _md("<http://a " * n + "\n"), (2_000, 20_000, 100_000)),
    "html-nesting": (lambda n: _md("<div>" * n + "x" + "</div>" * n + "\n"), (5_000, 20_000, 80_000)),
    "feed-html-nesting": (lambda n: {"case.xml": ('<rss version="2.0"><channel><title>F</title><item><title>T</title>'
                                                 "<description><![CDATA[" + "<div>" * n + "x]]></description>"
                                                 "</item></channel></rss>").encode()}, (5_000, 20_000, 80_000)),
    "table-rows": (lambda n: _md("| a | b |\n|---|---|\n" + "| x | y |\n" * n), (2_000, 10_000, 50_000)),
    "long-word": (lambda n: _md("a" * n + "\n"), (10_000, 100_000, 1_000_000)),
    "nested-quotes": (lambda n: _md(">" * n + " a\n"), (1_000, 10_000, 100_000)),
    "nested-lists": (lambda n: _md("".join("  " * i + "- a\n" for i in range(n))), (100, 300, 1_000)),
    "dollars": (lambda n: _md("$a" * n + "\n"), (2_000, 20_000, 200_000)),
    "marks": (lambda n: _md("==a" * n + "\n"), (2_000, 20_000, 200_000)),
    "log-same-titles": (log_same_titles, (2_000, 8_000, 20_000)),
    "same-title-presenters": (same_title_presenters, (500, 2_000, 4_000)),
    "h2-headings": (lambda n: _md("## 같은 제목\n\n" * n), (1_000, 4_000, 10_000)),
    "references": (references, (500, 2_000, 5_000)),
    "unknown-keys": (unknown_keys, (500, 2_000, 5_000)),
    "callouts": (lambda n: _md("> [!note] 제목\n> 본문\n\n" * n), (1_000, 4_000, 10_000)),
    "missing-images": (lambda n: _md("![a](missing.png) " * n + "\n"), (3_000, 10_000, 30_000)),
    "image-lines": (lambda n: _md("![a](missing.png)\n" * n), (3_000, 10_000, 30_000)),
    "wikilinks": (lambda n: _md("".join(f"[[없는 노트 {i}]] " for i in range(n)) + "\n"), (2_000, 8_000, 20_000)),
    "embeds": (lambda n: _md("![[없는그림.png]] " * n + "\n"), (2_000, 8_000, 20_000)),
    "hashtags": (hashtags, (250, 500, 1_000)),
    "tag-levels": (lambda n: _md("#" + "/".join(f"t{i}" for i in range(n)) + " 본문\n", front=""), (100, 1_000, 10_000)),
    "tags-front-matter": (lambda n: {"case.md": (
        "---\ntitle: t\ndate: 2024-01-02\ntags: [" + ", ".join(f"t{i}" for i in range(n)) + "]\n---\nx\n"
    ).encode()}, (250, 500, 1_000)),
    "footnote-opens": (lambda n: _md("내용[^1" * n + "\n\n[^1]: 각주\n"), (1_000, 10_000, 100_000)),
    "footnotes": (lambda n: _md("".join(f"a[^{i}] " for i in range(n)) + "\n\n"
                                + "".join(f"[^{i}]: note {i}\n" for i in range(n))), (1_000, 4_000, 10_000)),
    "table-columns": (lambda n: _md("|" + "a|" * n + "\n|" + "-|" * n + "\n|" + "b|" * n + "\n"),
                      (1_000, 5_000, 20_000)),
    "date-lines": (lambda n: _md("2024.01.05\n" * n, ""), (2_000, 20_000, 60_000)),
    "talk-lines": (lambda n: _md("김철수 A talk title here\n\n" * n, _typed("conference")), (1_000, 5_000, 20_000)),
    "author-line": (lambda n: _md("Authors: " + "a, " * n + "\n", _typed("paper")), (2_000, 20_000, 200_000)),
    "venue-mentions": (lambda n: _md("(NeurIPS " * n + "\n", _typed("paper")), (2_000, 20_000, 100_000)),
    "urls": (lambda n: _md("https://a" + "/a" * n + "\n", _typed("paper")), (2_000, 20_000, 200_000)),
    "toml-deep": (lambda n: {"case.md": ("+++\na = " + "[" * n + "]" * n + "\n+++\nbody\n").encode()},
                  (60, 600, 6_000)),
    "yaml-deep": (lambda n: {"case.md": ("---\na: " + "[" * n + "]" * n + "\n---\nbody\n").encode()},
                  (60, 600, 6_000)),
    "entities": (lambda n: _md("&amp;" * n + "\n"), (2_000, 20_000, 200_000)),
    "html-amps": (lambda n: _md("<div>\n" + "a & b &amp; " * n + "\n</div>\n"), (2_000, 20_000, 80_000)),
    "atom-feed": (atom_feed, (500, 2_000, 5_000)),
    "long-title": (lambda n: {"case.md": ("---\ntitle: " + "\U00020000" * n + "\n---\nx\n").encode()},
                   (90, 1_000, 10_000)),
    "many-short-lines": (lambda n: _md("가\n" * n), (20_000, 100_000, 300_000)),
}


# A memory file system when there is one: the figures are about notebase, not the disk (here
# /tmp takes ~2 ms per mkdir and file, which a family writing a thousand pages would measure).
SCRATCH = os.environ.get("NOTEBASE_BENCH_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)


# Families whose size counts pages (one per log item or feed entry): the guard renders fewer.
GUARD = {"log-same-titles": 1000, "date-lines": 1000, "atom-feed": 200}


def run_case(family: str, n: int, index: bool) -> dict:
    """Write one case into a fresh knowledge base, then time loading it and building its site."""
    from notebase.build import build
    from notebase.config import load_config
    from notebase.load.loader import load

    make, _ = FAMILIES[family]
    files = make(n)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            path = root / "notes" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        config = load_config(root)
        started = time.perf_counter()
        loaded = load(config, jobs=1)
        load_s = time.perf_counter() - started
        started, cpu = time.perf_counter(), _cpu()
        report = build(config, jobs=1, index=index, force=True)
        build_s, cpu = time.perf_counter() - started, _cpu() - cpu
    return {"bytes": sum(len(d) for d in files.values()), "load": load_s, "build": build_s, "cpu": cpu,
            "entries": len(loaded.entries), "problems": len(report.problems), "files": report.files}


def _cpu() -> float:
    """CPU seconds of this process and the children it waited for: what a busy machine does not inflate."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def guard(size: int = 0) -> list[str]:
    """Load and render (in memory) every family at one of its sizes, in this process; return the failures.

    tests/test_pathological.py runs this in a child process under a hard time-out: before the
    fixes, the smallest sizes alone took minutes (`# a` + 3,000 spaces: 76 s).
    """
    sys.path.insert(0, str(Path(__file__).parent))
    from fuzz import Case, check_case

    failures = []
    for family, (make, sizes) in FAMILIES.items():
        n = GUARD.get(family, sizes[size]) if size == 0 else sizes[size]
        for rel, data in make(n).items():
            error = check_case(Case(0, rel, data), SCRATCH)
            if error:
                failures.append(f"{family}: {error.strip().splitlines()[-1]}")
    return failures


def _child(family: str, n: int, timeout: float, index: bool) -> dict:
    """Run one case in a fresh interpreter; a case that exceeds `timeout` is killed."""
    command = [sys.executable, __file__, "--one", family, str(n)] + (["--index"] if index else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cell(result: dict, timeout: float, measure: str) -> str:
    if result.get("timeout"):
        return f">{timeout:g}"
    if "error" in result:
        return "crash"
    return f"{result[measure]:.2f}"


def main() -> None:
    """Run the chosen families (all by default) and print seconds per size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("families", nargs="*", help="families to run (default: all)")
    parser.add_argument("--timeout", type=float, default=60.0, help="hard time-out per case, seconds")
    parser.add_argument("--index", action="store_true", help="also build the search index")
    parser.add_argument("--cpu", action="store_true", help="show CPU seconds (steadier on a busy machine) "
                        "instead of wall seconds; the time-out is still wall time")
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--guard", type=int, metavar="SIZE", help="load and render every family at size "
                        "0, 1 or 2 in this process, in memory; print the failures (for tests)")
    args = parser.parse_args()
    if args.guard is not None:
        failures = guard(args.guard)
        print("\n".join(failures) or f"{len(FAMILIES)} families: ok")
        sys.exit(1 if failures else 0)
    if args.one:
        print(json.dumps(run_case(args.one[0], int(args.one[1]), args.index)))
        return
    chosen = args.families or [f for f in FAMILIES if f != "baseline"]
    unknown = [f for f in chosen if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families: {', '.join(unknown)}")
    measure = "cpu" if args.cpu else "build"
    base = _child("baseline", 1, args.timeout, args.index)
    fixed = base.get(measure, 0.0)
    print(f"{'CPU' if args.cpu else 'wall'} seconds of the site build (load, render, listings, feeds, search data);"
          f" baseline (a one-line note): {fixed:.2f} s; growth: log(time - baseline) over log(size) between the"
          " two larger sizes (1 linear, 2 quadratic)")
    print(f"{'family':24} {'size 1':>17} {'size 2':>17} {'size 3':>17} {'growth':>7}")
    over = []
    for family in chosen:
        cells, points, results = [], [], []
        for n in FAMILIES[family][1]:
            # A size past the time-out: the larger ones would be too (and each would wait it out).
            timed_out = any(r.get("timeout") for r in results)
            result = {"timeout": True} if timed_out else _child(family, n, args.timeout, args.index)
            results.append(result)
            size = f"{result['bytes'] / 1000:.0f}K" if "bytes" in result else f"n={n}"
            cells.append(f"{_cell(result, args.timeout, measure):>7} {size:>9}")
            points.append((result.get("bytes", 0), result.get(measure)))
            # The budget is for the note: what a build of it costs beyond a one-line note's build.
            if measure not in result or (result[measure] - fixed > 1.0 and result.get("bytes", 0) <= 1_000_000):
                over.append(f"{family}(n={n})")
        print(f"{family:24} " + " ".join(f"{c:>17}" for c in cells) + f" {_growth(points[1:], fixed):>7}",
              flush=True)
    print("over the 1 s budget (beyond the baseline, notes up to 1 MB): " + (", ".join(over) if over else "none"))


def _growth(points: list[tuple[int, float | None]], fixed: float) -> str:
    """The exponent of time over size between two runs, the fixed cost of any build taken out."""
    import math

    (n1, t1), (n2, t2) = points
    if t1 is None or t2 is None or n2 <= n1 or n1 == 0:
        return "-"
    t1, t2 = t1 - fixed, t2 - fixed
    if t2 < 0.05 or t1 <= 0:
        return "~0"  # both within the noise of the fixed cost
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


if __name__ == "__main__":
    main()
