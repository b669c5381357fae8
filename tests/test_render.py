"""markup.render: markdown and feed HTML to sanitised HTML, toc, images, backlinks and problems."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from notebase.render import highlight
from notebase.errors import Severity
from notebase.render.markup import Heading, pygments_css, render, wikilink_key

TARGETS = {
    wikilink_key("SimCLR"): "papers/simclr/",
    wikilink_key("대조 학습"): "papers/대조-학습/",
    wikilink_key("git-rebase"): "tips/git-rebase/",
}


def run(body: str, *, fmt: str = "markdown", source: str = "tips/til.md", first_line: int = 1,
        page: str = "tips/til/", files=None):
    """Render `body` as a note at `source` whose page is `page`."""
    return render(body, fmt, source_path=source, first_line=first_line, page_path=page,
                  targets=TARGETS, files=files)


class Tree(HTMLParser):
    """The parsed output: every start tag with its attributes, and the text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def classed(self, cls: str) -> list[tuple[str, dict[str, str | None]]]:
        return [(n, a) for n, a in self.tags if cls in (a.get("class") or "").split()]


# --- headings, anchors, toc ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "toc"),
    [
        ("## 실험 설정\n\n### 데이터셋\n\n#### 세부 사항\n\n##### 너무 깊음",
         [(2, "실험 설정", "실험-설정"), (3, "데이터셋", "데이터셋"), (4, "세부 사항", "세부-사항")]),
        ("## Results\n\n## Results\n\n## Results", [(2, "Results", "results"), (2, "Results", "results-2"),
                                                  (2, "Results", "results-3")]),
        ("# 큰 제목\n\n## Why `torch.compile`?", [(2, "Why torch.compile?", "why-torch-compile")]),
        ("## 한국어 and English 섞임", [(2, "한국어 and English 섞임", "한국어-and-english-섞임")]),
        ("## Recent", [(2, "Recent", "recent-2")]),  # page ids are reserved: no clobbering
        ("## [[SimCLR|링크]] 비교", [(2, "링크 비교", "링크-비교")]),
        ("## 제목 <script>alert(1)</script>", [(2, "제목", "제목")]),
    ],
)
def test_headings_anchors_and_toc(body, toc):
    result = run(body)
    assert result.toc == tuple(Heading(*row) for row in toc)
    ids = [a["id"] for n, a in Tree(result.html).tags if n in ("h2", "h3", "h4")]
    assert ids == [row[2] for row in toc]


def test_h1_and_h5_get_ids_but_stay_out_of_the_toc():
    tree = Tree(run("# 맨 위\n\n##### 다섯").html)
    assert tree.find("h1") == [{"id": "맨-위"}] and tree.find("h5") == [{"id": "다섯"}]
    assert run("# 맨 위\n\n##### 다섯").toc == ()


# --- footnotes, tables, task lists, callouts, mark -----------------------------------------------------


def test_footnotes():
    tree = Tree(run("본문에 각주[^a]가 있다.\n\n[^a]: 각주 내용.").html)
    ref = tree.classed("footnote-ref")
    assert ref and tree.find("a")[0] == {"href": "#fn1", "id": "fnref1", "rel": "noopener noreferrer"}
    assert {"id": "fn1", "class": "footnote-item"} in tree.find("li")
    assert tree.classed("footnote-backref")[0][1]["href"] == "#fnref1"
    assert "각주 내용." in "".join(tree.text)


def test_tables_keep_alignment_without_style():
    tree = Tree(run("| 이름 | 값 | 비고 |\n|:--|--:|:-:|\n| a | 1 | x |").html)
    assert [a.get("align") for a in tree.find("th")] == ["left", "right", "center"]
    assert [a.get("align") for a in tree.find("td")] == ["left", "right", "center"]
    assert all("style" not in a for _, a in tree.tags)


