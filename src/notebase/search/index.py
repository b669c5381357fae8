"""The on-disk Whoosh index: its schema, and keeping it in step with the notes folder.

The index lives in `<cache_dir>/index` with a snapshot (`snapshot.json`) of what it holds, so an
update reads only the files whose stamp changed and touches only entries whose digest changed.
A missing, corrupt or older-schema index is rebuilt in a fresh folder and swapped in, so a search
running meanwhile keeps answering from the old one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from notebase.config import Config
from notebase.errors import NotebaseError, Problem, Severity
from notebase.incremental import Delta, Snapshot, changes, from_load
from notebase.load import LoadResult
from notebase.model import Entry
from notebase.search.analysis import spans, terms
from notebase.search.build import build_all

# Bump when the schema, the analyzer or what a document holds changes: older indexes rebuild.
SCHEMA_VERSION = 3
INDEX_NAME = "entries"
SNAPSHOT = "snapshot.json"
# Title, paper title, tags and people/venue words share one short "head" field weighted above the
# body: one field instead of four keeps a query to two posting lists per term, which is most of its cost.
FIELD_BOOSTS = {"head": 3.0, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)


class KoEnTokenizer(Tokenizer):
    """Whoosh adapter that yields exactly the tokens of `analysis.tokenize`."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found = spans(value) if tokenize else [(value, 0, len(value))]
        for pos, (text, start, end) in enumerate(found, start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class FastPositions(Positions):
    """Whoosh's positions format, fed straight from `analysis.spans` without Token objects.

    Whoosh's own path builds a Token per term and groups them in Python; for 80 MB of notes
    that was a third of indexing time.
    """

    def word_values(self, value, analyzer, **kwargs):
        """Yield (term, frequency, weight, encoded positions) for each distinct term of value."""
        positions: dict[str, list[int]] = {}
        for pos, term in enumerate(terms(value)):
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        boost = self.field_boost
        for term, found in positions.items():
            yield term, len(found), len(found) * boost, self.encode(found)


def _text_field(**kwargs) -> TEXT:
    field = TEXT(analyzer=KoEnTokenizer(), **kwargs)
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Return the index schema: text fields for ranking, exact fields for filters and display."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        type=ID(stored=True),
        lang=ID(stored=True),
        date=ID(stored=True, sortable=True),  # ISO dates sort and range as text
        tag=KEYWORD(stored=True, lowercase=True, commas=True, scorable=False),
        head=_text_field(),
        body=_text_field(stored=True),
        title=STORED(),
        source=STORED(),
        url=STORED(),
        summary=STORED(),
    )


def to_document(entry: Entry) -> dict[str, str]:
    """Return the fields the index keeps for one entry."""
    meta = [entry.author, getattr(entry, "presenter", None), getattr(entry, "venue", None),
            getattr(entry, "event", None), getattr(entry, "location", None), getattr(entry, "category", None)]
    meta += list(getattr(entry, "authors", ()))
    meta += [f"{talk.speaker} {talk.title}" for talk in getattr(entry, "talks", ())]
    return {
        "id": entry.id,
        "type": entry.type.value,
        "lang": entry.lang,
        "date": entry.date.isoformat(),
        "tag": ",".join(t.replace(",", " ") for t in entry.tags),
        "title": entry.title,
        "head": "\n".join([entry.title, getattr(entry, "paper_title", None) or "", " ".join(entry.tags)] + [m for m in meta if m]),
        "body": entry.text,
        "source": str(entry.source),
        "url": entry.url or "",
        "summary": entry.summary,
    }


