"""Infer what front matter leaves out: title, tags, type and language, from the text alone."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from notebase.load.dates import DATE_LINE, date_from_filename, find_date, strip_filename_date
from notebase.render.plaintext import mask_code

# Lines that blogs wrap around a post and that a copy-paste carries along (Velog, Tistory).
_CHROME = re.compile(
    r"^\s*(?:목록 보기|post-thumbnail|\d+개의 댓글|댓글 \d+개?|공유하기|구독하기|"
    r"Uploaded by Notion2Tistory.*|Copy link|More file actions|Expand file tree)\s*$"
)
_CHROME_MARKERS = ("목록 보기", "post-thumbnail", "개의 댓글", "댓글 ", "공유하기", "구독하기", "Notion2Tistory",
                   "Copy link", "More file actions", "Expand file tree")
_HEADER_CHROME = re.compile(r"^\s*(?:\d+|\d+/\d+)\s*$")
_BYLINE = re.compile(r"^\s*+(?P<author>[^·\n]{1,40}?)\s*+·\s*(?P<date>.{6,40})$")  # possessive: 8 KB of spaces
_HTML_H1 = re.compile(r"^\s{0,3}<h1\b[^>\n]{0,300}>(.{1,300}?)</h1>", re.I)
_HTML_TAG = re.compile(r"<[^>\n]{0,300}>")
_SIZE_SUFFIX = re.compile(r"\{:[^{}\n]{0,200}\}")
_WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]{0,300})(?:\|([^\[\]\n]{0,300}))?\]\]")
_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,800}\)")
_LINK_TEXT = re.compile(r"\[[^\]\n]{0,300}\]\([^)\n]{0,800}\)")
_UNTITLED = re.compile(r"^(?:untitled|제목\s?없음|new note|무제)(?:[-_ ]?\d{1,4})?$", re.I)
_HANGUL_WORD = re.compile(r"[가-힣]")
_HEADING_START = re.compile(r"\s{0,3}(#{1,6})(\s+)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_ONLY_MEDIA = re.compile(r"^\s*(?:!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)|<img[^>]*>|img)\s*$", re.I)
_URL = re.compile(r"(?:https?|ftp)://[^\s)>\]]+|www\.[^\s)>\]]+")
_HASHTAG = re.compile(r"(?<![\w#&/=?;:.\-(\[\"'])#([A-Za-z\uac00-\ud7a3][\w\uac00-\ud7a3\-/]*)")
_HANGUL_LEADS = (b"\xea", b"\xeb", b"\xec", b"\xed")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_HEX = re.compile(r"^[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?$")
_TAG_LABEL = re.compile(
    # The label alone (a list follows) or with a colon: `categories), and …` in prose is no label.
    r"^\s*(?:\*\*)?(?:분류|태그|tags?|categories|category|카테고리|keywords|키워드)(?:\*\*)?\s*(?::\s*(?P<rest>.*)|$)",
    re.I,
)
_BULLET = re.compile(r"^\s*[-*+•]\s+(.+?)\s*$")
_MD_MARKS = re.compile(r"(\*\*|__|`|~~|\[\[|\]\]|^[>#\s\-*+•]+)")
_GENERIC_STEMS = {"paper", "index", "_index", "readme", "note", "notes", "untitled", "post", "summary", "main",
                  "home", "license", "licence", "changelog", "todo", "draft", "memo"}
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s|(?<=[다요죠음함임됨])\.\s")

def atx_heading(line: str) -> tuple[int, str] | None:
    """Return (level, text) of a `## Title ##` line, or None.

    As `^\\s{0,3}#{1,6}\\s+(.+?)\\s*#*\\s*$` would, but linear: that pattern retried its two
    `\\s*` around `#*` at every position of a long run of spaces (`# a` + 3,000 spaces + `x`: 76 s).
    """
    m = _HEADING_START.match(line)
    if m is None:
        return None
    rest = line[m.end():]
    if not rest:
        # Only spaces after the marks: the lazy group took the last of them, if there were two.
        return (len(m[1]), m[2][-1]) if len(m[2]) >= 2 else None
    text = rest.rstrip().rstrip("#").rstrip()
    return len(m[1]), text or rest


def clean_chrome(lines: list[str]) -> tuple[list[str], str | None, str | None]:
    """Blank blog chrome lines in place; return the lines, the byline author and date text."""
    lines = list(lines)
    author = date_text = None
    head = min(len(lines), 15)
    marks = [i for i in range(head) if lines[i].strip() in ("목록 보기", "post-thumbnail")]
    for i in range(min(len(lines), 6)):
        m = _BYLINE.match(lines[i])
        if m and find_date(m["date"]):
            author, date_text = m["author"].strip(), m["date"].strip()
            lines[i] = ""
            break
    if marks:
        first_content = next((i for i, line in enumerate(lines) if line.strip()), 0)
        for i in range(first_content + 1, marks[-1] + 1):
            lines[i] = ""
    tail_start = max(0, len(lines) - 12)
    for i in range(tail_start, len(lines)):
        if lines[i].strip() == "profile" and any(
            re.match(r"^\s*\d+개의 댓글\s*$", later) for later in lines[i + 1:]
        ):
            for j in range(i, len(lines)):
                lines[j] = ""
            break
    if marks:
        for i in range(head):
            if _HEADER_CHROME.match(lines[i]):
                lines[i] = ""
    # One search over the whole text first: most notes carry no chrome at all.
    joined = "\n".join(lines)
    if any(marker in joined for marker in _CHROME_MARKERS):
        lines = ["" if _CHROME.match(line) else line for line in lines]
    return lines, author, date_text


def clean_inline(text: str) -> str:
    """Strip markdown marks and escapes from a one-line title."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = _MD_MARKS.sub("", text).replace("\\_", "_").replace("\\", "")
    return " ".join(text.split()).strip(" -:|")


