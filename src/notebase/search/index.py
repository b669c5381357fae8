"""The on-disk Whoosh index, kept in step with the notes folder (its fields are in schema.py).

The index lives in `<cache_dir>/index` with a snapshot (`snapshot.json`) of what it holds, so an
update reads only the files whose stamp changed and touches only entries whose digest changed.
A missing, corrupt or older-schema index is rebuilt in a fresh folder and swapped in, so a search
running meanwhile keeps answering from the old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from notebase.config import Config
from notebase.atomic import replaced
from notebase.unwritable import cannot_write, is_write_error
from notebase.errors import NotebaseError, Problem, Severity
from notebase.load.files import fingerprint, stamp, walk
from notebase.search.place import STAMPS, index_path, tidy
from notebase.search.schema import INDEX_NAME, SCHEMA_VERSION, digest, make_schema, to_document
from notebase.search.vocabulary import write_vocabulary
from notebase.site.writer import exchange

if TYPE_CHECKING:
    from notebase.search.incremental import Delta, Snapshot
    from notebase.load.loader import LoadResult

SNAPSHOT = "snapshot.json"
REBUILD_ASKED = "from scratch, as asked"


@dataclass(frozen=True)
class IndexReport:
    """What an update did: counts, whether it rebuilt and why, and every current load problem."""

    added: int
    updated: int
    removed: int
    total: int
    files_read: int
    rebuilt: str  # why the index was built from scratch, or "" when it was updated in place
    problems: tuple[Problem, ...]

    @property
    def changed(self) -> bool:
        """Whether the index changed at all."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)


class IndexLocked(NotebaseError):
    """The index cannot be written (locked by another process, disk full, no permission)."""


class IndexUnwritable(IndexLocked):
    """The index folder cannot be written (disk full, no permission, read-only); the index is unchanged."""


