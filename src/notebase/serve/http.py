"""The HTTP side of `notebase serve`: files from the output folder, the live script, the event channel.

It runs in a process of its own, forked before the first build, so no rebuild can keep it from
answering: a rebuild holds the interpreter for as long as it computes (a slow note froze a server
thread for ~90 s), and a process needs no lock the rebuild takes. It serves files already on
disk, which live updates replace atomically. The watching process publishes each new state down a
pipe; the server process ends when the pipe closes or its parent dies.

The server trusts nothing a request says: only requests addressed to the bound address or
localhost are answered (a DNS-rebinding page cannot read the notes), URL segments longer than a
file name can be get 404, stalled connections time out and their number is bounded, and every
response carries the pages' Content-Security-Policy and `nosniff`.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import signal
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from notebase.errors import NotebaseError

EVENTS = "/_notebase/events"
SCRIPT = "/_notebase/live.js"
TAG = f'<script src="{SCRIPT}"></script>'.encode()
HEARTBEAT = 15.0  # seconds between keep-alive comments, so a closed tab is noticed
REQUEST_TIMEOUT = 10.0  # seconds a connection may take to send its request (or to take a response)
MAX_CONNECTIONS = 128  # open at once, event streams of open pages included; more get 503
NAME_MAX = 255  # bytes in one file name, so in one URL segment that can name a file
# The pages' own policy (templates/base.html) as a header too: it then covers every response,
# feeds and raw files included; the live script and its event stream are 'self' already.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'none'; connect-src 'self'; "
       "frame-ancestors 'none'")
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")

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


def allowed_hosts(host: str) -> tuple[frozenset[str], bool]:
    """The Host names the server answers to, and whether any IP address is one (a wildcard bind)."""
    bound = host.strip("[]").lower()
    wildcard = bound in ("", "0.0.0.0", "::")
    return frozenset({*LOCAL_NAMES, bound}), wildcard


def host_allowed(header: str | None, names: frozenset[str], wildcard: bool) -> bool:
    """Whether a request's Host header names this server: its address, localhost, or (bound to all) any IP.

    A DNS-rebinding page reaches the server under its own domain name, which is refused.
    """
    if header is None:
        return True  # HTTP/1.0 tools send none; browsers always do
    try:
        name = urlsplit("//" + header.strip()).hostname or ""
    except ValueError:
        return False
    name = name.rstrip(".")
    if name in names or name.endswith(".localhost"):  # *.localhost is loopback by definition (RFC 6761)
        return True
    if wildcard:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False


class Handler(SimpleHTTPRequestHandler):
    """Serves the output folder, adds the live script to pages, and streams the event channel."""

    timeout = REQUEST_TIMEOUT  # the socket's: a client that stalls is dropped

    def __init__(self, *args, channel: Channel, stopping: threading.Event, hosts: tuple[frozenset[str], bool],
                 **kwargs):
        self.channel, self.stopping, self.hosts = channel, stopping, hosts
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows rebuilds, not every request

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must fetch the rebuilt file
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host"), *self.hosts):
            self.send_error(HTTPStatus.FORBIDDEN, "Host not served",
                            "notebase serve answers only requests to its own address or localhost")
            return False
        return True

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = unquote(self.path.split("?", 1)[0].split("#", 1)[0], errors="surrogateescape")
        if path == EVENTS:
            return self._events() if body else self._send(HTTPStatus.OK, "text/event-stream", b"", body)
        if path == SCRIPT:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS.encode(), body)
        if "\x00" in path or any(len(part.encode("utf-8", "surrogateescape")) > NAME_MAX for part in path.split("/")):
            return self._not_found(body)  # no file has such a name: asking the file system would fail
        try:
            file = Path(self.translate_path(self.path))
            if file.is_dir():
                if not path.endswith("/"):
                    return self._redirect("/" + quote(path.lstrip("/"), errors="surrogateescape") + "/", body)
                file = file / "index.html"
            if not file.is_file():
                return self._not_found(body)
            data = file.read_bytes()
        except (OSError, ValueError):
            return self._not_found(body)
        if file.suffix == ".html":
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject(data), body)
        return self._send(HTTPStatus.OK, self.guess_type(str(file)), data, body)

    def _not_found(self, body: bool) -> None:
        missing = Path(self.directory) / "404.html"
        try:
            page = _inject(missing.read_bytes())
        except OSError:
            page = b"not found"
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page, body)

    def _redirect(self, location: str, body: bool) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:  # HEAD: the same headers, no body
            self.wfile.write(data)

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
        except OSError:
            pass  # the page was closed, or stopped reading

    def _push(self, message: dict) -> None:
        data = json.dumps(message, ensure_ascii=False)
        self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _inject(html: bytes) -> bytes:
    at = html.rfind(b"</body>")
    return html[:at] + TAG + html[at:] if at >= 0 else html + TAG


BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n"
        b"Retry-After: 1\r\nConnection: close\r\n\r\ntoo busy\n")


class Server(ThreadingHTTPServer):
    """A threaded server that bounds its open connections and prints no traceback for a bad one."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, handler, limit: int = MAX_CONNECTIONS):
        self.slots = threading.BoundedSemaphore(limit)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            try:  # answered here, at once: a new connection's send buffer is empty
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):  # a dropped or timed-out client is no news
            print(f"notebase serve: a request failed: {exc!r}", file=sys.stderr)


