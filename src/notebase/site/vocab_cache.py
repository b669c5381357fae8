"""The topic vocabulary kept in the cache folder, so a build after an edit does not build it again (0.3 s).

It is keyed by what decides it (the topic settings, notebase's version and the shipped word lists'
stamps); a file for other settings, or one that cannot be read, is as good as none.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from notebase import __version__

from notebase.atomic import replaced

VOCABULARY = "vocabulary.pickle"
FORMAT = 2  # the Vocabulary's tables as pickled (2: one-word forms in a table of their own)


def vocabulary_key(config) -> tuple:
    """What decides a knowledge base's vocabulary: its topic settings, the version, the shipped lists."""
    from notebase.search import glossary
    from notebase.site import topics

    stamps = []
    for path in (Path(topics.__file__).with_name("topics.txt"), Path(glossary.__file__).with_name("glossary.txt"),
                 Path(glossary.__file__).with_name("words.txt")):
        try:
            st = os.stat(path)
            stamps.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append(None)
    return topics.settings_of(config), __version__, FORMAT, tuple(stamps)


def read_vocabulary(cache: Path, key: tuple):
    """Return (True, the vocabulary) kept for `key`, or (False, None)."""
    try:
        with open(cache / VOCABULARY, "rb") as file:
            if pickle.load(file) != key:
                return False, None
            return True, pickle.load(file)
    except Exception:  # noqa: BLE001 - our own cache: unreadable means build it again
        return False, None


def adopt_kept_vocabulary(config) -> None:
    """Make the vocabulary kept in the cache folder the one this process uses, when it was kept for these settings."""
    from notebase.site.topics import adopt_vocabulary, settings_of

    found, vocab = read_vocabulary(config.cache_path, vocabulary_key(config))
    if found and vocab is not None:
        adopt_vocabulary(settings_of(config), vocab)


def keep_vocabulary(config, key: tuple) -> None:
    """Write the vocabulary for `key` unless the file holds it already (replaced in one rename)."""
    from notebase.site.topics import vocabulary

    path = config.cache_path / VOCABULARY
    try:
        with open(path, "rb") as file:
            if pickle.load(file) == key:
                return
    except Exception:  # noqa: BLE001 - none yet, or unreadable: written anew
        pass
    vocab = vocabulary(config)
    if vocab is None:  # topics are off
        path.unlink(missing_ok=True)
        return
    with replaced(path) as file:
        pickle.dump(key, file, pickle.HIGHEST_PROTOCOL)
        pickle.dump(vocab, file, pickle.HIGHEST_PROTOCOL)
