"""A folder notebase must write cannot be written (a full disk, no permission, read-only): one clear message.

Builds and index updates write beside what they replace and swap it in at the end, so when a
write fails the previous site and index are still whole; the message says so, names the folder,
and says what to do, instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from notebase.errors import NotebaseError

FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
DENIED = {errno.EACCES, errno.EPERM}
READ_ONLY = {errno.EROFS}
WRITE_ERRNOS = FULL | DENIED | READ_ONLY


class CannotWrite(NotebaseError):
    """A write failed for a reason the user must fix (disk full, permissions, read-only file system)."""

    def __init__(self, message: str, folder: Path):
        super().__init__(message)
        self.folder = folder


def is_write_error(exc: BaseException) -> bool:
    """Whether `exc` is a failed write the user must fix, not a bug."""
    return isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS


def cannot_write(exc: OSError, root: Path, default: Path, kept: str) -> CannotWrite:
    """The clear message for a failed write: which folder, why, what to do, and that `kept` is unchanged.

    The folder named is the nearest existing one around the path that failed (where a new folder
    could not be made, or a file not written), else `default`.
    """
    folder = _folder(exc, default)
    shown = _display(folder, root)
    if exc.errno in FULL:
        why, todo = "the disk is full", f"free some space on the disk that holds {shown} and run it again"
    elif exc.errno in READ_ONLY:
        why, todo = "the file system is read-only", "build on a writable disk, or set output_dir/cache_dir " \
                                                   "in notebase.yaml to folders on one"
    elif exc.errno in DENIED:
        why, todo = "permission denied", (f"make it writable for you (chmod u+w {shown}), or set output_dir/"
                                          "cache_dir in notebase.yaml to folders you can write")
    else:
        why, todo = exc.strerror or str(exc), "check the disk and the folder's permissions"
    return CannotWrite(f"cannot write in {shown}: {why} — {todo}; {kept}", folder)


@contextlib.contextmanager
def writing(root: Path, default: Path, kept: str) -> Iterator[None]:
    """Turn a failed write inside the block into `cannot_write`'s CannotWrite; other errors pass."""
    try:
        yield
    except OSError as exc:
        if not is_write_error(exc):
            raise
        raise cannot_write(exc, root, default, kept) from None


def _folder(exc: OSError, default: Path) -> Path:
    if not exc.filename:
        return default
    path = Path(os.fsdecode(exc.filename))
    if exc.errno not in DENIED or not path.is_dir():
        path = path.parent  # the folder the file or new folder was to go in
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def _display(folder: Path, root: Path) -> str:
    try:
        rel = folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return f"{folder}/"
    return f"{rel.as_posix()}/" if rel.parts else f"{root.resolve()}/"
