"""What changed since the last run, found from file stamps so only changed files are read again.

A `Snapshot` remembers each source file's stamp, each entry's id key and content digest, and each
file's problems. `changes` compares the notes folder with it: unchanged files are not opened,
ids are re-decided over every entry's small key (a new note can take an id another note wanted),
and the caller learns which entries to add or replace and which ids are gone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from notebase.config import Config
from notebase.errors import Problem, Severity, once_each
from notebase.load.files import Stamp, fingerprint, scan, stamp
from notebase.load.loader import FileLoad, IdKey, LoadResult, file_id_keys, load_some, unique_ids
from notebase.model import Entry, replaced

SNAPSHOT_FORMAT = 2  # 2: ids from files, keys hold whole alternative ids


@dataclass(frozen=True)
class Record:
    """One entry as the snapshot remembers it."""

    id: str
    rel: str
    key: IdKey
    digest: str


@dataclass(frozen=True)
class Snapshot:
    """The state of the notes folder at the last run."""

    fingerprint: str
    stamps: dict[str, Stamp]
    records: tuple[Record, ...]
    problems: dict[str, tuple[Problem, ...]]  # by the file whose reading found them

    def to_json(self) -> str:
        """Return this snapshot as JSON text."""
        return json.dumps({
            "format": SNAPSHOT_FORMAT,
            "fingerprint": self.fingerprint,
            "stamps": self.stamps,
            "records": [[r.id, r.rel, r.digest, r.key.base, r.key.explicit, r.key.line, list(r.key.alternatives)]
                        for r in self.records],
            "problems": {rel: [[p.path, p.line, p.message, p.hint, p.severity.value, p.once] for p in found]
                         for rel, found in self.problems.items() if found},
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """Read a snapshot; raise ValueError when the text is not one this version wrote."""
        try:
            data = json.loads(text)
            if data.get("format") != SNAPSHOT_FORMAT:
                raise ValueError("snapshot from another version")
            records = tuple(Record(i, rel, IdKey(base, explicit, rel, line, tuple(alts)), digest)
                            for i, rel, digest, base, explicit, line, alts in data["records"])
            problems = {rel: tuple(Problem(path, line, message, hint, Severity(severity), once)
                                   for path, line, message, hint, severity, once in found)
                        for rel, found in data["problems"].items()}
            stamps = {rel: tuple(value) for rel, value in data["stamps"].items()}
            return cls(data["fingerprint"], stamps, records, problems)
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"unreadable snapshot: {exc}") from None


@dataclass(frozen=True)
class Delta:
    """Entries to add or replace, ids that are gone, the new snapshot, and every current problem."""

    changed: tuple[Entry, ...]
    removed: tuple[str, ...]
    snapshot: Snapshot
    problems: tuple[Problem, ...]
    files_read: int
    total: int


def from_load(config: Config, result: LoadResult, previous: Snapshot | None,
              digest: Callable[[Entry], str], salt: str = "") -> Delta:
    """Compare a full load with the previous snapshot; nothing is read again."""
    records = tuple(Record(e.id, e.source.path, key, digest(e)) for e, key in zip(result.entries, result.id_keys))
    snapshot = Snapshot(fingerprint(config, salt), {f.rel: f.stamp for f in result.loads}, records,
                        {f.rel: f.problems for f in result.loads})
    return _delta(result.entries, records, previous, snapshot, list(result.problems), len(result.loads))


def changes(config: Config, previous: Snapshot | None, digest: Callable[[Entry], str],
            salt: str = "", jobs: int | None = None) -> Delta:
    """Compare the notes folder with the previous snapshot, reading only files whose stamp changed."""
    print_ = fingerprint(config, salt)
    paths: dict[str, str] = {}
    stamps: dict[str, Stamp] = {}
    tree = scan(config)
    for rel, path in tree.notes:
        try:
            stamps[rel] = stamp(path)
        except OSError:
            continue  # gone since the walk: treated as removed
        paths[rel] = path
    old_by_file: dict[str, list[Record]] = {}
    for record in previous.records if previous else ():
        old_by_file.setdefault(record.rel, []).append(record)
    # Settings that change how notes load changed: read every file again, but still compare digests.
    old_stamps = previous.stamps if previous and previous.fingerprint == print_ else {}
    reread = {rel for rel, value in stamps.items() if old_stamps.get(rel) != value}
    fresh: dict[str, FileLoad] = {}
    while True:
        todo = sorted(reread - fresh.keys())
        fresh.update((f.rel, f) for f in load_some([Path(paths[rel]) for rel in todo], config, jobs))
        keys, old_ids, slots = [], [], []
        for rel in paths:
            if rel in fresh:
                for n, key in enumerate(file_id_keys(fresh[rel])):
                    keys.append(key)
                    old_ids.append(None)
                    slots.append((rel, n))
            else:
                for record in old_by_file.get(rel, ()):
                    keys.append(record.key)
                    old_ids.append(record.id)
                    slots.append((rel, None))
        ids, id_problems = unique_ids(keys)
        # A new or changed note can push an unchanged note off its id: read that one again too.
        moved = {slot[0] for slot, old, new in zip(slots, old_ids, ids) if old is not None and old != new}
        if not moved:
            break
        reread |= moved
    entries, records = [], []
    kept = {r.id: r for rel, found in old_by_file.items() if rel not in fresh for r in found}
    for (rel, n), key, new_id in zip(slots, keys, ids):
        if n is None:
            records.append(kept[new_id])
            continue
        entry = fresh[rel].entries[n]
        if entry.id != new_id:
            entry = replaced(entry, id=new_id)
        entries.append(entry)
        records.append(Record(new_id, rel, key, digest(entry)))
    # Without a previous snapshot every file is fresh, so `previous` is only consulted when it exists.
    file_problems = {rel: fresh[rel].problems if rel in fresh else previous.problems.get(rel, ())
                     for rel in paths}
    problems = sorted(once_each([*tree.problems, *(p for found in file_problems.values() for p in found)])
                      + id_problems,
                      key=lambda p: (p.path, p.line))
    snapshot = Snapshot(print_, stamps, tuple(records), file_problems)
    return _delta(entries, tuple(records), previous, snapshot, problems, len(fresh))


def _delta(entries, records: tuple[Record, ...], previous: Snapshot | None, snapshot: Snapshot,
           problems: list[Problem], files_read: int) -> Delta:
    old = {r.id: r.digest for r in previous.records} if previous else {}
    digests = {r.id: r.digest for r in records}
    changed = tuple(e for e in entries if old.get(e.id) != digests[e.id])
    removed = tuple(i for i in old if i not in digests)
    return Delta(changed, removed, snapshot, tuple(problems), files_read, len(records))
