"""Run a function as an ordinary user, for tests of permissions that root would walk past.

As root, the function runs in a forked child that drops to uid/gid 65534 (nobody): forked, not
started anew, because the interpreter may live where nobody cannot read it (/root/.pyenv), and
everything the function needs is imported already. As another user it runs in a forked child too.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import tempfile
import time
import traceback
from pathlib import Path

import pytest

NOBODY = 65534


def shared_folder() -> Path:
    """A new folder every user can enter (pytest's own tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="notebase-perm-", dir="/tmp"))
    folder.chmod(0o755)
    return folder


def give_to_nobody(folder: Path) -> None:
    """Hand a tree to the unprivileged user, so it may write there as its owner."""
    if os.geteuid() != 0:
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)


def run_unprivileged(fn, *args, timeout: float = 120):
    """Return fn(*args) run in a forked child as an ordinary user; skip when that is impossible."""
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read)
            try:
                if os.geteuid() == 0:
                    os.setgroups([])
                    os.setgid(NOBODY)
                    os.setuid(NOBODY)
            except OSError as exc:
                result = ("skip", f"cannot drop to uid {NOBODY}: {exc}")
            else:
                result = ("ok", fn(*args))
        except BaseException:  # noqa: BLE001 - sent to the parent
            result = ("error", traceback.format_exc())
        try:
            data = pickle.dumps(result)
            with open(write, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    os.close(write)
    chunks, deadline = [], time.monotonic() + timeout
    with open(read, "rb") as source:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([source], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError("the unprivileged run hung")
            chunk = source.read1(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "skip":
        pytest.skip(value)
    if kind == "error":
        raise AssertionError("in the unprivileged child:\n" + value)
    return value
