"""Markdown-it rules for Obsidian syntax ([[wikilinks]], ==marks==, > [!callout] blocks) and HTML <pre> blocks."""

from __future__ import annotations

import re

from notebase.render.sanitize import CALLOUT_KINDS

_WIKI = re.compile(r"(!?)\[\[([^\[\]|#\n]*?)(?:#([^\[\]|\n]*?))?\\?(?:\|([^\[\]\n]*))?\]\]")
_PRE_OPEN = re.compile(r"<pre[\s>]", re.IGNORECASE)
_TAG_START = re.compile(r"</?[A-Za-z]")
_CALLOUT = re.compile(r"\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*(.*)")
_CALLOUT_ALIASES = {"summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip",
                    "check": "success", "done": "success", "help": "question", "faq": "question",
                    "caution": "warning", "attention": "warning", "fail": "failure",
                    "missing": "failure", "error": "danger", "cite": "quote"}


def wikilink_rule(state, silent: bool) -> bool:
    """Inline rule: `[[target#heading|alias]]` and `![[embed]]` become one wikilink token."""
    src, pos = state.src, state.pos
    if src[pos] not in "![" or not src.startswith("[[", pos + (src[pos] == "!")):
        return False
    m = _WIKI.match(src, pos, state.posMax)
    if m is None or not (m[2].strip() or (m[3] or "").strip()):
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = m[0]
        token.meta = {"embed": bool(m[1]), "target": m[2].strip(), "heading": (m[3] or "").strip(),
                      "alias": (m[4] or "").strip()}
    state.pos = m.end()
    return True


def mark_rule(state, silent: bool) -> bool:
    """Inline rule: `==text==` becomes <mark>text</mark>."""
    src, pos = state.src, state.pos
    if src[pos] != "=" or not src.startswith("==", pos):
        return False
    end = src.find("==", pos + 2, state.posMax)
    if end <= pos + 2 or src[pos + 2].isspace() or src[end - 1].isspace():
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        old_max, state.pos, state.posMax = state.posMax, pos + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


FOOTNOTE_LABEL = 200  # characters a footnote label may have: `[^label]`


