"""Topics where people name them: `topic:` in searches, `list --topic`, and the topic settings' check.

The names are resolved by the vocabulary (topics.py) the same way everywhere; search-query.js
`findTopic` repeats these steps, with the same messages, for the site's search.
"""

from __future__ import annotations

from notebase.site.topics import TopicSettings, Vocabulary, build_vocabulary, settings_of, vocabulary


def unknown_stops(config) -> list[str]:
    """Return the `topics_stop:` names that name no concept (a typo stops nothing)."""
    settings = settings_of(config)
    if not settings.enabled or not settings.stop:
        return []
    everything = build_vocabulary(TopicSettings(True, settings.glossary, settings.add, ()))
    return [name for name in settings.stop if everything is None or everything.find(name) is None]


def resolve_topics(query, config):
    """Return a search query with each `topic:` filter's names turned into topic keys; raise QueryError for one
    that names no topic (search/parse.py keeps the names as typed, since it knows no vocabulary)."""
    from dataclasses import replace

    if not any(f.field == "topic" for f in query.filters):
        return query
    vocab = vocabulary(config)
    filters = []
    for f in query.filters:
        if f.field == "topic":
            f = replace(f, values=tuple(dict.fromkeys(topic_for_query(vocab, name) for name in f.values)))
        filters.append(f)
    return replace(query, filters=tuple(filters))


def topic_for_query(vocab: Vocabulary | None, name: str) -> str:
    """Return the key of the topic `topic:NAME` means; raise QueryError saying why there is none.

    The messages are the site search's too (templates/static/search-query.js `findTopic`).
    """
    from notebase.search.parse import QueryError

    if vocab is None:
        raise QueryError(f"no topic '{name}': topics are turned off — search for the word itself")
    found = vocab.find(name)
    if found is not None:
        return found.key
    if vocab.find(name, stopped=True) is not None:
        raise QueryError(f"'{name}' is never a topic: nearly every note mentions it — search for the word itself")
    raise QueryError(f"no topic '{name}' — name a concept from the topics page, or search for the word itself")


def topic_warnings(config) -> list:
    """Warn about `topics_stop:` names that name no concept: a typo would stop nothing."""
    from notebase.errors import Problem, Severity

    return [Problem("notebase.yaml", 0, f"topics_stop: '{name}' names no concept, so it stops nothing",
                    "name a concept by one of its terms, as `notebase tags` lists the topics", Severity.WARNING)
            for name in unknown_stops(config)]
