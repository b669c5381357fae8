"""Files replaced whole: written under a temporary name beside their place, then renamed over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def replaced(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Yield a file open on a temporary name beside `path`, renamed over `path` when the block succeeds.

    A reader sees the old file or the new one, never half of one; on any failure the temporary
    file is removed (a half-written one would hold on to the last of a full disk).
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, mode, encoding=None if "b" in mode else "utf-8") as file:
            yield file
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
