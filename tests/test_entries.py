"""build_entry on raw notes, and load on small knowledge bases written to tmp_path."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import write_notes

from notebase.config import load_config
from notebase.load.entries import build_entry, parse_type
from notebase.errors import Severity, once_each
from notebase.load.loader import load
from notebase.model import ConferenceLog, EntryType, PaperLink, PaperSummary, Talk, TechTip
from notebase.load.readers.markdown import read_markdown
from notebase.load.readers.raw import RawNote

D = dt.date


def entries_of(text: str, rel: str = "a.md", mtime: float = 0.0):
    notes, problems = read_markdown(rel, text, mtime)
    out = []
    for raw in notes:
        entry, more = build_entry(raw)
        out.append(entry)
        problems += more
    return out, once_each(problems)


def one(text: str, rel: str = "a.md", mtime: float = 0.0):
    entries, problems = entries_of(text, rel, mtime)
    assert len(entries) == 1
    return entries[0], problems


def load_kb(tmp_path, files: dict[str, str | bytes]):
    write_notes(tmp_path, files)
    return load(load_config(tmp_path))


def test_front_matter_wins_over_inference():
    text = ("---\ntitle: Stated Title\ndate: 2021.04.25\ntags: [alpha]\ntype: til\n---\n"
            "# Inferred Title\n\nWritten 2023-01-01 about a paper on arXiv https://arxiv.org/abs/2301.01234 #gamma\n")
    entry, problems = one(text)
    assert problems == []
    assert isinstance(entry, TechTip)
    assert (entry.title, entry.date, entry.date_source) == ("Stated Title", D(2021, 4, 25), "front matter")
    # Stated tags replace inferred hashtags.
    assert entry.tags == ("alpha",)
    assert entry.id == "a"  # from the file, not the title: a retitled note keeps its URL


def test_inference_fills_what_front_matter_leaves_out():
    entry, problems = one("# 추론된 제목\n\n작성일 2023-01-05. 본문 #태그 #extra\n")
    assert problems == []
    assert entry.title == "추론된 제목"
    assert (entry.date, entry.date_source) == (D(2023, 1, 5), "text")
    assert entry.tags == ("태그", "extra")
    assert "추론된 제목" not in entry.body  # the H1 became the title


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ("tags: [a, b]", ("a", "b")),
        ('tags: "a, b, #c"', ("a", "b", "c")),
        ("tag: solo", ("solo",)),
        ("categories: [ML, NLP]", ("ML", "NLP")),
        ("category: 비전", ("비전",)),
        ("keywords: x,  y", ("x", "y")),
        ("tags: [a, A, [b, c]]\nkeywords: b", ("a", "b", "c")),
    ],
)
def test_tag_keys(meta, expected):
    entry, problems = one(f"---\n{meta}\n---\nbody #ignored\n")
    assert problems == []
    assert entry.tags == expected


def test_tags_as_mapping_is_a_problem_at_its_line():
    _, problems = one("---\ntitle: x\ntags: {a: 1}\n---\nbody\n")
    assert [(p.line, p.severity) for p in problems] == [(3, Severity.ERROR)]
    assert "'tags' must be a list" in problems[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("paper-summary", EntryType.PAPER), ("논문", EntryType.PAPER), ("Paper Review", EntryType.PAPER),
     ("conference-log", EntryType.CONFERENCE), ("학회", EntryType.CONFERENCE),
     ("til", EntryType.TIP), ("tech-tip", EntryType.TIP), ("TIP", EntryType.TIP), ("blah", None)],
)
def test_parse_type_aliases(value, expected):
    assert parse_type(value) is expected


@pytest.mark.parametrize(("value", "cls"), [("paper-summary", PaperSummary), ("논문", PaperSummary),
                                           ("conference-log", ConferenceLog), ("학회", ConferenceLog),
                                           ("til", TechTip), ("tech-tip", TechTip)])
def test_type_alias_in_front_matter(value, cls):
    entry, problems = one(f"---\ntitle: T\ntype: {value}\n---\nplain body\n")
    assert problems == []
    assert type(entry) is cls


def test_unknown_type_is_a_problem_and_type_is_inferred():
    entry, problems = one("---\ntitle: T\ntype: blah\n---\n논문 요약입니다. https://arxiv.org/abs/2101.00001\n\n"
                          "Abstract and method.\n")
    assert entry.type is EntryType.PAPER
    assert [(p.line, "blah" in p.message) for p in problems] == [(3, True)]


def test_paper_fields_from_text():
    text = ("# Sparse Experts Summary\n\n저자: 김민준, 이서연 and Park\n\n"
            "Published as (NeurIPS 2022). Links: https://arxiv.org/abs/2301.01234v2 "
            "https://doi.org/10.1000/xyz https://example.com/paper.pdf\n\n"
            "## 목적\n문제를 정의한다.\n## Method\n새 방법을 쓴다.\n실험: 잘 된다. novelty: 새롭다.\n## 한줄평\n좋다.\n")
    entry, problems = one(text)
    assert problems == []
    assert isinstance(entry, PaperSummary)
    assert entry.authors == ("김민준", "이서연", "Park")
    assert (entry.venue, entry.year) == ("NeurIPS", 2022)
    assert entry.paper_links == (PaperLink("arxiv", "https://arxiv.org/abs/2301.01234"),
                                 PaperLink("doi", "https://doi.org/10.1000/xyz"),
                                 PaperLink("pdf", "https://example.com/paper.pdf"))
    assert entry.url == "https://arxiv.org/abs/2301.01234"
    assert [(s.key, s.label, s.text) for s in entry.sections] == [
        ("purpose", "목적", "문제를 정의한다."), ("method", "Method", "새 방법을 쓴다."),
        ("experiments", "실험", "잘 된다."), ("novelty", "novelty", "새롭다."), ("review", "한줄평", "좋다.")]
    assert entry.paper_title == "Sparse Experts Summary"


def test_paper_fields_from_front_matter():
    text = ("---\ntype: paper\ntitle: T\nauthors: Alice, Bob and Carol\nvenue: ICLR 2021\narxiv: 2010.11929\n"
            "doi: 10.5555/abc\npdf: https://x.org/p.pdf\npresenter: 김민준\n---\n목적: 목표. Method: 방법.\n")
    entry, problems = one(text)
    assert problems == []
    assert entry.authors == ("Alice", "Bob", "Carol")
    assert (entry.venue, entry.year) == ("ICLR", 2021)
    assert entry.presenter == "김민준"
    assert [link.kind for link in entry.paper_links] == ["arxiv", "doi", "pdf"]
    assert entry.paper_links[0].url == "https://arxiv.org/abs/2010.11929"
    assert [s.key for s in entry.sections] == ["purpose", "method"]


def test_paper_authors_list_and_bad_year():
    entry, problems = one("---\ntype: 논문\nauthors: [Alice, Bob]\nyear: twenty\n---\nbody\n")
    assert entry.authors == ("Alice", "Bob")
    assert [p.line for p in problems] == [4]
    assert "year" in problems[0].message


def test_conference_fields():
    text = ("---\ntype: 학회\ndates: [2024-06-27, 2024-06-29]\nlocation: 서울 코엑스\n---\n# KCC 2024 참관기\n\n"
            "첫날 키노트를 들었다.\n\n김철수 Large Models for Code\n\n이영희\n\nTalk: Robust Vision — 박민수\n")
    entry, problems = one(text)
    assert problems == []
    assert isinstance(entry, ConferenceLog)
    assert entry.event == "KCC 2024"  # the trip-report word is not part of the event's name
    assert (entry.start, entry.end) == (D(2024, 6, 27), D(2024, 6, 29))
    assert entry.location == "서울 코엑스"
    assert entry.talks == (Talk("김철수", "Large Models for Code"), Talk("이영희", ""),
                           Talk("박민수", "Robust Vision"))


def test_conference_event_range_and_talk_list():
    text = ("---\ntitle: ACL Day\ntype: conference-log\nevent: ACL 2024\nplace: Bangkok\n"
            "dates: 2024-08-11..2024-08-13\ntalks:\n  - {speaker: Kim, title: Parsing}\n  - 'Lee: Tokens'\n---\n"
            "Notes.\n\n장소: ignored\n")
    entry, problems = one(text)
    assert problems == []
    assert (entry.event, entry.location) == ("ACL 2024", "Bangkok")
    assert (entry.start, entry.end) == (D(2024, 8, 11), D(2024, 8, 13))
    assert entry.talks == (Talk("Kim", "Parsing"), Talk("Lee", "Tokens"))


def test_conference_end_before_start_is_a_problem():
    entry, problems = one("---\ntitle: X\ntype: conference\nstart: 2024-08-12\nend: 2024-08-11\n---\nx\n")
    assert [p.line for p in problems] == [5]
    assert entry.end == entry.start == D(2024, 8, 12)


def test_conference_single_day_uses_entry_date():
    text = "---\ntitle: X\ntype: conference\ndate: 2024-05-02\n---\n장소: 부산 벡스코\n\nmore\n"
    entry, _ = one(text)
    assert entry.start == entry.end == D(2024, 5, 2)


def test_tip_category():
    entry, _ = one("---\ntitle: t\ntype: tech-tip\ncategory: [Shell, Git]\n---\nUse it.\n")
    assert entry.category == "Shell"
    assert entry.tags == ("Shell", "Git")


@pytest.mark.parametrize(
    ("meta", "body", "lang", "warn"),
    [
        ("", "안녕하세요 오늘은 날씨가 좋습니다", "ko", False),
        ("", "This is plain English text only.", "en", False),
        ("lang: en", "안녕하세요 오늘은 날씨가 좋습니다", "en", False),
        ("language: Korean", "This is plain English text only.", "ko", False),
        ("lang: ko-KR", "English text", "ko", False),
        ("lang: klingon", "This is plain English text only.", "en", True),
    ],
)
def test_lang_detection_and_override(meta, body, lang, warn):
    entry, problems = one(f"---\ntitle: T\n{meta}\n---\n{body}\n")
    assert entry.lang == lang
    assert [p.severity for p in problems] == ([Severity.WARNING] if warn else [])


def test_mtime_fallback():
    stamp = 1_700_000_000
    entry, _ = one("plain note without any date\n", "x.md", mtime=stamp)
    assert entry.date == dt.date.fromtimestamp(stamp)
    assert entry.date_source == "mtime"
    assert entry.date_inferred


def test_date_from_filename():
    entry, _ = one("no date in this text\n\nsecond line\n", "2024-01-15-x.md", mtime=1e9)
    assert (entry.date, entry.date_source) == (D(2024, 1, 15), "filename")


def test_bad_front_matter_date_is_a_problem_and_falls_back():
    entry, problems = one("---\ntitle: T\ndate: 2023-02-30\n---\nbody 2022-05-05\n", "2024-01-15-x.md")
    assert [p.line for p in problems] == [3]
    assert "2023-02-30" in problems[0].message
    assert (entry.date, entry.date_source) == (D(2024, 1, 15), "filename")  # a Jekyll-style name dates it


def test_build_entry_on_raw_note_with_hints():
    raw = RawNote("log.md", 7, "item body", hints={"item": 2, "title": "From Hint", "date": D(2024, 2, 3),
                                                      "date_source": "log", "category": "Git", "type": "tip"},
                  meta={"title": "series title", "tags": ["t"]})
    entry, problems = build_entry(raw)
    assert problems == []
    assert entry.title == "From Hint"  # title is item-local, the series' one is not used
    assert (entry.date, entry.date_source) == (D(2024, 2, 3), "log")
    assert entry.tags == ("t", "Git")
    assert (entry.source.path, entry.source.line) == ("log.md", 7)
    assert entry.category == "Git"


def test_wikilink_lines_are_file_lines():
    entry, _ = one("---\ntitle: T\n---\nSee [[target]] here.\n\n![[pic.png]]\n")
    assert [(link.target, link.line) for link in entry.links] == [("target", 4), ("pic.png", 6)]
    entries, _ = entries_of("intro\n\n[S1] One\nbody [[x]]\n[S2] Two\n[[y]]\n")
    assert [[link.line for link in e.links] for e in entries] == [[4], [6]]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("---\ntags: [a]\n---\n\n# Title\n\nSee [[target]] here.\n", [[7]]),
        ("# T\n\nA [[z]]\n", [[3]]),
        ("intro\n\n[S1] One\n\nbody [[x]]\n[S2] Two\n[[y]]\n", [[5], [7]]),
    ],
)
def test_wikilink_line_after_stripped_leading_lines(text, lines):
    entries, _ = entries_of(text)
    assert [[link.line for link in e.links] for e in entries] == lines


# --- load on a knowledge base ---------------------------------------------------------------------


def test_unknown_key_kept_and_warned_once(tmp_path):
    result = load_kb(tmp_path, {"u1.md": "---\ntitle: One\nmood: happy\nlastmod: 2024-01-01\n---\nx\n",
                           "u2.md": "---\ntitle: Two\nmood: sad\n---\nx\n"})
    by_title = {e.title: e for e in result.entries}
    assert by_title["One"].extra == {"mood": "happy"}
    assert by_title["One"].updated == D(2024, 1, 1)  # lastmod is the modification date, not the note's
    assert by_title["Two"].extra == {"mood": "sad"}
    assert [(p.path, p.line, p.severity) for p in result.problems] == [("u1.md", 3, Severity.WARNING)]
    assert "mood" in result.problems[0].message


def test_ids_unique_and_duplicate_explicit_id(tmp_path):
    result = load_kb(tmp_path, {"a/same.md": "---\ntitle: Same\ndate: 2024-01-01\n---\nfirst\n",
                           "b/same.md": "---\ntitle: Same\ndate: 2024-01-02\n---\nsecond\n",
                           "e1.md": "---\nid: fixed\ntitle: E1\n---\nx\n",
                           "e2.md": "---\nid: fixed\ntitle: E2\n---\nx\n",
                           "fixed.md": "---\ntitle: Fixed\n---\nx\n"})
    ids = [e.id for e in result.entries]
    assert len(set(ids)) == len(ids) == 5
    by_path = {e.source.path: e.id for e in result.entries}
    # Two files of one name: neither is first come, first served; each takes its folder in.
    assert (by_path["a/same.md"], by_path["b/same.md"]) == ("a-same", "b-same")
    assert by_path["e1.md"] == "fixed"
    assert by_path["fixed.md"] == "fixed-2"  # a stated id wins over a file's name
    dup = [p for p in result.errors if "duplicate id" in p.message]
    assert len(dup) == 1 and dup[0].path == "e2.md" and "fixed" in dup[0].message


def test_cp949_and_bom_crlf_files(tmp_path):
    result = load_kb(tmp_path, {
        "cp.md": "# 한글 제목\n\n인코딩이 다른 파일입니다. 2023-05-06\n".encode("cp949"),
        "bom.md": "\ufeff---\r\ntitle: BOM 노트\r\ntags: [x]\r\n---\r\n첫 줄.\r\n둘째 줄 [[target]].\r\n".encode(),
    })
    assert result.problems == ()
    by_path = {e.source.path: e for e in result.entries}
    cp = by_path["cp.md"]
    assert (cp.title, cp.date, cp.lang) == ("한글 제목", D(2023, 5, 6), "ko")
    assert "인코딩이 다른 파일입니다." in cp.text
    bom = by_path["bom.md"]
    assert (bom.title, bom.tags) == ("BOM 노트", ("x",))
    assert "\r" not in bom.body and bom.body == "첫 줄.\n둘째 줄 [[target]]."
    assert [(link.target, link.line) for link in bom.links] == [("target", 6)]


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lab Blog</title>
<item><title>First &amp; Best</title><link>https://blog.example/1</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate><category>ml</category><category>nlp</category>
<description>&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt; body&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://blog.example/2</link>
<pubDate>Wed, 06 Mar 2024 10:00:00 +0000</pubDate>
<description><![CDATA[<p>CDATA <i>body</i> here</p>]]></description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title><updated>2024-01-01T00:00:00Z</updated>
<entry><title>Atom Entry</title><link href="https://atom.example/e1"/><id>urn:1</id>
<updated>2024-02-10T12:00:00Z</updated><category term="vision"/>
<content type="html">&lt;p&gt;Hello atom&lt;/p&gt;</content></entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF Feed</title><link>https://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="https://rdf.example/a"><title>RDF Item</title><link>https://rdf.example/a</link>
<dc:date>2023-07-08T00:00:00Z</dc:date><dc:subject>robotics</dc:subject><description>RDF body</description></item>
</rdf:RDF>
"""