def make_server(folder: Path, host: str, port: int) -> Server:
    """Bind the server for `folder` (first, so a taken port is said before any build); start it with `start`."""
    try:
        server = Server((host, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use — pick another with --port, "
                            "or --port 0 for any free one") from None
        raise NotebaseError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    server.folder = folder
    server.hosts = allowed_hosts(host)
    return server


class Http:
    """The running server, seen from the watching process: publish states to it, stop it."""

    def __init__(self, server: Server):
        self.server = server
        self.stopping = threading.Event()
        self.channel = Channel()
        self.process = None
        self.pipe = None
        self.started = False

    def start(self) -> Http:
        """Fork the serving process (where fork exists; else a thread here), idle until the first `publish`."""
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return self
        read, write = os.pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve_child, args=(self.server, read, write, os.getpid()), name="notebase-http", daemon=True)
        self.process.start()
        os.close(read)
        self.pipe = os.fdopen(write, "w", encoding="utf-8")
        self.server.socket.close()  # the child's now: the port is freed when it ends
        return self

    def publish(self, message: dict) -> None:
        """Make `message` the state open pages hear; the first one starts serving."""
        if self.process is None:
            self.channel.publish(message)
            if not self.started:
                self.started = True
                _bind_handler(self.server, self.channel, self.stopping)
                threading.Thread(target=self.server.serve_forever, name="notebase-http", daemon=True).start()
            return
        try:
            self.pipe.write(json.dumps(message, ensure_ascii=False) + "\n")
            self.pipe.flush()
        except (OSError, ValueError):
            pass  # the server process is gone; stop() tidies up

    def stop(self) -> None:
        """Stop serving: close the pipe (the server process then ends), or shut the thread down."""
        self.stopping.set()
        if self.process is None:
            if self.started:
                self.server.shutdown()
            self.server.server_close()
            return
        if self.pipe is not None:
            try:
                self.pipe.close()
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve_child(server: Server, read: int, write: int, parent: int) -> None:
    """The serving process: states come down the pipe; serve from the first; end when it closes."""
    from notebase.crash import die_with_parent

    os.close(write)  # else the pipe never reads as closed
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the watching process's to handle
    channel, stopping, first = Channel(), threading.Event(), threading.Event()
    _bind_handler(server, channel, stopping)

    def pump() -> None:
        with os.fdopen(read, encoding="utf-8") as lines:
            for line in lines:
                channel.publish(json.loads(line))
                first.set()
        os._exit(0)  # the pipe closed: the watching process stopped or died

    threading.Thread(target=pump, name="notebase-states", daemon=True).start()
    first.wait()
    server.serve_forever()



def _bind_handler(server: Server, channel: Channel, stopping: threading.Event) -> None:
    server.RequestHandlerClass = partial(Handler, directory=str(server.folder), channel=channel,
                                         stopping=stopping, hosts=server.hosts)
