"""The one sequencer: load, assemble the frozen Site, emit every output, swap it in, update the index.

When nothing that shapes the site changed since the last build (the files under the notes
folder, the templates, the settings, notebase itself) and the site is still there, the build
stops after one walk and reports the previous build's problems again. When only files under the
notes folder changed, the build state the last build kept (engine.py) re-reads those files and
rewrites only the output files they change. Otherwise, and with `force`, everything is built
from scratch and swapped in whole.
"""

from __future__ import annotations

import json
import os
import posixpath
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from notebase.config import Config
from notebase.errors import ConfigError, Problem, Severity
from notebase.site.engine import Sources, count_files, scan_sources
from notebase.unwritable import writing
from notebase.render.urls import page_of
from notebase.site.writer import write_json

STATE = "site-state.json"
LOCK = "build.lock"
Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class BuildReport:
    """What a build did: entries and files, what went wrong, where the time went."""

    entries: int
    files: int  # files in the site
    rewritten: int  # files whose content changed (the rest were kept as they were)
    problems: tuple[Problem, ...]
    up_to_date: bool = False  # nothing changed, nothing was rendered
    timings: dict[str, float] = field(default_factory=dict)
    index: object | None = None  # the search index's IndexReport, when it was updated

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the build fail."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def check_output(config: Config) -> None:
    """Refuse an output folder whose swap would take notes, templates or the root with it."""
    out, root = config.output_path, config.root.resolve()
    guarded = [root, config.notes_path, config.cache_path, root / "templates"]
    if root not in out.parents and not any(out == g or out in g.parents for g in guarded) and not _replaceable(out):
        # Outside the root (`build --output DIR`) only a new or empty folder, or an earlier site, is replaced.
        raise ConfigError([Problem(str(out), 0, "output folder holds other files, which the build would replace",
                                   "choose a new or empty folder, or one an earlier build wrote")])
    if any(out == g or out in g.parents for g in guarded) or (root not in out.parents and not _replaceable(out)):
        raise ConfigError([Problem("notebase.yaml", 1, f"output_dir '{config.output_dir}' would replace notes or settings",
                                   "use a folder of its own inside the root, such as 'site'")])


def _replaceable(out: Path) -> bool:
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    names = {item.name for item in out.iterdir()}
    return not names or {"404.html", "sitemap.xml", "search", "static"} <= names


def scan_inputs(config: Config) -> tuple[str, list[str]]:
    """Digest what a site is made from (files under notes, templates, settings, version); list the notes' files."""
    sources = scan_sources(config)
    return sources.fingerprint, list(sources.stamps)


