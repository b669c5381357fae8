"""Markup real notes use: Jekyll/Liquid, GitBook, Hugo, MyST, Kramdown, HTML saved as .md, Logseq, Obsidian comments.

Each row renders a small note of our own (Korean or English) and checks the page, the problems
(with their file lines) and the plain text that search and summaries read.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from conftest import SHARED
from notebase.config import load_config
from notebase.load.loader import load
from notebase.render.markup import render, wikilink_key
from notebase.render.dialects import prepare
from notebase.render.plaintext import markdown_to_text, summarize
from notebase.render.wikilinks import find_wikilinks

TARGETS = {wikilink_key("2024-03-02-bert-review"): "papers/bert/", wikilink_key("대조 학습"): "papers/cl/",
           wikilink_key("posts/simclr.md"): "papers/simclr/", wikilink_key("simclr"): "papers/simclr/"}


def run(body: str, files=None, first_line: int = 5):
    return render(body, "markdown", source_path="notes/post.md", first_line=first_line, page_path="tips/post/",
                  targets=TARGETS, files=files)


_BLOCKS = {"p", "div", "li", "ul", "ol", "pre", "figure", "figcaption", "aside", "details", "summary", "blockquote",
           "h1", "h2", "h3", "h4", "br", "td", "th", "tr", "section"}


class Tree(HTMLParser):
    """Start tags with attributes, and the text (blocks separated by spaces)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in _BLOCKS:
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.text.append(" ")

    def handle_data(self, data):
        self.text.append(data)

    def has(self, tag: str, **attrs) -> bool:
        return any(t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items()) for t, a in self.tags)

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def warnings(result) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in result.problems]


# --- Jekyll / Liquid and GitBook ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "tag", "attrs", "text"),
    [
        ("{% highlight python %}\ndef f():\n    return '{{ x }}'\n{% endhighlight %}",
         "div", {"class_": "highlight", "data-lang": "python"}, "return '{{ x }}'"),
        ("{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}", "div", {"data-lang": "ruby"}, "puts 1"),
        ("- 목록 안\n  {% highlight sh %}\n  ls -al\n  {% endhighlight %}", "div", {"data-lang": "sh"}, "ls -al"),
        ("{% raw %}\n템플릿 {{ page.title }} 예시\n{% endraw %}", "p", {}, "템플릿 {{ page.title }} 예시"),
        ("문장 {% raw %}{{ site.url }}{% endraw %} 그대로", "p", {}, "문장 {{ site.url }} 그대로"),
        ('{% hint style="info" %}\n참고할 **내용**\n{% endhint %}', "aside", {"class_": "callout callout-info"}, "참고할 내용"),
        ('{% hint style="danger" %}\nDo not run this\n{% endhint %}', "aside", {"class_": "callout callout-danger"},
         "Do not run this"),
        ('{% embed url="https://www.youtube.com/watch?v=abcdEFGhij0" %}', "a",
         {"href": "https://www.youtube.com/watch?v=abcdEFGhij0"}, "https://www.youtube.com/watch?v=abcdEFGhij0"),
        ("리뷰는 [여기]({% post_url 2024-03-02-bert-review %})에", "a", {"href": "../../papers/bert/"}, "여기"),
        ("{% comment %}\n숨긴 초안\n{% endcomment %}\n보이는 글", "p", {}, "보이는 글"),
    ],
)
def test_liquid(body, tag, attrs, text):
    result = run(body)
    tree = Tree(result.html)
    assert tree.has(tag, **attrs), result.html
    assert text in tree.words
    assert "{%" not in tree.words and "숨긴" not in tree.words


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("첫 줄\n{% include toc.html %}\n끝", 6, "Liquid tag {% include %} was removed"),
        ("제목은 {{ site.title }} 이다", 5, "Liquid variable {{ site.title }} was removed"),
        ('a\nb\n{{ page.date | date: "%Y" }}', 7, "Liquid variable {{ page.date | date: \"%Y\" }} was removed"),
        ("{% include a.html %}\n{% include b.html %}", 5, "Liquid tag {% include %} was removed (2 times)"),
        ("x {% assign n = 1 %} y", 5, "Liquid tag {% assign %} was removed"),
    ],
)
def test_liquid_leftovers_are_removed_with_a_warning_at_their_line(body, line, message):
    result = run(body)
    assert warnings(result) == [(line, message)]
    assert "{%" not in result.html and "site.title" not in result.html and "page.date" not in result.html


