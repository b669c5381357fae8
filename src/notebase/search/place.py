"""Where the search index lives and what marks it present: light to import (no Whoosh), for builds that find nothing to do."""

from __future__ import annotations

from pathlib import Path

from notebase.config import Config
from notebase.crash import remove_leftovers

STAMPS = "stamps.json"  # the freshness file: the settings' fingerprint and one digest of the notes' stamps


def index_path(config: Config) -> Path:
    """Return the folder of the search index."""
    return config.cache_path / "index"


def tidy(config: Config) -> None:
    """Remove the half-built and swapped-out index folders of killed runs (not those of runs going on)."""
    path = index_path(config)
    remove_leftovers(path.parent, (f"{path.name}.new-", f"{path.name}.old-"))
