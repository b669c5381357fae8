"""`notebase new`: a note from its type's template that loads with the right type and no problems."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebase.cli.authoring import HEADINGS, render_note
from notebase.cli import cli
from notebase.config import load_config
from notebase.load.loader import load
from notebase.model import EntryType
from test_cli import _installed_notebase


@pytest.fixture
def root(tmp_path, monkeypatch):
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)  # printed paths are relative to here
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def new(*args):
    return run("new", *args)


def loaded(root: Path, path: Path):
    """The entries and problems of one note file, loaded the way every command loads notes."""
    result = load(load_config(root))
    rel = path.resolve().relative_to((root / "notes").resolve()).as_posix()
    return [e for e in result.entries if e.source.path == rel], [p for p in result.problems if p.path == rel]


@pytest.mark.parametrize("args, kind, folder, date", [
    (["paper", "Attention Is All You Need", "--authors", "Ashish Vaswani, Noam Shazeer", "--arxiv", "1706.03762",
      "--venue", "NeurIPS", "--year", "2017"], EntryType.PAPER, "papers", "2024-06-01"),
    (["논문", "Attention Is All You Need", "--doi", "10.1000/xyz", "--authors", "홍길동"], EntryType.PAPER, "papers",
     "2024-06-01"),
    (["conference", "KCC 2024 참관기", "--end", "2024-06-03", "--location", "제주", "--event", "KCC 2024"],
     EntryType.CONFERENCE,
     "conferences", "2024-06-01"),
    (["학회", "KCC 2024 참관기"], EntryType.CONFERENCE, "conferences", "2024-06-01"),
    (["tip", "git worktree로 브랜치 두 개 열기", "--category", "Git"], EntryType.TIP, "tips", "2024-06-01"),
    (["til", "git worktree로 브랜치 두 개 열기"], EntryType.TIP, "tips", "2024-06-01"),
])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_new_note_loads_with_its_type_and_no_problems(root, args, kind, folder, date, language):
    (root / "notebase.yaml").write_text(f"language: {language}\n", "utf-8")
    result = new(*args, "--tag", "first", "--tag", "둘째, third", "--date", date)
    assert result.exit_code == 0, result.output
    shown = result.stdout.strip()
    path = Path(shown)
    assert not path.is_absolute() and path.parts[:2] == ("notes", folder) and path.is_file()
    if kind is not EntryType.PAPER:
        assert path.name.startswith(f"{date}-")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in path.name) == any("\uac00" <= ch <= "\ud7a3" for ch in args[1])
    entries, problems = loaded(root, path)
    assert problems == []
    assert len(entries) == 1
    entry = entries[0]
    assert entry.type is kind and entry.title == args[1]
    assert entry.date == dt.date.fromisoformat(date) and not entry.date_inferred
    # The loader reads `category` as a tag too, as it does for every note.
    assert entry.tags == ("first", "둘째", "third") + (("Git",) if "--category" in args else ())
    text = path.read_text("utf-8")
    for heading in HEADINGS[language][kind]:
        assert f"\n## {heading}\n" in text
    if kind is EntryType.PAPER:
        assert entry.paper_title == "Attention Is All You Need" and entry.authors
        assert {link.kind for link in entry.paper_links} & {"arxiv", "doi"}
    if kind is EntryType.CONFERENCE:
        # Without --event the template leaves it blank, and the loader takes the title without 참관기.
        assert entry.event == "KCC 2024"

        assert entry.start == dt.date(2024, 6, 1)
        if "--end" in args:
            assert entry.end == dt.date(2024, 6, 3) and entry.location == "제주"
    if "--category" in args:
        assert entry.category == "Git"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_paper_headings_are_the_sections_the_loader_knows(root, language):
    (root / "notebase.yaml").write_text(f"language: {language}\n", "utf-8")
    path = Path(new("paper", "Deep Ensembles", "--authors", "Balaji Lakshminarayanan", "--arxiv", "1612.01474")
                .stdout.strip())
    text = path.read_text("utf-8")
    for n, heading in enumerate(HEADINGS[language][EntryType.PAPER]):
        text = text.replace(f"## {heading}\n", f"## {heading}\n\n내용 {n}\n")
    path.write_text(text, "utf-8")
    entries, problems = loaded(root, path)
    assert problems == []
    assert [(s.key, s.text) for s in entries[0].sections] == [
        ("purpose", "내용 0"), ("method", "내용 1"), ("experiments", "내용 2"), ("novelty", "내용 3"),
        ("review", "내용 4")]


def test_bare_templates_have_obvious_placeholders_and_no_errors(root):
    for kind in ("paper", "conference", "tip"):
        path = Path(new(kind, f"bare {kind}").stdout.strip())
        entries, problems = loaded(root, path)
        assert entries[0].type.value == kind
        # Empty placeholders may earn a reminder (no authors yet), but never an error or an unknown key.
        assert not [p for p in problems if p.severity.value == "error" or "unknown" in p.message]
    paper = (root / "notes/papers/bare-paper.md").read_text("utf-8")
    assert "authors: []" in paper and "# 저자, 예:" in paper and "\nvenue:" in paper and "# arXiv 번호" in paper


def test_title_is_quoted_safely_and_presenter_comes_from_config(root):
    (root / "notebase.yaml").write_text("author: 홍길동\n", "utf-8")
    title = 'He said "hi": a #tag, [x] & {y}'
    result = new("paper", title)
    assert result.exit_code == 0, result.output
    entries, problems = loaded(root, Path(result.stdout.strip()))
    assert entries[0].title == title and entries[0].presenter == "홍길동"
    assert not [p for p in problems if p.severity.value == "error"]


def test_never_overwrites(root):
    first = new("tip", "git worktree")
    path = Path(first.stdout.strip())
    path.write_text("my edits\n", "utf-8")
    again = new("tip", "git worktree", "--date", path.name[:10])
    assert again.exit_code == 1
    assert f"notes/tips/{path.name} already exists; not overwritten" in again.stderr
    assert path.read_text("utf-8") == "my edits\n" and "Traceback" not in again.output


@pytest.mark.parametrize("args, message", [
    (["blog", "x"], "unknown type 'blog': use paper, conference or tip"),
    (["tip", ""], "the title is empty"),
    (["tip", "   "], "the title is empty"),
    (["tip", "?!"], "has no letters or digits"),
    (["tip", "two\nlines"], "must be one line"),
    (["tip", "x", "--dir", "../outside"], "must be inside the notes folder"),
    (["tip", "x", "--dir", "/tmp"], "must be inside the notes folder"),
    (["tip", "x", "--venue", "ICML"], "--venue is for paper notes, not tip notes"),
    (["paper", "x", "--end", "2024-01-01"], "--end is for conference notes"),
    (["conference", "x", "--date", "2024-06-02", "--end", "2024-06-01"], "ends (2024-06-01) before it starts"),
    (["tip", "x", "--date", "2024-13-01"], "--date"),
    (["paper", "x", "--year", "17"], "four-digit year"),
    (["tip"], "Missing argument 'TITLE...'"),
])
def test_bad_input_is_a_usage_error_without_traceback(root, args, message):
    result = new(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not any((root / "notes").rglob("*.md"))


def test_a_folder_that_links_outside_is_refused(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (root / "notes" / "link").symlink_to(outside, target_is_directory=True)
    result = run("new", "tip", "x", "--dir", "link")
    assert result.exit_code == 2 and "leads outside the notes folder" in result.output
    assert not any(outside.iterdir())


def test_dir_option_and_no_notes_folder(root):
    result = run("new", "paper", "ViT 정리", "--dir", "papers/vision")
    assert result.exit_code == 0 and result.stdout.strip() == "notes/papers/vision/vit-정리.md"
    other = root / "empty"
    other.mkdir()
    result = run("--root", other, "new", "tip", "x")
    assert result.exit_code == 1 and "there is no notes folder 'notes'" in result.stderr
    assert not (other / "notes").exists()


def test_render_note_is_pure_and_in_english_when_asked():
    text = render_note(EntryType.TIP, "x", day=dt.date(2024, 1, 2), language="en")
    assert text.startswith('---\ntitle: "x"\ndate: 2024-01-02\ntype: tip\n')
    assert "## Problem\n" in text and "# e.g. Git, Python" in text


def test_installed_command_prints_a_path_to_open(root):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run(_installed_notebase() + ["new", "tip", "rsync로 결과만 가져오기", "--date", "2024-02-19"],
                         cwd=root, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "notes/tips/2024-02-19-rsync로-결과만-가져오기.md\n"
    assert (root / out.stdout.strip()).read_text("utf-8").startswith('---\ntitle: "rsync로 결과만 가져오기"\n')
    again = subprocess.run(_installed_notebase() + ["new", "tip", "rsync로 결과만 가져오기", "--date", "2024-02-19"],
                           cwd=root, capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
    bad = subprocess.run(_installed_notebase() + ["new", "blog", "x"], cwd=root, capture_output=True, text=True,
                         env=env, timeout=60)
    assert bad.returncode == 2 and "unknown type 'blog'" in bad.stderr
