"""Tokens from render/tokens.py's `token_maker` equal markdown-it's own `Token(...)`, field for field."""

from __future__ import annotations

import dataclasses

import pytest
from markdown_it.token import Token

from notebase.render.tokens import FIELDS, token_maker

CASES = [
    (("text", "", 0), {"content": "한글 text"}),
    (("softbreak", "br", 0), {}),
    (("inline", "", 0), {"map_": [3, 4], "level": 2, "children": [], "content": "셀", "block": True}),
    (("td_open", "td", 1), {"attrs": {"style": "text-align:right"}, "level": 1, "block": True}),
    (("tr_close", "tr", -1), {"attrs": {}, "level": 0, "block": True}),
]


def test_the_fields_are_markdown_its():
    assert tuple(f.name for f in dataclasses.fields(Token)) == FIELDS


@pytest.mark.parametrize("args,kwargs", CASES)
def test_equal_to_the_constructor(args, kwargs):
    made = token_maker()(*args, **kwargs)
    own = Token(*args, **{("map" if k == "map_" else k): v for k, v in kwargs.items()})
    assert made == own
    assert type(made) is Token
    for name in FIELDS:  # every slot is set (an unset slot raises AttributeError)
        assert getattr(made, name) == getattr(own, name)
    if not kwargs.get("attrs"):  # each token has an attribute dict of its own (a given one is kept, as Token does)
        made.attrs["x"] = "1"
        assert token_maker()(*args, **kwargs).attrs.get("x") is None
    assert made.meta is not token_maker()(*args, **kwargs).meta


def test_render_plain_writes_what_render_inline_writes():
    """render/fast_inline.py's `render_plain` against markdown-it's `renderInline`, with and without `breaks`."""
    from markdown_it import MarkdownIt

    from notebase.render.context import context
    from notebase.render.fast_inline import plain_breaks, render_plain
    from notebase.render.renderer import markdown

    texts = [f"a{tail}\n{head}b & \"d\" > e\n끝{tail}" for tail in ("", " ", "  ", "\\", "\t") for head in ("", " ", "\t")]
    texts += ["| 셀 & x | y |\n|---|---|\n| <z> | \"q\" |\n", "# 제목 & <t>\n", "한 줄\n", "x  \ny\\\nz\n"]
    checked = 0
    for md in (markdown(), MarkdownIt("commonmark", {"breaks": True}), MarkdownIt("commonmark", {"xhtmlOut": False})):
        breaks = plain_breaks(md.renderer, md.options)
        assert breaks is not None
        for text in texts:
            env = {"nb": context(text, "notes/a.md", 1, "a/index.html", {}, None)}
            for token in md.parse(text, env):
                if token.type == "inline" and token.children:
                    plain = render_plain(token.children, breaks)
                    if plain is not None:
                        checked += 1
                        assert plain == md.renderer.renderInline(token.children, md.options, env), text
    assert checked > 50


def test_render_plain_steps_aside_for_other_rules():
    from markdown_it import MarkdownIt

    from notebase.render.fast_inline import plain_breaks

    md = MarkdownIt("commonmark")
    md.add_render_rule("softbreak", lambda self, tokens, idx, options, env: " ")
    assert plain_breaks(md.renderer, md.options) is None


def test_block_tokenize_offers_a_rule_of_unknown_shape_every_block():
    """render/blocks.py's block_tokenize: known rules only on lines they may match, unknown ones on every block."""
    from markdown_it import MarkdownIt

    from notebase.render.blocks import use_fast_blocks
    from notebase.render.renderer import markdown

    assert "tokenize" in vars(markdown().block)  # the notebase instance uses it
    def with_spy(seen: list[int]):
        def spy(state, start_line, end_line, silent):
            seen.append(start_line)
            return False
        md = MarkdownIt("commonmark").enable("table")
        md.block.ruler.before("reference", "spy", spy)  # after table, fence, quote, hr and list; before the rest
        return md

    text = "문단 a\n\n# 제목\n\n- 목록\n\n| a |\n|---|\n| b |\n\n> 인용\n> 둘째\n\n[x]: /url\n"
    fast_seen: list[int] = []
    own_seen: list[int] = []
    md = with_spy(fast_seen)
    use_fast_blocks(md)
    assert md.render(text) == with_spy(own_seen).render(text)
    assert fast_seen == own_seen and {0, 2, 13} <= set(fast_seen)  # a paragraph, a heading, a reference
