"""Helpers for the browser tests: Debian's Chromium through Playwright, built sites served on loopback.

Nothing here downloads a browser: Playwright drives the system Chromium (`/usr/bin/chromium`, or
`NOTEBASE_CHROMIUM`), started with the flags this machine's closed network needs. axe-core comes
from npm, installed by `.ci/run` into the virtual environment (`<venv>/share/notebase-axe`), or
from the file `NOTEBASE_AXE` names.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

from notebase.build import build
from notebase.config import load_config

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("NOTEBASE_CHROMIUM", "/usr/bin/chromium"))
# No sandbox (CI runs as root), and no background requests: this machine's network is closed.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = bool(os.environ.get("CI"))
AXE_IN_VENV = Path("share") / "notebase-axe" / "node_modules" / "axe-core" / "axe.min.js"


def missing_browser() -> str | None:
    """Say why the browser tests cannot run here (no playwright, no Chromium), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install -e '.[test]')"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@contextlib.contextmanager
def chromium(why: str | None):
    """Yield a headless Debian Chromium driven by Playwright; fail at once when `why` says it cannot run."""
    import pytest
    from playwright.sync_api import sync_playwright

    if why:
        pytest.fail(f"CI is set but the browser tests cannot run: {why}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def axe_script() -> Path | None:
    """Return axe.min.js: $NOTEBASE_AXE, else where .ci/run installs it in the running or the repo's venv."""
    named = os.environ.get("NOTEBASE_AXE")
    if named:
        return Path(named) if Path(named).is_file() else None
    for prefix in (Path(sys.prefix), REPO / ".venv"):
        if (prefix / AXE_IN_VENV).is_file():
            return prefix / AXE_IN_VENV
    return None


def build_site(root: Path, config: str | None = None) -> Path:
    """Copy the sample notes into root, build them (no search index) and return the output folder."""
    shutil.copytree(REPO / "notes", root / "notes")
    if config is not None:
        (root / "notebase.yaml").write_text(config, encoding="utf-8")
    settings = load_config(root)
    build(settings, index=False)
    return settings.output_path


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404.html with status 404, as GitHub Pages does."""

    not_found: Path

    def send_error(self, code, message=None, explain=None):
        if code != 404 or not self.not_found.is_file():
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # keep pytest's output clean
        pass


class Server:
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; `url` is where `site_path` is reached."""

    def __init__(self, folder: Path, site_path: str = "/"):
        handler = type("Handler", (_Handler,), {"not_found": folder / site_path.strip("/") / "404.html"})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{site_path}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
