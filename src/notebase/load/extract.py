"""Pull type-specific fields out of a note's text: paper links, authors, venue, sections, talks."""

from __future__ import annotations

import re

from notebase.model import PaperLink, Section, Talk

_URL = re.compile(r"https?://[^\s)<>\]\"']+")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_PAPER_HOSTS = re.compile(r"openaccess\.thecvf\.com|proceedings\.neurips\.cc|papers\.nips\.cc|openreview\.net|"
                          r"aclanthology\.org|dl\.acm\.org/doi|ieeexplore\.ieee\.org|proceedings\.mlr\.press|"
                          r"semanticscholar\.org/paper|link\.springer\.com")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>)\]]+)")
# Label lines: the space before a label stays on its line and no run of spaces is split between
# two `\s*` (700 lines of one space took 25 s under re.M); what follows the colon may wrap.
_AUTHORS = re.compile(r"^[ \t]*+[-*•]?[ \t]*+(?:\*\*)?(?:authors?|저자)(?:\*\*)?[ \t]*+[:：]\s*+(?:\*\*)?\s*+(?P<v>.+)$",
                      re.I | re.M)
_VENUE_LINE = re.compile(r"^[ \t]*+[-*•]?[ \t]*+(?:\*\*)?(?:venue|published in|게재|학회)(?:\*\*)?[ \t]*+[:：]\s*+(?:\*\*)?"
                         r"\s*+(?P<v>.+)$", re.I | re.M)
VENUES = (
    "NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|AAAI|IJCAI|ACL|EMNLP|NAACL|EACL|COLING|KDD|WWW|SIGIR|"
    "SIGGRAPH|WSDM|ICASSP|Interspeech|INTERSPEECH|arXiv|Arxiv|ARXIV|TPAMI|JMLR|TMLR|Nature|Science|"
    "MICCAI|WACV|BMVC|UAI|AISTATS|CoRL|RSS|ICRA|IROS|CIKM|RecSys|ICDE|VLDB|SIGMOD|OSDI|SOSP|NSDI|"
    "ICSE|FSE|PLDI|POPL|CHI|UIST|ISCA|MICRO|ASPLOS|LREC|TACL|CoNLL|ICDM|SDM|3DV|ACCV|ICIP|NDSS|USENIX"
)
# The lookahead lets the engine skip positions that cannot start a venue name.
_VENUE = re.compile(rf"(?=[A-Z3a])\b(?P<name>{VENUES})(?:[\s'\-,]*(?P<year>(?:19|20)\d{{2}}|'?\d{{2}}))?\b(?P<rest>[^)\n,]*)")

SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "purpose": ("목적", "purpose", "motivation", "goal", "배경", "문제 정의", "problem"),
    "method": ("method", "methods", "methodology", "방법", "방법론", "approach", "제안 방법", "model"),
    "experiments": ("실험", "experiment", "experiments", "results", "result", "결과", "evaluation"),
    "novelty": ("novelty", "contribution", "contributions", "기여", "참신성", "key idea", "핵심 아이디어"),
    "review": ("한줄평", "한줄요약", "one-line review", "one line review", "review", "comment", "comments",
               "코멘트", "느낀 점", "소감", "takeaway", "takeaways"),
}
_LABEL_KEY = {label: key for key, labels in SECTION_LABELS.items() for label in labels}
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in _LABEL_KEY), key=len, reverse=True))
_HEADING_LABEL = re.compile(rf"^\s{{0,3}}(?:#{{1,6}}\s*)?(?:\d+[.)]\s*)?(?:\*\*)?(?P<label>{_LABEL_ALT})(?:\*\*)?\s*:?\s*$",
                            re.I)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_INLINE_LABEL = re.compile(rf"(?:^|(?<=[\s•.]))(?P<label>{_LABEL_ALT})\s*:", re.I)
_NAME = r"[\uac00-\ud7a3]{2,4}"
_TALK_LINE = re.compile(rf"^\s*+(?:[-*•]\s*+)?(?P<speaker>{_NAME})\s+(?P<title>[A-Za-z].{{3,}})$")
_HONORIFIC_TALK = re.compile(
    rf"^\s*+(?:[-*•]\s*+)?(?P<speaker>{_NAME})\s*+(?:교수님?|박사님?|연구원님?|님|대표님?|선생님)?\s*+[-–—:]\s++"
    rf"(?P<title>\S.{{3,}})$")
_NAME_ONLY = re.compile(r"^\s*(?P<speaker>[\uac00-\ud7a3]{3})\s*$")
_LABELLED_TALK = re.compile(r"^\s*+[-*•]?\s*+(?:\*\*)?(?:talk|keynote|키노트|발표|강연|invited talk)(?:\*\*)?\s*+[:：]\s*+(?P<v>.+)$",
                            re.I)
_LOCATION = re.compile(r"^[ \t]*+[-*•]?[ \t]*+(?:\*\*)?(?:장소|location|place|where)(?:\*\*)?[ \t]*+[:：]\s*+(?P<v>.+)$",
                       re.I | re.M)
SURNAMES = set("온가간감견경계곡담당대도돈두라매묵범빈빙승시아애야엽영옹요운웅음자잠저점좌증초태판평포피필학해형호화후흥김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉")


COMPOUND_SURNAMES = ("황보", "남궁", "제갈", "선우", "독고", "사공", "서문", "동방")


