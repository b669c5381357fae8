"""The engine state's bulk, one row per source file, so saving after an edit rewrites only that file's row.

Nearly all of the state is the entries (body, text and sections) and what the browser search keeps
of each (its text row). These are stored by source file in a sqlite file beside the state: a row
holds one file's raw entries, their final forms (unique ids) and their search documents, pickled
together. The state pickle itself names them by (row, position): `entry_ref` stands for each.

Rows are never rewritten, only added and dropped: a save writes rows for the files whose objects
changed under new keys, then the state naming them is put in place (by the journal, in one
rename). A build killed before that leaves the old state, whose rows are all still there; rows no
state names are dropped by the next save. A row that cannot be read means no state (a full build).
"""

from __future__ import annotations

import errno
import io
import os
import pickle
import sqlite3
from pathlib import Path

ROWS = "engine-rows.sqlite"


# Pickling a str that is not ASCII keeps a UTF-8 copy of it inside the str for the rest of the
# process (CPython caches what PyUnicode_AsUTF8 makes): pickling the rows of 10,000 Korean notes kept
# 170 MB of such copies, the cold build's peak. Long texts are pickled as bytes encoded here instead.
LONG = 64  # characters from which a text is pickled as bytes


class Packer:
    """Reduces dataclasses (entries, search documents) with their long texts as UTF-8 bytes (see LONG).

    Each str is encoded once per packer, so a text two objects share (an entry's and its search
    document's) is pickled once, as before. One packer serves one pickler. (A class, not a closure:
    a recursive closure is a reference cycle, kept while the collector is paused.)
    """

    def __init__(self) -> None:
        self.seen: dict[int, tuple] = {}

    def __call__(self, obj):
        plain, encoded = {}, {}
        for name, value in vars(obj).items():
            bare = self.bare(value)
            (plain if bare is value else encoded)[name] = bare
        pending = plain.pop("_pending", None)
        if pending is not None:  # texts never read since the state gave them back go out still encoded
            encoded.update(pending[2])
        return unpacked, (type(obj), plain, encoded)

    def bare(self, value):
        """A long non-ASCII str as (str, its UTF-8 bytes); a list item by item; anything else as it is."""
        if type(value) is str and len(value) >= LONG and not value.isascii():
            found = self.seen.get(id(value))
            if found is None or found[1] is not value:
                found = self.seen[id(value)] = ((str, value.encode("utf-8", "surrogatepass")), value)
            return found[0]
        if type(value) is list:  # a search document's text row
            return [self.bare(v) for v in value]
        return value


def _dressed(value):
    if type(value) is tuple and len(value) == 2 and value[0] is str:
        return value[1].decode("utf-8", "surrogatepass")
    if type(value) is list:
        return [_dressed(v) for v in value]
    return value


# The long texts of entries (body, plain text, summary) and search documents (their text row): read
# only for the pages and search chunks an edit changes, so they are decoded then (model.Deferred).
DEFERRED = frozenset({"body", "text", "summary", "row"})


def _holds(value, needle: str) -> bool:
    """Whether an encoded text contains `needle`: UTF-8 finds a text's bytes exactly where the text is."""
    if type(value) is tuple and len(value) == 2 and value[0] is str:
        return needle.encode("utf-8", "surrogatepass") in value[1]
    return needle in _dressed(value)


def unpacked(cls, plain: dict, encoded: dict):
    """Rebuild what a packer reduced, without running __init__ (as pickle does); long texts stay encoded."""
    obj = cls.__new__(cls)
    fields = obj.__dict__  # set past the frozen __setattr__, as dataclasses' own __init__ does
    fields.update(plain)
    pending = {}
    for name, value in encoded.items():
        if name in DEFERRED:
            pending[name] = value
        else:
            fields[name] = _dressed(value)
    if pending:
        fields["_pending"] = (_dressed, _holds, pending)
    return obj


def entry_ref(key: tuple[int, int]):
    """Stand for an object kept in a row (the state's loader answers it with the object itself)."""
    raise RuntimeError("an engine row reference read outside the state loader")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    # A cache: a crash of the process loses nothing committed; a lost row after a power cut means a full build.
    # A rollback journal, not WAL: reading then writes nothing, so a build on a full disk still loads the state.
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE IF NOT EXISTS rows (key INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)")
    return db


