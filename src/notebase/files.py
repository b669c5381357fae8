"""Find note files and stamp them: fast, and light to import (a search checks freshness with it)."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from pathlib import Path

from notebase import __version__
from notebase.config import Config

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
FEED_EXTENSIONS = (".xml", ".rss", ".atom")
NOTE_EXTENSIONS = MARKDOWN_EXTENSIONS + FEED_EXTENSIONS
Stamp = tuple[int, int, int]


def walk(config: Config) -> list[tuple[str, str]]:
    """Return (relative posix path, absolute path) of every note and feed file, links never followed.

    A folder's files come before its subfolders', each in name order; hidden files and folders,
    the output and cache folders and `exclude` patterns are skipped.
    """
    root = str(config.notes_path)
    skip = {str(config.output_path), str(config.cache_path)}
    # Obsidian and Templater keep note templates in the vault: `{{date}}` placeholders, never notes.
    template_names = {name.strip("/").lower() for name in config.templates}
    found: list[tuple[str, str]] = []

    def visit(folder: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.path not in skip and (prefix + name).lower() not in template_names \
                        and name.lower() not in template_names:
                    subfolders.append(entry)
                continue
            if not name.lower().endswith(NOTE_EXTENSIONS):
                continue
            rel = prefix + name
            if config.exclude and any(fnmatch.fnmatch(rel, pattern) for pattern in config.exclude):
                continue
            found.append((rel, entry.path))
        for entry in subfolders:
            visit(entry.path, prefix + entry.name + "/")

    visit(root, "")
    return found


def discover(config: Config) -> list[Path]:
    """Return the note and feed files under the notes folder, in `walk` order."""
    return [Path(path) for _, path in walk(config)]


def stamp(path: str | Path) -> Stamp:
    """Return what changes when a source changes: size and mtime, and a feed's sidecar mtime."""
    st = os.stat(path)
    side = 0
    base, ext = os.path.splitext(str(path))
    if ext.lower() in FEED_EXTENSIONS:
        for sidecar in (base + ".yaml", base + ".yml"):
            try:
                side = os.stat(sidecar).st_mtime_ns
                break
            except OSError:
                continue
    return (st.st_size, st.st_mtime_ns, side)


def fingerprint(config: Config, salt: str = "") -> str:
    """Return `salt:` and a digest of everything besides the files that changes how notes load."""
    settings = [__version__, salt, config.notes_dir, config.max_file_size, list(config.exclude),
                list(config.templates), json.dumps(config.feeds, sort_keys=True, default=str)]
    return f"{salt}:" + hashlib.blake2b(json.dumps(settings).encode(), digest_size=12).hexdigest()
