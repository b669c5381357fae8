"""`notebase serve`: the site on localhost, updated as notes change, and open pages reloaded.

Three parts: a `LiveSite` (live.py) that turns changed files into changed pages; a threaded HTTP
server for the output folder that adds a small script to every HTML page; and a channel of
server-sent events on which that script hears which pages changed and what went wrong. The
watcher (watchfiles, inotify underneath) runs in the caller's thread; the server in its own.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from notebase.config import Config
from notebase.errors import NotebaseError, Severity

EVENTS = "/_notebase/events"
SCRIPT = "/_notebase/live.js"
TAG = f'<script src="{SCRIPT}"></script>'.encode()
HEARTBEAT = 15.0  # seconds between keep-alive comments, so a closed tab is noticed
SHOWN_PROBLEMS = 20

LIVE_JS = r"""/* notebase serve: reload this page when a rebuild changed it; show what went wrong. */
(function () {
  "use strict";
  function here() {
    var path = decodeURIComponent(window.location.pathname).replace(/^\//, "");
    return path.replace(/index\.html$/, "");
  }
  function show(problems) {
    var box = document.getElementById("notebase-live-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "notebase-live-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;z-index:9999;" +
        "margin:0;padding:.75rem 1rem;background:#fff1f0;color:#5c0011;border-top:3px solid #cf1322;" +
        "font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;word-break:break-word";
      document.body.appendChild(box);
    }
    box.textContent = problems.join("\n");
  }
  var source = new EventSource("/_notebase/events");
  source.addEventListener("state", function (event) {
    var data = JSON.parse(event.data);
    show(data.problems || []);
    if (data.reload && (data.full || (data.pages || []).indexOf(here()) >= 0)) window.location.reload();
  });
})();
"""


class PortInUse(NotebaseError):
    """The port asked for is taken by another program."""


@dataclass(frozen=True)
class Event:
    """Something the caller may report: started (first update, problems, address), updated (update,
    problems), indexed (index report, seconds) or failed (the exception)."""

    kind: str
    value: object


class Channel:
    """The latest state for open pages, and a way to wait for the next one."""

    def __init__(self):
        self._changed = threading.Condition()
        self.version = 0
        self.message = {"reload": False, "problems": []}

    def publish(self, message: dict) -> None:
        """Make `message` the current state and wake every waiting page."""
        with self._changed:
            self.version += 1
            self.message = message
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, dict | None]:
        """Return the state newer than version `seen`, or None after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version, (self.message if self.version != seen else None)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the output folder, adds the live script to pages, and streams the event channel."""

    channel: Channel

    def __init__(self, *args, channel: Channel, stopping: threading.Event, **kwargs):
        self.channel, self.stopping = channel, stopping
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows rebuilds, not every request

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must fetch the rebuilt file
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            return self._events()
        if path == SCRIPT:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS.encode())
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject(file.read_bytes()))
        if not file.exists():
            missing = Path(self.directory) / "404.html"
            body = _inject(missing.read_bytes()) if missing.is_file() else b"not found"
            return self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body)
        return super().do_GET()

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = 0
        try:
            # A new page first hears the current state (with reload off: it is already current).
            message = dict(self.channel.message, reload=False)
            seen = self.channel.version
            self._push(message)
            while not self.stopping.is_set():
                seen, message = self.channel.wait(seen, HEARTBEAT)
                if message is None:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                else:
                    self._push(message)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the page was closed

    def _push(self, message: dict) -> None:
        data = json.dumps(message, ensure_ascii=False)
        self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _inject(html: bytes) -> bytes:
    at = html.rfind(b"</body>")
    return html[:at] + TAG + html[at:] if at >= 0 else html + TAG


def make_server(folder: Path, host: str, port: int, channel: Channel, stopping: threading.Event):
    """Bind the server for `folder` (first, so a taken port is said before any build); start it with `run`."""
    handler = partial(_Handler, directory=str(folder), channel=channel, stopping=stopping)
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use — pick another with --port, "
                            "or --port 0 for any free one") from None
        raise NotebaseError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


def run(server) -> None:
    """Serve requests in a background thread."""
    threading.Thread(target=server.serve_forever, name="notebase-http", daemon=True).start()


def _shown(problems) -> list[str]:
    """The problems a page shows: errors first, then warnings, at most SHOWN_PROBLEMS."""
    ordered = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
    lines = [str(p) for p in ordered[:SHOWN_PROBLEMS]]
    if len(ordered) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(ordered) - SHOWN_PROBLEMS} more: run 'notebase check'")
    return lines


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000, report: Callable[[Event], None],
          stopping: threading.Event | None = None, jobs: int | None = None) -> None:
    """Build, serve and keep the site current until `stopping` is set (or the watcher is interrupted)."""
    import watchfiles

    from notebase.live import LiveSite
    from notebase.render import template_dirs
    from notebase.search.index import update as update_index

    stopping = stopping or threading.Event()
    channel = Channel()
    server = make_server(config.output_path, host, port, channel, stopping)
    try:
        live = LiveSite(config, jobs)
        first = live.start()
    except BaseException:
        server.server_close()
        raise
    channel.publish({"reload": False, "problems": _shown(p for p in first.problems if p.severity is Severity.ERROR)})
    run(server)
    first_problems = live.problems()
    _index(config, report, update_index)
    live.save(first_problems)
    watched = [config.notes_path, *(d for d in template_dirs(config) if d.is_dir())]
    settings = [config.root / name for name in ("notebase.yaml", "notebase.yml")]
    ignored = (str(config.output_path), str(config.cache_path))
    stamps = {p: _mtime(p) for p in settings}
    watcher = watchfiles.watch(*watched, stop_event=stopping, step=30, rust_timeout=500, yield_on_timeout=True,
                               watch_filter=partial(_wanted, ignored))

    def apply(changed: set[Path]) -> None:
        try:
            update = live.update(changed)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; it is reported
            report(Event("failed", exc))
            channel.publish({"reload": False, "problems": [f"notebase: the update failed: {exc!r}"]})
            return
        errors = [p for p in update.problems if p.severity is Severity.ERROR]
        channel.publish({"reload": True, "full": update.full, "pages": list(update.pages), "problems": _shown(errors)})
        problems = live.problems()
        report(Event("updated", (update, problems)))
        _index(config, report, update_index)
        live.save(problems)

    try:
        # The first step starts watching; edits made while the site was being built are caught up.
        pending = {Path(path) for _, path in next(watcher)} | live.missed()
        report(Event("started", (first, first_problems, f"http://{host}:{server.server_address[1]}/")))
        if pending:
            apply(pending)
        for changes in watcher:
            changed = {Path(path) for _, path in changes}
            now = {p: _mtime(p) for p in settings}
            changed |= {p for p in settings if now[p] != stamps[p]}
            stamps = now
            if changed:
                apply(changed)
    finally:
        stopping.set()
        server.shutdown()
        server.server_close()


def _index(config: Config, report: Callable[[Event], None], update_index) -> None:
    """Bring the search index up to date after the pages: a search then finds the edit too."""
    started = time.perf_counter()
    try:
        result = update_index(config, wait=False)
    except NotebaseError as exc:  # locked by a build running meanwhile: the next edit catches up
        report(Event("failed", exc))
        return
    report(Event("indexed", (result, time.perf_counter() - started)))


def _wanted(ignored: tuple[str, ...], change, path: str) -> bool:
    """Skip the output and cache folders, editors' swap files and hidden files."""
    name = os.path.basename(path)
    if path.startswith(ignored) or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
        return False
    return True


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
