"""Two ways to browse beside the author's tags: concept topics and the notes' own folders.

Both are taxonomies like the tags, so their pages, feeds and counts come from the same emitters.
A topic is a concept of the topic vocabulary (topics.py) that the entry is about; a folder is the
note's folder under the notes folder (`paper-review/llm/`, an Obsidian vault's folders), a Jekyll
`_posts/` left out; a parent folder lists its subfolders.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Mapping, Sequence

from notebase.model import Entry
from notebase.slug import first_free, slugify
from notebase.site.taxonomy import Taxonomy, Term
from notebase.site.topics import Vocabulary
from notebase.render.urls import folder_path, topic_path

CONTAINERS = frozenset({"_posts"})  # folders that only hold a blog's posts, never a category


def topic_taxonomy(entries: Sequence[Entry], topics: Mapping[str, tuple[str, ...]], vocab: Vocabulary | None,
                   language: str) -> Taxonomy:
    """Group entries by concept topic, most entries first, each labelled in the site's language."""
    ids: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        for key in topics.get(entry.id, ()):
            ids[key].append(entry.id)
    if vocab is None or not ids:
        return Taxonomy("topics", ())
    labels = {key: vocab.concept(key).label(language) for key in ids}
    order = sorted(ids, key=lambda k: (-len(ids[k]), labels[k].casefold(), k))
    return Taxonomy("topics", tuple(Term(k, labels[k], topic_path(k), tuple(ids[k])) for k in order))


def folder_of(entry: Entry) -> str:
    """Return the folder an entry's note is in, relative to the notes folder ('' at its top)."""
    parts = [p for p in posixpath.dirname(entry.source.path).split("/") if p and p != "."]
    while parts and parts[0] in CONTAINERS:
        parts = parts[1:]
    return "/".join(parts)


def folder_taxonomy(entries: Sequence[Entry]) -> Taxonomy:
    """Group entries by the folder their note is in; a folder lists its subfolders as children.

    A folder's page lists the entries of its own notes (a vault's `papers/` with only `nlp/` and
    `cv/` inside lists those two): nesting every subfolder's entries in its parents would list
    each entry once per level, pages a large site pays for twice over.
    """
    ids: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        folder = folder_of(entry)
        if not folder:
            continue
        parts = folder.split("/")
        for n in range(1, len(parts)):
            ids.setdefault("/".join(parts[:n]), [])  # a folder that only holds folders
        ids[folder].append(entry.id)
    paths: dict[str, str] = {}
    slugs: dict[str, list[str]] = {}
    taken: set[str] = set()
    next_n: dict[tuple[str, str], int] = {}
    for key in sorted(ids, key=lambda k: (k.count("/"), k)):  # parents first: a child's path continues its parent's
        parent, _, name = key.rpartition("/")
        base = slugify(name, limit=60)
        above = slugs.get(parent, [])
        slug = first_free(base, lambda s: folder_path(above + [s]) in taken, next_n, (parent, base))
        slugs[key] = above + [slug]
        paths[key] = folder_path(slugs[key])
        taken.add(paths[key])
    children: dict[str, list[str]] = defaultdict(list)
    for key in ids:
        if "/" in key:
            children[key.rpartition("/")[0]].append(key)
    built: dict[str, Term] = {}
    for key in sorted(ids, key=lambda k: (-k.count("/"), k)):  # children before their parents
        kids = tuple(built[c] for c in sorted(children.get(key, ()), key=lambda c: c.casefold()))
        built[key] = Term(key, key.rpartition("/")[2], paths[key], tuple(ids[key]), kids)
    return Taxonomy("folders", tuple(built[k] for k in sorted(ids, key=lambda k: (k.casefold(), k))))
