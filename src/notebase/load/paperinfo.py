"""What a note says about the paper it reviews: its own link, title and authors, apart from citations."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from notebase.model import PaperLink
from notebase.load.citations import (MD_LINK, VENUE_YEAR, bracketed_citation, cited_paper, citation_parts, clean_text,
                                     names_and_year, split_names)
from notebase.render.plaintext import mask_code

_HREF = re.compile(r"href\s{0,3}=\s{0,3}[\"'](?P<url>[^\"'\s]{1,800})[\"']", re.I)
_BARE_URL = re.compile(r"https?://[^\s<>\"'\]\[]{1,800}")
_BARE_ARXIV = re.compile(r"\barxiv:\s{0,2}(?P<id>\d{4}\.\d{4,5})(?:v\d{1,2})?", re.I)
_BARE_DOI = re.compile(r"\bdoi:\s{0,2}(?P<id>10\.\d{4,9}/[^\s\"<>\]]{1,200})", re.I)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z\-]{1,20}(?:\.[A-Z]{2})?/\d{7})(?:v\d{1,2})?",
                    re.I)
_DOI_URL = re.compile(r"doi\.org/(?P<id>10\.\d{4,9}/\S{1,200})", re.I)
_HOSTS = ("openaccess.thecvf.com", "proceedings.neurips.cc", "papers.nips.cc", "openreview.net/forum",
          "openreview.net/pdf", "aclanthology.org", "dl.acm.org/doi", "ieeexplore.ieee.org/document",
          "proceedings.mlr.press", "semanticscholar.org/paper", "link.springer.com", "nature.com/articles",
          "sciencedirect.com/science/article")
_BLOCK_START = re.compile(r"(?=<(?:p|li|h[1-6]|br|div|tr|dt|dd)\b)", re.I)

# `**📄 제목:**`, `* Paper (DuPO):`, `논문 원문:`, `- Authors:`: a label, perhaps bold, with an emoji.
_LABEL = re.compile(
    r"^\s{0,6}(?:[-*+•>]\s{1,4}|\d{1,3}[.)]\s{1,3}|#{1,6}\s{1,3})?(?:\*\*|__)?\s{0,2}(?:[^\w\s]{1,4}\s{0,2})?(?:\*\*|__)?"
    r"(?P<label>[A-Za-z가-힣][A-Za-z가-힣 /]{0,24}?)\s{0,2}(?:\([^)\n]{0,40}\))?\s{0,2}(?:\*\*|__)?\s{0,2}"
    r"[:：]\s{0,3}(?:\*\*|__)?\s{0,3}(?P<value>.{0,1500})$"
)
_PAPER_LABELS = {"paper", "papers", "논문", "논문 원문", "원문", "논문 링크", "paper link", "link", "links",
                 "arxiv", "source paper", "original paper", "reference paper", "pdf", "doi", "url"}
TITLE_LABELS = {"title", "paper title", "제목", "논문 제목", "논문명", "논문", "name of the paper", "name of the thesis",
                "paper name", "논문 이름"}
AUTHOR_LABELS = {"author", "authors", "저자", "저자들", "authored by", "by"}
WRITER_LABELS = {"작성자", "발표자", "리뷰어", "reviewer", "presenter", "written by", "writer", "정리",
                 "발제자", "발제", "발표"}
_REFERENCES = re.compile(
    r"^\s{0,3}(?:#{1,6}\s{1,4}|\*\*)?\s{0,2}(?:[^\w\s]{1,4}\s{0,2})?(?:references?|reference papers?|bibliography|"
    r"참고\s?문헌|참고\s?자료|참고\s?논문|참고|레퍼런스|출처|관련\s?논문|related papers?|further reading|"
    r"see also|citations?|cited by|links?|(?:같이|함께)\s?(?:보면|읽으면|읽을)\s?좋(?:을|은)\s?(?:논문|글|자료)들?|"
    r"(?:추천|더 읽을|읽어볼)\s?(?:만한\s?)?(?:논문|글|자료|거리)들?)\s{0,2}(?:\*\*)?\s{0,2}:?\s*$", re.I)
_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s")
_LINK_HEADING = re.compile(r"^\s{0,3}#{1,6}\s{1,4}(?:paper\s)?links?\s*:?\s*$", re.I)
_SELF = ("이 논문", "본 논문", "해당 논문", "논문에서는", "논문은", "저자들은", "저자는", "this paper",
         "the paper", "the authors", "the author ", "this work propose", "we propose", "논문을 소개", "논문 소개", "논문 리뷰",
         "논문을 읽고", "논문에 대해", "논문을 정리", "paper review", "in this paper")
_ET_AL = re.compile(r"(?P<name>[A-Z][A-Za-z\-'’]{1,30}(?:\s[A-Z][A-Za-z\-'’]{1,30}){0,2})\s{1,3}et\s{1,2}al\b")
_KO_ET_AL = re.compile(r"(?<![가-힣])(?P<name>[가-힣]{2,4})\s{0,2}(?:외|등)\s{0,2}(?:\d{1,3}\s?인|\(\d{4}\))")
_GENERIC_TEXT = {"arxiv", "paper", "pdf", "link", "논문", "원문", "here", "여기", "doi", "abs", "code",
                 "github", "project", "project page", "website", "링크", "paper link", "논문 링크"}


# Link text that names where a paper is, not what it is called: `arXiv:2205.14135`, a DOI, `Rafailov et al., 2023`.
_CITATION_TEXT = re.compile(r"^(?:arxiv|doi|pdf)\b|^\d{4}\.\d{4,5}|^10\.\d{4,9}/|\.(?:pdf|html?)$|"
                            r"\bet\s{1,2}al\.?,?\s{0,2}\(?(?:19|20)\d{2}\)?$", re.I)
# `Link to the paper`, `원문 링크 보기`: link text that only points.
_POINTER_WORDS = frozenset("link links to the a paper here pdf read original full text version this that "
                           "available at on see 논문 링크 원문 보기 바로가기 여기".split())
_QUOTED = re.compile(r"[“\"]([^”\"\n]{8,300})[”\"]")
# `[발표자료 링크](….pdf)`, `Slides:`: what a talk showed, not a paper.
_TALK_MATERIAL = re.compile(r"발표\s?자료|슬라이드|\bslides?\b|\bdeck\b|\bhandout", re.I)
_HEAD = 12  # lines: a paper linked this early is the one the note is about


@dataclass(frozen=True)
class PaperFacts:
    """The paper a note is about, as its text gives it, and how much else it cites."""

    links: tuple[PaperLink, ...] = ()  # the paper's own links: arXiv/DOI/PDF first, then its code
    title: str | None = None  # from a Title:/논문: line or the own link's text
    authors: tuple[str, ...] = ()  # from an Authors line, or `Name et al.` where the paper is named
    writer: str | None = None  # who wrote the note: 작성자/Reviewer/Presenter
    labelled: bool = False  # a Paper:/논문:/Title: line names the paper
    cited: int = 0  # distinct papers linked outside the References
    self_reference: bool = False  # "이 논문", "this paper": the note reviews one paper


@dataclass(frozen=True)
class _Found:
    line: int
    text: str
    url: str
    kind: str
    key: str
    labelled: bool
    in_refs: bool


def link_kind(url: str) -> tuple[str, str, str] | None:
    """Return (kind, key, canonical url) for a paper or code link, or None for any other link."""
    url = url.rstrip(".,;:")
    m = _ARXIV.search(url)
    if m:
        return "arxiv", "arxiv:" + m["id"].lower(), f"https://arxiv.org/abs/{m['id']}"
    m = _DOI_URL.search(url)
    if m:
        doi = _balanced(m["id"])
        return "doi", "doi:" + doi.lower(), "https://doi.org/" + doi
    low = url.lower()
    if low.endswith(".pdf"):
        return "pdf", url, url
    if "github.com/" in low:
        return "code", url, url
    if any(host in low for host in _HOSTS):
        return "web", url, url
    return None


def _balanced(doi: str) -> str:
    """Trim a DOI's trailing punctuation and unbalanced closing parenthesis: `10.1016/x(20)30183-5`."""
    doi = doi.rstrip(".,;:")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;:")
    return doi


