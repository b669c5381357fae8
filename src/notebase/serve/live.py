"""A site kept in memory between edits, so one edit re-renders only the pages it changes.

`notebase serve` uses it. `start` builds the site as `notebase build` does and loads every note
into memory. Each `update` then re-reads only the changed files, assembles the Site again and
compares, page by page, a key of everything the page shows (the entries on it, compared by
identity, so unchanged ones cost nothing; its neighbours, backlinks, related entries, tags and
link targets). Only pages whose key changed are rendered; they are written straight into the
output folder (each file replaced atomically), and pages no longer produced are deleted.
"""

from __future__ import annotations

import gc
import os
import posixpath
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path

from notebase.config import Config
from notebase.errors import Problem, once_each
from notebase.serve.live_plan import SiteKeys, plan_pages
from notebase.load.loader import FileLoad, file_id_keys, load_some, unique_ids
from notebase.model import Entry, replaced, unsqueeze
from notebase.load.files import Tree, scan, walk
from notebase.render.urls import page_of
from notebase.site.writer import MANIFEST, digest, safe_join, write_manifest

# Files a live update never deletes: the theme's assets and copied images (the next build tidies them).
KEPT = ("static/", "media/")


@dataclass(frozen=True)
class Update:
    """What one update did: files written and deleted, every current problem, the time it took."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]  # load and render problems (all errors); LiveSite.problems() adds warnings
    seconds: float
    entries: int
    full: bool = False  # the whole site was rebuilt (templates or settings changed)

    @property
    def pages(self) -> tuple[str, ...]:
        """The page paths (as links name them) of the HTML files written or deleted."""
        return tuple(page_of(rel) for rel in (*self.written, *self.removed) if rel.endswith(".html"))


class LiveWriter:
    """Writes files straight into the output folder, skipping those whose content is unchanged."""

    def __init__(self, output: Path, digests: dict[str, str]):
        self.output = output
        self.digests = digests  # path -> content digest of every file in the output folder
        self.written: dict[str, str] = {}  # this update's files (the pages emitter reads it)
        self.changed: list[str] = []  # files whose content changed or that are new

    def write(self, rel: str, data: bytes) -> None:
        """Write one file unless it already holds exactly `data`."""
        key = digest(data)
        self.written[rel] = key
        if self.digests.get(rel) == key:
            return
        target = safe_join(self.output, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a browser reading the page meanwhile sees the old or the new file
        self.digests[rel] = key
        self.changed.append(rel)

    def remove(self, rel: str) -> None:
        """Delete a file that is no longer produced, and its folder when that is left empty."""
        self.digests.pop(rel, None)
        target = safe_join(self.output, rel)
        try:
            target.unlink()
            target.parent.rmdir()
        except OSError:
            pass


class LiveSite:
    """The site of one knowledge base, kept in step with its notes by small updates."""

    def __init__(self, config: Config, jobs: int | None = None):
        self.config = config
        self.jobs = jobs
        self.loads: dict[str, FileLoad] = {}
        self.keys: dict[str, tuple] = {}  # id keys of each file's entries
        self.final: dict[int, tuple[Entry, Entry]] = {}  # id(raw entry) -> (raw, entry with its unique id)
        # Output file -> what the page showed when written: all of them while serving; None when
        # loaded from the build state, which leaves them out (the old site's SiteKeys give them back).
        self.page_keys: Mapping[str, tuple] | None = None
        self.render_problems: dict[str, list[Problem]] = {}  # by source file
        self.digests: dict[str, str] = {}
        self.site = None
        self.search = None
        self.memo: dict = {}  # what each entry names and links to, kept between assembles
        self.ids: tuple = (None, [], [])  # (id keys, unique ids, id problems) of the last update
        self.where: dict[str, str] = {}
        self.files: set[str] = set()  # every file under the notes folder (images, embeds)
        self.tree_problems: tuple[Problem, ...] = ()  # folders not read, links not followed
        self.moved = None  # the last redirects.Redirects: redirect pages and the page history
        self.digests_memo: dict = {}  # each entry's body digest, for recognising renamed notes
        self.stamps: dict[str, tuple[int, int]] = {}  # (size, mtime) of every file under notes, as last read
        self.load_problems: list[Problem] = []
        self.env = None
        self.rows: dict[str, tuple[int, tuple, tuple]] = {}  # the engine state's rows by source file (state_rows.py)
        self.texts = None  # the rows' long texts (state_rows.TextStore), when loaded from the state
        self.lint_memo: dict = {}  # what the lint found of each entry, kept between updates (not in the state)

    # -- starting -------------------------------------------------------------------------------

    def start(self) -> Update:
        """Build the site as `notebase build` does (incrementally when a build state is kept), and hold it."""
        from notebase.build import build_live

        started = time.perf_counter()
        from notebase.site.engine import load_state, scan_sources
        from notebase.site.state_rows import StateLost

        report, engine = build_live(self.config, jobs=self.jobs, index=False)
        if engine is None:  # nothing changed since the last build: its state holds the site
            engine = load_state(self.config, scan_sources(self.config).settings, self.jobs)
        try:
            if engine is not None and engine.texts is not None:  # read now: a build may drop their rows meanwhile
                engine.texts.keep_all()
        except StateLost:
            engine = None
        if engine is None:
            report, engine = build_live(self.config, jobs=self.jobs, index=False, force=True)
        self.__dict__.update({k: v for k, v in vars(engine).items() if k not in ("config", "jobs")})
        self.search.jobs = self.jobs
        for entry in (*self.site.entries, *(e for f in self.loads.values() for e in f.entries)):
            unsqueeze(entry)  # a full build kept them compressed; after an add every page looks through its body
        if not isinstance(self.page_keys, dict):  # a server compares every page's key after each edit
            self.page_keys = dict(SiteKeys(self.site, self.env))
        # Everything loaded so far lives as long as the server: the collector need not scan it again.
        gc.collect()
        gc.freeze()
        return Update((), (), self._problems(), time.perf_counter() - started, len(self.site.entries), True)

    # -- updating -------------------------------------------------------------------------------

    def update(self, changed: set[Path], writer=None, tree: Tree | None = None) -> Update:
        """Bring the site in step after `changed` files (absolute paths) were written or deleted.

        `writer` (a LiveWriter by default) receives the files; `tree`, a walk of the notes folder
        made since the change, saves walking it again.
        """
        started = time.perf_counter()
        root = self.config.root.resolve()
        if any(_is_setting(path, root, self.config) for path in changed):
            return self.start()
        notes = self.config.notes_path
        # The link itself, not where it leads: a link made to a file outside must be seen (and refused).
        named = {p.parent.resolve() / p.name for p in changed}
        rels = {p.relative_to(notes).as_posix() for p in named if _inside(p, notes)}
        if tree is not None:
            current, rescanned = self._rescan(tree), True
            self.where = current
        elif all(rel in self.where and os.path.isfile(self.where[rel]) for rel in rels):
            current, rescanned = self.where, False  # only known notes were edited: nothing came or went
        else:
            current, rescanned = self._rescan(), True
            self.where = current
        reread = {rel for rel in rels if rel in current}
        for rel in rels:  # a feed's settings file changes how the feed loads
            stem, ext = posixpath.splitext(rel)
            if ext in (".yaml", ".yml"):
                reread |= {r for r in current if posixpath.splitext(r)[0] == stem and r != rel}
        reread |= current.keys() - self.loads.keys()
        gone = self.loads.keys() - current.keys()
        loaded = {f.rel: f for f in load_some([Path(current[rel]) for rel in sorted(reread)], self.config, self.jobs)}
        left = [raw for rel in loaded.keys() | gone if rel in self.loads for raw in self.loads[rel].entries]
        self.loads = {rel: loaded.get(rel) or self.loads[rel] for rel in current}
        for rel, f in loaded.items():
            self.keys[rel] = _id_keys(f)
        for rel in gone:
            self.keys.pop(rel, None)
        if not rescanned and (rels - current.keys() - gone or
                              any(not r.endswith((".md", ".markdown")) for r in rels - reread)):
            self._rescan()  # an image or folder came or went
        old = self.site
        entries, self.load_problems = self._entries(loaded.keys(), left)
        self.site = self._assemble(entries, old)
        for rel in reread | gone:
            self.render_problems.pop(rel, None)
        # An image a page shows was copied into media/: a changed one is copied again, a deleted one goes.
        media = sorted(rel for rel in rels - current.keys() - gone if f"media/{rel}" in self.digests)
        written, removed = self._write(old, writer or LiveWriter(self.config.output_path, self.digests), media)
        return Update(tuple(written), tuple(removed), self._problems(), time.perf_counter() - started,
                      len(self.site.entries))

    def missed(self) -> set[Path]:
        """Files that changed, came or went since they were loaded (edits made while starting)."""
        from notebase.load.files import stamp

        current = dict(walk(self.config))
        changed = {Path(current[rel]) for rel in current.keys() - self.loads.keys()}
        changed |= {self.config.notes_path / rel for rel in self.loads.keys() - current.keys()}
        for rel, f in self.loads.items():
            try:
                if rel in current and stamp(current[rel]) != f.stamp:
                    changed.add(Path(current[rel]))
            except OSError:
                changed.add(Path(current[rel]))
        return changed

    def _rescan(self, tree: Tree | None = None) -> dict[str, str]:
        """Walk the notes folder again (unless given the walk): keep its files and problems, return its notes."""
        tree = tree or scan(self.config)
        self.files = {rel for rel, _ in tree.files}
        self.tree_problems = tree.problems
        return dict(tree.notes)

    def _entries(self, arrived: Iterable[str] | None = None, left: Iterable[Entry] = ()
                 ) -> tuple[list[Entry], list[Problem]]:
        """Every entry with its unique id, as `load` would give them, reusing unchanged objects.

        `arrived` names the files read again since the last call and `left` their entries before (and
        those of files gone): when no entry's id key changed, only the arrived ones are given ids."""
        raws = [e for f in self.loads.values() for e in f.entries]
        keys = [k for rel in self.loads for k in self.keys[rel]]
        if keys != self.ids[0]:  # an edit that leaves every id key alone keeps every id
            self.ids = (keys, *unique_ids(keys))
            arrived = None
        ids, id_problems = self.ids[1:]
        if arrived is None:
            final = {}
            for raw, new_id in zip(raws, ids):
                kept = self.final.get(id(raw))
                final[id(raw)] = (raw, kept[1] if kept and kept[0] is raw and kept[1].id == new_id else
                                  _with_id(raw, new_id))
            self.final = final
        else:  # every other entry keeps its place, its id and so its final form
            final = self.final
            for raw in left:
                final.pop(id(raw), None)
            starts = dict(zip(self.loads, accumulate((len(f.entries) for f in self.loads.values()), initial=0)))
            for rel in arrived:
                start = starts[rel]
                for raw, new_id in zip(self.loads[rel].entries, ids[start:start + len(self.loads[rel].entries)]):
                    final[id(raw)] = (raw, _with_id(raw, new_id))
        entries = [final[id(raw)][1] for raw in raws]
        found = [*self.tree_problems, *(p for f in self.loads.values() for p in f.problems)]
        problems = sorted(once_each(found) + id_problems,
                          key=lambda p: (p.path, p.line))
        return entries, problems

    def _assemble(self, entries: list[Entry], old=None):
        from notebase.site.redirects import plan_site, read_history, replan_bodies
        from notebase.site.assemble import assemble

        site = assemble(entries, self.config, self.files, memo=self.memo)
        kept = replan_bodies(self.moved, site, old, self.digests_memo) if self.moved is not None else None
        if kept is not None:  # no page moved: the plan stands, with the edited bodies' digests
            self.moved = kept
            return replace(site, redirects=kept.targets)
        if self.moved is None:
            history, generation = read_history(self.config.cache_path)
        else:  # this session's own history: a page renamed twice sends both old addresses on
            history, generation = {r.path: r for r in self.moved.history}, self.moved.generation
        self.moved = plan_site(site, history, generation, self.digests_memo)
        return replace(site, redirects=self.moved.targets)

    def _write(self, old, writer, media: list[str]) -> tuple[list[str], list[str]]:
        from notebase.load.sandbox import read_inside

        gone_media = []
        for rel in media:
            try:
                writer.write(f"media/{rel}", read_inside(self.config.notes_path, self.config.notes_path / rel))
            except OSError:  # gone, or no longer readable: a full build would not copy it either
                gone_media.append(f"media/{rel}")
        previous = self.page_keys if self.page_keys is not None else SiteKeys(old, self.env) if old else {}
        memo = self.memo  # assemble's: each entry's Refs, which know whether its body names a .md file

        def mentions_md(entry: Entry) -> bool | None:
            found = memo.get(id(entry))
            return found[1].mentions_md if found is not None and found[0] is entry else None

        keys, problems, pages_gone = plan_pages(self.site, old, self.env, writer, previous, mentions_md=mentions_md)
        self.render_problems.update(problems)
        files, gone = self.search.update(self.site.entries)
        for rel, data in files.items():
            writer.write(rel, data)
        removed = sorted(pages_gone | (set(gone) - files.keys())
                         | {rel for rel in gone_media if rel not in writer.written})
        for rel in removed:
            writer.remove(rel)
        self.page_keys = keys
        return sorted(writer.changed), removed

    def _problems(self) -> tuple[Problem, ...]:
        """Load and render problems: every error there is (the lint adds warnings only)."""
        found = [*self.load_problems, *(p for found in self.render_problems.values() for p in found)]
        return tuple(sorted(dict.fromkeys(found), key=lambda p: (p.path, p.line, p.message)))

    def problems(self) -> tuple[Problem, ...]:
        """Every current problem, as `notebase build` reports them (the lint's warnings too)."""
        from notebase.site.lint import lint

        found = [*self._problems(), *lint(self.site, links=False, memo=self.lint_memo), *self.moved.problems]
        return tuple(sorted(dict.fromkeys(found), key=lambda p: (p.path, p.line, p.message)))

    # -- after the browser reloaded ---------------------------------------------------------------

    def save(self, problems: tuple[Problem, ...]) -> None:
        """Record the site as it now is (the build state too), so a later `notebase build` redoes nothing."""
        from notebase.build import save_state
        from notebase.site.engine import save_engine, scan_sources
        from notebase.site.redirects import write_history

        sources = scan_sources(self.config)
        # A note edited or added since the last update is left for the next build to find: notes
        # keep the stamp they were read with, and a note not read yet has none.
        notes = dict(sources.tree.notes)
        self.stamps = {rel: self.loads[rel].stamp[:2] if rel in self.loads else value
                       for rel, value in sources.stamps.items() if rel in self.loads or rel not in notes}
        write_manifest(self.config.cache_path / MANIFEST, self.digests)
        write_history(self.config.cache_path, self.moved)
        save_engine(self, sources.settings)
        save_state(self.config, sources.fingerprint if self.stamps == sources.stamps else "", len(self.site.entries),
                   self.digests, list(problems))


def _with_id(raw: Entry, new_id: str) -> Entry:
    """An entry as the site shows it: with its unique id (the same object when it kept its own)."""
    return raw if raw.id == new_id else replaced(raw, id=new_id)


def _id_keys(f: FileLoad) -> tuple:
    return file_id_keys(f)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _is_setting(path: Path, root: Path, config: Config) -> bool:
    """Whether a change to `path` can change every page: the settings file or a template."""
    from notebase.render.theme import template_dirs

    path = path.resolve()
    if path.parent == root and path.name in ("notebase.yaml", "notebase.yml"):
        return True
    return any(_inside(path, folder.resolve()) for folder in template_dirs(config))