def _read_state(config: Config) -> dict:
    try:
        state = json.loads((config.cache_path / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _site_intact(config: Config, state: dict) -> bool:
    """Whether the output folder still holds what the last build left: its folders' times when they tell, else its count."""
    out = config.output_path
    if not out.is_dir():
        return False
    folders = state.get("folders")
    if isinstance(folders, dict) and folders and any(stamp % 1_000_000_000 for stamp in folders.values()):
        # A file added to or deleted from a folder moves its time on; this file system keeps times
        # finer than a second, so a change made in the build's last second shows too.
        top = str(out)  # joined as strings: 12,000 Path objects cost more than the stat calls
        return all(_mtime_ns(os.path.join(top, rel)) == stamp for rel, stamp in folders.items())
    return count_files(str(out)) == state.get("files", -1)


def _mtime_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def folder_stamps(output: Path, files: Iterable[str], kept: dict[str, int] | None = None) -> dict[str, int]:
    """The time of the output folder and of every folder holding one of `files` (site-relative paths).

    With `kept`, the stamps of the whole site before an update that wrote or removed `files`, only
    the folders of those files and their parents are stamped again: nothing else can have moved.
    """
    top = str(output)
    found = dict(kept or {})
    folders = {posixpath.dirname(f) for f in files} | {""}
    if kept is not None:  # a folder made or removed moves its parent's time too
        folders |= {parent for rel in folders for parent in _parents(rel)}
    for rel in folders:
        stamp = _mtime_ns(os.path.join(top, rel))
        if stamp is None:
            found.pop(rel, None)
        else:
            found[rel] = stamp
    return found


def _parents(rel: str) -> Iterable[str]:
    while rel:
        rel = posixpath.dirname(rel)
        yield rel


def build(config: Config, *, jobs: int | None = None, progress: Progress | None = None,
          index: bool = True, force: bool = False) -> BuildReport:
    """Build the site into the output folder (atomically) and bring the search index up to date."""
    return build_live(config, jobs=jobs, progress=progress, index=index, force=force)[0]


def build_live(config: Config, *, jobs: int | None = None, progress: Progress | None = None,
               index: bool = True, force: bool = False):
    """Build as `build` does; also return the engine (a live.LiveSite) holding the site, unless nothing changed."""
    from notebase.crash import exclusive
    from notebase.site.journal import roll_forward
    from notebase.search.place import tidy
    from notebase.site.writer import tidy_output

    check_output(config)
    # One build at a time: the lock dies with a killed build, whose staging folder is then removed.
    with writing(config.root, config.cache_path, "nothing was changed"), exclusive(config.cache_path / LOCK):
        roll_forward(config.output_path, config.cache_path)  # an update killed halfway is finished first
        tidy_output(config.output_path)
        tidy(config)
        return _build(config, jobs, progress, index, force)


def _build(config: Config, jobs: int | None, progress: Progress | None, index: bool, force: bool):
    from notebase.site.engine import load_state, state_kept
    from notebase.site.state_rows import StateLost

    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 3)

    sources = scan_sources(config)
    state = _read_state(config)
    intact = not force and _site_intact(config, state)
    if intact and state.get("fingerprint") == sources.fingerprint:
        index_report = _update_index(config, None) if index and not _index_present(config) else None
        lap("check")
        problems = tuple(Problem(**{**p, "severity": Severity(p["severity"])}) for p in state.get("problems", []))
        return BuildReport(state.get("entries", 0), state["files"], 0, problems, True, timings, index_report), None
    # The index reads the changed notes itself, on the other core while this one updates the site:
    # started before the state is loaded, while this process is small (a fork of it is cheap then).
    indexing = _index_beside(config) if index and intact and state_kept(config, sources.settings) else None
    engine = load_state(config, sources.settings, jobs) if intact else None
    if engine is not None:
        lap("load state")
        try:
            return _update(config, engine, sources, state, index, lap, timings, indexing), engine
        except StateLost:  # a text the state keeps apart could not be read: as if there were no state
            engine = None
    if indexing is not None:
        indexing.exception()  # a full build brings the index up to date after it, the two never at once
    return _full(config, sources, state, jobs, progress, index, lap, timings)


def _update(config: Config, engine, sources: Sources, state: dict, index: bool, lap, timings: dict[str, float],
            indexing=None) -> BuildReport:
    """Bring the site in step through the engine: re-read changed files, rewrite the files they change."""
    from notebase.site.emitters.feeds import relative_links_warning
    from notebase.site.engine import STATE as ENGINE_STATE
    from notebase.site.engine import changed_files, write_state
    from notebase.site.journal import JournalWriter
    from notebase.site.redirects import HISTORY, write_history
    from notebase.site.topic_filters import topic_warnings
    from notebase.site.writer import MANIFEST, write_manifest

    changed = changed_files(config, engine.stamps, sources.stamps)
    with writing(config.root, config.output_path, "the previous site is unchanged"):
        writer = JournalWriter(config, engine.digests)
        try:
            update = engine.update(changed, writer, sources.tree)
            engine.stamps = sources.stamps
            lap("update")
            write_manifest(writer.stage_cache(MANIFEST), engine.digests)
            history = writer.stage_cache(HISTORY)
            write_history(history.parent, engine.moved)
            with open(writer.stage_cache(ENGINE_STATE), "wb") as file:
                write_state(engine, sources.settings, file, history)
            lap("save state")
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    problems = [*engine.problems(), *relative_links_warning(config), *topic_warnings(config)]
    index_report = None
    if index:
        index_report = _index_result(config, indexing)
        problems += index_report.problems
        lap("search index")
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.message))
    with writing(config.root, config.cache_path, "the site and index are built; the next build checks them again"):
        kept = state.get("folders") if isinstance(state.get("folders"), dict) else None
        save_state(config, sources.fingerprint, len(engine.site.entries), engine.digests, problems,
                   folder_stamps(config.output_path, [*writer.changed, *writer.removed], kept) if kept else None)
    return BuildReport(len(engine.site.entries), len(engine.digests), len(update.written) + len(update.removed),
                       tuple(problems), False, timings, index_report)


