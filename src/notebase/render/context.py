"""The state of rendering one body: where it sits, what its links resolve to, its ids and problems.

`Context` resolves what a body points at (wikilinks, note links, site paths, images, raw HTML's
href and src) and says on which line of the note a problem is; render/renderer.py fills it in
while rendering, render/markup.py makes one per body.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from notebase.errors import Problem, Severity
from notebase.render.dialects import prepare
from notebase.render.embed import Embeds
from notebase.render.urls import output_file, relative
from notebase.slug import slugify

Line = int | Callable[[], int]  # a body line, or how to count it when a problem needs it

# Ids the page around a body uses (templates/) or may use: a heading "Recent" gets "recent-2".
RESERVED_IDS = frozenset({"main", "recent", "home-tags", "home-archive", "backlinks-h", "related-h",
                          "talks-h", "top", "content", "header", "footer", "nav", "menu", "search",
                          "search-input", "search-results", "toc", "backlinks", "related", "tags",
                          "theme", "title", "page", "body", "footnotes", "graph-h", "same-paper-h",
                          "home-topics", "home-map", "topics", "folders"})
_SEPARATORS = re.compile(r"[\s_\-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?[\d:\-]+")


@dataclass(frozen=True)
class Heading:
    """One heading of a body, for the page's table of contents."""

    level: int  # 2..4
    text: str  # plain text
    anchor: str  # the id on the heading element, unique in the page, Hangul kept readable


@functools.lru_cache(maxsize=1 << 16)  # every build and live update asks again for every title
def wikilink_key(text: str) -> str:
    """Normalise a wikilink target / title / id / file stem for lookup (NFC, casefold, no '.md', one space)."""
    text = unicodedata.normalize("NFC", text).strip().replace("\\", "/")
    if text.lower().endswith((".md", ".markdown")):
        text = text[: text.rfind(".")]
    text = _SEPARATORS.sub(" ", text.casefold()).strip()
    return unicodedata.normalize("NFC", text.removeprefix("./").strip("/ "))


def context(body: str, source_path: str, first_line: int, page_path: str, targets: Mapping[str, str],
            files: Collection[str] | None = None, body_format: str = "markdown") -> Context:
    """The state for rendering a body: markdown made plain (render/dialects.py) with problems so far, or feed HTML."""
    if body_format == "html":  # a feed's `/img/a.png` is its blog's, not a path in the notes
        return Context(body, source_path, first_line, page_path, targets, files, site_paths=False)
    prepared = prepare(body)
    ctx = Context(prepared.text, source_path, first_line, page_path, targets, files, lines=prepared.lines)
    for remark in prepared.remarks:
        ctx.problems.append(Problem(source_path, first_line + remark.line, remark.message, remark.hint,
                                    Severity.WARNING))
    return ctx


@dataclass
class Context:
    """What rendering one body knows and collects: its links and images, heading ids, problems."""

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
        """The note's folder, notes-relative: what its relative links start from."""
        return posixpath.dirname(self.source_path)

    def warn(self, line: Line, message: str, hint: str = "") -> None:
        """Report a warning at a line of the body, as the line of the note it came from."""
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
        """Return an id for a heading, unique in the page: its slug, numbered from 2 when taken."""
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
        """Return the relative link to an entry page (and heading), recording the entry as linked to."""
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
        """Return an image's src: a web URL as it is, a file as its media path; None drops it."""
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


def inline_line(ctx: Context, tokens, idx: int) -> Line:
    """The body line of an inline token, counted only when a problem asks for it."""
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


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


_paths_seen: list = [None, frozenset()]


def _site_paths(targets: Mapping[str, str]) -> frozenset[str]:
    # One targets mapping serves a whole build: build its set of paths once, not once per note.
    if _paths_seen[0] is not targets:
        _paths_seen[:] = [targets, frozenset(targets.values())]
    return _paths_seen[1]
