"""Choose paper, conference or tip when front matter is silent, from weighed evidence in the note."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from notebase.model import EntryType
from notebase.load.dates import folder_date, strip_filename_date
from notebase.load.extract import VENUES
from notebase.load.paperinfo import PaperFacts

# Content signals are substrings of lowercased text: Korean words carry particles (학회에서), and plain
# substring tests are far cheaper than big regex alternations.
_STRONG_PAPER = re.compile(r"arxiv\.org/(?:abs|pdf)/|doi\.org/|\bdoi:\s{0,2}10\.|openreview\.net|"
                           r"aclanthology\.org|openaccess\.thecvf")
_PAPER_WORDS = ("논문", "paper", "arxiv", "abstract", "초록", "저자", "proceedings")
_PAPER_TITLE = ("논문", "paper")
_REVIEW_TITLE = ("리뷰", "review", "요약", "summary")
_LIST_TITLE = ("목록", "reading list", "awesome", "links", "모음", "list of")
_PAPER_SECTIONS = ("목적", "실험", "experiment", "novelty", "한줄평", "한줄요약", "contribution", "related work",
                   "motivation", "abstract", "제안 방법", "proposed method", "strengths", "weaknesses", "limitations")
_CONF_WORDS = ("학회", "학술대회", "컨퍼런스", "심포지엄", "워크숍", "워크샵", "포스터", "키노트", "기조연설",
               "참관", "발표장", "conference", "symposium", "workshop", "poster session", "keynote", "booth",
               "summit", "세션들", "발표들", "여러 세션", "여러 발표", "발표자님", "부스", "invited talk", "organizers",
               "organisers", "best paper award")
CONFERENCE_TITLE_WORDS = ("학회", "학술대회", "컨퍼런스", "심포지엄", "워크숍", "워크샵", "참관", "conference", "symposium",
               "workshop", "summit", "devfest", "meetup", "밋업", "세미나", "seminar", "테크콘서트", "tech concert",
               "trip report", "후기", "forum", "포럼", "expo", "hackathon", "해커톤", "keynote", "키노트")
_EVENT_PHRASES = ("에서 열린", "에 열린", "에서 개최", "에서 진행된", "참석했", "참석한", "다녀왔", "다녀온",
                  "held at", "held in", "attended", "took place")
_TALK_MARKS = ("발표자료", "발표 자료", "발표영상", "발표 영상", "발표자", "연사", "speaker", "slides", "세션")
# `- ⏰ 일시 : 2018. 09. 04`, `Where: COEX`: what an event's page states about it, as labelled lines.
_EVENT_LABEL = re.compile(r"^[ \t]{0,6}(?:[-*+][ \t]{1,4})?(?:\*\*)?[^\w\s]{0,4}[ \t]{0,2}"
                          r"(일시|장소|주최|주관|행사명|when|where|host|hosted by|organi[sz]er|organi[sz]ed by|location)"
                          r"(?:\*\*)?[ \t]{0,2}[:：]", re.M)
# `저자/연도: A, et al. (2015)`, `Authors: …`: a line giving one paper's authors.
_AUTHOR_LINE = re.compile(r"^[^\w\n]{0,6}(?:저자|authors?)(?:\s?/\s?(?:연도|year))?[ \t]{0,2}[:：]", re.M)
# A line naming a talk's speaker: a log of several talks names several.
_SPEAKER_LINE = re.compile(r"^[ \t]{0,6}(?:[-*+][ \t]{1,4})?(?:\*\*)?(?:speakers?|presenters?|발표자|연사)(?:\*\*)?"
                           r"[ \t]{0,2}[:：]", re.M | re.I)
# A table heading a talk's notes: its columns name the speaker beside the title or the date.
_TALK_TABLE = re.compile(r"^\|[^\n]{0,200}?\b(?:speakers?|presenters?|발표자|연사)\b[^\n]{0,200}\|[ \t]*$", re.M)
# A class, a meeting or a project log says so in its title; none of them is a conference.
_NOT_EVENT_TITLE = re.compile(r"\d{1,2}\s?주차|\bweek\s?\d|lecture|강의|수업|lesson|chapter|\bsession\s?\d|"
                              r"세션\s?\d|meeting|회의|미팅|일지|\blog\b|template|템플릿|retro|회고")
_TIP_WORDS = ("팁", "명령어", "command", "설정", "단축키", "how to", "함수", "에러", "오류")
_TIP_ABBREVIATIONS = re.compile(r"\b(?:til|tips?|cli)\b")  # whole words: `until`, `still`, `client` are none
_PAPER_PLACES = {"paper", "papers", "paperreview", "paperreviews", "papersummary", "papersummaries", "논문",
                 "논문리뷰", "논문정리", "논문요약", "논문읽기", "readingpapers", "paperreading"}
_CONF_PLACES = {"conference", "conferences", "학회", "학회후기", "컨퍼런스", "conferencelog", "conferencelogs",
                "tripreport", "tripreports", "참관기", "학술대회"}
_HUB_STEMS = {"readme", "summary", "_index", "index", "toc", "contents", "sidebar", "_sidebar", "home"}


# `2021-FEConf/`, `PyCon_2019/`: a folder per event, the year beside a name that says conference.
_EVENT_FOLDER = re.compile(r"(?:(?P<y1>(?:19|20)\d{2})[-_ ](?P<n1>[^/]{2,40})|(?P<n2>[^/]{2,40})[-_ ](?P<y2>(?:19|20)\d{2}))")
_FUSED_EVENT_FOLDER = re.compile(r"(?P<n2>[A-Za-z][A-Za-z\-]{1,30}?)(?P<y2>(?:19|20)\d{2})")  # `aaai2016`, `PyCon2019`
_VENUE_NAME = re.compile(rf"(?i:{VENUES})")
_EVENT_BRACKET = re.compile(r"\s{0,3}\[(?P<name>[^\[\]\d\n]{2,40}?)[ \-_]?'?(?:19|20)\d{2}[ \t]?(?:후기|참관기|참석기|review)?\]",
                            re.I)
_YEAR_FOLDER = re.compile(r"(?:19|20)\d{2}")
_NAME_FOLDER = re.compile(r"[A-Za-z][A-Za-z\-_]{2,40}")
_EVENT_ENDINGS = ("conf", "con", "콘", "컨퍼런스", "conference", "summit", "devfest", "meetup", "세미나", "학회", "모임")


def folder_event(path: str, naming: bool = True) -> str | None:
    """Return the event a note's folder is named after, or None: `2021-FEConf/` gives `FEConf 2021`,
    `[221108]SK_Tech_Summit/` (a folder of the day) `SK Tech Summit 2022`; when only `naming` a
    conference log already known as one, also `aaai2016/` (`AAAI 2016`).

    A venue's folder names the event of a conference log but does not make one: `CVPR2021/` holds
    reviews of that year's papers as often as notes from the conference itself.
    """
    return _named_folder_event(PurePosixPath(path).parts[:-1], naming)


def year_folder_event(path: str, title: str) -> str | None:
    """The event of a conference log kept as `2018/pycity/talk.md` (`pycity 2018`), unless its title names it itself."""
    parts = PurePosixPath(path).parts[:-1]
    if len(parts) < 2 or not _YEAR_FOLDER.fullmatch(parts[-2]) or not _NAME_FOLDER.fullmatch(parts[-1]):
        return None
    name = parts[-1].replace("-", " ").replace("_", " ")
    return None if name.casefold() in title.casefold() else f"{name} {parts[-2]}"


def _named_folder_event(parts: tuple[str, ...], naming: bool) -> str | None:
    for part in reversed(parts):
        day = folder_date(part)
        if day is not None:
            part = strip_filename_date(part).strip(" _-")
        m = _EVENT_FOLDER.fullmatch(part) or _FUSED_EVENT_FOLDER.fullmatch(part)
        found = m.groupdict() if m else {}
        name = found.get("n1") or found.get("n2") or part
        year = found.get("y1") or found.get("y2") or (str(day.year) if day else None)
        name = name.replace("_", " ").strip()
        if year and naming and _VENUE_NAME.fullmatch(name):
            return f"{name.upper()} {year}"
        if year and name.lower().replace(" ", "").replace("-", "").endswith(_EVENT_ENDINGS):
            return f"{name} {year}"
    return None


def place_type(path: str, labels: tuple[str, ...] = ()) -> EntryType | None:
    """Return the type a folder, tag or category names (`paper-review/`, `논문리뷰`, `Conferences`, `2021-FEConf`)."""
    if folder_event(path, naming=False):
        return EntryType.CONFERENCE
    names = [part for part in PurePosixPath(path).parts[:-1]] + list(labels)
    for name in names:
        key = re.sub(r"[\s_\-]+", "", str(name).lower())
        if key in _PAPER_PLACES:
            return EntryType.PAPER
        if key in _CONF_PLACES:
            return EntryType.CONFERENCE
    return None


def is_hub(path: str, facts: PaperFacts | None, body: str) -> bool:
    """True for an index page: SUMMARY, a README or _index of links, a table of contents, a link list.

    A README or summary.md that links one paper of its own, or that is mostly prose, is a note (a
    folder per paper, its review in README.md), not an index.
    """
    stem = PurePosixPath(path).stem.lower()
    if stem in _HUB_STEMS and "/" not in path:
        return True  # the notes folder's own README describes the collection
    if stem in _HUB_STEMS:
        if facts is not None and facts.links and facts.cited <= 2:
            return False
        return _index_like(body)
    if facts is None or facts.labelled:
        return False
    return facts.cited >= 6 or facts.cited >= 2 and _only_links(body)


def _only_links(body: str) -> bool:
    """True when every line of a note but its headings holds a link: a reading list, however short."""
    lines = [line for line in body.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and all("](" in line or "://" in line for line in lines)


def paper_shaped(title: str) -> bool:
    """True for a title shaped as papers are: `PEGASUS: Pre-training with Extracted Gap-sentences for …`,
    a one-word name, a colon, then four or more words, most of them capitalised."""
    name, colon, rest = title.partition(":")
    words = rest.split()
    if not colon or not 2 <= len(name.strip()) <= 30 or " " in name.strip() or len(words) < 4:
        return False
    return sum(1 for w in words if w[:1].isupper()) >= 0.6 * len(words)


def _index_like(body: str) -> bool:
    """True for a page of links to other notes, or of too little text to be a note: what a README index holds."""
    lines = [line for line in body.split("\n") if line.strip() and not line.lstrip().startswith(("#", "|", "---"))]
    if len(_NOTE_LINK.findall(body)) >= 2:
        return True  # it leads to other notes
    linked = sum(1 for line in lines if _LINK.search(line))
    prose = sum(len(line.strip()) for line in lines if len(line.strip()) >= 20 and not _LINK.search(line))
    return linked >= 0.15 * len(lines) or prose < 1000


_LINK = re.compile(r"(?<!!)\[[^\]\n]{0,300}\]\(|\[\[|://")  # a link, not an image
_NOTE_LINK = re.compile(r"(?<!!)\]\((?!https?:|#)[^()\s]{1,300}\.(?:md|markdown)(?:#[^()\s]{0,100})?\)")


def infer_type(text: str, title: str, *, has_code: bool, dated_item: bool = False,
               facts: PaperFacts | None = None) -> EntryType:
    """Choose paper, conference or tip from content signals when front matter is silent."""
    size = len(text)
    low = text[:4000].lower()  # the signals that matter sit near the top; keep long notes cheap
    shown_title, title = title, title.lower()
    if facts is not None:
        paper = 6 * facts.labelled or 4 * bool(facts.links)
        paper += 3 * facts.self_reference
    else:
        paper = 4 * bool(_STRONG_PAPER.search(low))
    paper += min(2, sum(low.count(w) for w in _PAPER_WORDS))
    paper += 2 * ("et al" in low[:1500])  # names the authors of the work it is about
    paper += min(3, sum(1 for w in _PAPER_SECTIONS if w in low))
    paper += 4 * any(w in title for w in _PAPER_TITLE) or 2 * any(w in title for w in _REVIEW_TITLE) \
        or 2 * paper_shaped(shown_title)
    not_event = _NOT_EVENT_TITLE.search(title) is not None
    labelled = facts is not None and facts.labelled
    if facts is not None and facts.cited >= 4 and not labelled and not facts.links:
        paper = min(paper, 3)  # an essay or reading list that cites many papers reviews none
    if len(_AUTHOR_LINE.findall(low)) >= 3:
        paper = min(paper, 3)  # several papers, each with its authors: a reading guide, linked or not
    if (not_event or any(w in title for w in _LIST_TITLE)) and not labelled:
        paper = min(paper, 3)  # a lecture, a meeting or a project log that mentions papers
    conf_hits = sum(1 for w in _CONF_WORDS if w in low)
    # One stray "Conference" is usually a citation; a log of a conference says several such words.
    conference = min(6, 2 * conf_hits) if conf_hits >= 2 else conf_hits
    conference += 3 * any(w in low for w in _EVENT_PHRASES)
    conference += 3 * (sum(1 for w in _TALK_MARKS if w in low) >= 2)
    conference += 5 * any(w in title for w in CONFERENCE_TITLE_WORDS)
    conference += 4 * (len(set(_EVENT_LABEL.findall(low[:1500]))) >= 2)  # when and where it was held, by whom
    conference += 5 * (len(_SPEAKER_LINE.findall(text, 0, 20000)) >= 3)  # several talks, each with its speaker
    conference += 4 * bool(_TALK_TABLE.search(low, 0, 1500))  # `| Date | Title | Speaker |` atop a talk's notes
    if not_event:
        conference = min(conference, 3)
    # `[SOSCON 2016] 발표 제목`, `[인프콘 2022후기] … 회고`: an event and its year, then a talk (even one
    # whose own title says retrospective or lecture).
    bracket = _EVENT_BRACKET.match(shown_title)
    if bracket and not _VENUE_NAME.search(bracket["name"]) and not any(w in bracket["name"].lower()
                                                                        for w in _PAPER_TITLE + _REVIEW_TITLE):
        conference += 4
    tip_words = sum(1 for w in _TIP_WORDS if w in low) + len(set(_TIP_ABBREVIATIONS.findall(low)))
    tip = 3 * has_code + 2 * dated_item + min(2, tip_words)
    tip += 2 * (size < 1200)
    # A paper or a conference needs real evidence (4 points); a note that has none is a tip.
    score, _, kind = max((paper, 2, EntryType.PAPER), (conference, 1, EntryType.CONFERENCE),
                         (tip, 0, EntryType.TIP))
    return kind if score >= 4 or kind is EntryType.TIP else EntryType.TIP