@pytest.mark.parametrize("body", [
    "```liquid\n{% include toc.html %} {{ site.url }}\n```",
    "인라인 `{{ site.url }}` 과 `{% raw %}` 은 코드",
    "~~~\n{{ page.title }} %%not a comment%% ((6380a818-1a69-46f1-85f0-2b86fcba9b70))\n~~~",
    "글\n\n    {{ site.url }} {% include x %}\n\n끝",
    "<pre>\n{{ site.url }}\n\n{% include x %}\n</pre>",
    "```python\n:::{note}\nkey:: value\n```",
])
def test_code_is_never_touched(body):
    result = run(body)
    assert result.problems == ()
    for kept in ("{{ site.url }}", "{% include", "{{ page.title }}", "%%not a comment%%", ":::{note}", "key:: value"):
        if kept in body:
            assert kept in Tree(result.html).words or kept in result.html


# --- Hugo shortcodes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "tag", "attrs", "text"),
    [
        ("{{< highlight html >}}\n<b>굵게</b>\n{{< /highlight >}}", "div", {"data-lang": "html"}, "<b>굵게</b>"),
        ('{{< highlight go "linenos=table" >}}\nfmt.Println(1)\n{{< /highlight >}}', "div", {"data-lang": "go"},
         "fmt.Println(1)"),
        ("{{< youtube w7Ft2ymGmfc >}}", "a", {"href": "https://www.youtube.com/watch?v=w7Ft2ymGmfc"}, "YouTube"),
        ('{{< youtube id="w7Ft2ymGmfc" title="발표 영상" >}}', "a", {"href": "https://www.youtube.com/watch?v=w7Ft2ymGmfc"},
         "발표 영상"),
        ('{{< figure src="https://example.com/f.png" caption="그림 1. 구조" alt="구조도" >}}', "figcaption", {},
         "그림 1. 구조"),
        ('자세한 건 [SimCLR]({{< ref "posts/simclr.md" >}}) 참고', "a", {"href": "../../papers/simclr/"}, "SimCLR"),
        ("{{< notice warning >}}\n주의할 점\n{{< /notice >}}", "aside", {"class_": "callout callout-warning"}, "주의할 점"),
        ('{{< details title="펼치기" >}}\n숨은 내용\n{{< /details >}}', "details", {}, "펼치기"),
        ("{{</* youtube abc */>}} 는 예시", "p", {}, "{{< youtube abc >}} 는 예시"),
    ],
)
def test_hugo(body, tag, attrs, text):
    tree = Tree(run(body).html)
    assert tree.has(tag, **attrs)
    assert text in tree.words


def test_unknown_hugo_shortcode_is_removed_with_a_warning_and_its_text_kept():
    result = run("앞\n\n{{< columns >}}\n왼쪽 칸\n{{< /columns >}}")
    assert warnings(result) == [(7, "Hugo shortcode {{< columns >}} was removed")]
    assert "왼쪽 칸" in Tree(result.html).words and "columns" not in result.html


def test_liquid_url_filter_keeps_the_path_it_names():
    result = run('![그림]({{ "/img/a.png" | relative_url }})')
    assert result.problems == () and result.images == ("img/a.png",)  # a site-root path: from the notes root


@pytest.mark.parametrize(("files", "found"), [({"assets/a.png"}, "assets/a.png"),
                                              ({"static/assets/a.png"}, "static/assets/a.png")])
def test_site_root_image_paths_are_read_from_the_notes_root_or_hugo_static(files, found):
    result = run("![그림](/assets/a.png)", files=files)
    assert result.problems == () and result.images == (found,)


def test_hugo_figure_image_is_resolved_like_any_image():
    result = run('{{< figure src="img/arch.png" caption="구조" >}}', files={"notes/img/arch.png"})
    assert Tree(result.html).has("img", src="../../media/notes/img/arch.png", alt="")
    assert result.images == ("notes/img/arch.png",)


