"""Readable, safe slugs that keep Hangul."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w\uac00-\ud7a3]+")
_DASHES = re.compile(r"-{2,}")
# File names are limited to 255 bytes, not characters: a slug of 4-byte characters at 80
# characters would be 320. This cap leaves room for a qualifier ("-2", "-2024-05-01", "-name",
# "-entry") and an extension on the same path component.
MAX_SLUG_BYTES = 150


def _cut(text: str, cut: str) -> str:
    """Shorten text to its prefix cut, at the last '-' when that keeps more than half of it."""
    return cut[: cut.rfind("-")] if cut.rfind("-") > len(cut) // 2 else cut


def slugify(text: str, limit: int = 80, max_bytes: int = MAX_SLUG_BYTES) -> str:
    """Return a lowercase slug of letters, digits and Hangul joined by '-', never a path.

    At most `limit` characters and `max_bytes` bytes of UTF-8.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _UNSAFE.sub("-", text.replace("_", "-")).strip("-")
    text = _DASHES.sub("-", text)
    if len(text) > limit:
        text = _cut(text, text[:limit])
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        text = _cut(text, text.encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", "ignore"))
    return text.strip("-") or "note"


# Exporters append a page id to file names (Notion: "Meeting notes 1d7a1aefbff0b690.md"): noise in a URL.
_HASH_TAIL = re.compile(r"[ _-](?=[0-9a-f]{0,31}[0-9])(?=[0-9a-f]{0,31}[a-f])[0-9a-f]{16,32}$")
# Hugo and GitBook name a folder's page index.md, _index.md or README.md: the folder names the page.
FOLDER_PAGES = frozenset({"index", "_index", "readme"})
FILE_SLUG_BYTES = 70  # a file's part of an id; an item's key gets the rest of MAX_SLUG_BYTES
ITEM_SLUG_BYTES = 79


def strip_hash(stem: str) -> str:
    """Return a file name without the page id an exporter appended (`Notes 1d7a1aefbff0b690` -> `Notes`)."""
    return _HASH_TAIL.sub("", stem) or stem


def file_parts(path: str) -> list[str]:
    """Return a note's path as the names its URL may use: folders, then its stem (no extension, no export hash).

    A folder page (`index.md`, `_index.md`, `README.md`) is named by its folder alone.
    """
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    stem = parts.pop() if parts else ""
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = strip_hash(stem)
    if stem.casefold() in FOLDER_PAGES and parts:
        stem = parts.pop()
    return [*parts, stem]


def file_slug(path: str) -> str:
    """Return the slug a note's page takes from its file: `papers/SimCLR 정리.md` -> `simclr-정리`."""
    return slugify(file_parts(path)[-1], max_bytes=FILE_SLUG_BYTES)


def file_slug_alternatives(path: str, depth: int = 3) -> list[str]:
    """Return longer slugs for a note whose file name another note shares: its folders joined in, nearest first."""
    parts = file_parts(path)
    found = []
    for n in range(2, min(depth, len(parts)) + 1):
        # The nearer names matter most: cap the folders' share, not the file's.
        folders = slugify("-".join(parts[-n:-1]), max_bytes=MAX_SLUG_BYTES - FILE_SLUG_BYTES - 1)
        found.append(f"{folders}-{file_slug(path)}")
    return found


def item_key(is_feed: bool, url: str | None, title: str | None, guid: str | None) -> str:
    """Return what names an item in its file's URL: a feed item's link (it outlives the title), else its title."""
    if is_feed:
        return url_key(url or "") or title or guid or "item"
    return title or "item"


def item_slug(path: str, key: str, limit: int = 40) -> str:
    """Return the slug of one item of a log, digest or feed: its file's slug and the item's own key.

    The key is kept short (`limit` characters); a longer one tells items apart whose keys start alike.
    """
    return f"{file_slug(path)}-{slugify(key, limit=limit, max_bytes=ITEM_SLUG_BYTES)}"


def url_key(url: str) -> str:
    """Return the readable last part of a link (`https://blog/posts/simclr-review/` -> `simclr-review`), or ''.

    A query names the page too when there is one (`view.php?id=5` -> `view id=5`): blogs that
    number their posts link every one to the same path.
    """
    path, _, query = url.split("#", 1)[0].partition("?")
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    last = next((p for p in reversed(path.split("/")) if p), "")
    last = last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php", ".aspx", ".jsp", ".asp")) else last
    last = "" if last.casefold() in FOLDER_PAGES else last
    return f"{last} {query[:60]}".strip()


def first_free(base: str, taken, counters: dict, key=None) -> str:
    """Return `base`, else the first of `base-2`, `base-3`… that is not `taken`.

    `counters` remembers, per `key` (the base by default), the number to try next, so a thousand
    equal bases count up once in all rather than each from 2 (quadratic).
    """
    key = base if key is None else key
    n = counters.get(key, 2)
    name = base
    if taken(name):
        name = f"{base}-{n}"
        while taken(name):
            n += 1
            name = f"{base}-{n}"
        counters[key] = n + 1
    return name
