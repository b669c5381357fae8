"""The key of a page: a comparable form of everything it shows (live_plan.py compares them).

Keys hold Entry objects themselves. An unchanged note keeps its Entry object between updates,
and tuples compare items by identity first, so comparing the keys of 10,000 unchanged pages is
cheap; a changed entry compares unequal field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain

from notebase.model import ENTRY_CLASSES, Entry
from notebase.render.embed import MAX_DEPTH
from notebase.render.markup import wikilink_key
from notebase.site.assemble import Site, Taxonomy, Term
from notebase.site.refs import is_image


def entry_key(site: Site, entry: Entry, index: int) -> tuple:
    """Everything an entry's page shows: the entry, its tags' and topics' pages, neighbours, backlinks, related
    entries and why, its links (drawn in its graph), other summaries of its paper, link targets.

    One flat tuple, each group after its length: the state keeps 10,000 of these, and nested tuples
    (about 20 a page) were most of the objects it pickled and read back.
    """
    by_id, entries = site.by_id, site.entries
    paper = site.paper_of.get(entry.id)
    key: list = [entry]

    def group(items: list) -> None:
        key.append(len(items))
        key.extend(items)

    for names in shown_names(site, entry):
        group(names)
    key.append(entries[index - 1] if index > 0 else None)
    key.append(entries[index + 1] if index + 1 < len(entries) else None)
    group([by_id[i] for i in site.backlinks.get(entry.id, ())])
    group([by_id[i] for i in site.links.get(entry.id, ())])
    group([part for r in site.related.get(entry.id, ()) for part in (by_id[r.id], r)])
    group([by_id[i] for i in site.same_paper.get(entry.id, ())])
    group([paper.page, paper.anchor, len(paper.ids)] if paper is not None else [])  # the count heads the list
    group([site.targets.get(wikilink_key(link.target)) for link in entry.links if link.target])
    group(list(embedded(site, entry)))
    return tuple(key)


def shown_names(site: Site, entry: Entry) -> tuple[list[str], list[str]]:
    """The pages of an entry's tags (and the tags they sit in), and its topics' labels and pages."""
    return ([path for tag in entry.tags for path in site.tag_pages(tag)],
            [part for k in site.topic_of.get(entry.id, ()) for part in (site.topic(k).label, site.topic(k).path)])


def embedded(site: Site, entry: Entry) -> tuple[Entry, ...]:
    """The entries a page shows through note embeds, at every level: an edit to one re-renders the page."""
    found: dict[str, Entry] = {}
    level = [entry]
    for _ in range(MAX_DEPTH + 1):
        nxt = []
        for e in level:
            for link in e.links:
                if link.embed and link.target and not is_image(link.target):
                    inner = site.by_path.get(site.targets.get(wikilink_key(link.target), ""))
                    if inner is not None and inner.id not in found and inner is not entry:
                        found[inner.id] = inner
                        nxt.append(inner)
        level = nxt
    return tuple(found.values())


_PLAIN = frozenset({str, int, float, bool, type(None), *ENTRY_CLASSES.values()})


def freeze(value):
    """A comparable form of a template value: entries as themselves, terms by what pages show of them."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        # `paths` maps every id to its page: a page's entries already decide their own paths. Keys and
        # values one after the other, in one tuple: the state keeps about 2,000 listing keys.
        return tuple(chain.from_iterable((k, v if type(v) in _PLAIN else freeze(v))
                                         for k, v in value.items() if k != "paths"))
    if kind is list or kind is tuple:
        if _PLAIN.issuperset(map(type, value)):  # in C: 2,000 listings of 50 entries each, after every edit
            return tuple(value)  # a page's entries, or plain values: comparable as they are
        return tuple(map(freeze, value))
    if kind is Term:
        return ("term", value.key, value.label, value.path, len(value.ids), tuple(map(freeze, value.children)))
    if kind is Taxonomy:
        return ("taxonomy", value.name, tuple(map(freeze, value.terms)))
    if isinstance(value, Mapping):
        return ("mapping", len(value))
    return value
