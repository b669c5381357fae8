"""When a note was first committed: the date of an undated note in a git work tree, from one `git log`."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

GIT_TIMEOUT = 60  # seconds: a huge history is still one call; past this the modification time stands


def first_commit_dates(folder: Path) -> dict[str, dt.date]:
    """Return the day each file under folder was first committed, by folder-relative posix path.

    One `git log` for the whole tree, newest first, so the last date seen for a path is its oldest
    (as Quartz orders front matter, then git, then the file system). Outside a work tree, without
    git, or when git fails, the answer is empty and modification times stand.
    """
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "-c", "core.quotepath=off", "log", "--relative", "--no-renames",
             "--diff-filter=A", "--name-only", "--format=%x00%ct", "--", "."],
            capture_output=True, timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    dates: dict[str, dt.date] = {}
    when = None
    for line in done.stdout.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("\0"):
            try:
                when = dt.date.fromtimestamp(int(line[1:]))
            except (ValueError, OverflowError, OSError):
                when = None
        elif line and when is not None:
            dates[line] = when
    return dates
