"""Find every note and feed under the notes folder and load them into typed entries."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from notebase.config import Config
from notebase.entries import build_entry, explicit_id_line
from notebase.errors import Problem, Severity, once_each
from notebase.model import Entry
from notebase.readers.feed import FEED_EXTENSIONS, feed_start, read_feed
from notebase.readers.markdown import read_markdown
from notebase.readers.raw import RawNote
from notebase.readers.text import decode_bytes
from notebase.slug import slugify

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
NOTE_EXTENSIONS = MARKDOWN_EXTENSIONS + FEED_EXTENSIONS


@dataclass(frozen=True)
class LoadResult:
    """Every entry loaded, every problem found, and how many files were read."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    files: int

    @property
    def errors(self) -> list[Problem]:
        """The problems that make a command fail."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that fail a command only with --strict."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


def discover(config: Config) -> list[Path]:
    """Return the note and feed files under the notes folder, sorted, links never followed out."""
    root = config.notes_path
    skip = {config.output_path, config.cache_path}
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip
                         and not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or not name.lower().endswith(NOTE_EXTENSIONS) or path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(rel, pattern) for pattern in config.exclude):
                continue
            found.append(path)
    return found


def read_source(path: Path, config: Config) -> tuple[list[RawNote], list[Problem]]:
    """Read one file into raw notes; a file that cannot be read gives a problem instead."""
    rel = path.relative_to(config.notes_path).as_posix()
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError as exc:
        return [], [Problem(rel, 1, f"cannot read file: {exc.strerror}", "check its permissions")]
    decoded, problems = decode_bytes(data, rel, config.max_file_size)
    if decoded is None:
        return [], problems
    is_feed_file = path.suffix.lower() in FEED_EXTENSIONS
    start = feed_start(decoded.text, is_feed_file)
    if start is not None:
        settings, more = _feed_settings(path, rel, config)
        notes, feed_problems = read_feed(rel, decoded.text, mtime, settings, start)
        return notes, problems + more + feed_problems
    if is_feed_file:
        return [], problems + [Problem(rel, 1, "not a feed: no <rss>, <feed> or <rdf:RDF> element",
                                       "feeds must be RSS 2.0, Atom or RDF; rename notes to .md")]
    notes, md_problems = read_markdown(rel, decoded.text, mtime)
    return notes, problems + md_problems


def _feed_settings(path: Path, rel: str, config: Config) -> tuple[dict, list[Problem]]:
    settings = dict(config.feeds.get(rel, {}))
    for sidecar in (path.with_suffix(".yaml"), path.with_suffix(".yml")):
        if not sidecar.is_file():
            continue
        side_rel = sidecar.relative_to(config.notes_path).as_posix()
        try:
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8-sig")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            mark = getattr(exc, "problem_mark", None)
            return settings, [Problem(side_rel, mark.line + 1 if mark else 1, f"invalid feed settings: {exc}",
                                      "write e.g. 'type: paper' and 'tags: [blog]'")]
        if not isinstance(data, dict):
            return settings, [Problem(side_rel, 1, "feed settings must be 'key: value' lines",
                                      "write e.g. 'type: paper'")]
        settings.update(data)
        break
    return settings, []


def load_files(paths: list[Path], config: Config) -> tuple[list[Entry], list[Problem], list[int | None]]:
    """Load the given files; return entries, problems, and the line of each entry's own id."""
    entries, problems, explicit = [], [], []
    for path in paths:
        raws, found = read_source(path, config)
        problems += found
        for raw in raws:
            entry, more = build_entry(raw)
            entries.append(entry)
            explicit.append(explicit_id_line(raw))
            problems += more
    return entries, problems, explicit


def load_parallel(paths: list[Path], config: Config, jobs: int) -> tuple[list[Entry], list[Problem], list]:
    """Load files across `jobs` processes, this one included, keeping file order.

    This process loads a share itself: entries are large, and every entry a worker makes must be
    pickled back, so fewer crossings beat an idle parent.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    share = len(paths) // jobs
    mine, theirs = paths[:share], paths[share:]
    size = -(-len(theirs) // (jobs - 1))
    # fork starts workers without re-importing anything; elsewhere the default start method works too.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(load_files, theirs[i:i + size], config) for i in range(0, len(theirs), size)]
        parts = [load_files(mine, config)] + [f.result() for f in futures]
    entries, problems, explicit = [], [], []
    for part_entries, part_problems, part_explicit in parts:
        entries += part_entries
        problems += part_problems
        explicit += part_explicit
    return entries, problems, explicit


PARALLEL_THRESHOLD = 400  # below this, starting processes costs more than it saves


def load(config: Config, jobs: int | None = None) -> LoadResult:
    """Load every note and feed under the notes folder; never stops at a bad file."""
    paths = discover(config)
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        entries, problems, explicit = load_parallel(paths, config, jobs)
    else:
        entries, problems, explicit = load_files(paths, config)
    entries, id_problems = assign_ids(entries, explicit)
    problems = sorted(once_each(problems) + id_problems, key=lambda p: (p.path, p.line))
    return LoadResult(tuple(entries), tuple(problems), len(paths))


def assign_ids(entries: list[Entry], explicit: list[int | None]) -> tuple[list[Entry], list[Problem]]:
    """Make every id unique: stated ids keep theirs, clashes get a stable qualifier."""
    problems: list[Problem] = []
    taken: dict[str, Entry] = {}
    order = sorted(range(len(entries)), key=lambda i: (explicit[i] is None, entries[i].source.path,
                                                       entries[i].source.line))
    result = list(entries)
    for i in order:
        entry = entries[i]
        base = slugify(entry.id)
        if base in taken and explicit[i] is not None:
            other = taken[base].source
            problems.append(Problem(entry.source.path, explicit[i], f"duplicate id '{base}'",
                                    f"also used by {other}; give one of them another id"))
        new_id = base
        if new_id in taken:
            for qualifier in _qualifiers(entry):
                candidate = f"{base}-{qualifier}"
                if candidate not in taken:
                    new_id = candidate
                    break
            n = 2
            while new_id in taken:
                new_id, n = f"{base}-{n}", n + 1
        taken[new_id] = entry
        result[i] = replace(entry, id=new_id) if new_id != entry.id else entry
    return result, problems


def _qualifiers(entry: Entry):
    presenter = getattr(entry, "presenter", None)
    if presenter:
        yield slugify(presenter)
    yield entry.date.isoformat()
    yield slugify(Path(entry.source.path).stem)
