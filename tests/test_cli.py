"""The CLI contract: list, check and build, through CliRunner and the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from notebase.cli import cli
from notebase.load.entries import build_entry
from notebase.load.readers.raw import RawNote

NOTE = "---\ntitle: {title}\ndate: {date}\ntype: {type}\ntags: [{tags}]\n---\n{body}\n"


@pytest.fixture
def root(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE.format(title="대조 학습 정리", date="2022-05-03", type="논문",
                                            tags="contrastive, ssl", body="SimCLR 논문을 읽었다."), "utf-8")
    (notes / "b.md").write_text(NOTE.format(title="Git tip", date="2023-01-10", type="til",
                                            tags="git", body="Use `git switch -`."), "utf-8")
    (notes / "c.md").write_text(NOTE.format(title="학회 후기", date="2021-11-24", type="학회",
                                            tags="conference", body="포스터 세션이 좋았다."), "utf-8")
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_list_json_contract(root):
    result = run("--root", root, "list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [e["title"] for e in data] == ["Git tip", "대조 학습 정리", "학회 후기"]  # newest first
    first = data[1]
    assert {"id", "type", "title", "date", "tags", "lang", "source", "url", "text"} <= set(first)
    assert first["type"] == "paper" and first["date"] == "2022-05-03"
    assert first["tags"] == ["contrastive", "ssl"] and first["lang"] == "ko"
    assert first["source"] == {"path": "a.md", "line": 1}
    assert first["url"] is None and first["text"] == "SimCLR 논문을 읽었다."
    assert first["id"] == "a"  # its file, a.md


def test_list_json_gives_a_papers_sections_from_its_body(root):
    # Sections are worked out from the body when asked, not kept: the contract still lists them.
    (root / "notes" / "a.md").write_text(NOTE.format(
        title="대조 학습 정리", date="2022-05-03", type="논문", tags="ssl",
        body="## 목적\n\n표현을 배운다.\n\n## 방법\n\n두 시점을 맞춘다.\n\n## Other\n\n끝."), "utf-8")
    data = {e["id"]: e for e in json.loads(run("--root", root, "list", "--json").stdout)}
    paper = data["a"]
    assert paper["sections"] == [{"key": "purpose", "label": "목적", "text": "표현을 배운다."},
                                 {"key": "method", "label": "방법", "text": "두 시점을 맞춘다."}]
    assert list(paper)[-2:] == ["sections", "wikilinks"]  # where the field stood
    assert "sections" not in data["b"]
    # A feed item's body is HTML: its sections come from its plain text.
    item, _ = build_entry(RawNote("feed.xml", 3, "<p>Purpose: 목표를 적는다.</p>\n<p>Method: 방법을 적는다.</p>", "html",
                                  meta={"type": "paper", "title": "HTML 요약", "date": "2022-05-04"}))
    assert [(s.key, s.text) for s in item.sections] == [("purpose", "목표를 적는다."), ("method", "방법을 적는다.")]

@pytest.mark.parametrize("args, titles", [
    (["--type", "paper"], ["대조 학습 정리"]),
    (["--type", "conference-log"], ["학회 후기"]),
    (["--tag", "GIT"], ["Git tip"]),
    (["--since", "2022"], ["Git tip", "대조 학습 정리"]),
    (["--until", "2022-05"], ["대조 학습 정리", "학회 후기"]),
    (["--since", "2022-05-04", "--until", "2023-12-31"], ["Git tip"]),
    (["--month", "2021-11"], ["학회 후기"]),
])
def test_list_filters(root, args, titles):
    result = run("--root", root, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    assert [e["title"] for e in json.loads(result.stdout)] == titles


@pytest.mark.parametrize("args, message", [
    (["--type", "blog"], "unknown type 'blog'"),
    (["--since", "2022-13"], "impossible month '2022-13'"),
    (["--until", "yesterday"], "cannot read date 'yesterday'"),
])
def test_list_bad_arguments_exit_2_without_traceback(root, args, message):
    result = run("--root", root, "list", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_root_after_the_command(root):
    result = run("list", "--root", root, "--json")
    assert len(json.loads(result.stdout)) == 3


def test_check_is_clean_then_fails_on_a_bad_note(root):
    result = run("--root", root, "check")
    assert result.exit_code == 0
    assert "3 entries from 3 files" in result.stderr
    (root / "notes" / "bad.md").write_text("---\ntitle: x\ntype: blog\n---\ntext\n", "utf-8")
    result = run("--root", root, "check")
    assert result.exit_code == 1
    assert "bad.md:3: unknown type 'blog'" in result.stderr


def test_check_strict_fails_on_warnings(root):
    (root / "notes" / "w.md").write_text("---\ntitle: w\ntype: tip\ndate: 2024-01-01\nmood: ok\n---\nx\n", "utf-8")
    assert run("--root", root, "check").exit_code == 0
    assert run("--root", root, "check", "--strict").exit_code == 1


def test_bad_config_is_a_clean_message(root):
    (root / "notebase.yaml").write_text("titel: x\nmax_file_size: big\n", "utf-8")
    result = run("--root", root, "check")
    assert result.exit_code == 1
    assert "notebase.yaml:1: unknown key 'titel' — did you mean 'title'?" in result.output
    assert "notebase.yaml:2: 'max_file_size' must be a whole number, not a string" in result.output
    assert "Traceback" not in result.output


def test_config_moves_the_notes_folder(root):
    shutil.move(root / "notes", root / "kb")
    (root / "notebase.yaml").write_text("notes_dir: kb\n", "utf-8")
    assert len(json.loads(run("--root", root, "list", "--json").stdout)) == 3


def _installed_notebase() -> list[str]:
    exe = Path(sys.executable).with_name("notebase")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "notebase"]


def test_installed_command_end_to_end(root):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run(_installed_notebase() + ["list", "--json"], cwd=root, capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 3
    out = subprocess.run([sys.executable, "-m", "notebase", "--root", str(root), "check"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and "3 entries" in out.stderr


def test_sample_knowledge_base_loads_cleanly():
    """The shipped notes/ is a full example: many entries, every type, both languages, no problems."""
    result = run("--root", REPO, "list", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) >= 30
    assert {e["type"] for e in data} == {"paper", "conference", "tip"}
    assert {"ko", "en"} <= {e["lang"] for e in data}
    shapes = {e["source"]["path"].split("/")[0] for e in data}
    assert {"til", "digests", "newsletter", "conferences", "obsidian", "feeds", "papers", "tips"} <= shapes
    assert len({e["id"] for e in data}) == len(data)
