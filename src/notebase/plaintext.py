"""Markdown and HTML reduced to plain text, fast enough for ten thousand notes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from notebase.markup_dialects import prepare

# Any indentation: a fence nested in a list item is code too.
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_WIKI = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|(?:[-*+•]|\d+[.)])[ \t]+)+", re.M)
_CALLOUT = re.compile(r"^\[![A-Za-z][\w-]{0,40}\][+-]?[ \t]*", re.M)  # `> [!tip] Title`: the title is the text
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"<[^>\n]+>")
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_SPACES = re.compile(r"[ \t]{2,}|\t")
_BLANKS = re.compile(r"\n{3,}")


def mask_code(text: str) -> str:
    """Blank out fenced and inline code, keeping every other character and line in place."""
    if "`" not in text and "~~~" not in text:
        return text
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m[0])
    return _INLINE_CODE.sub(blank, _FENCE.sub(blank, text))


def markdown_to_text(text: str) -> str:
    """Return the readable words of a markdown body: no markup, code kept as plain lines.

    Template tags, directives, comments and properties go as the page shows them (markup_dialects).
    """
    text = prepare(text, for_text=True).text
    # Each pass runs only when its marker character is present: most lines of prose have none.
    if "`" in text or "~~~" in text:
        text = _FENCE.sub(lambda m: "\n".join(m[0].split("\n")[1:-1]), text)
        text = _INLINE_CODE.sub(lambda m: m[2], text)
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
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub(lambda m: m[2], text)
    if "&" in text:
        text = html.unescape(text)
    return _squeeze(text)


def _squeeze(text: str) -> str:
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


class _TextParser(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr",
              "blockquote", "ul", "ol", "table", "hr", "figure", "section", "article"}
    _SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

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
    parser = _TextParser()
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
