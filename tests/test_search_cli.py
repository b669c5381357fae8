"""`notebase search`, `index` and `build` from the command line: output, JSON, colour, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from notebase.cli import cli

NOTE = "---\ntitle: {title}\ndate: {date}\ntype: {type}\ntags: [{tags}]\n---\n{body}\n"


@pytest.fixture
def root(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    files = {
        "a.md": ("SimCLR 정리", "2022-05-03", "paper", "contrastive, ssl",
                 "대조 학습으로 표현을 배운다. 학회에서 발표를 들었다."),
        "b.md": ("Contrastive learning survey", "2023-01-10", "paper", "contrastive",
                 "An overview of contrastive learning objectives."),
        "c.md": ("학회 후기", "2021-11-24", "conference", "conference", "포스터 세션이 좋았다."),
        "d.md": ("Git bisect", "2023-03-01", "tip", "git", "Binary search for the commit that broke it."),
    }
    for name, (title, date, kind, tags, body) in files.items():
        (notes / name).write_text(NOTE.format(title=title, date=date, type=kind, tags=tags, body=body), "utf-8")
    # No front matter: YAML refuses control characters, a markdown heading takes them.
    (notes / "e.md").write_text("# \x1b[31mRed\x1b[0m title\n\n2020-01-01\n\nescape codes in text \x1b]0;pwned\x07\n",
                                "utf-8")
    return tmp_path


def run(root, *args, env=None, color=False):
    return CliRunner().invoke(cli, ["--root", str(root), *args], env=env or {}, color=color)


def test_search_prints_ranked_results_with_source_and_snippet(root):
    result = run(root, "search", "학회")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 results for '학회'")
    assert "학회 후기" in lines[2] and "conference · 2021-11-24 · #conference" in lines[3]
    assert "c.md:1" in lines[3]
    assert "SimCLR 정리" in result.output and "a.md:1" in result.output


def test_json_contract_and_ids_match_list(root):
    found = json.loads(run(root, "search", "contrastive", "--json").stdout)
    listed = {e["id"] for e in json.loads(run(root, "list", "--json").stdout)}
    assert {h["id"] for h in found} <= listed
    first = found[0]
    assert set(first) >= {"id", "type", "title", "date", "score", "snippet", "source", "url"}
    assert first["source"] == {"path": "b.md", "line": 1} and first["type"] == "paper"
    assert isinstance(first["score"], float) and first["url"] is None
    start, end = first["highlights"][0]
    assert first["snippet"][start:end].lower() == "contrastive"


def test_cross_language_match_is_explained(root):
    result = run(root, "search", "대조", "학습")
    also = result.output.split("also searched: ", 1)[1].split("\n", 1)[0]
    assert "contrastive learning" in also.split(", ")
    assert "matched via glossary: 대조 학습 → contrastive learning" in result.output
    assert "Contrastive learning survey" in result.output


def test_colour_on_a_terminal_plain_with_no_color(root):
    coloured = run(root, "search", "git", color=True)
    assert "\x1b[1m\x1b[33m" in coloured.output or "\x1b[33m\x1b[1m" in coloured.output
    plain = run(root, "search", "git", color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output and "Git bisect" in plain.output
    piped = run(root, "search", "git")
    assert "\x1b[" not in piped.output


def test_control_characters_from_notes_never_reach_the_terminal(root):
    result = run(root, "search", "escape", color=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Red" in result.output


@pytest.mark.parametrize("args", [
    ["--type", "paper", "contrastive"],
    ["type:paper", "contrastive"],
])
def test_type_option_and_filter_agree(root, args):
    found = json.loads(run(root, "search", *args, "--json").stdout)
    assert [h["type"] for h in found] == ["paper", "paper"]


def test_options_filter_by_tag_and_date(root):
    found = json.loads(run(root, "search", "contrastive", "--tag", "ssl", "--json").stdout)
    assert [h["title"] for h in found] == ["SimCLR 정리"]
    found = json.loads(run(root, "search", "type:paper", "--since", "2023", "--json").stdout)
    assert [h["title"] for h in found] == ["Contrastive learning survey"]
    found = json.loads(run(root, "search", "type:paper", "--until", "2022-12", "--json").stdout)
    assert [h["title"] for h in found] == ["SimCLR 정리"]


def test_negation_from_the_command_line(root):
    found = json.loads(run(root, "search", "contrastive", "-survey", "--json").stdout)
    assert [h["title"] for h in found] == ["SimCLR 정리"]


def test_limit(root):
    found = json.loads(run(root, "search", "contrastive", "--limit", "1", "--json").stdout)
    assert len(found) == 1
    assert run(root, "search", "x", "--limit", "0").exit_code == 2


@pytest.mark.parametrize("query, message", [
    ([], "empty query"),
    (["the", "of"], "only stop words"),
    (['"open'], "unbalanced quote"),
    (["date:2022-13"], "impossible month"),
    (["foo:bar"], "unknown field 'foo:'"),
    (["--since", "2022-13", "x"], "impossible month"),
    (["--type", "video", "x"], "unknown type 'video'"),
])
def test_bad_queries_exit_2_with_a_message_and_no_traceback(root, query, message):
    result = run(root, "search", *query)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_no_results_exit_1(root):
    result = run(root, "search", "zzyzx")
    assert result.exit_code == 1
    assert "0 results" in result.output


def test_index_command_reports_what_it_did(root):
    first = run(root, "index")
    assert first.exit_code == 0 and "search index built: 5 entries" in first.output
    again = run(root, "index")
    assert "search index up to date: 5 entries" in again.output and "read 0 files" in again.output
    (root / "notes" / "d.md").unlink()
    third = run(root, "index")
    assert "0 added, 0 changed, 1 removed; 4 entries" in third.output
    assert "search index built" in run(root, "index", "--rebuild").output


def test_build_keeps_the_index_up_to_date(root):
    assert run(root, "build").exit_code == 0
    (root / "notes" / "f.md").write_text(NOTE.format(title="Rsync", date="2024-01-01", type="tip", tags="shell",
                                                     body="rsync --exclude"), "utf-8")
    result = run(root, "build")
    assert "search index updated: 1 added" in result.output
    found = json.loads(run(root, "search", "rsync", "--json").stdout)
    assert [h["title"] for h in found] == ["Rsync"]
