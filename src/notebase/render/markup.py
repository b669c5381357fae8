"""Entry bodies to safe HTML: the one markdown-it instance, math, code, wikilinks, callouts, sanitising.

`render` is pure (no file system) and cheap to call from forked workers: the parser, the
sanitiser and the highlight cache are built lazily once per process.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import unquote

from notebase.errors import Problem, Severity
from notebase.render.highlight import highlight_code, pygments_css
from notebase.render.cjk import cjk_friendly_plugin
from notebase.render.dialects import prepare
from notebase.render.embed import Embeds, embed, fill, footnotes_apart
from notebase.render.math import math_html, stands_alone
from notebase.render.rules import (bounded_footnote_ref, callout_rule, dense_inline_rule, html_pre_rule,
                                   linkify_rule, mark_rule, wikilink_rule)
from notebase.model import Entry
from notebase.render.sanitize import clean, mark
from notebase.slug import slugify
from notebase.render.urls import output_file, relative

Line = int | Callable[[], int]  # a body line, or how to count it when a problem needs it

__all__ = ["RESERVED_IDS", "Heading", "Rendered", "context", "parse", "pygments_css", "render", "wikilink_key"]

# Ids the page around a body uses (templates/) or may use: a heading "Recent" gets "recent-2".
RESERVED_IDS = frozenset({"main", "recent", "home-tags", "home-archive", "backlinks-h", "related-h",
                          "talks-h", "top", "content", "header", "footer", "nav", "menu", "search",
                          "search-input", "search-results", "toc", "backlinks", "related", "tags",
                          "theme", "title", "page", "body", "footnotes", "graph-h", "same-paper-h",
                          "home-topics", "home-map", "topics", "folders"})
IMAGE_EXTS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico"})

_DROPPED_TAG = re.compile(r"<(script|style|template|textarea|title|noscript|iframe|xmp)\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s_\-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?[\d:\-]+")
_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")
@dataclass(frozen=True)
class Heading:
    """One heading of a body, for the page's table of contents."""

    level: int  # 2..4
    text: str  # plain text
    anchor: str  # the id on the heading element, unique in the page, Hangul kept readable


@dataclass(frozen=True)
class Rendered:
    """A body rendered to sanitised HTML, with what the page and the link graph need from it."""

    html: str
    toc: tuple[Heading, ...]
    images: tuple[str, ...]  # notes-relative paths; the caller copies each to "media/<path>"
    hrefs: tuple[str, ...]  # site paths of the entries this body links to
    problems: tuple[Problem, ...]


@functools.lru_cache(maxsize=1 << 16)  # every build and live update asks again for every title
def wikilink_key(text: str) -> str:
    """Normalise a wikilink target / title / id / file stem for lookup (NFC, casefold, no '.md', one space)."""
    text = unicodedata.normalize("NFC", text).strip().replace("\\", "/")
    if text.lower().endswith((".md", ".markdown")):
        text = text[: text.rfind(".")]
    text = _SEPARATORS.sub(" ", text.casefold()).strip()
    return unicodedata.normalize("NFC", text.removeprefix("./").strip("/ "))


def render(body: str, body_format: str, *, source_path: str, first_line: int, page_path: str,
           targets: Mapping[str, str], files: Collection[str] | None = None,
           notes: Mapping[str, Entry] | None = None) -> Rendered:
    """Render a markdown or feed-HTML body to sanitised HTML for the page at `page_path`.

    `files`, when given, holds the notes-relative paths that exist: an image not beside the
    note is then looked for from the notes root, and a missing one is reported. `notes`, when
    given, maps entry pages to entries: `![[note]]` then shows that note inline (markup_embed).
    """
    ctx = context(body, source_path, first_line, page_path, targets, files, body_format)
    if body_format == "html":
        fragment = body
    else:
        ctx.embeds = Embeds(notes, (page_path,)) if notes is not None else None
        fragment = _markdown().render(ctx.body, {"nb": ctx})
    html = clean(fragment, ctx.rewrite)
    if ctx.embeds is not None and ctx.embeds.slots:
        html = fill(html, ctx.embeds.slots)
        ctx.problems += [p for p in ctx.embeds.problems if p not in ctx.problems]
    return Rendered(html=html, toc=tuple(ctx.toc), images=tuple(ctx.images), hrefs=tuple(ctx.hrefs),
                    problems=tuple(ctx.problems))