def short_title(line: str, limit: int = 80) -> str:
    """Make a title from a line of prose: its first sentence, cut near limit."""
    text = clean_inline(line)
    m = _SENTENCE_END.search(text)
    if m and m.start() >= 8:
        text = text[: m.start()].strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


_HASH_LIST = re.compile(r"(?:#[^\s#,]{1,60}\s{0,4}){2,40}")
_TITLE_WITHIN = 8  # lines of content an H1 title may follow (a tag line, a date, a byline, a badge)
_FIELD_LINE = re.compile(r"\s{0,3}[^:：\n]{1,40}[:：](?:\s|$)")
_LINK_ITEM = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,4}[.)])[ \t]{1,4}\[[^\]\n]{1,300}\]\([^)\s]{1,800}\)[ \t]{0,4}")
_HEAD_LABEL = re.compile(r"[ \t]{0,3}(?:[^\W\d_][^:：\n]{1,58})[:：][ \t]{0,4}")
_SETEXT = re.compile(r" {0,3}={2,200}[ \t]{0,20}")
# An H1 that only marks the note's state, before its real title.
_STATUS = re.compile(r"[\[(]?\s{0,2}(?:미완(?:성)?|작성\s?중|초안|임시|wip|draft|todo|tbd|unfinished)\s{0,2}[\])]?",
                     re.I)


def is_meaningful(line: str) -> bool:
    """True for a line of content: not blank, a rule, a bare date, media or a bare URL."""
    s = line.strip()
    return bool(s) and not _RULE.match(s) and not DATE_LINE.match(s) and not _ONLY_MEDIA.match(s) \
        and not _URL.fullmatch(s) and not _CHROME.match(s) and bool(clean_inline(s))


