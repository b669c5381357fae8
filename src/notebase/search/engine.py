"""The search entry points: keep the index fresh, open it, and answer a query string."""

from __future__ import annotations

import time

from notebase.config import Config
from notebase.search.glossary import load_glossary
from notebase.search.index import STAMPS, IndexLocked, IndexReport, index_path, is_fresh, update
from notebase.search.parse import Filter, parse
from notebase.search.searcher import Results, Searcher


def ensure_index(config: Config, refresh: bool = True) -> IndexReport | None:
    """Build the index if it is missing; with refresh, also bring it up to date with the notes.

    A refresh that finds the index locked by a running build answers from the index as it is.
    """
    exists = (index_path(config) / STAMPS).is_file()
    if exists and (not refresh or is_fresh(config)):
        return None
    try:
        return update(config, wait=not exists)
    except IndexLocked:
        if not exists:
            raise
        return None


def open_searcher(config: Config) -> Searcher:
    """Open the index for many queries, with the knowledge base's glossary."""
    return Searcher(index_path(config), load_glossary(config.glossary))


def search(config: Config, text: str, *, filters: tuple[Filter, ...] = (), limit: int = 10,
           refresh: bool = True) -> tuple[Results, IndexReport | None]:
    """Parse and run one query; raise QueryError on a bad query. Returns the index report too."""
    query = parse(text, extra=filters)  # a bad query fails before any index work
    if any(f.field == "topic" for f in query.filters):
        from notebase.site.topic_filters import resolve_topics  # the vocabulary only when a query names topics

        query = resolve_topics(query, config)
    report = ensure_index(config, refresh)
    try:
        with open_searcher(config) as searcher:
            return searcher.search(query, limit), report
    except (OSError, TypeError, ValueError, EOFError):
        # A rebuild swapped the index in while this search read it: Whoosh opens a segment's files
        # lazily, and one that went with the old folder reads as missing (an OSError, or a None
        # column reader and a TypeError). The new index is complete: try once more; a real fault
        # raises again.
        time.sleep(0.05)
        with open_searcher(config) as searcher:
            return searcher.search(query, limit), report
