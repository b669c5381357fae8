"""The browser search data held in memory between rebuilds, for `notebase serve`.

`LiveSearchData.update(entries)` answers what `search_data.search_files(entries)` would, as the
difference from its previous answer: the files whose bytes changed and the files now gone. The
first call builds everything as a build does (tokenizing in forked processes); later calls
tokenize only the entries whose indexed content changed (their old and new text) and patch:

- terms/<n>.js: the posting lists of the terms whose counts changed, patched in place
  (search_postings.py). Documents are numbered oldest first: a note added as the newest takes the
  next number and deleting the newest frees the last, renumbering nothing. An older note added,
  deleted or re-dated renumbers every newer document, which changes one number in most posting
  lists: such an update rewrites most shards.
- text/<n>.js: the chunk of each changed note (a note's chunk is picked by a hash of its id).
- docs.js, manifest.js, tags.js: small, rebuilt from per-document pieces kept here.
- vocab/<n>.js: the shards whose keys gained or lost a term (a term's first or last posting).

A file is returned only when its bytes differ from what was last returned: a digest of every file
is kept. An update that fails halfway leaves the next one to start from scratch.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from notebase.config import Config
from notebase.site.emitters import search_data as sd
from notebase.site.emitters.search_postings import Digits, Postings
from notebase.model import Entry
from notebase.search.schema import to_document
from notebase.search.vocabulary import fnv1a, group, keys

# search_data's sizes are read as sd.NAME at call time, not imported: tests shrink them.

# Past these, starting from scratch (~7-10 s at 10,000 notes) costs about as much as patching: each
# added, deleted or re-dated note renumbers the others (0.1-0.2 s), each changed one is tokenized twice.
REBUILD_MOVES = 32
REBUILD_SHARE = 4  # a quarter of the notes changed


@dataclass(frozen=True)
class SearchDoc:
    """What is kept of one document between updates."""

    entry: Entry
    lengths: tuple[int, int]  # tokens in head and body
    lens: str  # the lengths as docs.js writes them
    size: int  # what search_data sizes text chunks by (`_size`)

    @property
    def key(self) -> tuple[int, str]:
        """Where the document sorts: newest first, then by id."""
        return sd.newest_first(self.entry)

    @property
    def row(self) -> list:
        """Its text chunk row: everything the search data shows or indexes of the entry.

        Worked out from the entry when asked, not kept: a kept row would hold the entry's text,
        which the entry itself keeps compressed (model.squeeze)."""
        return _row(self.entry)


def _number(keys: list[tuple[int, str]], key: tuple[int, str]) -> int:
    """The number of the document at `key` in `keys` (newest first): documents are numbered oldest first."""
    return len(keys) - 1 - bisect_left(keys, key)


def _row(entry: Entry) -> list:
    return sd.text_row(entry, to_document(entry))


def _size(chars: int) -> int:
    """What search_data sizes text chunks by, of a row whose head and body have `chars` characters."""
    return chars + 200


def _doc(entry: Entry, row: list, counts) -> SearchDoc:
    lengths = (sum(counts[0].values()), sum(counts[1].values()))
    return SearchDoc(entry, lengths, sd.length_code(*lengths), _size(len(row[7]) + len(row[8])))


class _Texts(Sequence):
    """Each entry's (head, body) as the search data tokenizes them, worked out when asked (by forked
    processes too), so that no process holds every text at once."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self[n] for n in range(*at.indices(len(self)))]
        row = _row(self.entries[at])
        return row[7], row[8]


def _counts(row: list):
    return sd.doc_terms(row[7], row[8])