def context(body: str, source_path: str, first_line: int, page_path: str, targets: Mapping[str, str],
            files: Collection[str] | None = None, body_format: str = "markdown") -> _Context:
    """The state for rendering a body: markdown made plain (markup_dialects) with problems so far, or feed HTML."""
    if body_format == "html":  # a feed's `/img/a.png` is its blog's, not a path in the notes
        return _Context(body, source_path, first_line, page_path, targets, files, site_paths=False)
    prepared = prepare(body)
    ctx = _Context(prepared.text, source_path, first_line, page_path, targets, files, lines=prepared.lines)
    for remark in prepared.remarks:
        ctx.problems.append(Problem(source_path, first_line + remark.line, remark.message, remark.hint,
                                    Severity.WARNING))
    return ctx


def parse(ctx: _Context) -> list:
    """The markdown-it tokens of a body prepared by `context` (for checks that do not render)."""
    return _markdown().parse(ctx.body, {"nb": ctx})


# --- per-call state ----------------------------------------------------------------------------


@dataclass
class _Context:
    body: str
    source_path: str
    first_line: int
    page_path: str
    targets: Mapping[str, str]
    files: Collection[str] | None
    lines: tuple[int, ...] | None = None  # body line of each line of `body`, when preparing moved lines
    line: int = 0  # line of `body` (0-based) of the block being rendered
    toc: list[Heading] = field(default_factory=list)
    images: dict[str, None] = field(default_factory=dict)  # ordered set
    hrefs: dict[str, None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ids: set[str] = field(default_factory=lambda: set(RESERVED_IDS))
    next_n: dict[str, int] = field(default_factory=dict)  # per anchor base, the suffix to try next
    breaks: dict[int, tuple] = field(default_factory=dict)  # id(inline children) -> (them, breaks before each)
    raw_at: tuple[int, int] = (0, 0)  # where the last raw-HTML value was found: (offset, line)
    site_paths: bool = True  # `/img/a.png` is from the notes root (markdown); in feed HTML it is the blog's
    embeds: Embeds | None = None  # the notes `![[note]]` may show, when the page shows embeds

    @property
    def note_dir(self) -> str:
        return posixpath.dirname(self.source_path)

    def warn(self, line: Line, message: str, hint: str = "") -> None:
        line = line() if callable(line) else line  # inline positions are counted only when needed
        if self.lines:
            line = self.lines[min(max(line, 0), len(self.lines) - 1)]
        self.problems.append(Problem(self.source_path, self.first_line + line, message, hint,
                                     Severity.WARNING))

    def raw_line(self, text: str) -> Line:
        """The body line where raw HTML wrote `text` (the sanitiser does not know lines)."""
        def line() -> int:
            # Values come in document order: search on from the last one, counting lines as we go,
            # so thousands of raw <img> tags cost one pass over the body, not one each.
            start, count = self.raw_at
            at = self.body.find(text, start)
            if at < 0:
                start, count = 0, 0
                at = self.body.find(text)
            if at < 0:
                return 0
            count += self.body.count("\n", start, at)
            self.raw_at = (at, count)
            return count
        return line

    def unique_id(self, text: str) -> str:
        base = slugify(text) if text.strip() else "section"
        n = self.next_n.get(base, 1)  # ids are never freed: 10,000 equal headings count up once
        anchor = base if n == 1 else f"{base}-{n}"
        while anchor in self.ids or _FOOTNOTE_ID.fullmatch(anchor):
            n += 1
            anchor = f"{base}-{n}"
        self.ids.add(anchor)
        self.next_n[base] = n
        return anchor

    def lookup(self, target: str) -> str | None:
        """The site path of the entry a wikilink or note link names, if any."""
        key = wikilink_key(target)
        site = self.targets.get(key)
        if site is None and "/" in key:
            site = self.targets.get(key.rsplit("/", 1)[1])
        return site

    def link_to(self, site: str, heading: str = "") -> str:
        if site != self.page_path:  # a link to the page itself is no backlink
            self.hrefs[site] = None
        href = relative(self.page_path, site)
        return href + "#" + slugify(heading) if heading else href

    def local_file(self, url: str, line: Line, what: str, obsidian: bool = False) -> str | None:
        """Resolve a note-relative file URL to a media href, recording the file; None drops it.

        An Obsidian embed (`obsidian`) with a folder in it is from the notes root, and a bare
        name not beside the note may be anywhere (Obsidian's "shortest path" links).
        """
        path = unquote(url.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/").strip()
        # A site-root path (`/assets/a.png` in Jekyll, `/img/a.png` from Hugo's static/) is read from
        # the notes root, the site's source.
        site_root = self.site_paths and path.startswith("/") and not path.startswith("//")
        path = path.lstrip("/") if site_root else path
        if not path or "\x00" in path or path.startswith("/") or _SCHEME.match(path):
            self.warn(line, f"{what} {_short(url)!r} is not a path inside the notes folder; it was left out",
                      "write the path relative to the note, e.g. img/figure.png")
            return None
        beside = posixpath.normpath(posixpath.join(self.note_dir, path))
        from_root = posixpath.normpath(path)
        from_root_first = obsidian and "/" in path and not path.startswith(("./", "../"))
        order = (from_root, beside) if from_root_first else (beside, from_root)
        if site_root:
            order = (from_root, posixpath.normpath("static/" + path))
        inside = [c for c in order if c != "." and c != ".." and not c.startswith("../")]
        if not inside:
            self.warn(line, f"{what} {_short(url)!r} points outside the notes folder; it was left out",
                      "keep images inside the notes folder")
            return None
        chosen = inside[0]
        if self.files is not None:
            found = [c for c in inside if c in self.files]
            if not found and obsidian and "/" not in path:
                found = sorted(f for f in self.files if posixpath.basename(f) == path)
            if not found:
                # Dropped, not linked: a missing file would be a broken link on the site.
                self.warn(line, f"{what} {path!r} does not exist; its alt text is shown instead",
                          "check the file name and folder")
                return None
            chosen = found[0]
        self.images[chosen] = None
        return relative(self.page_path, "media/" + chosen)

    def image_src(self, url: str, line: Line) -> str | None:
        if url.lower().startswith(("http://", "https://", "//")):
            return url
        return self.local_file(url, line, "image")

    def link_href(self, url: str, line: Line) -> str:
        """Resolve a link written in the body: note files and site paths become relative entry links."""
        if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
            return url
        path, _, fragment = url.partition("#")
        path = unquote(path)
        suffix = "#" + fragment if fragment else ""
        ext = path.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(path) else ""
        if ext in ("md", "markdown"):
            note = posixpath.normpath(posixpath.join(self.note_dir, path))
            site = self.lookup(note) or self.lookup(posixpath.basename(note))
            if site is None:
                self.warn(line, f"link to {path!r} matches no entry", "link to a note that is an entry")
                return url
            return self.link_to(site) + suffix
        here = posixpath.dirname(output_file(self.page_path))
        site = path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join(here, path))
        for candidate in (site, site.rstrip("/") + "/"):
            if candidate in _site_paths(self.targets):
                return self.link_to(candidate) + suffix
        return url

    def rewrite(self, tag: str, attr: str, value: str) -> str | None:
        """Resolve href/src written as raw HTML (markdown's own are resolved while rendering)."""
        if tag == "img" and attr == "src":
            return self.image_src(value, self.raw_line(value))
        if tag == "a" and attr == "href":
            return self.link_href(value, self.raw_line(value)) or None
        return value


def _nested(ctx: _Context):
    """How an embedded note renders inside `ctx`'s page: its own links and images, the page's ids."""
    def run(entry: Entry, body: str, first: int, embeds: Embeds, prefix: str) -> tuple[str, tuple[str, ...]]:
        inner = _Context(body, entry.source.path, first, ctx.page_path, ctx.targets, ctx.files)
        fragment = body
        if entry.body_format != "html":
            inner = context(body, entry.source.path, first, ctx.page_path, ctx.targets, ctx.files)
            inner.ids, inner.next_n, inner.embeds = ctx.ids, ctx.next_n, embeds
            fragment = footnotes_apart(_markdown().render(inner.body, {"nb": inner}), prefix)
        html = fill(clean(fragment, inner.rewrite), embeds.slots)
        ctx.images.update(inner.images)  # copied for this page too; its problems are its own page's
        return html, tuple(inner.images)
    return run


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


_paths_seen: list = [None, frozenset()]


def _site_paths(targets: Mapping[str, str]) -> frozenset[str]:
    # One targets mapping serves a whole build: build its set of paths once, not once per note.
    if _paths_seen[0] is not targets:
        _paths_seen[:] = [targets, frozenset(targets.values())]
    return _paths_seen[1]


# --- the parser ----------------------------------------------------------------------------------


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.footnote.index import footnote_ref
    from mdit_py_plugins.tasklists import tasklists_plugin

    class Renderer(RendererHTML):
        def render(self, tokens, options, env):
            # As RendererHTML.render, but remembers each block's line for problems raised inline.
            ctx, out = env["nb"], []
            for i, token in enumerate(tokens):
                if token.type == "inline":
                    if token.children:
                        ctx.line = token.map[0] if token.map else ctx.line
                        out.append(self.renderInline(token.children, options, env))
                elif token.type in self.rules:
                    out.append(self.rules[token.type](tokens, i, options, env))
                else:
                    out.append(self.renderToken(tokens, i, options, env))
            return "".join(out)

    md = MarkdownIt("commonmark", {"html": True}, renderer_cls=Renderer)
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


def _inline_line(ctx: _Context, tokens, idx: int) -> Line:
    block_line = ctx.line

    def line() -> int:
        # Breaks before each token, counted once per inline block: a paragraph of 30,000 missing
        # images warns 30,000 times.
        known = ctx.breaks.get(id(tokens))
        if known is None or known[0] is not tokens:
            counts, n = [], 0
            for t in tokens:
                counts.append(n)
                n += t.type in ("softbreak", "hardbreak")
            known = ctx.breaks[id(tokens)] = (tokens, counts)
        return block_line + known[1][idx]
    return line


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
    resolved = ctx.link_href(href, _inline_line(ctx, tokens, idx))
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
        ctx.warn(_inline_line(ctx, tokens, idx), "inline data: images are not kept",
                 "save the image as a file beside the note")
        return escape(alt)
    resolved = ctx.image_src(src, _inline_line(ctx, tokens, idx))
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
    line = token.map[0] if token.map else _inline_line(ctx, tokens, idx)
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
        src = ctx.local_file(target, _inline_line(ctx, tokens, idx), "embedded image", obsidian=True)
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
            ctx.warn(_inline_line(ctx, tokens, idx), message, hint)
            ctx.embeds.problems.append(ctx.problems[-1])
        marker = embed(ctx.embeds, site, heading, ctx.link_to(site, heading), _nested(ctx), warn)
        if marker:
            return marker
    if target and site is None:
        return f'<span class="wikilink unresolved" title="{escape(target)}">{escape(label)}</span>'
    href = ctx.link_to(site, heading) if site else "#" + slugify(heading)
    cls = "wikilink embed" if meta["embed"] else "wikilink"
    return f'<a class="{cls}" href="{escape(mark(href))}">{escape(label)}</a>'
