"""A full disk and unwritable folders: a clear message naming the folder and what to do, no traceback,
the previous site and index whole, and `search` still answering from the index it has.

The full disk is a real one: a small tmpfs mounted for the test (root only; skipped elsewhere).
The unwritable folder is a real one too, written as an ordinary user.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from notebase.build import build
from notebase.cli import cli
from notebase.config import load_config
from notebase.search.engine import search
from unprivileged import give_to_nobody, run_unprivileged, shared_folder

TIP = "notes/tips/git-bisect.md"
WORD = "bisect"


def _notebase() -> list[str]:
    exe = Path(sys.executable).with_name("notebase")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "notebase"]


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@contextlib.contextmanager
def small_disk(size: str = "12m"):
    """A real, small file system of its own (tmpfs), removed afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="notebase-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"mount is not permitted here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def _fill(disk: Path) -> Path:
    """Take every free byte of the disk; return the file that holds them."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 16, 512, 1):  # big blocks, then the last few bytes
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_is_a_clear_message_and_keeps_the_site_and_index(tmp_path):
    with small_disk() as disk:
        root = disk / "kb"
        shutil.copytree(REPO / "notes", root / "notes")
        config = load_config(root)
        build(config)
        expected = [hit.id for hit in search(config, WORD)[0].hits]
        site, index = _tree_digest(root / "site"), _tree_digest(root / ".notebase" / "index")
        note = root / TIP
        note.write_text(note.read_text(encoding="utf-8") + "\n\n디스크가 가득 찼다. A long new paragraph.\n" * 50,
                        encoding="utf-8")
        filler = _fill(disk)

        out = subprocess.run(_notebase() + ["--root", str(root), "build"], capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert "the disk is full" in out.stderr and "free some space" in out.stderr
        assert "the previous site is unchanged" in out.stderr
        assert _tree_digest(root / "site") == site
        assert not (root / ".site.staging").exists()

        found = subprocess.run(_notebase() + ["--root", str(root), "search", WORD, "--json"],
                               capture_output=True, text=True, timeout=300)
        assert found.returncode == 0 and "Traceback" not in found.stderr  # answered from the index it has
        assert [hit.id for hit in search(config, WORD)[0].hits] == expected

        indexed = subprocess.run(_notebase() + ["--root", str(root), "index"], capture_output=True, text=True,
                                 timeout=300)
        assert indexed.returncode == 1 and "Traceback" not in indexed.stderr
        assert "cannot write in .notebase/: the disk is full" in indexed.stderr
        assert "the search index is unchanged" in indexed.stderr
        rebuilt = subprocess.run(_notebase() + ["--root", str(root), "index", "--rebuild"], capture_output=True,
                                 text=True, timeout=300)
        assert rebuilt.returncode == 1 and "the disk is full" in rebuilt.stderr
        assert _tree_digest(root / ".notebase" / "index") == index
        assert list((root / ".notebase").glob("index.new-*")) == []

        filler.unlink()  # space again: everything works as before
        out = subprocess.run(_notebase() + ["--root", str(root), "build"], capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr
        assert "디스크가 가득 찼다" in "".join(p.read_text(encoding="utf-8")
                                         for p in (root / "site" / "tips").rglob("index.html"))


def _build_as_user(root: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", root, "build", *args])
    return result.exit_code, result.output + "".join(
        __import__("traceback").format_exception(result.exception) if result.exception and
        not isinstance(result.exception, SystemExit) else [])


def test_an_unwritable_output_folder_is_a_clear_message(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "warm" / "notes")
    build(load_config(tmp_path / "warm"))  # imports everything the child needs before it loses the right to
    root = shared_folder()
    try:
        shutil.copytree(REPO / "notes", root / "notes")
        give_to_nobody(root)
        code, output = run_unprivileged(_build_as_user, str(root))
        assert code == 0, output
        site = _tree_digest(root / "site")
        note = root / TIP
        note.write_text(note.read_text(encoding="utf-8") + "\n바뀐 문단 changed.\n", encoding="utf-8")
        # A full build stages the new site beside the old one: that folder is not writable. (An
        # incremental one stages in .notebase/ and replaces files inside site/, which it can.)
        root.chmod(0o555)
        code, output = run_unprivileged(_build_as_user, str(root), "--force")
        assert code == 1 and "Traceback" not in output
        assert f"cannot write in {root.resolve()}/: permission denied" in output
        assert f"chmod u+w {root.resolve()}/" in output and "the previous site is unchanged" in output
        assert _tree_digest(root / "site") == site
        root.chmod(0o755)
        (root / ".notebase").chmod(0o555)  # the cache: the lock, the state and the index live there
        code, output = run_unprivileged(_build_as_user, str(root))
        assert code == 1 and "Traceback" not in output
        assert "cannot write in .notebase/: permission denied" in output
        assert _tree_digest(root / "site") == site
    finally:
        for path in [root, *root.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(root)
