"""Stable URLs: an entry's address comes from its file (or `slug:`/`permalink:`), never from a title
that changes; an address that changes anyway leaves a redirect page; aliases get one too.

Driven through CliRunner (`list --json`, `build`), with the built pages read back from disk.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli
from notebase.slug import MAX_SLUG_BYTES, file_slug, item_slug
from sitecheck import broken_links, is_redirect, live_content


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def note(title: str, extra: str = "", body: str = "본문입니다. A body long enough to be recognised when renamed.",
         kind: str = "tip") -> str:
    return f"---\ntitle: {title}\ntype: {kind}\ndate: 2024-03-12\n{extra}---\n{body}\n"


def ids(root) -> dict[str, str]:
    result = run("--root", root, "list", "--json")
    assert result.exit_code == 0, result.output
    return {f"{e['source']['path']}:{e['source']['line']}": e["id"] for e in json.loads(result.stdout)}


def build(root, *flags):
    result = run("--root", root, "build", *flags)
    assert result.exit_code == 0, result.output
    return result


def page(root, path: str) -> str:
    return (root / "site" / path / "index.html").read_text("utf-8")


def refresh(root, path: str) -> str | None:
    """Where the redirect page at `path` sends its reader (relative, unquoted), or None when it is no redirect."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page(root, path))
    return unquote(found[1]) if found else None


# -- ids from files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path, slug", [
    ("papers/simclr.md", "simclr"),
    ("papers/SimCLR 정리.md", "simclr-정리"),
    ("대조 학습/정리 노트.markdown", "정리-노트"),
    ("Meeting notes 1d7a1aefbff0b690c2f1a3b4c5d6e7f8.md", "meeting-notes"),  # Notion's page id
    ("001_1d7a1aefbff0b690.txt", "001"),
    ("deadbeefcafebabe.md", "deadbeefcafebabe"),  # no digit: a word, not an exporter's hash
    ("posts/my-post/index.md", "my-post"),  # a Hugo page bundle is named by its folder
    ("docs/Setup/README.md", "setup"),
    ("content/blog/_index.md", "blog"),
    ("README.md", "readme"),
    ("2024-01-15-git-worktree.md", "2024-01-15-git-worktree"),  # Jekyll keeps the date in the URL too
    ("2023-09-12.md", "2023-09-12"),  # an Obsidian daily note
    ("notes/../../etc/passwd.md", "passwd"),
])
def test_a_file_names_its_page(path, slug):
    assert file_slug(path) == slug


def test_long_hangul_file_names_are_capped_in_bytes_and_stay_readable():
    path = "논문/" + "대조학습" * 60 + ".md"
    slug = file_slug(path)
    assert slug.startswith("대조학습") and len(slug.encode("utf-8")) <= 70
    item = item_slug(path, "아주 긴 항목 제목 " * 30)
    assert item.startswith(slug + "-아주-긴") and len(item.encode("utf-8")) <= MAX_SLUG_BYTES


def test_retitling_a_note_keeps_its_id_and_page(tmp_path):
    write_notes(tmp_path, {"tips/git-worktree.md": note("git worktree로 브랜치 두 개 열기")})
    assert ids(tmp_path) == {"tips/git-worktree.md:1": "git-worktree"}
    build(tmp_path)
    before = page(tmp_path, "tips/git-worktree")
    write_notes(tmp_path, {"tips/git-worktree.md": note("Two branches at once with git worktree")})
    assert ids(tmp_path) == {"tips/git-worktree.md:1": "git-worktree"}
    build(tmp_path)
    after = page(tmp_path, "tips/git-worktree")
    assert "git worktree로" in before and "Two branches at once" in after
    assert [p.parent.name for p in (tmp_path / "site" / "tips").glob("*/index.html")] == ["git-worktree"]


def test_slug_id_and_permalink_name_the_page(tmp_path):
    write_notes(tmp_path, {"a.md": note("A", "slug: my-page\n"), "b.md": note("B", "id: 비_아이디\n"),
                           "c.md": note("C", "permalink: /blog/2024/hello-world/\n"),
                           "d.md": note("D", "permalink: /:categories/:title/\n")})
    assert ids(tmp_path) == {"a.md:1": "my-page", "b.md:1": "비-아이디", "c.md:1": "hello-world", "d.md:1": "d"}


