"""The Korean/English analyzer: table cases that the JavaScript port must also pass."""

from __future__ import annotations

import pytest

from notebase.search.analysis import Token, terms, tokenize
from notebase.search.schema import KoEnTokenizer

CASES = [
    ("학회", ["학회"]),
    ("학회에서", ["학회", "회에"]),  # the particle bigram 에서 is a stop word
    ("논문에서 accuracy를 높였다", ["논문", "문에", "accuracy", "높였", "였다"]),
    ("대조 학습", ["대조", "학습"]),
    ("Contrastive Learning", ["contrastive", "learning"]),
    ("The paper is about a GAN", ["paper", "about", "gan"]),
    ("ViT-B/16 16x16", ["vit", "16", "16x16"]),
    ("밥 을 먹다", ["밥", "먹다"]),  # a one-syllable run stays; the lone particle is a stop word
    ("ＡＢＣ　ｄｅｆ", ["abc", "def"]),  # NFKC folds full-width letters
    ("x y z", []),
    ("", []),
    ("!!! ... ---", []),
    ("불확실성을 추정하는 방법", ["불확", "확실", "실성", "성을", "추정", "정하", "방법"]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_terms(text, expected):
    assert terms(text) == expected


def test_positions_and_offsets_point_into_the_original_text():
    text = "Ｇraph 신경망"
    tokens = tokenize(text)
    assert tokens == [Token("graph", 0, 0, 5), Token("신경", 1, 6, 8), Token("경망", 2, 7, 9)]
    assert [text[t.start:t.end] for t in tokens] == ["Ｇraph", "신경", "경망"]


def test_whoosh_analyzer_yields_the_same_tokens():
    analyzer = KoEnTokenizer()
    text = "그래프 신경망을 공부했다 with GNNs"
    got = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]
    assert got == [(t.text, t.pos, t.start, t.end) for t in tokenize(text)]


@pytest.mark.parametrize("text", [
    "대조 학습을 contrastive learning이라고 부른다. A b 1 22 학 학회에서",
    "Ｇraph 신경망, ﬁne-tuning ㈜회사 Ⅻ장 ½컵",
    "x86-64 C++ 가나다라마 a가b나 123가",
    "",
])
def test_fast_terms_agree_with_tokenize(text):
    assert terms(text) == [t.text for t in tokenize(text)]
