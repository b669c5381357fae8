"""Markdown and HTML reduced to plain text, fast enough for ten thousand notes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from notebase.markup_dialects import prepare

# Any indentation: a fence nested in a list item is code too. Possessive runs: a line of 20,000
# backticks must not be retried at every shorter length.
_FENCE = re.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)[^\n]*\n.*?(?:^[ \t]*\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_TICKS = re.compile(r"`+")
# Link and image texts stop at the next bracket, targets at the next parenthesis (one nested pair
# allowed): `[[` or `[a](` repeated thousands of times then costs one short scan per bracket.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\((?:[^()]|\([^()]*\))*\)")
_WIKI = re.compile(r"!?\[\[([^\[\]|#]*+)(?:#[^\[\]|]*+)?(?:\|([^\[\]]*+))?\]\]")
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|(?:[-*+•]|\d+[.)])[ \t]+)+", re.M)
_MARKS = ("**", "__", "*", "~~")  # in the order the alternatives were tried
_EMPHASIS_MARK = re.compile(r"\*\*|__|\*|~~")
_CALLOUT = re.compile(r"^\[![A-Za-z][\w-]{0,40}\][+-]?[ \t]*", re.M)  # `> [!tip] Title`: the title is the text
_TAG = re.compile(r"<[^<>\n]+>")
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_SPACES = re.compile(r"[ \t]{2,}|\t")
_BLANKS = re.compile(r"\n{3,}")


def _code_spans(text: str, replace) -> str:
    """Replace each `code` span (a run of n backticks closed by the next run of exactly n on its line).

    A linear scan: the regex `(`+)(.+?)\\1` retried at every backtick of a long run was cubic.
    """
    parts, last = [], 0
    for line_start, line in _lines_with(text, "`"):
        runs = [(m.start() + line_start, m.end() + line_start) for m in _TICKS.finditer(line)]
        by_length: dict[int, list[int]] = {}
        for n, (a, b) in enumerate(runs):
            by_length.setdefault(b - a, []).append(n)
        cursor = {length: 0 for length in by_length}  # next candidate closer, per length
        n = 0
        while n < len(runs):
            a, b = runs[n]
            same = by_length[b - a]
            k = cursor[b - a]
            while k < len(same) and same[k] <= n:
                k += 1
            cursor[b - a] = k
            if k == len(same):
                n += 1
                continue
            close = runs[same[k]]
            parts += [text[last:a], replace(text[a:close[1]], text[b:close[0]])]
            last, n = close[1], same[k] + 1
    return "".join(parts) + text[last:] if parts else text


def _lines_with(text: str, needle: str):
    """Yield (offset, line) of the lines of text that contain needle."""
    start = 0
    while True:
        at = text.find(needle, start)
        if at < 0:
            return
        line_start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield line_start, text[line_start:end]
        start = end + 1


def _strip_emphasis(text: str) -> str:
    """Keep the text of **strong**, __strong__, *em* and ~~struck~~ spans, dropping their marks.

    As `(\\*\\*|__|\\*|~~)(?=\\S)(.+?)(?<=\\S)\\1` substituted line by line, but a mark with no
    closer on its line is searched for once per line, not again from every later mark.
    """
    parts, last = [], 0
    for line_start, line in _lines_with_any(text, "*_~"):
        failed: set[str] = set()
        i, marks = 0, _EMPHASIS_MARK
        while True:
            m = marks.search(line, i)
            if m is None:
                break
            at, done = m.start(), False
            for mark in _MARKS:
                if mark in failed or not line.startswith(mark, at):
                    continue
                inner = at + len(mark)
                if inner >= len(line) or line[inner].isspace():
                    continue
                close = _closer(line, mark, inner + 1)
                if close is None:
                    failed.add(mark)  # no later mark of this kind closes on this line either
                    marks = re.compile("|".join(re.escape(k) for k in _MARKS if k not in failed) or "(?!)")
                    continue
                parts += [text[last:line_start + at], line[inner:close]]
                last, i, done = line_start + close + len(mark), close + len(mark), True
                break
            if not done:
                i = at + 1
    return "".join(parts) + text[last:] if parts else text


def _closer(line: str, mark: str, start: int) -> int | None:
    """Return where `mark` next closes a span in line (after a non-space), or None."""
    while True:
        at = line.find(mark, start)
        if at < 0:
            return None
        if not line[at - 1].isspace():
            return at
        start = at + 1


def _lines_with_any(text: str, chars: str):
    """Yield (offset, line) of the lines of text that contain any of chars."""
    offset = 0
    for line in text.split("\n"):
        if any(ch in line for ch in chars):
            yield offset, line
        offset += len(line) + 1


def mask_code(text: str) -> str:
    """Blank out fenced and inline code, keeping every other character and line in place."""
    if "`" not in text and "~~~" not in text:
        return text
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m[0])
    return _code_spans(_FENCE.sub(blank, text), lambda span, inner: " " * len(span))


def markdown_to_text(text: str) -> str:
    """Return the readable words of a markdown body: no markup, code kept as plain lines.

    Template tags, directives, comments and properties go as the page shows them (markup_dialects).
    """
    text = prepare(text, for_text=True).text
    # Each pass runs only when its marker character is present: most lines of prose have none.
    if "`" in text or "~~~" in text:
        text = _FENCE.sub(lambda m: "\n".join(m[0].split("\n")[1:-1]), text)
        text = _code_spans(text, lambda span, inner: inner)
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
        text = _strip_emphasis(text)
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

    def parse_html_declaration(self, i):
        # `<![` that is not CDATA makes the standard parser raise AssertionError (feeds are
        # untrusted): read it as the bogus comment browsers make of it.
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

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
