"""Snippets: the best passage, and highlight offsets that follow the analyzer's rules."""

from __future__ import annotations

from notebase.search.snippet import find_spans, make_snippet


def test_korean_terms_are_found_inside_words_with_particles():
    text = "어제 학회에서 발표를 들었다"
    assert [text[s:e] for s, e in find_spans(text, {"학회"})] == ["학회"]


def test_overlapping_bigrams_merge_into_one_highlight():
    text = "불확실성을 추정한다"
    assert [text[s:e] for s, e in find_spans(text, {"불확", "확실", "실성"})] == ["불확실성"]


def test_latin_terms_match_whole_words_only_in_any_spelling_that_folds_to_them():
    text = "GAN training, not organ donation; GANs differ, GANsters do not"
    assert [text[s:e] for s, e in find_spans(text, {"gan"})] == ["GAN", "GANs"]
    text = "one loss, two losses, a lossy study and its studies"
    assert [text[s:e] for s, e in find_spans(text, {"loss", "study"})] == ["loss", "losses", "study", "studies"]


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


def test_the_passage_covering_most_query_words_wins_even_far_down():
    # A long log: an early paragraph repeats many pieces of one word; the section about both
    # words of the query comes much later, past where a first-200-matches scan stopped.
    early = "대조 대조 대조 대조 " * 60
    later = "lorem ipsum " * 80
    text = f"{early}{later} 연합 학습 세션: 병원마다 대조 데이터가 달랐다. {later}"
    wanted = {"연합": {0}, "학습": {1}, "대조": {2}}
    snippet, spans = make_snippet(text, wanted)
    assert "연합 학습" in snippet
    assert {snippet[s:e] for s, e in spans} >= {"연합", "학습"}


def test_a_synonym_counts_for_the_words_it_translates():
    text = "contrastive here. " + "x " * 120 + "contrastive learning there. " + "y " * 120 + "대조 학습 too"
    # contrastive stands for both typed words (대조, 학습); learning is only part of the phrase
    snippet, _ = make_snippet(text, {"대조": {0}, "학습": {1}, "contrastive": {0, 1}, "learning": {0, 1}})
    assert "contrastive learning there" in snippet