class LiveSearchData:
    """The browser search data kept in memory between rebuilds, so an edit re-tokenizes only what changed."""

    def documents(self) -> list[SearchDoc]:
        """Return what is kept of each document (the engine's state stores them by source file)."""
        return list(self._docs.values())

    def __init__(self, config: Config, jobs: int | None = None):
        # jobs as for search_files: the first update (and a rebuild) forks tokenizing processes
        # unless it is 1, which a process already running threads may prefer.
        self.config, self.jobs = config, jobs
        self._docs: dict[str, SearchDoc] = {}
        self._keys: list[tuple[int, str]] = []  # every document's newest_first key, newest first: the reverse of document order
        self._terms: Postings | None = None  # None before the first update and after a failed one
        self._digits = Digits()
        self._members: list[list[str]] = []  # the ids in each text chunk, sorted
        self._where: dict[str, str] = {}  # each id's chunk and row, as docs.js writes them
        self._text_size = 0
        self._tags: dict = {}
        self._vocab: dict[str, set[str]] = {}  # vocabulary key -> its terms (vocabulary.group)
        self._vocab_dirty: set[str] = set()  # keys whose terms changed since the last emit
        self._vocab_size = 0  # what search_data sizes vocabulary shards by
        self._vocab_count = 0  # vocabulary shards last written
        self._digests: dict[str, bytes] = {}  # of every file as last returned
        self._emitted: tuple | None = None  # docs.js's columns and the manifest's counts, as last written

    def update(self, entries: Sequence[Entry], out: Callable[[str, bytes], None] | None = None
               ) -> tuple[dict[str, bytes], set[str]]:
        """Bring the data in step with `entries` (the whole current list); return (files whose bytes changed or are new: {site rel path: bytes}, site rel paths that no longer exist).

        `out(rel, data)`, when given, takes each changed file as it is made, and the dict comes back
        empty: a full build never holds the 100 MB of search files of 10,000 notes at once.
        """
        current: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in current:
                raise ValueError(f"two entries have the id {entry.id!r}")
            current[entry.id] = entry
        try:
            return self._rebuild(current, out) if self._terms is None else self._patch(current, out)
        except BaseException:
            self._terms = None  # half patched: the next update starts over (digests still hold what was returned)
            raise

    def _rebuild(self, current: dict[str, Entry], out=None) -> tuple[dict[str, bytes], set[str]]:
        """Compute everything, as search_files does, and keep what later updates patch."""
        self._terms, self._docs, self._members, self._where = None, {}, [], {}  # freed before the new is built
        ordered = sorted(current.values(), key=sd.newest_first, reverse=True)  # numbered oldest first
        lengths, postings, sizes = sd.index_texts(_Texts(ordered), self.jobs)
        self._docs = {e.id: SearchDoc(e, length, sd.length_code(*length), _size(chars))
                      for e, length, chars in zip(ordered, lengths, sizes)}
        del lengths, sizes
        self._keys = [sd.newest_first(e) for e in reversed(ordered)]  # newest first, for bisect
        self._digits = Digits()
        self._digits.upto(len(ordered) + 1)
        terms = Postings(postings, self._digits, len(ordered))
        self._vocab = {k: set(v) for k, v in group(terms.records).items()}
        self._vocab_dirty = set(self._vocab)
        self._vocab_size = sum(sd.vocab_size(k, v) for k, v in self._vocab.items())
        self._vocab_count = 0  # every shard is written again
        self._text_size = sum(d.size for d in self._docs.values())
        self._rechunk()
        self._tags = sd.tag_index(ordered)
        self._terms = terms
        return self._emit(set(range(len(self._members))), tags=True, out=out)

    def _patch(self, current: dict[str, Entry], out=None) -> tuple[dict[str, bytes], set[str]]:
        """Apply the difference between the kept documents and `current` ({id: entry})."""
        docs, terms = self._docs, self._terms
        removed = [docs[i] for i in docs if i not in current]
        added = [(e, _row(e)) for i, e in current.items() if i not in docs]
        moved, edited = [], []  # (old document, entry, row)
        for i, entry in current.items():
            old = docs.get(i)
            if old is None or old.entry is entry:  # frozen: the same object says the same
                continue
            row = _row(entry)
            if row == old.row:
                docs[i] = replace(old, entry=entry)  # hold the new strings, so the old can go
            else:
                (moved if sd.newest_first(entry) != old.key else edited).append((old, entry, row))
        if not (removed or added or moved or edited):
            return {}, set()
        tokenize = len(added) + 2 * len(moved) + 2 * len(edited)
        if len(removed) + len(added) + 2 * len(moved) > REBUILD_MOVES or tokenize * REBUILD_SHARE > len(current) + 64:
            return self._rebuild(current, out)

        self._digits.upto(len(docs) + len(added) + 1)
        keys = self._keys
        # `keys` are newest first; a document's number counts from the other end (_number). Leaving
        # places (deleted notes, old places of re-dated ones) highest number first, so each leaves
        # the numbers below it alone; then arriving ones lowest first, so each lands on its final number.
        before = {old.entry.id: _counts(old.row) for old in removed + [m[0] for m in moved]}
        before.update((old.entry.id, _counts(old.row)) for old, _, row in edited if row[7:] != old.row[7:])
        for key in sorted(d.key for d in removed + [m[0] for m in moved]):
            terms.remove(_number(keys, key), before[key[1]])
            del keys[bisect_left(keys, key)]
        for d in removed:
            del docs[d.entry.id]
        arriving = [(e, row, _counts(row)) for e, row in added]
        arriving += [(e, row, before[e.id] if row[7:] == old.row[7:] else _counts(row)) for old, e, row in moved]
        for entry, row, counts in sorted(arriving, key=lambda a: sd.newest_first(a[0]), reverse=True):
            insort(keys, sd.newest_first(entry))
            terms.insert(_number(keys, sd.newest_first(entry)), counts)
            docs[entry.id] = _doc(entry, row, counts)
        for old, entry, row in edited:
            if row[7:] == old.row[7:]:  # type, language or path only
                docs[entry.id] = replace(old, entry=entry)  # the same head and body: the same size
                continue
            counts = _counts(row)
            terms.change(_number(keys, old.key), before[entry.id], counts)
            docs[entry.id] = _doc(entry, row, counts)
        if sd.shard_count(terms.size, sd.SHARD_BYTES) != len(terms.shards):
            terms.reshard()

        count = len(self._members)
        chunks = self._move_rows(removed, [e.id for e, _ in added], moved + edited)
        retagged = removed or added or moved or any(row[4] != old.row[4] for old, _, row in edited)
        if retagged:
            self._tags = sd.tag_index([docs[i].entry for _, i in reversed(keys)])
        # Texts changed in their places (the same documents, types, languages and chunks): docs.js and
        # the manifest change in those documents' lengths alone.
        same = not (removed or added or moved) and len(self._members) == count and all(
            entry.type is old.entry.type and entry.lang == old.entry.lang for old, entry, _ in edited)
        patched = [(_number(keys, old.key), old, docs[entry.id]) for old, entry, _ in edited] if same else None
        return self._emit(chunks, tags=bool(retagged), out=out, patched=patched)

    def _move_rows(self, removed: list[SearchDoc], added: list[str], changed: list[tuple]) -> set[int]:
        """Update the text chunks' members; return the chunks to write again."""
        members, dirty = self._members, set()
        for d in removed:
            ids = members[self._chunk(d.entry.id)]
            del ids[bisect_left(ids, d.entry.id)]
            del self._where[d.entry.id]
            self._text_size -= d.size
            dirty.add(self._chunk(d.entry.id))
        for i in added:
            insort(members[self._chunk(i)], i)
            self._text_size += self._docs[i].size
            dirty.add(self._chunk(i))
        for old, entry, _ in changed:
            self._text_size += self._docs[entry.id].size - old.size
            dirty.add(self._chunk(entry.id))
        if sd.shard_count(self._text_size, sd.CHUNK_CHARS) != len(members):
            self._rechunk()
            return set(range(len(self._members)))
        for n in dirty:
            code = sd.encode_number(n)
            self._where.update((i, code + sd.encode_number(r)) for r, i in enumerate(members[n]))
        return dirty

    def _chunk(self, doc_id: str) -> int:
        return sd.fnv1a(doc_id) & (len(self._members) - 1)

    def _rechunk(self) -> None:
        """Deal every document to the text chunks as search_data does: by id hash, rows in id order."""
        count = sd.shard_count(self._text_size, sd.CHUNK_CHARS)
        self._members = [[] for _ in range(count)]
        for i in sorted(self._docs):
            self._members[sd.fnv1a(i) & (count - 1)].append(i)
        self._where = {i: sd.encode_number(n) + sd.encode_number(r) for n, ids in enumerate(self._members) for r, i in enumerate(ids)}

    def _emit(self, chunks: set[int], tags: bool, out=None, patched: list[tuple] | None = None
              ) -> tuple[dict[str, bytes], set[str]]:
        """Write docs.js and manifest.js, tags.js if asked, and the dirty shards and chunks; keep what differs.

        `patched`: (place, document before, document now) of each document whose text alone changed,
        in its place; docs.js and the manifest's counts are then the last ones with these patched in
        (going through 10,000 documents for them was a third of a served body edit)."""
        terms = self._terms
        if patched is not None and self._emitted is not None:
            columns, present, totals = self._emitted
            lens = columns["lens"]  # four characters a document (`length_code`)
            for n, old, new in patched:
                lens = f"{lens[:4 * n]}{new.lens}{lens[4 * n + 4:]}"
                totals = [total - was + now for total, was, now in zip(totals, old.lengths, new.lengths)]
            columns = {**columns, "lens": lens}
        else:
            ordered = [self._docs[i] for _, i in reversed(self._keys)]
            entries = [d.entry for d in ordered]
            columns = sd.doc_columns(entries, [d.lens for d in ordered], [self._where[e.id] for e in entries])
            present, totals = sd.doc_counts(entries, [d.lengths for d in ordered])
        self._emitted = (columns, present, totals)
        digests = dict(self._digests)  # committed at the end: a failure leaves what the caller has
        files: dict[str, bytes] = {}

        def keep(rel: str, data: bytes) -> None:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if digests.get(rel) != digest:
                digests[rel] = digest
                if out is None:
                    files[rel] = data
                else:
                    out(rel, data)

        vocab = self._vocab_files(terms)
        keep(*sd.data_file("docs.js", "docs", "", columns))
        keep(*sd.data_file("manifest.js", "manifest", "", sd.manifest_data(
            present, totals, self.config, len(terms.shards), len(self._members), self._tags, self._vocab_count)))
        for n, data in vocab.items():
            keep(*sd.data_file(f"vocab/{n}.js", "vocab", n, data))
        if tags:
            keep(*sd.data_file("tags.js", "tags", "", sd.tag_docs(self._tags, self._digits.codes)))
        for n in sorted(terms.dirty):
            keep(*terms.shard_file(n))
        terms.dirty = set()
        for n in sorted(chunks):
            keep(*sd.data_file(f"text/{n}.js", "text", n, [self._docs[i].row for i in self._members[n]]))
        names = {sd.FOLDER + name for name in ("docs.js", "manifest.js", "tags.js")}
        names.update(f"{sd.FOLDER}terms/{n}.js" for n in range(len(terms.shards)))
        names.update(f"{sd.FOLDER}text/{n}.js" for n in range(len(self._members)))
        names.update(f"{sd.FOLDER}vocab/{n}.js" for n in range(self._vocab_count))
        gone = digests.keys() - names
        for rel in gone:
            del digests[rel]
        self._digests = digests
        return files, gone

    def _vocab_files(self, terms: Postings) -> dict[int, dict[str, list[str]]]:
        """Bring the vocabulary in step with the terms that came and went; return the shards to write."""
        for term, came in [(t, True) for t in terms.appeared] + [(t, False) for t in terms.vanished]:
            for key in keys(term):
                found = self._vocab.get(key, set())
                self._vocab_size -= sd.vocab_size(key, found) if found else 0
                (found.add if came else found.discard)(term)
                if found:
                    self._vocab[key] = found
                    self._vocab_size += sd.vocab_size(key, found)
                else:
                    self._vocab.pop(key, None)
                self._vocab_dirty.add(key)
        terms.appeared, terms.vanished = set(), set()
        count = sd.shard_count(self._vocab_size, sd.VOCAB_BYTES)
        dirty = set(range(count)) if count != self._vocab_count else {fnv1a(k) & (count - 1) for k in self._vocab_dirty}
        self._vocab_count, self._vocab_dirty = count, set()
        out: dict[int, dict[str, list[str]]] = {n: {} for n in dirty}
        for key in sorted(self._vocab):
            n = fnv1a(key) & (count - 1)
            if n in out:
                out[n][key] = sorted(self._vocab[key])
        return out
