"""markdown-it tokens made at half the cost, for the rules that make hundreds of thousands of them.

`Token(...)` goes through a dataclass `__init__` with keyword defaults and a `__post_init__`: 0.5 µs
a token, a quarter of parsing a table of 50,000 rows (500,000 tokens). `token_maker` makes them by filling the
slots directly: equal tokens (dataclass equality), made so only while `Token`'s fields are the ones
written here; otherwise it calls the constructor. tests/test_fast_tokens.py compares both.
"""

from __future__ import annotations

import dataclasses
import functools

# Token's fields, in order, as markdown-it-py 3 and 4 declare them.
FIELDS = ("type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info", "meta",
          "block", "hidden")


@functools.cache
def token_maker():
    """Return `make(type_, tag, nesting, attrs=None, map_=None, level=0, children=None, content="", block=False)`,
    which returns what `Token(type_, tag, nesting, attrs=attrs or {}, map=map_, level=level,
    children=children, content=content, block=block)` does, without the dataclass constructor when
    Token has exactly FIELDS as slots (else it is that constructor call)."""
    from markdown_it.token import Token

    direct = (tuple(f.name for f in dataclasses.fields(Token)) == FIELDS and "__dict__" not in dir(Token)
              and getattr(Token, "__slots__", None) is not None)
    new = object.__new__

    def make(type_: str, tag: str, nesting: int, attrs: dict | None = None, map_: list[int] | None = None,
             level: int = 0, children: list | None = None, content: str = "", block: bool = False):
        if not direct:
            return Token(type_, tag, nesting, attrs=attrs or {}, map=map_, level=level, children=children,
                         content=content, block=block)
        token = new(Token)
        token.type, token.tag, token.nesting, token.attrs, token.map = type_, tag, nesting, attrs or {}, map_
        token.level, token.children, token.content, token.markup, token.info = level, children, content, "", ""
        token.meta, token.block, token.hidden = {}, block, False
        return token

    return make
