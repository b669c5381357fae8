"""The fast paragraph and setext-heading rules (render/blocks.py) give markdown-it's own output, token
for token: real notes, the shared corpora when present, and snippets where every kind of block
interrupts a paragraph, at the top level and inside quotes and lists."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest

from notebase.render.blocks import FastBlocks, known_starts, terminator_names, use_fast_blocks
from notebase.render.context import context
from notebase.render.renderer import build_markdown, markdown

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")

# Lines that may (or only seem to) start a block, each tried after a paragraph line and before another.
STARTS = [
    "- b", "* b", "+ b", "-", "- ", "-b", "1. b", "2. b", "1) b", "2) b", "1.", "1.b", "0. b", "10. b",
    "123456789. b", "1234567890. b", "1.5 b", "2024.01.05", "1\t. b", "1.\tb", "7)", "> b", ">", ">b", "```",
    "~~~", "``` py", "```a`b", "``", "# b", "#", "#b", "###### b",
    "####### b", "---", "***", "___", "- - -", "* * *", "--", "===", "= =", "=", "==a", "<div>",
    "<div class=\"highlight\"><pre>", "<pre>", "</pre>", "<!-- c -->", "<span>x</span>", "</div>", "<?php",
    "<a", "| a | b |", "|---|---|", "a | b", "|-", ":-:", "- | -", "[^1]: 각주", "[^1]:", "[^ x]: y",
    "[x]: /url", "$$", "$$ x $$", "$x$", ":::", ":::{note}", "    code", "\tcode", "  - b", "   > b",
    "   # b", "    # b", "가나다 한국어 문장", "\\- b", "\\# b", "[!note]", "> [!note] 제목", "{{< x >}}",
    "[[노트]]", "![[a.png]]", "",
]
# The third line: what makes the second one a table's header or a setext heading's text, or ends it.
LASTS = ["|---|---|", "|-", ":-:", "- | -", "---", "===", "- b", "1. b", "> b", "```", "# b", "<div>", "[^1]: x",
         "$$", "    code", "가나다", ">", "| a |", "--", ""]
# How a paragraph of three lines sits: at the top level, quoted, in list items, indented, lazily quoted.
CONTAINERS = [
    lambda a, b, c: f"{a}\n{b}\n{c}\n",
    lambda a, b, c: f"> {a}\n> {b}\n> {c}\n",
    lambda a, b, c: f"> {a}\n{b}\n{c}\n",
    lambda a, b, c: f"- {a}\n  {b}\n  {c}\n",
    lambda a, b, c: f"1. {a}\n   {b}\n{c}\n",
    lambda a, b, c: f"  {a}\n {b}\n   {c}\n",
    lambda a, b, c: f"- > {a}\n  > {b}\n  {c}\n",
]
# A table's delimiter rows and body rows, each body tried before each other (render/tables.py).
DELIMITERS = ["|---|---|", "|:--|--:|", "|:-:|---|", "--|--", "| --- | :---: |", "|---|"]
ROWS = ["| 1 | 2 |", "| 1 |", "| 1 | 2 | 3 |", "1 | 2", "| a \\| b | c |", "|  |  |", "| `x|y` | z |", "",
        "> q", "- l", "1. n", "# h", "```", "    code", "  | indented |", "| **b** | _i_ |", "a", "|", "||",
        "| 한 | 글 |", "<div>", "---", "[^1]: x", "| a\\ | b |"]
# Plain lines with spaces and tabs around their breaks (render/fast_inline.py: soft and hard breaks).
TAILS = ["", " ", "  ", "   ", "\t", " \t", "\t ", "\\"]
HEADS = ["", " ", "\t", "  ", " \t "]
TRICKY = [
    "문단 첫 줄\n둘째 줄\n- 목록\n",
    "paragraph\n1. one\n2. two\n",
    "paragraph\n2. not a list\n",
    "title\n===\n\nsub\n---\n\ntext\n",
    "a\nb\n===\nc\n",
    "> quoted\nlazy line\n===\n",
    "- item\n  text\n---\n",
    "front\n---\ntitle: x\n---\nbody\n",
    "para\n    indented lazy\n```\ncode\n```\n",
    "para\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "| 가 | b | c |\n|:-:|--:|:--|\n| 1 | 2 | 3 |\n| 4 | 5 |\n| 6 | 7 | 8 | 9 |\n",
    "para | x\n|---|---|\n",
    "> para\n> | a |\n> |---|\n",
    "- para\n  | a |\n  |---|\n",
    "para\n[^1]: 각주\n\n본문[^1]\n",
    "para\n$$\nx^2\n$$\n",
    "para\n:::{note}\n안\n:::\n",
    "para\n<div>\n\nhtml\n</div>\n",
    "para\n<div class=\"highlight\"><pre>\ncode\n\nmore</pre></div>\n",
    "para\n# heading\nmore\n",
    "a\n\t- tab list\n",
    "a\n  \n\nb\n",
    "a\nb",
    "a\n-",
    "a\n===",
    "a\n|",
    "   ",
    "a\r\nb\r\n---\r\n",
    "* a\n\n  b\n  ===\n* c\n",
    "> a\n>\n> b\n> ---\n",
    "한국어 문단입니다.\n영어 English line\n***\n끝\n",
    "1. a\n   2. b\n      3) c\n   d\n",
    "- a\n    - b\n        - c\n         text\n",
]


@functools.cache
def _own():
    """A markdown-it instance with notebase's rules and markdown-it's own paragraph and lheading."""
    return build_markdown(fast=False)


def _both(text: str):
    """Parse and render `text` with the fast rules and with markdown-it's: tokens, HTML and problems."""
    out = []
    for md in (markdown(), _own()):
        ctx = context(text, "notes/a.md", 1, "a/index.html", {"노트": "n/index.html"}, None)
        tokens = md.parse(ctx.body, {"nb": ctx})
        ctx = context(text, "notes/a.md", 1, "a/index.html", {"노트": "n/index.html"}, None)
        html = md.render(ctx.body, {"nb": ctx})
        out.append((tokens, html, ctx.problems, ctx.toc))
    return out


