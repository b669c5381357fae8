"""Browsing from the terminal: `notebase tags` and `notebase show`, through CliRunner and the installed command."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli
from notebase.config import load_config
from notebase.load.loader import load
from notebase.cli.show import display_width, format_entry, wrap_line, wrap_markdown
from notebase.site.assemble import assemble
from test_cli import _installed_notebase

PAPER = """---
title: SimCLR 정리
type: 논문
date: 2024-03-12
tags: [GAN, contrastive]
paper_title: A Simple Framework for Contrastive Learning of Visual Representations
authors: [Ting Chen, Simon Kornblith]
venue: ICML
year: 2020
arxiv: "2002.05709"
doi: 10.5555/3524938.3525087
presenter: 김하늘
---
## 목적

레이블 없이 표현을 학습한다. 레이블 없이 표현을 학습한다. 레이블 없이 표현을 학습한다. 레이블 없이 표현을 학습한다.

```python
very_long_code_line = "this line is far longer than the terminal width and must stay exactly as written"
```
"""
CONFERENCE = """---
title: NeurIPS 2023 trip notes
type: conference
event: NeurIPS 2023
location: New Orleans
dates: [2023-12-10, 2023-12-16]
tags: [gan, neurips]
talks:
  - {speaker: Rylan Schaeffer, title: Are Emergent Abilities a Mirage?}
---
Keynotes were long. See [[SimCLR 정리]].
"""
TIP = """---
title: git worktree
type: til
date: 2024-01-15
category: Git
tags: [Git, GAN]
---
Use `git worktree add ../other branch`.
"""
UNDATED = "# 날짜 없는 메모\n\n본문만 있다. #gan\n"
DRAFT = "---\ntitle: 초안\ntype: tip\ndate: 2024-02-01\ndraft: true\ntags: [secret, GAN]\n---\n초안.\n"
LOG = """---
title: TIL log
split: date
type: tip
---
2024.04.01
첫 번째 팁: pathlib은 편하다.

2024.04.02
두 번째 팁: rsync --exclude를 쓴다.
"""
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lab blog</title><link>https://lab.example.org/</link>
<item><title>Feed item with HTML</title><link>https://lab.example.org/a</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate>
<description>&lt;p&gt;First &lt;b&gt;bold&lt;/b&gt; paragraph.&lt;/p&gt;&lt;p&gt;Second one.&lt;/p&gt;</description></item>
</channel></rss>
"""