def _label(line: str) -> tuple[str, str] | None:
    if ":" not in line and "：" not in line:
        return None
    m = _LABEL.match(line)
    if not m:
        return None
    label, value = m["label"].strip().lower(), m["value"]
    first = label.split("/")[0].strip()
    if first != label and first in AUTHOR_LABELS:
        # `Author/Institution : A, B / Lab`: the names, before what the label pairs them with.
        return first, value.split(" / ")[0]
    return label, value


def _links_of(line: str, is_html: bool) -> list[tuple[str, str]]:
    if is_html:
        return _html_links(line)
    found = [(m["text"], m["url"]) for m in MD_LINK.finditer(line)] if "](" in line else []
    rest = MD_LINK.sub(" ", line) if found and not is_html else line
    if "://" in rest:
        found += [("", m[0]) for m in _BARE_URL.finditer(rest)]
    if "arxiv:" in rest.lower():
        found += [("", "https://arxiv.org/abs/" + m["id"]) for m in _BARE_ARXIV.finditer(rest)]
    if "doi:" in rest.lower():
        found += [("", "https://doi.org/" + m["id"]) for m in _BARE_DOI.finditer(rest)]
    return found


def _html_links(line: str) -> list[tuple[str, str]]:
    """Return (text, href) of each anchor on a line of HTML, found by plain string search."""
    found = []
    for m in _HREF.finditer(line):
        start = line.find(">", m.end())
        end = line.find("</a", start) if start >= 0 else -1
        text = line[start + 1:end] if 0 <= start < end <= start + 600 else ""
        found.append((text, html.unescape(m["url"])))
    return found


