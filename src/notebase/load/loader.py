"""Find every note and feed under the notes folder and load them into typed entries."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from notebase.config import Config
from notebase.load.entries import build_entry, explicit_id_line
from notebase.errors import Problem, Severity, once_each
from notebase.model import Entry, replaced, squeeze
from notebase.load.files import FEED_EXTENSIONS, Stamp, scan, stamp
from notebase.load.gitdates import first_commit_dates
from notebase.load.readers.feed import feed_start, read_feed
from notebase.load.readers.frontmatter import bounds_problem
from notebase.load.readers.markdown import read_markdown
from notebase.load.readers.raw import RawNote
from notebase.load.readers.text import decode_bytes, shown_path
from notebase.load.sandbox import Refused, read_inside, refused_problem
from notebase.slug import MAX_SLUG_BYTES, file_slug_alternatives, item_key, item_slug, slugify



@dataclass(frozen=True)
class IdKey:
    """What deciding an entry's unique id needs: its wished-for id, where it is, fallbacks."""

    base: str
    explicit: int | None  # line of a stated id, or None when the id was derived
    path: str
    line: int
    alternatives: tuple[str, ...]  # longer ids to take, in order, when another note wants `base` too


@dataclass(frozen=True)
class FileLoad:
    """One file's entries (ids not yet unique), problems and stamp."""

    rel: str
    stamp: Stamp
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    explicit: tuple[int | None, ...]  # parallel to entries
    items: tuple[bool, ...] = ()  # parallel to entries: cut from a log, digest or feed


@dataclass(frozen=True)
class LoadResult:
    """Every entry loaded, every problem found, and how many files were read."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    files: int
    loads: tuple[FileLoad, ...] = ()  # each file as read, stamped before reading
    id_keys: tuple[IdKey, ...] = ()  # parallel to entries

    @property
    def errors(self) -> list[Problem]:
        """The problems that make a command fail."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that fail a command only with --strict."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


def read_source(path: Path, config: Config) -> tuple[list[RawNote], list[Problem]]:
    """Read one file into raw notes; a file that cannot be read gives a problem instead."""
    rel = shown_path(path.relative_to(config.notes_path).as_posix())
    try:
        data = read_inside(config.notes_path, path)
        mtime = path.stat().st_mtime
    except Refused as exc:
        return [], [refused_problem(rel, exc)]
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
        side_rel = shown_path(sidecar.relative_to(config.notes_path).as_posix())
        try:
            data = yaml.safe_load(read_inside(config.notes_path, sidecar).decode("utf-8-sig")) or {}
        except Refused as exc:
            return settings, [refused_problem(side_rel, exc)]
        except OSError as exc:
            return settings, [Problem(side_rel, 1, f"cannot read feed settings: {exc.strerror}",
                                      "check its permissions")]
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            mark = getattr(exc, "problem_mark", None)
            return settings, [Problem(side_rel, mark.line + 1 if mark else 1, f"invalid feed settings: {exc}",
                                      "write e.g. 'type: paper' and 'tags: [blog]'")]
        if not isinstance(data, dict):
            return settings, [Problem(side_rel, 1, "feed settings must be 'key: value' lines",
                                      "write e.g. 'type: paper'")]
        # Bounded as front matter is: an alias bomb here would reach every item of the feed.
        unbounded = bounds_problem(data, side_rel, line=1, what="feed settings")
        if unbounded is not None:
            return settings, [unbounded]
        settings.update(data)
        break
    return settings, []


def load_file(path: Path, config: Config) -> FileLoad:
    """Load one file into entries (ids not yet unique) and problems, stamped before reading."""
    rel = shown_path(path.relative_to(config.notes_path).as_posix())
    try:
        file_stamp = stamp(path)
    except OSError:
        file_stamp = (0, 0, 0)  # vanished or unreadable: read_source reports it
    raws, problems = read_source(path, config)
    entries, explicit = [], []
    for raw in raws:
        entry, more = build_entry(raw)
        entries.append(squeeze(entry))
        explicit.append(explicit_id_line(raw))
        problems += more
    items = tuple("item" in raw.hints for raw in raws)
    return FileLoad(rel, file_stamp, tuple(entries), tuple(problems), tuple(explicit), items)


def file_id_keys(loaded: FileLoad) -> tuple[IdKey, ...]:
    """Return the id keys of one file's entries."""
    items = loaded.items or (False,) * len(loaded.entries)
    return tuple(id_key(e, line, item) for e, line, item in zip(loaded.entries, loaded.explicit, items))


def load_files(paths: list[Path], config: Config) -> list[FileLoad]:
    """Load the given files in order, in this process."""
    return [load_file(path, config) for path in paths]


