"""Crashes leave nothing behind: `kill -9` of a real build or index rebuild leaves no worker alive,
the next run removes what the killed one left half-written, and searches during `index --rebuild`
are answered from the old index.

The knowledge base comes from bench/generate.py, large enough (PARALLEL_THRESHOLD notes) that the
build and the index start worker processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from notebase.build import build
from notebase.config import load_config
from notebase.crash import die_with_parent
from notebase.load.loader import PARALLEL_THRESHOLD

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
NOTES = PARALLEL_THRESHOLD + 50


def _notebase() -> list[str]:
    exe = Path(sys.executable).with_name("notebase")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "notebase"]


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        state, _, group = text[text.rindex(")") + 2:].split()[:3]
        if int(group) == pgid and state not in ("Z", "X"):
            found.append(int(name))
    return found


def _wait_for(condition, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _kill_when(root: Path, args: list[str], ready) -> int:
    """Start `notebase args` in a process group of its own, SIGKILL it (it alone) once `ready(pid)`."""
    process = subprocess.Popen(_notebase() + ["--root", str(root), *args], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: ready(process.pid) or process.poll() is not None), "never got there"
        assert process.poll() is None, "it finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.pid


def _no_survivors(pgid: int) -> None:
    # Workers notice within a moment (the kernel signals them); a generous hard time-out, no timing.
    if not _wait_for(lambda: not _group(pgid), 30):
        survivors = _group(pgid)
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"workers outlived the killed process: {survivors}")


def _has_workers(pid: int) -> bool:
    return len(_group(pid)) > 1


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    generate(root, NOTES)
    return root


def test_kill_9_of_a_build_leaves_no_worker_and_the_next_build_cleans_up(kb):
    staging = kb / ".site.staging"
    pgid = _kill_when(kb, ["build"], lambda pid: staging.is_dir() and _has_workers(pid))
    _no_survivors(pgid)
    assert staging.is_dir()  # what the killed build left
    out = subprocess.run(_notebase() + ["--root", str(kb), "build"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert not staging.exists() and (kb / "site" / "index.html").is_file()
    found = subprocess.run(_notebase() + ["--root", str(kb), "search", "학습", "--json"],
                           capture_output=True, text=True, timeout=300)
    assert found.returncode == 0 and found.stdout.startswith("[")


def test_kill_9_of_an_index_rebuild_leaves_no_worker_and_no_half_index(kb):
    cache = kb / ".notebase"
    if not (cache / "index").is_dir():
        build(load_config(kb))
    pgid = _kill_when(kb, ["index", "--rebuild"], _has_workers)
    _no_survivors(pgid)
    pgid = _kill_when(kb, ["index", "--rebuild"], lambda pid: any(cache.glob("index.new-*")))
    _no_survivors(pgid)
    assert [p.name for p in cache.glob("index.new-*")] == [f"index.new-{pgid}"]
    out = subprocess.run(_notebase() + ["--root", str(kb), "index"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert list(cache.glob("index.new-*")) == [] and list(cache.glob("index.old-*")) == []
    assert "up to date" in out.stderr  # the old index was whole all along


def test_searches_during_index_rebuild_use_the_old_index(kb):
    from notebase.search.engine import search

    config = load_config(kb)
    if not (kb / ".notebase" / "index").is_dir():
        build(config)
    expected = [hit.id for hit in search(config, "학습 모델")[0].hits]
    assert expected
    rebuild = subprocess.Popen(_notebase() + ["--root", str(kb), "index", "--rebuild"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    answered = 0
    try:
        while rebuild.poll() is None:
            results, report = search(config, "학습 모델")
            assert report is None  # answered from an index as it was: nothing rebuilt by the search
            assert [hit.id for hit in results.hits] == expected
            answered += 1
    finally:
        _, err = rebuild.communicate(timeout=600)
    assert rebuild.returncode == 0 and "from scratch, as asked" in err
    assert answered > 0
    assert [hit.id for hit in search(config, "학습 모델")[0].hits] == expected


def test_leftovers_of_killed_runs_go_and_those_of_running_ones_stay(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("---\ntitle: 남은 것 leftovers\n---\n", encoding="utf-8")
    config = load_config(tmp_path)
    build(config)
    dead = subprocess.Popen(["true"])
    dead.wait()
    for name in (f"index.new-{dead.pid}", f"index.old-{dead.pid}", f"index.new-{os.getppid()}"):
        (tmp_path / ".notebase" / name).mkdir()
    (tmp_path / ".site.staging" / "x").mkdir(parents=True)
    report = build(config)  # nothing changed: the build stops early, and still tidies
    assert report.up_to_date
    assert sorted(p.name for p in (tmp_path / ".notebase").glob("index.*-*")) == [f"index.new-{os.getppid()}"]
    assert not (tmp_path / ".site.staging").exists()


def _grandchild_dies_with_its_parent(kernel: bool) -> None:
    """Fork a parent that forks a worker (watching it, by the kernel or by polling); kill the parent."""
    read, write = os.pipe()
    parent = os.fork()
    if parent == 0:
        worker = os.fork()
        if worker == 0:
            if not kernel:
                sys.platform = "elsewhere"  # the fallback: a thread polls the parent's pid
            die_with_parent(os.getppid())
            os.write(write, f"{os.getpid()}\n".encode())
            time.sleep(300)
            os._exit(0)
        time.sleep(300)
        os._exit(0)
    os.close(write)
    with open(read) as f:
        worker = int(f.readline())
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)

    def gone() -> bool:
        try:
            with open(f"/proc/{worker}/stat", encoding="utf-8") as f:
                return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except OSError:
            return True
    try:
        assert _wait_for(gone, 30), "the worker outlived its parent"
    finally:
        if not gone():
            os.kill(worker, signal.SIGKILL)


@pytest.mark.parametrize("kernel", [True, False], ids=["pdeathsig", "polling"])
def test_a_worker_dies_with_its_parent(kernel):
    _grandchild_dies_with_its_parent(kernel)