def paper_facts(body: str, is_html: bool = False) -> PaperFacts:
    """Read the paper's own link, title, authors and the note's writer out of a body."""
    if is_html:  # one line per block, so labels and References read as they do in markdown
        body = _BLOCK_START.sub("\n", body)
    lines = (body if is_html else mask_code(body)).split("\n")
    refs_level = None
    in_refs = False
    found: list[_Found] = []
    title = authors_line = writer = None
    own_section = False  # under a `#### Link` heading at the top: the paper's own links
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            own_section = False
        if _REFERENCES.match(line):
            if i < _HEAD and heading and _LINK_HEADING.match(line):
                own_section = True
                continue
            in_refs, refs_level = True, len(heading["marks"]) if heading else 7
            continue
        if heading and in_refs and len(heading["marks"]) <= (refs_level or 7):
            in_refs = False
        labelled = _label(line)
        label = labelled[0] if labelled else ""
        if label in TITLE_LABELS and title is None and not in_refs:
            value = VENUE_YEAR.sub("", clean_text(MD_LINK.sub(lambda m: m["text"], labelled[1])))
            if 8 <= len(value) <= 300 and "://" not in value:
                title = value
        elif label in AUTHOR_LABELS and authors_line is None and not in_refs:
            authors_line = labelled[1]
        elif label in WRITER_LABELS and writer is None and not in_refs and _names_a_person(clean_text(labelled[1])):
            writer = clean_text(labelled[1])[:80] or None
        if "://" not in line and ":" not in line:
            continue
        for text, url in _links_of(line, is_html):
            kind = link_kind(url)
            if kind and not (kind[0] == "pdf" and _TALK_MATERIAL.search(text or label)):  # a talk's slides are no paper
                found.append(_Found(i, clean_text(text), kind[2], kind[0], kind[1],
                                    own_section or label in _PAPER_LABELS or label in TITLE_LABELS, in_refs))
    papers = [f for f in found if f.kind != "code"]
    outside = {f.key for f in papers if not f.in_refs}
    low = "\n".join(lines[:200]).lower()
    low = low.replace("논문들", "")  # `이 논문들은` refers to none of its own
    self_reference = any(s in low for s in _SELF)
    own = _own_link(papers, len(outside), self_reference or title is not None)
    links: list[PaperLink] = []
    link_title = None
    if own is not None:
        # The paper's own line may give several of its links (arXiv, DOI, PDF); citations elsewhere do not count.
        keys: set[str] = set()
        for f in papers:
            if (f.line == own.line or f.key == own.key) and f.key not in keys:
                keys.add(f.key)
                links.append(PaperLink(f.kind, f.url))
        code = next((f for f in found if f.kind == "code" and f.line >= own.line - 3 and not f.in_refs), None)
        if code is not None:
            links.append(PaperLink("code", code.url))
        cited_names = names_and_year(own.text)  # `Wang, de Freitas, Lanctot, 2016`: who, not what
        if cited_names and authors_line is None:
            authors_line = cited_names
        # A link's text names the paper when the line labels it, or when it reads like a title.
        if title is None and own.text and own.text.lower() not in _GENERIC_TEXT and "://" not in own.text \
                and not _CITATION_TEXT.search(own.text) and not cited_names \
                and not set(re.findall(r"\w+", own.text.lower())) <= _POINTER_WORDS \
                and (own.labelled or (len(own.text) >= 12 and len(own.text.split()) >= 3)):
            link_title = own.text
    stated = title is not None  # a Title:/논문: line; a link's own text names a paper, it labels none
    # `* A and B. Title. 2003 url` on the paper's own line, or a reference near the top when none is labelled.
    cited_as = citation_parts(lines[own.line]) if own is not None else None
    if cited_as is None and title is None and authors_line is None:
        head = [c for line in lines[:_HEAD] if (c := cited_paper(line)) is not None]
        if len(head) != 1 and own is not None:
            head = [c for n in range(min(_HEAD, len(lines))) if (c := bracketed_citation(lines, n)) is not None]
        if len(head) == 1:  # one reference at the top states the note's paper, as a Title: line would
            cited_as, stated = head[0], True
    if cited_as is not None:
        link_title = link_title or cited_as[1]
        authors_line = authors_line or cited_as[0]
    title = title or link_title
    quoted = _QUOTED.search(title) if title else None  # a citation: `Liu, H. et al. “DARTS: …” ICLR 2019`
    return PaperFacts(
        links=tuple(links), title=quoted[1].strip(" .,") if quoted else title, authors=_authors(authors_line, lines, own),
        writer=writer, labelled=bool(own is not None and own.labelled) or stated,
        cited=len(outside), self_reference=self_reference,
    )