def test_task_lists_are_disabled_checkboxes():
    tree = Tree(run("- [ ] 할 일\n- [x] done").html)
    boxes = tree.find("input")
    assert len(boxes) == 2 and all(b["type"] == "checkbox" and "disabled" in b for b in boxes)
    assert "checked" not in boxes[0] and "checked" in boxes[1]
    assert len(tree.classed("task-list-item")) == 2


@pytest.mark.parametrize(
    ("body", "tag", "cls", "title"),
    [
        ("> [!note] 메모\n> 내용", "aside", "callout callout-note", "메모"),
        ("> [!TIP]\n> short", "aside", "callout callout-tip", "Tip"),
        ("> [!faq]- 접힌 질문\n> 답", "details", "callout callout-question", "접힌 질문"),
        ("> [!mystery] 모름\n> x", "aside", "callout callout-note", "모름"),
    ],
)
def test_callouts(body, tag, cls, title):
    tree = Tree(run(body).html)
    assert tree.tags[0] == (tag, {"class": cls})
    assert tree.text[tree.text.index(title) - 0] == title and "[!" not in "".join(tree.text)


def test_plain_blockquote_stays_a_blockquote():
    assert Tree(run("> 그냥 인용").html).tags[0] == ("blockquote", {})


@pytest.mark.parametrize(("body", "marked"), [("==중요== 부분", ["중요"]), ("a == b == c", []),
                                              ("`==code==`", [])])
def test_highlight_marks(body, marked):
    html = run(body).html
    assert html.count("<mark>") == len(marked)
    for text in marked:
        assert f"<mark>{text}</mark>" in html


# --- math -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "inline", "block"),
    [
        ("질량 $E=mc^2$ 공식", 1, 0),
        ("two $a$ and $b_i$", 2, 0),
        ("$$\n\\sum_{i=1}^n x_i\n$$", 0, 1),
        ("문단 안 $$\\frac{1}{2}$$ 표시", 1, 0),  # Kramdown: $$ inside a paragraph is inline
        ("앞 문장\n$$y$$", 0, 1),  # on its own line: display, as Obsidian and Typora show it
        ("Block math:\n$$\n\\varphi = 1\n$$", 0, 1),
        ("식 $$a+b$$와 $$c$$를", 2, 0),
        ("para\n\n$$x$$\n\nafter", 0, 1),
        ("It costs $5 and $10 today.", 0, 0),
        ("가격은 $5이고 다른 건 $10이다", 0, 0),
        ("between 5$ and 10$", 0, 0),
        ("escaped \\$x\\$ dollars", 0, 0),
        ("`$x$` in code", 0, 0),
    ],
)
def test_math(body, inline, block):
    tree = Tree(run(body).html)
    displays = [a.get("display") for a in tree.find("math")]
    assert displays.count("inline") == inline and displays.count("block") == block


def test_math_error_is_escaped_code_and_a_warning_at_its_line():
    result = run("첫 줄\n\n둘째 문단\n셋째 줄 $x^$ 오류 $\\frac{1}{2}$\n", source="papers/a.md", first_line=5)
    tree = Tree(result.html)
    assert tree.classed("math-error") == [("code", {"class": "math-error"})]
    assert "x^" in tree.text and len(tree.find("math")) == 1
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.severity) == ("papers/a.md", 5 + 3, Severity.WARNING)
    assert "x^" in problem.message and problem.hint


def test_display_math_error_line():
    result = run("intro\n\n$$\n\\left( x\n$$", first_line=11)
    assert [p.line for p in result.problems] == [11 + 2]


def test_math_text_cannot_inject_markup():
    tree = Tree(run("$\\text{<b>굵게</b>}$").html)
    assert tree.find("b") == [] and tree.find("mtext") == [{}]
    assert "<b>굵게</b>" in "".join(tree.text)


# --- code -------------------------------------------------------------------------------------------


def test_code_is_highlighted_with_classes():
    tree = Tree(run("```python\ndef 함수(x):\n    return x\n```").html)
    (box,) = tree.classed("highlight")
    assert box == ("div", {"class": "highlight", "data-lang": "python"})
    classes = {a["class"] for a in tree.find("span")}
    assert {"k", "nf"} <= classes and all("style" not in a for _, a in tree.tags)


