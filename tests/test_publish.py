"""What gets published: `exclude:` and the root's .gitignore by git's rules, `publish:` and
`explicit_publish`, and Obsidian's `cssclasses` on the entry's <article>."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli
from notebase.config import load_config
from notebase.load.files import walk

NOTE = "---\ntitle: {title}\ndate: 2024-03-12\ntype: tip\ntags: [t]\n{extra}---\nbody of {title}\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def note(title, extra=""):
    return NOTE.format(title=title, extra=extra)


def listed(root):
    result = run("--root", root, "list", "--json")
    assert result.exit_code == 0, result.output
    return sorted(e["source"]["path"] for e in json.loads(result.stdout))


@pytest.fixture
def tree(tmp_path):
    write_notes(tmp_path, {
        "a.md": note("A"), "private/secret.md": note("Secret"), "work/private/deep.md": note("Deep"),
        "privateer.md": note("Privateer"), "draft.md": note("Top draft"), "sub/draft.md": note("Sub draft"),
        "x.tmp.md": note("Tmp"), "sub/keep.tmp.md": note("Keep"), "journal/2024/day.md": note("Day"),
    })
    return tmp_path


def test_exclude_follows_gitignore_rules(tree):
    (tree / "notebase.yaml").write_text(
        'exclude: [private, /draft.md, "*.tmp.md", "!keep.tmp.md", "journal/"]\n', "utf-8")
    assert listed(tree) == ["a.md", "privateer.md", "sub/draft.md", "sub/keep.tmp.md"]
    assert [rel for rel, _ in walk(load_config(tree))] == ["a.md", "privateer.md", "sub/draft.md", "sub/keep.tmp.md"]


def test_the_roots_gitignore_is_honoured_relative_to_the_root(tree):
    (tree / ".gitignore").write_text("site/\n.notebase/\nnotes/private/\n/notes/draft.md\n*.tmp.md\n", "utf-8")
    assert listed(tree) == ["a.md", "journal/2024/day.md", "privateer.md", "sub/draft.md", "work/private/deep.md"]
    # The build sees a .gitignore edit as a change, and the page of a note it now leaves out goes.
    assert run("--root", tree, "build").exit_code == 0
    assert (tree / "site" / "tips" / "day" / "index.html").is_file()
    (tree / ".gitignore").write_text("journal\n", "utf-8")
    result = run("--root", tree, "build")
    assert "is up to date" not in result.stderr
    assert not (tree / "site" / "tips" / "day").exists()
    hits = json.loads(run("--root", tree, "search", "body", "--json", "--limit", "50").stdout)
    assert "Day" not in [h["title"] for h in hits] and "A" in [h["title"] for h in hits]


def test_notes_dir_dot_with_a_gitignore(tmp_path):
    (tmp_path / "notebase.yaml").write_text("notes_dir: .\n", "utf-8")
    (tmp_path / "a.md").write_text(note("A"), "utf-8")
    (tmp_path / "README.md").write_text("# Read me\n\nabout this vault\n", "utf-8")
    (tmp_path / ".gitignore").write_text("README.md\n", "utf-8")
    assert listed(tmp_path) == ["a.md"]


@pytest.fixture
def pub(tmp_path):
    write_notes(tmp_path, {
        "plain.md": note("Plain"), "hidden.md": note("Hidden", "publish: false\n"),
        "shown.md": note("Shown", "publish: true\n"), "draft.md": note("Draft", "draft: true\npublish: true\n"),
        "quoted.md": note("Quoted", 'publish: "no"\n'),
    })
    (tmp_path / "notebase.yaml").write_text("base_url: https://example.org/\n", "utf-8")
    return tmp_path


def site_titles(root):
    data = (root / "site" / "sitemap.xml").read_text("utf-8")
    return sorted(name for name in ("plain", "hidden", "shown", "draft", "quoted") if f"/tips/{name}/" in data)


def test_publish_false_leaves_a_note_out_of_the_site(pub):
    result = run("--root", pub, "build", "--strict")
    assert result.exit_code == 0, result.output  # publish: is a known key, no warning
    assert site_titles(pub) == ["plain", "shown"]
    assert not (pub / "site" / "tips" / "hidden").exists()
    for page in ("feed.xml", "tags/t/index.html", "index.html", "search/data/docs.js"):
        assert "Hidden" not in (pub / "site" / page).read_text("utf-8"), page
    # The command line still sees it: it is your note, only not published.
    assert "hidden.md" in listed(pub)
    result = run("--root", pub, "tags", "--json")
    assert json.loads(result.stdout)[0]["count"] == 2


def test_explicit_publish_publishes_only_notes_marked_true(pub):
    (pub / "notebase.yaml").write_text("base_url: https://example.org/\nexplicit_publish: true\n", "utf-8")
    assert run("--root", pub, "build").exit_code == 0
    assert site_titles(pub) == ["shown"]
    assert run("--root", pub, "build", "--drafts").exit_code == 0
    assert site_titles(pub) == ["draft", "shown"]


def test_cssclasses_go_on_the_article(tmp_path):
    write_notes(tmp_path, {
        "a.md": note("Wide", "cssclasses: [wide, no-title, 'bad\"><script>', 'x y']\n"),
        "b.md": note("Legacy", "cssclass: cards\n"),
        "c.md": note("Plain"),
    })
    result = run("--root", tmp_path, "build", "--strict", "--base-url", "https://example.org/")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "tips" / "a" / "index.html").read_text("utf-8")
    assert '<article class="entry entry-tip wide no-title">' in page and 'bad"' not in page
    assert '<article class="entry entry-tip cards">' in (tmp_path / "site" / "tips" / "b" / "index.html").read_text("utf-8")
    assert '<article class="entry entry-tip">' in (tmp_path / "site" / "tips" / "c" / "index.html").read_text("utf-8")