def bounded_footnote_ref(rule):
    """Wrap mdit-py-plugins' footnote_ref so a `[^` with no `]` soon after is no reference.

    The plugin scans on to the next `]`, space or line end from every `[^`: a line of 10,000
    `[^1` with no `]` was quadratic (a fuzzed log: 8 s).
    """
    def footnote_ref(state, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith("[^", start):
            return False
        if src.find("]", start + 2, min(state.posMax, start + 3 + FOOTNOTE_LABEL)) < 0:
            return False
        return rule(state, silent)
    return footnote_ref


MARKUP_LIMIT = 20_000  # markup characters one paragraph may hold and still be parsed as markdown
_MARKUP_CHARS = "[]()!*_`<>$=~&\\"


def dense_inline_rule(state) -> None:
    """Show a paragraph with more than MARKUP_LIMIT markup characters as plain text, with a warning.

    markdown-it-py spends 10-20 µs per bracket, star or backtick it tries to pair, so a paragraph of
    a million `[` (a megabyte) took 20 s; no note written by hand comes near the limit.
    """
    if len(state.src) <= MARKUP_LIMIT or sum(state.src.count(ch) for ch in _MARKUP_CHARS) <= MARKUP_LIMIT:
        return  # no paragraph holds more than the whole body (a table of 50,000 rows: 400,000 tokens not looked at)
    for token in state.tokens:
        if token.type != "inline" or len(token.content) <= MARKUP_LIMIT:
            continue
        count = sum(token.content.count(ch) for ch in _MARKUP_CHARS)
        if count <= MARKUP_LIMIT:
            continue
        token.type, token.children = "text", None  # rendered escaped, never parsed inline
        ctx = state.env.get("nb")
        if ctx is not None:
            ctx.warn(token.map[0] if token.map else 0, f"a paragraph with {count:,} markup characters is shown "
                     "as plain text", "split it into paragraphs, or put it in a code block")


def callout_rule(state) -> None:
    """Turn `> [!kind] Title` blockquotes into <aside class="callout callout-kind"> (<details> if foldable)."""
    if "[!" not in state.src:
        return
    from markdown_it.token import Token

    tokens = state.tokens
    # Each quote's close, paired in one pass, and the token list rebuilt once: searching and
    # splicing per quote made 10,000 callouts quadratic.
    close_of: dict[int, int] = {}
    opened: list[int] = []
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            opened.append(i)
        elif token.type == "blockquote_close" and opened:
            close_of[opened.pop()] = i
    out = []
    i = 0
    while i < len(tokens):
        quote = tokens[i]
        out.append(quote)
        i += 1
        if quote.type != "blockquote_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        if tokens[i].type != "paragraph_open" or inline.type != "inline":
            continue
        first, _, rest = inline.content.partition("\n")
        m = _CALLOUT.fullmatch(first.strip())
        if m is None or i - 1 not in close_of:
            continue
        kind = _CALLOUT_ALIASES.get(m[1].lower(), m[1].lower())
        kind = kind if kind in CALLOUT_KINDS else "note"
        close = tokens[close_of[i - 1]]
        quote.tag = close.tag = "details" if m[2] else "aside"
        quote.attrs = {"class": f"callout callout-{kind}", **({"open": ""} if m[2] == "+" else {})}
        line = inline.map[0] if inline.map else 0
        out += [Token("callout_title_open", "summary" if m[2] else "div", 1,
                      attrs={"class": "callout-title"}),
                Token("inline", "", 0, content=m[3].strip() or m[1].capitalize(), children=[],
                      map=[line, line + 1]),
                Token("callout_title_close", "summary" if m[2] else "div", -1)]
        if rest.strip():
            inline.content = rest
            inline.map = [line + 1, inline.map[1]] if inline.map else None
        else:
            i += 3  # the paragraph held only the marker line
    state.tokens = out


def html_pre_rule(state, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a line of HTML that opens a <pre> (`<div class="highlight"><pre>`) runs to its </pre>.

    CommonMark ends such an HTML block at the first blank line, so code saved from a web page
    falls apart into paragraphs and indented code; a line that starts with `<pre` is already
    kept whole by markdown-it (HTML block type 1).
    """
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if state.src[pos:pos + 1] != "<" or state.is_code_block(start_line) or not state.md.options.get("html"):
        return False  # the first test settles nearly every line
    text = state.src[pos:state.eMarks[start_line]]
    if not _TAG_START.match(text) or text[:4].lower() == "<pre":
        return False
    opened = _PRE_OPEN.search(text)
    if opened is None or "</pre>" in text[opened.start():].lower():
        return False
    if silent:
        return True
    line, closed = start_line + 1, False
    while line < end_line:
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            break  # the container (list item, quote) ends here
        if closed and state.isEmpty(line):
            break  # after </pre>, the block ends at a blank line as any HTML block does
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        closed = closed or "</pre>" in text.lower()
        line += 1
    state.line = line
    token = state.push("html_block", "", 0)
    token.map = [start_line, line]
    token.content = state.getLines(start_line, line, state.blkIndent, True)
    return True


def _cjk(ch: str) -> bool:
    return "\u1100" <= ch <= "\u11ff" or "\u3040" <= ch <= "\u30ff" or "\u3130" <= ch <= "\u318f" \
        or "\u4e00" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3"


LINKIFY_MAX = 10_000  # characters of one text run looked at for URLs: linkify-it is not linear beyond
# With fuzzy links off, a link needs a scheme or an e-mail's @: this settles most paragraphs at C
# speed, where linkify-it's own pretest (one large pattern tried at every position) cost a third
# of rendering a 10,000-note site.
_MAY_LINK = re.compile(r"(?:https?|ftp|mailto):|@", re.IGNORECASE)


def _cut_cjk(url_text: str) -> int:
    """Where a URL as written ends: before Hangul (or other CJK) that follows an ASCII letter or digit."""
    for n in range(1, len(url_text)):
        if _cjk(url_text[n]) and url_text[n - 1].isascii() and url_text[n - 1].isalnum():
            return n
    return len(url_text)


def linkify_rule(state) -> None:
    """Core rule: bare URLs (`https://…`, `mailto:`, e-mail addresses) in text become links, in one pass.

    markdown-it's own linkify rules rebuild a paragraph's tokens once per link and re-read the
    rest of the text at each `://`, so a paragraph of many links took quadratic time; this one
    rebuilds each paragraph once. A Korean particle glued to a URL is no part of it
    (`https://a.com에서`); Hangul after `/`, `_` or `-` is, as in `ko.wikipedia.org/wiki/대조_학습`.
    """
    from markdown_it.common.utils import isLinkClose, isLinkOpen
    from markdown_it.token import Token

    md = state.md
    if not _MAY_LINK.search(state.src):
        return  # each paragraph's text is the body's, line by line: none has a scheme or an `@` either
    for block in state.tokens:
        if (block.type != "inline" or not block.children or not _MAY_LINK.search(block.content)
                or not md.linkify.pretest(block.content)):
            continue
        out: list = []
        in_link = in_html_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "html_inline":
                in_html_link += isLinkOpen(token.content) - isLinkClose(token.content)
            if (token.type != "text" or in_link or in_html_link > 0 or len(token.content) > LINKIFY_MAX
                    or not md.linkify.test(token.content)):
                out.append(token)
                continue
            text, at = token.content, 0
            for link in md.linkify.match(text) or ():
                shown = text[link.index:link.last_index]
                end = link.index + _cut_cjk(shown)
                url = link.url[: len(link.url) - (link.last_index - end)] if end < link.last_index else link.url
                href = md.normalizeLink(url)
                if link.index < at or not md.validateLink(href):
                    continue
                if link.index > at:
                    out.append(Token("text", "", 0, content=text[at:link.index], level=token.level))
                out += [Token("link_open", "a", 1, attrs={"href": href}, markup="linkify", info="auto",
                              level=token.level),
                        Token("text", "", 0, content=md.normalizeLinkText(text[link.index:end]), level=token.level + 1),
                        Token("link_close", "a", -1, markup="linkify", info="auto", level=token.level)]
                at = end
            if at < len(text):
                out.append(Token("text", "", 0, content=text[at:], level=token.level))
        block.children = out
