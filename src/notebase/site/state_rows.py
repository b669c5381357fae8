"""The engine state's bulk, one row per source file, so saving after an edit rewrites only that file's row.

Nearly all of the state is the entries (their bodies and plain texts). These are stored by source
file in a sqlite file beside the state: a row holds one file's raw entries, their final forms
(unique ids), their search documents (a few numbers each) and what assemble's memo keeps of each
entry (its Refs, topics and related entries), pickled together. The state pickle itself names
them by (row, position): `entry_ref` stands for each.

A row's long texts (DEFERRED: bodies, plain texts, summaries) are kept apart, in the
`texts` table under the row's key, and read only when one of them is: loading the state reads the
rows' 9 MB of fields, not their 170 MB of texts (at 10,000 notes), and an edit reads the texts of
the few pages it renders (`TextStore`). A server reads them all once it has started (`keep_all`):
it lives on while other builds may drop the rows it was loaded from.

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
import threading
from pathlib import Path

ROWS = "engine-rows.sqlite"


# Pickling a str that is not ASCII keeps a UTF-8 copy of it inside the str for the rest of the
# process (CPython caches what PyUnicode_AsUTF8 makes): pickling the rows of 10,000 Korean notes kept
# 170 MB of such copies, the cold build's peak. Long texts are pickled as bytes encoded here instead.
LONG = 64  # characters from which a text is pickled as bytes


class Packer:
    """Reduces dataclasses (entries, search documents) with their long texts as UTF-8 bytes (see LONG).

    Each str is encoded once per packer, so a text two objects share (a raw entry's and its final
    form's) is pickled once, as before. One packer serves one pickler. (A class, not a closure:
    a recursive closure is a reference cycle, kept while the collector is paused.) Given `texts`, a
    row's list, it appends the DEFERRED long texts there instead, each named by its place.
    """

    def __init__(self, texts: list[bytes] | None = None) -> None:
        self.seen: dict[int, tuple] = {}
        self.texts = texts  # a row's long texts, kept apart (row mode); None: every text inline
        self.apart_seen: dict[int, tuple] = {}

    def __call__(self, obj):
        fields = vars(obj)
        pending = fields.get("_pending")
        if pending is not None and pending[0] is not _dressed:
            # Named in another row's texts, which may go, or kept compressed (model.squeeze): read them now.
            fields = {**fields, **{name: getattr(obj, name) for name in list(pending[2])}}
            pending = None
        plain, encoded = {}, {}
        rows = self.texts is not None
        for name, value in fields.items():
            if name == "_pending":
                continue
            bare = self.bare(value, rows and name in DEFERRED)
            (plain if bare is value else encoded)[name] = bare
        if pending is not None:  # texts never read since the state gave them back go out still encoded
            encoded.update(pending[2])
        return (unpacked if self.texts is None else row_unpacked), (type(obj), plain, encoded)

    def bare(self, value, apart: bool = False):
        """A long non-ASCII str as (str, its UTF-8 bytes), or with `apart` any long str as (None, its place
        among the row's texts); anything else as it is."""
        if type(value) is str and len(value) >= LONG and (apart or not value.isascii()):
            seen = self.apart_seen if apart else self.seen
            found = seen.get(id(value))
            if found is None or found[1] is not value:
                data = value.encode("utf-8", "surrogatepass")
                if apart:
                    self.texts.append(data)
                found = seen[id(value)] = ((None, len(self.texts) - 1) if apart else (str, data), value)
            return found[0]
        return value


def _dressed(value):
    if type(value) is tuple and len(value) == 2 and value[0] is str:
        return value[1].decode("utf-8", "surrogatepass")
    return value


# The long texts of entries (body, plain text, summary): read only for the pages and search chunks
# an edit changes, so they are decoded then (model.Deferred).
DEFERRED = frozenset({"body", "text", "summary"})


def _holds(value, needle: str) -> bool:
    """Whether an encoded text contains `needle`: UTF-8 finds a text's bytes exactly where the text is."""
    if type(value) is tuple and len(value) == 2 and value[0] is str:
        return needle.encode("utf-8", "surrogatepass") in value[1]
    return needle in _dressed(value)


def unpacked(cls, plain: dict, encoded: dict, dress=_dressed, holds=_holds):
    """Rebuild what a packer reduced, without running __init__ (as pickle does); long texts stay encoded
    (read by `dress`, looked through by `holds`: a row's own, for texts kept apart)."""
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
        fields["_pending"] = (dress, holds, pending)
    return obj


class StateLost(LookupError):
    """A text the state names could not be read: the build starts over, as with no state."""


class TextStore:
    """The texts table of one rows file, read row by row when first asked (or all at once: `keep_all`).

    Opened read-only when first needed, again in a forked process (a connection must not cross a
    fork), and locked: pages may be rendered on threads.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        self.pid = 0
        self.kept: dict[int, list[bytes]] | None = None  # every row's texts, once `keep_all` read them
        self.found: dict[bytes, set[int]] = {}  # needle -> rows that may hold it (`holding`)

    def _connection(self) -> sqlite3.Connection:
        if self.db is None or self.pid != os.getpid():
            self.db = _read_only(self.path, check_same_thread=False)
            self.pid = os.getpid()
        return self.db

    def texts(self, key: int) -> list[bytes]:
        """The long texts of row `key`; StateLost when they are gone or cannot be read."""
        with self.lock:
            if self.kept is not None:
                found = self.kept.pop(key, None)  # held by the row from now on
                if found is None:
                    raise StateLost(f"the texts of engine row {key} are gone")
                return found
            try:
                row = self._connection().execute("SELECT data FROM texts WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                raise StateLost(f"the state's texts cannot be read: {exc}") from exc
        if row is None:
            raise StateLost(f"the texts of engine row {key} are gone")
        return _unpickled(key, row[0])

    def holding(self, needle: bytes) -> set[int] | None:
        """The rows whose texts may contain `needle` (a superset), found in one scan of the table; None
        once every text is held (`keep_all`). A new note makes every page ask its body whether it names
        the file: reading 10,000 rows' texts one by one for that took longer than this scan."""
        with self.lock:
            if self.kept is not None:
                return None
            found = self.found.get(needle)
            if found is None:
                try:
                    found = {key for (key,) in self._connection().execute(
                        "SELECT key FROM texts WHERE instr(data, ?) > 0", (needle,))}
                except sqlite3.Error as exc:
                    raise StateLost(f"the state's texts cannot be read: {exc}") from exc
                self.found[needle] = found
            return found

    def keep_all(self) -> None:
        """Read every row's texts now and close the file: whatever drops rows later cannot take them.

        Raises StateLost when one cannot be read (the caller builds afresh)."""
        with self.lock:
            try:
                found = self._connection().execute("SELECT key, data FROM texts").fetchall()
            except sqlite3.Error as exc:
                raise StateLost(f"the state's texts cannot be read: {exc}") from exc
            finally:
                if self.db is not None:
                    self.db.close()
                    self.db = None
            self.kept = {key: _unpickled(key, data) for key, data in found}  # a damaged one is found now


def _unpickled(key: int, data: bytes) -> list[bytes]:
    """A row's texts as the table holds them (a pickled list of bytes); StateLost when damaged."""
    try:
        texts = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - damaged in any way: the same as gone
        raise StateLost(f"the texts of engine row {key} cannot be read: {exc}") from exc
    if type(texts) is not list:
        raise StateLost(f"the texts of engine row {key} cannot be read")
    return texts


class RowTexts:
    """The long texts of one row, read from its store when one is first read (then held)."""

    __slots__ = ("store", "key", "texts")

    def __init__(self, store: TextStore, key: int) -> None:
        self.store, self.key, self.texts = store, key, None

    def _text(self, n: int) -> bytes:
        if self.texts is None:
            self.texts = self.store.texts(self.key)
        return self.texts[n]

    def dress(self, value):
        """Decode an encoded text, fetching it from the row's texts when it was kept apart."""
        if type(value) is tuple and len(value) == 2 and value[0] is None:
            return self._text(value[1]).decode("utf-8", "surrogatepass")
        return _dressed(value)

    def holds(self, value, needle: str) -> bool:
        """Whether an encoded text contains `needle`, looked for in its bytes."""
        if type(value) is tuple and len(value) == 2 and value[0] is None:
            found = needle.encode("utf-8", "surrogatepass")
            if self.texts is None:  # the table's raw bytes hold each text as it is: no row, no text of it
                rows = self.store.holding(found)
                if rows is not None and self.key not in rows:
                    return False
            return found in self._text(value[1])
        return _holds(value, needle)


# The row being read (load_rows reads one at a time, in one thread). A global, not an Unpickler
# whose find_class binds it: find_class in Python, asked 60,000 times for 10,000 rows, cost 0.15 s.
_ROW: RowTexts | None = None


def row_unpacked(cls, plain: dict, encoded: dict):
    """`unpacked`, with the texts of the row being read."""
    return unpacked(cls, plain, encoded, _ROW.dress, _ROW.holds)


def entry_ref(key: tuple[int, int]):
    """Stand for an object kept in a row (the state's loader answers it with the object itself)."""
    raise RuntimeError("an engine row reference read outside the state loader")


def _read_only(path: Path, **options) -> sqlite3.Connection:
    """Open the rows file for reading only: reading then writes nothing, not even a journal."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, **options)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    # A cache: a crash of the process loses nothing committed; a lost row after a power cut means a full build.
    # A rollback journal, not WAL: reading then writes nothing, so a build on a full disk still loads the state.
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE IF NOT EXISTS rows (key INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS texts (key INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    return db


def group(live) -> dict[str, tuple[tuple, tuple]]:
    """What a row keeps, by source file: the objects the state names (raw entries, final entries that
    differ, search documents, the Refs of each entry's memo) and the rest of each entry's memo,
    flat: (entry, refs, topics, related) for each, which the state's loader puts together again.

    An entry's words (the other half of its reading) stay in the state, where each word is pickled
    once for every entry using it: a row of its own each, they were read back as 1.5 million strings."""
    groups: dict[str, list] = {rel: list(f.entries) for rel, f in live.loads.items()}
    extras: dict[str, list] = {rel: [] for rel in groups}
    memo = live.memo
    related = live.site.related if live.site is not None else {}
    for raw, entry in live.final.values():
        found = groups.get(raw.source.path)
        if found is None:
            continue
        if entry is not raw:
            found.append(entry)
        kept = memo.get(id(entry))
        if kept is not None and kept[0] is entry:
            found.append(kept[1])  # the site's shape names each entry's Refs
            extras[raw.source.path].extend((entry, kept[1], kept[2][0], related.get(entry.id)))
    if live.search is not None:
        for doc in live.search.documents():
            found = groups.get(doc.entry.source.path)
            if found is not None:
                found.append(doc)
    return {rel: (tuple(objects), tuple(extras[rel])) for rel, objects in groups.items()}


def save_rows(cache: Path, groups: dict[str, tuple[tuple, tuple]], kept: dict[str, tuple[int, tuple, tuple]],
              pickler) -> tuple[dict[str, tuple[int, tuple, tuple]], dict[int, tuple[int, int]]]:
    """Write a row for each file whose objects or memo changed since `kept` (rel -> (key, objects, memo)
    saved before): the objects compared by identity, the memo by value (a ranking made anew is equal).

    Returns the rows now (rel -> (key, objects, memo)) and where each object is (id -> (key, position)).
    Rows neither `kept` nor now named are dropped: nothing can name them any more.
    """
    try:
        return _save(cache, groups, kept, pickler)
    except sqlite3.OperationalError as exc:
        # What the build says of any write that failed (a full disk, a read-only folder), not a traceback.
        text = str(exc)
        code = errno.ENOSPC if "full" in text else errno.EROFS if "readonly" in text else errno.EACCES
        raise OSError(code, os.strerror(code), str(cache / ROWS)) from exc


def _save(cache: Path, groups: dict[str, tuple[tuple, tuple]], kept: dict[str, tuple[int, tuple, tuple]],
          pickler) -> tuple[dict[str, tuple[int, tuple, tuple]], dict[int, tuple[int, int]]]:
    db = _connect(cache / ROWS)
    try:
        now: dict[str, tuple[int, tuple, tuple]] = {}
        db.execute("BEGIN")
        for rel, (objects, memo) in groups.items():
            old = kept.get(rel)
            if (old is not None and len(old[1]) == len(objects) and all(a is b for a, b in zip(old[1], objects))
                    and old[2] == memo):
                now[rel] = old  # the very objects saved before: their row holds them already
                continue
            buffer, texts = io.BytesIO(), []
            pickler(buffer, Packer(texts)).dump((objects, memo))
            key = db.execute("INSERT INTO rows (data) VALUES (?)", (buffer.getvalue(),)).lastrowid
            db.execute("INSERT INTO texts VALUES (?, ?)", (key, pickle.dumps(texts, pickle.HIGHEST_PROTOCOL)))
            now[rel] = (key, objects, memo)
        named = {row[0] for row in now.values()} | {row[0] for row in kept.values()}
        db.execute("CREATE TEMP TABLE named (key INTEGER PRIMARY KEY)")
        db.executemany("INSERT INTO named VALUES (?)", ((key,) for key in named))
        db.execute("DELETE FROM rows WHERE key NOT IN (SELECT key FROM named)")
        db.execute("DELETE FROM texts WHERE key NOT IN (SELECT key FROM named)")
        db.execute("COMMIT")
    finally:
        db.close()
    where = {id(obj): (key, n) for key, objects, _ in now.values() for n, obj in enumerate(objects)}
    return now, where


def _load_row(data: bytes, texts: RowTexts) -> tuple:
    global _ROW
    _ROW = texts
    try:
        return pickle.loads(data)
    finally:
        _ROW = None


def load_rows(cache: Path, keys: dict[str, int]) -> tuple[dict[int, tuple[tuple, tuple]], TextStore]:
    """Return the rows the state names (key -> (objects, memo)), their texts left in the store;
    raise LookupError when a row or its texts are missing."""
    store = TextStore(cache / ROWS)
    db = _read_only(store.path)
    try:
        # Read through a memory map: a read() a page otherwise.
        db.execute("PRAGMA mmap_size=4294967296")
        wanted = set(keys.values())
        rows = {key: _load_row(data, RowTexts(store, key))
                for key, data in db.execute("SELECT key, data FROM rows") if key in wanted}
        texts = {key for (key,) in db.execute("SELECT key FROM texts")}
    finally:
        db.close()
    if len(rows) != len(wanted) or not wanted <= texts:
        raise LookupError("an engine row is missing")
    return rows, store


class StateUnpickler(pickle.Unpickler):
    """Reads the state pickle, answering each `entry_ref` with the object its row holds."""

    def __init__(self, file, rows: dict[int, tuple[tuple, tuple]]):
        super().__init__(file)
        self.rows = rows

    def find_class(self, module: str, name: str):
        """Resolve globals as usual, but `entry_ref` to this state's rows."""
        if module == __name__ and name == "entry_ref":
            return self.lookup
        return super().find_class(module, name)

    def lookup(self, key: tuple[int, int]):
        """Return the object at (row key, position)."""
        return self.rows[key[0]][0][key[1]]
