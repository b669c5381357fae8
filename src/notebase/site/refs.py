"""What each entry is called by and points at (Refs), and assemble's memo of them, entry by entry.

An unchanged entry (the same object) has the same Refs and reading: a memo kept between assembles
(`notebase serve`, the build state) gives them back without reading the entry again.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from notebase.model import Entry
from notebase.render.markup import IMAGE_EXTS, wikilink_key
from notebase.site.readings import read_entries
from notebase.site.redirects import alias_names

_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>]+?\.md)(?:#[^)\s]*)?>?\s*(?:\"[^\"]*\")?\)")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")


@dataclass(frozen=True)
class Refs:
    """What one entry is called by and what it points at, as lookup keys."""

    ids: tuple[str, ...]  # its id
    titles: tuple[str, ...]  # its title and paper title
    file_names: tuple[str, ...]  # its file's path and name without extension
    wikilinks: tuple[str, ...]  # targets of its wikilinks and note embeds (not image embeds)
    notes: tuple[str, ...]  # notes-relative paths of the .md files its body links to
    urls: tuple[str, ...]  # the URLs in its body, normalised
    aliases: tuple[str, ...] = ()  # its `aliases` (redirects.alias_names)
    mentions_md: bool = False  # its markdown body names a .md or .markdown file (live_plan asks after a rename)


def refs_of(entry: Entry) -> Refs:
    """Return an entry's names and references as lookup keys."""
    def keys(names) -> tuple[str, ...]:
        return tuple(k for k in (wikilink_key(n) for n in names if n) if k)

    body = entry.body  # read once: a long one is decompressed on each read
    notes: tuple[str, ...] = ()
    if entry.body_format == "markdown" and ".md" in body:
        here = posixpath.dirname(entry.source.path)
        notes = tuple(posixpath.normpath(posixpath.join(here, m[1])) for m in _MD_LINK.finditer(body))
    urls = tuple(map(norm_url, _URL.findall(body))) if "http" in body else ()
    return Refs(keys([entry.id]), keys([entry.title, getattr(entry, "paper_title", "") or ""]),
                keys(file_names(entry.source.path)),
                keys(link.target for link in entry.links if link.target and not (link.embed and is_image(link.target))),
                notes, urls, keys(alias_names(entry)) if entry.extra else (),
                entry.body_format == "markdown" and (".md" in body or ".markdown" in body))


def all_refs(entries: Sequence[Entry], memo: dict | None, vocab, words: bool) -> tuple[dict[str, Refs], dict[str, tuple]]:
    """Every entry's Refs and reading by id; with `memo` (id() -> (entry, refs, reading, vocab)), an
    unchanged entry's are taken from it, and it is left holding the current entries' alone."""
    if memo is None:
        return {e.id: refs_of(e) for e in entries}, dict(zip((e.id for e in entries),
                                                             read_entries(entries, vocab, words=words)))
    found: dict[str, Refs] = {}
    readings: dict[str, tuple] = {}
    fresh: dict[int, tuple[Entry, Refs, tuple, object]] = {}
    unread = [e for e in entries if not ((kept := memo.get(id(e))) is not None and kept[0] is e and kept[3] is vocab)]
    read = {id(e): (refs_of(e), reading) for e, reading in zip(unread, read_entries(unread, vocab, words=words))}
    for entry in entries:
        kept = memo.get(id(entry))
        refs, reading = read[id(entry)] if id(entry) in read else (kept[1], kept[2])
        fresh[id(entry)] = (entry, refs, reading, vocab)
        found[entry.id] = refs
        readings[entry.id] = reading
    shape = memo.get("shape")
    memo.clear()
    memo.update(fresh)  # only current entries: an id() of a freed entry may be reused
    if shape is not None:
        memo["shape"] = shape
    return found, readings


def refs_again(by_id: Mapping[str, Entry], memo: dict, vocab, words: bool, differing: list[tuple]
                ) -> tuple[Mapping[str, Refs], Mapping[str, tuple]]:
    """`all_refs` after an edit that kept the number of entries: only the entries that differ by place
    (`differing`) are read, and the memo changed for them alone; the others' come from it when asked."""
    left = {id(was): memo.pop(id(was)) for _, _, was, _ in differing}  # an entry that only moved takes its own
    unread = []
    for _, entry, _, _ in differing:
        kept = left.get(id(entry))
        if kept is not None and kept[0] is entry:
            memo[id(entry)] = kept
        else:
            unread.append(entry)
    for entry, reading in zip(unread, read_entries(unread, vocab, words=words)):
        memo[id(entry)] = (entry, refs_of(entry), reading, vocab)
    return _Memo(by_id, memo, 1), _Memo(by_id, memo, 2)


class _Memo(Mapping):
    """One part of each entry's memo (its Refs, or its reading), by entry id, looked up when asked."""

    def __init__(self, by_id: Mapping[str, Entry], memo: dict, part: int) -> None:
        self.by_id, self.memo, self.part = by_id, memo, part

    def __getitem__(self, entry_id: str):
        return self.memo[id(self.by_id[entry_id])][self.part]

    def __iter__(self):
        return iter(self.by_id)

    def __len__(self) -> int:
        return len(self.by_id)


def is_image(target: str) -> bool:
    """Whether a wikilink embed names an image (shown as one) rather than a note (shown inline)."""
    return target.rpartition(".")[2].lower() in IMAGE_EXTS if "." in target else False


def file_names(path: str) -> list[str]:
    """A note file's names a wikilink may use: its path and its name, without extension."""
    stem = posixpath.splitext(path)[0]
    return [stem, posixpath.basename(stem)]


def norm_url(url: str) -> str:
    """A URL as a lookup key: no fragment, scheme or trailing slash, case folded."""
    return url.split("#")[0].rstrip("/").removeprefix("https://").removeprefix("http://").casefold()
