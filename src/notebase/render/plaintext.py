"""Markdown and HTML reduced to plain text, fast enough for ten thousand notes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from notebase.render.dialects import prepare
from notebase.render.tags import code_spans

# Any indentation: a fence nested in a list item is code too. Possessive runs: a last line of
# 20,000 backticks (no newline after it) was retried at every shorter length, each scanning the rest.
_FENCE = re.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)[^\n]*\n.*?(?:^[ \t]*\2[`~]*[ \t]*$|\Z)", re.M | re.S)
# Every repetition below stops at the character that would start the next match ("[", "<", the
# marker itself), so a note full of unclosed openers is still read in one pass, not one per opener.
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,1000})\]\([^()\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\[\]\n]{1,1000})\]\((?:[^()\n]|\([^()\n]{0,500}\)){0,2000}\)")
_WIKI = re.compile(r"!?\[\[([^\[\]|#\n]{0,500})(?:#[^\[\]|\n]{0,500})?(?:\|([^\[\]\n]{0,500}))?\]\]")
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|(?:[-*+•]|\d+[.)])[ \t]+)+", re.M)
_CALLOUT = re.compile(r"^\[![A-Za-z][\w-]{0,40}\][+-]?[ \t]*", re.M)  # `> [!tip] Title`: the title is the text
_STARS = re.compile(r"\*{1,2}(?=[^\s*])([^*\n]{1,2000})(?<=[^\s*])\*{1,2}")
_UNDERSCORES = re.compile(r"__(?=[^\s_])([^_\n]{1,2000})(?<=[^\s_])__")
_TILDES = re.compile(r"~~(?=[^\s~])([^~\n]{1,2000})(?<=[^\s~])~~")
_TAG = re.compile(r"<[^<>\n]{1,2000}>")
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_SPACES = re.compile(r"[ \t]{2,}|\t")
_BLANKS = re.compile(r"\n{3,}")
_BARE_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]{0,30})>")
_BARE_END = re.compile(r"</([a-zA-Z][a-zA-Z0-9]{0,30})>")


# A MyST directive fence (```{admonition} Information) holds text, unless the directive is code.
_DIRECTIVE = re.compile(r"[ \t]*(?:`{3,}|~{3,})\{(?P<name>[\w\-:]{1,40})\}")
_CODE_DIRECTIVES = frozenset({"code", "code-block", "code-cell", "sourcecode", "literalinclude", "math", "raw",
                              "mermaid", "graphviz", "csv-table", "list-table", "ipython", "jupyter-execute"})


def is_markup_fence(fence: str) -> bool:
    """True for a fenced block that is MyST markup (an admonition, a note, a figure), read as text."""
    m = _DIRECTIVE.match(fence)
    return m is not None and m["name"].lower() not in _CODE_DIRECTIVES


def has_code(body: str) -> bool:
    """True when a body holds a code block: a fence that is not MyST markup, or HTML <pre>/<code>."""
    if "<pre" in body or "<code" in body:
        return True
    if "```" not in body and "~~~" not in body:
        return False
    return any(not is_markup_fence(m[0]) for m in _FENCE.finditer(body))


def mask_code(text: str) -> str:
    """Blank out fenced and inline code, keeping every other character and line in place."""
    if "`" not in text and "~~~" not in text:
        return text
    def blank(m: re.Match) -> str:
        if is_markup_fence(m[0]):  # its text stays; only the fence lines go
            lines = m[0].split("\n")
            closing = len(lines) > 1 and lines[-1].strip().startswith(("```", "~~~"))
            return "\n".join([" " * len(lines[0]), *lines[1:len(lines) - closing],
                              *([" " * len(lines[-1])] if closing else [])])
        return re.sub(r"[^\n]", " ", m[0])
    return _inline_code(_FENCE.sub(blank, text), lambda code: " " * len(code))


def _inline_code(text: str, replace) -> str:
    """`text` with each inline code span (backticks included) replaced by replace(span); line by line."""
    if "`" not in text:
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        spans = code_spans(line) if line.count("`") > 1 else ()
        if spans:
            parts, at = [], 0
            for start, end in spans:
                parts += [line[at:start], replace(line[start:end])]
                at = end
            parts.append(line[at:])
            lines[n] = "".join(parts)
    return "\n".join(lines)


def markdown_to_text(text: str) -> str:
    """Return the readable words of a markdown body: no markup, code kept as plain lines.

    Template tags, directives, comments and properties go as the page shows them (render/dialects.py).
    """
    text = prepare(text, for_text=True).text
    # Each pass runs only when its marker character is present: most lines of prose have none.
    if "`" in text or "~~~" in text:
        text = _FENCE.sub(lambda m: "\n".join(m[0].split("\n")[1:-1]), text)
        text = _inline_code(text, lambda code: code.strip("`"))
    if "[" in text:
        text = _IMAGE.sub(lambda m: m[1], text)
        if "[[" in text:
            text = _WIKI.sub(lambda m: m[2] or m[1], text)
        text = _LINK.sub(lambda m: m[1], text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "---" in text or "***" in text or "___" in text:
        text = _RULE.sub("", text)
    text = _LINE_MARKS.sub("", text)
    if "[!" in text:
        text = _CALLOUT.sub("", text)
    if "*" in text:
        text = _STARS.sub(r"\1", _STARS.sub(r"\1", text))  # twice: **a *b* c**
    if "__" in text:
        text = _UNDERSCORES.sub(r"\1", text)
    if "~~" in text:
        text = _TILDES.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return _squeeze(text)


def _squeeze(text: str) -> str:
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


class TextParser(HTMLParser):
    """The text of HTML for html_to_text: its parts, a line break at each block tag, no script or style."""

    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr",
              "blockquote", "ul", "ol", "table", "hr", "figure", "section", "article"}
    _SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def parse_html_declaration(self, i):
        # `<![` that is not CDATA makes the standard parser raise AssertionError (feeds are
        # untrusted): read it as the bogus comment browsers make of it.
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    # `<div>` and `</div>` with no attribute, the bulk of deeply nested feed HTML (80,000 of each: a third of
    # reading it), are read here as HTMLParser reads them; every other tag, any tag inside <script> and
    # the like, and the tags that start such text (<script>, <title>...) go to HTMLParser's own methods.
    # tests/test_fast_load.py compares the text both ways.
    def parse_starttag(self, i):
        bare = _BARE_START.match(self.rawdata, i)
        if bare is None:
            return super().parse_starttag(i)
        tag = bare[1].lower()
        if tag in self.CDATA_CONTENT_ELEMENTS or tag in getattr(self, "RCDATA_CONTENT_ELEMENTS", ()):
            return super().parse_starttag(i)
        self.lasttag = tag
        self.handle_starttag(tag, [])
        return bare.end()

    def parse_endtag(self, i):
        bare = _BARE_END.match(self.rawdata, i) if getattr(self, "cdata_elem", None) is None else None
        if bare is None:
            return super().parse_endtag(i)
        self.handle_endtag(bare[1].lower())
        return bare.end()

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML fragment, scripts and styles left out."""
    parser = TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", _SPACES.sub(" ", text)).strip()


def summarize(text: str, limit: int = 200) -> str:
    """Return the first sentences of plain text, cut at a word boundary near limit."""
    flat = " ".join(text[: limit * 4].split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"
