"""Find note files and stamp them: fast, and light to import (a search checks freshness with it)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
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
    the output and cache folders, `exclude` patterns and the root's `.gitignore` are skipped.
    """
    root = str(config.notes_path)
    skip = {str(config.output_path), str(config.cache_path)}
    excluded = excluder(config)
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
                if entry.path not in skip:
                    subfolders.append(entry)
                continue
            if not name.lower().endswith(NOTE_EXTENSIONS):
                continue
            rel = prefix + name
            if excluded is not None and excluded(rel):
                continue
            found.append((rel, entry.path))
        for entry in subfolders:
            visit(entry.path, prefix + entry.name + "/")

    visit(root, "")
    return found


def gitignore_lines(config: Config) -> list[str]:
    """Return the lines of the root's .gitignore, or [] when there is none."""
    try:
        return (config.root / ".gitignore").read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []


def excluder(config: Config) -> Callable[[str], bool] | None:
    """Return a test of notes-relative paths against `exclude` and the root's .gitignore, or None if neither.

    Both follow .gitignore rules (pathspec's GitIgnoreSpec): `private` skips `private/` at any depth,
    `/top.md` only at the top, `!keep.md` takes a file back. `exclude` is relative to the notes
    folder; the .gitignore to the root, as git reads it.
    """
    ignored = gitignore_lines(config)
    if not config.exclude and not ignored:
        return None
    import pathspec

    own = pathspec.GitIgnoreSpec.from_lines(config.exclude) if config.exclude else None
    repo = pathspec.GitIgnoreSpec.from_lines(ignored) if ignored else None
    try:
        prefix = config.notes_path.relative_to(config.root.resolve()).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
    except ValueError:
        prefix = ""

    def excluded(rel: str) -> bool:
        return bool((own is not None and own.match_file(rel)) or (repo is not None and repo.match_file(prefix + rel)))

    return excluded


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
    settings = [__version__, salt, config.notes_dir, config.max_file_size, list(config.exclude), gitignore_lines(config),
                json.dumps(config.feeds, sort_keys=True, default=str)]
    return f"{salt}:" + hashlib.blake2b(json.dumps(settings).encode(), digest_size=12).hexdigest()
