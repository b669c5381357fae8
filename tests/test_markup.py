"""Plain text, wikilinks, slugs, and what classify infers: tags, language, title, chrome, type."""

from __future__ import annotations

import unicodedata

import pytest

from notebase.load.notetype import infer_type
from notebase.load import classify
from notebase.model import EntryType, WikiLink
from notebase.render.plaintext import html_to_text, markdown_to_text, mask_code
from notebase.slug import slugify
from notebase.render.wikilinks import find_wikilinks

# --- plaintext -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# 제목\n\n본문", "제목\n\n본문"),
        ("**bold** and *it* and ~~gone~~", "bold and it and gone"),
        ("`code` stays", "code stays"),
        ("[link text](https://example.com/a_(b))", "link text"),
        ("![alt text](img.png)", "alt text"),
        ("[[note|Alias]] and [[other]] and [[x#h]]", "Alias and other and x"),
        ("```python\nprint(1)\n```", "print(1)"),
        ("> quoted line", "quoted line"),
        ("- item one\n1. item two", "item one\nitem two"),
        ("above\n\n---\n\nbelow", "above\n\nbelow"),
        ("&amp; <span>tag</span> &lt;", "& tag <"),
        ("a   b\n\n\n\n\nc", "a b\n\nc"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_markdown_to_text(markdown, expected):
    assert markdown_to_text(markdown) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>", "a\n\nb"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ('<img src="x.png" alt="그림">', "그림"),
        ("&amp; &lt;x&gt; &#54620;", "& <x> 한"),
        ("plain text", "plain text"),
        ("<div>  spaced   out  </div>", "spaced out"),
    ],
)
def test_html_to_text(markup, expected):
    assert html_to_text(markup) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a `b` c", "a     c"),
        ("x\n```\ncode\n```\ny", "x\n   \n    \n   \ny"),
        ("x\n~~~sh\nls\n~~~\ny", "x\n     \n  \n   \ny"),
        ("no code here", "no code here"),
        ("``a ` b`` c", "          c"),
    ],
)
def test_mask_code_blanks_code_keeping_lines(text, expected):
    masked = mask_code(text)
    assert masked == expected
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")


def test_mask_code_unclosed_fence_runs_to_end():
    assert mask_code("a\n```\nb [[x]]\n") == "a\n   \n       \n"


# --- wikilinks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("see [[note]]", [WikiLink("note", line=1)]),
        ("see [[note|별칭]]", [WikiLink("note", alias="별칭", line=1)]),
        ("[[folder/note]]", [WikiLink("folder/note", line=1)]),
        ("[[note#heading]]", [WikiLink("note", heading="heading", line=1)]),
        ("[[note#Heading|alias]]", [WikiLink("note", alias="alias", heading="Heading", line=1)]),
        ("![[image.png]]", [WikiLink("image.png", embed=True, line=1)]),
        ("[[#local heading]]", [WikiLink("", heading="local heading", line=1)]),
        ("[[ spaced ]]", [WikiLink("spaced", line=1)]),
        ("[[]] and [[|x]]", []),
        ("```python\ndf[[col]]\n```", []),
        ("~~~\n[[fenced]]\n~~~", []),
        ("use `df[['a', 'b']]` here", []),
        ("plain [link](x.md) only", []),
    ],
)
def test_find_wikilinks(body, expected):
    assert list(find_wikilinks(body)) == expected


def test_find_wikilinks_line_numbers_with_offset():
    body = "first [[a]]\n\n```\n[[not]]\n```\nlast [[b]] and ![[c.png]]"
    links = find_wikilinks(body, first_line=10)
    assert [(link.target, link.line, link.embed) for link in links] == [
        ("a", 10, False), ("b", 15, False), ("c.png", 15, True)]


def test_no_wikilinks_in_fence_nested_in_list():
    body = "1. Select columns:\n\n    ```python\n    df[['a', 'b']]\n    ```\n"
    assert find_wikilinks(body) == ()


# --- slug ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Hello, World!", "hello-world"),
        ("트랜스포머 논문 정리", "트랜스포머-논문-정리"),
        ("Attention is All You Need (NeurIPS 2017)", "attention-is-all-you-need-neurips-2017"),
        ("snake_case_name", "snake-case-name"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("../../x", "x"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("", "note"),
        ("///", "note"),
        ("!!! ...", "note"),
    ],
)
def test_slugify(title, expected):
    assert slugify(title) == expected


