"""Logseq outlines as markdown lists: tab-indented bullets under a heading, and block properties hidden.

Logseq writes a page as bullets indented with tabs, and block properties (`id:: 650...`,
`collapsed:: true`) as lines under a bullet. CommonMark reads a tab-indented bullet under a
heading or paragraph as an indented code block, and shows the properties as text. This pass
moves such an outline to the left margin (the whole subtree by the same tabs) and drops the
property lines; code fences and `#+BEGIN_...` blocks are left as they are.
"""

from __future__ import annotations

import re

__all__ = ["PROPERTY", "outline"]

PROPERTY = re.compile(r"[ \t]{0,40}[A-Za-z_][\w.\-/?]{0,80}::(?:[ \t]|$)")
_BULLET = re.compile(r"\t{1,40}[-*+](?:[ \t]|$)")
_LIST_LINE = re.compile(r"[ \t]{0,40}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def outline(lines: list[str], srcs: list[int]) -> tuple[list[str], list[int]]:
    """Dedent tab-indented outlines that hang under no bullet; drop `key:: value` lines under bullets."""
    texts: list[str] = []
    out: list[int] = []
    dedent = 0  # tabs taken off every line of the current orphan outline
    fence: tuple[str, int] | None = None
    org = False
    in_outline = False  # the last line was a bullet, or a line of its block
    previous = None  # the last non-blank line written, None at the start
    for text, src in zip(lines, srcs):
        if dedent:
            if text.startswith("\t" * dedent):
                text = text[dedent:]
            elif text.strip():
                dedent = 0
        rest = text.lstrip(" \t")
        if fence is not None or org:
            if fence is not None and rest.startswith(fence[0] * fence[1]) and rest.rstrip() == rest[0] * len(rest.rstrip()):
                fence = None
            elif org and rest[:6].lower() == "#+end_":
                org = False
            texts.append(text)
            out.append(src)
            continue
        if rest[:3] in ("```", "~~~"):
            fence = rest[0], len(rest) - len(rest.lstrip(rest[0]))
        elif rest[:8].lower() == "#+begin_":
            org = True
        elif not dedent and _BULLET.match(text) and (previous is None or not previous[:1].isspace()
                                                     and not _LIST_LINE.match(previous)):
            dedent = len(text) - len(text.lstrip("\t"))  # a bullet under a heading or paragraph
            text = text[dedent:]
        elif in_outline and text[:1] in (" ", "\t") and PROPERTY.match(text):
            continue  # a block property: Logseq's, not the reader's
        if text.strip():
            in_outline = bool(_LIST_LINE.match(text)) or (in_outline and text[:1] in (" ", "\t"))
            previous = text
        else:
            in_outline = False
        texts.append(text)
        out.append(src)
    return texts, out
