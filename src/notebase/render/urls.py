"""Where every page lives and how pages link to each other: the one helper for all site URLs.

A *site path* names a page relative to the site root: "" is home, "papers/simclr/" a folder page
(written as its index.html), "feed.xml" a file. Pages link to each other with relative hrefs, so
the same build works at "/", under a sub-path such as "/notes/", and opened from disk; only feeds,
the sitemap and 404.html (served at any depth) need absolute URLs, which come from `base_url`.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from notebase.model import EntryType

TYPE_DIRS = {EntryType.PAPER: "papers", EntryType.CONFERENCE: "conferences", EntryType.TIP: "tips"}
RESERVED = frozenset({"page"})  # folder names a listing's pagination uses beside entry folders
_SAFE = "/-_.~!$&'()*+,;=:@"  # what may stay unescaped in a path; Hangul is percent-encoded


def entry_path(entry_id: str, entry_type: EntryType) -> str:
    """Return the site path of an entry's page, e.g. 'papers/simclr/'."""
    name = f"{entry_id}-entry" if entry_id in RESERVED else entry_id
    return f"{TYPE_DIRS[entry_type]}/{name}/"


def type_path(entry_type: EntryType) -> str:
    """Return the site path of the page listing one type of entry."""
    return f"{TYPE_DIRS[entry_type]}/"


def tag_path(slug: str) -> str:
    """Return the site path of one tag's page, from the tag's slug."""
    return f"tags/{slug}/"


def topic_path(key: str) -> str:
    """Return the site path of one concept topic's page, from the topic's key."""
    return f"topics/{key}-topic/" if key in RESERVED else f"topics/{key}/"


def folder_path(slugs: list[str]) -> str:
    """Return the site path of one folder's page, from the slugs of its path's parts."""
    return "folders/" + "".join(f"{s}-folder/" if s in RESERVED else f"{s}/" for s in slugs)


PAPER_INDEX = "paper-index/"  # every paper summarised, once, with its summaries


def year_path(year: int) -> str:
    """Return the site path of a year's archive page."""
    return f"archive/{year:04d}/"


def month_path(year: int, month: int) -> str:
    """Return the site path of a month's archive page."""
    return f"archive/{year:04d}/{month:02d}/"


def page_path(path: str, number: int) -> str:
    """Return the site path of page `number` (1-based) of a paginated listing at `path`."""
    return path if number <= 1 else f"{path}page/{number}/"


def output_file(path: str) -> str:
    """Return the file a site path is written to, relative to the output folder."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def page_of(rel: str) -> str:
    """Return the site path a written file is reached at (the inverse of `output_file`)."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def relative(from_path: str, to_path: str) -> str:
    """Return an href from the page at `from_path` to `to_path`, percent-encoded, never absolute."""
    # Site paths are already normal (no '.', '..' or '//'), so the common folders are found by
    # comparing parts: posixpath.relpath would make both absolute first. Pages make hundreds of
    # thousands of links, most to the same few pages (tags, topics, listings): their split and quoted
    # paths are kept, a few thousand of them (a cache of every page's cost tens of MB per process).
    here = _folders(from_path)
    target = _parts(to_path)
    shared, most = 0, min(len(here), len(target) - 1)
    while shared < most and here[shared] == target[shared]:
        shared += 1
    return "../" * (len(here) - shared) + _tail(to_path, shared) or "./"


@lru_cache(maxsize=1024)
def _folders(path: str) -> tuple[str, ...]:
    return _parts(path)[:-1]


@lru_cache(maxsize=8192)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(output_file(path).split("/"))


@lru_cache(maxsize=8192)
def _tail(path: str, shared: int) -> str:
    """The quoted part of `path` after its first `shared` folders (a folder page's index.html left off)."""
    tail = "/".join(_parts(path)[shared:])
    if path == "" or path.endswith("/"):
        tail = tail[: -len("index.html")]
    return quote(tail, safe=_SAFE)


def root_prefix(from_path: str) -> str:
    """Return the relative prefix from a page to the site root: '', '../', '../../'..."""
    depth = output_file(from_path).count("/")
    return "../" * depth


def absolute(base_url: str, to_path: str) -> str:
    """Return a URL for `to_path` under `base_url` ('/', '/notes/' or 'https://host/notes/')."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + quote(to_path, safe=_SAFE)
