"""CJK-friendly emphasis: bold and italics next to Korean particles and CJK punctuation; Latin text as CommonMark."""

from __future__ import annotations

import random

import pytest
from markdown_it import MarkdownIt

from notebase.render.markup import render
from notebase.render.cjk import cjk_friendly_plugin, is_cjk, scan_delims


def html(body: str) -> str:
    return render(body, "markdown", source_path="a.md", first_line=1, page_path="a/", targets={}).html.strip()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Korean: punctuation inside the closing run, a particle right after it.
        ("**대조 학습**을 쓴다", "<p><strong>대조 학습</strong>을 쓴다</p>"),
        ("**단일 에이전트(SAS)**를 비교", "<p><strong>단일 에이전트(SAS)</strong>를 비교</p>"),
        ("정확도 **45%**를 넘었다", "<p>정확도 <strong>45%</strong>를 넘었다</p>"),
        ("속도가 **3,000배**까지 빨라", "<p>속도가 <strong>3,000배</strong>까지 빨라</p>"),
        ("이 *강조*는 기울임", "<p>이 <em>강조</em>는 기울임</p>"),
        ("__실험 설정__에서 시작", "<p><strong>실험 설정</strong>에서 시작</p>"),
        ("_초록(abstract)_으로 시작", "<p><em>초록(abstract)</em>으로 시작</p>"),
        ("**「핵심」**이라고", "<p><strong>「핵심」</strong>이라고</p>"),
        ("~~초안(draft)~~은 버렸다", "<p><s>초안(draft)</s>은 버렸다</p>"),
        ("명령 **`git rebase`**를 쓴다", "<p>명령 <strong><code>git rebase</code></strong>를 쓴다</p>"),
        ("**결과:**가 좋다", "<p><strong>결과:</strong>가 좋다</p>"),
        ("앞**(괄호)**뒤", "<p>앞<strong>(괄호)</strong>뒤</p>"),
        # Chinese and Japanese: full-width punctuation inside, text outside, no spaces anywhere.
        ("**该模型更好。**这是结论", "<p><strong>该模型更好。</strong>这是结论</p>"),
        ("**このモデルは速い。**この結果", "<p><strong>このモデルは速い。</strong>この結果</p>"),
        ("これは**「重要」**です", "<p>これは<strong>「重要」</strong>です</p>"),
        # Mixed lines keep both.
        ("한국어 **굵게**와 English **bold** words", "<p>한국어 <strong>굵게</strong>와 English <strong>bold</strong> words</p>"),
        # Underscores inside Korean words stay text, as snake_case does.
        ("파일_이름_규칙", "<p>파일_이름_규칙</p>"),
        ("변수_a_를 바꾼다", "<p>변수_a_를 바꾼다</p>"),
        ("2024_회의록_정리.md", "<p>2024_회의록_정리.md</p>"),
    ],
)
def test_cjk_emphasis(body, expected):
    assert html(body) == expected


@pytest.mark.parametrize("body", [
    "snake_case_word", "2*3*4", "**a**b", "a**(b)**c", "foo*bar*", "__init__.py", "pre_fix_", "*(a)*b",
    "_a_b", "a_b_", "**foo bar **", "** foo**", "~~a~~b", "a ~~(b)~~c", "x *y* z", "__a__b", "*a _b* c_",
])
def test_latin_text_is_exactly_commonmark(body):
    plain = MarkdownIt("commonmark").enable("strikethrough")
    ours = MarkdownIt("commonmark").enable("strikethrough").use(cjk_friendly_plugin)
    assert ours.render(body) == plain.render(body)


def test_random_non_cjk_text_is_exactly_commonmark():
    """Any text without CJK characters renders exactly as CommonMark (the amendment's promise)."""
    alphabet = list("ab1 *_~().!'\"-") + ["é", "±", "§", "\u00a0", "\ufe0e", "ß", "→", "\t"]
    plain = MarkdownIt("commonmark").enable("strikethrough")
    ours = MarkdownIt("commonmark").enable("strikethrough").use(cjk_friendly_plugin)
    rng = random.Random(11)
    for _ in range(3000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert ours.render(body) == plain.render(body), repr(body)


@pytest.mark.parametrize(
    ("char", "cjk"),
    [("가", True), ("ᅡ", True), ("漢", True), ("。", True), ("「", True), ("ｱ", True), ("Ａ", True),
     ("a", False), ("é", False), ("😀", False), ("⌚", False), ("“", None), ("→", None), ("±", False)],
)
def test_is_cjk(char, cjk):
    assert is_cjk(char) is cjk


def test_variation_selector_after_cjk_punctuation_counts_as_cjk():
    # 。 followed by VS1 (U+FE00) before the closing run: still CJK punctuation, so it can close.
    src = "**강조。\ufe00**이"
    closing = src.rindex("**")
    assert scan_delims(src, closing, len(src), True).can_close
