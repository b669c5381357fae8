"""Assemble the frozen Site: entries in order, their pages, taxonomies and the link graph.

Nothing is written until this is complete (gather, freeze, then write). Taxonomy terms hold entry
ids, not copies; every mapping is read-only once assembled.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType

from notebase.collector import paused
from notebase.site.categories import folder_taxonomy, topic_taxonomy
from notebase.config import Config
from notebase.model import Entry, EntryType
from notebase.site.papers import Paper, group_papers
from notebase.site.related import Related, rank, rank_after, rerank
from notebase.site.refs import Refs, all_refs, norm_url, refs_again, refs_of
from notebase.site.tags import tag_key, with_ancestors
from notebase.site.taxonomy import Taxonomy, Term, month_taxonomy, tag_taxonomy, type_taxonomy, year_taxonomy
from notebase.site.topics import vocabulary
from notebase.render.urls import entry_path

__all__ = ["Related", "Site", "Taxonomy", "Term", "assemble"]


@dataclass(frozen=True)
class Site:
    """Everything the emitters need, complete and read-only."""

    config: Config
    entries: tuple[Entry, ...]  # newest first, then by id
    by_id: Mapping[str, Entry]
    paths: Mapping[str, str]  # entry id -> site path of its page
    targets: Mapping[str, str]  # wikilink_key -> site path, for resolving wikilinks
    tags: Taxonomy
    years: Taxonomy
    months: Taxonomy
    types: Taxonomy
    tag_paths: Mapping[str, str]  # tag as written on entries, any case -> site path
    backlinks: Mapping[str, tuple[str, ...]]  # id -> ids of entries linking to it
    related: Mapping[str, tuple[Related, ...]]  # id -> related entries and why, best first
    topics: Taxonomy = Taxonomy("topics", ())  # concept topics, most entries first
    topic_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> its topic keys, best first
    folders: Taxonomy = Taxonomy("folders", ())  # the notes' folders as categories
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> ids of the entries it links to
    same_paper: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> other summaries of its paper
    papers: tuple[Paper, ...] = ()  # every summarised paper once, as the papers index lists them
    paper_of: Mapping[str, Paper] = field(default_factory=dict)  # paper summary id -> its paper
    files: frozenset[str] = frozenset()  # every file under the notes folder, for images and embeds
    redirects: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # redirect page -> the page it sends to (redirects.py)

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with this id."""
        return self.by_id[entry_id]

    @functools.cached_property
    def by_path(self) -> Mapping[str, Entry]:
        """Return the entry at each entry page's site path (what note embeds show)."""
        return _freeze({path: self.by_id[i] for i, path in self.paths.items() if i in self.by_id})

    def tag_path(self, tag: str) -> str:
        """Return the site path of a tag's page, the tag as any entry spells it."""
        return self.tag_paths[tag_key(tag)]

    def tag_pages(self, tag: str) -> tuple[str, ...]:
        """Return the pages a tag's entries are listed on: its own and those of the tags it sits inside."""
        found = self._tag_pages.get(tag)
        if found is None:  # asked once per tag of every entry when pages are compared: worked out once a tag
            found = self._tag_pages[tag] = tuple(self.tag_paths[k] for k in with_ancestors(tag_key(tag)))
        return found

    @functools.cached_property
    def _tag_pages(self) -> dict[str, tuple[str, ...]]:
        return {}

    def topic(self, key: str) -> Term:
        """Return the term of a topic key (its label and page)."""
        return self.topics.by_key[key]

    def tag(self, key: str) -> Term:
        """Return the term of a tag key (its label and page)."""
        return self.tags.by_key[key]


