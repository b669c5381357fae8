"""What the dialect converters share: the warnings they collect and the markdown they emit.

The converters (render/tags.py, hugo.py, dialects.py) turn template tags
and directives into plain markdown before markdown-it sees a note; `Notes.for_text` asks for
plain text instead (search and summaries), so no HTML and no placeholders are emitted then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Notes", "figure_lines", "figure_parts", "link_line", "md_text", "parse_args", "unquote"]

_ARG = re.compile(r"""([\w.-]{1,60})[ \t]{0,20}=[ \t]{0,20}("[^"]{0,2000}"|'[^']{0,2000}'|[^\s"']{1,2000})"""
                  r"""|("[^"]{0,2000}"|'[^']{0,2000}'|[^\s"'=]{1,2000})""")
_URL = re.compile(r"https?://[^\s<>\"'`]{1,2000}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}$|~])")


@dataclass
class Notes:
    """What converting one body found: warnings (one per kind of leftover, counted) and the mode."""

    for_text: bool = False  # plain text for search and summaries: no HTML, no placeholders
    seen: dict[tuple[str, str], list] = field(default_factory=dict)  # key -> [line, count, message, hint]

    def warn(self, line: int, key: tuple[str, str], message: str, hint: str) -> None:
        """Record a removed leftover; the same kind again in the note only counts up."""
        entry = self.seen.get(key)
        if entry is None:
            self.seen[key] = [line, 1, message, hint]
        else:
            entry[1] += 1


def unquote(value: str) -> str:
    """`"a b"` or `'a b'` without its quotes; anything else as is."""
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def parse_args(text: str) -> tuple[list[str], dict[str, str]]:
    """Split `a "b c" key="v" k2=v2` into positional and keyword arguments (keys lower-cased)."""
    positional, named = [], {}
    for m in _ARG.finditer(text):
        if m[1]:
            named[m[1].lower()] = unquote(m[2])
        else:
            positional.append(unquote(m[3]))
    return positional, named


def md_text(text: str, notes: Notes) -> str:
    """`text` as markdown that shows it as written (markup characters escaped; plain in text mode)."""
    if notes.for_text or not _MD_SPECIAL.search(text):
        return text
    return _MD_SPECIAL.sub(r"\\\1", text)


def link_line(url: str, text: str, notes: Notes) -> str:
    """A markdown link to an http(s) `url`; only the text in text mode or for any other URL."""
    if notes.for_text or not _URL.fullmatch(url):
        return md_text(text, notes)
    return f"[{md_text(text, notes)}](<{url}>)"


def figure_parts(src: str, alt: str, captioned: bool, notes: Notes) -> tuple[list[str], list[str]]:
    """The lines before and after a figure's markdown caption: HTML around it, or the alt text in text mode.

    The image itself is written as markdown, so it is resolved, checked and reported like any
    image of the note (a missing one shows its alt text).
    """
    if notes.for_text:
        return ([alt] if alt else []), []
    image = [f"![{md_text(alt, notes)}](<{src}>)", ""] if src and "<" not in src and ">" not in src else []
    # Blank lines end each HTML block, so the image and the caption are read as markdown.
    if not captioned:
        return ["<figure>", "", *image, "</figure>", ""], []
    return ["<figure>", "", *image, "<figcaption>", ""], ["", "</figcaption>", "</figure>", ""]


def figure_lines(src: str, alt: str, caption: list[str], notes: Notes) -> list[str]:
    """A figure as lines: HTML around a markdown caption (text mode: the alt text and the caption)."""
    before, after = figure_parts(src, alt, any(line.strip() for line in caption), notes)
    return before + caption + after
