"""What a crash (`kill -9`, a power cut) could leave behind, made harmless.

Worker processes die with the process that started them, a lock dies with its holder, and the
next run removes the folders a killed run left half-written.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL = 1.0  # seconds between checks where the kernel cannot tell a worker its parent died


def die_with_parent(parent: int) -> None:
    """Make this worker exit as soon as process `parent` (which started it) is gone.

    A worker of a killed build otherwise waits forever on a pipe that nobody writes to. Linux
    kills it itself (PR_SET_PDEATHSIG); elsewhere a thread watches the parent's pid.
    """
    # Forked from `notebase serve`, which turns SIGTERM into Ctrl-C to save its state first: a worker
    # is stopped by it at once, as any process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    watched_by_kernel = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            watched_by_kernel = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the kernel was asked to watch
        os._exit(1)
    if not watched_by_kernel:
        threading.Thread(target=_watch_parent, args=(parent,), name="notebase-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def worker_pool(workers: int, method: str | None = "fork"):
    """A ProcessPoolExecutor of `workers` processes (started by `method`) that die with this one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a leftover named after a live process is in use)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_leftovers(folder: Path, prefixes: tuple[str, ...]) -> list[str]:
    """Remove `<prefix><pid>` entries of `folder` whose process is gone; return their names."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        prefix = next((p for p in prefixes if name.startswith(p)), None)
        if prefix is None:
            continue
        pid = name[len(prefix):]
        if pid.isdigit() and pid_alive(int(pid)) and int(pid) != os.getpid():
            continue  # a run going on now
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        removed.append(name)
    return removed


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created if need be), waiting for another holder.

    The kernel drops the lock when its holder dies, so a killed run never leaves it taken.
    """
    try:
        import fcntl
    except ImportError:  # no flock here: runs are not kept apart
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                break
            except OSError as exc:
                if exc.errno != errno.EINTR:
                    raise
        yield
    finally:
        os.close(fd)  # closing drops the lock