@pytest.mark.parametrize("title", ["../../x", "..", "./.", "a/../b", "/abs/path", "C:\\dir\\f", "x/./y",
                                   "..\\..\\win", "．．／x"])
def test_slugify_never_yields_a_path(title):
    slug = slugify(title)
    assert "/" not in slug and "\\" not in slug and ".." not in slug and "." not in slug
    assert slug and not slug.startswith("-")


def test_slugify_decomposed_hangul_equals_composed():
    assert slugify(unicodedata.normalize("NFD", "한글 제목")) == slugify("한글 제목") == "한글-제목"


def test_slugify_cuts_long_titles_at_a_word():
    title = " ".join(["word"] * 40)
    slug = slugify(title)
    assert len(slug) <= 80
    assert slug.startswith("word-word")
    assert not slug.endswith("-")
    assert all(part == "word" for part in slug.split("-"))
    assert len(slugify("x" * 200)) == 80
    assert len(slugify("가" * 200, limit=30)) == 30


# --- hashtags and header tags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I like #python and #머신러닝 today.", ["python", "머신러닝"]),
        ("#first line tag", ["first"]),
        ("repeat #a #b #a", ["a", "b"]),
        ("text\n```\n#incode\n```\nafter #after", ["after"]),
        ("run `git log #notatag` now", []),
        ("see https://x.com/a#frag and www.site.org/#top", []),
        ("jump to [section](#anchor) here", []),
        ("colours #fff #a1b2c3 #deadbeef", []),
        ("## #heading-tag\nbody", []),
        ("# Heading\nbody #real", ["real"]),
        ("issue#12 word#x &#35; #1", []),
        ("trailing #ok-tag/ and #nested/tag", ["ok-tag", "nested/tag"]),
    ],
)
def test_hashtags(text, expected):
    assert classify.hashtags(text) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["# 제목", "---", "분류", "- 머신러닝", "- **NLP**", "---", "본문"], ["머신러닝", "NLP"]),
        (["분류", "", "- 비전"], ["비전"]),
        (["분류", "그냥 문장", "- 비전"], []),
        (["**분류**", "* 강화학습", "+ 로봇"], ["강화학습", "로봇"]),
        (["Tags: a, b, #c"], ["a", "b", "c"]),
        (["**태그**: 딥러닝, 비전"], ["딥러닝", "비전"]),
        (["keywords: 검색、추천"], ["검색", "추천"]),
        (["no tags here", "- a bullet"], []),
    ],
)
def test_header_tags(lines, expected):
    assert classify.header_tags(lines) == expected


def test_header_tags_only_near_the_top():
    lines = ["text"] * 50 + ["Tags: late"]
    assert classify.header_tags(lines) == []


# --- language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("안녕하세요 오늘은 날씨가 좋습니다", "ko"),
        ("This is an English sentence about models.", "en"),
        ("오늘은 Transformer attention mechanism과 positional encoding을 정리했다", "mixed"),
        ("https://example.com/very/long/english/path 한국어 문장", "ko"),
        ("12345 --- !!!", "en"),
        ("", "en"),
        ("BERT 모델 정리", "ko"),
    ],
)
def test_detect_lang(text, expected):
    assert classify.detect_lang(text) == expected


# --- title -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "stem", "parent", "expected"),
    [
        (["# **Hello** World", "text"], "x", "", ("Hello World", 0)),
        (["", "# 트랜스포머 정리 #", "본문"], "x", "", ("트랜스포머 정리", 1)),
        (["", "---", "2023-01-01", "![](a.png)", "![[b.png]]", "목록 보기", "Real first line", "more"],
         "x", "", ("Real first line", 6)),
        (["https://example.com/only-a-url", "- Second line"], "x", "", ("Second line", 1)),
        (["```", "# comment in code", "```", "Title after code"], "stem", "dir", ("Title after code", 3)),
        (["Tags: a, b", "Real"], "stem", "dir", ("Real", 1)),
        (["text line"], "paper", "Attention Paper", ("Attention Paper", None)),
        (["text line"], "README", "내 노트", ("내 노트", None)),
        (["", "---", ""], "2024-01-15-my_note", "dir", ("my note", None)),
        (["x" * 120], "long-stem", "dir", ("long stem", None)),
    ],
)
def test_infer_title(lines, stem, parent, expected):
    assert classify.infer_title(lines, stem, parent) == expected


