"""Is this a knowledge base? Catch the wrong folder before a command reads or writes anything.

Run in a folder of notes without `notes/`, with `--root notes`, or inside the notes folder of a
knowledge base, a command would otherwise report "0 entries" (or write `site/` among the notes).
"""

from __future__ import annotations

import os
from pathlib import Path

from notebase.config import CONFIG_NAMES, Config, load_config
from notebase.errors import ConfigError, NotebaseError, Problem
from notebase.load.files import NOTE_EXTENSIONS

SCAN_LIMIT = 20_000  # folder entries looked at before deciding a tree has notes: a bound, not a walk


def check_notes_folder(config: Config, need_notes: bool = True) -> None:
    """Raise ConfigError with a hint when the root is not a knowledge base with notes in it.

    Without need_notes (`notebase new`, which writes the first note), only a root inside another
    knowledge base's notes is refused.
    """
    problem = _inside_other(config) or (_notes_problem(config) if need_notes else None)
    if problem is not None:
        raise ConfigError([problem])


def _shown(config: Config) -> str:
    return config.notes_dir.rstrip("/") + "/"


def _notes_problem(config: Config) -> Problem | None:
    notes, root = config.notes_path, config.root
    if notes.is_dir():
        if has_notes(notes, skip={config.output_path, config.cache_path}):
            return None
        return Problem(_shown(config), 0, "the notes folder has no notes",
                       "write one with 'notebase new tip TITLE' (or run 'notebase init' for samples)"
                       + ("" if _has_config(root) else "; if your notes live elsewhere, set notes_dir in notebase.yaml"))
    message = f"no notes folder '{_shown(config)}' here"
    if root.name == config.notes_dir or _looks_like_kb(root.parent):
        return Problem(str(root), 0, message, f"did you mean --root {_relative(root.parent)} ?")
    if has_notes(root, skip={config.output_path, config.cache_path}, depth=1):
        return Problem(str(root), 0, message,
                       "these notes are right here: set notes_dir: . in notebase.yaml, or move them into "
                       f"{_shown(config)}")
    return Problem(str(root), 0, message,
                   "run 'notebase init' to start a knowledge base here, pass --root DIR, or set notes_dir in "
                   "notebase.yaml")


def _inside_other(config: Config) -> Problem | None:
    """The root sits inside the notes folder of a knowledge base further up: its site would land among notes."""
    root = config.root
    if _has_config(root):
        return None
    for parent in list(root.parents)[:8]:
        if not _looks_like_kb(parent):
            continue
        try:
            other = load_config(parent)
        except NotebaseError:
            return None
        if root == other.notes_path or other.notes_path in root.parents:
            return Problem(str(root), 0, f"this folder is inside the notes of the knowledge base in {parent}",
                           f"did you mean --root {_relative(parent)} ?")
        return None
    return None


def _relative(folder: Path) -> str:
    """How to name folder on the command line: `..` when it is above the current folder."""
    try:
        shown = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return shown if set(Path(shown).parts) <= {".."} else str(folder)


def _has_config(folder: Path) -> bool:
    return any((folder / name).is_file() for name in CONFIG_NAMES)


def _looks_like_kb(folder: Path) -> bool:
    return _has_config(folder) or (folder / ".notebase").is_dir()


def has_notes(folder: Path, skip: set[Path] = frozenset(), depth: int = 64) -> bool:
    """True when a note or feed file sits under folder (hidden ones and `skip` aside); stops at the first.

    A tree too large to look through within SCAN_LIMIT entries counts as having notes: loading it decides.
    """
    budget = [SCAN_LIMIT]
    skipped = {str(p) for p in skip}

    def visit(path: str, level: int) -> bool:
        try:
            items = list(os.scandir(path))
        except OSError:
            return False
        budget[0] -= len(items)
        folders = []
        for item in items:
            if item.name.startswith(".") or item.is_symlink():
                continue
            if item.is_dir(follow_symlinks=False):
                if item.path not in skipped:
                    folders.append(item.path)
            elif item.name.lower().endswith(NOTE_EXTENSIONS):
                return True
        if budget[0] <= 0:
            return True
        return level < depth and any(visit(f, level + 1) for f in folders)

    return visit(str(folder), 1)