# Words that start with a surname syllable but label a part of a note: the section labels and more.
NOT_NAMES = set(_LABEL_KEY) | {
    "요약", "정리", "한계", "결론", "참고", "출처", "의견", "문제", "장점", "단점", "특징", "구조",
    "모델", "개요", "소개", "평가", "정의", "주제", "내용", "의의", "비교", "분석", "기타", "전체",
    "최종", "한줄", "이유", "과정", "도입", "마무리", "이야기", "한마디", "추가로", "정리본", "요약본",
    "도입부", "결론부", "오프닝", "클로징",
}


def is_korean_name(text: str) -> bool:
    """True when text looks like a Korean personal name: 2-4 syllables, a common surname."""
    if not re.fullmatch(_NAME, text) or text in NOT_NAMES:
        return False
    if len(text) == 4:
        return text[:2] in COMPOUND_SURNAMES
    return text[0] in SURNAMES or text[:2] in COMPOUND_SURNAMES


def paper_links(text: str) -> tuple[PaperLink, ...]:
    """Return the arXiv, DOI, PDF and code links in text, one per target."""
    links: list[PaperLink] = []
    seen: set[str] = set()
    for m in _URL.finditer(text):
        url = m[0].rstrip(".,;:")
        arxiv = _ARXIV.search(url)
        if arxiv:
            key, link = "arxiv:" + arxiv["id"], PaperLink("arxiv", f"https://arxiv.org/abs/{arxiv['id']}")
        elif "doi.org/" in url:
            key, link = "doi:" + url.split("doi.org/", 1)[1], PaperLink("doi", url)
        elif url.lower().endswith(".pdf"):
            key, link = url, PaperLink("pdf", url)
        elif "github.com/" in url:
            key, link = url, PaperLink("code", url)
        elif _PAPER_HOSTS.search(url):
            key, link = url, PaperLink("web", url)
        else:
            continue
        if key not in seen:
            seen.add(key)
            links.append(link)
    for m in re.finditer(r"\bdoi:\s*" + _DOI.pattern, text, re.I):
        doi = m[1].rstrip(".,;:")
        if "doi:" + doi not in seen:
            seen.add("doi:" + doi)
            links.append(PaperLink("doi", "https://doi.org/" + doi))
    return tuple(links)


def split_names(value: str) -> tuple[str, ...]:
    """Split an author list written with commas, semicolons or 'and'."""
    value = re.sub(r"\*\*|et al\.?", "", value)
    parts = re.split(r"\s*(?:,|;|\band\b|&|·)\s*", value)
    return tuple(p.strip() for p in parts if p.strip())


def authors(text: str) -> tuple[str, ...]:
    """Return the authors an `Authors:`/`저자:` line lists."""
    m = _AUTHORS.search(text)
    return split_names(m["v"]) if m else ()


def venue_year(text: str) -> tuple[str | None, int | None]:
    """Return a venue and year from a `Venue:` line or a `(NeurIPS 2022)`-style mention."""
    head = text[:3000]
    low = head.lower()
    m = _VENUE_LINE.search(head) if ("venue" in low or "published" in low or "게재" in head or "학회" in head) \
        else None
    source = m["v"] if m else head
    v = _VENUE.search(source)
    if not v:
        return (m["v"].strip(" *") if m else None), None
    name = v["name"]
    name = "arXiv" if name.lower() == "arxiv" else name
    year = None
    if v["year"]:
        digits = v["year"].lstrip("'")
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    return name, year


def sections(body: str) -> tuple[Section, ...]:
    """Return the purpose/method/experiments/novelty/review parts a summary writes."""
    found: list[list] = []
    current: list | None = None
    for line in body.split("\n"):
        heading = _HEADING_LABEL.match(line) if len(line) < 60 else None
        if heading:
            label = heading["label"]
            current = [_LABEL_KEY[label.lower()], label, []]
            found.append(current)
            continue
        if _HEADING.match(line):
            current = None
            continue
        marks = list(_INLINE_LABEL.finditer(line)) if ":" in line else []
        if marks and (marks[0].start() <= 2 or len(marks) >= 2):
            if marks[0].start() > 2 and current is not None:
                current[2].append(line[: marks[0].start()])
            for i, mark in enumerate(marks):
                end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
                label = mark["label"]
                current = [_LABEL_KEY[label.lower()], label, [line[mark.end():end]]]
                found.append(current)
            continue
        if current is not None:
            current[2].append(line)
    result = []
    for key, label, parts in found:
        text = "\n".join(parts).strip().strip("•").strip()
        if text:
            result.append(Section(key, label, text))
    return tuple(result)


def talks(body: str) -> tuple[Talk, ...]:
    """Return talks a conference log introduces by `Speaker Title` or `Talk: ...` lines."""
    lines = body.split("\n")
    result: list[Talk] = []
    for i, line in enumerate(lines):
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        labelled = _LABELLED_TALK.match(line)
        if labelled:
            title, _, speaker = labelled["v"].partition(" — ")
            result.append(Talk(speaker.strip(), title.strip()))
            continue
        m = _HONORIFIC_TALK.match(line) or _TALK_LINE.match(line)
        if m and alone and is_korean_name(m["speaker"]) and len(m["title"]) <= 120:
            result.append(Talk(m["speaker"], m["title"].strip()))
            continue
        m = _NAME_ONLY.match(line)
        if m and alone and is_korean_name(m["speaker"]):
            result.append(Talk(m["speaker"], ""))
    return tuple(result)


def location(text: str) -> str | None:
    """Return the place a `장소:`/`Location:` line names."""
    m = _LOCATION.search(text)
    return m["v"].strip(" *") if m else None