def test_infer_title_h1_wins_over_generic_stem():
    assert classify.infer_title(["# Real Title"], "paper", "folder") == ("Real Title", 0)


# --- blog chrome ------------------------------------------------------------------------------


def test_clean_chrome_velog_header_byline_and_trailer():
    lines = ["# 트랜스포머 정리", "홍길동·2023년 11월 24일", "팔로우", "목록 보기", "16/22",
             "post-thumbnail", "", "본문 첫 줄입니다.", "둘째 줄.", "", "profile", "홍길동",
             "연구 블로그", "0개의 댓글", "댓글 작성"]
    cleaned, author, date_text = classify.clean_chrome(lines)
    assert author == "홍길동"
    assert date_text == "2023년 11월 24일"
    assert len(cleaned) == len(lines)  # line numbers are kept
    assert [line for line in cleaned if line] == ["# 트랜스포머 정리", "본문 첫 줄입니다.", "둘째 줄."]
    assert cleaned[7] == "본문 첫 줄입니다."


def test_clean_chrome_english_byline():
    cleaned, author, date_text = classify.clean_chrome(["Kim Minsu · Nov 24, 2023", "body"])
    assert (author, date_text) == ("Kim Minsu", "Nov 24, 2023")
    assert cleaned == ["", "body"]


def test_clean_chrome_leaves_ordinary_notes_alone():
    lines = ["Plain", "16/22", "A · B without a date", "profile", "text"]
    cleaned, author, date_text = classify.clean_chrome(lines)
    assert (author, date_text) == (None, None)
    # Without Velog marks a fraction is content, a byline needs a date, and 'profile' is a word.
    assert cleaned == lines


def test_clean_chrome_blanks_share_buttons_anywhere():
    cleaned, _, _ = classify.clean_chrome(["text", "공유하기", "more", "3개의 댓글"])
    assert cleaned == ["text", "", "more", ""]


# --- type -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "has_code", "expected"),
    [
        ("논문 요약. https://arxiv.org/abs/2301.00001 목적: x Method: y", "Some title", False, EntryType.PAPER),
        ("We summarize the paper: abstract, method, experiments and novelty.", "Reading", False,
         EntryType.PAPER),
        ("짧은 메모", "논문 정리", False, EntryType.PAPER),
        ("doi: 10.1145/1234567 에서 읽음", "x", False, EntryType.PAPER),
        ("학회 첫날 키노트와 포스터 세션을 참관했다.", "첫날", False, EntryType.CONFERENCE),
        ("Attended the keynote and a poster session; the workshop was great.", "Day 1", False,
         EntryType.CONFERENCE),
        ("짧은 메모", "ICML 학회 후기", False, EntryType.CONFERENCE),
        ("git rebase -i 명령어로 커밋을 정리한다.", "git 팁", True, EntryType.TIP),
        ("Use this command to fix the error.", "TIL", True, EntryType.TIP),
        ("", "", False, EntryType.TIP),
    ],
)
def test_infer_type(text, title, has_code, expected):
    assert infer_type(text, title, has_code=has_code) is expected


def test_infer_type_one_stray_conference_word_is_not_a_log():
    text = "A tip about pandas. Cited from a conference talk. 명령어 df.head()"
    assert infer_type(text, "pandas", has_code=True) is EntryType.TIP


# --- category lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("🧩 ML library", True),
        ("🐳 Docker", True),
        ("✅ 완료한 것", True),
        ("  📚 읽을거리  ", True),
        ("Docker", False),
        ("🧩", False),
        ("🧩 ", False),
        ("🧩 " + "x" * 50, False),
        ("# Heading", False),
        ("- 🧩 bullet", False),
        ("", False),
    ],
)
def test_is_category_line(line, expected):
    assert classify.is_category_line(line) is expected


@pytest.mark.parametrize(("line", "name"), [("🧩 ML library", "ML library"), ("⚙️ 설정", "설정"),
                                            ("🐳Docker", "Docker")])
def test_category_name(line, name):
    assert classify.category_name(line) == name
