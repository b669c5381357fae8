"""What every command module shares: exit codes, the --root option, loading the settings, counting."""

from __future__ import annotations

import functools
from pathlib import Path

import click

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def root_option(command):
    """Let every command take --root too, after its name."""
    @click.option("--root", "sub_root", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Knowledge-base root (default: the current folder).")
    @functools.wraps(command)
    def wrapper(*args, sub_root=None, **kwargs):
        ctx = click.get_current_context()
        if sub_root is not None:
            ctx.obj["root"] = sub_root
        return command(*args, **kwargs)
    return wrapper


def load_settings(need_notes: bool = True):
    """Load the settings and refuse a root that is not a knowledge base (a hint says which root is)."""
    from notebase.config import load_config
    from notebase.load.folders import check_notes_folder

    config = load_config(click.get_current_context().obj["root"])
    check_notes_folder(config, need_notes)
    return config


def count(n: int, word: str, plural: str | None = None) -> str:
    """Return '1 entry', '2 entries', '0 errors': a number and its noun, singular only for one."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
