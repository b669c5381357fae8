"""Starting out: `notebase init`, the wrong folder, an empty knowledge base, and build's --output,
--base-url and --drafts. Through CliRunner and the installed command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO, write_notes
from notebase.cli import cli
from notebase.config import load_config, option_names
from notebase.load.loader import load
from notebase.cli.scaffold import workflow_text

TIP = "---\ntitle: {title}\ndate: 2024-03-12\ntype: tip\ntags: [git]\n{extra}---\n{body}\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def installed(*args, cwd=None, timeout=60):
    exe = shutil.which("notebase", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "notebase"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=cwd)


# --- init ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["ko", "en"])
def test_init_writes_a_knowledge_base_that_checks_clean(tmp_path, language):
    kb = tmp_path / "kb"
    result = run("init", kb, "--language", language)
    assert result.exit_code == 0, result.output
    written = result.stdout.split()
    assert sorted(os.path.relpath(p, kb) for p in written) == sorted([
        "notebase.yaml", ".gitignore", "notes/papers/resnet.md", "notes/conferences/2024-06-26-kcc-2024.md",
        "notes/tips/2024-03-20-git-worktree.md"])
    config_text = (kb / "notebase.yaml").read_text("utf-8")
    keys = [m[1] for m in re.finditer(r"^(\w+):", config_text, re.MULTILINE)]
    assert keys == option_names()  # every key, in the documented order
    for key in keys:  # each under a comment saying what it does
        assert re.search(rf"^# .+\n(?:#.*\n)*{key}:", config_text, re.MULTILINE), key
    config = load_config(kb)
    assert config.language == language and config.title == "kb"
    loaded = load(config)
    assert sorted(e.type.value for e in loaded.entries) == ["conference", "paper", "tip"]
    assert loaded.problems == ()
    assert (kb / ".gitignore").read_text("utf-8").split() == ["site/", ".notebase/"]
    assert not (kb / ".github").exists()
    checked = run("--root", kb, "check", "--strict")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.strip().endswith("3 entries from 3 files (1 paper, 1 conference, 1 tip); 0 errors, 0 warnings")


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "notebase.yaml").write_text("title: mine\n", "utf-8")
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert "notebase.yaml already in" in result.stderr and "nothing written" in result.stderr
    assert (tmp_path / "notebase.yaml").read_text("utf-8") == "title: mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebase.yaml"]
    # A workflow in the way stops init just the same, before anything is written.
    other = tmp_path / "other"
    (other / ".github" / "workflows").mkdir(parents=True)
    (other / ".github" / "workflows" / "pages.yml").write_text("name: mine\n", "utf-8")
    result = run("init", other, "--github-pages")
    assert result.exit_code == 1 and ".github/workflows/pages.yml already in" in result.stderr
    assert sorted(p.name for p in other.iterdir()) == [".github"]
    # A folder whose notes/ has notes keeps them: no samples are written beside them.
    write_notes(other, {"papers/resnet.md": "내 메모\n"})
    assert run("init", other).exit_code == 0
    assert (other / "notes" / "papers" / "resnet.md").read_text("utf-8") == "내 메모\n"
    assert not (other / "notes" / "tips").exists()


def test_init_adds_missing_lines_to_an_existing_gitignore(tmp_path):
    (tmp_path / ".gitignore").write_text("*.pyc\nsite/", "utf-8")
    assert run("init", tmp_path).exit_code == 0
    assert (tmp_path / ".gitignore").read_text("utf-8") == "*.pyc\nsite/\n.notebase/\n"
    shutil.rmtree(tmp_path / "notes")
    (tmp_path / "notebase.yaml").unlink()
    assert run("init", tmp_path).exit_code == 0
    assert (tmp_path / ".gitignore").read_text("utf-8") == "*.pyc\nsite/\n.notebase/\n"  # nothing twice


def test_init_github_pages_workflow_builds_with_the_pages_address(tmp_path):
    result = run("init", tmp_path, "--github-pages")
    assert result.exit_code == 0, result.output
    flow = yaml.safe_load((tmp_path / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    commands = [s.get("run", "") for s in steps]
    assert 'notebase build --base-url "${{ steps.pages.outputs.base_url }}/"' in commands
    assert "pip install notebase" in commands
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["jobs"]["deploy"]["needs"] == "build"


def test_readme_shows_the_workflow_init_writes():
    readme = (REPO / "README.md").read_text("utf-8")
    assert workflow_text(".") in readme
    assert "yaml.safe_dump" not in readme  # the recipe is one flag now, not a script editing notebase.yaml
    assert "notebase init" in readme and "--github-pages" in readme


def test_installed_init_then_build_in_an_empty_folder(tmp_path):
    out = installed("init", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "next: notebase build" in out.stderr
    out = installed("build", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "built site/ from 3 entries" in out.stderr and "0 errors, 1 warning\n" in out.stderr
    assert len(list((tmp_path / "site" / "papers").glob("*/index.html"))) == 1
    out = installed("search", "잔차", cwd=tmp_path)
    assert out.returncode == 0 and "ResNet" in out.stdout


# --- the wrong folder ---------------------------------------------------------------------------

def test_a_folder_of_notes_without_notes_dir_is_an_error_with_a_hint(tmp_path):
    (tmp_path / "a.md").write_text(TIP.format(title="A", extra="", body="x"), "utf-8")
    result = run("--root", tmp_path, "build")
    assert result.exit_code == 1
    assert result.stderr == (f"notebase: {tmp_path}: no notes folder 'notes/' here — these notes are right here: "
                             "set notes_dir: . in notebase.yaml, or move them into notes/\n")
    assert not (tmp_path / "site").exists()
    (tmp_path / "notebase.yaml").write_text("notes_dir: .\n", "utf-8")
    result = run("--root", tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert "from 1 entry:" in result.stderr


def test_root_pointing_at_the_notes_folder_says_did_you_mean_root_dotdot(tmp_path):
    notes = write_notes(tmp_path, {"a.md": TIP.format(title="A", extra="", body="x")})
    out = installed("build", cwd=notes)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().endswith("did you mean --root .. ?")
    assert not (notes / "site").exists() and not (notes / ".notebase").exists()
    result = run("--root", notes, "list")
    assert result.exit_code == 1 and "did you mean --root" in result.stderr


def test_build_inside_the_notes_folder_never_writes_site_there(tmp_path):
    (tmp_path / "notebase.yaml").write_text("title: t\n", "utf-8")
    notes = write_notes(tmp_path, {"project/notes/a.md": TIP.format(title="A", extra="", body="x")})
    project = notes / "project"  # it even has a notes/ folder of its own
    out = installed("build", cwd=project)
    assert out.returncode == 1
    assert f"inside the notes of the knowledge base in {tmp_path}" in out.stderr
    assert out.stderr.strip().endswith("did you mean --root ../.. ?")
    assert not (project / "site").exists()


def test_a_missing_root_folder_has_no_line_number(tmp_path):
    result = run("--root", tmp_path, "check")
    assert result.exit_code == 1
    assert re.match(rf"notebase: {re.escape(str(tmp_path))}: no notes folder 'notes/' here — run 'notebase init'",
                    result.stderr)


EMPTY_COMMANDS = [["list"], ["check"], ["build"], ["index"], ["search", "git"], ["tags"], ["show", "x"],
                  ["export", "--bibtex"], ["serve", "--port", "0"]]


@pytest.mark.parametrize("args", EMPTY_COMMANDS, ids=lambda a: a[0])
def test_every_command_answers_cleanly_on_an_empty_knowledge_base(tmp_path, args):
    (tmp_path / "notes").mkdir()
    out = installed("--root", tmp_path, *args, timeout=60)
    assert out.returncode == 1
    assert out.stderr == ("notebase: notes/: the notes folder has no notes — write one with 'notebase new tip "
                          "TITLE' (or run 'notebase init' for samples); if your notes live elsewhere, set "
                          "notes_dir in notebase.yaml\n")
    assert out.stdout == "" and not (tmp_path / "site").exists()


def test_search_answers_on_an_index_with_no_entries(tmp_path):
    write_notes(tmp_path, {"empty.md": ""})  # a note file that yields no entry (and a problem)
    assert run("--root", tmp_path, "index").exit_code == 1
    result = run("--root", tmp_path, "search", "git")
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "0 results" in result.stdout
    write_notes(tmp_path, {"git-worktree.md": TIP.format(title="Git worktree", extra="", body="git worktree add")})
    result = run("--root", tmp_path, "search", "git")
    assert result.exit_code == 0 and "Git worktree" in result.stdout


def test_new_writes_the_first_note_into_an_empty_notes_folder(tmp_path):
    (tmp_path / "notes").mkdir()
    result = run("--root", tmp_path, "new", "tip", "첫 메모")
    assert result.exit_code == 0, result.output
    assert run("--root", tmp_path, "list").exit_code == 0


# --- build --output, --base-url, --drafts, the base_url warning ----------------------------------

@pytest.fixture
def small(tmp_path):
    write_notes(tmp_path, {"git-worktree.md": TIP.format(title="Git worktree", extra="", body="git worktree add"),
                           "초안-메모.md": TIP.format(title="초안 메모", extra="draft: true\n", body="아직 쓰는 중")})
    return tmp_path


def test_build_warns_once_about_a_relative_base_url_and_says_what_to_set(small):
    result = run("--root", small, "build")
    assert result.exit_code == 0
    warning = [line for line in result.stderr.splitlines() if "base_url" in line]
    assert warning == ["notebase.yaml: warning: base_url '/' is not a full address, so links in feeds, the sitemap "
                       "and 404.html are relative (feed readers and search engines need full ones) — set base_url: "
                       "https://<your site>/ in notebase.yaml, or pass --base-url URL"]
    assert "1 error" not in result.stderr and "0 errors, 1 warning\n" in result.stderr
    assert run("--root", small, "build", "--strict").exit_code == 1
    again = run("--root", small, "build")  # nothing changed: the same one warning again
    assert "is up to date" in again.stderr and again.stderr.count("warning: base_url") == 1
    (small / "notebase.yaml").write_text("base_url: https://me.github.io/notes/\n", "utf-8")
    result = run("--root", small, "build", "--strict")
    assert result.exit_code == 0 and "base_url" not in result.stderr


def test_build_base_url_makes_feed_and_sitemap_links_absolute(small):
    result = run("--root", small, "build", "--base-url", "https://me.github.io/notes", "--strict")
    assert result.exit_code == 0, result.output
    sitemap = (small / "site" / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://me.github.io/notes/tips/git-worktree/</loc>" in sitemap
    assert "https://me.github.io/notes/tips/git-worktree/" in (small / "site" / "feed.xml").read_text("utf-8")
    assert "base_url" not in (small / "notebase.yaml").read_text("utf-8") if (small / "notebase.yaml").exists() else True


def test_build_output_writes_elsewhere_and_refuses_a_folder_of_other_files(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("preview") / "public"
    result = run("--root", small, "build", "--output", out)
    assert result.exit_code == 0, result.output
    assert f"built {out}/ from 1 entry:" in result.stderr
    assert (out / "tips" / "git-worktree" / "index.html").is_file() and not (small / "site").exists()
    assert run("--root", small, "build", "-d", out, "--force").exit_code == 0  # an earlier site is replaced
    # The default output again: every page is written there, none linked from the other folder's files.
    assert run("--root", small, "build").exit_code == 0
    assert (small / "site" / "tips" / "git-worktree" / "index.html").stat().st_ino != \
        (out / "tips" / "git-worktree" / "index.html").stat().st_ino
    precious = tmp_path_factory.mktemp("home")
    (precious / "thesis.tex").write_text("\\documentclass{article}", "utf-8")
    result = run("--root", small, "build", "--output", precious)
    assert result.exit_code == 1
    assert "output folder holds other files, which the build would replace" in result.stderr
    assert (precious / "thesis.tex").is_file()


def test_build_drafts_previews_drafts(small):
    assert run("--root", small, "build").exit_code == 0
    assert not (small / "site" / "tips" / "초안-메모").exists()
    result = run("--root", small, "build", "--drafts")
    assert result.exit_code == 0 and "from 2 entries" in result.stderr
    assert (small / "site" / "tips" / "초안-메모" / "index.html").is_file()
    (small / "notebase.yaml").write_text("drafts: true\n", "utf-8")
    assert run("--root", small, "build").exit_code == 0
    assert (small / "site" / "tips" / "초안-메모" / "index.html").is_file()