def test_items_of_a_log_and_a_feed_take_their_file_and_their_own_key(tmp_path):
    log = ("---\ntitle: TIL\ntype: tip\nsplit: date\n---\n2024.04.01\npathlib은 편하다.\n\n"
           "2024.04.02\nrsync --exclude로 골라 받는다.\n")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Lab blog</title>\n"
            "<item><title>First post title</title><link>https://lab.example.org/posts/first-post/</link>"
            "<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate><description>one</description></item>\n"
            "<item><title>Second</title><link>https://lab.example.org/?p=2</link>"
            "<pubDate>Wed, 06 Mar 2024 09:00:00 +0900</pubDate><description>two</description></item>"
            "</channel></rss>")
    write_notes(tmp_path, {"til/log.md": log, "feeds/lab.xml": feed})
    found = sorted(ids(tmp_path).values())
    # A numbered post (`?p=2`) is named by its number: every post of such a blog has the same path.
    assert found == ["lab-first-post", "lab-p-2", "log-pathlib은-편하다", "log-rsync-exclude로-골라-받는다"]
    # A feed item keeps its id when its title changes: its link names it.
    write_notes(tmp_path, {"feeds/lab.xml": feed.replace("First post title", "Retitled first post")})
    assert "lab-first-post" in ids(tmp_path).values()


def test_notes_that_share_a_file_name_take_their_folders_and_none_is_first_served(tmp_path):
    write_notes(tmp_path, {"reviews/SimCLR/paper.md": note("SimCLR"), "reviews/MoCo/paper.md": note("MoCo"),
                           "til/log.md": note("log"), "journal/log.md": note("journal"),
                           "paper.md": note("top", "id: paper\n")})
    assert ids(tmp_path) == {"reviews/SimCLR/paper.md:1": "simclr-paper", "reviews/MoCo/paper.md:1": "moco-paper",
                             "til/log.md:1": "til-log", "journal/log.md:1": "journal-log", "paper.md:1": "paper"}


def test_a_digest_presenting_one_paper_twice_keeps_both(tmp_path):
    digest = ("김하늘: Attention Is All You Need for Everything in Vision Today\n\n• 목적: 하나. Method: 둘.\n\n"
              "이바다: Attention Is All You Need for Everything in Vision Today\n\n• 목적: 셋. Method: 넷.\n\n"
              "박구름: Momentum Contrast\n\n• 목적: 다섯. Method: 여섯.\n")
    write_notes(tmp_path, {"digest.md": digest})
    found = sorted(ids(tmp_path).values())
    assert len(found) == len(set(found)) == 3
    assert "digest-attention-is-all-you-need-for-everything-in-vision-today" in found  # the whole title tells it apart
    assert any(i.endswith("-이바다") or i.endswith("-김하늘") for i in found)  # then the presenter


# -- redirects ---------------------------------------------------------------------------------------

def test_a_renamed_file_leaves_a_redirect_and_every_old_address_follows(tmp_path):
    write_notes(tmp_path, {"tips/worktree.md": note("git worktree", body="git worktree add ../other main opens a "
                                                                         "second branch in a folder of its own."),
                           "tips/other.md": note("Other")})
    build(tmp_path)
    (tmp_path / "notes/tips/worktree.md").rename(tmp_path / "notes/tips/git-worktree.md")
    build(tmp_path)
    assert refresh(tmp_path, "tips/worktree") == "../git-worktree/"
    assert not is_redirect(tmp_path / "site/tips/git-worktree/index.html")
    (tmp_path / "notes/tips/git-worktree.md").rename(tmp_path / "notes/tips/worktree-howto.md")
    build(tmp_path)
    # Both earlier addresses send readers to the page where the note is now.
    assert refresh(tmp_path, "tips/worktree") == "../worktree-howto/"
    assert refresh(tmp_path, "tips/git-worktree") == "../worktree-howto/"
    site = tmp_path / "site"
    assert broken_links(site) == [] and live_content(site) == []
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "tips/worktree-howto/" in sitemap and "tips/worktree/<" not in sitemap  # redirects are not indexed
    assert 'name="robots" content="noindex"' in page(tmp_path, "tips/worktree")
    # Deleted: nothing to send a reader to, so no redirect is left either.
    (tmp_path / "notes/tips/worktree-howto.md").unlink()
    build(tmp_path)
    assert not (site / "tips/worktree").exists() and not (site / "tips/git-worktree").exists()


def test_a_redirect_never_replaces_a_real_page(tmp_path):
    write_notes(tmp_path, {"tips/a.md": note("First")})
    build(tmp_path)
    (tmp_path / "notes/tips/a.md").rename(tmp_path / "notes/tips/b.md")
    write_notes(tmp_path, {"tips/a.md": note("A new note at the old address", body="Entirely different text here, "
                                                                                    "nothing like the first one.")})
    build(tmp_path)
    assert refresh(tmp_path, "tips/a") is None and "A new note at the old address" in page(tmp_path, "tips/a")


