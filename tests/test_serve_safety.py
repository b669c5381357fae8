"""`notebase serve` against what a hostile page or client can send, on a real server on 127.0.0.1.

DNS rebinding (a foreign Host), URL segments longer than any file name, stalled and too many
connections, HEAD, the security headers on every response, and a watcher that cannot run (as
when a rebuild holds it) while pages are still asked for.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import time
from urllib.parse import quote, urlsplit

import pytest

from conftest import REPO
from notebase.serve.http import MAX_CONNECTIONS, REQUEST_TIMEOUT
from test_serve import TIP_PAGE, Served

META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-safety")
    shutil.copytree(REPO / "notes", root / "notes")
    server = Served(root)
    server.port = urlsplit(server.url).port
    yield server
    output = server.stop()
    assert "Traceback" not in output, output


def _request(served, method: str, path: str, host: str | None = "", timeout: float = 30):
    """One request with http.client; host "" is the usual 127.0.0.1:port, None sends no Host at all."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=timeout)
    try:
        if host is None or host:
            connection.putrequest(method, path, skip_host=True)
            if host:
                connection.putheader("Host", host)
            connection.endheaders()
        else:
            connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _raw(served, data: bytes, timeout: float = 30) -> bytes:
    """Send raw bytes, read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


PAGE = "/" + quote(TIP_PAGE)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "localhost.evil.example", "[::2]:{port}", "10.0.0.1:{port}", "bad host"])
def test_a_foreign_host_is_refused(served, host):
    for path in (PAGE, "/_notebase/events", "/_notebase/live.js", "/missing/"):
        status, headers, body = _request(served, "GET", path, host.format(port=served.port))
        assert status == 403, (host, path)
        assert b"bisect" not in body and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}",
                                  "notes.localhost:{port}", "localhost.:{port}", None])
def test_its_own_address_and_localhost_are_served(served, host):
    status, _, body = _request(served, "GET", PAGE, host if host is None else host.format(port=served.port))
    assert status == 200 and "git bisect".encode() in body


@pytest.mark.parametrize("segment", ["a" * 256, "가" * 86, "a" * 5000, "%EA%B0%80" * 100])
def test_a_segment_longer_than_a_file_name_is_404_not_a_dropped_connection(served, segment):
    for path in (f"/{segment}", f"/tips/{segment}/", f"/{segment}/index.html"):
        status, headers, body = _request(served, "GET", path if "%" in path else "/" + quote(path[1:]))
        assert status in (404, 414) and "_notebase/live.js" in body.decode("utf-8", "replace")
    assert _request(served, "GET", PAGE)[0] == 200  # and it goes on serving


def test_head_answers_as_get_without_a_body(served):
    for path in (PAGE, "/", "/static/code.css", "/_notebase/live.js", "/no/such/page/", "/tips"):
        got = _request(served, "GET", path)
        head = _request(served, "HEAD", path)
        assert head[0] == got[0], path
        assert head[1]["Content-Length"] == got[1]["Content-Length"] == str(len(got[2])), path
        assert head[1].get("Content-Type") == got[1].get("Content-Type")
        assert head[2] == b""
    raw = _raw(served, f"HEAD {PAGE} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert raw.startswith(b"HTTP/1.0 200") and raw.endswith(b"\r\n\r\n")  # nothing after the headers
    status, headers, _ = _request(served, "HEAD", "/_notebase/events")
    assert status == 200 and headers["Content-Type"] == "text/event-stream"  # and it does not stream


def test_every_response_carries_the_pages_policy_and_nosniff(served):
    status, headers, page = _request(served, "GET", PAGE)
    meta = META_CSP.search(page.decode("utf-8"))[1]
    for path in (PAGE, "/", "/static/code.css", "/_notebase/live.js", "/no/such/page/", "/feed.xml", "/tips"):
        for method in ("GET", "HEAD"):
            status, headers, _ = _request(served, method, path)
            header = headers["Content-Security-Policy"]
            directives = {d.strip() for d in header.split(";")}
            assert {d.strip() for d in meta.split(";")} <= directives, (path, header)
            assert "connect-src 'self'" in directives and "frame-ancestors 'none'" in directives
            assert headers["X-Content-Type-Options"] == "nosniff"
    events = _raw(served, b"HEAD /_notebase/events HTTP/1.0\r\nHost: localhost\r\n\r\n")
    assert b"Content-Security-Policy: " + header.encode() in events and b"nosniff" in events


def test_a_stalled_connection_times_out(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=REQUEST_TIMEOUT * 4) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n")  # and never the rest
        assert sock.recv(65536) == b""  # closed by the server (a hang would time out here and fail)


def test_connections_are_bounded_and_others_are_answered_when_they_go(served):
    stalled = []
    try:
        for _ in range(MAX_CONNECTIONS):
            stalled.append(socket.create_connection(("127.0.0.1", served.port), timeout=30))
        time.sleep(0.5)  # let the server take them all
        busy = _raw(served, b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        assert busy.startswith(b"HTTP/1.0 503")
    finally:
        for sock in stalled:
            sock.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the server notices the closed ones at once
        if _request(served, "GET", PAGE)[0] == 200:
            break
        time.sleep(0.1)
    assert _request(served, "GET", PAGE)[0] == 200


def test_pages_are_served_while_the_watcher_cannot_run(served):
    """The watching process stopped outright (the worst a rebuild could do): pages still come."""
    os.kill(served.process.pid, signal.SIGSTOP)
    try:
        status, _, body = _request(served, "GET", PAGE, timeout=20)
        assert status == 200 and "git bisect".encode() in body
        assert _request(served, "GET", "/", timeout=20)[0] == 200
    finally:
        os.kill(served.process.pid, signal.SIGCONT)


def test_killing_serve_ends_its_server_process(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    server = Served(tmp_path)
    port = urlsplit(server.url).port
    server.process.kill()
    server.process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the server process dies with it; the port is free again
        try:
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # only a listener stops it
                sock.bind(("127.0.0.1", port))
            break
        except OSError:
            time.sleep(0.1)
    else:
        raise AssertionError("the server process outlived serve")