# --- MyST (Jupyter Book) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "cls", "title", "text"),
    [
        ("```{admonition} 실험 메모\n학습률을 낮췄다\n```", "callout callout-note", "실험 메모", "학습률을 낮췄다"),
        ("```{note}\n본문 **굵게**를\n```", "callout callout-note", "Note", "본문 굵게를"),
        ("```{warning} Check the seed first.\n```", "callout callout-warning", "Warning", "Check the seed first."),
        ("```{tip}\n짧은 팁\n```", "callout callout-tip", "Tip", "짧은 팁"),
        ("```{important}\n중요\n```", "callout callout-tip", "Important", "중요"),
        ("```{seealso}\n관련 노트\n```", "callout callout-note", "See also", "관련 노트"),
        ("```{caution}\n주의\n```", "callout callout-warning", "Caution", "주의"),
        ("```{admonition} 팁 제목\n:class: tip\n내용\n```", "callout callout-tip", "팁 제목", "내용"),
        (":::{note}\n콜론 펜스\n:::", "callout callout-note", "Note", "콜론 펜스"),
        ("::::{important}\n:::{note}\n안쪽\n:::\n::::", "callout callout-tip", "Important", "안쪽"),
        ("::: warning\nVuePress style\n:::", "callout callout-warning", "Warning", "VuePress style"),
    ],
)
def test_myst_admonitions_are_callouts(body, cls, title, text):
    tree = Tree(run(body).html)
    assert tree.has("aside", class_=cls)
    assert title in tree.words and text in tree.words
    assert "{" not in tree.words and not tree.has("pre")


def test_myst_dropdown_is_a_folded_callout():
    tree = Tree(run("```{admonition} 정답\n:class: dropdown\n42\n```").html)
    assert tree.has("details", class_="callout callout-note") and "정답" in tree.words


@pytest.mark.parametrize(
    ("body", "src", "alt", "caption"),
    [
        ("```{figure} figs/attn.png\n---\nwidth: 80%\nname: fig-attn\n---\n어텐션 **가중치**\n```",
         "../../media/notes/figs/attn.png", "", "어텐션 가중치"),
        ("```{figure} figs/attn.png\n:alt: 어텐션\n:width: 70%\n\nAttention weights\n```",
         "../../media/notes/figs/attn.png", "어텐션", "Attention weights"),
        (":::{figure-md} fig-1\n![구조도](figs/attn.png)\n\n모델 구조\n:::", "../../media/notes/figs/attn.png", "구조도",
         "모델 구조"),
        ("```{image} figs/attn.png\n:alt: 그림\n:align: center\n```", "../../media/notes/figs/attn.png", "그림", None),
    ],
)
def test_myst_figures(body, src, alt, caption):
    result = run(body, files={"notes/figs/attn.png"})
    tree = Tree(result.html)
    assert tree.has("figure") and tree.has("img", src=src, alt=alt)
    if caption:
        assert tree.has("figcaption") and caption in tree.words
    assert "width" not in tree.words and ":alt:" not in tree.words and result.problems == ()


def test_myst_figure_with_a_missing_image_warns_at_the_directive_line():
    result = run("글\n\n```{figure} figs/none.png\n캡션\n```", files=set())
    assert warnings(result) == [(7, "image 'figs/none.png' does not exist; its alt text is shown instead")]


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("```{mermaid}\ngraph TD\n  A --> B\n```", lambda t: t.has("div", **{"data-lang": "mermaid"}) and "A --> B" in t.words),
        ("```{code-cell} ipython3\n:tags: [hide-input]\nprint(1)\n```",
         lambda t: t.has("div", **{"data-lang": "python"}) and "print(1)" in t.words and "hide-input" not in t.words),
        ("```{youtube} qSoQMn4rEwY\n:width: 100%\n```",
         lambda t: t.has("a", href="https://www.youtube.com/watch?v=qSoQMn4rEwY") and "100%" not in t.words),
        ("## 목차\n\n```{tableofcontents}\n```\n\n본문", lambda t: t.words == "목차 본문"),
        ("```{toctree}\n:maxdepth: 2\nintro\nmethods\n```\n끝", lambda t: t.words == "끝"),
        ("```{math}\n:label: eq1\nE = mc^2\n```", lambda t: t.has("math", display="block") and "label" not in t.words),
        ("```{epigraph}\n인용구\n```", lambda t: t.has("blockquote") and "인용구" in t.words),
        ("```{glossary}\nBERT\n  양방향 인코더\n```", lambda t: "양방향 인코더" in t.words and not t.has("pre")),
        ("```{tab-item} Python\n파이썬 예제\n```", lambda t: "Python" in t.words and "파이썬 예제" in t.words
         and not t.has("pre")),
    ],
)
def test_other_myst_directives(body, check):
    tree = Tree(run(body).html)
    assert check(tree), tree.words
    assert "{" not in tree.words


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("BERT {cite}`devlin2019bert` 참고", "BERT devlin2019bert 참고"),
        ("용어 {term}`토큰` 정의", "용어 토큰 정의"),
        ("See {ref}`the intro <sec-intro>`.", "See the intro."),
        ("{doc}`../setup` 문서", "../setup 문서"),
        ("H{sub}`2`O", "H2O"),
        ("{abbr}`LLM (large language model)` 정리", "LLM 정리"),
    ],
)
def test_myst_roles_show_their_text(body, text):
    assert Tree(run(body).html).words == text