def load_parallel(paths: list[Path], config: Config, jobs: int) -> list[FileLoad]:
    """Load files across `jobs` processes, this one included, keeping file order.

    This process loads a share itself: entries are large, and every entry a worker makes must be
    pickled back, so fewer crossings beat an idle parent.
    """
    import multiprocessing

    from notebase.crash import worker_pool

    share = len(paths) // jobs
    mine, theirs = paths[:share], paths[share:]
    # Several small tasks, not one per worker: a worker then holds (and pickles) one task's entries
    # at a time instead of half the knowledge base, which set the build's peak memory.
    size = max(50, -(-len(theirs) // ((jobs - 1) * 8)))
    # fork starts workers without re-importing anything; elsewhere the default start method works too.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with worker_pool(jobs - 1, method) as pool:  # workers that die with this process
        futures = [pool.submit(load_files, theirs[i:i + size], config) for i in range(0, len(theirs), size)]
        parts = [load_files(mine, config)] + [f.result() for f in futures]
    return [loaded for part in parts for loaded in part]


def load_some(paths: list[Path], config: Config, jobs: int | None = None) -> list[FileLoad]:
    """Load files, in parallel when there are enough of them to pay for the processes."""
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        return with_git_dates(load_parallel(paths, config, jobs), config)
    return with_git_dates(load_files(paths, config), config)


def with_git_dates(loaded: list[FileLoad], config: Config) -> list[FileLoad]:
    """Date the undated entries by their file's first commit when the notes are in a git work tree."""
    if not any(e.date_source == "mtime" for f in loaded for e in f.entries):
        return loaded  # the usual case: no git call at all
    dates = first_commit_dates(config.notes_path)
    if not dates:
        return loaded
    out = []
    for f in loaded:
        when = dates.get(f.rel)
        if when is None or not any(e.date_source == "mtime" for e in f.entries):
            out.append(f)
            continue
        out.append(replace(f, entries=tuple(_redated(e, when) if e.date_source == "mtime" else e
                                            for e in f.entries)))
    return out


def _redated(entry: Entry, when) -> Entry:
    changes = {"date": when, "date_source": "git"}
    for key in ("start", "end"):  # a conference log's days default to its date
        if getattr(entry, key, None) == entry.date:
            changes[key] = when
    return replaced(entry, **changes)


PARALLEL_THRESHOLD = 400  # below this, starting processes costs more than it saves


def load(config: Config, jobs: int | None = None) -> LoadResult:
    """Load every note and feed under the notes folder; never stops at a bad file."""
    tree = scan(config)
    paths = [Path(path) for _, path in tree.notes]
    loaded = load_some(paths, config, jobs)
    entries = [e for f in loaded for e in f.entries]
    keys = [key for f in loaded for key in file_id_keys(f)]
    ids, id_problems = unique_ids(keys)
    entries = [replaced(e, id=new) if new != e.id else e for e, new in zip(entries, ids)]
    problems = sorted(once_each([*tree.problems, *(p for f in loaded for p in f.problems)]) + id_problems,
                      key=lambda p: (p.path, p.line))
    return LoadResult(tuple(entries), tuple(problems), len(paths),
                      loads=tuple(loaded), id_keys=tuple(keys))


def id_key(entry: Entry, explicit: int | None, item: bool = False) -> IdKey:
    """Return what deciding an entry's unique id needs to know about it (`item`: one of a file's items)."""
    base = slugify(entry.id)
    day = entry.date.isoformat()
    if explicit is not None:
        presenter = getattr(entry, "presenter", None)
        # Short: a qualifier follows a slug of up to MAX_SLUG_BYTES in one 255-byte file name.
        quals = [slugify(presenter, max_bytes=QUALIFIER_BYTES)] if presenter else []
        quals += [day, slugify(Path(entry.source.path).stem, max_bytes=QUALIFIER_BYTES)]
        alternatives = tuple(f"{base}-{q}" for q in quals)
    elif item:  # its whole key, presenter, then date when stated (a guess changes with a checkout)
        key = item_key(entry.body_format == "html", entry.url, entry.title, entry.source.item)
        alternatives = (item_slug(entry.source.path, key, limit=MAX_SLUG_BYTES),)
        presenter = getattr(entry, "presenter", None)  # one paper presented twice in a digest
        alternatives += (f"{base}-{slugify(presenter, max_bytes=QUALIFIER_BYTES)}",) if presenter else ()
        alternatives += () if entry.date_inferred else (f"{base}-{day}",)
    else:  # named by its file: another file of that name elsewhere brings the folders in
        alternatives = tuple(file_slug_alternatives(entry.source.path))
    return IdKey(base, explicit, entry.source.path, entry.source.line, alternatives)


def unique_ids(keys: list[IdKey]) -> tuple[list[str], list[Problem]]:
    """Make every id unique: stated ids keep theirs; ids taken from files are never first come, first served.

    When notes that take their id from a file (or item) want the same one, none of them keeps it:
    each takes its longer form (folders joined in, an item's date), so one note's id does not
    depend on which other file sorts first. A stated id wins over a derived one; two stated ones
    are a problem, the first keeping it. Numbers come last.
    """
    problems: list[Problem] = []
    taken: dict[str, IdKey] = {}
    wanted = Counter(k.base for k in keys)
    stated = {k.base for k in keys if k.explicit is not None}
    next_n: dict[str, int] = {}  # per base, the number to try next: 20,000 equal titles count up once
    order = sorted(range(len(keys)), key=lambda i: (keys[i].explicit is None, keys[i].path, keys[i].line))
    result = [""] * len(keys)
    for i in order:
        key = keys[i]
        base = key.base
        if key.explicit is not None:
            if base in taken:
                other = taken[base]
                problems.append(Problem(key.path, key.explicit, f"duplicate id '{base}'",
                                        f"also used by {other.path}:{other.line}; give one of them another id"))
            contested = base in taken
        else:
            contested = wanted[base] > 1 or base in stated
        new_id = base if not contested else ""
        if not new_id:
            # Another note's own wish is never taken as a longer form.
            new_id = next((c for c in key.alternatives if c not in taken and c not in wanted), "")
        if not new_id:
            n = next_n.get(base, 2)
            new_id = f"{base}-{n}"
            while new_id in taken or new_id in wanted:
                n += 1
                new_id = f"{base}-{n}"
            next_n[base] = n + 1
        taken[new_id] = key
        result[i] = new_id
    return result, problems


QUALIFIER_BYTES = 60
