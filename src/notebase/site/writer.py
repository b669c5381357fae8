"""Write the site under one root, atomically, never outside it, and never rewrite an unchanged file.

A build writes into a staging folder beside the output folder. A file whose content digest is
the same as in the last build is hard-linked from the old site instead of written, so it keeps its
inode and mtime (deploy tools and browsers see it unchanged). When every file is in place the
staging folder is swapped with the old site in one `renameat2(RENAME_EXCHANGE)` where Linux offers
it, else two renames; a failed or interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
from pathlib import Path
from notebase.atomic import replaced

MANIFEST = "site-manifest.json"


class UnsafePath(ValueError):
    """A path from content that would land outside the output folder."""


def safe_join(root: Path, rel: str) -> Path:
    """Join a site-relative posix path under root; raise UnsafePath if it could escape root."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/"):
        raise UnsafePath(f"unsafe output path {rel!r}")
    parts = rel.split("/")
    if any(part in ("..", ".", "") for part in parts) or ":" in parts[0]:
        raise UnsafePath(f"unsafe output path {rel!r}")
    return root.joinpath(*parts)


def digest(data: bytes) -> str:
    """Return the content digest the manifest keeps for a file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Writer:
    """Stages one build's files and swaps them in; safe to use from forked worker processes."""

    def __init__(self, output: Path, cache: Path):
        self.output = output
        self.staging = output.with_name(f".{output.name}.staging")
        self.manifest_path = cache / MANIFEST
        self.previous = read_manifest(self.manifest_path)
        self.written: dict[str, str] = {}  # path -> digest, for this process's files
        self.rewritten = 0  # files whose content changed or is new

    def start(self) -> None:
        """Clear what an interrupted build left behind and make an empty staging folder."""
        tidy_output(self.output)
        self.staging.mkdir(parents=True)

    def write(self, rel: str, data: bytes) -> None:
        """Stage one file; link the old one instead when its content is unchanged."""
        target = safe_join(self.staging, rel)
        key = digest(data)
        self.written[rel] = key
        if self.previous.get(rel) == key and self._link(rel, target):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.rewritten += 1

    def copy(self, rel: str, source: Path) -> None:
        """Stage a copy of a theme file (a static asset), linked when unchanged; notes go through sandbox."""
        data = source.read_bytes()
        self.write(rel, data)

    def _link(self, rel: str, target: Path) -> bool:
        old = safe_join(self.output, rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, target)
            return True
        except OSError:
            return False

    def merge(self, written: dict[str, str], rewritten: int) -> None:
        """Take in what a worker process staged."""
        self.written.update(written)
        self.rewritten += rewritten

    def commit(self) -> None:
        """Swap the staged site in for the old one and record the manifest."""
        # The manifest is written first: on a full disk that fails with the old site still in place.
        manifest = stage_manifest(self.manifest_path, self.written)
        try:
            self._swap()
        except BaseException:
            manifest.unlink(missing_ok=True)
            raise
        os.replace(manifest, self.manifest_path)

    def _swap(self) -> None:
        if self.output.exists():
            if not exchange(self.staging, self.output):
                old = self.output.with_name(f".{self.output.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                os.rename(self.output, old)
                os.rename(self.staging, self.output)
                shutil.rmtree(old, ignore_errors=True)
            else:
                shutil.rmtree(self.staging, ignore_errors=True)  # the old site, now staged
        else:
            os.rename(self.staging, self.output)

    def abort(self) -> None:
        """Throw the staged files away; the old site stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


def tidy_output(output: Path) -> None:
    """Remove the staging and old folders a killed build left beside the output folder.

    Only while no other build runs (`build` holds its lock): they are that build's otherwise.
    """
    for name in (f".{output.name}.staging", f".{output.name}.old"):
        shutil.rmtree(output.with_name(name), ignore_errors=True)


def read_manifest(path: Path) -> dict[str, str]:
    """Return the digests the last build (or live update) recorded for every site file, or {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_json(path: Path, data) -> None:
    """Write `data` as JSON to `path` atomically: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replaced(path, "w") as file:
        # dumps, not dump: dump streams through json's pure-Python encoder, five times slower
        # (the page history of 10,000 notes took a quarter of a second).
        file.write(json.dumps(data, ensure_ascii=False))


def write_manifest(path: Path, digests: dict[str, str]) -> None:
    """Record every site file's digest, replacing the file atomically."""
    os.replace(stage_manifest(path, digests), path)


def stage_manifest(path: Path, digests: dict[str, str]) -> Path:
    """Write the digests beside the manifest `path`; return that file, which a rename then puts in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(digests, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    except OSError:
        tmp.unlink(missing_ok=True)  # a half-written file would hold on to the last of a full disk
        raise
    return tmp


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
