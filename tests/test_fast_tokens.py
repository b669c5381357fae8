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