@pytest.fixture
def root(tmp_path):
    write_notes(tmp_path, {"papers/simclr.md": PAPER, "conferences/neurips.md": CONFERENCE, "tips/git.md": TIP,
                           "memo.md": UNDATED, "draft.md": DRAFT, "til/log.md": LOG, "feeds/lab.xml": FEED})
    return tmp_path


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def test_tags_json_counts_like_the_site(root):
    result = run("--root", root, "tags", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # GAN, gan and GAN again on four published entries (the draft's GAN does not count), one tag.
    assert data[0] == {"kind": "tag", "tag": "GAN", "count": 4, "path": "tags/gan/", "spellings": ["GAN", "gan"]}
    tags = [t for t in data if t["kind"] == "tag"]
    assert data[:len(tags)] == tags  # the tags first, then the topics
    assert "secret" not in {t["tag"] for t in tags}
    counts = [(t["count"], t["tag"].casefold()) for t in tags]
    assert counts == sorted(counts, key=lambda c: (-c[0], c[1]))  # most used first, then by name
    config = load_config(root)
    site = assemble(load(config).entries, config)
    assert [(t["tag"], t["count"], t["path"]) for t in tags] == \
        [(term.label, len(term.ids), term.path) for term in site.tags.terms]
    assert [(t["topic"], t["count"], t["path"]) for t in data[len(tags):]] == \
        [(term.key, len(term.ids), term.path) for term in site.topics.terms]
    no_topics = json.loads(run("--root", root, "tags", "--json", "--no-topics").stdout)
    assert no_topics == tags


def test_tags_text_and_type_filter(root):
    result = run("--root", root, "tags")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "4  GAN  (also gan)"
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    paper = json.loads(run("--root", root, "tags", "--type", "논문", "--json", "--no-topics").stdout)
    assert [(t["tag"], t["count"]) for t in paper] == [("contrastive", 1), ("GAN", 1)]
    bad = run("--root", root, "tags", "--type", "blog")
    assert bad.exit_code == 2 and "unknown type 'blog'" in bad.output and "Traceback" not in bad.output


def test_show_paper_card(root):
    result = run("--root", root, "show", "simclr-정리", "--width", "60")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for part in ("SimCLR 정리", "논문 요약 · 2024-03-12", "#GAN #contrastive", "papers/simclr.md:1",
                 "A Simple Framework for Contrastive", "Ting Chen, Simon Kornblith",
                 "ICML 2020", "김하늘", "https://arxiv.org/abs/2002.05709", "https://doi.org/10.5555/3524938.3525087",
                 "이 글을 링크한 글", "NeurIPS 2023 trip notes", "## 목적"):
        assert part in out, part
    assert "\x1b[" not in out
    # The body is wrapped to the width in terminal cells (Hangul counts two); code stays as written.
    code = 'very_long_code_line = "this line is far longer than the terminal width and must stay exactly as written"'
    assert code in out.splitlines()
    prose = [line for line in out.splitlines() if "레이블" in line]
    assert len(prose) >= 2 and all(display_width(line) <= 60 for line in prose)


def test_show_conference_tip_and_inferred_date(root):
    out = run("--root", root, "show", "NeurIPS", "2023", "trip", "notes").stdout  # a title needs no quotes
    assert "2023-12-10 – 2023-12-16" in out and "New Orleans" in out
    assert "Rylan Schaeffer — Are Emergent Abilities a Mirage?" in out and "NeurIPS 2023" in out
    out = run("--root", root, "show", "git-worktree").stdout  # the title as a slug
    assert "팁 · 2024-01-15" in out and "분류" in out and "Git" in out
    out = run("--root", root, "show", "memo.md").stdout
    assert "날짜 없는 메모" in out and "(추정한 날짜: 파일 수정 시각)" in out


def test_show_html_body_as_text(root):
    out = run("--root", root, "show", "feed item with html").stdout
    assert "https://lab.example.org/a" in out
    assert "First bold paragraph." in out and "<p>" not in out and "<b>" not in out


@pytest.mark.parametrize("query", ["simclr-정리", "SIMCLR", "simclr 정리", "SimCLR 정리", "papers/simclr.md",
                                   "notes/papers/simclr.md", "papers/simclr.md:1", "simclr",
                                   "a simple framework for contrastive learning of visual representations"])
def test_show_finds_by_id_prefix_title_or_path(root, query):
    result = run("--root", root, "show", query, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "simclr"


def test_show_by_path_under_a_configured_notes_folder(root):
    (root / "notes").rename(root / "kb")
    (root / "notebase.yaml").write_text("notes_dir: kb\n", "utf-8")
    result = run("--root", root, "show", "kb/papers/simclr.md", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "simclr"


def test_show_json_has_body_and_backlinks(root):
    data = json.loads(run("--root", root, "show", "simclr-정리", "--json").stdout)
    assert data["type"] == "paper" and data["body_format"] == "markdown"
    assert data["body"].startswith("## 목적") and data["backlinks"] == ["neurips"]
    assert data["authors"] == ["Ting Chen", "Simon Kornblith"]


def test_show_one_item_of_a_log_by_path_and_line(root):
    result = run("--root", root, "show", "til/log.md")
    assert result.exit_code == 1
    assert "'til/log.md' matches 2 entries" in result.stderr
    assert "(til/log.md:6)" in result.stderr and "(til/log.md:9)" in result.stderr
    assert "두 번째 팁" in run("--root", root, "show", "til/log.md:9").stdout


def test_show_unknown_id_suggests_close_ones(root):
    result = run("--root", root, "show", "simclr-정리x")
    assert result.exit_code == 1
    assert "no entry 'simclr-정리x'" in result.stderr and "did you mean 'simclr'?" in result.stderr
    result = run("--root", root, "show", "worktre")  # a word of the title, cut short
    assert result.exit_code == 1 and "did you mean 'git'?" in result.stderr
    result = run("--root", root, "show", "gti worktree")
    assert result.exit_code == 1 and "did you mean 'git'" in result.stderr
    assert "Traceback" not in result.output
    nothing = run("--root", root, "show", "zzzz")
    assert nothing.exit_code == 1 and "no entry 'zzzz'; run 'notebase list'" in nothing.stderr
    missing = run("--root", root, "show")
    assert missing.exit_code == 2 and "Missing argument 'ID" in missing.output


def test_show_ambiguous_prefix_lists_candidates(root):
    write_notes(root, {"tips/git-bisect.md": "---\ntitle: git bisect\ntype: tip\ndate: 2022-11-02\n---\nx\n"})
    result = run("--root", root, "show", "GI")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'GI' matches 2 entries; name one by its id or path:line:" in result.stderr
    assert "  git-bisect  (tips/git-bisect.md:1)" in result.stderr and "  git  (tips/git.md:1)  git worktree" in result.stderr
    assert run("--root", root, "show", "git-b").exit_code == 0
    assert run("--root", root, "show", "GIT").exit_code == 0  # an id, whole, is never ambiguous


def test_format_entry_colour_only_when_asked_and_never_control_characters(root):
    entries = {e.id: e for e in load(load_config(root)).entries}
    import dataclasses

    evil = dataclasses.replace(entries["git"], title="bad\x1b[2Jtitle", date=dt.date(2024, 1, 15))
    plain = format_entry(evil, color=False)
    assert "\x1b" not in plain and "bad [2Jtitle" in plain
    coloured = format_entry(evil, color=True)
    assert "\x1b[1m" in coloured and "\x1b[2J" not in coloured
    english = format_entry(entries["git"], language="en")
    assert "Tech tip · 2024-01-15" in english and "Category" in english


def test_wrap_counts_terminal_cells_and_keeps_structure():
    line = "가나다 " * 30
    wrapped = wrap_line(line, 20)
    assert all(display_width(w) <= 20 for w in wrapped) and "".join(wrapped).replace(" ", "") == line.replace(" ", "")
    body = ("- 첫 항목은 아주 길어서 여러 줄로 나뉘어야 하는 문장이다 정말로 길다\n"
            "> 인용문도 길게 길게 길게 길게 길게 길게 이어진다\n\n| a | b |\n|---|---|\n| " + "x" * 50 + " | y |")
    out = wrap_markdown(body, 24).split("\n")
    assert out[0].startswith("- ") and out[1].startswith("  ") and not out[1].startswith("   -")
    assert all(line.startswith("> ") for line in out if "인용" in line or "이어진다" in line)
    assert "| " + "x" * 50 + " | y |" in out  # tables are never wrapped
    # A hard-wrapped paragraph is joined before wrapping: no ragged half-empty lines.
    assert wrap_markdown("one two\nthree four", 80) == "one two three four"


def test_no_color_is_respected(monkeypatch):
    from notebase.cli import browse_commands as cli_browse

    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_browse.use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_browse.use_color()


def test_installed_command_tags_and_show(root):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run(_installed_notebase() + ["tags", "--json"], cwd=root, capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["tag"] == "GAN"
    out = subprocess.run(_installed_notebase() + ["show", "simclr"], cwd=root, capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0 and "SimCLR 정리" in out.stdout and "\x1b[" not in out.stdout
    out = subprocess.run(_installed_notebase() + ["show", "no-such-entry"], cwd=root, capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 1 and "no entry 'no-such-entry'" in out.stderr and "Traceback" not in out.stderr
