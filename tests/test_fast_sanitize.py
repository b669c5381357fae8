"""The sanitiser's short cuts for the renderer's own HTML (render/sanitize.py, `clean(own_tags=True)`) give
the same string as the full path: the depth check by `depth_bound` and the stand-in for `&amp;`.

Real notes (the repository's, the shared corpora's when present) and snippets are rendered, each also
with its `<` replaced (so that every note takes the short cut), and cleaned both ways.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from notebase.render.context import context
from notebase.render.renderer import markdown
from notebase.render.sanitize import MAX_DEPTH, clean, depth_bound, limit_depth

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")
TARGETS = {"노트": "n/index.html", "note": "n/index.html"}

SNIPPETS = [
    "# 제목 & title\n\n본문 A & B, `a && b`, [링크](https://example.com/?a=1&b=2 \"t&t\")\n",
    "| a & b | c |\n|:--|--:|\n| x &amp; y | &lt;z&gt; |\n| 한 | 글 |\n",
    "문장[^1] and more[^note].\n\n[^1]: 각주 & note\n[^note]: second &copy;\n",
    "> [!note] 제목 & more\n> 본문 &amp; text\n\n> [!tip]- folded\n> 접힌 내용\n",
    "- [ ] 할 일 & todo\n- [x] done\n  1. nested & list\n     > quote\n",
    "```python\nif a & b and c >= d:\n    print('&amp;')\n```\n",
    "$x & y$ and $$\\frac{a}{b}$$\n\n```math\na & b \\\\ c\n```\n",
    "![그림 & alt](missing.png) ![[없는그림.png]] [[노트]] [[note|별칭 & alias]] [[없는 노트#절]]\n",
    "line one  \nline two\\\nline three\n\n---\n\n***bold italic*** ~~del~~ ==mark==\n",
    "&amp;" * 300 + "\n\n" + "& " * 300 + "\n\n" + "&#38; &#x26; &quot; &nbsp; &copy;\n",
    "https://example.com/a?b=1&c=2 and www.example.com\n",
    "\ue000 a private-use character & an ampersand\n",
    "*a " * 300 + "b" + "* c" * 300 + "\n",  # emphasis nested deeper than MAX_DEPTH
    ">" * 300 + " 깊은 인용\n",
    "".join("  " * i + "- 항목\n" for i in range(300)),
    "**" * 400 + "a\n",
]


class _Depth(HTMLParser):
    """The most elements open at once, as written (void elements open none)."""

    VOID = {"br", "hr", "img", "input", "wbr", "col", "area", "base", "embed", "link", "meta", "source", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.most = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.depth += 1
            self.most = max(self.most, self.depth)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth -= 1


def _fragment(text: str):
    ctx = context(text, "notes/a.md", 1, "a/index.html", TARGETS, None)
    return ctx, markdown().render(ctx.body, {"nb": ctx})


def _assert_same(text: str) -> bool:
    """Clean `text`'s HTML both ways (when it has no `<`); return whether the short cut applied."""
    ctx, fragment = _fragment(text)
    if "<" in ctx.body:
        return False
    full_ctx, full = _fragment(text)
    assert full == fragment
    parser = _Depth()
    parser.feed(fragment)
    assert depth_bound(fragment) >= parser.most, f"depth under-counted for {text[:60]!r}"
    assert clean(fragment, ctx.rewrite, own_tags=True) == clean(full, full_ctx.rewrite), \
        f"HTML differs for {text[:60]!r}"
    assert ctx.problems == full_ctx.problems
    return True


def _notes(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".markdown", ".txt") and p.is_file())


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets(text):
    assert _assert_same(text)


def test_deep_nesting_is_still_limited():
    for text in SNIPPETS[-4:]:
        _, fragment = _fragment(text)
        if limit_depth(fragment) != fragment:  # the full path escapes tags here: the bound must see it
            assert depth_bound(fragment) > MAX_DEPTH
    _, fragment = _fragment(SNIPPETS[-4])
    assert limit_depth(fragment) != fragment  # the emphasis snippet is one such


def test_the_bound_counts_void_tags_once_and_closes_them():
    assert depth_bound("<p>a<br />b<img src=\"x\" alt=\"y\" /></p>\n<p>c</p>") == 1
    assert depth_bound("<ul>\n<li><p>a</p>\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>") == 4
    assert depth_bound("<img src=\"x\"><img src=\"y\">") == 2  # without `/>`: counted, never missed


def test_a_text_with_the_stand_in_character_is_cleaned_the_long_way():
    _, fragment = _fragment("\ue000 & \ue000\n")
    assert "\ue000" in clean(fragment, own_tags=True) and "&amp;" in clean(fragment, own_tags=True)


def test_the_repository_notes():
    paths = _notes(ROOT / "notes")
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        _assert_same(text)
        assert _assert_same(text.replace("<", "‹"))


@pytest.mark.parametrize("name", ["seeds", "corpus", "corpus2"])
def test_the_shared_notes(name):
    if not (SHARED / name).is_dir():
        pytest.skip(f"{SHARED / name} is absent")
    for path in _notes(SHARED / name):
        text = path.read_text(encoding="utf-8", errors="replace")
        _assert_same(text)
        _assert_same(text.replace("<", "‹"))


RAW_HTML = [
    '<div>a & b &amp; c && d &lt;e&gt; &#38; &#x26; &copy; &copyx & ; &</div>',
    '<p>텍스트 & 한글 &amp; 영어</p><a href="https://example.com/?a=1&amp;b=2&c=3" title="t & t">링크 & link</a>',
    '<code>a && b</code><pre>if (a & b) { x &= 1; }</pre><!-- a & b --><span>&</span>',
    '<textarea>a & b &amp;</textarea><title>t & t</title><script>if (a && b) {}</script>x & y',
    '<img src="x.png?a=1&amp;b=2" alt="a & b"> trailing & text &',
    '<table><tr><td>a & b</td><td>&amp;&amp;</td></tr></table>\n& at a line start\nend &',
    '<a title="a > b & c">x & y</a>',  # a `>` inside an attribute: the one place the stand-in may differ
]


@pytest.mark.parametrize("fragment", RAW_HTML[:-1])
def test_raw_html_with_many_ampersands_is_cleaned_as_the_full_path_cleans_it(fragment, monkeypatch):
    from notebase.render import sanitize

    seen: list[list] = [[], []]

    def rewrite(n):  # what the renderer's link rewriting is asked: the attribute values as written
        return lambda tag, attr, value: seen[n].append((tag, attr, value)) or value

    full = clean(fragment * 3, rewrite(0))
    monkeypatch.setattr(sanitize, "MANY_AMPS", 1)  # every fragment takes the stand-in
    assert clean(fragment * 3, rewrite(1)) == full
    assert seen[1] == seen[0]


def test_an_attribute_with_a_gt_before_an_ampersand_stays_escaped_and_inert(monkeypatch):
    from notebase.render import sanitize

    monkeypatch.setattr(sanitize, "MANY_AMPS", 1)
    html = clean(RAW_HTML[-1] + '<a href="javascript:alert(1)" onclick="x()">&</a>')
    assert "javascript:" not in html and "onclick" not in html and "\ue000" not in html
    assert "x &amp; y" in html and "&amp;</a>" in html
