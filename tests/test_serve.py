"""`notebase serve` end to end: a real server, real edits on disk, reload events read by a client.

The installed command is started as a user would; an event-stream client (what the page's script
does) reads the reload events; one test drives a real Chromium tab that must reload by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, IN_CI, missing_browser
from conftest import REPO

TIP = "notes/tips/git-bisect.md"
TIP_PAGE = "tips/git-bisect/"


def _notebase() -> list[str]:
    exe = Path(sys.executable).with_name("notebase")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "notebase"]


class Served:
    """`notebase serve --port 0` on a copy of the sample notes, its address read from its output."""

    def __init__(self, root: Path):
        self.root = root
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(_notebase() + ["--root", str(root), "serve", "--port", "0"],
                                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        self.lines: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                raise AssertionError(f"serve ended early: {''.join(self.lines)}")
            self.lines.append(line)
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                self.url = found[1]
                return
        raise AssertionError("serve did not start")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + quote(path), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def events(self) -> Events:
        return Events(self.url + "_notebase/events")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, rest = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, rest = self.process.communicate()
        return "".join(self.lines) + (rest or "")


class Events:
    """A client of the server-sent events channel, as the page's script is."""

    def __init__(self, url: str):
        self.response = urllib.request.urlopen(url, timeout=30)
        assert self.response.headers["Content-Type"] == "text/event-stream"

    def next(self) -> dict:
        data = None
        while True:
            line = self.response.readline().decode("utf-8")
            if not line:
                raise AssertionError("the event stream ended")
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def served(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    server = Served(tmp_path)
    yield server
    server.stop()


def test_an_edit_reloads_the_page_and_a_bad_edit_is_shown_until_fixed(served):
    status, page = served.get(TIP_PAGE)
    assert status == 200 and '<script src="/_notebase/live.js"></script></body>' in page
    assert served.get("_notebase/live.js")[0] == 200
    events = served.events()
    assert events.next() == {"reload": False, "problems": []}  # the state a page hears first
    note = served.root / TIP
    original = note.read_text(encoding="utf-8")
    note.write_text(original + "\n\n서버가 이 문단을 보여 준다.\n", encoding="utf-8")
    event = events.next()
    assert event["reload"] is True and TIP_PAGE in event["pages"] and event["problems"] == []
    assert "서버가 이 문단을 보여 준다" in served.get(TIP_PAGE)[1]
    bad = served.root / "notes/tips/bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\ntext\n", encoding="utf-8")
    event = events.next()
    assert any(p.startswith("tips/bad.md:") and "YAML" in p for p in event["problems"])
    assert served.get("")[0] == 200  # still serving
    bad.write_text("---\ntitle: Fixed note\ndate: 2024-06-01\ntype: tip\n---\ntext\n", encoding="utf-8")
    event = events.next()
    assert event["problems"] == [] and "tips/bad/" in event["pages"]  # from its file, as soon as it loads
    note.unlink()  # deleted while serving: its page goes, the server stays
    event = events.next()
    assert TIP_PAGE in event["pages"]
    status, page = served.get(TIP_PAGE)
    assert status == 404 and "_notebase/live.js" in page
    events.close()
    output = served.stop()
    assert "updated in" in output and "Traceback" not in output
    assert "tips/bad.md:2" in output or "tips/bad.md:3" in output  # the terminal showed the error too


def test_the_search_index_follows_the_edits(served):
    events = served.events()
    events.next()
    (served.root / "notes/tips/zebra.md").write_text(
        "---\ntitle: Zebra crossing tip\ndate: 2024-06-02\ntype: tip\n---\nquokkaword appears here\n", "utf-8")
    events.next()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the index is updated just after the pages
        out = subprocess.run(_notebase() + ["--root", str(served.root), "search", "quokkaword", "--json"],
                             capture_output=True, text=True, timeout=60)
        if out.returncode == 0:
            break
        time.sleep(0.3)
    assert [hit["title"] for hit in json.loads(out.stdout)] == ["Zebra crossing tip"]
    events.close()


@contextlib.contextmanager
def taken_port(tmp_path):
    """A copy of the sample notes, and a port another program listens on."""
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_a_clear_message(tmp_path):
    with taken_port(tmp_path) as port:
        out = subprocess.run(_notebase() + ["--root", str(tmp_path), "serve", "--port", str(port)],
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in out.stderr and "--port 0" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_open_browser_tab_reloads_by_itself(served):
    why = missing_browser()
    if why:
        if IN_CI:
            pytest.fail(why)
        pytest.skip(why)
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(served.url + quote(TIP_PAGE))
            page.wait_for_function("document.readyState === 'complete'")
            time.sleep(0.3)  # let the page's event stream connect
            note = served.root / TIP
            note.write_text(note.read_text(encoding="utf-8") + "\n\n브라우저가 스스로 새로 고친다.\n", "utf-8")
            expect(page.locator("main")).to_contain_text("브라우저가 스스로 새로 고친다", timeout=15_000)
            (served.root / "notes/tips/bad.md").write_text("---\ntitle: [x\n---\n", "utf-8")
            expect(page.locator("#notebase-live-problems")).to_contain_text("tips/bad.md", timeout=15_000)
            assert errors == []
        finally:
            browser.close()


def test_serve_through_clirunner_reports_a_taken_port_and_a_bad_port(tmp_path):
    from click.testing import CliRunner

    from notebase.cli import cli

    with taken_port(tmp_path) as port:
        result = CliRunner().invoke(cli, ["--root", str(tmp_path), "serve", "--port", str(port)])
    assert result.exit_code == 1 and "already in use" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "serve", "--port", "70000"])
    assert result.exit_code == 2 and "70000" in result.output