def test_rss_feed_items(tmp_path):
    result = load_kb(tmp_path, {"blog.xml": RSS})
    assert result.errors == []
    first, second = sorted(result.entries, key=lambda e: e.source.line)
    assert (first.title, first.date, first.url) == ("First & Best", D(2024, 3, 5), "https://blog.example/1")
    assert first.tags == ("ml", "nlp")
    assert first.date_source == "feed" and not first.date_inferred
    assert first.body_format == "html" and first.text == "Escaped HTML body"
    assert first.series == "Lab Blog"
    assert first.source.line == 3 and first.source.item
    assert (second.title, second.date, second.tags) == ("Second", D(2024, 3, 6), ())
    assert second.text == "CDATA body here"
    assert second.source.line == 6


def test_atom_and_rdf_feeds(tmp_path):
    result = load_kb(tmp_path, {"site.atom": ATOM, "old.rss": RDF})
    assert result.errors == []
    by_title = {e.title: e for e in result.entries}
    atom = by_title["Atom Entry"]
    assert (atom.date, atom.url, atom.tags, atom.text) == (
        D(2024, 2, 10), "https://atom.example/e1", ("vision",), "Hello atom")
    rdf = by_title["RDF Item"]
    assert (rdf.date, rdf.url, rdf.tags, rdf.text) == (
        D(2023, 7, 8), "https://rdf.example/a", ("robotics",), "RDF body")
    assert rdf.series == "RDF Feed"