def digest(entry: Entry) -> str:
    """Return a digest of everything the index keeps for one entry."""
    doc = to_document(entry)
    blob = "\x1f".join(f"{k}\x1e{doc[k]}" for k in sorted(doc))
    return hashlib.blake2b(blob.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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


def index_path(config: Config) -> Path:
    """Return the folder of the search index."""
    return config.cache_path / "index"


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
            count = ix.doc_count()
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds on a damaged index
        return f"the index is damaged ({type(exc).__name__})"
    if count != len(snapshot.records):
        return f"the index holds {count} entries but its snapshot {len(snapshot.records)}"
    return ""


def update(config: Config, loaded: LoadResult | None = None, jobs: int | None = None,
           wait: bool = True) -> IndexReport:
    """Bring the index in step with the notes: incrementally when it can, else rebuild it.

    Pass `loaded` when the caller has just loaded every note (as `build` does), so nothing is read
    twice; otherwise only the files whose stamp changed since the last update are read. Without
    `wait`, an index locked by another process raises IndexLocked at once.
    """
    path = index_path(config)
    snapshot, why = read_snapshot(path)
    if snapshot is not None:
        why = _check(path, snapshot)
        if why:
            snapshot = None
    delta = (from_load(config, loaded, snapshot, digest, _fingerprint_salt()) if loaded is not None
             else changes(config, snapshot, digest, _fingerprint_salt(), jobs))
    if snapshot is None:
        _rebuild(path, delta, jobs)
        rebuilt = why
        added, updated = delta.total, 0
    else:
        added, updated = _apply(path, delta, snapshot, wait)
        rebuilt = ""
    problems = delta.problems
    if rebuilt and rebuilt != "no index yet":
        problems = (Problem(_display(path, config), 1, f"search index rebuilt: {rebuilt}",
                            "nothing to do; this is reported so a damaged disk does not go unnoticed",
                            Severity.WARNING),) + problems
    return IndexReport(added, updated, len(delta.removed) if snapshot else 0, delta.total, delta.files_read,
                       rebuilt, problems)


def _fingerprint_salt() -> str:
    return f"v{SCHEMA_VERSION}"


def _display(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _apply(path: Path, delta: Delta, snapshot: Snapshot, wait: bool) -> tuple[int, int]:
    """Write the changed and removed entries into the existing index, then its new snapshot."""
    old = {r.id for r in snapshot.records}
    if delta.changed or delta.removed:
        from whoosh.writing import LockError

        ix = whoosh_index.open_dir(str(path), INDEX_NAME)
        try:
            writer = ix.writer(timeout=30.0 if wait else 0.0)
        except LockError:
            raise IndexLocked(f"{path}: the search index is locked by another notebase process; "
                              "try again when it finishes") from None
        try:
            for entry_id in delta.removed:
                writer.delete_by_term("id", entry_id)
            for entry in delta.changed:
                writer.update_document(**to_document(entry))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        finally:
            ix.close()
    if delta.changed or delta.removed or delta.snapshot.stamps != snapshot.stamps or \
            delta.snapshot.fingerprint != snapshot.fingerprint:
        _write_snapshot(path, delta.snapshot)
    added = sum(1 for e in delta.changed if e.id not in old)
    return added, len(delta.changed) - added


def _write_snapshot(path: Path, snapshot: Snapshot) -> None:
    tmp = path / f"{SNAPSHOT}.{os.getpid()}.tmp"
    tmp.write_text(snapshot.to_json(), encoding="utf-8")
    os.replace(tmp, path / SNAPSHOT)


def _rebuild(path: Path, delta: Delta, jobs: int | None) -> None:
    """Build a whole new index beside the old one and swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{path.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        ix = whoosh_index.create_in(str(fresh), make_schema(), INDEX_NAME)
        jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
        build_all(ix, delta.changed, to_document, jobs)
        ix.close()
        _write_snapshot(fresh, delta.snapshot)
        _swap(fresh, path)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _swap(fresh: Path, path: Path) -> None:
    """Put `fresh` where `path` is, with only a moment in which neither exists."""
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
    if path.exists():
        os.replace(path, old)
    os.replace(fresh, path)
    shutil.rmtree(old, ignore_errors=True)
