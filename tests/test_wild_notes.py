"""Notes in the shapes real tools leave them: each rule of the loader, table-driven, Korean and English."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.load.eventinfo import date_range, event_name, unwrap_paper_title
from notebase.model import EntryType
from notebase.load.notedates import prose_date, stated_date
from notebase.load.citations import split_names
from notebase.load.paperinfo import paper_facts
from test_entries import load_kb, one

D = dt.date


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("front", "expected"), [
    ("created: 2023-09-12", D(2023, 9, 12)),
    ("created-at: 2023-09-13", D(2023, 9, 13)),
    ("created_at: 2023-09-14", D(2023, 9, 14)),
    ("date created: 2023-09-15", D(2023, 9, 15)),
    ("date_daily: 2023-09-16", D(2023, 9, 16)),
    ("published: 2023-09-17", D(2023, 9, 17)),
    ("pubDate: Tue, 19 Sep 2023 09:00:00 +0900", D(2023, 9, 19)),
    ("lastmod: 2023-09-20", D(2023, 9, 20)),  # a modification date, when nothing else dates the note
])
def test_every_date_key_real_tools_write(front, expected):
    entry, problems = one(f"---\ntitle: T\n{front}\n---\nbody\n")
    assert (entry.date, entry.date_source, entry.date_inferred) == (expected, "front matter", False)


def test_created_wins_over_published_and_updated_is_kept_apart():
    entry, _ = one("---\ntitle: Clip\npublished: 2020-01-01\ncreated: 2023-09-12\nupdated: 2024-02-02\n---\nx\n")
    assert (entry.date, entry.updated) == (D(2023, 9, 12), D(2024, 2, 2))


@pytest.mark.parametrize(("name", "expected"), [
    ("2024-03-05-first-post.md", D(2024, 3, 5)),
    ("20240306-세미나.md", D(2024, 3, 6)),
    ("2024_03_07.md", D(2024, 3, 7)),
    ("2024.03.08 회의.md", D(2024, 3, 8)),
])
def test_a_file_name_date_is_a_real_date(name, expected):
    entry, _ = one("본문만 있는 메모입니다.\n", name)
    assert (entry.date, entry.date_source, entry.date_inferred) == (expected, "filename", False)


@pytest.mark.parametrize(("body", "expected"), [
    ("# 2024년 12월 11일 수요일\n\n오늘 배운 것\n", D(2024, 12, 11)),
    ("## 2020. 01. 05.\n\n코틀린\n", D(2020, 1, 5)),
    ("# Notes\n\nDecember.18 , 2023\n\nText\n", D(2023, 12, 18)),
    ("# Notes\n\nOct. 15. 2023\n\nText\n", D(2023, 10, 15)),
    ("# 연구일지\n\n일시: 2024-09-13\n\n내용\n\n작성일: 2024-09-15\n", D(2024, 9, 15)),
    ("# Log\n\n- **Date**: 2022-07-01\n- topic\n", D(2022, 7, 1)),
])
def test_the_note_s_own_date_line_heading_or_property(body, expected):
    entry, _ = one(body, "memo.md")
    assert (entry.date, entry.date_source, entry.date_inferred) == (expected, "text", False)


def test_a_date_in_a_description_value():
    entry, _ = one("---\ntitle: T\ndescription: 2021년 3월 2일 세미나 정리\n---\nx\n")
    assert (entry.date, entry.date_inferred) == (D(2021, 3, 2), False)


@pytest.mark.parametrize("body", [
    "# Setup\n\n```sh\ngit commit --date 2019-01-01\n```\n",
    "# Setup\n\nRun `GIT_COMMITTER_DATE=2019-01-02 git commit` to backdate.\n",
    "# Setup\n\nSee [[2019-01-03]] and [yesterday](2019-01-04-post.md).\n",
    "# Setup\n\n← 2019-01-05 | 2019-01-07 →\n",
])
def test_never_a_date_from_code_commands_links_or_navigation(body):
    entry, _ = one(body, "memo.md", mtime=dt.datetime(2022, 2, 2, 12).timestamp())
    assert entry.date == D(2022, 2, 2) and entry.date_source == "mtime" and entry.date_inferred


def test_a_date_in_prose_is_a_guess():
    assert prose_date(["우리는 2023년 5월 4일에 만났다."]) == D(2023, 5, 4)
    entry, _ = one("# Note\n\nWe met on 2023-05-04 to talk.\n", "memo.md")
    assert entry.date_inferred
    assert stated_date(["We met on 2023-05-04 to talk."]) is None


def test_template_placeholders_warn_and_templates_folders_are_skipped(tmp_path):
    result = load_kb(tmp_path, {
        "Templates/Meeting.md": "---\ndate: \"{{date}}\"\ntags: [meetings]\n---\n# {{title}}\n",
        "_templates/paper.md": "---\ntype: paper\n---\nx\n",
        "note.md": "---\ntitle: Note\ndate: \"{{date}}\"\n---\nbody\n",
    })
    assert [e.title for e in result.entries] == ["Note"]
    assert result.errors == [] and any("placeholder" in p.message for p in result.warnings)


# --- titles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "body", "expected"), [
    ("2018 DevFest 서울.md", "## 소개\n\n행사 메모\n", "2018 DevFest 서울"),
    ("Meeting with Mina.md", "Discussed the plan.\n", "Meeting with Mina"),
    ("New to Logseq%3F.md", "- a block\n", "New to Logseq?"),
    ("term___page title.md", "- a block\n", "term/page title"),
    ("2023-09-12.md", "## Notes\n- x\n", "2023-09-12"),
    ("x.md", '<h1 align="center"> ✨ Reading List ✨ </h1>\n\ntext\n', "✨ Reading List ✨"),
    ("x.md", "$$\n# not a title\n$$\n\n# Real Title\n", "Real Title"),
    ("x.md", "# [[Target Page|보이는 이름]] 정리\n", "보이는 이름 정리"),
    ("x.md", "# Diagram ![img](a.png){:height 300, :width 400}\n", "Diagram"),
    ("note-3.md", "[Home](../) / [Notes](./)\n\nFirst real line of the note.\n", "First real line of the note."),
])
def test_titles_as_their_apps_show_them(name, body, expected):
    entry, _ = one(body, name)
    assert entry.title == expected


def test_logseq_properties_are_metadata_not_body():
    text = "title:: 블록 임베드\ntype:: [[Feature]]\nalias:: embed block\ntags:: embed, [[logseq]]\n\n- 본문\n"
    entry, problems = one(text, "pages/block_embed.md")
    assert problems == []
    assert (entry.title, entry.tags, entry.type) == ("블록 임베드", ("embed", "logseq"), EntryType.TIP)
    assert "::" not in entry.body and entry.extra["aliases"] == ["embed block"]


def test_notion_property_rows_under_the_title():
    text = ("# CPEX: A Classifier\n\nkeywords: cancer, ensemble\ntype: 논문 리뷰\n날짜: 2020년 10월 18일\n"
            "작성자: Kim Reviewer\n\n## Abstract\n\n* text\n")
    entry, _ = one(text, "paper-review/cpex.md")
    assert entry.type is EntryType.PAPER
    assert (entry.date, entry.date_inferred) == (D(2020, 10, 18), False)
    assert entry.tags == ("cancer", "ensemble")
    assert entry.presenter == "Kim Reviewer" and entry.authors == ()


# --- types ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "body", "expected"), [
    ("paper-review/x.md", "# Some Method\n\n짧은 정리\n", EntryType.PAPER),
    ("논문리뷰/y.md", "# 어떤 방법\n\n짧은 정리\n", EntryType.PAPER),
    ("SUMMARY.md", "# Table of contents\n\n* [A paper](a.md)\n* [Conference](b.md)\n", EntryType.TIP),
    ("x.md", "# 팁\n\n학회에서 들은 명령어 하나: `ls -la`\n", EntryType.TIP),
    ("x.md", "# 3주차 강의 노트\n\n이 논문은 ... 논문 저자 abstract 실험\n", EntryType.TIP),
    ("x.md", "# 우리 팀 회의\n\n발표자료 정리, 세션 일정\n", EntryType.TIP),
    ("x.md", ("# NeurIPS 2023 참관기\n\n첫날 키노트를 들었다.\n\n"
              "참고: https://doi.org/10.1145/1234567 https://doi.org/10.1145/7654321\n"), EntryType.CONFERENCE),
    ("x.md", ("# 2019 Android Day\n\n## 소개\n2019년 코엑스에서 열린 행사에서 여러 발표들을 보고 들은 메모.\n\n"
              "## 첫 번째 발표\n* 발표자료: 링크\n* 발표영상: 링크\n"), EntryType.CONFERENCE),
    ("x.md", ("# 요즘 연구 흐름\n\n에세이입니다. 논문들이 말하는 것.\n\n### 같이 보면 좋을 논문들\n\n"
              + "".join(f"* [Paper {i}](https://arxiv.org/abs/2401.0000{i})\n" for i in range(1, 6))),
     EntryType.TIP),
    ("x.md", "# Short\n\nThis paper proposes X.\n\n* Paper: [X: A Method](https://arxiv.org/abs/2401.00001)\n",
     EntryType.PAPER),
])
def test_types_from_real_evidence(name, body, expected):
    entry, _ = one(body, name)
    assert entry.type is expected


# --- paper fields ---------------------------------------------------------------------------------

def test_paper_fields_from_labels_not_references():
    body = ("# LimFoo: 데이터보다 질\n\n**📄 제목:** LimFoo: Less Data for Better Rankers\n"
            "**👥 저자:** Minji Song et al. (Some Lab)\n\n본문.\n\n## 🔗 References\n"
            "* **Paper**: [LimFoo](https://arxiv.org/abs/2510.23544)\n* [Other](https://arxiv.org/abs/2507.13618)\n")
    facts = paper_facts(body)
    assert facts.title == "LimFoo: Less Data for Better Rankers"
    assert facts.authors == ("Minji Song",)
    assert [link.url for link in facts.links] == ["https://arxiv.org/abs/2510.23544"]


@pytest.mark.parametrize(("body", "expected"), [
    ("# R\n\n[Attention Is All You Need](https://arxiv.org/pdf/1706.03762v5) 리뷰\n", "1706.03762"),
    ("# R\n\nSee arXiv:2002.05709 for details; this paper is short.\n", "2002.05709"),
    ("# R\n\nDOI: https://doi.org/10.1016/S0140-6736(20)30183-5.\n", "10.1016/S0140-6736(20)30183-5"),
    ("# R\n\n[arxiv.org/abs/1111.11111](https://arxiv.org/abs/2101.00001)\n", "2101.00001"),
])
def test_paper_ids_from_link_targets(body, expected):
    facts = paper_facts(body)
    assert facts.links and facts.links[0].url.endswith(expected)


def test_prose_citations_of_other_work_are_not_authors():
    facts = paper_facts("# Review\n\n이 논문은 Peters et al. (2017)와 유사함.\n\n마지막 줄.\n")
    assert facts.authors == ()
    facts = paper_facts("# Review\n\nDevlin et al. [BERT](https://arxiv.org/abs/1810.04805) 정리.\n")
    assert facts.authors == ("Devlin",)


@pytest.mark.parametrize(("title", "expected"), [
    ("[논문 리뷰] Attention Is All You Need", "Attention Is All You Need"),
    ("[2017] Attention Is All You Need", "Attention Is All You Need"),
    ("Note: Deep Residual Learning", "Deep Residual Learning"),
    ("BERT (구글 논문 설명)", "BERT"),
    ("SimCLR 요약", "SimCLR"),
    ("A Systematic Review", "A Systematic Review"),
])
def test_paper_title_without_wrappers(title, expected):
    assert unwrap_paper_title(title) == expected


def test_author_lists():
    assert split_names("Tingyu Song, Li Wei, and Max Park et al. (Yale)") == ("Tingyu Song", "Li Wei", "Max Park")


def test_a_digest_splits_one_paper_per_section():
    sections = "".join(f"## Paper Number {i} [{i}]<a name=\"{i}\"></a>\nWhy it matters.\n\n"
                       f"* Paper: [Paper Number {i}](https://arxiv.org/abs/2201.0000{i})\n\n" for i in range(1, 5))
    body = "# Best papers of the year\n\n## The Full List\n- [one](#1)\n\n" + sections
    from test_entries import entries_of
    entries, _ = entries_of(body, "README.md")
    assert [e.title for e in entries] == [f"Paper Number {i}" for i in range(1, 5)]
    assert all(e.type is EntryType.PAPER and e.url.endswith(f"0000{i}") for i, e in enumerate(entries, 1))


# --- conference fields ----------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "year", "expected"), [
    ("PLDI 2025 trip report", None, "PLDI 2025"),
    ("ICML 2014 후기", None, "ICML 2014"),
    ("KCC 참관기", 2024, "KCC 2024"),
    ("2019 if kakao - day1", None, "2019 if kakao"),
    ("DevFest Seoul review", 2018, "DevFest Seoul 2018"),
])
def test_event_names(title, year, expected):
    assert event_name(title, year) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2014/4/7 ~ 2014/4/8", (D(2014, 4, 7), D(2014, 4, 8))),
    ("기간: 2024.06.26-28 제주", (D(2024, 6, 26), D(2024, 6, 28))),
    ("2024년 6월 30일 ~ 7월 2일", (D(2024, 6, 30), D(2024, 7, 2))),
    ("June 26-28, 2024", (D(2024, 6, 26), D(2024, 6, 28))),
    ("no range here", (None, None)),
])
def test_event_dates_from_a_range(text, expected):
    assert date_range(text) == expected


def test_conference_from_a_trip_report_title():
    entry, _ = one("# ICLR 2024 참관기\n\n2024/5/7 ~ 2024/5/11 비엔나에서 열린 학회에 다녀왔다. 키노트와 포스터 세션.\n")
    assert entry.type is EntryType.CONFERENCE
    assert (entry.event, entry.start, entry.end) == ("ICLR 2024", D(2024, 5, 7), D(2024, 5, 11))


# --- dates from git -------------------------------------------------------------------------------

def _git(cwd, *args, when=None):
    import os
    import subprocess

    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL="/dev/null")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_undated_notes_take_their_first_commit_date_in_a_git_work_tree(tmp_path):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    files = {"undated.md": "# 날짜 없는 메모\n\n본문\n", "dated.md": "---\ntitle: D\ndate: 2020-02-02\n---\nx\n"}
    load_kb(tmp_path, files)  # writes the notes
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first", when="2021-03-04T12:00:00")
    (tmp_path / "notes" / "undated.md").write_text("# 날짜 없는 메모\n\n고친 본문\n", encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "edit", when="2023-05-06T12:00:00")
    (tmp_path / "notes" / "new.md").write_text("# 아직 커밋 안 한 메모\n", encoding="utf-8")
    by_path = {e.source.path: e for e in load_kb(tmp_path, {}).entries}
    assert (by_path["undated.md"].date, by_path["undated.md"].date_source) == (D(2021, 3, 4), "git")
    assert by_path["undated.md"].date_inferred  # still a guess, marked ~
    assert by_path["dated.md"].date_source == "front matter"
    assert by_path["new.md"].date_source == "mtime"  # not committed yet: the file's time


def test_outside_git_the_file_time_dates_an_undated_note(tmp_path):
    entry = load_kb(tmp_path, {"memo.md": "# 메모\n\n본문\n"}).entries[0]
    assert entry.date_source == "mtime" and entry.date_inferred


# --- weekly digests -------------------------------------------------------------------------------

WEEKLY = """# 주간 논문 읽기