def read_snapshot(path: Path) -> tuple[Snapshot | None, str]:
    """Return the index's snapshot and "" when it is usable, or None and the reason it is not."""
    if not path.exists():
        return None, "no index yet"
    try:
        if not whoosh_index.exists_in(str(path), INDEX_NAME):
            return None, "the index is incomplete"
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds on a damaged table of contents
        return None, f"the index is damaged ({type(exc).__name__})"
    try:
        from notebase.search.incremental import Snapshot

        snapshot = Snapshot.from_json((path / SNAPSHOT).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "the index has no snapshot (an interrupted build?)"
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return None, f"the index snapshot is unreadable ({exc})"
    if not snapshot.fingerprint.startswith(f"v{SCHEMA_VERSION}:"):
        return None, "the index was built by another version of notebase"
    return snapshot, ""


def _check(path: Path, snapshot: Snapshot) -> str:
    """Open the index and compare it with its snapshot; return why it is unusable, or ""."""
    try:
        ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        try:
            with ix.searcher() as searcher:  # opens every segment's files: a damaged one fails here
                count = searcher.doc_count()
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds on a damaged index
        return f"the index is damaged ({type(exc).__name__})"
    if count != len(snapshot.records):
        return f"the index holds {count} entries but its snapshot {len(snapshot.records)}"
    return ""


def update(config: Config, loaded: LoadResult | None = None, jobs: int | None = None, wait: bool = True,
           rebuild: bool = False, topics: Mapping[str, tuple[str, ...]] | None = None) -> IndexReport:
    """Bring the index in step with the notes: incrementally when it can, else rebuild it.

    Pass `loaded` when the caller has just loaded every note (as `build` does), so nothing is read
    twice; otherwise only the files whose stamp changed since the last update are read. Without
    `wait`, an index locked by another process raises IndexLocked at once. With `rebuild` the
    index is built from scratch beside the old one, which answers searches until it is swapped out.
    `topics`, from a site just assembled, are the entries' concept topics by id (else decided here).
    """
    path = index_path(config)
    tidy(config)
    snapshot, why = read_snapshot(path)
    if rebuild:  # said so only when there was an index to rebuild
        snapshot, why = None, (REBUILD_ASKED if snapshot is not None or path.exists() else why)
    if snapshot is not None:
        why = _check(path, snapshot)
        if why:
            snapshot = None
    from notebase.search.incremental import changes, from_load

    digest_of, document = _documents(config, topics)
    delta = (from_load(config, loaded, snapshot, digest_of, _fingerprint_salt(config)) if loaded is not None
             else changes(config, snapshot, digest_of, _fingerprint_salt(config), jobs))
    try:
        if snapshot is None:
            _rebuild(path, delta, jobs, document)
            rebuilt = why
            added, updated = delta.total, 0
        else:
            added, updated = _apply(path, delta, snapshot, wait, document)
            rebuilt = ""
    except OSError as exc:
        if not is_write_error(exc):
            raise
        # A new index is built beside the old one and an update's segment is listed only once
        # written: either way the index searches answer from is whole.
        raise IndexUnwritable(str(cannot_write(exc, config.root, path.parent, "the search index is unchanged"))) \
            from None
    problems = delta.problems
    if rebuilt and rebuilt not in ("no index yet", REBUILD_ASKED):
        problems = (Problem(_display(path, config), 1, f"search index rebuilt: {rebuilt}",
                            "nothing to do; this is reported so a damaged disk does not go unnoticed",
                            Severity.WARNING),) + problems
    return IndexReport(added, updated, len(delta.removed) if snapshot else 0, delta.total, delta.files_read,
                       rebuilt, problems)


def _fingerprint_salt(config: Config) -> str:
    # The topic settings decide what documents hold: when they change, every note is read again.
    from notebase.site.topics import settings_of

    topics = hashlib.blake2b(repr(settings_of(config)).encode(), digest_size=6).hexdigest()
    return f"v{SCHEMA_VERSION}:{topics}"


def _documents(config: Config, topics: Mapping[str, tuple[str, ...]] | None):
    """Return the digest and document functions of the index, each entry's topics decided once.

    The topics are `topics.topics_of`'s, as the site and the CLI decide them; a site just built
    hands its own over, so a build does not decide them twice.
    """
    from notebase.site.topics import topics_of, vocabulary

    seen: dict[int, tuple] = {}

    def topics_for(entry) -> tuple[str, ...]:
        found = seen.get(id(entry))
        if found is None or found[0] is not entry:
            given = topics.get(entry.id) if topics is not None else None
            # The vocabulary only when a topic must be decided here: a build hands every entry's over.
            found = (entry, given if given is not None else topics_of(entry, vocabulary(config)))
            seen[id(entry)] = found
        return found[1]

    return (lambda entry: digest(entry, topics_for(entry))), (lambda entry: to_document(entry, topics_for(entry)))


def _display(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


TINY_SEGMENT = 100  # documents: an update writes one segment of the entries it changed
MAX_TINY = 8


def merge_updates(writer, segments: list) -> list:
    """Merge policy: fold the small segments updates leave once there are many; never the large ones.

    Whoosh's default policy counts a scratch build's batch segments as small too, and an edit
    could then rewrite most of the index (78 s for one edit at 10,000 notes).
    """
    from whoosh.reading import SegmentReader

    tiny = [s for s in segments if s.doc_count_all() < TINY_SEGMENT]
    if len(tiny) <= MAX_TINY:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() >= TINY_SEGMENT]


def _apply(path: Path, delta: Delta, snapshot: Snapshot, wait: bool, document) -> tuple[int, int]:
    """Write the changed and removed entries into the existing index, then its new snapshot."""
    old = {r.id for r in snapshot.records}
    if delta.changed or delta.removed:
        from whoosh.writing import LockError

        ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        try:
            from notebase.search.build import codec

            writer = ix.writer(timeout=30.0 if wait else 0.0, compound=False, codec=codec())
        except LockError:
            raise IndexLocked(f"{path}: the search index is locked by another notebase process; "
                              "try again when it finishes") from None
        try:
            for entry_id in delta.removed:
                writer.delete_by_term("id", entry_id)
            for entry in delta.changed:
                writer.update_document(**document(entry))
            writer.commit(mergetype=merge_updates)
        except BaseException:
            _cancel(writer, ix)
            raise
        try:
            write_vocabulary(path, ix)  # the new segment's terms; a failure here leaves it unlisted, not wrong
        finally:
            ix.close()
    if delta.changed or delta.removed or delta.snapshot.stamps != snapshot.stamps or \
            delta.snapshot.fingerprint != snapshot.fingerprint or not _digest_saved(path):
        _write_snapshot(path, delta.snapshot)
    added = sum(1 for e in delta.changed if e.id not in old)
    return added, len(delta.changed) - added


def _cancel(writer, ix) -> None:
    """Cancel a failed update, deleting every file it wrote before its lock is let go.

    Whoosh's own cancel stops at the first file that fails to close (as on a full disk), leaving
    its temporary files and the unfinished segment's behind, and its lock taken.
    """
    from whoosh.index import TOC, clean_files

    with contextlib.suppress(Exception):
        writer._close_segment()
    with contextlib.suppress(Exception):
        writer._tempstorage.destroy()
    with contextlib.suppress(Exception):  # files of no segment the index lists: the unfinished one's
        toc = TOC.read(ix.storage, ix.indexname)
        clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
    with contextlib.suppress(Exception):
        if writer.writelock:
            writer.writelock.release()
    writer.is_closed = True


def _write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write the snapshot, then the stamps alone, which a search reads to see if anything changed."""
    for name, text in ((SNAPSHOT, snapshot.to_json()),
                       (STAMPS, json.dumps({"fingerprint": snapshot.fingerprint,
                                            "stamps": stamps_digest(snapshot.stamps.items())}))):
        with replaced(path / name, "w") as file:
            file.write(text)


def is_fresh(config: Config) -> bool:
    """Whether the index exists and no note changed since it was updated, without loading anything."""
    try:
        saved = json.loads((index_path(config) / STAMPS).read_text(encoding="utf-8"))
        if saved["fingerprint"] != fingerprint(config, _fingerprint_salt(config)):
            return False
        return saved["stamps"] == stamps_digest((rel, stamp(path)) for rel, path in walk(config))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _digest_saved(path: Path) -> bool:
    """Whether the freshness file holds a digest (an index from before it held every stamp)."""
    try:
        return isinstance(json.loads((path / STAMPS).read_text(encoding="utf-8")).get("stamps"), str)
    except (OSError, ValueError, AttributeError):
        return False


def stamps_digest(stamps) -> str:
    """Return one digest of (relative path, stamp) pairs in any order: a search compares it, not 10,000 stamps."""
    lines = sorted(f"{rel}\t{size}\t{mtime}\t{side}" for rel, (size, mtime, side) in stamps)
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _rebuild(path: Path, delta: Delta, jobs: int | None, document) -> None:
    """Build a whole new index beside the old one and swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{path.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        ix = whoosh_index.create_in(str(fresh), make_schema(), INDEX_NAME)
        jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
        from notebase.search.build import build_all

        build_all(ix, delta.changed, document, jobs)
        write_vocabulary(fresh, ix)
        ix.close()
        _write_snapshot(fresh, delta.snapshot)
        _swap(fresh, path)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _swap(fresh: Path, path: Path) -> None:
    """Put `fresh` where `path` is: in one step where Linux can, else with a moment in which neither exists."""
    if path.exists() and exchange(fresh, path):
        shutil.rmtree(fresh, ignore_errors=True)  # the old index, now
        return
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
    if path.exists():
        os.replace(path, old)
    os.replace(fresh, path)
    shutil.rmtree(old, ignore_errors=True)