def _freeze(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


def published(entries: Iterable[Entry], config: Config | None = None) -> list[Entry]:
    """Filter: keep the entries the site shows: no drafts (unless `drafts`), none marked `publish: false`.

    With `explicit_publish` only entries marked `publish: true` are kept (Obsidian Publish and
    Quartz's ExplicitPublish work that way).
    """
    drafts = config is not None and config.drafts
    explicit = config is not None and config.explicit_publish
    kept = []
    for entry in entries:
        publish = publish_flag(entry)
        if (entry.draft and not drafts) or publish is False or (explicit and publish is not True):
            continue
        kept.append(entry)
    return kept


def extra_value(entry: Entry, key: str):
    """Return a front-matter key the loader kept in `extra`, whatever its case (Obsidian writes cssClasses too)."""
    for name, value in entry.extra.items():
        if name.casefold() == key:
            return value
    return None


def publish_flag(entry: Entry) -> bool | None:
    """Return what an entry's `publish:` front matter says: True, False or None (not said)."""
    value = extra_value(entry, "publish")
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().casefold()
    return True if text in ("true", "yes", "on", "1") else False if text in ("false", "no", "off", "0") else None


def assemble(entries: Iterable[Entry], config: Config, files: Iterable[str] = (), memo: dict | None = None) -> Site:
    """Order the entries and compute their pages, taxonomies, topics, backlinks and related entries.

    `memo`, when a caller keeps one between calls (as `notebase serve` does), holds what each entry
    names and links to and its topics, so an unchanged entry is not scanned again.
    """
    with paused():
        return _assemble(entries, config, files, memo)




def _assemble(entries: Iterable[Entry], config: Config, files: Iterable[str], memo: dict | None) -> Site:
    ordered = tuple(sorted(published(entries, config), key=lambda e: (-e.date.toordinal(), e.id)))
    by_id = {e.id: e for e in ordered}
    vocab = vocabulary(config)
    kept = memo.get("shape") if memo is not None else None
    if kept is not None and kept[0][0] != config:  # settings of another build: nothing is kept
        kept = None
    differing = _differing(ordered, kept[0][1], memo, vocab) if kept is not None else None
    if differing is None:
        refs, readings = all_refs(ordered, memo, vocab, bool(config.related))
        topic_of = tuple(readings[e.id][0] for e in ordered)
        profiles = tuple(readings[e.id][1] for e in ordered)
    else:  # the last topics and words, patched at the places that differ
        refs, readings = refs_again(by_id, memo, vocab, bool(config.related), differing)
        topic_of, profiles = list(kept[2]), list(kept[4])
        for n, entry, _, _ in differing:
            topic_of[n], profiles[n] = readings[entry.id]
        topic_of, profiles = tuple(topic_of), tuple(profiles)
    # Everything but the entries themselves follows from their ids, types, dates, tags and files (the
    # taxonomies), their names and links, and their papers; an edit that changes none of them (a
    # typo in the body of a note, say) reuses the previous graph and taxonomies. Each part is kept
    # apart: a retitle redoes the links and papers but keeps the taxonomies and the related entries;
    # new words in an entry redo only the latter. Only the entries that differ from the last assembled,
    # place by place, are looked at: the same entry object has the same fields.
    same = _same_parts(differing, refs)
    graph = _graph(ordered, config, refs, kept[1] if kept is not None else None, *same)
    if same[0] and kept[2] == topic_of:
        topics = kept[3]
    else:
        found = {e.id: topics for e, topics in zip(ordered, topic_of)}
        topics = dict(topic_of=_freeze(found), topics=topic_taxonomy(ordered, found, vocab, config.language))
    # Related entries read ids, tags, topics and other summaries of the same paper, in this order.
    ranked = (kept is not None and same[0] and topics is kept[3] and kept[6] is not None
              and graph["same_paper"] == kept[1]["same_paper"])
    ranking = None
    if not config.related:
        related = _freeze({})
    elif ranked and kept[4] == profiles:
        related, ranking = kept[5], kept[6]
    elif ranked:  # names, tags and topics as they were: new words re-rank their kin
        found, ranking = rerank(kept[6], ordered, profiles)
        related = _freeze(found)
    else:  # notes came, went or changed their tags, topics or dates: from the last ranking when there is one
        args = (ordered, graph["tags"], topics["topics"], topics["topic_of"], profiles, graph["same_paper"], config.related)
        found, ranking = (kept is not None and kept[6] is not None and rank_after(kept[6], *args)) or rank(*args)
        related = _freeze(found)
    if memo is not None:
        memo["shape"] = ((config, ordered), graph, topic_of, topics, profiles, related, ranking)
    return Site(config=config, entries=ordered, by_id=_freeze(by_id), files=frozenset(files), related=related,
                **graph, **topics)


def _differing(ordered: tuple[Entry, ...], before: tuple[Entry, ...], memo: dict, vocab) -> list[tuple] | None:
    """The entries that are not those assembled last (`before`) at their places, as (place, entry, entry
    before, its Refs); None when the number of entries changed, or every entry is read again (`vocab`)."""
    if len(ordered) != len(before):
        return None
    first = memo.get(id(before[0])) if before else None
    if first is not None and first[3] is not vocab:  # every entry is read again with this vocabulary
        return None
    found = [(n, new, was, memo.get(id(was))) for n, (new, was) in enumerate(zip(ordered, before)) if new is not was]
    if any(kept is None or kept[0] is not was for _, _, was, kept in found):
        return None  # a memo not kept alongside: as if nothing were known
    return [(n, new, was, kept[1]) for n, new, was, kept in found]


def _same_parts(differing: list[tuple] | None, refs: Mapping[str, Refs]) -> list[bool]:
    """Whether the fields the taxonomies, the links and the papers read are all as they were."""
    if differing is None:
        return [False, False, False]
    same = [True, True, True]
    for _, new, was, was_refs in differing:
        if (new.id, new.type, new.date, new.tags, new.source.path) != (was.id, was.type, was.date, was.tags,
                                                                        was.source.path):
            return [False, False, False]
        if (new.source.line, new.url) != (was.source.line, was.url) or refs[new.id] != was_refs:
            same[1] = False
        if new.type is EntryType.PAPER and (new.title, getattr(new, "paper_title", None), getattr(
                new, "paper_links", None)) != (was.title, getattr(was, "paper_title", None), getattr(
                was, "paper_links", None)):
            same[2] = False
    return same


def _graph(ordered: list[Entry], config: Config, refs: Mapping[str, Refs], kept: dict | None,
           taxonomies: bool, links: bool, papers: bool) -> dict:
    """What of the Site follows from the entries' names, links, tags and dates: paths, taxonomies, links.

    From `kept`, the previous graph, the parts whose fields are unchanged (the flags) are reused as they are.
    """
    if kept is not None and taxonomies and links and papers:
        return kept
    if not isinstance(refs, dict):  # read once for every entry below: a dict, not a lookup each time
        refs = {i: refs[i] for i in refs}
    anew = kept is None or not taxonomies  # pages may have moved: every part is worked out again
    graph = {} if anew else dict(kept)
    if anew:
        paths = {e.id: entry_path(e.id, e.type) for e in ordered}
        tags, tag_paths = tag_taxonomy(ordered)
        graph.update(paths=_freeze(paths), tags=tags, years=year_taxonomy(ordered), months=month_taxonomy(ordered),
                     types=type_taxonomy(ordered), tag_paths=_freeze(tag_paths),
                     folders=folder_taxonomy(ordered) if config.folders else Taxonomy("folders", ()))
    if anew or not links:
        paths = graph["paths"]
        targets = link_targets(ordered, paths, refs)
        backlinks = _backlinks(ordered, paths, targets, refs)
        found: dict[str, list[str]] = defaultdict(list)
        for target, sources in backlinks.items():
            for source in sources:
                found[source].append(target)
        graph.update(targets=_freeze(targets), backlinks=_freeze(backlinks),
                     links=_freeze({k: tuple(v) for k, v in found.items()}))
    if anew or not papers:
        papers_found, same_paper = group_papers(ordered)
        graph.update(same_paper=_freeze(same_paper), papers=papers_found,
                     paper_of=_freeze({i: paper for paper in papers_found for i in paper.ids}))
    return graph


def link_targets(entries: list[Entry], paths: Mapping[str, str], refs: Mapping[str, Refs] | None = None
                 ) -> dict[str, str]:
    """Map every name a wikilink may use for an entry to its page: id, title, paper title, alias, file.

    Earlier kinds of name win over later ones, so a title never steals another entry's id.
    """
    refs = refs if refs is not None else {e.id: refs_of(e) for e in entries}
    per_file = Counter(e.source.path for e in entries)
    targets: dict[str, str] = {}
    in_file_order = sorted(entries, key=lambda e: (e.source.path, e.source.line))
    for kind in ("ids", "titles", "aliases", "file_names"):
        for entry in in_file_order:
            if kind == "file_names" and per_file[entry.source.path] != 1:
                continue
            page = paths[entry.id]
            for key in getattr(refs[entry.id], kind):
                targets.setdefault(key, page)
    return targets


def _backlinks(entries: list[Entry], paths: Mapping[str, str], targets: Mapping[str, str],
               refs: Mapping[str, Refs]) -> dict[str, tuple[str, ...]]:
    """Who links to whom: by wikilink, by a relative link to a note file, or by an entry's URL."""
    by_path = {v: k for k, v in paths.items()}
    by_file: dict[str, str] = {}
    for entry in entries:
        by_file.setdefault(entry.source.path, entry.id)
    by_url = {norm_url(e.url): e.id for e in entries if e.url}
    incoming: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        found = refs[entry.id]
        linked = [by_path[targets[key]] for key in found.wikilinks if key in targets]
        linked += [by_file[note] for note in found.notes if note in by_file]
        if by_url:
            linked += [by_url[u] for u in found.urls if u in by_url]
        for target in dict.fromkeys(linked):
            if target != entry.id:
                incoming[target].append(entry.id)
    return {k: tuple(v) for k, v in incoming.items()}


def newest_stated(entries: Sequence[Entry], n: int) -> tuple[Entry, ...]:
    """Return up to n of the newest entries, stated dates first, in their date order.

    A note whose date is only a guess (file time, first commit, a date in prose) fills the list
    only when too few dated ones exist, so a freshly cloned folder of undated notes never pushes
    the real news off the home page and the feeds.
    """
    # Stops at the n-th: the site's feeds ask this of all 10,000 entries after every edit.
    chosen = list(islice((i for i, e in enumerate(entries) if not e.date_inferred), n))
    if len(chosen) < n:
        chosen += [i for i, e in enumerate(entries) if e.date_inferred][: n - len(chosen)]
    return tuple(entries[i] for i in sorted(chosen))