def infer_title(lines: list[str], stem: str, parent: str) -> tuple[str, int | None]:
    """Return a title and the index of the line it came from (None when from the file name).

    An H1 (markdown or HTML) wins; without one, a file name a person wrote (`Meeting with Steph`,
    `New to Logseq%3F`) is the title, as Obsidian and Logseq show it; else the first line of prose.
    """
    masked = mask_code("\n".join(lines)).split("\n")
    # A name a person wrote titles a note whose H1s are its sections (three or more: `# 1. …`, `# 정리`),
    # and a Logseq page (an outline of tab-indented blocks), whose `# Definition` is its first block.
    if is_descriptive_stem(stem) and (sum(1 for line in masked if line.startswith("# ")) >= 3
                                      or sum(1 for line in masked[:200] if line.startswith("\t- ")) >= 3):
        return title_from_stem(stem), None
    in_math = False
    read = 0  # lines of content before the heading: past a few, an H1 heads a section (`# Links` at the end)
    for i, line in enumerate(masked):
        st = line.strip()
        if in_math:  # a display-math block is never a title
            in_math = not st.endswith("$$")
            continue
        if st.startswith("$$"):
            in_math = st == "$$" or not st.endswith("$$")
            continue
        if st and st[0] not in "#<" and not _RULE.match(st):
            read += 1
            if read > _TITLE_WITHIN:
                break
        if i + 1 < len(masked) and setext_underline(masked[i + 1]) and (i == 0 or not masked[i - 1].strip()) \
                and st and st[0] not in "#<-*+>|" and heading_text(st):
            return heading_text(st), i  # `Title` underlined with `===`: an H1 too
        if st[:1] not in ("#", "<"):
            continue  # neither an ATX heading nor an HTML <h1> (each starts so once its indent is gone)
        m = atx_heading(line)
        if m:
            text = heading_text(m[1])
            if m[0] == 1 and (_STATUS.fullmatch(text) or DATE_LINE.match(text)):
                continue  # `# (미완)`, `# WIP`, `# November 13, 2017`: a mark or a date, the title comes next
            if m[0] == 1 and text:
                return text, i
            if _letters(text) == _letters(title_from_stem(stem)):
                return text, i  # the file's name as written, with the `:` a file name cannot hold
            break  # an H2 before any H1: the note has no H1 title
        h = _HTML_H1.match(line)
        if h and heading_text(h[1]):
            return heading_text(h[1]), i
    name = title_from_stem(stem)
    if is_descriptive_stem(stem):
        return name, None
    if stem.lower() in _GENERIC_STEMS and parent:
        return parent, None
    for i, line in enumerate(masked):
        if line.lstrip().startswith(("<", "$$", "{{", "{%")) or is_breadcrumb(line):
            continue
        if _LINK_ITEM.fullmatch(line):
            break  # `1. [A paper](url)`: a list of links is named by its file, not by its first link
        # `Deep MPC:` alone above a blank line heads a plain-text note, as a heading would.
        if _HEAD_LABEL.fullmatch(line) and (i + 1 == len(masked) or not masked[i + 1].strip()) and is_meaningful(line):
            return clean_inline(line), i
        # `Hot takes:`, `personal interest: 6/10`: labels and fields, not what the note is called.
        if is_meaningful(line) and not _TAG_LABEL.match(line) and not _FIELD_LINE.match(line):
            text = without_hashtags(clean_inline(line))
            if len(text) <= 100:
                return text, i
            break
    return name, None


def _letters(text: str) -> str:
    """Text's letters and digits only, casefolded: how a heading and a file name are compared."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def setext_underline(line: str) -> bool:
    """True for the `===` line under a setext H1 (the line above it is the heading)."""
    return bool(_SETEXT.fullmatch(line))


def heading_text(text: str) -> str:
    """Return a heading's words: wikilink aliases, no images, anchors, HTML or Logseq size suffix."""
    if "{" in text:
        text = _SIZE_SUFFIX.sub("", text)
    if "[[" in text:
        text = _WIKILINK.sub(lambda m: m[2] or m[1], text)
    if "<" in text:
        text = _HTML_TAG.sub("", text)
    text = _IMAGE.sub("", text)
    return clean_inline(html.unescape(text))


def title_from_stem(stem: str) -> str:
    """Return the title a file name gives: escapes decoded, Logseq's `___` as `/`, slugs spaced out."""
    name = unquote(stem).replace("___", "/") if ("%" in stem or "___" in stem) else stem
    if " " in name or not name.isascii() or not name.strip("0123456789-_. "):
        return name.strip()
    text = strip_filename_date(name)
    return re.sub(r"[-_]+", " ", text).strip() or name


def is_descriptive_stem(stem: str) -> bool:
    """True for a file name a person wrote as a title: words with spaces, Hangul, or a bare date."""
    name = unquote(stem).strip()
    if not name or name.lower() in _GENERIC_STEMS or _UNTITLED.match(name):
        return False
    if "___" in name:
        return True  # a Logseq namespace page, `DQN___Dueling` for `DQN/Dueling`: named by its person
    if date_from_filename(name) is not None and not name.strip("0123456789-_. "):
        return True  # a daily note: `2023-09-12`
    # A slug (`kcc-2024-참관기`) was made by a tool; spaces, or Hangul written as is, by a person.
    slug = "-" in name or "_" in name
    return (" " in name and any(ch.isalpha() for ch in name)) or (not slug and _HANGUL_WORD.search(name) is not None)


def is_breadcrumb(line: str) -> bool:
    """True for a navigation line: links joined by `>`, `/`, `|`, `»` or arrows, or prev/next links."""
    s = line.strip()
    if not s or "[" not in s:
        return False
    rest = _LINK_TEXT.sub("", s)
    return not rest.strip(" >/|»›→←·-:") or any(word in s.lower() for word in ("← ", " →", "이전 글", "다음 글"))


def without_hashtags(title: str) -> str:
    """Remove trailing `#tag` words from a title taken from a line of text."""
    stripped = re.sub(r"(?:\s+#[^\s#]+)+\s*$", "", title).strip()
    return stripped or title


