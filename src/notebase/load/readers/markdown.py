"""Read a markdown or text note: front matter, blog chrome, and logs split into items."""

from __future__ import annotations

from pathlib import PurePosixPath

from notebase.load.classify import clean_chrome, infer_title, title_from_stem
from notebase.load.dates import find_date
from notebase.errors import Problem, Severity
from notebase.load.readers import split as splitter
from notebase.load.readers.frontmatter import split_front_matter
from notebase.load.readers.properties import take_properties
from notebase.load.readers.raw import MAX_ITEMS, RawNote
from notebase.slug import strip_hash


def series_name(preamble: list[str], path: PurePosixPath, stated) -> str:
    """Return the readable name of a log or digest its items show, or "" when only an id names it.

    Its title, its first heading or line, else its file's name without an exporter's hash
    (`001_1d7a1aefbff0b690` is `001`, which names nothing: "").
    """
    if isinstance(stated, str) and stated.strip():
        return stated.strip()
    name, at = infer_title(preamble, path.stem, path.parent.name)
    if at is not None:
        return name
    name = title_from_stem(strip_hash(path.stem))
    return name if any(ch.isalpha() for ch in name) else ""


def read_markdown(rel: str, text: str, mtime: float) -> tuple[list[RawNote], list[Problem]]:
    """Return the notes one markdown file holds: itself, or one per item of a log or digest."""
    fm, problems = split_front_matter(text, rel)
    lines, author, byline_date = clean_chrome(fm.body.split("\n"))
    props, lines = take_properties(lines)
    hints = {"author": author, "byline_date": byline_date}
    if props.values:
        hints["properties"] = props.values
        hints["property_lines"] = {k: fm.body_line + i for k, i in props.lines.items()}
    explicit = "split" in fm.meta
    mode = fm.meta.get("split", "auto")
    if mode is None or mode is False:
        mode = "none"
    if str(mode).lower() not in splitter.SPLIT_MODES:
        problems.append(Problem(
            rel, fm.key_lines.get("split", 1), f"unknown split mode '{mode}'",
            "use one of " + ", ".join(splitter.SPLIT_MODES),
        ))
        mode = "auto"
    mode = str(mode).lower()
    if mode == "auto":
        # A note that names itself (title or type in front matter or properties) is one entry: only
        # `split:` cuts it. A Logseq journal page is one day, whatever it lists.
        stated = any(fm.meta.get(key) not in (None, "") for key in ("title", "type", "Title", "Type"))
        named = not explicit and (stated or props.values.get("title"))
        mode = "none" if named else splitter.detect(lines)
    preamble, items = splitter.split(lines, mode) if mode != "none" else (lines, [])
    if len(items) > MAX_ITEMS:
        # Kept whole, the file is still one readable page (see MAX_ITEMS).
        problems.append(Problem(rel, fm.body_line + items[0].start, f"{len(items):,} log items, more than "
                                f"{MAX_ITEMS:,}: kept as one page", "split the file (by year, say) or set 'split: none'",
                                Severity.WARNING))
        preamble, items = lines, []
    base = dict(meta=fm.meta, key_lines=fm.key_lines, mtime=mtime)
    if not items:
        body = "\n".join(lines)
        hints["body_offset"] = fm.body_line - 1
        return [RawNote(rel, 1, body, hints=hints, **base)], problems
    path = PurePosixPath(rel)
    series = series_name(preamble, path, fm.meta.get("title"))
    preamble_text = "\n".join(preamble)
    shared_date = find_date(byline_date or "") or find_date(preamble_text)
    intro = "\n".join(line for line in preamble if line.strip()).strip()
    notes = []
    last_date = None
    for n, item in enumerate(items):
        item_hints = dict(hints, series=series, series_intro=intro or None, item=n + 1, **item.hints)
        # An item's own date line beats the file's front matter; a date it shares with the log
        # (the previous item's, or the preamble's) only fills in where front matter is silent.
        if "date" in item.hints:
            item_hints["date_source"] = "text"
            last_date = item.hints["date"]
        elif mode == "date" and last_date is not None:
            item_hints.update(date=last_date, date_source="log", date_shared=True)
        elif shared_date is not None:
            item_hints.update(date=shared_date, date_source="text", date_shared=True)
        skip = item.hints.get("header_lines", 0)
        item_hints["body_offset"] = skip
        body_lines = item.lines[skip:]
        notes.append(RawNote(
            rel, fm.body_line + item.start, "\n".join(body_lines), hints=item_hints,
            **base,
        ))
    return notes, problems