def test_myst_math_role_is_inline_math():
    assert Tree(run("식 {math}`x^2` 이다").html).has("math", display="inline")


# --- Kramdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("문단\n{: .notice}\n\n다음", "문단 다음"),
        ("* 목차\n{:toc}\n\n# 제목", "제목"),
        ("[링크](https://example.com){:target=\"_blank\"} 뒤", "링크 뒤"),
        ("{::comment}\n안 보임\n{:/comment}\n보임", "보임"),
    ],
)
def test_kramdown_attribute_lists_are_removed(body, words):
    assert Tree(run(body).html).words == words


def test_heading_attributes_give_no_text():
    result = run("## 실험 결과 {#results .wide}")
    assert Tree(result.html).words == "실험 결과" and result.toc[0].text == "실험 결과"


# --- HTML saved as .md ----------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ['<div class="highlight">', '<figure class="highlight">', "<div><div>"])
def test_pre_blocks_stay_whole_across_blank_lines(opening):
    closing = "".join(f"</{t}>" for t in reversed(re.findall(r"<(\w+)", opening)))
    body = f"{opening}<pre><code>def f():\n\n    return 1\n\n\n# done\n</code></pre>{closing}\n\n다음 문단"
    result = run(body)
    pre = re.search(r"<pre><code>(.*?)</code></pre>", result.html, re.S)
    assert pre and pre[1] == "def f():\n\n    return 1\n\n\n# done\n"
    assert "<p>다음 문단</p>" in result.html and result.html.count("<pre>") == 1


@pytest.mark.parametrize(
    ("img", "src"),
    [
        ('<img data-src="figs/a.png" alt="그림">', "../../media/notes/figs/a.png"),
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="figs/a.png">', "../../media/notes/figs/a.png"),
        ('<img class="lazy" src="/assets/placeholder.png" data-original="figs/a.png">', "../../media/notes/figs/a.png"),
        ('<img src="figs/a.png" data-src="figs/other.png">', "../../media/notes/figs/a.png"),
        ('<img src="https://cdn.example.com/lazy-load.gif" data-lazy-src="https://example.com/b.png">',
         "https://example.com/b.png"),
    ],
)
def test_lazy_images_use_their_data_src(img, src):
    for fmt in ("markdown", "html"):
        result = render(f"<p>{img}</p>", fmt, source_path="notes/post.md", first_line=1, page_path="tips/post/",
                        targets={}, files={"notes/figs/a.png", "notes/figs/other.png"})
        assert Tree(result.html).has("img", src=src), (fmt, result.html)


# --- Logseq --------------------------------------------------------------------------------------


def test_logseq_outline_with_tabs_renders_as_nested_lists():
    body = ("## 사용법\n\t- 첫 블록\n\t  collapsed:: true\n\t  id:: 6380a818-1a69-46f1-85f0-2b86fcba9b70\n"
            "\t\t- 하위 블록\n\t\t  logseq.order-list-type:: number\n\t- 둘째 블록\n## 기능\n\t- 셋째")
    result = run(body)
    html = result.html
    assert not Tree(html).has("pre") and "::" not in html
    assert re.sub(r"\s", "", html).startswith(
        '<h2id="사용법">사용법</h2><ul><li>첫블록<ul><li>하위블록</li></ul></li><li>둘째블록</li></ul>')
    assert Tree(html).words == "사용법 첫 블록 하위 블록 둘째 블록 기능 셋째"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("- 블록\n  background-image:: https://example.com/x.png\n- 다음", "블록 다음"),
        ("- 참조 ((6380a818-1a69-46f1-85f0-2b86fcba9b70)) 끝", "참조 ⋯ 끝"),
        ("- {{embed ((6380a818-1a69-46f1-85f0-2b86fcba9b70))}}", "⋯"),
        ("- {{{embed ((6380a818-1a69-46f1-85f0-2b86fcba9b70)) }}}", "⋯"),
        ("- {{embed [[대조 학습]]}}", "대조 학습"),
        ("- {{video https://www.youtube.com/watch?v=abcdEFGhij0}}", "https://www.youtube.com/watch?v=abcdEFGhij0"),
        ("- 예시\n  #+BEGIN_EXAMPLE\n  key:: value 그대로\n  #+END_EXAMPLE", "예시 key:: value 그대로"),
    ],
)
def test_logseq_blocks(body, words):
    result = run(body)
    tree = Tree(result.html)
    assert tree.words == words
    assert "((" not in result.html and "{{" not in result.html


