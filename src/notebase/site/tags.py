"""What makes two tags one: case, spaces, `-` and `_` aside; `a/b` is `b` inside `a`.

Obsidian, Hugo and MkDocs users write `Knowledge Distillation`, `knowledge-distillation` and
`knowledge_distillation` for one idea, and nest tags as `ml/vision`. One key function serves the
site's tag pages, `notebase tags`, `list --tag`, `search tag:` and (ported in
templates/static/search-query.js) the site's search, so they all agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Separators inside a tag: the same characters, spelled out, in search-query.js.
_SEPARATORS = re.compile("[ \t\n\r\f\v\u00a0\u3000_,\\-]+")


@lru_cache(maxsize=1 << 16)  # a site spells a few hundred tags a hundred thousand times: keyed once each
def tag_key(tag: str) -> str:
    """Return the key a tag is known by: lowercase, separators as one `-`, `/` between levels."""
    text = _SEPARATORS.sub("-", tag.strip().lstrip("#").lower())
    return "/".join(part for part in (p.strip("-") for p in text.split("/")) if part)


def ancestors(key: str) -> tuple[str, ...]:
    """Return the keys of the tags a nested tag sits inside, outermost first: `a/b/c` -> (`a`, `a/b`)."""
    parts = key.split("/")
    return tuple("/".join(parts[:n]) for n in range(1, len(parts)))


@lru_cache(maxsize=1 << 16)  # asked of every tag of every entry by the ranking, the index and the tag pages
def with_ancestors(key: str) -> tuple[str, ...]:
    """Return a tag's key after the keys of the tags it sits inside: what `tag:a` finds `a/b` by."""
    return (*ancestors(key), key) if key else ()
