"""Site polish from a newcomer's first hour: bare URLs are links, summaries read as sentences, the
last-updated date reaches the sitemap, Atom and the page, and a log's items name it readably.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli import cli
from notebase.render.markup import render

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def html_of(text: str) -> str:
    return render(text, "markdown", source_path="a.md", first_line=1, page_path="tips/a/", targets={}).html


# -- bare URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, link, after", [
    ("논문은 https://arxiv.org/abs/2002.05709 에 있다", "https://arxiv.org/abs/2002.05709", " 에 있다"),
    ("see https://arxiv.org/abs/2002.05709.", "https://arxiv.org/abs/2002.05709", "."),
    ("코드는 https://github.com/google-research/simclr에서 받는다", "https://github.com/google-research/simclr", "에서"),
    ("(https://example.org/a_(b))", "https://example.org/a_(b)", ")"),
    ("https://ko.wikipedia.org/wiki/대조_학습 문서", "https://ko.wikipedia.org/wiki/%EB%8C%80%EC%A1%B0_%ED%95%99%EC%8A%B5",
     " 문서"),
    ("mail kim@example.ac.kr", "mailto:kim@example.ac.kr", ""),
])
def test_bare_urls_become_links(text, link, after):
    html = html_of(text)
    found = re.search(r'<a href="([^"]+)" rel="noopener noreferrer">([^<]+)</a>(.*?)</p>', html)
    assert found and found[1] == link and found[3].startswith(after), html


@pytest.mark.parametrize("text", ["README.md and setup.py", "www.example.com", "`https://in.code/x`",
                                  "```\nhttps://in.block/x\n```", "http\\://escaped.example", "a//b",
                                  "javascript:alert(1)", "[text](https://already.link) only"])
def test_what_is_not_a_bare_url_stays_as_it_is(text):
    html = html_of(text)
    assert html.count("<a ") == text.count("](")  # only the link written as a link


def test_many_links_and_long_lines_stay_fast():
    started = time.monotonic()
    html_of("see https://x.example/a and *b*\n" * 3000)  # a paragraph of links: one rebuild, not one per link
    html_of("http://" * 30000)  # linkify-it is not linear on one huge run: such runs are left alone
    html_of("http://x.example/" + "[a" * 5000)
    assert time.monotonic() - started < 60  # a hang guard, generous: measured well under a second each


# -- summaries ---------------------------------------------------------------------------------------

def test_summaries_drop_headings_and_hashtags(tmp_path):
    write_notes(tmp_path, {
        "a.md": "---\ntitle: Note\ntype: tip\ndate: 2024-01-01\n---\n# Note heading\n\n#ml #vision\n\n"
                "## 목적\n\n대조 학습을 #pytorch 로 해 본다.\n\n```\n# 코드 주석\n```\n",
        "b.md": "---\ntitle: Setext\ntype: tip\ndate: 2024-01-01\n---\nA heading\n=========\n\nThe first real sentence.\n",
    })
    result = run("--root", tmp_path, "list", "--json")
    import json

    summaries = {e["source"]["path"]: e for e in json.loads(result.stdout)}
    assert summaries["a.md"]["text"].startswith("Note heading")  # the text itself keeps everything
    run("--root", tmp_path, "build")
    home = (tmp_path / "site/index.html").read_text("utf-8")
    assert '<p class="summary">대조 학습을 pytorch 로 해 본다. 코드 주석</p>' in home
    assert '<p class="summary">The first real sentence.</p>' in home


# -- last updated --------------------------------------------------------------------------------------

def test_the_sitemap_is_well_formed_xml_whatever_the_base_url_and_names(tmp_path):
    """The sitemap is written as text: markup in the base URL or a name is escaped, every page is listed once."""
    write_notes(tmp_path, {
        "a <b> & c.md": "---\ntitle: A <b> & c\ntype: tip\ndate: 2024-01-01\n---\ntext\n",
        "d.md": "---\ntitle: D\ntype: tip\ndate: 2024-01-02\ntags: [x&y]\n---\ntext\n",
    })
    base = "https://example.org/a&b<c>/"
    assert run("--root", tmp_path, "build", "--base-url", base).exit_code == 0
    site = tmp_path / "site"
    locs = [u.findtext(f"{SITEMAP}loc") for u in ET.parse(site / "sitemap.xml").getroot()]
    assert locs == sorted(set(locs)) and all(loc.startswith(base) for loc in locs)
    pages = {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    assert len(locs) == len(pages) > 5
    assert (site / "sitemap.xml").read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<urlset ")


def test_lastmod_feeds_the_sitemap_atom_and_the_page(tmp_path):
    write_notes(tmp_path, {
        "a.md": "---\ntitle: Edited\ntype: tip\ndate: 2024-01-01\nlastmod: 2024-06-30\n---\ntext\n",
        "b.md": "---\ntitle: Jekyll\ntype: tip\ndate: 2024-01-02\nlast_modified_at: 2024-05-05\n---\ntext\n",
        "c.md": "---\ntitle: Unchanged\ntype: tip\ndate: 2024-02-01\n---\ntext\n",
        "d.md": "---\ntitle: Old stamp\ntype: tip\ndate: 2024-03-01\nupdated: 2023-12-31\n---\ntext\n",
    })
    assert run("--root", tmp_path, "build", "--base-url", "https://example.org/").exit_code == 0
    site = tmp_path / "site"
    sitemap = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in ET.parse(site / "sitemap.xml").getroot()}
    assert sitemap["https://example.org/tips/a/"] == "2024-06-30"
    assert sitemap["https://example.org/tips/b/"] == "2024-05-05"
    assert sitemap["https://example.org/tips/c/"] == "2024-02-01"
    assert sitemap["https://example.org/tips/d/"] == "2024-03-01"  # an `updated` before the date says nothing new
    atom = ET.parse(site / "atom.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in atom.findall(f"{ATOM}entry")}
    assert entries["Edited"].findtext(f"{ATOM}updated") == "2024-06-30T00:00:00+00:00"
    assert entries["Edited"].findtext(f"{ATOM}published") == "2024-01-01T00:00:00+00:00"
    assert entries["Unchanged"].findtext(f"{ATOM}updated") == "2024-02-01T00:00:00+00:00"
    assert atom.findtext(f"{ATOM}updated") == "2024-06-30T00:00:00+00:00"  # the newest change of any entry
    page = (site / "tips/a/index.html").read_text("utf-8")
    assert '<span class="updated">Updated <time datetime="2024-06-30">2024-06-30</time></span>' in page \
        or '<span class="updated">고침 <time datetime="2024-06-30">2024-06-30</time></span>' in page
    assert 'class="updated"' not in (site / "tips/c/index.html").read_text("utf-8")
    assert 'class="updated"' not in (site / "tips/d/index.html").read_text("utf-8")


# -- a log's name --------------------------------------------------------------------------------------

def test_items_name_their_log_readably(tmp_path):
    log = "---\nsplit: date\n---\n{head}2024.04.01\n첫 번째 팁: pathlib은 편하다.\n\n2024.04.02\n두 번째 팁: rsync를 쓴다.\n"
    write_notes(tmp_path, {"001_1d7a1aefbff0b690.md": log.format(head=""), "til-2024.md": log.format(head=""),
                           "titled.md": log.format(head="# 나의 TIL 모음\n\n")})
    assert run("--root", tmp_path, "build").exit_code == 0
    pages = {p.parent.name: p.read_text("utf-8") for p in (tmp_path / "site/tips").glob("*/index.html")}

    def footer(prefix):
        text = next(v for k, v in pages.items() if k.startswith(prefix))
        return re.search(r'<p class="source">(.*?)</p>', text, re.S)[1]

    assert "1d7a1aefbff0b690</code> ·" not in footer("001-") and "001 1d7a1aefbff0b690" not in footer("001-")
    assert "<code>til-2024.md:" in footer("til-2024-") and "· til 2024" in footer("til-2024-")
    assert "· 나의 TIL 모음" in footer("titled-")