def test_a_note_that_changes_type_is_followed_to_its_new_folder(tmp_path):
    write_notes(tmp_path, {"x.md": note("X", kind="tip")})
    build(tmp_path)
    write_notes(tmp_path, {"x.md": note("X", kind="paper", extra="authors: [A Kim]\n")})
    build(tmp_path)
    assert refresh(tmp_path, "tips/x") == "../../papers/x/"


def test_an_item_retitled_in_place_is_followed(tmp_path):
    log = "---\ntitle: TIL\ntype: tip\nsplit: date\n---\n2024.04.01\n{first}\n\n2024.04.02\nrsync --exclude로 골라 받는다.\n"
    write_notes(tmp_path, {"log.md": log.format(first="pathlib은 편하다.")})
    build(tmp_path)
    write_notes(tmp_path, {"log.md": log.format(first="pathlib.Path.glob이 편하다.")})
    build(tmp_path)
    assert refresh(tmp_path, "tips/log-pathlib은-편하다") == "../log-pathlib-path-glob이-편하다/"


def test_the_history_lives_in_the_cache_folder_and_a_lost_one_only_loses_redirects(tmp_path):
    write_notes(tmp_path, {"a.md": note("A")})
    build(tmp_path)
    history = json.loads((tmp_path / ".notebase" / "urls.json").read_text("utf-8"))
    assert [p["path"] for p in history["pages"]] == ["tips/a/"]
    (tmp_path / ".notebase" / "urls.json").write_text("{not json", "utf-8")
    (tmp_path / "notes/a.md").rename(tmp_path / "notes/b.md")
    build(tmp_path)
    assert (tmp_path / "site/tips/b/index.html").is_file() and not (tmp_path / "site/tips/a").exists()


# -- aliases -----------------------------------------------------------------------------------------

def test_aliases_resolve_wikilinks_and_get_redirect_pages(tmp_path):
    write_notes(tmp_path, {
        "contrastive.md": note("Contrastive learning", "aliases: [대조 학습, CL]\n"),
        "moco.md": note("MoCo", "aliases: Momentum Contrast\n"),  # a string is one alias
        "logseq.md": "title:: Logseq page\ntype:: tip\nalias:: 로그seq, LS page\n\nA page with properties.\n",
        "hugo.md": note("Hugo post", "aliases: [/posts/old-hugo-address/]\nredirect_from: /2019/01/jekyll.html\n"),
        "links.md": note("Links", body="[[대조 학습]], [[cl|short]], [[Momentum Contrast]], [[LS page]]."),
    })
    result = build(tmp_path, "--strict", "--base-url", "https://example.org/")
    assert "0 errors, 0 warnings" in result.stderr
    links = page(tmp_path, "tips/links")
    for target in ("../contrastive/", "../moco/", "../logseq/"):
        assert f'class="wikilink" href="{target}"' in links, target
    assert "unresolved" not in links
    assert refresh(tmp_path, "tips/대조-학습") == "../contrastive/"
    assert refresh(tmp_path, "tips/cl") == "../contrastive/"
    assert refresh(tmp_path, "tips/momentum-contrast") == "../moco/"
    assert refresh(tmp_path, "tips/로그seq") == "../logseq/"
    assert refresh(tmp_path, "posts/old-hugo-address") == "../../tips/hugo/"
    jekyll = (tmp_path / "site/2019/01/jekyll.html").read_text("utf-8")
    assert 'content="0; url=../../tips/hugo/"' in jekyll
    assert broken_links(tmp_path / "site") == []
    backlinks = page(tmp_path, "tips/contrastive")
    assert 'href="../links/"' in backlinks  # a link by alias is a backlink too


def test_an_alias_that_is_another_page_is_refused_with_a_warning(tmp_path):
    write_notes(tmp_path, {"a.md": note("A", "aliases: [b, /tags/, ../../escape, '/c:/x/', '!!!']\n"),
                           "b.md": note("B")})
    result = run("--root", tmp_path, "build")
    assert "a.md:1: warning: alias 'b' is the address of b.md; no redirect made there" in result.stderr
    assert result.exit_code == 0 and run("--root", tmp_path, "build", "--strict", "--force").exit_code == 1
    check = run("--root", tmp_path, "check")
    assert "a.md:1: warning: alias 'b' is the address of b.md; no redirect made there" in check.stderr
    assert "a.md:1: warning: alias '/tags/' cannot be an address of this site" in result.stderr
    assert "alias '/c:/x/' cannot be an address" in result.stderr and "alias '!!!' cannot be an address" in result.stderr
    assert refresh(tmp_path, "tips/b") is None
    assert not (tmp_path / "escape").exists() and not (tmp_path / "site" / "escape").exists()
    assert refresh(tmp_path, "tips/escape") == "../a/"  # a name, made a slug: it stays inside the site
