"""Read under the notes folder only: every path resolved, every link followed, refused if it leads outside.

Notes, images, embeds, feeds and their settings files are untrusted, and so are the links among
them: git keeps committed symlinks, so `notes/leak.png -> /etc/passwd` built in CI would publish
the runner's secrets. Every file under the notes folder is read through `read_inside`, and the
walk follows a link only after `resolve_inside` said where it leads. Links that stay inside the
notes folder are followed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from notebase.errors import Problem, Severity

LINK_HINT = "move the file into the notes folder, or put a copy there instead of the link"


class Refused(OSError):
    """A path under the notes folder that is not read: a link leading outside or looping, or not a file."""

    def __init__(self, path: str | os.PathLike, reason: str, hint: str = LINK_HINT):
        super().__init__(errno.EACCES, reason, os.fspath(path))
        self.hint = hint


def not_a_file(path: str | os.PathLike) -> Refused:
    """The refusal of a pipe, socket or device: reading one would hang or never end."""
    return Refused(path, "not a regular file (a pipe, socket or device)", "replace it by a file")


def resolve_inside(root: str | os.PathLike, path: str | os.PathLike) -> str:
    """Return the real path of `path`, every link followed, when it lies inside the resolved folder `root`.

    Raise `Refused` when it leads outside `root` or loops, and OSError when it does not exist.
    """
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(path, "the link loops back on itself") from None
        raise
    top = os.fspath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise Refused(path, f"a link to '{real}', outside the notes folder")
    return real


def read_inside(root: str | os.PathLike, path: str | os.PathLike) -> bytes:
    """Read the regular file `path` under `root`, never through a link that leads outside it.

    FIFOs and devices are refused too: reading one would hang or never end.
    """
    fd = _open_without_links(root, path)
    if fd is None:  # a link on the way: resolve it, and read only if it stays inside
        real = resolve_inside(root, path)
        try:
            fd = os.open(real, _FILE_FLAGS)  # O_NOFOLLOW: a link swapped in since resolving is not followed
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise Refused(path, "the file became a link while it was read") from None
            raise
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise not_a_file(path)
        return f.read()


_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_without_links(root: str | os.PathLike, path: str | os.PathLike) -> int | None:
    """Open `path` folder by folder from `root`, following no link; None when a link is on the way.

    The common case, a plain file in plain folders, costs one open per level instead of resolving
    every component of the absolute path, and no link can be slipped in between the steps.
    """
    if not hasattr(os, "O_NOFOLLOW") or os.open not in os.supports_dir_fd:
        return None
    top, full = os.fspath(root).rstrip(os.sep) + os.sep, os.fspath(path)
    if not full.startswith(top):
        return None
    parts = full[len(top):].split(os.sep)
    if "" in parts or "." in parts or ".." in parts:
        return None
    fd = os.open(os.fspath(root), _DIR_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
    try:
        for part in parts[:-1]:
            step = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = step
        return os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            return None  # a link (or a file where a folder was expected): the careful path decides
        raise
    finally:
        os.close(fd)


def refused_problem(rel: str, exc: OSError) -> Problem:
    """The problem for a path under the notes folder that was not read (a `Refused` one, or a dangling link).

    Reported once per path, however many notes show it.
    """
    if isinstance(exc, Refused):
        reason, hint = exc.strerror, exc.hint
    else:
        reason, hint = f"a link to nothing ({exc.strerror})", "fix or delete the link"
    # A warning: the rest of the site is complete and correct, and whether a link belongs there is
    # the writer's call; --strict (as in CI) turns it into a failure.
    return Problem(rel, 0, f"{reason}; not read", hint, Severity.WARNING, once=f"refused:{rel}")


def folder_problem(rel: str, exc: OSError) -> Problem:
    """The problem for a folder under the notes folder that cannot be read: its notes are missing."""
    return Problem(rel.rstrip("/") + "/", 0, f"cannot read folder: {exc.strerror or exc}",
                   "check its permissions (it needs r and x for the user building, e.g. chmod u+rx)",
                   once=f"folder:{rel}")


def is_inside(root: Path, path: Path) -> bool:
    """Whether the resolved `path` is `root` or lies under it (both resolved)."""
    return path == root or root in path.parents
