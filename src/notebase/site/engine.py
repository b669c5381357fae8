"""The build state kept in `.notebase/`, so `notebase build` after an edit does what `serve` does.

A `LiveSite` (live.py) is the engine: it holds every file's entries, the assembled Site, a key of
everything each output file shows and the browser search data. `save_state` pickles it after a
build or a live update; `load_state` gives it back to the next build, which stamps the files under
the notes folder, hands the changed ones to `LiveSite.update` and writes only the files whose key
changed. The state is our own cache, never shared: any failure to read it means "no state", and
the build starts from scratch.

An incremental build never leaves a half site: it writes through the journal (journal.py).
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from notebase import __version__
from notebase.config import Config
from notebase.atomic import replaced
from notebase.collector import paused
from notebase.load.files import Tree, scan

STATE = "engine.pickle"
STATE_FORMAT = 18  # 2: the graph memo kept in parts; 3: entries in rows (state_rows.py); 4: the related ranking; 5: Related a named tuple; 6-7: long texts decoded when read; 8: the graph kept in three parts; 9: flat page keys; 10: no page keys; 11: Refs.mentions_md; 12-13: long texts in a table of their own; 14: no sections (worked out when asked); 15: no search rows (the same); 16: each entry's memo in its row; 17: Refs in site/refs.py, the shape keeps the entries themselves; 18: the search data's last columns


@dataclass(frozen=True)
class Sources:
    """One walk of what a site is made from: its fingerprints and every file's stamp."""

    fingerprint: str  # everything: settings, templates, every file under the notes folder
    settings: str  # everything but the notes folder's files: a change here rebuilds from scratch
    tree: Tree
    stamps: dict[str, tuple[int, int]]  # notes-relative path -> (size, mtime) of every file


def scan_sources(config: Config) -> Sources:
    """Walk the notes folder and the templates once; stamp every file; digest the settings and the whole."""
    from notebase.render.theme import template_dirs

    h = hashlib.blake2b(digest_size=16)
    h.update(repr((__version__, sorted((k, repr(v)) for k, v in vars(config).items() if not k.startswith("_")
                                       and not k.endswith("_path")))).encode())
    h.update(str(config.notes_path).encode())
    skip = {str(config.output_path), str(config.cache_path)}
    for folder in template_dirs(config):
        h.update(str(folder).encode())
        for rel, size, mtime in walk_tree(str(folder), skip):
            h.update(f"{rel}\x1f{size}\x1f{mtime}\x1e".encode("utf-8", "surrogatepass"))
    for name in ("notebase.yaml", "notebase.yml", ".gitignore"):  # .gitignore: it can leave notes out
        try:
            st = os.stat(config.root / name)
            h.update(f"{name}{st.st_size}{st.st_mtime_ns}".encode())
        except OSError:
            pass
    settings = h.hexdigest()
    tree = scan(config)  # only what may be read: links leading outside are left out
    stamps: dict[str, tuple[int, int]] = {}
    for rel, path in tree.files:
        try:
            st = os.stat(path)
        except OSError:
            continue
        stamps[rel] = (st.st_size, st.st_mtime_ns)
        h.update(f"{rel}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1e".encode("utf-8", "surrogatepass"))
    return Sources(h.hexdigest(), settings, tree, stamps)


def walk_tree(folder: str, skip: set[str], prefix: str = ""):
    """Yield (relative path, size, mtime) of every file under `folder`, hidden ones and `skip` left out."""
    try:
        items = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for item in items:
        if item.name.startswith(".") or item.path in skip:
            continue
        if item.is_dir(follow_symlinks=False):
            yield from walk_tree(item.path, skip, prefix + item.name + "/")
        else:
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            yield prefix + item.name, st.st_size, st.st_mtime_ns


def count_files(folder: str) -> int:
    """How many files `walk_tree` would yield under `folder`: no sorting, no stat (the no-change check's cost)."""
    count = 0
    try:
        items = list(os.scandir(folder))
    except OSError:
        return 0
    for item in items:
        if item.name.startswith("."):
            continue
        if item.is_dir(follow_symlinks=False):
            count += count_files(item.path)
        else:
            count += 1
    return count


