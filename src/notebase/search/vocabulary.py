"""The indexed terms, grouped for the two lookups that need to know which terms exist.

- A lone Hangul syllable (`뇌`) finds the bigrams that hold it (`뇌파`, `대뇌`), as a reader
  expects a one-syllable word to match inside longer words.
- A misspelt Latin word (`contrastve`) finds the indexed words one edit away; typos seldom change
  a word's first letter, so only the words sharing it are compared.

Each term is filed under keys (`keys`): a Hangul bigram under both its syllables, a lone syllable
under itself, a Latin term of MIN_LATIN or more characters under its first character. Keys are
spread over SHARDS files by FNV-1a, the hash the site's search data shards by, so a lookup reads
one small file. The index keeps them in `vocabulary/` beside its segments and adds the terms of
each new segment after an update; a term whose last entry was deleted stays listed, harmlessly,
since every lookup then reads the term's postings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from notebase.atomic import replaced

FOLDER = "vocabulary"
SHARDS = 16
MIN_LATIN = 4  # a misspelling of five letters or more is looked up; its neighbours have four or more
FIELDS = ("head", "body")
_SEGMENTS = "segments.json"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, the hash search.js computes to find a term's shard."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return h


def keys(term: str) -> tuple[str, ...]:
    """Return the keys a term is filed under (none for short Latin terms)."""
    if term[0] >= "\uac00":
        return tuple(dict.fromkeys(term))
    return (term[0],) if len(term) >= MIN_LATIN else ()


def group(terms) -> dict[str, set[str]]:
    """Return {key: terms} for the given terms."""
    found: dict[str, set[str]] = defaultdict(set)
    for term in terms:
        for key in keys(term):
            found[key].add(term)
    return found


def one_edit(a: str, b: str) -> bool:
    """Whether b is one insertion, deletion, substitution or swap of neighbours away from a (a != b)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


class Vocabulary:
    """The index's vocabulary files, read a shard at a time as keys are asked for."""

    def __init__(self, index: Path):
        self.folder = index / FOLDER
        self._shards: dict[int, dict[str, tuple[str, ...]]] = {}

    def terms(self, key: str) -> tuple[str, ...]:
        """Return the terms filed under key, sorted."""
        n = fnv1a(key) & (SHARDS - 1)
        if n not in self._shards:
            self._shards[n] = _read_shard(self.folder / f"{n}.txt")
        return self._shards[n].get(key, ())


def _read_shard(path: Path) -> dict[str, tuple[str, ...]]:
    """Read one shard: a line per key, the key then its terms, separated by tabs."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}  # no vocabulary (yet): lone syllables and typos find only themselves
    found = {}
    for line in text.splitlines():
        key, _, rest = line.partition("\t")
        if rest:
            found[key] = tuple(rest.split("\t"))
    return found


def write_vocabulary(index: Path, ix) -> None:
    """Add the terms of the index's segments not yet read to its vocabulary files."""
    folder = index / FOLDER
    folder.mkdir(exist_ok=True)
    try:
        done = set(json.loads((folder / _SEGMENTS).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        done = set()
    reader = ix.reader()
    try:
        leaves = []  # (reader, segment id); an index without entries has no segment
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            if segment is not None:
                leaves.append((leaf, segment.segment_id()))
        current = [name for _, name in leaves]
        fresh: set[str] = set()
        for leaf, name in leaves:
            if name not in done:
                for field in FIELDS:
                    if field in leaf.indexed_field_names():
                        fresh.update(t.decode("utf-8") for t in leaf.lexicon(field))
    finally:
        reader.close()
    by_shard: dict[int, dict[str, set[str]]] = defaultdict(dict)
    for key, terms in group(fresh).items():
        by_shard[fnv1a(key) & (SHARDS - 1)][key] = terms
    for n, added in by_shard.items():
        path = folder / f"{n}.txt"
        old = _read_shard(path)
        merged = {k: set(old.get(k, ())) | added.get(k, set()) for k in old.keys() | added.keys()}
        _write(path, "".join(f"{k}\t" + "\t".join(sorted(v)) + "\n" for k, v in sorted(merged.items())))
    _write(folder / _SEGMENTS, json.dumps(sorted(current)))


def _write(path: Path, text: str) -> None:
    with replaced(path, "w") as file:
        file.write(text)
