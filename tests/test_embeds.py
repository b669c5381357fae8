"""Note embeds: `![[note]]` and `![[note#Heading]]` show the note or its section in the page, with a
link to it; loops and depth are bounded; the embedded text is sanitised like any body.

Built through CliRunner and read back from the written pages; one check drives `LiveSite` (what
`notebase serve` runs) to see an edit to an embedded note reach the page that embeds it.
"""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from conftest import REPO, write_notes
from notebase.cli import cli
from notebase.config import load_config
from notebase.serve.live import LiveSite
from notebase.render.embed import MAX_EMBEDS, section
from sitecheck import Page, broken_links, live_content


def note(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ntype: tip\ndate: 2024-03-12\n{extra}---\n{body}\n"


GUEST = note("대조 학습 정리", """## 목적

레이블 없이 표현을 배운다.[^1] <script>alert(1)</script><img src=x onerror=alert(2)>

![그림](fig.png)

## 방법

두 view를 가깝게 당긴다.

```
## 코드 속 제목은 제목이 아니다
```

### 세부

온도 τ를 쓴다.

## 실험

ImageNet에서 잰다.

[^1]: 손님 각주.
""", "aliases: [CL notes]\n")
HOST = note("Host", """첫 문단.

![[대조 학습 정리]]

![[guest#방법]]

문장 속 ![[guest]] 은 링크로 남는다.

내 각주.[^1]

[^1]: 주인 각주.
""")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def built(tmp_path, files: dict[str, str | bytes]):
    write_notes(tmp_path, files)
    result = run("--root", tmp_path, "build")
    return result


def body(tmp_path, path: str) -> str:
    html = (tmp_path / "site" / path / "index.html").read_text("utf-8")
    return html[html.index('<div class="body">'):html.index('<footer class="entry-foot">')]


def test_a_note_and_a_section_are_shown_inline_with_a_link(tmp_path):
    png = (REPO / "notes/obsidian/diagram.png").read_bytes()
    result = built(tmp_path, {"guest.md": GUEST, "host.md": HOST, "fig.png": png})
    assert result.exit_code == 0, result.output
    html = body(tmp_path, "tips/host")
    boxes = re.findall(r'<aside class="note-embed">.*?</aside>', html, re.S)
    assert len(boxes) == 2
    whole, part = boxes
    assert '<p class="note-embed-title"><a href="../guest/">대조 학습 정리</a></p>' in whole
    assert "레이블 없이 표현을 배운다" in whole and "ImageNet에서 잰다" in whole
    # The section: its heading and what is under it, down to the next heading of its level.
    assert '<a href="../guest/#방법">대조 학습 정리 › 방법</a>' in part
    assert "두 view를 가깝게" in part and "온도 τ를 쓴다" in part and "코드 속 제목은" in part
    assert "레이블 없이" not in part and "ImageNet" not in part
    # In a sentence it stays a link, as before.
    assert '문장 속 <a class="wikilink embed" href="../guest/"' in html
    # Sanitised like any body: the embedded note's script and handler are gone.
    assert "<script" not in html and "onerror" not in html and "alert" not in html
    # Its image is copied and shown, resolved from its own folder.
    assert (tmp_path / "site/media/fig.png").is_file() and 'src="../../media/fig.png"' in whole
    # Ids stay unique in the page: a heading shown twice, and two notes' footnotes.
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'id="방법"' in html and 'id="방법-2"' in html
    assert 'href="#e1-fn1"' in whole and 'href="#fn1"' in html.split("</aside>")[-1]
    site = tmp_path / "site"
    assert broken_links(site) == [] and live_content(site) == []


def test_loops_and_depth_are_bounded_and_reported(tmp_path):
    files = {"a.md": note("A", "A says.\n\n![[b]]"), "b.md": note("B", "B says.\n\n![[a]]"),
             "self.md": note("Self", "![[self]]"),
             "d1.md": note("D1", "one\n\n![[d2]]"), "d2.md": note("D2", "two\n\n![[d3]]"),
             "d3.md": note("D3", "three\n\n![[d4]]"), "d4.md": note("D4", "four\n\n![[d5]]"),
             "d5.md": note("D5", "five")}
    result = built(tmp_path, files)
    assert result.exit_code == 0, result.output
    a = body(tmp_path, "tips/a")
    assert "B says." in a and a.count("A says.") == 1  # B is shown, and A is not shown again inside it
    assert '<a class="wikilink embed" href="./"' in a  # B's embed of A stays a link
    assert "b.md:8: warning: embed of 'A' inside itself left as a link" in result.stderr
    assert "self.md:6: warning: embed of 'Self' inside itself left as a link" in result.stderr
    d1 = body(tmp_path, "tips/d1")
    assert "two" in d1 and "three" in d1 and "four" in d1 and "five" not in d1
    assert "d4.md:8: warning: embed of 'D5' is more than 3 levels deep" in result.stderr


def test_a_page_embeds_a_bounded_number_of_notes(tmp_path):
    files = {f"n{i}.md": note(f"N{i}", f"text {i}") for i in range(MAX_EMBEDS + 5)}
    files["many.md"] = note("Many", "\n\n".join(f"![[n{i}]]" for i in range(MAX_EMBEDS + 5)))
    result = built(tmp_path, files)
    html = body(tmp_path, "tips/many")
    assert html.count('<aside class="note-embed">') == MAX_EMBEDS
    assert f"more than {MAX_EMBEDS} notes embedded in one page" in result.stderr


def test_an_embed_of_a_missing_section_or_a_draft_is_a_link_or_marked(tmp_path):
    files = {"guest.md": GUEST, "draft.md": note("Secret", "비밀 내용", "draft: true\n"),
             "host.md": note("Host", "![[guest#없는 제목]]\n\n![[draft]]")}
    result = built(tmp_path, files)
    html = body(tmp_path, "tips/host")
    assert "'대조 학습 정리' has no heading '없는 제목' to embed; left as a link" in result.stderr
    assert '<a class="wikilink embed" href="../guest/#없는-제목"' in html
    assert "비밀 내용" not in html and 'class="wikilink unresolved"' in html  # a draft is never shown


def test_embeds_count_as_links_for_backlinks(tmp_path):
    built(tmp_path, {"guest.md": GUEST, "host.md": HOST})
    page = (tmp_path / "site/tips/guest/index.html").read_text("utf-8")
    assert '<a href="../host/">Host</a>' in page


def test_section_follows_markdown_headings_only():
    text = "# Top\n\nintro\n\n## A\n\na text\n\n```\n## fake\n```\n\n### A.1\n\ndeeper\n\n## B\n\nb text\n"
    part, line = section(text, "a")
    assert part.startswith("## A") and "deeper" in part and "## fake" in part and "b text" not in part
    assert line == 4
    assert section(text, "B")[0] == "## B\n\nb text\n"
    assert section(text, "missing") is None


def test_an_edit_to_an_embedded_note_reaches_the_page_that_embeds_it(tmp_path):
    root = tmp_path / "kb"
    write_notes(root, {"guest.md": GUEST, "host.md": HOST})
    live = LiveSite(load_config(root), jobs=1)
    live.start()
    guest = root / "notes/guest.md"
    guest.write_text(GUEST.replace("ImageNet에서 잰다.", "CIFAR-10에서도 잰다."), "utf-8")
    update = live.update({guest})
    assert "tips/host/" in update.pages
    assert "CIFAR-10에서도 잰다" in (root / "site/tips/host/index.html").read_text("utf-8")
    shutil.rmtree(root / "site")


def test_embedded_html_is_well_formed_where_the_marker_stood(tmp_path):
    built(tmp_path, {"guest.md": GUEST, "host.md": note("Host", "- ![[guest#실험]]\n- next item")})
    html = body(tmp_path, "tips/host")
    assert "<p><aside" not in html and "<li><aside" in html.replace("\n", "")
    assert Page(html).ids  # parses
