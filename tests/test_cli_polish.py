"""CLI polish: plurals, what `search` filtered by and which dates it guessed, C++ and C# as words,
`index --rebuild`, export warnings and duplicate papers, shell completion."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO, write_notes
from notebase.cli import cli, count
from notebase.search.analysis import terms

NOTE = "---\ntitle: {title}\n{date}type: {type}\ntags: [{tags}]\n---\n{body}\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def one(tmp_path):
    write_notes(tmp_path, {"a.md": NOTE.format(title="Git worktree", date="date: 2024-03-12\n", type="tip",
                                               tags="git", body="git worktree add ../x")})
    (tmp_path / "notebase.yaml").write_text("base_url: https://example.org/\n", "utf-8")
    return tmp_path


def test_count_says_one_entry_and_two_entries():
    assert [count(n, "entry", "entries") for n in (0, 1, 2)] == ["0 entries", "1 entry", "2 entries"]
    assert count(1, "warning") == "1 warning" and count(3, "error") == "3 errors"


def test_summaries_use_the_singular_for_one(one):
    (one / "notes" / "b.md").write_text("---\ntitle: B\ndate: 2024-01-01\ntype: tip\nfoo: 1\n---\nx\n", "utf-8")
    checked = run("--root", one, "check")
    summary = checked.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"2 entries from 2 files \(0 papers, 0 conferences, 2 tips\); 0 errors, \d+ warnings?", summary)
    built = run("--root", one, "build")
    assert re.search(r"built site/ from 2 entries: \d+ files, \d+ changed, in [\d.]+ s; 0 errors, 1 warning$",
                     built.stderr.splitlines()[-2]), built.stderr
    (one / "notes" / "b.md").unlink()
    built = run("--root", one, "build")
    assert "from 1 entry:" in built.stderr and "0 errors, 0 warnings" in built.stderr
    assert "search index updated: 0 added, 0 changed, 1 removed; 1 entry" in built.stderr
    again = run("--root", one, "build")
    assert re.search(r"site/ is up to date: 1 entry, \d+ files; 0 errors, 0 warnings", again.stderr)
    indexed = run("--root", one, "index")
    assert "search index up to date: 1 entry (read 0 files in" in indexed.stderr


# --- search --------------------------------------------------------------------------------------

@pytest.fixture
def mixed(tmp_path):
    write_notes(tmp_path, {
        "stated.md": NOTE.format(title="C++ 템플릿 정리", date="date: 2023-05-02\n", type="tip", tags="cpp",
                                 body="C++ 템플릿 특수화와 C#의 제네릭을 비교했다."),
        "guessed.md": NOTE.format(title="Unity 스크립트 메모", date="", type="tip", tags="unity",
                                  body="Unity에서는 C#으로 스크립트를 쓴다."),
        "plain.md": NOTE.format(title="C 언어 포인터", date="date: 2022-01-10\n", type="tip", tags="c",
                                body="C 언어의 포인터 산술. A+ 학점과는 무관하다."),
    })
    return tmp_path


def test_cpp_and_csharp_are_words(mixed):
    assert terms("C++와 C#, F#, g++ 그리고 c++17") == ["c++", "c#", "f#", "g++", "그리", "리고", "17"]
    assert terms("issue#12 notepad++ a+b") == ["issue", "12", "notepad"]  # only one letter takes ++ or #
    result = run("--root", mixed, "search", "C++", "--json")
    assert result.exit_code == 0, result.output
    assert [h["title"] for h in json.loads(result.stdout)] == ["C++ 템플릿 정리"]
    result = run("--root", mixed, "search", "c#", "--json")
    assert sorted(h["title"] for h in json.loads(result.stdout)) == ["C++ 템플릿 정리", "Unity 스크립트 메모"]
    hit = json.loads(run("--root", mixed, "search", "C++", "--json").stdout)[0]
    assert hit["highlights"] and hit["snippet"][slice(*hit["highlights"][0])] == "C++"


def test_search_marks_guessed_dates_as_list_does(mixed):
    listed = run("--root", mixed, "list").stdout
    guessed_line = next(line for line in listed.splitlines() if "Unity" in line)
    guessed_date = guessed_line.split()[0]
    assert guessed_date.endswith("~")
    shown = run("--root", mixed, "search", "c#").stdout
    assert f"tip · {guessed_date} · #unity" in shown
    assert "tip · 2023-05-02 · #cpp" in shown  # a stated date has no mark
    data = {h["title"]: h for h in json.loads(run("--root", mixed, "search", "c#", "--json").stdout)}
    assert data["Unity 스크립트 메모"]["date_inferred"] is True and data["C++ 템플릿 정리"]["date_inferred"] is False


def test_search_header_shows_the_filters_it_applied(mixed):
    result = run("--root", mixed, "search", "c#", "--type", "til", "--tag", "CPP", "--since", "2023-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "1 result for 'c#'; filtered by type:tip, tag:cpp, date:2023-01-01.."
    result = run("--root", mixed, "search", "포인터", "year:2022", "-tag:unity", "--until", "2022-06")
    head = result.stdout.splitlines()[0]
    assert head.startswith("1 result for '포인터 year:2022 -tag:unity'; filtered by ")
    assert "date:..2022-06-30,2022" in head and "-tag:unity" in head
    result = run("--root", mixed, "search", "c#", "--tag", "nothing")
    assert result.exit_code == 1 and result.stdout.startswith("0 results for 'c#'; filtered by tag:nothing")


def test_index_rebuild_does_not_say_there_was_no_index(one):
    first = run("--root", one, "index", "--rebuild")
    assert "search index built: 1 entry (no index yet)" in first.stderr
    again = run("--root", one, "index", "--rebuild")
    assert again.exit_code == 0
    assert "search index built: 1 entry (from scratch, as asked)" in again.stderr
    assert "no index yet" not in again.stderr


# --- export --bibtex -------------------------------------------------------------------------------

def paper(title, **fields):
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "type: paper", "date: 2024-01-01"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(lines + ["---", "## 목적", "", "요약.", ""])


def test_export_warns_for_each_paper_without_authors_or_year_and_merges_duplicates(tmp_path):
    write_notes(tmp_path, {
        "a-resnet.md": paper("ResNet 요약", paper_title='"Deep Residual Learning for Image Recognition"',
                             authors="[Kaiming He, Xiangyu Zhang]", year=2016, venue="CVPR"),
        # The same paper again: by its title, spelled another way (case, punctuation, spacing).
        "b-resnet-again.md": paper("ResNet 다시", paper_title='"deep residual learning — for image recognition!"',
                                   arxiv='"1512.03385"'),
        # By arXiv id alone, under another title.
        "c-resnet-third.md": paper("잔차 학습", arxiv="https://arxiv.org/abs/1512.03385v1"),
        # By DOI, in two spellings.
        "d-survey.md": paper("서베이", paper_title='"A Survey"', year=2019, doi='"10.1186/S40537-019-0197-0"'),
        "e-survey-again.md": paper("서베이 또", doi="https://doi.org/10.1186/s40537-019-0197-0",
                                   authors="[Connor Shorten]"),
        "f-lonely.md": paper("저자 없는 논문", paper_title='"Nameless Paper"'),
    })
    result = run("--root", tmp_path, "export", "--bibtex")
    assert result.exit_code == 0, result.output
    keys = re.findall(r"^@\w+\{([^,]+),", result.stdout, re.MULTILINE)
    assert keys == ["he2016deep", "nameless", "shorten2019survey"]
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert warnings == ["f-lonely.md:1: warning: paper 'Nameless Paper' has no authors and no year: its BibTeX entry "
                        "nameless will print without — add authors: [A, B] and year: YYYY to the note"]


def test_export_warns_for_a_paper_without_a_year(tmp_path):
    write_notes(tmp_path, {"p.md": paper("Yearless", authors="[Jane Doe]", venue="ICML")})
    result = run("--root", tmp_path, "export", "--bibtex")
    assert result.exit_code == 0
    assert "p.md:1: warning: paper 'Yearless' has no year: its BibTeX entry doeyearless will print without — add year: " \
           "YYYY to the note" in result.stderr


# --- completion ----------------------------------------------------------------------------------

def test_shell_completion_is_documented_and_works():
    readme = (REPO / "README.md").read_text("utf-8")
    assert "_NOTEBASE_COMPLETE=bash_source notebase" in readme
    exe = shutil.which("notebase", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.skip("notebase is not installed as a command")
    env = dict(os.environ, _NOTEBASE_COMPLETE="bash_source")
    script = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=60).stdout
    assert "_notebase_completion" in script and "complete -o nosort -F _notebase_completion notebase" in script
    env = dict(os.environ, _NOTEBASE_COMPLETE="bash_complete", COMP_WORDS="notebase bu", COMP_CWORD="1")
    answer = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=60).stdout
    assert "plain,build" in answer
