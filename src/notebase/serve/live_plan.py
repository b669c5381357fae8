"""Which pages an edit changes: a key per output file of everything the file shows (page_keys.py).

Keys are conservative: a page that shows an edited entry anywhere (its neighbours, backlinks,
related entries, a listing) is re-rendered.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from itertools import chain

from jinja2 import Environment

from notebase.site.emitters.feeds import emit_sitemap, feed_files, feed_sets
from notebase.site.emitters.listings import listing_pages, render_page
from notebase.site.emitters.pages import render_range
from notebase.site.emitters.topic_data import PATH as TOPICS
from notebase.site.emitters.topic_data import topic_file
from notebase.errors import Problem
from notebase.render.markup import wikilink_key
from notebase.model import Entry
from notebase.site.redirects import redirect_files
from notebase.render.embed import MAX_DEPTH
from notebase.serve.page_keys import entry_key, freeze, shown_names
from notebase.site.assemble import Site
from notebase.render.theme import template_dirs
from notebase.render.urls import output_file, page_of


# What an entry page shows besides entries and related entries: when assemble kept every one of
# these (the same objects: an edit changed no id, tag, date or topic), only pages showing a changed
# entry, or whose related entries, links or papers changed, can change.
_SHAPE = ("paths", "tag_paths", "tags", "topic_of", "topics")
# These are compared entry by entry when assemble worked them out again (a retitle, a new link).
_BY_ENTRY = ("backlinks", "links", "same_paper", "paper_of")


def stale_entries(site: Site, old: Site | None, names: set[str] | None = None) -> set[str] | None:
    """The ids of the entries whose page may show something new since `old`; None when any page may.

    A changed entry is shown on its own page, its neighbours', the pages it links to or embeds
    (their backlinks) and that link to or embed it (at every level of embedding), the pages that
    list it as related, and the other summaries of its paper; and a page shows its related entries,
    its backlinks, links and paper, and where its wikilinks lead (`names`: the link names whose
    target moved, `_links_moved`'s, when the caller has them).
    """
    if old is None:
        return None
    # Files that came or went (images, notes) change the pages whose bodies name them: plan_pages asks
    # `_touched_by` of every entry for that, whatever is stale.
    entries, count = site.entries, len(site.entries)
    if _same_shape(site, old):
        changed = [n for n, (new, was) in enumerate(zip(entries, old.entries)) if new is not was]
        ids = {entries[m].id for n in changed for m in (n - 1, n, n + 1) if 0 <= m < count}
        changed_ids, gone = {entries[n].id for n in changed}, set()
    else:  # notes came or went, or tags, dates or topics changed: every entry is placed and named again
        changed_ids, gone, ids = _placed_anew(site, old)
    level, linking = changed_ids | gone, set(changed_ids)
    for _ in range(MAX_DEPTH + 1):  # pages linking to a changed entry, or embedding one at any level
        level = {i for x in level for i in chain(site.backlinks.get(x, ()), old.backlinks.get(x, ()))} - linking
        linking |= level
    ids |= linking & site.by_id.keys()
    for x in changed_ids:
        ids.update(site.links.get(x, ()))
        ids.update(site.same_paper.get(x, ()))
    if changed_ids:
        ids.update(i for i, related in site.related.items() if any(r.id in changed_ids for r in related))
    if site.related is not old.related:  # new words in an entry re-ranked its kin
        ids.update(i for i in site.related.keys() | old.related.keys() if site.related.get(i) != old.related.get(i))
    for name in _BY_ENTRY:
        now, was = getattr(site, name), getattr(old, name)
        if now is not was:
            ids.update(i for i in now.keys() | was.keys() if now.get(i) != was.get(i))
    if site.targets is not old.targets:  # a name now leads elsewhere: the pages linking by it show that
        names = _links_moved(site, old)[0] if names is None else names
        ids.update(e.id for e in entries if any(link.target and wikilink_key(link.target) in names for link in e.links))
    return ids


def _same_shape(site: Site, old: Site) -> bool:
    """Whether an edit kept the number of entries and every part of _SHAPE (the same objects)."""
    return len(site.entries) == len(old.entries) and all(getattr(site, name) is getattr(old, name) for name in _SHAPE)


def _placed_anew(site: Site, old: Site) -> tuple[set[str], set[str], set[str]]:
    """After notes came or went or the taxonomies changed: the ids of new or changed entries, of
    entries gone, and of every entry whose page may show something new for that alone (the entry,
    its neighbours, the pages of its tags and topics)."""
    entries, was = site.entries, old.entries
    at = {e.id: n for n, e in enumerate(was)}
    # An unchanged entry's tags and topics were there before: only a page one of them moved to, or a
    # topic relabelled, or other topics for the entry, changes what its page shows of them.
    names = site.tag_paths is not old.tag_paths and any(site.tag_paths.get(k) != v for k, v in old.tag_paths.items()) \
        or site.topics is not old.topics and _topic_names(site) != _topic_names(old)
    topic_of, topic_of_was = site.topic_of, old.topic_of
    changed: set[str] = set()
    ids: set[str] = set()
    last, last_was = len(entries) - 1, len(was) - 1
    for n, entry in enumerate(entries):
        m = at.get(entry.id)
        if m is None or was[m] is not entry:
            changed.add(entry.id)
        elif ((entries[n - 1] if n else None) is not (was[m - 1] if m else None)
              or (entries[n + 1] if n < last else None) is not (was[m + 1] if m < last_was else None)
              or topic_of is not topic_of_was and topic_of.get(entry.id) != topic_of_was.get(entry.id)
              or names and shown_names(site, entry) != shown_names(old, entry)):
            ids.add(entry.id)
    return changed, at.keys() - site.by_id.keys(), ids | changed


def _topic_names(site: Site) -> dict[str, tuple[str, str]]:
    return {key: (term.label, term.path) for key, term in site.topics.by_key.items()}


def _links_moved(site: Site, old: Site | None) -> tuple[set[str], set[str]]:
    """Link target names whose page changed, and note files that came or went, since `old`."""
    if old is None:
        return set(), set()
    names: set[str] = set()
    if site.targets != old.targets:
        names = {k for k in site.targets.keys() | old.targets.keys() if site.targets.get(k) != old.targets.get(k)}
    files = set(site.files ^ old.files) if site.files != old.files else set()
    return names, files


def _touched_by(entry: Entry, names: set[str], files: set[str], mentions_md: bool | None = None) -> bool:
    """Whether an entry's body may resolve a relative link or image differently now.

    Whether the body names a .md file is `mentions_md` when the caller knows (assemble's Refs keep
    it), else looked for in the body as the state holds it (Entry.holds): a retitle or a new note
    asks this of every entry, and decoding 10,000 bodies to answer it cost 0.4 s."""
    if entry.body_format != "markdown":
        return False
    if names and (mentions_md if mentions_md is not None
                  else entry.holds("body", ".md") or entry.holds("body", ".markdown")):
        return True
    return any(entry.holds("body", posixpath.basename(f)) for f in files)


def plan_pages(site: Site, old: Site | None, env: Environment, writer, previous: Mapping[str, tuple],
               mentions_md: Callable[[Entry], bool] | None = None
               ) -> tuple[Mapping[str, tuple], dict[str, list[Problem]], set[str]]:
    """Render and write every page whose key differs from `previous`; return the new keys, the problems
    and the files no longer made.

    `previous` is a dict of every page's key (as `notebase serve` keeps them) or the old site's
    SiteKeys (as a build from the kept state has them): the keys are then worked out only for the
    pages an edit may change, and the new keys come back as SiteKeys too.
    Problems come by source file: every entry of a file with one page to render is rendered, so
    the file's problems are complete. `mentions_md(entry)`, when given, says whether an entry's body
    names a .md file.
    """
    lazy = not isinstance(previous, dict)
    mentions = mentions_md or (lambda entry: None)
    keys: dict[str, tuple] = {}
    at = entry_places(site)  # each entry page's file -> the entry's place
    names, files = _links_moved(site, old)
    stale = stale_entries(site, old, names)
    dirty: set[str] = set()
    if stale is not None and not (names or files) and _same_shape(site, old):
        # Every entry in its place, every name leading where it led: only the stale pages are looked at.
        if not lazy:
            keys = {rel: previous[rel] for rel in at}
        for entry_id in stale & site.paths.keys():
            rel = output_file(site.paths[entry_id])
            index = at[rel]
            key = keys[rel] = entry_key(site, site.entries[index], index)
            if previous.get(rel) != key:
                dirty.add(site.entries[index].source.path)
    else:
        for rel, index in at.items():
            entry = site.entries[index]
            shown_anew = stale is None or entry.id in stale  # else nothing it shows changed: its key is as it was
            if lazy and not shown_anew:  # worked out only if asked
                changed = False
            else:
                kept = None if shown_anew else previous.get(rel)
                key = keys[rel] = kept if kept is not None else entry_key(site, entry, index)
                changed = previous.get(rel) != key
            if changed or (names or files) and _touched_by(entry, names, files, mentions(entry)):
                dirty.add(entry.source.path)
    problems: dict[str, list[Problem]] = {path: [] for path in dirty}
    for index, entry in enumerate(site.entries):
        if entry.source.path in dirty:
            problems[entry.source.path] += render_range(site, env, writer, index, index + 1)
    unchanged, listed = _unchanged_listings(site, old, stale)
    # Nothing a list shows changed (a body edit that kept the summary), nor any redirect: the lists,
    # the topic data, the redirects and the sitemap are as they were, and are not gone through.
    untouched = unchanged is not None and not listed and site.redirects == old.redirects
    if lazy and unchanged is not None:  # the old site's keys of these files are never worked out
        gone = _write_changed_others(site, env, at, unchanged, previous, writer, untouched)
        return SiteKeys(site, env, keys, None, at), problems, gone
    kept = None if lazy or unchanged is None else (lambda rel, page: previous.get(rel) if unchanged(page) else None)
    rest: dict[str, tuple] = {}
    for rels, key, write in _other_pages(site, env, at, kept, untouched):
        rest.update(dict.fromkeys(rels, key))
        if previous.get(rels[0]) != key:
            write(writer)
    if untouched:  # (not lazy: a lazy plan returned above) every file as before, these written anew
        return {**previous, **keys, **rest}, problems, set()
    now = SiteKeys(site, env, keys, rest, at) if lazy else {**keys, **rest}
    return now, problems, {rel for rel in previous if rel not in now}


_PLACES: list = [None, {}]  # the paths mapping `entry_places` worked out last, and its places


def entry_places(site: Site) -> dict[str, int]:
    """Each entry page's file and the entry's place in the site. An edit that keeps the paths (the
    same mapping object: no entry came, went or moved) keeps the places: worked out once for them."""
    if _PLACES[0] is not site.paths:
        _PLACES[:] = [site.paths, {output_file(site.paths[e.id]): n for n, e in enumerate(site.entries)}]
    return _PLACES[1]


def _unchanged_listings(site: Site, old: Site | None, stale: set[str] | None
                        ) -> tuple[Callable[[object], bool] | None, bool]:
    """When an edit kept the taxonomies and the number of papers (all a listing shows of them),
    `unchanged(page)`: whether a listing page none of whose entries changed, or the topic data (page
    None), shows nothing new; None for any other edit. Then whether any entry a list shows changed."""
    if stale is None or old is None or len(site.papers) != len(old.papers) or not _same_shape(site, old):
        return None, True
    shipped = not any((folder / name).is_file() for folder in template_dirs(site.config)[:-1] for name in _LISTING)
    changed = {id(e) for e, was in zip(site.entries, old.entries)
               if e is not was and not (shipped and _listed_alike(e, was))}

    def unchanged(page) -> bool:
        # The same terms and pages, the same entries on this one.
        return page is None or page.template == "list.html" and changed.isdisjoint(map(id, page.values["items"]))
    return unchanged, bool(changed)


# The shipped templates that show an entry in a listing (its type, date, language, title and summary):
# an entry whose other fields changed (its body, its plain text) is listed as it was. A theme of the
# user's own may show more, so its listings are compared whole.
_LISTING = ("list.html", "_macros.html")
_UNLISTED = frozenset({"body", "text", "body_line"})


def _listed_alike(entry: Entry, was: Entry) -> bool:
    """Whether two entries differ in nothing but what no shipped listing shows (a body edit that kept the summary)."""
    return type(entry) is type(was) and all(
        getattr(entry, name) == getattr(was, name) for name in entry.__dataclass_fields__ if name not in _UNLISTED)


_SAME = ("same",)  # the key of a file an edit left alone, never compared (_write_changed_others)


def _write_changed_others(site: Site, env: Environment, at: Mapping[str, int], unchanged, previous: SiteKeys,
                          writer, untouched: bool = False) -> set[str]:
    """After an edit that kept the site's shape (`unchanged`), write the files besides entry pages that
    show something new; return those no longer made. The lists (list.html) are never keyed (0.2 s a
    site at 10,000 notes): one with a changed entry is written (the writer keeps identical bytes), the
    others are not. Every other file is compared by key, as always (but those `_other_pages` leaves
    out when `untouched`)."""
    old_files = previous.entry_files()

    def lists(rel: str, page) -> tuple | None:
        return _SAME if page is None or page.template == "list.html" else None
    before = {rels: key for rels, key, _ in _other_pages(previous.site, env, old_files, lists, untouched)}
    now: set[tuple[str, ...]] = set()
    for rels, key, write in _other_pages(site, env, at, lambda rel, page: _SAME if unchanged(page) else None,
                                         untouched):
        now.add(rels)
        if key is not _SAME and before.get(rels) != key:
            write(writer)
    return {rel for rels in before.keys() - now for rel in rels} | (old_files.keys() - at.keys())


def _other_pages(site: Site, env: Environment, entry_files: Iterable[str], kept=None, untouched: bool = False):
    """Every output file but the entry pages, as (files, key, write): listings, feeds, topic data, redirects, sitemap.

    `kept(rel, page)`, when given, is a page's key where nothing it shows changed (else None):
    2,000 listing keys need not be worked out again after a body edit. With `untouched` (the caller
    knows that none of them can have changed), the lists, topic data, redirects and sitemap are left out."""
    seen = set(entry_files)
    pages = [] if untouched else [page_of(rel) for rel in entry_files]
    for page in listing_pages(site, env, lists=not untouched):
        rel = output_file(page.path)
        seen.add(rel)
        if rel.endswith(".html") and rel != "404.html":
            pages.append(page_of(rel))
        key = kept(rel, page) if kept is not None else None
        yield (rel,), key or (page.template, freeze(page.values)), lambda writer, page=page, rel=rel: writer.write(
            rel, render_page(env, page))
    for page, title, entries in feed_sets(site):
        rels = (f"{page}feed.xml", f"{page}atom.xml")
        seen.update(rels)
        yield rels, ("feed", title, entries), lambda writer, page=page, title=title, entries=entries: [
            writer.write(rel, data) for rel, data in feed_files(site, page, title, entries)]
    if untouched:
        return
    key = kept(TOPICS, None) if kept is not None else None
    if key is None:
        key = ("topics", topic_file(site)[1])  # the search's topic data: small, and compared by its bytes
    seen.add(TOPICS)
    yield (TOPICS,), key, lambda writer, key=key: writer.write(TOPICS, key[1])
    for rel, data in redirect_files(site):
        if rel in seen:  # a page of the site's own is never replaced
            continue
        seen.add(rel)
        yield (rel,), ("redirect", data), lambda writer, rel=rel, data=data: writer.write(rel, data)
    key = ("sitemap", tuple(sorted(pages)), tuple(chain.from_iterable((e.date, e.updated) for e in site.entries)))
    yield ("sitemap.xml",), key, lambda writer: emit_sitemap(site, writer, pages)


class SiteKeys(Mapping):
    """The keys of one site's output files, each worked out when first asked.

    The build state keeps the site, not its 14,000 keys (a fifth of its pickling time): an edit
    asks the old site for the keys of the few pages it may change, and for the listings' (all at
    once) only when it changed the site's shape (`_write_changed_others`).
    """

    def __init__(self, site: Site, env: Environment, entries: dict[str, tuple] | None = None,
                 rest: dict[str, tuple] | None = None, files: dict[str, int] | None = None):
        self.site, self.env = site, env
        self.entries = dict(entries or {})  # entry page file -> key, those worked out so far
        self.rest = rest  # every other file -> key, once worked out
        self._files = files  # entry page file -> the entry's place

    def entry_files(self) -> dict[str, int]:
        """Each entry page's file and the entry's place in the site."""
        if self._files is None:
            self._files = entry_places(self.site)
        return self._files

    def _rest(self) -> dict[str, tuple]:
        if self.rest is None:
            self.rest = {rel: key for rels, key, _ in _other_pages(self.site, self.env, self.entry_files())
                         for rel in rels}
        return self.rest

    def __getitem__(self, rel: str) -> tuple:
        key = self.entries.get(rel)
        if key is not None:
            return key
        at = self.entry_files().get(rel)
        if at is not None:
            key = self.entries[rel] = entry_key(self.site, self.site.entries[at], at)
            return key
        return self._rest()[rel]

    def __contains__(self, rel) -> bool:
        return rel in self.entry_files() or rel in self._rest()

    def __iter__(self):
        return iter([*self.entry_files(), *self._rest()])

    def __len__(self) -> int:
        return len(self.entry_files()) + len(self._rest())
