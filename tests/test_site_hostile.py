"""Hostile notes and feeds: pages carry nothing live, nothing lands outside site/, every entry stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_notes
from notebase.build import build
from notebase.config import load_config
from notebase.load.loader import load
from sitecheck import broken_links, live_content

HOSTILE_MD = {
    "script.md": (
        "---\ntitle: '<script>alert(1)</script> 제목'\ntags: ['\"><img src=x onerror=alert(1)>', '<b>tag</b>']\n"
        "author: '<svg onload=alert(1)>'\ntype: tip\n---\n"
        "본문 <script>alert('body')</script> 과 <img src=x onerror=\"alert(2)\"> 그리고\n\n"
        "<a href=\"javascript:alert(3)\">a link</a> <a href=\"JaVaScRiPt:alert(4)\">b</a>\n"
        "<a href=\"&#106;avascript:alert(5)\">c</a> <iframe src=\"https://evil.example\"></iframe>\n"
        "<div style=\"background:url(javascript:alert(6))\" onclick=\"x()\">styled</div>\n"
        "<form action=\"https://evil.example\"><input name=q></form><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">\n"
        "<object data=\"x.swf\"></object><embed src=\"x.swf\"><base href=\"https://evil.example/\">\n"
        "<svg><script>alert(7)</script></svg><math><mi xlink:href=\"javascript:alert(8)\">x</mi></math>\n"
    ),
    "links.md": (
        "---\ntitle: Markdown links\ntype: tip\nurl: 'javascript:alert(9)'\n---\n"
        "[click](javascript:alert(10)) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)\n"
        "and [vb](vbscript:msgbox(12)) and ![img](javascript:alert(13)) and [[<script>alert(14)</script>]]\n"
        "and <https://example.org/ok> stays.\n"
    ),
    "escape.md": "---\ntitle: ../../escaped\nid: ../../../../tmp/notebase-escape\ntype: paper\n---\n탈출 시도.\n",
    "slug.md": "---\ntitle: '..'\ntype: tip\n---\n점 두 개 제목.\n",
    "paper.md": (
        "---\ntitle: Paper with bad links\ntype: paper\nauthors: ['<script>x</script>', 'Kim <img src=x onerror=1>']\n"
        "pdf: 'javascript:alert(15)'\nvenue: '<b onmouseover=alert(16)>NeurIPS</b>'\n---\n## 요약\n본문\n"
    ),
}

HOSTILE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>Hostile &lt;b&gt;feed&lt;/b&gt;</title><link>https://blog.example/</link>
<item><title>Escaped &lt;script&gt;alert(1)&lt;/script&gt; title</title><link>javascript:alert(2)</link>
<description>&lt;p&gt;escaped &lt;script&gt;alert(3)&lt;/script&gt;&lt;img src=x onerror=alert(4)&gt;&lt;/p&gt;</description>
<pubDate>Mon, 06 May 2024 10:00:00 +0000</pubDate></item>
<item><title>CDATA item &amp;xxe; &amp;lol3;</title><link>https://blog.example/cdata</link>
<description><![CDATA[<p>cdata <script>alert(5)</script><a href="javascript:alert(6)">x</a><svg onload="alert(7)"></svg></p>]]></description>
<pubDate>Tue, 07 May 2024 10:00:00 +0000</pubDate></item>
<item><title>Entity &xxe; and &lol3;</title><link>https://blog.example/entity</link>
<description>plain</description><pubDate>Wed, 08 May 2024 10:00:00 +0000</pubDate></item>
</channel></rss>
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    write_notes(root, {**HOSTILE_MD, "feeds/hostile.xml": HOSTILE_FEED})
    config = load_config(root)
    report = build(config)
    return root, config, report


def test_nothing_from_content_is_live(hostile):
    root, _, _ = hostile
    assert live_content(root / "site") == []
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "<script>alert" not in text and "<svg onload" not in text and "<iframe" not in text


def test_titles_tags_and_authors_are_escaped(hostile):
    root, _, _ = hostile
    heading = "<h1>&lt;script&gt;alert(1)&lt;/script&gt; 제목</h1>"
    pages = [p.read_text(encoding="utf-8") for p in (root / "site" / "tips").glob("*/index.html")]
    text = next(t for t in pages if heading in t)
    assert "#&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</a>" in text  # the tag, shown as text
    assert "#&lt;b&gt;tag&lt;/b&gt;</a>" in text
    assert "&lt;svg onload=alert(1)&gt;" in text  # the author


def test_nothing_is_written_outside_the_site(hostile):
    root, _, _ = hostile
    assert not Path("/tmp/notebase-escape").exists()
    outside = [p for p in root.rglob("*") if p.is_file() and p.parts[len(root.parts)] not in ("notes", "site", ".notebase")]
    assert outside == []
    for path in (root / "site").rglob("*"):
        assert (root / "site").resolve() in path.resolve().parents


def test_every_entry_is_still_present(hostile):
    root, config, report = hostile
    entries = load(config).entries
    assert report.entries == len(entries) >= len(HOSTILE_MD) + 3
    for entry in entries:
        folder = {"paper": "papers", "conference": "conferences", "tip": "tips"}[entry.type.value]
        assert (root / "site" / folder / entry.id / "index.html").is_file(), entry.id
    assert broken_links(root / "site") == []


def test_no_entity_was_expanded(hostile):
    root, _, _ = hostile
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*") if p.is_file()
                     and p.suffix in (".html", ".xml", ".js"))
    assert "root:x:0:0" not in text and "lollollol" not in text


def test_unsafe_urls_from_front_matter_are_not_links(hostile):
    root, _, _ = hostile
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("index.html"))
    assert 'href="javascript' not in text.lower()
    assert "https://example.org/ok" in text
