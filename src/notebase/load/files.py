"""Find note files and stamp them: fast, and light to import (a search checks freshness with it)."""

from __future__ import annotations

import bisect
import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from notebase import __version__
from notebase.config import Config
from notebase.errors import Problem
from notebase.load.readers.text import name_problem, shown_path
from notebase.load.sandbox import Refused, folder_problem, not_a_file, refused_problem, resolve_inside

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
FEED_EXTENSIONS = (".xml", ".rss", ".atom")
NOTE_EXTENSIONS = MARKDOWN_EXTENSIONS + FEED_EXTENSIONS
Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class Tree:
    """What one walk of the notes folder found."""

    notes: tuple[tuple[str, str], ...]  # (relative posix path, path) of every note and feed file
    files: tuple[tuple[str, str], ...]  # the same for every file (images too), excluded notes included
    problems: tuple[Problem, ...]  # folders that cannot be read, links that were not followed


def scan(config: Config) -> Tree:
    """Walk the notes folder: a folder's files before its subfolders', each in name order.

    Hidden files and folders, the output and cache folders and `exclude` patterns are skipped. A
    link is followed only when it leads inside the notes folder (`sandbox.resolve_inside`), once
    the tree without links is walked: a note reached twice is listed once, and a link to a folder
    walked already lists that folder's files under its own name without walking it again, so no
    link loops. A folder that cannot be read and a link not followed are problems.
    """
    root = str(config.notes_path)
    skip = {str(config.output_path), str(config.cache_path)}
    # Obsidian and Templater keep note templates in the vault: `{{date}}` placeholders, never notes.
    template_names = {name.strip("/").lower() for name in config.templates}
    excluded = excluder(config)
    notes: list[tuple[str, str]] = []
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    folders: dict[str, str] = {}  # real path of every folder walked -> its notes-relative prefix
    note_files: set[str] = set()  # real paths of the notes listed
    links: list[tuple[str, str]] = []  # (rel, path), followed once the tree without them is walked
    aliases: list[tuple[str, str, str]] = []  # (rel, path) of a link to a folder walked already, its prefix

    def add(rel: str, path: str, real: str) -> None:
        shown = shown_path(rel)  # a name that is not UTF-8 could go in no page, JSON or index
        if shown != rel:
            problems.append(name_problem(rel, shown))
            rel = shown
        files.append((rel, path))
        if not rel.lower().endswith(NOTE_EXTENSIONS) or real in note_files:
            return
        if excluded is not None and excluded(rel):
            return
        note_files.add(real)
        notes.append((rel, path))

    def visit(top: str, top_prefix: str, top_real: str) -> None:
        stack = [(top, top_prefix, top_real)]  # a stack, not recursion: folders may nest thousands deep
        while stack:
            folder, prefix, real = stack.pop()
            folders[real] = prefix
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                if prefix or exc.errno != errno.ENOENT:  # a missing notes folder is the CLI's to say
                    problems.append(folder_problem(prefix or config.notes_dir, exc))
                continue
            subfolders = []
            linked = folder != real  # reached through a link: real paths differ from the ones walked
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_symlink():
                    links.append((prefix + name, entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.path not in skip and name.lower() not in template_names \
                            and (prefix + name).lower() not in template_names:
                        subfolders.append((entry.path, prefix + name + "/",
                                           os.path.join(real, name) if linked else entry.path))
                elif entry.is_file(follow_symlinks=False):
                    add(prefix + name, entry.path, os.path.join(real, name) if linked else entry.path)
                elif name.lower().endswith(NOTE_EXTENSIONS):  # a pipe would hang the read
                    problems.append(refused_problem(prefix + name, not_a_file(entry.path)))
            stack.extend(reversed(subfolders))

    visit(root, "", root)
    for rel, path in links:  # grows while linked folders are walked
        try:
            real = resolve_inside(root, path)
            st = os.stat(real)
        except OSError as exc:
            problems.append(refused_problem(rel, exc))
            continue
        if any(real == s or real.startswith(s + os.sep) for s in skip):
            continue  # the site or the cache: not notes
        if stat.S_ISDIR(st.st_mode):
            if real in folders:
                aliases.append((rel + "/", path, folders[real]))
            else:
                visit(path, rel + "/", real)
        elif stat.S_ISREG(st.st_mode):
            add(rel, path, real)
        else:
            problems.append(refused_problem(rel, not_a_file(path)))
    if aliases:
        files += _aliased(files, aliases, problems)
    return Tree(tuple(notes), tuple(files), tuple(problems))


ALIASED_FILES = 50_000  # files listed through links to folders walked already, at most


def _aliased(files: list[tuple[str, str]], aliases: list[tuple[str, str, str]],
             problems: list[Problem]) -> list[tuple[str, str]]:
    """List the files of each linked folder under the link's name too (an image is found either way)."""
    ordered = sorted(files)  # the files under one prefix are then one run, found by bisection
    found: list[tuple[str, str]] = []
    for rel, path, prefix in aliases:
        at = bisect.bisect_left(ordered, (prefix, ""))
        while at < len(ordered) and ordered[at][0].startswith(prefix):
            if len(found) >= ALIASED_FILES:
                problems.append(refused_problem(rel, Refused(path, "too many files through linked folders")))
                return found
            rest = ordered[at][0][len(prefix):]
            found.append((rel + rest, os.path.join(path, *rest.split("/"))))
            at += 1
    return found


def walk(config: Config) -> list[tuple[str, str]]:
    """Return (relative posix path, path) of every note and feed file, as `scan` finds them."""
    return list(scan(config).notes)


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
    path = str(path)
    if not path.lower().endswith(FEED_EXTENSIONS):  # most sources: one stat (a search stamps them all)
        return (st.st_size, st.st_mtime_ns, 0)
    base = os.path.splitext(path)[0]
    for sidecar in (base + ".yaml", base + ".yml"):
        try:
            return (st.st_size, st.st_mtime_ns, os.stat(sidecar).st_mtime_ns)
        except OSError:
            continue
    return (st.st_size, st.st_mtime_ns, 0)


def fingerprint(config: Config, salt: str = "") -> str:
    """Return `salt:` and a digest of everything besides the files that changes how notes load."""
    settings = [__version__, salt, config.notes_dir, config.max_file_size, list(config.exclude),
                list(config.templates), gitignore_lines(config), json.dumps(config.feeds, sort_keys=True, default=str)]
    return f"{salt}:" + hashlib.blake2b(json.dumps(settings).encode(), digest_size=12).hexdigest()
