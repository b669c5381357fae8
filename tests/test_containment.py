"""Nothing from outside the notes folder is read or published; nothing under it is skipped silently.

Real files outside a temporary notes folder, real symbolic links to them (as a cloned repository
with committed links has), real builds; an unreadable folder read as an ordinary user.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.build import build
from notebase.cli import cli
from notebase.config import load_config
from notebase.errors import Problem, Severity
from notebase.load.files import scan
from notebase.load.loader import load
from notebase.load.sandbox import Refused, read_inside, resolve_inside
from unprivileged import run_unprivileged, shared_folder

SECRET = b"NOTEBASE-SECRET-7f3a runner token"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PNG_INSIDE = b"\x89PNG\r\n\x1a\n" + b"inside" * 8

NOTE = """---
title: 유출 시도 / leak attempt
type: tip
date: 2024-05-01
---
그림: ![leak](leak.png) and ![shadow](img/shadow.jpg) and ![[embed.png]]

Fine ones: ![ok](img/fine.png) and ![[figs/plot.png]] and ![through](papers/figs/plot.png)
"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Outside feed</title>
<item><title>바깥 피드 항목 outside item</title><link>https://blog.example/o</link>
<description>NOTEBASE-SECRET feed body</description><pubDate>Mon, 06 May 2024 10:00:00 +0000</pubDate></item>
</channel></rss>
"""


def _hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A knowledge base whose notes folder links to files and a folder outside it, and within itself."""
    root, outside = tmp_path / "kb", tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.png").write_bytes(SECRET)
    (outside / "secret.md").write_text("---\ntitle: Secret note\n---\n" + SECRET.decode(), encoding="utf-8")
    (outside / "folder" / "hidden.md").write_text("---\ntitle: 바깥 폴더\n---\n" + SECRET.decode(), encoding="utf-8")
    (outside / "feed.xml").write_text(FEED.replace("NOTEBASE-SECRET", SECRET.decode()), encoding="utf-8")
    (outside / "settings.yaml").write_text("type: paper\ntags: [" + SECRET.decode().split()[0] + "]\n", encoding="utf-8")
    notes = write_notes(root, {
        "leak.md": NOTE,
        "real.png": PNG_INSIDE,
        "figs/plot.png": PNG,
        "papers/paper.md": "---\ntitle: 논문 paper\ntype: tip\n---\n![plot](figs/plot.png)\n",
        "feeds/inside.xml": FEED.replace("Outside feed", "Inside feed").replace("outside item", "inside item"),
    })
    os.symlink(outside / "secret.png", notes / "leak.png")  # an absolute link
    (notes / "img").mkdir()
    os.symlink("../../../outside/secret.png", notes / "img" / "shadow.jpg")  # a relative one
    os.symlink(outside / "secret.png", notes / "embed.png")
    os.symlink(outside / "secret.md", notes / "secret.md")
    os.symlink(outside / "folder", notes / "linked")
    os.symlink(outside / "feed.xml", notes / "feeds" / "outside.xml")
    os.symlink(outside / "settings.yaml", notes / "feeds" / "inside.yaml")  # the feed's settings file
    os.symlink("../real.png", notes / "img" / "fine.png")  # links that stay inside
    os.symlink("../figs", notes / "papers" / "figs")
    os.symlink("leak.md", notes / "alias.md")
    os.symlink(".", notes / "loop")
    os.symlink("..", notes / "papers" / "up")
    return root, outside


OUTSIDE_LINKS = ["embed.png", "feeds/inside.yaml", "feeds/outside.xml", "img/shadow.jpg", "leak.png",
                 "linked", "secret.md"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root, outside = _hostile(tmp_path_factory.mktemp("contain"))
    config = load_config(root)
    return root, outside, config, build(config)


def _site_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for folder in ("site", ".notebase") for p in (root / folder).rglob("*")
                    if p.is_file())