def _full(config: Config, sources: Sources, state: dict, jobs: int | None, progress: Progress | None, index: bool,
          lap, timings: dict[str, float]):
    """Build everything from scratch, swap the new site in whole, and keep the engine's state."""
    from notebase.site.engine import STATE as ENGINE_STATE
    from notebase.site.engine import adopt, save_engine
    from notebase.site.state_rows import ROWS

    from notebase.site.emitters.feeds import relative_links_warning
    from notebase.site.lint import lint
    from notebase.load.loader import load
    from notebase.site.redirects import plan_site, read_history, write_history
    from notebase.render.templates import make_env
    from notebase.site.assemble import assemble
    from notebase.site.topic_filters import topic_warnings
    from notebase.site.vocab_cache import adopt_kept_vocabulary
    from notebase.site.writer import MANIFEST, Writer

    (config.cache_path / ENGINE_STATE).unlink(missing_ok=True)  # it describes the site this build replaces
    for name in (ROWS, f"{ROWS}-journal"):  # every row is written anew: a fresh file, not one twice the size
        (config.cache_path / name).unlink(missing_ok=True)
    adopt_kept_vocabulary(config)  # built once for these settings: 0.3 s
    loaded = load(config, jobs)
    lap("load")
    memo: dict = {}
    digests_memo: dict = {}
    site = assemble(loaded.entries, config, list(sources.stamps), memo=memo)
    moved = plan_site(site, *read_history(config.cache_path), digests_memo)
    site = replace(site, redirects=moved.targets)
    # Rendering reports the links itself.
    linted = lint(site, links=False) + relative_links_warning(config) + topic_warnings(config) + list(moved.problems)
    env = make_env(config)
    lap("assemble")
    if state.get("output", str(config.output_path)) != str(config.output_path):
        # The manifest describes another output folder: linking "unchanged" files from this one would be wrong.
        (config.cache_path / MANIFEST).unlink(missing_ok=True)
    writer = Writer(config.output_path, config.cache_path)
    with writing(config.root, config.output_path, "the previous site is unchanged"):
        rendered, search = _write_site(config, site, env, writer, jobs, progress, lap)
    problems = list(loaded.problems) + linted + rendered
    engine = adopt(config, jobs, loaded, site, sources, memo, moved, digests_memo, search, dict(writer.written),
                   rendered, env)
    lap("engine")
    files, rewritten = list(writer.written), writer.rewritten
    del writer
    index_report = _update_index(config, loaded, dict(site.topic_of)) if index else None  # its own CannotWrite names the index
    if index_report is not None:
        known = set(problems)  # a set: a list per problem was quadratic in 5,000 warnings
        problems += [p for p in index_report.problems if p not in known]
        lap("search index")
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.message))
    with writing(config.root, config.cache_path, "the site and index are built; the next build redoes them"):
        write_history(config.cache_path, moved)
        save_engine(engine, sources.settings)
        save_state(config, sources.fingerprint, len(site.entries), files, problems)
    lap("state")
    return BuildReport(len(site.entries), len(files), rewritten, tuple(problems), False, timings, index_report), engine


def _write_site(config: Config, site, env, writer, jobs: int | None, progress: Progress | None,
                lap: Callable[[str], None]) -> tuple[list[Problem], object]:
    """Stage every page, feed and asset and swap them in; return the problems rendering found and the search data."""
    from notebase.site.emitters.assets import emit_assets
    from notebase.site.emitters.feeds import emit_feeds, emit_sitemap
    from notebase.site.emitters.listings import emit_listings
    from notebase.site.emitters.pages import emit_entry_pages
    from notebase.site.emitters.search_live import LiveSearchData
    from notebase.site.emitters.topic_data import emit_topic_data
    from notebase.site.redirects import redirect_files

    writer.start()
    try:
        # The listings are written by this process while the workers render entry pages.
        problems = emit_entry_pages(site, env, writer, jobs, progress, alongside=lambda: emit_listings(site, env, writer))
        lap("pages")
        search = LiveSearchData(config, jobs)  # kept by the engine, which patches it after an edit
        search.update(site.entries, out=writer.write)  # each file written as it is made
        emit_topic_data(site, writer)
        lap("search data")
        emit_feeds(site, writer)
        emit_assets(config, writer)
        pages = [page_of(rel) for rel in writer.written if rel.endswith(".html")
                 and rel != "404.html" and not rel.startswith("static/")]
        for rel, data in redirect_files(site):
            if rel not in writer.written:  # a page of the site's own is never replaced
                writer.write(rel, data)
        emit_sitemap(site, writer, pages)
        writer.commit()
        lap("write")
    except BaseException:
        writer.abort()
        raise
    return problems, search


def _index_present(config: Config) -> bool:
    from notebase.search.place import STAMPS, index_path

    return (index_path(config) / STAMPS).is_file()


def _index_beside(config: Config):
    """Start bringing the index up to date in a forked process; return its future (None where there is no fork).

    It decides the changed entries' topics as the site does (site.topics.topics_of), and its errors
    come back through the future as they would be raised here.
    """
    import multiprocessing

    from notebase.crash import worker_pool

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    pool = worker_pool(1, "fork")
    future = pool.submit(_forked_index, config)
    pool.shutdown(wait=False)  # the worker ends once the update is done; `future.result()` waits for it
    return future


def _forked_index(config: Config):
    # Looked up in the worker, not handed over pickled: whatever `_update_index` is there is what runs.
    return _update_index(config, None)


def _index_result(config: Config, indexing):
    """What the forked index update reports (its errors raised here); done here when it could not be forked or died."""
    from concurrent.futures.process import BrokenProcessPool

    if indexing is not None:
        try:
            return indexing.result()
        except BrokenProcessPool:  # killed from outside, or out of memory: its work is done again here
            pass
    return _update_index(config, None)


def _update_index(config: Config, loaded, topics=None):
    from notebase.search.index import update

    return update(config, loaded=loaded, topics=topics)


def save_state(config: Config, fingerprint: str, entries: int, files: Collection[str], problems: list[Problem],
               folders: dict[str, int] | None = None) -> None:
    """Record what the no-change check compares (the fingerprint, the site's folders: stamped anew
    unless given) and what it reports again."""
    folders = folders if folders is not None else folder_stamps(config.output_path, files)
    write_json(config.cache_path / STATE, {"fingerprint": fingerprint, "entries": entries, "files": len(files),
                                           "folders": folders,
                                           "output": str(config.output_path),
                                           "problems": [p.as_dict() for p in problems]})