def group(live) -> dict[str, tuple]:
    """Every object a row keeps, by source file: raw entries, final entries that differ, search documents."""
    groups: dict[str, list] = {rel: list(f.entries) for rel, f in live.loads.items()}
    for raw, entry in live.final.values():
        if entry is not raw and raw.source.path in groups:
            groups[raw.source.path].append(entry)
    if live.search is not None:
        for doc in live.search.documents():
            found = groups.get(doc.entry.source.path)
            if found is not None:
                found.append(doc)
    return {rel: tuple(objects) for rel, objects in groups.items()}


def save_rows(cache: Path, groups: dict[str, tuple], kept: dict[str, tuple[int, tuple]],
              pickler) -> tuple[dict[str, tuple[int, tuple]], dict[int, tuple[int, int]]]:
    """Write a row for each file whose objects changed since `kept` (rel -> (key, objects) saved before).

    Returns the rows now (rel -> (key, objects)) and where each object is (id -> (key, position)).
    Rows neither `kept` nor now named are dropped: nothing can name them any more.
    """
    try:
        return _save(cache, groups, kept, pickler)
    except sqlite3.OperationalError as exc:
        # What the build says of any write that failed (a full disk, a read-only folder), not a traceback.
        text = str(exc)
        code = errno.ENOSPC if "full" in text else errno.EROFS if "readonly" in text else errno.EACCES
        raise OSError(code, os.strerror(code), str(cache / ROWS)) from exc


def _save(cache: Path, groups: dict[str, tuple], kept: dict[str, tuple[int, tuple]],
          pickler) -> tuple[dict[str, tuple[int, tuple]], dict[int, tuple[int, int]]]:
    db = _connect(cache / ROWS)
    try:
        now: dict[str, tuple[int, tuple]] = {}
        db.execute("BEGIN")
        for rel, objects in groups.items():
            old = kept.get(rel)
            if old is not None and len(old[1]) == len(objects) and all(a is b for a, b in zip(old[1], objects)):
                now[rel] = old  # the very objects saved before: their row holds them already
                continue
            buffer = io.BytesIO()
            pickler(buffer).dump(objects)
            key = db.execute("INSERT INTO rows (data) VALUES (?)", (buffer.getvalue(),)).lastrowid
            now[rel] = (key, objects)
        named = {key for key, _ in now.values()} | {key for key, _ in kept.values()}
        db.execute("CREATE TEMP TABLE named (key INTEGER PRIMARY KEY)")
        db.executemany("INSERT INTO named VALUES (?)", ((key,) for key in named))
        db.execute("DELETE FROM rows WHERE key NOT IN (SELECT key FROM named)")
        db.execute("COMMIT")
    finally:
        db.close()
    where = {id(obj): (key, n) for key, objects in now.values() for n, obj in enumerate(objects)}
    return now, where


def load_rows(cache: Path, keys: dict[str, int]) -> dict[int, tuple]:
    """Return the objects of the rows the state names (key -> objects); raise LookupError when one is missing."""
    db = sqlite3.connect(f"{(cache / ROWS).resolve().as_uri()}?mode=ro", uri=True)
    try:
        # Read through a memory map: 180 MB of rows at 10,000 notes, 45,000 pages, a read() each otherwise.
        db.execute("PRAGMA mmap_size=4294967296")
        wanted = set(keys.values())
        rows = {key: pickle.loads(data) for key, data in db.execute("SELECT key, data FROM rows") if key in wanted}
    finally:
        db.close()
    if len(rows) != len(wanted):
        raise LookupError("an engine row is missing")
    return rows


class StateUnpickler(pickle.Unpickler):
    """Reads the state pickle, answering each `entry_ref` with the object its row holds."""

    def __init__(self, file, rows: dict[int, tuple]):
        super().__init__(file)
        self.rows = rows

    def find_class(self, module: str, name: str):
        """Resolve globals as usual, but `entry_ref` to this state's rows."""
        if module == __name__ and name == "entry_ref":
            return self.lookup
        return super().find_class(module, name)

    def lookup(self, key: tuple[int, int]):
        """Return the object at (row key, position)."""
        return self.rows[key[0]][key[1]]