def test_no_byte_from_outside_reaches_the_site_or_the_index(built):
    root, _, _, report = built
    assert SECRET not in _site_bytes(root)
    assert SECRET.split()[0] not in _site_bytes(root)
    assert not (root / "site" / "media" / "leak.png").exists()
    assert not (root / "site" / "media" / "img" / "shadow.jpg").exists()
    assert report.errors == []


def test_each_link_leading_outside_is_one_warning_with_its_path(built):
    _, outside, _, report = built
    refused = [p for p in report.problems if "not read" in p.message]
    assert sorted(p.path for p in refused) == OUTSIDE_LINKS
    assert all(p.severity is Severity.WARNING and p.line == 0 for p in refused)
    leak = next(p for p in refused if p.path == "leak.png")
    assert str(leak) == (f"leak.png: warning: a link to '{outside.resolve() / 'secret.png'}', outside the notes "
                         "folder; not read — move the file into the notes folder, or put a copy there instead of "
                         "the link")


def test_links_that_stay_inside_are_followed_once_and_never_loop(built):
    root, _, config, report = built
    media = root / "site" / "media"
    assert (media / "img" / "fine.png").read_bytes() == PNG_INSIDE
    assert (media / "figs" / "plot.png").read_bytes() == PNG
    assert (media / "papers" / "figs" / "plot.png").read_bytes() == PNG  # through a linked folder
    titles = sorted(e.title for e in load(config).entries)
    # alias.md is leak.md again: one entry; loop/ and papers/up/ lead back to the notes folder.
    assert titles == sorted(["유출 시도 / leak attempt", "논문 paper", "바깥 피드 항목 inside item"])
    assert report.entries == 3
    tree = scan(config)
    assert len({rel for rel, _ in tree.notes}) == len(tree.notes) == 3  # leak, paper, the feed; no alias
    assert "loop/real.png" in {rel for rel, _ in tree.files}  # a file through a looping link, listed once


def test_check_list_and_strict_build_report_the_links(built):
    root = built[0]
    runner = CliRunner()
    checked = runner.invoke(cli, ["--root", str(root), "check"])
    assert checked.exit_code == 0
    for rel in OUTSIDE_LINKS:
        assert checked.output.count(f"\n{rel}: warning: ") + checked.output.startswith(f"{rel}: warning: ") == 1, rel
    strict = runner.invoke(cli, ["--root", str(root), "build", "--strict", "--force"])
    assert strict.exit_code == 1 and "leak.png: warning: a link to" in strict.output
    listed = runner.invoke(cli, ["--root", str(root), "list"])
    assert "Secret note" not in listed.output and "바깥 폴더" not in listed.output


def test_read_inside_refuses_outside_links_loops_and_pipes(tmp_path):
    notes = (tmp_path / "notes").resolve()
    notes.mkdir()
    (tmp_path / "secret").write_bytes(SECRET)
    (notes / "ok.md").write_text("안녕", encoding="utf-8")
    os.symlink(tmp_path / "secret", notes / "out.md")
    os.symlink("ok.md", notes / "in.md")
    os.symlink("b", notes / "a")
    os.symlink("a", notes / "b")
    os.mkfifo(notes / "pipe.md")
    assert read_inside(notes, notes / "in.md") == "안녕".encode()
    assert resolve_inside(notes, notes / "in.md") == str(notes / "ok.md")
    with pytest.raises(Refused, match="outside the notes folder"):
        read_inside(notes, notes / "out.md")
    with pytest.raises(Refused, match="loops"):
        read_inside(notes, notes / "a")
    done: list = []

    def read_pipe() -> None:
        try:
            read_inside(notes, notes / "pipe.md")
        except Refused as exc:
            done.append(exc)
    reader = threading.Thread(target=read_pipe, daemon=True)
    reader.start()
    reader.join(20)  # a hang guard: opening a pipe without a writer would block forever
    assert done and "not a regular file" in done[0].strerror


