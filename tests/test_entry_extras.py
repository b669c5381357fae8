"""Entry pages: an untitled talk is just its speaker, long entries say how long they take to read,
and an "edit this file" link appears when the repository is configured."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


CONF = """---
title: Workshop day
type: conference
event: Workshop
start: 2024-05-02
talks:
  - {speaker: 홍길동, title: 대조 학습}
  - {speaker: Jane Doe}
---
Notes.
"""
LONG_EN = "---\ntitle: Long read\ndate: 2024-05-01\ntype: tip\n---\n" + ("word " * 1200) + "\n"
LONG_KO = "---\ntitle: 긴 글\ndate: 2024-05-01\ntype: tip\n---\n" + ("가나다라마 " * 400) + "\n"
SHORT = "---\ntitle: Short 메모\ndate: 2024-05-03\ntype: tip\n---\nA few words.\n"


def build(root, config="base_url: https://example.org/\nlanguage: en\n"):
    (root / "notebase.yaml").write_text(config, "utf-8")
    result = run("--root", root, "build", "--strict")
    assert result.exit_code == 0, result.output
    return lambda path: (root / "site" / path / "index.html").read_text("utf-8")


def test_an_untitled_talk_is_its_speaker_alone(tmp_path):
    write_notes(tmp_path, {"conf.md": CONF})
    page = build(tmp_path)("conferences/conf")
    assert '<span class="speaker">홍길동</span> — 대조 학습</li>' in page
    assert '<li><span class="speaker">Jane Doe</span></li>' in page


def test_reading_time_shows_on_long_entries_only(tmp_path):
    write_notes(tmp_path, {"long.md": LONG_EN, "ko.md": LONG_KO, "short.md": SHORT})
    page = build(tmp_path)
    assert '<span class="reading-time">5 min read</span>' in page("tips/long")  # 1,200 words
    assert '<span class="reading-time">4 min read</span>' in page("tips/ko")  # 2,000 syllables
    assert "reading-time" not in page("tips/short")
    page = build(tmp_path, "base_url: https://example.org/\nlanguage: ko\n")
    assert '<span class="reading-time">5분 분량</span>' in page("tips/long")


def test_edit_link_when_a_repository_is_configured(tmp_path):
    write_notes(tmp_path, {"til/short.md": SHORT})
    page = build(tmp_path)
    assert "edit-link" not in page("tips/short")
    page = build(tmp_path, "base_url: https://example.org/\nlanguage: en\nrepo_url: https://github.com/me/notes/\n")
    assert ('<a class="edit-link" href="https://github.com/me/notes/edit/main/notes/til/short.md" '
            'rel="noopener noreferrer">Edit this file</a>') in page("tips/short")
    page = build(tmp_path, "base_url: https://example.org/\nrepo_url: https://gitlab.com/me/notes\n"
                           "edit_uri: -/edit/dev/notes/\n")
    assert 'href="https://gitlab.com/me/notes/-/edit/dev/notes/til/short.md"' in page("tips/short")
    assert ">이 파일 고치기</a>" in page("tips/short")


def test_repo_url_must_be_a_web_address(tmp_path):
    write_notes(tmp_path, {"a.md": SHORT})
    (tmp_path / "notebase.yaml").write_text("repo_url: javascript:alert(1)\n", "utf-8")
    result = run("--root", tmp_path, "build")
    assert result.exit_code == 1
    assert "notebase.yaml:1: 'repo_url' must be an http(s) address" in result.stderr
