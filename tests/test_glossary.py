"""The Korean↔English glossary: the shipped list, matching rules, and additions from notebase.yaml."""

from __future__ import annotations

import re

import pytest

from notebase.config import load_config
from notebase.errors import ConfigError
from notebase.search.glossary import Glossary, load_glossary, parse_line, shipped, squash

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_the_shipped_glossary_is_large_and_every_concept_crosses_languages():
    concepts = shipped()
    assert len(concepts) >= 200
    for terms in concepts:
        assert any(HANGUL.search(t) for t in terms), terms
        assert any(not HANGUL.search(t) for t in terms), terms
    lines: dict[str, set[int]] = {}
    for n, terms in enumerate(concepts):
        for term in terms:
            lines.setdefault(squash(term), set()).add(n)
    assert not [k for k, found in lines.items() if len(found) > 1], "a term is on two lines"


@pytest.mark.parametrize("words, alternative", [
    (["대조", "학습"], "contrastive learning"),
    (["대조학습"], "contrastive learning"),
    (["대조", "학습을"], "contrastive learning"),
    (["contrastive", "learning"], "대조 학습"),
    (["Data", "Augmentation"], "데이터 증강"),
    (["데이터", "증강으로"], "data augmentation"),
    (["불확실성을", "추정하는"], "uncertainty estimation"),
    (["knowledge", "distillation"], "지식 증류"),
    (["graph", "neural", "networks"], "그래프 신경망"),
    (["self-attention"], "self-attention"),
])
def test_lookup_ignores_spacing_case_particles_and_plurals(words, alternative):
    glossary = load_glossary()
    found = glossary.expand(words)
    assert found, words
    start, end, expansion = found[0]
    assert (start, end) == (0, len(words))
    # The words typed are not repeated as their own alternative.
    assert all(squash(a) != squash("".join(words)) for a in expansion.alternatives)
    if squash(alternative) != squash("".join(words)):
        assert squash(alternative) in {squash(a) for a in expansion.alternatives}


def test_longest_match_first_and_unrelated_words_untouched():
    glossary = Glossary([("대조 학습", "contrastive learning"), ("학습", "learning")])
    found = glossary.expand(["대조", "학습", "방법"])
    assert [(s, e) for s, e, _ in found] == [(0, 2)]
    assert glossary.expand(["방법"]) == []


def test_a_term_shared_by_two_lines_merges_them():
    glossary = Glossary([("확산 모델", "diffusion model"), ("diffusion model", "확산모형")])
    assert len(glossary) == 1
    alternatives = glossary.expand(["확산", "모델"])[0][2].alternatives
    assert "확산모형" in alternatives and "diffusion model" in alternatives


def test_parse_line():
    assert parse_line("# comment") is None
    assert parse_line("  ") is None
    assert parse_line("지식 증류 = knowledge distillation") == ("지식 증류", "knowledge distillation")


def test_notebase_yaml_adds_concepts(tmp_path):
    (tmp_path / "notebase.yaml").write_text(
        "glossary:\n  - 연합 학습 플랫폼 = federated platform\n  - [얕은 복사, shallow copy]\n", encoding="utf-8")
    config = load_config(tmp_path)
    glossary = load_glossary(config.glossary)
    assert glossary.expand(["연합", "학습", "플랫폼"])[0][2].alternatives == ("federated platform",)
    assert glossary.expand(["shallow", "copy"])[0][2].alternatives == ("얕은 복사",)


def test_a_bad_glossary_entry_names_the_line(tmp_path):
    (tmp_path / "notebase.yaml").write_text("title: x\nglossary:\n  - lonely term\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "notebase.yaml:2: glossary: cannot read 'lonely term'" in str(info.value)
