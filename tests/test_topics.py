"""Concept topics: one concept in either language, weighted so a passing mention does not count,
configurable, and decided by one function for the CLI, the site and the index."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import REPO
from notebase.cli.browse import topic_counts
from notebase.cli import cli
from notebase.config import load_config
from notebase.errors import ConfigError
from notebase.site.assemble import assemble
from notebase.site.topics import TopicSettings, build_vocabulary, topics_of, vocabulary

FILLER = ("오늘 세미나에서 읽은 내용을 정리했다. 실험 설정과 결과 표를 옮겨 적고 질문 몇 가지를 남겼다. "
          "We also discussed the writing of the related work section and the figures. ")


def note(title: str, body: str, tags: str = "") -> str:
    return f"---\ntitle: \"{title}\"\ntype: tip\ndate: 2024-03-01\n{tags}---\n{body}\n"


@pytest.fixture(scope="module")
def vocab():
    return build_vocabulary(TopicSettings())


def read(tmp_path, files: dict[str, str], config: str | None = None):
    """Write notes under tmp_path, load them and return {file: topics}, the config and the entries."""
    from conftest import write_notes
    from notebase.load.loader import load

    write_notes(tmp_path, files)
    if config is not None:
        (tmp_path / "notebase.yaml").write_text(config, encoding="utf-8")
    settings = load_config(tmp_path)
    entries = load(settings).entries
    vocab = vocabulary(settings)
    return {e.source.path: topics_of(e, vocab) for e in entries}, settings, entries


def test_korean_and_english_name_one_concept(tmp_path):
    topics, _, _ = read(tmp_path, {
        "ko.md": note("대조 학습 정리", "대조 학습은 같은 샘플의 두 view를 가깝게 만든다. 대조학습에서는 negative가 중요하다."),
        "en.md": note("Notes on contrastive learning", "Contrastive learning pulls two views together. " * 2),
        "mixed.md": note("배치 크기 실험", "contrastive learning에서 배치를 키웠다. 대조 학습을 다시 돌려 보았다. " * 2),
    })
    assert {t[0] for t in topics.values()} == {"contrastive-learning"}


def test_a_passing_mention_does_not_count_but_a_theme_does(tmp_path):
    passing = FILLER * 12 + " 참고로 GAN으로 데이터를 만들 수도 있다. " + FILLER * 12
    theme = ("GAN의 generator와 discriminator를 번갈아 학습한다. " + FILLER) * 3 + "GANs are hard to train. " * 2
    topics, _, _ = read(tmp_path, {"passing.md": note("세미나 기록", passing), "theme.md": note("학습 기록", theme),
                                   "titled.md": note("Sketch Your Own GAN", FILLER * 10)})
    assert "generative-adversarial-network" not in topics["passing.md"]
    assert topics["theme.md"][0] == "generative-adversarial-network"  # a note about GANs is tagged GAN
    assert "generative-adversarial-network" in topics["titled.md"]  # named in the title: about it


def test_capital_acronyms_only_and_generic_concepts_never(tmp_path):
    code = "import os\nprint(os.path.join('a', 'b'))\n" + "gan 씨와 os 모듈 이야기. " * 5
    generic = ("We ran the experiment on a new dataset and the accuracy beat the baseline. " * 4
               + "논문의 실험 결과와 정확도를 정리했다. " * 4)
    topics, _, _ = read(tmp_path, {"code.md": note("파일 경로 다루기", code), "generic.md": note("실험 결과 정리", generic)})
    assert topics["code.md"] == ()  # neither GAN nor operating system from lowercase words in code
    assert topics["generic.md"] == ()  # paper, experiment, dataset, accuracy: words every note uses


def test_particles_spacing_and_plurals_are_the_same_term(vocab):
    def keys(text):
        return set(vocab.mentions(text))

    assert keys("트랜스포머를 썼다") == keys("transformers were used") == {"transformer"}
    assert keys("사전분포를 정했다") == keys("사전 분포를 정했다") == {"prior-distribution"}
    assert keys("vision transformer") == {"vision-transformer"}  # the longer term, not transformer inside it
    assert keys("Graph Attention Networks") == {"graph-neural-network"}


def test_config_adds_stops_and_turns_topics_off(tmp_path):
    files = {"a.md": note("Mamba 정리", "Mamba는 selective state space model이다. mamba 블록을 쌓는다. " * 3),
             "b.md": note("트랜스포머 복습", "트랜스포머의 self-attention을 다시 보았다. transformer 구조. " * 3)}
    topics, _, _ = read(tmp_path / "one", files, "topics_add: [mamba = 맘바]\ntopics_stop: [트랜스포머]\n")
    assert "mamba" in topics["a.md"]
    assert "transformer" not in topics["b.md"] and "self-attention" in topics["b.md"]
    off, settings, entries = read(tmp_path / "two", files, "topics: false\n")
    assert set(off.values()) == {()}
    site = assemble(entries, settings)
    assert site.topics.terms == () and site.topic_of == {"a": (), "b": ()}


def test_bad_topic_settings_are_reported(tmp_path):
    (tmp_path / "notebase.yaml").write_text("topics: maybe\ntopics_stop: [['a']]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    messages = [p.message for p in caught.value.problems]
    assert "'topics' must be true/false, not a string" in messages
    assert any(m.startswith("topics_stop: cannot read") for m in messages)


def test_a_stop_naming_no_concept_is_a_warning(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "notebase.yaml").write_text("topics_stop: [transfomer]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "check"])
    assert "notebase.yaml: warning: topics_stop: 'transfomer' names no concept, so it stops nothing" in result.output


def test_cli_site_and_tags_agree(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    config = load_config(tmp_path)
    from notebase.load.loader import load

    entries = load(config).entries
    site = assemble(entries, config)
    vocab = vocabulary(config)
    assert all(site.topic_of[e.id] == topics_of(e, vocab) for e in site.entries)
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["--root", str(tmp_path), "tags", "--json"]).stdout)
    topics = [t for t in data if t["kind"] == "topic"]
    assert [(t["topic"], t["count"], t["path"]) for t in topics] == \
        [(term.key, len(term.ids), term.path) for term in site.topics.terms]
    assert [t for t in data if t["kind"] == "tag"][0]["tag"] == site.tags.terms[0].label  # tags first, unchanged
    assert topic_counts(entries, None, config)[0].names == vocab.concept(topics[0]["topic"]).terms
    text = runner.invoke(cli, ["--root", str(tmp_path), "tags"]).stdout
    assert "topics (concepts found in the text, apart from the tags):" in text
    assert f"  {site.topics.terms[0].label}  [topic: {site.topics.terms[0].key}]" in text
    listed = runner.invoke(cli, ["--root", str(tmp_path), "list", "--topic", "대조학습", "--json"])
    assert listed.exit_code == 0
    assert {e["id"] for e in json.loads(listed.stdout)} == set(site.topics.term("contrastive-learning").ids)
    bad = runner.invoke(cli, ["--root", str(tmp_path), "list", "--topic", "contrastiv learning"])
    assert bad.exit_code == 2 and "did you mean 'contrastive learning'" in bad.output
    generic = runner.invoke(cli, ["--root", str(tmp_path), "list", "--topic", "논문"])
    assert generic.exit_code == 2 and "'논문' is never a topic" in generic.output