@pytest.mark.parametrize("fence", ["```nosuchlang", "```", "```text"])
def test_unknown_language_is_plain_escaped_code(fence):
    result = run(f"{fence}\n<b>굵게</b> [[SimCLR]]\n```")
    tree = Tree(result.html)
    assert tree.find("span") == [] and tree.find("b") == [] and tree.find("a") == []
    assert "<b>굵게</b> [[SimCLR]]\n" in tree.text and result.hrefs == ()


def test_highlight_cache_hits_return_the_same_object():
    code = "x = 1  # cache-test-고유\n"
    first = highlight.highlight_code(code, "python")
    hits = highlight.stats["hits"]
    again = highlight.highlight_code(code, "python")
    assert again is first and highlight.stats["hits"] == hits + 1
    run(f"```python\n{code}```")
    assert highlight.stats["hits"] == hits + 2


def test_highlight_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(highlight, "CACHE_LIMIT", 3)
    monkeypatch.setattr(highlight, "_cache", {})
    for n in range(10):
        highlight.highlight_code(f"y = {n}\n", "python")
    assert len(highlight._cache) == 3


def test_pygments_css_light_and_dark():
    css = pygments_css()
    assert ':root[data-theme="light"] .highlight .k ' in css
    assert ':root[data-theme="dark"] .highlight .k ' in css
    media = css.index("@media (prefers-color-scheme: dark)")
    assert ':root:not([data-theme="light"]) .highlight .k ' in css[media:]
    assert "@media not all and (prefers-color-scheme: dark)" in css
    assert "pre {" not in css  # no global rule leaking out of .highlight


# --- wikilinks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "href", "text", "hrefs"),
    [
        ("[[SimCLR]]", "../../papers/simclr/", "SimCLR", ("papers/simclr/",)),
        ("[[simclr|그 논문]]", "../../papers/simclr/", "그 논문", ("papers/simclr/",)),
        ("[[SimCLR#Linear Eval]]", "../../papers/simclr/#linear-eval", "SimCLR > Linear Eval",
         ("papers/simclr/",)),
        ("[[대조_학습]]", "../../papers/%EB%8C%80%EC%A1%B0-%ED%95%99%EC%8A%B5/", "대조_학습",
         ("papers/대조-학습/",)),
        ("[[papers/SimCLR.md]]", "../../papers/simclr/", "papers/SimCLR.md", ("papers/simclr/",)),
        ("[[Git Rebase]]", "../git-rebase/", "Git Rebase", ("tips/git-rebase/",)),
        ("[[#로컬 제목]]", "#로컬-제목", "로컬 제목", ()),
        ("| a |\n|---|\n| [[SimCLR\\|표 안]] |", "../../papers/simclr/", "표 안", ("papers/simclr/",)),
    ],
)
def test_wikilinks_resolve(body, href, text, hrefs):
    result = run(body)
    tree = Tree(result.html)
    (link,) = tree.classed("wikilink")
    assert link[0] == "a" and link[1]["href"] == href
    assert text in tree.text and result.hrefs == hrefs


@pytest.mark.parametrize(("body", "title", "text"), [
    ("[[없는 노트]]", "없는 노트", "없는 노트"),
    ("[[Missing|별칭]]", "Missing", "별칭"),
    ("[[../../etc/passwd]]", "../../etc/passwd", "../../etc/passwd"),
])
def test_unresolved_wikilinks_are_spans(body, title, text):
    result = run(body)
    tree = Tree(result.html)
    assert tree.classed("unresolved") == [("span", {"class": "wikilink unresolved", "title": title})]
    assert tree.find("a") == [] and text in tree.text and result.hrefs == ()


