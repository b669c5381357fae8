"""search/data/topics.js: what the site's search needs for `topic:` filters, loaded only for one.

The names every topic concept answers to (squashed, as `topics.name_forms` looks them up), the
names of the concepts that are never topics (to say so), each topic's documents (numbered as
search_data numbers them: the site's entries oldest first), and the topic keys.
"""

from __future__ import annotations

import json

from notebase.site.assemble import Site
from notebase.site.topics import vocabulary

PATH = "search/data/topics.js"


def topic_data(site: Site) -> dict:
    """Return the topics.js data of a site."""
    vocab = vocabulary(site.config)
    if vocab is None:
        return {"enabled": False, "keys": [], "names": {}, "never": [], "docs": {}}
    last = len(site.entries) - 1
    index = {e.id: last - n for n, e in enumerate(site.entries)}  # site.entries are in search_data.newest_first order
    return {
        "enabled": True,
        "keys": sorted(c.key for c in vocab.concepts),
        "names": vocab.names(),
        "never": sorted(vocab.names(stopped=True)),
        "docs": {term.key: sorted(index[i] for i in term.ids) for term in site.topics.terms},
    }


def topic_file(site: Site) -> tuple[str, bytes]:
    """Return topics.js: a script handing the data to the page's search, as search_data's files do."""
    body = json.dumps(topic_data(site), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PATH, f'NotebaseSearch.add("topics","",{body});\n'.encode("utf-8")


def emit_topic_data(site: Site, writer) -> None:
    """Write search/data/topics.js."""
    writer.write(*topic_file(site))
