"""markdown-it's core `inline` rule with a short cut for plain text: a paragraph, heading or table cell
with no character any inline rule reacts to but line breaks gets the tokens markdown-it's own `text`
and `newline` rules would make, without running the inline parser.

The inline parser costs a state, a rule loop and a token push per line and per cell: a table of
50,000 rows spent a second there, a log of 60,000 date lines as much. The short cut is taken only
while the instance's inline rules start with markdown-it's `text` then `newline` (no other rule ever
sees a position the text rule consumes) and its post-processing rules are markdown-it's own (they act
only on delimiters, and a plain text has none); otherwise every block goes through the parser.
tests/test_fast_blocks.py compares both ways.
"""

from __future__ import annotations

from notebase.render.tokens import token_maker


def _plain_ready(md) -> bool:
    """True when markdown-it's own text and newline rules are all that can fire on plain text."""
    from markdown_it import rules_inline

    rules = md.inline.ruler.getRules("")
    after = (rules_inline.link_pairs, rules_inline.strikethrough.postProcess, rules_inline.emphasis.postProcess,
             rules_inline.fragments_join)
    return (len(rules) >= 2 and rules[0] is rules_inline.text and rules[1] is rules_inline.newline
            and all(rule in after for rule in md.inline.ruler2.getRules("")))


def plain_tokens(content: str, terminators) -> list | None:
    """The inline tokens of `content` when it holds no inline markup (none of `terminators` but a line
    break), as markdown-it's text and newline rules make them: text, softbreak or hardbreak; else None."""
    if "\n" not in content:  # one line (a table cell, a heading): one text token, or none
        if terminators.search(content):
            return None
        return [token_maker()("text", "", 0, content=content)] if content else []
    if terminators.search(content.replace("\n", "")):
        return None
    token = token_maker()
    lines = content.split("\n")
    tokens: list = []
    pending = lines[0]
    for line in lines[1:]:
        # newline.py: two spaces or more before the break make it hard (all trailing spaces go), one a
        # soft break (the space goes); the next line's leading spaces and tabs are skipped.
        kind = "softbreak"
        if pending.endswith(" "):
            if pending.endswith("  "):
                kind, pending = "hardbreak", pending.rstrip(" ")
            else:
                pending = pending[:-1]
        if pending:
            tokens.append(token("text", "", 0, content=pending))
        tokens.append(token(kind, "br", 0))
        pending = line.lstrip(" \t")
    if pending:
        tokens.append(token("text", "", 0, content=pending))
    return tokens


def fast_inline_rule(state) -> None:
    """Core rule: parse every inline token's content, plain text by the short cut (markdown-it's `inline`)."""
    md = state.md
    terminators = md.inline.terminator_re if _plain_ready(md) else None
    made: dict[int, list] = {}  # id(inline token) -> the children list the short cut filled
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        # Only into an empty list: the post-processing rules would also rework tokens already there.
        if terminators is not None and not token.children:
            plain = plain_tokens(token.content, terminators)
            if plain is not None:
                token.children.extend(plain)
                made[id(token)] = token.children  # kept alive here, so `is` below never meets a reused id
                continue
        md.inline.parse(token.content, md, state.env, token.children)
    try:
        state.plain_children = made
    except AttributeError:  # a state with slots: text_join then joins every token, as markdown-it does
        pass


class _Tokens:
    """What markdown-it's text_join reads of a core state: its tokens."""

    def __init__(self, tokens: list) -> None:
        self.tokens = tokens


def fast_text_join(state) -> None:
    """Core rule: markdown-it's `text_join`, skipping the inline tokens `fast_inline_rule` filled that no rule
    has given new children since: their text, softbreak and hardbreak tokens have no `text_special` and
    no two texts side by side, so text_join would leave them as they are."""
    from markdown_it.rules_core.text_join import text_join

    made = getattr(state, "plain_children", None)
    if not made:
        text_join(state)
        return
    rest = [t for t in state.tokens if t.type == "inline" and made.get(id(t)) is not t.children]
    state.plain_children = None
    if rest:
        text_join(_Tokens(rest))


def use_fast_inline(md) -> None:
    """Put the plain-text short cut in place of markdown-it's core `inline` rule on this instance only."""
    from markdown_it.rules_core.text_join import text_join

    md.core.ruler.at("inline", fast_inline_rule)
    if any(rule.name == "text_join" and rule.fn is text_join for rule in md.core.ruler.__rules__):
        md.core.ruler.at("text_join", fast_text_join)


def plain_breaks(renderer, options) -> dict[str, str] | None:
    """What markdown-it's renderer writes for a soft and a hard break, when its text and break rules are
    its own (so `render_plain` may stand in for `renderInline` on plain tokens); else None."""
    from markdown_it.renderer import RendererHTML

    rules = renderer.rules
    if any(getattr(rules.get(name), "__func__", None) is not getattr(RendererHTML, name)
           for name in ("text", "softbreak", "hardbreak")):
        return None
    hard = "<br />\n" if options.xhtmlOut else "<br>\n"
    return {"softbreak": hard if options.breaks else "\n", "hardbreak": hard}


def render_plain(children: list, breaks: dict[str, str]) -> str | None:
    """The HTML markdown-it's `renderInline` makes of text, softbreak and hardbreak tokens; None for any other."""
    from markdown_it.common.utils import escapeHtml

    if len(children) == 1:  # a table cell, a heading, a one-line paragraph
        child = children[0]
        return escapeHtml(child.content) if child.type == "text" else breaks.get(child.type)
    one_escape = True  # only text and breaks written "\n": escaping the whole at once is the same
    for child in children:
        if child.type != "text":
            br = breaks.get(child.type)
            if br is None:
                return None
            one_escape = one_escape and br == "\n"
    if one_escape:
        return escapeHtml("".join(c.content if c.type == "text" else "\n" for c in children))
    return "".join(escapeHtml(c.content) if c.type == "text" else breaks[c.type] for c in children)