def _tokens_same(text: str) -> None:
    """Equal tokens render to equal HTML: the renderer reads nothing else (the cheap check for many cases)."""
    fast, own = ((md.parse(ctx.body, {"nb": ctx}), ctx.problems)
                 for md in (markdown(), _own()) if (ctx := context(text, "notes/a.md", 1, "a/index.html", {}, None)))
    assert fast == own, f"tokens differ for {text!r}"


def _assert_same(text: str) -> None:
    fast, own = _both(text)
    assert fast[0] == own[0], f"tokens differ for {text!r}"
    assert fast[1:] == own[1:], f"HTML differs for {text!r}"


def _notes(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".markdown", ".txt") and p.is_file())


def test_the_instance_uses_the_fast_rules_and_knows_every_terminator():
    md = markdown()
    paragraph = md.block.ruler.__rules__[md.block.ruler.__find__("paragraph")].fn
    assert isinstance(paragraph.__self__, FastBlocks)
    # A terminator the fast rules do not know is still called on every line (correct, only slower):
    # this says when one is added, so its first characters can be written down in known_starts.
    known = set(paragraph.__self__.plans.known)
    rules = {r.name: r.fn for r in md.block.ruler.__rules__}
    assert [name for name in terminator_names(md) if rules[name] not in known] == []
    from markdown_it.rules_block import list_block

    assert [rule for rule, firsts in known_starts().items() if set(firsts) & set("0123456789")] == [list_block]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_snippets(text):
    _assert_same(text)


def test_every_block_start_after_a_paragraph_line_in_every_container():
    for container in CONTAINERS:
        for middle, last in itertools.product(STARTS, LASTS):
            _tokens_same(container("첫 줄 text", middle, last))


def test_tables_with_every_kind_of_row():
    for delimiter, container in itertools.product(DELIMITERS, CONTAINERS[:3]):
        for first, second in itertools.product(ROWS, repeat=2):
            _tokens_same(container("| h1 | h2 |", delimiter, f"{first}\n{second}"))


def test_plain_lines_with_spaces_and_tabs_at_their_breaks():
    for tail, head in itertools.product(TAILS, HEADS):
        for text in (f"x{tail}\n{head}y\nz", f"# 제목{tail}\n{head}y", f"| a{tail} |\n|---|\n|{head}b{tail}|",
                     f"- a{tail}\n{head}  b", f"> 인용{tail}\n>{head}둘째"):
            _assert_same(text)


def test_the_repository_notes():
    paths = _notes(ROOT / "notes")
    assert paths
    for path in paths:
        _assert_same(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("name", ["seeds", "corpus", "corpus2"])
def test_the_shared_notes(name):
    if not (SHARED / name).is_dir():
        pytest.skip(f"{SHARED / name} is absent")
    for path in _notes(SHARED / name):
        _assert_same(path.read_text(encoding="utf-8", errors="replace"))


def test_an_unknown_terminator_is_offered_every_line():
    from markdown_it import MarkdownIt

    seen: list[int] = []

    def spy(state, start_line, end_line, silent):
        seen.append(start_line)
        if state.src[state.bMarks[start_line] + state.tShift[start_line]] != "%":
            return False
        if not silent:
            state.line = start_line + 1
            state.push("hr", "hr", 0)
        return True

    md = MarkdownIt("commonmark")
    md.block.ruler.before("paragraph", "spy", spy, {"alt": ["paragraph"]})
    use_fast_blocks(md)
    html = md.render("a\nb\nc\n% stop\n")
    assert html == "<p>a\nb\nc</p>\n<hr />\n"
    assert {1, 2, 3} <= set(seen)
