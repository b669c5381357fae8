"""load/classify.py's infer_title looks at a line for an H1 only when its first non-space character is `#` or `<`:
the same titles as trying every line, for lines indented with every kind of space."""

from __future__ import annotations

import itertools
import re

from notebase.load.classify import atx_heading, heading_text, infer_title

H1 = re.compile(r"^\s{0,3}<h1\b[^>\n]{0,300}>(.{1,300}?)</h1>", re.I)  # as classify's own
INDENTS = ["", " ", "   ", "    ", "\t", "\u3000", "\u00a0", " \u2003"]
LINES = ["# 제목 Title", "## 둘째", "#없음", "<h1>HTML 제목</h1>", "<H1 class=x>큰</H1>", "<h2>작은</h2>", "본문 text",
         "$$", "$$ x $$", "2024.01.05", "", "- 목록", "#", "# ", "<h1></h1>", "＃ 전각"]


def _reference(lines: list[str]) -> tuple[str, int] | None:
    """infer_title's H1 search as it was, every line tried (no display math in these cases)."""
    for i, line in enumerate(lines):
        st = line.strip()
        if st.startswith("$$"):
            if st == "$$" or not st.endswith("$$"):
                return None  # an open math block: the cases below never reach a title after it
            continue
        m = atx_heading(line)
        if m:
            return (heading_text(m[1]), i) if m[0] == 1 and heading_text(m[1]) else None
        h = H1.match(line)
        if h and heading_text(h[1]):
            return heading_text(h[1]), i
    return None


def test_h1_found_as_before():
    checked = 0
    for indent, line, after in itertools.product(INDENTS, LINES, ["", "# 뒤 제목", "<h1>뒤</h1>"]):
        lines = ["첫 줄 prose", indent + line, after]
        expected = _reference(lines)
        if expected is None or any(s.strip() == "$$" or (s.strip().startswith("$$") and not s.strip().endswith("$$"))
                                   for s in lines):
            continue
        assert infer_title(lines, "note", "") == expected, (indent, line, after)
        checked += 1
    assert checked > 100


HTML = [
    "<div><div><p>본문 &amp; text</p></div></div>", "<DIV>대문자</DIV><Br>줄", "<p>a<br>b<br/>c</p>",
    "<script>var a = '<div>x</div>';</script>뒤", "<style>p > a { }</style><p>보임</p>",
    "<title>제목 <b>굵게</b></title>본문", "<textarea><div>글</div></textarea>끝", "<noscript><p>no</p></noscript>",
    "<div class=\"x\">속성</div><div >공백</div></div >", "<img alt=\"그림 설명\"><img>", "<!-- <div> --><div>c</div>",
    "<![CDATA[x]]><div>d</div>", "<![if x]><div>e</div>", "<ul><li>하나<li>둘</ul>", "<div>" * 300 + "깊음" + "</div>" * 300,
    "<pre>  코드\n  줄</pre>", "a < b > c &lt;d&gt;", "<div>열림", "</div>닫힘만", "<h1>머리</h1><table><tr><td>칸</td></tr></table>",
    "<svg><title>t</title><div>s</div></svg>", "<x-y>사용자 태그</x-y>", "<a1>숫자</a1><1>아님</1>",
]


def test_html_to_text_as_htmlparser_reads_it():
    """render/plaintext.py's bare-tag short cut against HTMLParser's own start and end tag methods."""
    from html.parser import HTMLParser

    from notebase.render import plaintext

    class Own(plaintext.TextParser):  # the parser under test, without the short cut
        parse_starttag = HTMLParser.parse_starttag
        parse_endtag = HTMLParser.parse_endtag

    def text(parser_cls, markup):
        parser = parser_cls()
        parser.feed(markup)
        parser.close()
        return parser.parts

    for markup in HTML + ["".join(HTML)]:
        assert text(plaintext.TextParser, markup) == text(Own, markup), markup