def test_a_pipe_named_like_a_note_is_a_problem_not_a_hang(tmp_path):
    write_notes(tmp_path, {"ok.md": "---\ntitle: ok\n---\nbody\n"})
    os.mkfifo(tmp_path / "notes" / "pipe.md")
    result = load(load_config(tmp_path))
    assert [e.title for e in result.entries] == ["ok"]
    assert [str(p) for p in result.problems] == [
        "pipe.md: warning: not a regular file (a pipe, socket or device); not read — replace it by a file"]


def test_a_link_replaced_after_the_walk_is_still_refused(tmp_path):
    """The check is at every read, not only in the walk: a note swapped for a link meanwhile is not read."""
    from notebase.load.loader import load_file

    notes = write_notes(tmp_path, {"swap.md": "---\ntitle: 바뀔 노트\n---\nbody\n"})
    (tmp_path / "secret.md").write_bytes(b"---\ntitle: secret\n---\n" + SECRET)
    config = load_config(tmp_path)
    (notes / "swap.md").unlink()
    os.symlink(tmp_path / "secret.md", notes / "swap.md")
    loaded = load_file(notes / "swap.md", config)
    assert loaded.entries == () and "outside the notes folder" in loaded.problems[0].message


def test_deep_folders_do_not_overflow_the_walk(tmp_path):
    deep = str(tmp_path / "notes")
    os.mkdir(deep)
    for _ in range(1200):  # deeper than Python's recursion limit (os.makedirs itself recurses)
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "deep.md").write_text("---\ntitle: 깊은 노트\n---\n", encoding="utf-8")
    try:
        assert [rel.count("/") for rel, _ in scan(load_config(tmp_path)).notes] == [1200]
    finally:  # bottom up: shutil.rmtree recurses too
        os.unlink(deep + "/deep.md")
        while deep != str(tmp_path / "notes"):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


# --- folders that cannot be read --------------------------------------------------------------


def test_a_folder_problem_prints_without_a_line():
    problem = Problem("private/", 0, "cannot read folder: Permission denied", "check its permissions")
    assert str(problem) == "private/: cannot read folder: Permission denied — check its permissions"
    assert str(Problem("a.md", 3, "bad", "fix")) == "a.md:3: bad — fix"


def _load_unprivileged(root: str) -> tuple[list[str], list[str], int]:
    result = load(load_config(root))
    checked = CliRunner().invoke(cli, ["--root", root, "check"])
    return [e.title for e in result.entries], [str(p) for p in result.problems], checked.exit_code


def test_an_unreadable_folder_is_an_error_naming_it(tmp_path):
    load(load_config(tmp_path))  # imports everything the child needs before it loses the right to read them
    root = shared_folder()
    try:
        write_notes(root, {"open.md": "---\ntitle: 열린 노트\n---\n", "private/secret.md": "---\ntitle: closed\n---\n",
                           "private/deeper/x.md": "---\ntitle: x\n---\n"})
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "notes" / "private").chmod(0o000)
        titles, problems, code = run_unprivileged(_load_unprivileged, str(root))
    finally:
        (root / "notes" / "private").chmod(0o755)
        shutil.rmtree(root)
    assert titles == ["열린 노트"]
    assert problems == ["private/: cannot read folder: Permission denied — check its permissions "
                        "(it needs r and x for the user building, e.g. chmod u+rx)"]
    assert code == 1  # an error: the notes in it are missing from the site


def test_serve_refuses_a_link_made_while_serving(tmp_path):
    from notebase.serve.live import LiveSite

    write_notes(tmp_path, {"a.md": "---\ntitle: 서버 노트\ntype: tip\n---\n![x](new.png)\n"})
    (tmp_path / "secret.png").write_bytes(SECRET)
    live = LiveSite(load_config(tmp_path), jobs=1)
    live.start()
    link = tmp_path / "notes" / "new.png"
    os.symlink(tmp_path / "secret.png", link)
    update = live.update({link})
    assert [p.path for p in live.problems() if "outside the notes folder" in p.message] == ["new.png"]
    assert "new.png" in {p.path for p in update.problems} | {p.path for p in live.problems()}
    assert SECRET not in _site_bytes(tmp_path)
