"""The one markdown-it instance and how it renders each token: headings, links, images, code, math, wikilinks.

It is built lazily once per process (`markdown()`), so forked workers pay for it once; every rule
reads and fills the `Context` (render/context.py) the caller passes as `env["nb"]`.
"""

from __future__ import annotations

import functools
import re
from html import escape

from notebase.model import Entry
from notebase.render.blocks import use_fast_blocks
from notebase.render.cjk import cjk_friendly_plugin
from notebase.render.context import Context, Heading, context, inline_line
from notebase.render.fast_inline import plain_breaks, render_plain, use_fast_inline
from notebase.render.embed import Embeds, embed, fill, footnotes_apart
from notebase.render.highlight import highlight_code
from notebase.render.math import math_html, stands_alone
from notebase.render.rules import (bounded_footnote_ref, callout_rule, dense_inline_rule, html_pre_rule,
                                   linkify_rule, mark_rule, wikilink_rule)
from notebase.render.sanitize import clean, mark
from notebase.render.tables import render_row, render_token
from notebase.slug import slugify

IMAGE_EXTS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico"})
_DROPPED_TAG = re.compile(r"<(script|style|template|textarea|title|noscript|iframe|xmp)\b", re.IGNORECASE)
_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")


@functools.cache
def markdown():
    """Return the markdown-it instance every body is rendered with, built on first use."""
    return build_markdown()


def build_markdown(*, fast: bool = True):
    """Build a markdown-it instance with notebase's rules (with markdown-it's own rules only, if not fast)."""
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.footnote.index import footnote_ref
    from mdit_py_plugins.tasklists import tasklists_plugin

    class Renderer(RendererHTML):
        rows = None  # the table-row short cut, LeanRenderer's (render_row's signature)

        def render(self, tokens, options, env):
            # As RendererHTML.render, but remembers each block's line for problems raised inline.
            ctx, out = env["nb"], []
            breaks = plain_breaks(self, options)
            rules = self.rules
            rows = self.rows if breaks is not None and _rows_own(rules) else None
            i, count = 0, len(tokens)
            while i < count:
                token = tokens[i]
                if token.type == "inline":
                    if token.children:
                        ctx.line = token.map[0] if token.map else ctx.line
                        html = render_plain(token.children, breaks) if breaks is not None else None
                        out.append(self.renderInline(token.children, options, env) if html is None else html)
                elif token.type == "tr_open" and rows is not None and (done := rows(
                        tokens, i, ctx, breaks, lambda children: self.renderInline(children, options, env))):
                    out.append(done[0])
                    i = done[1]
                    continue
                elif token.type in rules:
                    out.append(rules[token.type](tokens, i, options, env))
                else:
                    out.append(self.renderToken(tokens, i, options, env))
                i += 1
            return "".join(out)

    class LeanRenderer(Renderer):
        renderToken = render_token  # noqa: N815 -- markdown-it's name
        rows = staticmethod(render_row)

    md = MarkdownIt("commonmark", {"html": True}, renderer_cls=LeanRenderer if fast else Renderer)
    md.enable(["table", "strikethrough"])
    # Bare URLs with a scheme become links, never file names (`README.md`, `setup.py` have TLDs).
    md.linkify.set({"fuzzy_link": False}).add("//", None)  # `http\://x` and `a//b` stay text
    md.core.ruler.after("inline", "linkify_linear", linkify_rule)
    md.use(footnote_plugin).use(tasklists_plugin).use(cjk_friendly_plugin)
    md.inline.ruler.at("footnote_ref", bounded_footnote_ref(footnote_ref))
    # An HTML block with a <pre> inside runs to its </pre>, blank lines and all (notes saved from the web).
    md.block.ruler.before("html_block", "html_pre", html_pre_rule, {"alt": ["paragraph", "reference", "blockquote"]})
    # No space inside the dollars and no digit outside them: "$5 and $10" stays currency.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_labels=False,
           allow_blank_lines=False, double_inline=True)
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.before("emphasis", "mark", mark_rule)
    md.core.ruler.before("inline", "callout", callout_rule)
    md.core.ruler.before("inline", "dense_inline", dense_inline_rule)
    if fast:  # the same tokens with far fewer rule calls (blocks.py, fast_inline.py); tests compare both ways
        use_fast_blocks(md)
        use_fast_inline(md)
        # A task list item starts `[ ]` or `[x]`: a body with no `[` has none to look for.
        tasklists = next(rule.fn for rule in md.core.ruler.__rules__ if rule.name == "github-tasklists")
        md.core.ruler.at("github-tasklists", lambda state: "[" in state.src and tasklists(state))
    rules = md.add_render_rule
    rules("heading_open", _render_heading_open)
    rules("link_open", _render_link_open)
    rules("image", _render_image)
    rules("fence", _render_fence)
    rules("wikilink", _render_wikilink)
    for name in ("math_inline", "math_inline_double", "math_block"):
        rules(name, _render_math)
    for name in ("th_open", "td_open"):
        rules(name, _render_cell_open)
    for name in ("footnote_ref", "footnote_open", "footnote_anchor"):
        rules(name, _marked_ids(md.renderer.rules[name]))
    return md


