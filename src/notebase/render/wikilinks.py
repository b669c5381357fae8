"""Obsidian wikilinks and embeds, found outside code and outside what the page hides (comments, properties)."""

from __future__ import annotations

import re

from notebase.render.dialects import prepare
from notebase.model import WikiLink
from notebase.render.plaintext import mask_code

_WIKI = re.compile(r"(?P<embed>!?)\[\[(?P<target>[^\[\]|#\n]*)(?:#(?P<heading>[^\[\]|\n]*))?(?:\|(?P<alias>[^\[\]\n]*))?\]\]")


def find_wikilinks(body: str, first_line: int = 1) -> tuple[WikiLink, ...]:
    """Return `[[note]]`, `[[note|alias]]`, `[[folder/note]]` and `![[file]]` with their lines."""
    if "[[" not in body:
        return ()
    prepared = prepare(body)  # as the renderer reads it: a link in a %%comment%% links nowhere
    found = []
    for n, line in enumerate(mask_code(prepared.text).split("\n")):
        if "[[" not in line:
            continue
        for m in _WIKI.finditer(line):
            target = m["target"].strip()
            if not target and not m["heading"]:
                continue
            found.append(WikiLink(
                target=target,
                alias=(m["alias"] or "").strip() or None,
                heading=(m["heading"] or "").strip() or None,
                embed=bool(m["embed"]),
                line=first_line + prepared.source_line(n),
            ))
    return tuple(found)
