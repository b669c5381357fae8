"""The one sequencer: load, assemble the frozen Site, emit every output, swap it in, update the index.

When nothing that shapes the site changed since the last build (the files under the notes
folder, the templates, the settings, notebase itself) and the site is still there, the build
stops after one walk and reports the previous build's problems again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from notebase import __version__
from notebase.config import Config
from notebase.errors import ConfigError, Problem, Severity
from notebase.load.files import scan
from notebase.unwritable import writing
from notebase.render.urls import page_of

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
    """Digest what a site is made from (files under notes, templates, settings, version); list the notes' files.

    One walk serves both: the digest decides whether anything must be built, the list lets
    images and embeds be resolved without touching the disk again.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((__version__, sorted((k, repr(v)) for k, v in vars(config).items() if not k.startswith("_")
                                       and not k.endswith("_path")))).encode())
    from notebase.render.templates import template_dirs

    skip = {str(config.output_path), str(config.cache_path)}
    notes_files: list[str] = []
    h.update(str(config.notes_path).encode())
    for rel, path in scan(config).files:  # only what may be read: links leading outside are left out
        try:
            st = os.stat(path)
        except OSError:
            continue
        h.update(f"{rel}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1e".encode("utf-8", "surrogatepass"))
        notes_files.append(rel)
    for folder in template_dirs(config):
        h.update(str(folder).encode())
        for rel, size, mtime in _tree(str(folder), skip):
            h.update(f"{rel}\x1f{size}\x1f{mtime}\x1e".encode("utf-8", "surrogatepass"))
    for name in ("notebase.yaml", "notebase.yml", ".gitignore"):  # .gitignore: it can leave notes out
        try:
            st = os.stat(config.root / name)
            h.update(f"{name}{st.st_size}{st.st_mtime_ns}".encode())
        except OSError:
            pass
    return h.hexdigest(), notes_files


def _tree(folder: str, skip: set[str], prefix: str = ""):
    try:
        items = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for item in items:
        if item.name.startswith(".") or item.path in skip:
            continue
        if item.is_dir(follow_symlinks=False):
            yield from _tree(item.path, skip, prefix + item.name + "/")
        else:
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            yield prefix + item.name, st.st_size, st.st_mtime_ns


def _read_state(config: Config) -> dict:
    try:
        state = json.loads((config.cache_path / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _site_intact(config: Config, files: int) -> bool:
    count = sum(1 for _ in _tree(str(config.output_path), set()))
    return config.output_path.is_dir() and count == files


def build(config: Config, *, jobs: int | None = None, progress: Progress | None = None,
          index: bool = True, force: bool = False) -> BuildReport:
    """Build the site into the output folder (atomically) and bring the search index up to date."""
    from notebase.crash import exclusive
    from notebase.search.index import tidy
    from notebase.site.writer import tidy_output

    check_output(config)
    # One build at a time: the lock dies with a killed build, whose staging folder is then removed.
    with writing(config.root, config.cache_path, "nothing was changed"), exclusive(config.cache_path / LOCK):
        tidy_output(config.output_path)
        tidy(config)
        return _build(config, jobs, progress, index, force)


def _build(config: Config, jobs: int | None, progress: Progress | None, index: bool, force: bool) -> BuildReport:
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 3)

    fingerprint, notes_files = scan_inputs(config)
    state = _read_state(config)
    if not force and state.get("fingerprint") == fingerprint and _site_intact(config, state.get("files", -1)):
        index_report = _update_index(config, None) if index and not _index_present(config) else None
        lap("check")
        problems = tuple(Problem(**{**p, "severity": Severity(p["severity"])}) for p in state.get("problems", []))
        return BuildReport(state.get("entries", 0), state["files"], 0, problems, True, timings, index_report)

    from notebase.site.emitters.feeds import relative_links_warning
    from notebase.site.lint import lint
    from notebase.load.loader import load
    from notebase.site.redirects import plan_site, read_history, write_history
    from notebase.render.templates import make_env
    from notebase.site.assemble import assemble
    from notebase.site.topic_filters import topic_warnings
    from notebase.site.writer import MANIFEST, Writer

    loaded = load(config, jobs)
    lap("load")
    site = assemble(loaded.entries, config, notes_files)
    moved = plan_site(site, *read_history(config.cache_path))
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
        problems = _write_site(config, site, env, writer, loaded, linted, jobs, progress, lap)
    entry_count, file_count, rewritten = len(site.entries), len(writer.written), writer.rewritten
    topics = dict(site.topic_of)  # decided once: the index takes the site's
    if index:
        # The index needs each entry's plain text, not its body: dropping bodies and the site and
        # handing the freed pages back before indexing lowers the index stage's peak at 10,000 notes
        # from ~435 to ~365 MB, below the site stages' own peak (~450 MB, in search data).
        del site, env, writer
        loaded = _lean(loaded)
        _release_memory()
    index_report = _update_index(config, loaded, topics) if index else None  # its own CannotWrite names the index
    if index_report is not None:
        known = set(problems)  # a set: a list per problem was quadratic in 5,000 warnings
        problems += [p for p in index_report.problems if p not in known]
        lap("search index")
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.message))
    with writing(config.root, config.cache_path, "the site and index are built; the next build redoes them"):
        write_history(config.cache_path, moved)
        save_state(config, fingerprint, entry_count, file_count, problems)
    return BuildReport(entry_count, file_count, rewritten, tuple(problems), False, timings, index_report)


def _write_site(config: Config, site, env, writer, loaded, linted: list[Problem], jobs: int | None,
                progress: Progress | None, lap: Callable[[str], None]) -> list[Problem]:
    """Stage every page, feed and asset and swap them in; return the problems rendering found."""
    from notebase.site.emitters.assets import emit_assets
    from notebase.site.emitters.feeds import emit_feeds, emit_sitemap
    from notebase.site.emitters.listings import emit_listings
    from notebase.site.emitters.pages import emit_entry_pages
    from notebase.site.emitters.search_data import iter_search_files
    from notebase.site.emitters.topic_data import emit_topic_data
    from notebase.site.redirects import redirect_files

    writer.start()
    try:
        problems = list(loaded.problems) + linted
        problems += emit_entry_pages(site, env, writer, jobs, progress)
        lap("entry pages")
        emit_listings(site, env, writer)
        lap("listings")
        for rel, data in iter_search_files(site.entries, config, jobs):
            writer.write(rel, data)
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
    return problems


def _lean(loaded):
    """Return the load result with entry bodies and sections emptied, which the index does not read."""
    from dataclasses import replace

    entries = tuple(replace(e, body="", **({"sections": ()} if hasattr(e, "sections") else {}))
                    for e in loaded.entries)
    return replace(loaded, entries=entries, loads=tuple(replace(f, entries=()) for f in loaded.loads))


def _release_memory() -> None:
    """Collect garbage and give freed heap pages back to the system (glibc only)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _index_present(config: Config) -> bool:
    from notebase.search.index import STAMPS, index_path

    return (index_path(config) / STAMPS).is_file()


def _update_index(config: Config, loaded, topics=None):
    from notebase.search.index import update

    return update(config, loaded=loaded, topics=topics)


def save_state(config: Config, fingerprint: str, entries: int, files: int, problems: list[Problem]) -> None:
    """Record what the site was built from, so a later build with nothing changed can skip the work."""
    path: Path = config.cache_path / STATE
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"fingerprint": fingerprint, "entries": entries, "files": files, "output": str(config.output_path),
             "problems": [p.as_dict() for p in problems]}
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
