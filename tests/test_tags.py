"""Tags as Obsidian, Hugo and MkDocs users write them: one tag whatever the case, spaces, `-` or `_`,
and nested tags `a/b` listed in `a` too. The site, `notebase tags`, `list --tag` and `search tag:`
(the CLI's and the site's) all agree."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli
from notebase.site.tags import ancestors, tag_key, with_ancestors

NOTE = "---\ntitle: {title}\ndate: 2024-03-{day:02d}\ntype: tip\ntags: {tags}\n---\n{body}\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("tag, key", [
    ("Knowledge Distillation", "knowledge-distillation"),
    ("knowledge-distillation", "knowledge-distillation"),
    ("knowledge_distillation", "knowledge-distillation"),
    ("  #Knowledge  -  Distillation ", "knowledge-distillation"),
    ("ML/Vision", "ml/vision"),
    ("ml / vision/", "ml/vision"),
    ("딥러닝 모델", "딥러닝-모델"),
    ("C++", "c++"),
    ("---", ""),
])
def test_tag_key(tag, key):
    assert tag_key(tag) == key


def test_ancestors():
    assert ancestors("a/b/c") == ("a", "a/b") and ancestors("a") == ()
    assert with_ancestors("a/b") == ("a", "a/b") and with_ancestors("") == ()


@pytest.fixture
def kb(tmp_path):
    write_notes(tmp_path, {
        "kd1.md": NOTE.format(title="KD one", day=1, tags="[Knowledge Distillation]", body="teacher student"),
        "kd2.md": NOTE.format(title="KD two", day=2, tags="[knowledge-distillation]", body="teacher student"),
        "kd3.md": NOTE.format(title="KD three", day=3, tags="[knowledge_distillation]", body="teacher student"),
        "v.md": NOTE.format(title="Vision note", day=4, tags="[ml/vision]", body="convolution"),
        "n.md": NOTE.format(title="NLP note", day=5, tags="[ML/NLP]", body="tokenizer"),
        "m.md": NOTE.format(title="ML note", day=6, tags="[ml]", body="gradient"),
        "deep.md": NOTE.format(title="Deep note", day=7, tags="[ml/vision/detection, misc/page]", body="boxes"),
    })
    (tmp_path / "notebase.yaml").write_text("base_url: https://example.org/\nlanguage: en\n", "utf-8")
    return tmp_path


def page(root, path):
    return (root / "site" / path / "index.html").read_text("utf-8")


def titles(html):
    return re.findall(r'<a class="entry-link" href="[^"]*">([^<]+)</a>', html)


def test_spellings_of_one_tag_make_one_page(kb):
    result = run("--root", kb, "build", "--strict")
    assert result.exit_code == 0, result.output
    tags_dir = kb / "site" / "tags"
    assert (tags_dir / "knowledge-distillation" / "index.html").is_file()
    assert not any(p.name.startswith("knowledge-distillation-") for p in tags_dir.iterdir())
    html = page(kb, "tags/knowledge-distillation")
    assert sorted(titles(html)) == ["KD one", "KD three", "KD two"]
    # Every entry's page links to that one page.
    for name in ("kd1", "kd2", "kd3"):
        assert 'href="../../tags/knowledge-distillation/"' in page(kb, f"tips/{name}")


def test_a_parent_tag_lists_its_children_entries_and_shows_the_children(kb):
    assert run("--root", kb, "build").exit_code == 0
    ml = page(kb, "tags/ml")
    assert sorted(titles(ml)) == ["Deep note", "ML note", "NLP note", "Vision note"]
    children = re.search(r'<ul class="month-list tag-children">(.*?)</ul>', ml, re.S)[1]
    assert re.findall(r'href="([^"]+)">#([^ <]+) <span class="count">(\d+)', children) == [
        ("vision/", "ml/vision", "2"), ("nlp/", "ML/NLP", "1")]
    vision = page(kb, "tags/ml/vision")
    assert sorted(titles(vision)) == ["Deep note", "Vision note"]
    assert 'href="detection/">#ml/vision/detection' in vision
    assert sorted(titles(page(kb, "tags/ml/vision/detection"))) == ["Deep note"]
    # A parent nobody tags directly still gets its page; `page` never meets the pagination's folder.
    assert sorted(titles(page(kb, "tags/misc"))) == ["Deep note"]
    assert (kb / "site" / "tags" / "misc" / "page-tag" / "index.html").is_file()
    index = (kb / "site" / "tags" / "index.html").read_text("utf-8")
    assert 'href="ml/">#ml <span class="count">4</span>' in index
    assert (kb / "site" / "tags" / "ml" / "feed.xml").is_file()


def test_notebase_tags_counts_as_the_site_does(kb):
    result = run("--root", kb, "tags", "--json")
    assert result.exit_code == 0, result.output
    data = {t["tag"]: t for t in json.loads(result.stdout) if t["kind"] == "tag"}  # topics follow the tags
    kd = next(t for t in data.values() if t["path"] == "tags/knowledge-distillation/")
    assert kd["count"] == 3
    assert sorted(kd["spellings"]) == ["Knowledge Distillation", "knowledge-distillation", "knowledge_distillation"]
    assert data["ml"]["count"] == 4 and data["ml"]["path"] == "tags/ml/"
    assert data["ml/vision"]["count"] == 2 and data["ml/vision"]["path"] == "tags/ml/vision/"
    assert data["ML/NLP"]["path"] == "tags/ml/nlp/"
    plain = run("--root", kb, "tags").stdout
    assert re.search(r"^3  Knowledge Distillation  \(also knowledge-distillation, knowledge_distillation\)$", plain, re.M) \
        or re.search(r"^3  knowledge\S+ .*\(also", plain, re.M)


@pytest.mark.parametrize("tag, expected", [
    ("Knowledge Distillation", ["KD one", "KD three", "KD two"]),
    ("knowledge_DISTILLATION", ["KD one", "KD three", "KD two"]),
    ("ml", ["Deep note", "ML note", "NLP note", "Vision note"]),
    ("ML/Vision", ["Deep note", "Vision note"]),
    ("ml/nlp", ["NLP note"]),
    ("vision", []),  # a level of a nested tag is not a tag of its own
])
def test_list_tag_and_search_tag_agree(kb, tag, expected):
    listed = run("--root", kb, "list", "--tag", tag, "--json")
    assert sorted(e["title"] for e in json.loads(listed.stdout)) == expected
    searched = run("--root", kb, "search", f'tag:"{tag}"', "--json", "--limit", "50")
    assert sorted(h["title"] for h in json.loads(searched.stdout or "[]")) == expected
    option = run("--root", kb, "search", "--tag", tag, "--json", "--limit", "50")
    assert sorted(h["title"] for h in json.loads(option.stdout or "[]")) == expected
    assert searched.exit_code == (0 if expected else 1)


def test_negated_tag_leaves_out_the_children_too(kb):
    result = run("--root", kb, "search", "type:tip", "-tag:ml", "--json", "--limit", "50")
    assert sorted(h["title"] for h in json.loads(result.stdout)) == ["KD one", "KD three", "KD two"]


def test_search_shows_tags_as_written(kb):
    hit = json.loads(run("--root", kb, "search", "tokenizer", "--json").stdout)[0]
    assert hit["tags"] == ["ML/NLP"]


def test_site_search_data_keys_tags_as_the_cli_does(kb):
    assert run("--root", kb, "build").exit_code == 0
    text = (kb / "site" / "search" / "data" / "tags.js").read_text("utf-8")
    data = json.loads(text[text.index(",", text.index(",") + 1) + 1:text.rindex(")")])
    assert {"knowledge-distillation", "ml", "ml/vision", "ml/nlp", "ml/vision/detection", "misc", "misc/page"} == set(data)
    manifest = (kb / "site" / "search" / "data" / "manifest.js").read_text("utf-8")
    assert '["ml","ml",4]' in manifest.replace(" ", "") and '["knowledge-distillation","KnowledgeDistillation",3]' \
        in manifest.replace(" ", "")