def test_feed_sidecar_settings(tmp_path):
    result = load_kb(tmp_path, {"blog.xml": RSS, "blog.yaml": "type: paper\ntags: [x]\n"})
    assert result.errors == []
    assert len(result.entries) == 2
    assert all(isinstance(e, PaperSummary) for e in result.entries)
    first = min(result.entries, key=lambda e: e.source.line)
    assert first.tags == ("x", "ml", "nlp")
    # The sidecar is settings, never a note of its own.
    assert {e.source.path for e in result.entries} == {"blog.xml"}


def test_txt_with_junk_then_feed_is_a_feed(tmp_path):
    text = ("Saved from browser\njunk line two\n\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
            "<title>Saved</title>\n<item><title>Saved Item</title><link>https://s.example/1</link>"
            "<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate><description>hi</description></item>\n"
            "</channel></rss>\n")
    result = load_kb(tmp_path, {"saved.txt": text})
    assert len(result.entries) == 1
    entry = result.entries[0]
    assert (entry.title, entry.url, entry.date, entry.body_format) == (
        "Saved Item", "https://s.example/1", D(2024, 1, 1), "html")
    assert entry.source.line == 6


def test_load_splits_logs_into_entries(tmp_path):
    text = "# 일지\n\n2024.03.01\nA 작업\n세부 내용 #git\n\n2024.03.02\nB 작업\n\n2024.03.03\nC 작업\n"
    result = load_kb(tmp_path, {"log.md": text})
    assert [(e.source.line, e.date, e.series) for e in result.entries] == [
        (3, D(2024, 3, 1), "일지"), (7, D(2024, 3, 2), "일지"), (10, D(2024, 3, 3), "일지")]
    assert [e.title for e in result.entries] == ["A 작업", "B 작업", "C 작업"]
    assert all(e.type is EntryType.TIP for e in result.entries)
    assert result.entries[0].tags == ("git",)


def test_hashtag_on_title_line_is_kept_as_tag():
    entry, _ = one("Docker 이미지 줄이기 #git\n\n멀티 스테이지 빌드를 쓴다.\n")
    assert entry.tags == ("git",)
    assert entry.title == "Docker 이미지 줄이기"


def test_file_dates_and_mtime_in_load(tmp_path):
    load_kb(tmp_path, {"2024-01-15-x.md": "no date\n\nmore text\n", "nodate.md": "plain\n\nmore\n"})
    os.utime(tmp_path / "notes" / "nodate.md", (1_700_000_000, 1_700_000_000))
    result = load(load_config(tmp_path))
    by_path = {e.source.path: e for e in result.entries}
    assert (by_path["2024-01-15-x.md"].date, by_path["2024-01-15-x.md"].date_source) == (
        D(2024, 1, 15), "filename")
    assert by_path["nodate.md"].date == dt.date.fromtimestamp(1_700_000_000)
    assert by_path["nodate.md"].date_source == "mtime"
