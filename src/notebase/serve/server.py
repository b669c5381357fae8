"""`notebase serve`: the site on localhost, updated as notes change, and open pages reloaded.

Three parts: a `LiveSite` (serve/live.py) that turns changed files into changed pages; an HTTP server
for the output folder that adds a small script to every HTML page (serve/http.py); and a channel
of server-sent events on which that script hears which pages changed and what went wrong. The
watcher (watchfiles, inotify underneath) runs in the caller's thread; the server in a process of
its own, so no rebuild, however slow, keeps it from answering.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from notebase.config import Config
from notebase.errors import NotebaseError, Severity
from notebase.serve.http import Http, PortInUse, make_server
from notebase.unwritable import cannot_write, is_write_error

__all__ = ["Event", "PortInUse", "serve"]

SHOWN_PROBLEMS = 20
SAVE_AFTER = 2.0  # seconds without edits after which the build state is saved


@dataclass(frozen=True)
class Event:
    """Something the caller may report: started (first update, problems, address), updated (update,
    problems), indexed (index report, seconds) or failed (the exception)."""

    kind: str
    value: object


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

    from notebase.serve.live import LiveSite
    from notebase.render.theme import template_dirs
    from notebase.search.index import update as update_index

    stopping = stopping or threading.Event()
    server = make_server(config.output_path, host, port)
    http = Http(server).start()  # forked now, while this process is small and runs no other thread
    try:
        live = LiveSite(config, jobs)
        first = live.start()
    except BaseException:
        http.stop()
        raise
    # The first state starts serving: pages asked for meanwhile wait for the built site.
    http.publish({"reload": False, "problems": _shown(p for p in first.problems if p.severity is Severity.ERROR)})
    first_problems = live.problems()
    _index(config, report, update_index)
    live.save(first_problems)
    watched = [config.notes_path, *(d for d in template_dirs(config) if d.is_dir())]
    settings = [config.root / name for name in ("notebase.yaml", "notebase.yml")]
    ignored = (str(config.output_path), str(config.cache_path))
    stamps = {p: _mtime(p) for p in settings}
    watcher = watchfiles.watch(*watched, stop_event=stopping, step=30, rust_timeout=500, yield_on_timeout=True,
                               watch_filter=partial(_wanted, ignored))

    unsaved: tuple | None = None  # (problems, when) of an update whose state is not saved yet

    def apply(changed: set[Path]) -> None:
        nonlocal unsaved
        try:
            update = live.update(changed)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; it is reported
            if is_write_error(exc):  # a full disk: said plainly; the next edit tries again
                exc = cannot_write(exc, config.root, config.output_path, "pages not rewritten are served as they were")
            report(Event("failed", exc))
            http.publish({"reload": False, "problems": [f"notebase: the update failed: {exc}"]})
            unsaved = None  # what is held may be half updated: never saved, the next build redoes it
            return
        errors = [p for p in update.problems if p.severity is Severity.ERROR]
        http.publish({"reload": True, "full": update.full, "pages": list(update.pages), "problems": _shown(errors)})
        problems = live.problems()
        report(Event("updated", (update, problems)))
        _index(config, report, update_index)
        # Saving the state (for the next `notebase build`) pickles the whole site: at 10,000 notes
        # a second that would delay the next edit. It waits until the notes rest, or the server stops.
        unsaved = (problems, time.monotonic())

    def save_if_resting(now: float | None = None) -> None:
        nonlocal unsaved
        if unsaved is not None and (now is None or now - unsaved[1] >= SAVE_AFTER):
            problems, unsaved = unsaved[0], None
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
            else:  # the watcher's time-out: nothing changed for a while
                save_if_resting(time.monotonic())
    finally:
        stopping.set()
        http.stop()
        try:
            save_if_resting()  # stopped with an update unsaved: the next build need not redo it
        except Exception as exc:  # noqa: BLE001 - stopping anyway; the next build redoes what it must
            report(Event("failed", exc))


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