매주 읽은 논문을 모읍니다.

## 1주차 (2024-01-08)

| 논문 | 링크 | 발표자 |
|---|---|---|
| Attention Is All You Need | [arXiv](https://arxiv.org/abs/1706.03762) | 김민준 |
| Deep Residual Learning | [arXiv](https://arxiv.org/abs/1512.03385) | 이서연 |

## 2주차 (2024-01-15)

- [BERT: Pre-training of Deep Bidirectional Transformers](https://arxiv.org/abs/1810.04805) — 마스크 언어 모델
  - 발표: 박지훈
- [Language Models are Few-Shot Learners](https://arxiv.org/abs/2005.14165)
"""


def test_a_weekly_digest_gives_one_paper_per_row():
    from test_entries import entries_of

    entries, problems = entries_of(WEEKLY, "weekly/README.md")
    assert problems == []
    assert [e.title for e in entries] == ["Attention Is All You Need", "Deep Residual Learning",
                                          "BERT: Pre-training of Deep Bidirectional Transformers",
                                          "Language Models are Few-Shot Learners"]
    assert all(e.type is EntryType.PAPER for e in entries)
    assert [e.date for e in entries] == [D(2024, 1, 8)] * 2 + [D(2024, 1, 15)] * 2
    assert [e.presenter for e in entries] == ["김민준", "이서연", "박지훈", None]
    assert entries[0].url == "https://arxiv.org/abs/1706.03762"
    assert "**발표자**: 김민준" in entries[0].body  # a table row reads as its header's fields


def test_a_link_list_under_topic_headings_is_one_reading_list():
    from test_entries import entries_of

    links = "".join(f"- [Paper {i}](https://arxiv.org/abs/2401.0{i:04d})\n" for i in range(1, 7))
    entries, _ = entries_of(f"# Awesome things\n\n## Vision\n\n{links}\n## Language\n\n{links}", "README.md")
    assert len(entries) == 1 and entries[0].type is EntryType.TIP


# --- feeds ----------------------------------------------------------------------------------------

REVIEW_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>연구 블로그</title><link>https://blog.example/</link><description>d</description>
<item><title>[논문 리뷰] 대조 학습을 쉽게 이해하기</title><link>https://blog.example/simclr</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate>
<description><![CDATA[<p>오늘은 대조 학습 논문을 읽고 정리합니다.</p>
<p>논문: <a href="https://arxiv.org/abs/2002.05709">A Simple Framework for Contrastive Learning of Visual Representations</a></p>
<p>저자: Ting Chen, Simon Kornblith</p><h2>References</h2>
<p><a href="https://arxiv.org/abs/1911.05722">MoCo</a></p>]]></description></item>
</channel></rss>
"""


def test_a_feed_item_reviewing_a_paper_gets_the_paper_s_title_and_link(tmp_path):
    entry = load_kb(tmp_path, {"blog.xml": REVIEW_FEED}).entries[0]
    assert entry.type is EntryType.PAPER
    assert entry.title == "[논문 리뷰] 대조 학습을 쉽게 이해하기"  # the post keeps its own title
    assert entry.paper_title == "A Simple Framework for Contrastive Learning of Visual Representations"
    assert entry.authors[0] == "Ting Chen"
    assert [link.url for link in entry.paper_links] == ["https://arxiv.org/abs/2002.05709"]  # not MoCo


def test_a_tag_label_needs_a_colon_or_a_list_after_it():
    entry, _ = one("# 메모\n\ncategories), and more words in a sentence\n\n본문\n", "memo.md")
    assert entry.tags == ()
    entry, _ = one("# 메모\n\n분류\n- 딥러닝\n- 비전\n\n본문\n", "memo.md")
    assert entry.tags == ("딥러닝", "비전")