def _rows_own(rules) -> bool:
    """True when a table row's tokens render as render_row writes them: by renderToken, `td_open` by
    `_render_cell_open`."""
    return (not any(name in rules for name in ("tr_open", "tr_close", "td_close"))
            and getattr(rules.get("td_open"), "__func__", None) is _render_cell_open)


def _nested(ctx: Context):
    """How an embedded note renders inside `ctx`'s page: its own links and images, the page's ids."""
    def run(entry: Entry, body: str, first: int, embeds: Embeds, prefix: str) -> tuple[str, tuple[str, ...]]:
        inner = Context(body, entry.source.path, first, ctx.page_path, ctx.targets, ctx.files)
        fragment = body
        if entry.body_format != "html":
            inner = context(body, entry.source.path, first, ctx.page_path, ctx.targets, ctx.files)
            inner.ids, inner.next_n, inner.embeds = ctx.ids, ctx.next_n, embeds
            fragment = footnotes_apart(markdown().render(inner.body, {"nb": inner}), prefix)
        own_tags = entry.body_format != "html" and "<" not in inner.body  # as markup.render tells it
        html = fill(clean(fragment, inner.rewrite, own_tags=own_tags), embeds.slots)
        ctx.images.update(inner.images)  # copied for this page too; its problems are its own page's
        return html, tuple(inner.images)
    return run


def _render_heading_open(self, tokens, idx, options, env):
    ctx, token = env["nb"], tokens[idx]
    text = _plain(tokens[idx + 1].children or [])
    anchor = ctx.unique_id(text)
    level = int(token.tag[1])
    if 2 <= level <= 4:
        ctx.toc.append(Heading(level, text, anchor))
    return f'<{token.tag} id="{escape(mark(anchor))}">'


