"""Measure `notebase.render.markup.render` per note: `python bench/markup_bench.py --count 2000`.

Reads real generated notes from bench/out/kb-10000/notes (run bench/generate.py first if missing)
and prints ms/note for plain markdown-it (commonmark + tables) and for the full render
(plugins, math, highlighting, wikilinks, sanitising), best of a few runs after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from notebase.render import highlight
from notebase.render.markup import render, wikilink_key

NOTES = Path(__file__).parent / "out" / "kb-10000" / "notes"


def read_notes(root: Path, count: int) -> list[tuple[str, str, int]]:
    """Return (notes-relative path, body, first body line) of `count` notes spread over all folders."""
    paths = sorted(root.rglob("*.md"))
    step = max(1, len(paths) // count)
    notes = []
    for path in paths[::step][:count]:
        text = path.read_text(encoding="utf-8")
        first_line = 1
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end > 0:
                first_line = text.count("\n", 0, end + 5) + 1
                text = text[end + 5:]
        notes.append((path.relative_to(root).as_posix(), text, first_line))
    return notes


RICH = """
## 추가 메모 {n}

See [[note {m}]], [[없는 노트 {n}|별칭]] and [[note {m}#방법]]; $a_{n} + b^{n}$ costs $5 and $10.

- [ ] 확인 {n}
- [x] done

| k | v |
|---|--:|
| {n} | {m} |

> [!tip] 팁 {n}
> ==important== text[^1]

```python
def f_{n}(x):
    return x * {n}
```

[^1]: footnote {n}
"""


def enrich(notes, count):
    """Append wikilinks, math, a table, a callout and a distinct code block to each note."""
    return [(p, body + RICH.format(n=i, m=(i * 7) % count), line) for i, (p, body, line) in enumerate(notes)]


def time_per_note(fn, notes, runs: int) -> list[float]:
    """Run `fn` over every note `runs` times; return the ms/note of each run."""
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        for note in notes:
            fn(note)
        results.append((time.perf_counter() - start) * 1000 / len(notes))
    return results


def main() -> None:
    """Time markdown-it alone, then the full render, and print ms/note."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=Path, default=NOTES)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    notes = read_notes(args.notes, args.count)
    targets = {wikilink_key(Path(p).stem): f"tips/{Path(p).stem}/" for p, _, _ in notes}
    targets.update({wikilink_key(f"note {i}"): f"tips/n{i}/" for i in range(len(notes))})
    rich = enrich(notes, len(notes))

    from markdown_it import MarkdownIt

    plain = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def full(note):
        path, body, first_line = note
        render(body, "markdown", source_path=path, first_line=first_line,
               page_path=f"tips/{Path(path).stem}/", targets=targets)

    time_per_note(full, notes[:50], 1)  # warm-up: builds the parser, sanitiser, lexers
    size = sum(len(body) for _, body, _ in notes) / len(notes)
    print(f"{len(notes)} notes, {size / 1000:.1f} k chars each on average")
    for label, sample in (("generated notes", notes), ("+ rich block", rich)):
        base = time_per_note(lambda note: plain.render(note[1]), sample, args.runs)
        ours = time_per_note(full, sample, args.runs)
        print(f"{label}: markdown-it alone {statistics.median(base):.3f} ms/note; markup.render "
              f"{ours[0]:.3f} ms/note cold (first run), {statistics.median(ours):.3f} warm (median)")
    print(f"highlight cache: {highlight.stats['hits']} hits, {highlight.stats['misses']} misses")


if __name__ == "__main__":
    main()
