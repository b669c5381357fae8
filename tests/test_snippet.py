"""Snippets: the best passage, and highlight offsets that follow the analyzer's rules."""

from __future__ import annotations

from notebase.search.snippet import find_spans, make_snippet


def test_korean_terms_are_found_inside_words_with_particles():
    text = "어제 학회에서 발표를 들었다"
    assert [text[s:e] for s, e in find_spans(text, {"학회"})] == ["학회"]


def test_overlapping_bigrams_merge_into_one_highlight():
    text = "불확실성을 추정한다"
    assert [text[s:e] for s, e in find_spans(text, {"불확", "확실", "실성"})] == ["불확실성"]


def test_latin_terms_match_whole_words_only():
    text = "GAN training, not organ donation; GANs differ"
    assert [text[s:e] for s, e in find_spans(text, {"gan"})] == ["GAN"]


def test_a_lone_syllable_matches_only_a_lone_syllable():
    text = "책 한 권, 책상"
    assert [text[s:e] for s, e in find_spans(text, {"책"})] == ["책"]


def test_offsets_survive_compatibility_characters():
    text = "ﬁne Ｇraph 신경망"
    assert [text[s:e] for s, e in find_spans(text, {"graph"})] == ["Ｇraph"]


def test_the_passage_with_most_distinct_terms_wins():
    filler = "lorem ipsum " * 40
    text = f"contrastive once. {filler} contrastive learning with augmentation here. {filler}"
    snippet, spans = make_snippet(text, {"contrastive", "learning", "augmentation"})
    assert snippet.startswith("…") and snippet.endswith("…")
    assert {snippet[s:e] for s, e in spans} == {"contrastive", "learning", "augmentation"}
    assert "\n" not in snippet and len(snippet) <= 185


def test_no_match_gives_the_opening():
    snippet, spans = make_snippet("첫 문장입니다. " * 50, {"없는"})
    assert snippet.startswith("첫 문장입니다.") and spans == []
