"""Note embeds: `![[note]]` and `![[note#Heading]]` show that note, or that section of it, in the page.

As in Obsidian, an embed on a line of its own becomes the embedded text in a box titled with a
link to the note; an embed within a sentence stays a link. The embedded body is rendered and
sanitised on its own (its links and images resolved from its own file), then put in place after
the embedding body is sanitised, at a marker the note's text cannot forge (it carries the
sanitiser's per-process secret). Embeds are bounded: no note inside itself, at most `MAX_DEPTH`
levels and `MAX_EMBEDS` per page, so a ring of notes embedding each other stays one page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

from notebase.load.classify import atx_heading
from notebase.render.lines import closes_fence, fence_of
from notebase.model import Entry
from notebase.render.sanitize import mark
from notebase.slug import slugify

MAX_DEPTH = 3  # a note in a note in a note, no deeper
MAX_EMBEDS = 40  # embedded notes on one page, all levels together
_FOOTNOTE = r"(?:fnref|fn)[\d:\-]{1,40}\b"


@dataclass
class Embeds:
    """What embedding needs while one page renders: the notes it may show and what is open."""

    notes: Mapping[str, Entry]  # site path of an entry's page -> the entry
    stack: tuple[str, ...] = ()  # site paths being rendered, the page's own first
    count: list[int] = field(default_factory=lambda: [0])  # embeds so far on the page, shared by levels
    slots: dict[str, str] = field(default_factory=dict)  # marker -> the embed's final HTML
    problems: list = field(default_factory=list)  # embeds that failed at any level, for the page's report

    def inner(self, path: str) -> Embeds:
        """The state for rendering the note at `path` inside this one."""
        return Embeds(self.notes, (*self.stack, path), self.count, {}, self.problems)


# render(entry, body, first_line, embeds, prefix) -> (sanitised html, images)
NestedRender = Callable[[Entry, str, int, Embeds, str], tuple[str, tuple[str, ...]]]


def section(body: str, heading: str) -> tuple[str, int] | None:
    """Return the part of a markdown body under `heading` (heading included) and its first line, or None.

    The section runs to the next heading of the same or a higher level, code blocks skipped.
    """
    wanted = slugify(heading)
    lines = body.split("\n")
    start = level = None
    fence = None
    for n, line in enumerate(lines):
        if fence is not None:
            fence = None if closes_fence(line, *fence) else fence
            continue
        fence = fence_of(line)
        if fence is not None or "#" not in line[:4]:
            continue
        found = atx_heading(line)
        if found is None:
            continue
        if start is None:
            if slugify(found[1]) == wanted:
                start, level = n, found[0]
        elif found[0] <= level:
            return "\n".join(lines[start:n]), start
    return ("\n".join(lines[start:]), start) if start is not None else None


def embed(embeds: Embeds, path: str, heading: str, href: str, render: NestedRender,
          warn: Callable[[str, str], None]) -> str | None:
    """Render the note at site path `path` (its section `heading`) for embedding; return its marker.

    None when it cannot be embedded (a loop, too deep, too many, no such section): the caller
    shows a link instead, and `warn(message, hint)` has said why.
    """
    entry = embeds.notes.get(path)
    if entry is None:
        return None
    if path in embeds.stack:
        warn(f"embed of '{entry.title}' inside itself left as a link",
             "a note cannot show itself; embed a section of another note")
        return None
    if len(embeds.stack) > MAX_DEPTH:
        warn(f"embed of '{entry.title}' is more than {MAX_DEPTH} levels deep; left as a link",
             "embed the inner note directly")
        return None
    if embeds.count[0] >= MAX_EMBEDS:
        warn(f"more than {MAX_EMBEDS} notes embedded in one page; the rest are links", "embed fewer notes")
        return None
    body, first = entry.body, entry.body_line
    if heading and entry.body_format == "markdown":
        found = section(body, heading)
        if found is None:
            warn(f"'{entry.title}' has no heading {heading!r} to embed; left as a link",
                 "check the heading's spelling")
            return None
        body, first = found[0], first + found[1]
    embeds.count[0] += 1
    number = embeds.count[0]
    html, _ = render(entry, body, first, embeds.inner(path), f"e{number}-")
    title = entry.title + (f" › {heading}" if heading else "")
    marker = f"{mark('')}embed-{number}/"
    embeds.slots[marker] = (f'<aside class="note-embed"><p class="note-embed-title"><a href="{escape(href)}">'
                            f"{escape(title)}</a></p>\n{html}</aside>\n")
    return marker


def footnotes_apart(fragment: str, prefix: str) -> str:
    """Give an embedded body's footnote ids and links a prefix, so they do not meet the page's own."""
    if "fn" not in fragment:
        return fragment
    marked = re.escape(mark(""))
    return re.sub(rf'(id="{marked}|href="#)({_FOOTNOTE})', rf"\g<1>{prefix}\g<2>", fragment)


def fill(html: str, slots: Mapping[str, str]) -> str:
    """Put each embed's HTML where its marker stands (a marker alone in a paragraph takes its place)."""
    for marker, block in slots.items():
        html = html.replace(f"<p>{marker}</p>", block).replace(marker, block)
    return html