def _plain(children) -> str:
    parts, skip_until = [], ""
    for child in children:
        if skip_until:
            skip_until = "" if child.type == "html_inline" and child.content.lower().startswith(skip_until) else skip_until
        elif child.type == "html_inline":
            opened = _DROPPED_TAG.match(child.content)
            skip_until = f"</{opened[1].lower()}" if opened else ""  # <script>text</script> is not heading text
        elif child.type in ("text", "code_inline", "math_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink":
            parts.append(_wikilink_label(child.meta))
        elif child.type == "image" and child.children:
            parts.append(_plain(child.children))
    return " ".join("".join(parts).split())


def _render_link_open(self, tokens, idx, options, env):
    ctx, token = env["nb"], tokens[idx]
    href = str(token.attrs.get("href", ""))
    resolved = ctx.link_href(href, inline_line(ctx, tokens, idx))
    if not resolved:
        token.attrs.pop("href", None)
    else:
        token.attrs["href"] = mark(resolved)  # resolved once here; the sanitiser still checks the scheme
    return self.renderToken(tokens, idx, options, env)


def _render_image(self, tokens, idx, options, env):
    ctx, token = env["nb"], tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = str(token.attrs.get("src", ""))
    if src.lower().startswith("data:"):
        ctx.warn(inline_line(ctx, tokens, idx), "inline data: images are not kept",
                 "save the image as a file beside the note")
        return escape(alt)
    resolved = ctx.image_src(src, inline_line(ctx, tokens, idx))
    if resolved is None:
        return escape(alt)
    token.attrs["src"] = mark(resolved)
    token.attrs["alt"] = alt
    return self.renderToken(tokens, idx, options, env)


def _render_fence(self, tokens, idx, options, env):
    token = tokens[idx]
    lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if lang.lower() == "math":  # Obsidian's ```math block
        ctx, line = env["nb"], token.map[0] + 1 if token.map else 0
        return math_html(lambda message, hint: ctx.warn(line, message, hint), token.content, True)
    return highlight_code(token.content, lang)


def _render_math(self, tokens, idx, options, env):
    ctx, token = env["nb"], tokens[idx]
    line = token.map[0] if token.map else inline_line(ctx, tokens, idx)
    # Kramdown writes inline math as $$x$$ within a line: display only when it has its lines to itself.
    display = token.type == "math_block" or (token.type == "math_inline_double" and stands_alone(tokens, idx))
    return math_html(lambda message, hint: ctx.warn(line, message, hint), token.content, display,
                     block=token.type == "math_block")


def _render_cell_open(self, tokens, idx, options, env):
    # Alignment as the align attribute: the sanitiser allows no style attribute at all.
    token = tokens[idx]
    style = str(token.attrs.pop("style", ""))
    if style.startswith("text-align:"):
        token.attrs["align"] = style.split(":", 1)[1]
    return self.renderToken(tokens, idx, options, env)


def _marked_ids(rule):
    def render_marked(self, tokens, idx, options, env):
        return rule(tokens, idx, options, env).replace(' id="', ' id="' + mark(""))
    return render_marked


def _wikilink_label(meta: dict) -> str:
    if meta["alias"]:
        return meta["alias"]
    if meta["target"] and meta["heading"]:
        return f"{meta['target']} > {meta['heading']}"
    return meta["target"] or meta["heading"]


def _render_wikilink(self, tokens, idx, options, env):
    ctx, meta = env["nb"], tokens[idx].meta
    target, heading, alias = meta["target"], meta["heading"], meta["alias"]
    ext = target.rsplit(".", 1)[-1].lower() if "." in target else ""
    if meta["embed"] and ext in IMAGE_EXTS:
        src = ctx.local_file(target, inline_line(ctx, tokens, idx), "embedded image", obsidian=True)
        if src is None:
            return escape(alias or target)
        size = _SIZE.fullmatch(alias)
        dims = f' width="{size[1]}"' + (f' height="{size[2]}"' if size[2] else "") if size else ""
        alt = "" if size else alias
        return f'<img class="embed" src="{escape(mark(src))}" alt="{escape(alt or target)}"{dims}>'
    label = _wikilink_label(meta)
    site = ctx.lookup(target) if target else None
    if site and meta["embed"] and ctx.embeds is not None and all(
            t is tokens[idx] or (t.type in ("text", "softbreak") and not t.content.strip()) for t in tokens):
        def warn(message: str, hint: str) -> None:  # kept for the page even from an embedded note
            ctx.warn(inline_line(ctx, tokens, idx), message, hint)
            ctx.embeds.problems.append(ctx.problems[-1])
        marker = embed(ctx.embeds, site, heading, ctx.link_to(site, heading), _nested(ctx), warn)
        if marker:
            return marker
    if target and site is None:
        return f'<span class="wikilink unresolved" title="{escape(target)}">{escape(label)}</span>'
    href = ctx.link_to(site, heading) if site else "#" + slugify(heading)
    cls = "wikilink embed" if meta["embed"] else "wikilink"
    return f'<a class="{cls}" href="{escape(mark(href))}">{escape(label)}</a>'