def _own_link(papers: list[_Found], outside: int, named: bool) -> _Found | None:
    """The reviewed paper's link: a labelled one, else the one linked at the very top, else the only
    paper linked outside the References of a note that names its paper ("this paper", `Title:`)."""
    for pool in ([f for f in papers if f.labelled and not f.in_refs], [f for f in papers if f.labelled]):
        if pool:
            return pool[0]
    first = next((f for f in papers if not f.in_refs), None)
    if first is not None and (first.line < _HEAD or outside <= 2 and named):
        return first
    return None


def _names_a_person(value: str) -> bool:
    """True for a value a writer label can hold: a short name, no dates, counts or formulas (`정리: O(N²)`)."""
    return 0 < len(value) <= 40 and len(value.split()) <= 5 and not any(ch.isdigit() or ch in "=^²()<>" for ch in value)


# `#### [[Joel Van Der Woude]] [[Matthew Hicks]], 2016` under an Obsidian paper note's title.
_WIKI_NAME = re.compile(r"\[\[([^\[\]|\n]{3,60})\]\]")
_WIKI_NAMES = re.compile(r"\s{0,3}(?:#{1,6}\s{1,3})?(?:\[\[[^\[\]|\n]{3,60}\]\][\s,]{0,3}){1,12}(?:(?:19|20)\d{2})?\s{0,3}")


def _authors(line: str | None, lines: list[str], own: _Found | None) -> tuple[str, ...]:
    if line:
        return split_names(line)
    for text in lines[:6]:
        if "[[" in text and _WIKI_NAMES.fullmatch(text):
            names = tuple(n.strip() for n in _WIKI_NAME.findall(text))
            if all(len(n.split()) >= 2 and n.split()[0][:1].isupper() for n in names):
                return names
    # `Devlin et al.` or `홍길동 등` counts only beside the paper's own link, where the note names its paper.
    if own is None:
        return ()
    for text in lines[max(0, own.line - 1): own.line + 2]:
        m = _ET_AL.search(text) or _KO_ET_AL.search(text)
        if m:
            return (m["name"],)
    return ()