@pytest.mark.parametrize(
    ("body", "tag", "attrs", "text"),
    [
        ("#+BEGIN_SRC python\nprint('안녕')\n#+END_SRC", "div", {"data-lang": "python"}, "print('안녕')"),
        ("- 코드\n\t#+begin_src sh\n\tls\n\t#+end_src", "div", {"data-lang": "sh"}, "ls"),
        ("#+BEGIN_EXAMPLE\n예제 *그대로*\n#+END_EXAMPLE", "pre", {}, "예제 *그대로*"),
        ("#+BEGIN_QUOTE\n인용한 **문장**\n#+END_QUOTE", "blockquote", {}, "인용한 문장"),
        ("- #+BEGIN_QUOTE\n  목록 안 인용\n  #+END_QUOTE", "blockquote", {}, "목록 안 인용"),
        ("#+BEGIN_TIP\n짧은 팁\n#+END_TIP", "aside", {"class_": "callout callout-tip"}, "짧은 팁"),
    ],
)
def test_org_blocks(body, tag, attrs, text):
    tree = Tree(run(body).html)
    assert tree.has(tag, **attrs) and text in tree.words and "#+" not in tree.words


def test_logseq_embed_of_a_page_links_to_it():
    tree = Tree(run("- {{embed [[대조 학습]]}}").html)
    assert tree.has("a", class_="wikilink embed", href="../../papers/cl/")


def test_unrenderable_logseq_macro_is_removed_with_a_warning():
    result = run("- 목록\n- {{query (todo now)}}")
    assert warnings(result) == [(6, "Logseq {{query}} is not rendered; it was removed")]


# --- Obsidian comments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("보이는 글 %%숨긴 메모%% 끝", "보이는 글 끝"),
        ("앞 %%여러 줄\n숨긴 줄\n끝난다%% 뒤", "앞 뒤"),
        ("%%\n# 숨긴 제목\n```\ncode\n```\n%%\n보임", "보임"),
        ("코드 `%%` 는 그대로", "코드 %% 는 그대로"),
        ("a %%x%% b %%y%% c", "a b c"),
    ],
)
def test_obsidian_comments_are_hidden(body, words):
    result = run(body)
    assert Tree(result.html).words == words and result.problems == ()
    text = markdown_to_text(body)
    assert " ".join(text.split()) == words
    assert "숨긴" not in summarize(text)


def test_an_unclosed_comment_is_shown_with_a_warning():
    result = run("진행률 100%% 달성\n다음 줄")
    assert "100%% 달성" in Tree(result.html).words
    assert warnings(result) == [(5, "%% opens a comment that is never closed; it is shown as text")]


# --- lines and plain text ------------------------------------------------------------------------


def test_problems_after_moved_lines_point_at_the_file_line():
    # A multi-line comment, dropped properties and a figure that grew into nine lines come first.
    body = ("%%\n메모\n%%\n- 블록\n  id:: 6380a818-1a69-46f1-85f0-2b86fcba9b70\n"
            "```{figure} figs/a.png\n캡션\n```\n![없음](figs/missing.png)\n[깨진](none.md)")
    result = run(body, files={"notes/figs/a.png"}, first_line=10)
    assert warnings(result) == [(18, "image 'figs/missing.png' does not exist; its alt text is shown instead"),
                                (19, "link to 'none.md' matches no entry")]