def changed_files(config: Config, before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> set[Path]:
    """The files under the notes folder written, added or deleted between two stampings."""
    notes = config.notes_path
    return {notes / rel for rel in before.keys() | now.keys() if before.get(rel) != now.get(rel)}


# -- the state ------------------------------------------------------------------------------------

# Fields of a LiveSite kept as they are; the memos keyed by id() are kept as lists and keyed again,
# and the site without its related entries, which the rows hold (write_state, _memo_again).
FIELDS = ("loads", "keys", "render_problems", "digests", "search", "ids", "where", "files",
          "tree_problems", "moved", "load_problems", "stamps")


def read_only(mapping: dict) -> MappingProxyType:
    """Wrap a mapping read-only again (what a pickled Site's mappings are loaded through)."""
    return MappingProxyType(mapping)


def kept_in_rows() -> set[type]:
    """The classes whose objects the state keeps in rows: entries and search documents."""
    from notebase.model import ENTRY_CLASSES, Entry
    from notebase.site.emitters.search_live import SearchDoc

    return {Entry, SearchDoc, *ENTRY_CLASSES.values()}


def state_pickler(file, packer=None) -> pickle.Pickler:
    """A pickler that also takes the Site's read-only mappings (copied into dicts, wrapped again on load),
    and entries and search documents with their long texts as bytes (`packer`, a state_rows.Packer)."""
    from notebase.site.state_rows import Packer

    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table[MappingProxyType] = lambda m: (read_only, (dict(m),))
    table.update(dict.fromkeys(kept_in_rows(), packer or Packer()))
    pickler.dispatch_table = table
    return pickler


def _history_stamp(path: Path) -> tuple[int, int] | None:
    """The page history the state goes with: one lost or edited means the redirects a fresh build makes."""
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return None


def write_state(live, settings: str, file, history: Path | None = None) -> None:
    """Pickle a LiveSite's state into `file` (open for writing bytes), stamped with the version, settings,
    output folder and page history (at `history`, written already; the cache's by default) it holds for.

    Written straight to the file: a 10,000-note state held as bytes first (twice, with BytesIO's
    copy) was the cold build's peak of memory.

    The entries and search documents go into rows by source file first (state_rows.py), only
    those of changed files written again; the state names them by row.
    """
    from notebase.site.redirects import HISTORY
    from notebase.site.refs import Refs
    from notebase.site.state_rows import Packer, entry_ref, group, save_rows
    from notebase.site.vocab_cache import keep_vocabulary, vocabulary_key

    keep_vocabulary(live.config, vocabulary_key(live.config))
    with paused():  # pickling makes no garbage; a collection would walk the whole state
        live.rows, where = save_rows(live.config.cache_path, group(live), live.rows, state_pickler)
        state = {name: getattr(live, name) for name in FIELDS}
        # What the rows hold of each entry's memo (its Refs, topics and related entries) is put together
        # again by the loader: written here, it cost a third of the pickling after every edit.
        state["site"] = {**vars(live.site), "related": None}
        state["final"] = list(live.final.values())
        state["shape"] = _shape_kept(live.memo.get("shape"))
        state["digests_memo"] = list(live.digests_memo.values())
        head = (STATE_FORMAT, __version__, settings, str(live.config.output_path),
                _history_stamp(history or live.config.cache_path / HISTORY))

        packed = Packer()

        def ref(obj):
            found = where.get(id(obj))
            return (entry_ref, (found,)) if found is not None else packed(obj)

        pickle.dump((head, {rel: row[0] for rel, row in live.rows.items()}), file, pickle.HIGHEST_PROTOCOL)
        pickler = state_pickler(file)
        pickler.dispatch_table.update(dict.fromkeys((*kept_in_rows(), Refs), ref))
        pickler.dump(state)


def _shape_kept(shape: tuple | None) -> tuple | None:
    """What the state keeps of assemble's memo["shape"]: all but what the rows hold entry by entry
    (topics, related entries), put together again by `_memo_again`."""
    if shape is None:
        return None
    keys, graph, _, topics, profiles, _, ranking = shape
    return keys, graph, topics, profiles, None if ranking is None else {**vars(ranking), "ranked": None}


def _memo_again(live, state: dict, rows: dict, vocab) -> None:
    """Put the site and assemble's memo together again from the rows' memo (`group`) and the state."""
    from notebase.site.assemble import Site
    from notebase.site.related import Ranking

    kept = {}
    for _, extras in rows.values():
        for n in range(0, len(extras), 4):
            kept[id(extras[n])] = extras[n + 1:n + 4]  # refs, topics, related
    fields, shape = state["site"], state["shape"]
    entries, profiles = fields["entries"], shape[3]
    memo: dict = {}
    found: dict[str, tuple] = {}
    ranked: dict[int, tuple] = {}
    needy = shape[4]["needy"] if shape[4] is not None else frozenset()
    for n, entry in enumerate(entries):  # every entry of the site has its memo: a KeyError means a bad state
        refs, topics, related = kept[id(entry)]
        memo[id(entry)] = (entry, refs, (topics, profiles[n]), vocab)
        if related is not None and n not in needy:
            found[entry.id] = ranked[n] = related
    # In rank's order: the ranked by number, then the needy.
    for n in sorted(needy):
        related = kept[id(entries[n])][2]
        if related is not None:
            found[entries[n].id] = related
    related = read_only(found)
    ranking = None
    if shape[4] is not None:
        ranking = Ranking.__new__(Ranking)
        vars(ranking).update(shape[4], ranked=ranked)
    site = live.site = Site.__new__(Site)
    vars(site).update(fields, related=related)
    memo["shape"] = (shape[0], shape[1], tuple(memo[id(e)][2][0] for e in entries), shape[2], profiles, related,
                     ranking)
    live.memo = memo


def _expected_head(config: Config, settings: str) -> tuple:
    from notebase.site.redirects import HISTORY

    return STATE_FORMAT, __version__, settings, str(config.output_path), _history_stamp(config.cache_path / HISTORY)


def state_kept(config: Config, settings: str) -> bool:
    """Whether a state for these settings is kept (read no further than its head: load_state may still refuse it)."""
    try:
        with open(config.cache_path / STATE, "rb") as file:
            return pickle.load(file)[0] == _expected_head(config, settings)
    except Exception:  # noqa: BLE001 - unreadable is as good as none
        return False


def load_state(config: Config, settings: str, jobs: int | None = None):
    """Return the LiveSite the last build or update left, or None when there is none for these settings."""
    from notebase.serve.live import LiveSite
    from notebase.render.templates import make_env
    from notebase.site.state_rows import StateUnpickler, load_rows
    from notebase.site.topics import vocabulary
    from notebase.site.vocab_cache import adopt_kept_vocabulary

    if not config.output_path.is_dir():
        return None
    expected = _expected_head(config, settings)
    was = gc.isenabled()
    gc.disable()  # unpickling makes no garbage; collections while it runs would cost seconds
    try:
        with open(config.cache_path / STATE, "rb") as file:
            head, keys = pickle.load(file)
            if head != expected:
                return None
            rows, texts = load_rows(config.cache_path, keys)
            state = StateUnpickler(file, rows).load()
        adopt_kept_vocabulary(config)
        live = LiveSite(config, jobs)
        for name in FIELDS:
            setattr(live, name, state[name])
        _memo_again(live, state, rows, vocabulary(config))
    except Exception:  # noqa: BLE001 - any unreadable state (old, damaged, cut short, a row lost) means a full build
        return None
    finally:
        # What was loaded lives as long as the process: the collector need not walk it again (each
        # collection would otherwise walk 10,000 entries: building the vocabulary cost seconds so).
        gc.freeze()
        if was:
            gc.enable()
    live.rows = {rel: (key, *rows[key]) for rel, key in keys.items()}
    live.texts = texts
    live.final = {id(pair[0]): pair for pair in state["final"]}
    live.digests_memo = {id(value[0]): value for value in state["digests_memo"]}
    live.search.config = config
    live.env = make_env(config)
    return live


def adopt(config: Config, jobs: int | None, loaded, site, sources: Sources, memo: dict, moved, digests_memo: dict,
          search, digests: dict[str, str], rendered: list, env):
    """Return the LiveSite of a site just built in full from these parts, nothing computed twice."""
    from notebase.serve.live import LiveSite
    from notebase.load.loader import file_id_keys, unique_ids

    live = LiveSite(config, jobs)
    live.loads = {f.rel: f for f in loaded.loads}
    live.keys = {rel: file_id_keys(f) for rel, f in live.loads.items()}
    raws = [e for f in loaded.loads for e in f.entries]
    live.final = {id(raw): (raw, entry) for raw, entry in zip(raws, loaded.entries)}
    keys = [k for rel in live.loads for k in live.keys[rel]]
    live.ids = (keys, *unique_ids(keys))
    live.where = dict(sources.tree.notes)
    live.files = {rel for rel, _ in sources.tree.files}
    live.tree_problems = sources.tree.problems
    live.load_problems = list(loaded.problems)
    live.stamps = sources.stamps
    live.site, live.search, live.memo, live.digests_memo, live.moved = site, search, memo, digests_memo, moved
    live.env, live.digests = env, digests
    for problem in rendered:
        live.render_problems.setdefault(problem.path, []).append(problem)
    return live  # its page keys are worked out from the site when an update asks (live_plan.SiteKeys)


def save_engine(live, settings: str) -> None:
    """Write the LiveSite's state into the cache folder (replacing the old one in one rename)."""
    with replaced(live.config.cache_path / STATE) as file:
        write_state(live, settings, file)
