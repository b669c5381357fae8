"""Markdown-it rules for Obsidian syntax: [[wikilinks]], ==marks== and > [!callout] blocks."""

from __future__ import annotations

import re

from notebase.sanitize import CALLOUT_KINDS

_WIKI = re.compile(r"(!?)\[\[([^\[\]|#\n]*?)(?:#([^\[\]|\n]*?))?\\?(?:\|([^\[\]\n]*))?\]\]")
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