@pytest.mark.parametrize("body", ["`[[SimCLR]]`", "```\n[[SimCLR]]\n```", "    [[SimCLR]]", "\\[[SimCLR]]"])
def test_wikilinks_inside_code_stay_literal(body):
    result = run(body)
    assert result.hrefs == () and Tree(result.html).find("a") == []
    assert "[[SimCLR]]" in result.html or "[SimCLR]]" in result.html


def test_wikilink_key_normalises():
    assert wikilink_key("  My_Note-Name.md ") == wikilink_key("my note name") == "my note name"
    assert wikilink_key("한글 노트") == wikilink_key("한글_노트")
    assert wikilink_key("\u1112\u1161\u11ab") == wikilink_key("한")  # NFD Hangul from macOS file names


# --- embeds and images --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "src", "images", "extra"),
    [
        ("![[diagram.png]]", "../../media/tips/diagram.png", ("tips/diagram.png",), {}),
        ("![[assets/그림 1.png]]", "../../media/assets/%EA%B7%B8%EB%A6%BC%201.png",
         ("assets/그림 1.png",), {}),
        ("![[./local/x.webp|300]]", "../../media/tips/local/x.webp", ("tips/local/x.webp",),
         {"width": "300"}),
        ("![figure](img/fig.png)", "../../media/tips/img/fig.png", ("tips/img/fig.png",), {"alt": "figure"}),
        ("![up](../shared/pic.jpg)", "../../media/shared/pic.jpg", ("shared/pic.jpg",), {}),
        ('<img src="raw 사진.png" onerror="alert(1)">', "../../media/tips/raw%20%EC%82%AC%EC%A7%84.png",
         ("tips/raw 사진.png",), {}),
        ("![remote](https://example.org/a.png)", "https://example.org/a.png", (), {}),
    ],
)
def test_images_inside_the_notes_folder(body, src, images, extra):
    result = run(body)
    (img,) = Tree(result.html).find("img")
    assert img["src"] == src and img["loading"] == "lazy" and result.images == images
    assert result.problems == ()
    assert all(img[k] == v for k, v in extra.items()) and "onerror" not in img


@pytest.mark.parametrize(
    "body",
    ["![x](../../etc/passwd)", "![[../../../secret.png]]", "![x](/../../etc/hosts.png)",
     '<img src="../../../x.png">', "![x](C:/Users/me/x.png)",
     "![x](data:image/png;base64,iVBORw0KGgo=)"],
)
def test_images_outside_the_notes_folder_are_dropped_with_a_warning(body):
    result = run("설명\n\n" + body, source="tips/til.md", first_line=20)
    srcs = [a.get("src") for a in Tree(result.html).find("img")]
    assert srcs in ([], [None]) and result.images == ()
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.severity) == ("tips/til.md", 22, Severity.WARNING)


def test_a_site_root_image_is_read_from_the_notes_root_never_from_the_disk_root():
    # `/etc/hosts.png` in a Jekyll or Hugo note means notes/etc/hosts.png: the site's root is the notes folder.
    result = run("![x](/etc/hosts.png)", source="tips/til.md", files={"etc/hosts.png"})
    assert result.images == ("etc/hosts.png",) and result.problems == ()
    result = run("![x](/etc/hosts.png)", source="tips/til.md", files=set())
    assert result.images == () and "does not exist" in result.problems[0].message


def test_data_images_are_dropped_with_a_short_message():
    result = run("![그림](data:image/png;base64," + "A" * 5000 + ")")
    assert Tree(result.html).find("img") == [] and "그림" in result.html
    (problem,) = result.problems
    assert "data:" in problem.message and len(problem.message) < 120


def test_embed_found_from_the_root_when_files_are_known():
    files = {"attachments/plot.png", "tips/til.md", "tips/local.png", "local.png"}
    result = run("![[plot.png]] ![[attachments/plot.png]] ![[local.png]]", files=files)
    assert result.images == ("attachments/plot.png", "tips/local.png") and result.problems == ()
    missing = run("a\n![[nowhere.png]]", files=files)
    assert [p.line for p in missing.problems] == [2] and "does not exist" in missing.problems[0].message


