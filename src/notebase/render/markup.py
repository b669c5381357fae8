"""Entry bodies to safe HTML: a body prepared (context.py), rendered by the one markdown-it instance
with its rules for math, code, wikilinks and callouts (renderer.py), then sanitised.

`render` is pure (no file system) and cheap to call from forked workers: the parser, the
sanitiser and the highlight cache are built lazily once per process.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from notebase.collector import paused
from notebase.errors import Problem
from notebase.model import Entry
from notebase.render.context import RESERVED_IDS, Context, Heading, context, wikilink_key
from notebase.render.embed import Embeds, fill
from notebase.render.highlight import pygments_css
from notebase.render.renderer import IMAGE_EXTS, markdown
from notebase.render.sanitize import clean

# What callers import from here; context.py and renderer.py hold the parts.
__all__ = ["IMAGE_EXTS", "RESERVED_IDS", "Context", "Heading", "Rendered", "context", "parse", "pygments_css",
           "render", "wikilink_key"]


@dataclass(frozen=True)
class Rendered:
    """A body rendered to sanitised HTML, with what the page and the link graph need from it."""

    html: str
    toc: tuple[Heading, ...]
    images: tuple[str, ...]  # notes-relative paths; the caller copies each to "media/<path>"
    hrefs: tuple[str, ...]  # site paths of the entries this body links to
    problems: tuple[Problem, ...]


def render(body: str, body_format: str, *, source_path: str, first_line: int, page_path: str,
           targets: Mapping[str, str], files: Collection[str] | None = None,
           notes: Mapping[str, Entry] | None = None) -> Rendered:
    """Render a markdown or feed-HTML body to sanitised HTML for the page at `page_path`.

    `files`, when given, holds the notes-relative paths that exist: an image not beside the
    note is then looked for from the notes root, and a missing one is reported. `notes`, when
    given, maps entry pages to entries: `![[note]]` then shows that note inline (render/embed.py).
    """
    ctx = context(body, source_path, first_line, page_path, targets, files, body_format)
    with paused():
        if body_format == "html":
            fragment = body
        else:
            ctx.embeds = Embeds(notes, (page_path,)) if notes is not None else None
            fragment = markdown().render(ctx.body, {"nb": ctx})
        # A markdown body with no `<` has no raw HTML: every tag is the renderer's own.
        html = clean(fragment, ctx.rewrite, own_tags=body_format != "html" and "<" not in ctx.body)
    if ctx.embeds is not None and ctx.embeds.slots:
        html = fill(html, ctx.embeds.slots)
        ctx.problems += [p for p in ctx.embeds.problems if p not in ctx.problems]
    return Rendered(html=html, toc=tuple(ctx.toc), images=tuple(ctx.images), hrefs=tuple(ctx.hrefs),
                    problems=tuple(ctx.problems))


def parse(ctx: Context) -> list:
    """The markdown-it tokens of a body prepared by `context` (for checks that do not render)."""
    with paused():
        return markdown().parse(ctx.body, {"nb": ctx})


