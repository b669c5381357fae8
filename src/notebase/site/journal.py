"""The journal an incremental build writes through, so that it never leaves a half site.

Its files, and the cache files that describe the new site (the state, the manifest, the page
history), are staged in `.notebase/journal/`; a plan listing them is written last, by one rename.
Only then are they moved into place. A build killed before the plan exists leaves the old site and
state (the staging is thrown away); one killed after is finished by `roll_forward`, which every
build runs first.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from notebase.config import Config
from notebase.site.engine import STATE
from notebase.site.writer import digest, safe_join

JOURNAL = "journal"
PLAN = "plan.json"


class JournalWriter:
    """Stages one update's files under `.notebase/journal/`; `commit` moves them into the site."""

    def __init__(self, config: Config, digests: dict[str, str]):
        self.output = config.output_path
        self.cache = config.cache_path
        self.folder = config.cache_path / JOURNAL
        self.digests = digests  # path -> content digest of every file in the output folder (updated as staged)
        self.written: dict[str, str] = {}  # this update's files (the pages emitter reads it)
        self.changed: list[str] = []  # files whose content changed or that are new
        self.removed: list[str] = []
        self.cache_files: list[str] = []
        shutil.rmtree(self.folder, ignore_errors=True)  # what a build killed before its plan left
        (self.folder / "files").mkdir(parents=True)

    def write(self, rel: str, data: bytes) -> None:
        """Stage one file unless the site already holds exactly `data`."""
        key = digest(data)
        self.written[rel] = key
        if self.digests.get(rel) == key:
            return
        target = safe_join(self.folder / "files", rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.digests[rel] = key
        if rel in self.removed:
            self.removed.remove(rel)
        self.changed.append(rel)

    def remove(self, rel: str) -> None:
        """Record that a file is no longer produced."""
        safe_join(self.output, rel)  # refused now, not halfway through the move
        self.digests.pop(rel, None)
        self.removed.append(rel)

    def stage_cache(self, name: str) -> Path:
        """Return where to stage a file of the cache folder that describes the new site."""
        (self.folder / "cache").mkdir(exist_ok=True)
        self.cache_files.append(name)
        return self.folder / "cache" / name

    def commit(self) -> None:
        """Write the plan (the moment the update counts as done), then move everything into place."""
        plan = {"write": self.changed, "remove": self.removed, "cache": self.cache_files}
        tmp = self.folder / f"{PLAN}.tmp"
        with open(tmp, "w", encoding="utf-8") as file:
            json.dump(plan, file, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, self.folder / PLAN)
        roll_forward(self.output, self.cache)

    def abort(self) -> None:
        """Throw the staged files away; the site and the state stay as they were."""
        shutil.rmtree(self.folder, ignore_errors=True)


def roll_forward(output: Path, cache: Path) -> bool:
    """Finish an update whose plan was written; throw away one whose plan was not. True if one was finished."""
    folder = cache / JOURNAL
    try:
        plan = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    except FileNotFoundError:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    except (OSError, ValueError):
        # A plan is written whole before it is renamed into place: unreadable means a damaged disk.
        # The site may be half moved: forget the state, so the next build starts from scratch.
        (cache / STATE).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        return False
    for rel in plan["write"]:  # a file moved already is no longer staged: moving again is harmless
        staged = safe_join(folder / "files", rel)
        if staged.exists():
            target = safe_join(output, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for rel in plan["remove"]:
        target = safe_join(output, rel)
        try:
            target.unlink()
            target.parent.rmdir()  # only when left empty
        except OSError:
            pass
    for name in plan["cache"]:
        staged = folder / "cache" / name
        if staged.exists():
            os.replace(staged, cache / name)
    shutil.rmtree(folder, ignore_errors=True)
    return True