def test_note_embed_is_a_link():
    tree = Tree(run("![[SimCLR]]").html)
    assert tree.classed("embed") == [("a", {"class": "wikilink embed", "href": "../../papers/simclr/",
                                            "rel": "noopener noreferrer"})]


# --- links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "href", "hrefs"),
    [
        ("[논문](../papers/simclr.md)", "../../papers/simclr/", ("papers/simclr/",)),
        ("[논문](../papers/SimCLR.md#결과)", "../../papers/simclr/#%EA%B2%B0%EA%B3%BC", ("papers/simclr/",)),
        ("[tip](git-rebase.md)", "../git-rebase/", ("tips/git-rebase/",)),
        ("[site](/papers/simclr/)", "../../papers/simclr/", ("papers/simclr/",)),
        ("[rel](../git-rebase/)", "../git-rebase/", ("tips/git-rebase/",)),
        ("[ext](https://arxiv.org/abs/2002.05709)", "https://arxiv.org/abs/2002.05709", ()),
        ("<https://example.com/x>", "https://example.com/x", ()),
        ('<a href="../papers/simclr.md">raw</a>', "../../papers/simclr/", ("papers/simclr/",)),
        ("[pdf](files/paper.pdf)", "files/paper.pdf", ()),  # not an entry, not an image: as written
        ("[self](til.md)", "./", ()),
    ],
)
def test_links(body, href, hrefs):
    targets_self = {**TARGETS, wikilink_key("til"): "tips/til/"}
    result = render(body, "markdown", source_path="tips/til.md", first_line=1, page_path="tips/til/",
                    targets=targets_self)
    (link,) = Tree(result.html).find("a")
    assert link["href"] == href and link["rel"] == "noopener noreferrer"
    assert result.hrefs == hrefs


def test_link_to_a_note_that_is_no_entry_warns():
    result = run("줄 하나\n[없음](missing.md)", first_line=3)
    assert [(p.line, p.severity) for p in result.problems] == [(4, Severity.WARNING)]


# --- feed HTML ----------------------------------------------------------------------------------------


def test_feed_html_is_sanitised_with_the_same_policy():
    body = ('<h2 id="search">제목</h2><p onclick="x()">본문 <a href="https://blog.example/p">link</a>'
            '<script>alert(1)</script><img src="pic.png"></p><iframe src="https://x"></iframe>')
    result = run(body, fmt="html", source="feeds/blog.xml", page="tips/post/")
    tree = Tree(result.html)
    assert [n for n, _ in tree.tags] == ["h2", "p", "a", "img"]
    assert tree.find("h2") == [{}] and tree.find("p") == [{}]
    assert tree.find("img") == [{"src": "../../media/feeds/pic.png", "loading": "lazy"}]
    assert result.images == ("feeds/pic.png",)
    assert "alert(1)" not in "".join(tree.text) and result.toc == ()


def test_feed_problem_line_is_found_in_the_body():
    result = run("<p>a</p>\n<p>b</p>\n<img src='../../../../x.png'>", fmt="html", source="feeds/f.xml",
                 first_line=40)
    assert [(p.path, p.line) for p in result.problems] == [("feeds/f.xml", 42)]


def test_render_keeps_korean_text_and_is_deterministic():
    body = "## 개요\n\n한국어 **강조**와 English *emphasis*, [[SimCLR]], $x$."
    first, second = run(body), run(body)
    assert first == second
    assert "<strong>강조</strong>" in first.html and "./nb" not in first.html


def _render_in_worker(body: str):
    return run(body)


def test_render_in_forked_workers_matches_in_process():
    import multiprocessing

    bodies = ["## 하나\n\n$x^$ [[SimCLR]]", "```python\nx = 1\n```\n\n![a](img/a.png)"]
    expected = [run(body) for body in bodies]  # parser and sanitiser already built in the parent
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(_render_in_worker, bodies) == expected