def is_category_line(line: str) -> bool:
    """True for a TIL category line such as `🧩 ML library`: a symbol, then a short name."""
    s = line.strip()
    if not s or len(s) > 40:
        return False
    return unicodedata.category(s[0]) == "So" and len(s) > 2 and s[1:].strip() != ""


def category_name(line: str) -> str:
    """Return a category line's name without its leading emoji."""
    s = line.strip()
    i = 0
    while i < len(s) and (unicodedata.category(s[i]) in ("So", "Mn", "Cf", "Sk") or s[i] == "\ufe0f"):
        i += 1
    return s[i:].strip()


def hashtags(text: str) -> list[str]:
    """Return inline #hashtags outside code, URLs and headings, in order of first use."""
    if "#" not in text:
        return []
    masked = _URL.sub(lambda m: " " * len(m[0]), mask_code(text))
    found: list[str] = []
    seen: set[str] = set()  # a list alone made a note of 1,000 hashtags quadratic
    for line in masked.split("\n"):
        if "#" not in line or atx_heading(line):
            continue
        for m in _HASHTAG.finditer(line):
            tag = m[1].rstrip("-/")
            if not _HEX.match(tag) and tag not in seen:
                seen.add(tag)
                found.append(tag)
    return found


def header_tags(lines: list[str], limit: int = 40) -> list[str]:
    """Return tags listed near the top: a `분류`/`Tags` label followed by bullets or a comma list."""
    tags: list[str] = []
    head = lines[:limit]
    for i, line in enumerate(head):
        m = _TAG_LABEL.match(line)
        if not m:
            continue
        rest = (m["rest"] or "").strip()
        if rest:
            # `#a #b #c` with no commas is three tags; `[[area/topic]]` names its page.
            parts = re.split(r"[,，、]", rest) if not _HASH_LIST.fullmatch(rest) else rest.split()
            tags += [t for t in (p.strip(" #").removeprefix("[[").removesuffix("]]").strip() for p in parts) if t]
        else:
            for later in head[i + 1:]:
                b = _BULLET.match(later)
                if b:
                    tags.append(clean_inline(b[1]))
                elif later.strip():
                    break
        if tags:
            break
    return tags


def detect_lang(text: str) -> str:
    """Return ko, en or mixed by the share of Hangul in the letters of text."""
    # A sample is enough to tell the script; counting bytes keeps it cheap on long notes.
    sample = text[:4000]
    if "://" in sample or "www." in sample:
        sample = _URL.sub(" ", sample)
    encoded = sample.encode("utf-8")
    hangul = sum(encoded.count(lead) for lead in _HANGUL_LEADS)  # UTF-8 lead bytes of U+AC00-U+D7FF
    ascii_only = sample.encode("ascii", "ignore")
    latin = len(ascii_only) - len(ascii_only.translate(None, _ASCII_LETTERS))
    if hangul + latin == 0:
        return "en"
    # A Hangul syllable carries about as much as three Latin letters.
    share = 3 * hangul / (3 * hangul + latin)
    if share >= 0.6:
        return "ko"
    if share <= 0.15:
        return "en"
    return "mixed"


def summary_source(body: str, limit: int = 4000) -> str:
    """Return the start of a markdown body as a summary should read it: no headings, no hashtag lines, no `#` marks.

    A summary says what a note is about; its headings and tag lines (`#ml #vision`) are not
    sentences. Code is left alone (a `# comment` there is no heading).
    """
    from notebase.render.lines import closes_fence, fence_of

    lines = body[:limit].split("\n")
    kept: list[str] = []
    fence = None
    for line in lines:
        if fence is not None:
            fence = None if closes_fence(line, *fence) else fence
            kept.append(line)
            continue
        fence = fence_of(line)
        if fence is not None:
            kept.append(line)
            continue
        stripped = line.strip()
        if stripped and set(stripped) <= set("=-") and len(stripped) >= 2 and kept and kept[-1].strip():
            kept.pop()  # a setext heading: the line above was its text
            continue
        if "#" not in line:
            kept.append(line)
            continue
        if atx_heading(line):
            continue
        masked = _URL.sub(lambda m: " " * len(m[0]), line)
        if not _HASHTAG.sub("", masked).strip(" \t,·|/-"):
            continue  # a line of tags alone
        spans = [m.start() for m in _HASHTAG.finditer(masked) if not _HEX.match(m[1])]
        for at in reversed(spans):
            line = line[:at] + line[at + 1:]
        kept.append(line)
    return "\n".join(kept)