@pytest.mark.parametrize(
    ("body", "present", "absent"),
    [
        ("```{admonition} 실험 메모\n:class: tip\n학습률\n```", ["실험 메모", "학습률"], ["admonition", ":class:", "[!"]),
        ("```{note}\n노트 본문\n```", ["노트 본문"], ["[!", "Note"]),
        ("> [!tip] 팁 제목\n> 팁 내용", ["팁 제목", "팁 내용"], ["[!tip]"]),
        ("```{figure} a.png\n:alt: 대체\n캡션 글\n```", ["대체", "캡션 글"], ["figure", "a.png", "<"]),
        ("{% include toc.html %}\n{{ site.title }} 본문", ["본문"], ["include", "site.title", "{"]),
        ("{{< youtube w7Ft2ymGmfc >}}\n{{< tabs >}}\n탭 내용", ["탭 내용"], ["{{", "tabs"]),
        ("- 블록 ((6380a818-1a69-46f1-85f0-2b86fcba9b70))\n  id:: 6380a818-1a69-46f1-85f0-2b86fcba9b70",
         ["블록"], ["6380a818", "id::", "⋯"]),
        ("```{toctree}\nintro\n```\n본문", ["본문"], ["intro", "toctree"]),
        ("문단\n{: .notice}", ["문단"], ["{:", "notice"]),
        ("BERT {cite}`devlin2019`", ["BERT devlin2019"], ["{cite}", "`"]),
    ],
)
def test_plain_text_has_what_the_page_shows(body, present, absent):
    text = markdown_to_text(body)
    for word in present:
        assert word in text, text
    for word in absent:
        assert word not in text, text


def test_prepare_keeps_plain_markdown_as_it_is():
    body = "# 제목\n\n본문 **굵게** 와 `code` [link](x.md)\n"
    prepared = prepare(body)
    assert prepared.text is body and prepared.lines is None and prepared.remarks == ()


def test_links_the_page_hides_are_no_links():
    body = "보임 [[대조 학습]] %%[[숨긴 링크]]%%\n%%\n[[숨긴 줄]]\n%%\n- 블록\n  type:: [[속성 링크]]\n끝 [[SimCLR]]"
    assert [(link.target, link.line) for link in find_wikilinks(body, first_line=3)] == [("대조 학습", 3), ("SimCLR", 9)]


def test_a_directive_inside_a_list_keeps_the_list_tight():
    result = run("- 항목\n  ```{note}\n  안쪽 메모\n  ```\n- 다음 항목")
    tree = Tree(result.html)
    assert tree.has("aside", class_="callout callout-note") and "안쪽 메모" in tree.words
    assert "<li>다음 항목</li>" in result.html


# --- real notes (../shared/corpus2) and the loader ------------------------------------------------

CORPUS2 = SHARED / "corpus2"


@pytest.mark.skipif(not CORPUS2.is_dir(), reason="../shared/corpus2 is not beside the repo")
@pytest.mark.parametrize("folder", sorted(p.name for p in CORPUS2.iterdir() if p.is_dir()) if CORPUS2.is_dir() else [])
def test_real_notes_render_without_leftovers(folder, tmp_path):
    shutil.copytree(CORPUS2 / folder, tmp_path / "notes")
    for entry in load(load_config(tmp_path)).entries:
        result = render(entry.body, entry.body_format, source_path=entry.source.path, first_line=entry.body_line,
                        page_path="tips/x/", targets={})
        shown = re.sub(r"<pre.*?</pre>|<code.*?</code>", "", result.html, flags=re.S)
        for leftover in ("{%", "{{&lt;", "{{<", "```{", ":::{", "%%", "#+BEGIN", "collapsed::"):
            assert leftover not in shown, (entry.source.path, leftover)
        assert not re.search(r"\*\*[^*\s][^*]{0,40}\*\*", Tree(shown).words), entry.source.path  # bold everywhere
        for text in (entry.text, entry.summary):
            assert "{%" not in text and "```{" not in text and "{{<" not in text


def test_loaded_entries_keep_hidden_text_out_of_summary_and_search(kb):
    result = kb({"note.md": "%%\n작성 중인 비밀 메모\n%%\n# 대조 학습 정리\n\n```{note}\n핵심은 **음성 쌍**이다\n```\n"
                            "{% include toc.html %}\n본문 설명"})
    entry = result.entries[0]
    assert "비밀" not in entry.text and "비밀" not in entry.summary
    assert "핵심은 음성 쌍이다" in entry.text and "include" not in entry.text and "[!" not in entry.text
