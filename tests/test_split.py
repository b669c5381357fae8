"""Logs and digests cut into items: TIL date logs, [S1] newsletters, presenter digests, H2s."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.load.readers import split as splitter
from notebase.load.readers.markdown import read_markdown

D = dt.date

TIL = """# 오늘 배운 것

🧩 Python

2024.02.03
리스트 컴프리헨션의 Moment1는 반복문보다 빠르다.

🐳 Docker

2024.02.05
멀티 스테이지 빌드로 이미지2를 줄인다.

🧩 Python
딕셔너리 병합은 | 연산자로 한다.

References
1. 파이썬 공식 문서 예시
2. 도커 블로그 글 예시
"""

NEWSLETTER = """# Weekly Papers 2024. 3. 4.

이번 주에 읽을 만한 논문입니다.

[S1] Sparse Mixtures for Tiny Models (ICML 2024)
작은 모델에서 희소 전문가를 쓰는 법.

[S2] Retrieval at Scale
검색 증강의 비용 분석.

[L1] A Long Survey of Agents, NeurIPS, 2023.
에이전트 연구를 정리한다.
"""

DIGEST = """---
title: 랩 세미나 발표 정리
split: auto
---
이번 학기 세미나 발표 목록입니다.

김민준: Attention Is Not Enough for Graphs
그래프에서 어텐션의 한계를 다룬 발표였습니다.

이서연, Diffusion Models Beat Everything (CVPR 2023)
확산 모델의 장점을 설명했습니다.

## 박지훈: Scaling Laws Revisited
스케일링 법칙을 다시 검토했습니다. 최도윤, Efficient Tokenizers for Korean Text
토크나이저 효율을 비교했습니다.
"""


def read(text: str, rel: str = "notes/log.md"):
    return read_markdown(rel, text, 0.0)


def file_line(text: str, n: int) -> str:
    return text.split("\n")[n - 1]


# --- detect ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (TIL, "date"),
        (NEWSLETTER, "marker"),
        (DIGEST, "presenter"),
        ("# Plain\n\n## A\ntext\n## B\ntext\n", "none"),
        ("2024.01.01\na\n\n2024.01.02\nb\n\n2024.01.03\nc\n", "date"),
        # Two dates alone are not a log, unless category lines repeat.
        ("2024.01.01\na\n\n2024.01.02\nb\n", "none"),
        ("🧩 A\n2024.01.01\na\n🧩 A\n2024.01.02\nb\n", "date"),
        # One marker is a citation, not a newsletter.
        ("[S1] Only one\ntext\n", "none"),
        # Markers inside code do not count.
        ("```\n[S1] One\n[S2] Two\n```\n", "none"),
        # Headers under three-syllable names only; a bullet is not a header.
        ("김민준: Alpha Paper\n\n- 이서연: Beta Paper\n\n박지훈: Gamma Paper\n", "none"),
        ("Note: one thing\nTodo: another thing\nIdea: a third thing\n", "none"),
    ],
)
def test_detect(text, mode):
    assert splitter.detect(text.split("\n")) == mode


def test_split_unknown_mode_or_nothing_found_gives_no_items():
    lines = ["just", "text"]
    assert splitter.split(lines, "none") == (lines, [])
    assert splitter.split(lines, "marker") == (lines, [])


def test_split_marker_preamble_and_items():
    lines = NEWSLETTER.split("\n")
    preamble, items = splitter.split(lines, "marker")
    assert preamble == lines[:4]
    assert [item.start for item in items] == [4, 7, 10]
    assert [item.hints["marker"] for item in items] == ["S1", "S2", "L1"]
    assert items[0].lines[0].startswith("[S1]")


# --- TIL log -------------------------------------------------------------------------------------


def test_til_log_items():
    notes, problems = read(TIL)
    assert problems == []
    assert len(notes) == 3
    assert [n.line for n in notes] == [3, 8, 13]
    assert [file_line(TIL, n.line) for n in notes] == ["🧩 Python", "🐳 Docker", "🧩 Python"]
    assert [n.hints["category"] for n in notes] == ["Python", "Docker", "Python"]
    assert [n.hints["type"] for n in notes] == ["tip", "tip", "tip"]
    assert [n.hints["date"] for n in notes] == [D(2024, 2, 3), D(2024, 2, 5), D(2024, 2, 5)]
    assert [n.hints["date_source"] for n in notes] == ["text", "text", "log"]
    assert all(n.hints["series"] == "오늘 배운 것" for n in notes)
    assert [n.hints["item"] for n in notes] == [1, 2, 3]


def test_til_log_bodies_skip_headers():
    notes, _ = read(TIL)
    assert notes[0].body.startswith("리스트 컴프리헨션의 Moment1는")
    assert notes[0].hints["body_offset"] == 3
    assert notes[2].body.startswith("딕셔너리 병합은")
    assert notes[2].hints["body_offset"] == 1


def test_til_references_move_to_citing_items():
    notes, _ = read(TIL)
    assert "1. 파이썬 공식 문서 예시" in notes[0].body
    assert "2. 도커 블로그 글 예시" not in notes[0].body
    assert "2. 도커 블로그 글 예시" in notes[1].body
    assert "References" in notes[0].body and "References" in notes[1].body
    # The last item, where the list was written, keeps none of it.
    assert "References" not in notes[2].body
    assert "예시" not in notes[2].body


def test_til_reference_without_citation_goes_to_first_item():
    text = "2024.01.01\nalpha\n\n2024.01.02\nbeta\n\n2024.01.03\ngamma\n\n참고 문헌\n1. 출처 하나\n"
    notes, _ = read(text)
    assert len(notes) == 3
    assert "1. 출처 하나" in notes[0].body
    assert "출처" not in notes[2].body


def test_date_log_with_front_matter_offsets_lines():
    text = "---\ntitle: 개발 일지\nsplit: auto\n---\n2024.03.01\nA 작업\n\n2024.03.02\nB 작업\n\n2024.03.03\nC 작업\n"
    notes, problems = read(text)
    assert problems == []
    assert [n.line for n in notes] == [5, 8, 11]
    assert [file_line(text, n.line) for n in notes] == ["2024.03.01", "2024.03.02", "2024.03.03"]
    assert [n.body.strip() for n in notes] == ["A 작업", "B 작업", "C 작업"]
    assert notes[0].hints["series"] == "개발 일지"


@pytest.mark.parametrize("front", ["title: 개발 일지", "type: tip", "Title: Weekly notes"])
def test_a_note_that_names_itself_is_never_split_automatically(front):
    text = f"---\n{front}\n---\n2024.03.01\nA 작업\n\n2024.03.02\nB 작업\n\n2024.03.03\nC 작업\n"
    notes, _ = read(text)
    assert len(notes) == 1


def test_logseq_page_with_a_title_property_is_one_entry():
    text = "title:: 일지\ntags:: til\n\n- 2024.03.01\n- 2024.03.02\n- 2024.03.03\n"
    notes, _ = read(text)
    assert len(notes) == 1 and notes[0].hints["properties"] == {"title": "일지", "tags": "til"}
    assert "title::" not in notes[0].body


# --- newsletter ----------------------------------------------------------------------------------


def test_newsletter_markers():
    notes, problems = read(NEWSLETTER)
    assert problems == []
    assert len(notes) == 3
    assert [n.line for n in notes] == [5, 8, 11]
    assert [n.hints["marker"] for n in notes] == ["S1", "S2", "L1"]
    # A trailing venue mention is dropped from the title.
    assert [n.hints["title"] for n in notes] == [
        "Sparse Mixtures for Tiny Models", "Retrieval at Scale", "A Long Survey of Agents"]
    assert notes[0].body.strip() == "작은 모델에서 희소 전문가를 쓰는 법."
    # The preamble's date is shared by every item.
    assert all(n.hints["date"] == D(2024, 3, 4) for n in notes)
    assert all(n.hints["series"] == "Weekly Papers 2024. 3. 4." for n in notes)
    assert notes[0].hints["series_intro"] == "# Weekly Papers 2024. 3. 4.\n이번 주에 읽을 만한 논문입니다."


# --- presenter digest ----------------------------------------------------------------------------


def test_presenter_digest():
    notes, problems = read(DIGEST)
    assert problems == []
    assert len(notes) == 4
    assert [n.line for n in notes] == [7, 10, 13, 14]
    assert [n.hints["presenter"] for n in notes] == ["김민준", "이서연", "박지훈", "최도윤"]
    assert [n.hints["title"] for n in notes] == [
        "Attention Is Not Enough for Graphs", "Diffusion Models Beat Everything",
        "Scaling Laws Revisited", "Efficient Tokenizers for Korean Text"]
    assert notes[1].hints["header_title"] == "Diffusion Models Beat Everything (CVPR 2023)"
    assert all(n.hints["type"] == "paper" for n in notes)
    assert all(n.hints["series"] == "랩 세미나 발표 정리" for n in notes)


def test_presenter_glued_header_keeps_text_in_previous_item():
    notes, _ = read(DIGEST)
    assert notes[2].body == "스케일링 법칙을 다시 검토했습니다."
    assert "최도윤" not in notes[2].body
    assert notes[3].body.strip() == "토크나이저 효율을 비교했습니다."


def test_presenter_two_and_four_syllable_names_once_detected():
    text = ("김민준: Alpha Paper Title\n가\n\n이서연: Beta Paper Title\n나\n\n박지훈: Gamma Paper Title\n다\n\n"
            "김철: Two Syllables\n라\n\n남궁민수: Compound Surname\n마\n")
    notes, _ = read(text)
    assert [n.hints["presenter"] for n in notes] == ["김민준", "이서연", "박지훈", "김철", "남궁민수"]
    assert [n.line for n in notes] == [1, 4, 7, 10, 13]


def test_presenter_section_labels_are_not_presenters():
    text = ("김민준: Alpha Paper Title\n방법: We replace attention with message passing.\n"
            "배경: Prior work ignored sparse graphs.\n\n"
            "이서연: Beta Paper Title\n나\n\n박지훈: Gamma Paper Title\n다\n")
    notes, _ = read(text)
    assert [n.hints["presenter"] for n in notes] == ["김민준", "이서연", "박지훈"]


# --- explicit split modes ------------------------------------------------------------------------


def test_split_heading_from_front_matter():
    text = ("---\ntitle: Reading list\nsplit: heading\n---\nIntro paragraph.\n\n## First Paper\nBody one.\n\n"
            "```python\n## not a heading\n```\n\n## Second Paper ##\nBody two.\n")
    notes, problems = read(text)
    assert problems == []
    assert len(notes) == 2
    assert [n.line for n in notes] == [7, 14]
    assert [file_line(text, n.line) for n in notes] == ["## First Paper", "## Second Paper ##"]
    assert [n.hints["title"] for n in notes] == ["First Paper", "Second Paper"]
    assert "## not a heading" in notes[0].body
    assert all(n.hints["series"] == "Reading list" for n in notes)
    assert notes[0].hints["series_intro"] == "Intro paragraph."


@pytest.mark.parametrize("value", ["none", "None", "false", "no"])
def test_split_none_prevents_splitting(value):
    text = f"---\nsplit: {value}\n---\n[S1] One\na\n[S2] Two\nb\n"
    notes, problems = read(text)
    assert problems == []
    assert len(notes) == 1
    assert notes[0].line == 1
    assert notes[0].body == "[S1] One\na\n[S2] Two\nb\n"
    assert notes[0].hints["body_offset"] == 3
    assert "item" not in notes[0].hints


def test_unknown_split_mode_is_a_problem_at_its_key_line():
    text = "---\ntitle: x\ntype: tip\nsplit: sideways\n---\n[S1] One\na\n[S2] Two\nb\n"
    notes, problems = read(text, "notes/news.md")
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line) == ("notes/news.md", 4)
    assert "sideways" in problem.message
    assert "heading" in problem.hint
    # Meanwhile the file is split as if auto.
    assert [n.hints["marker"] for n in notes] == ["S1", "S2"]


def test_forced_mode_that_finds_nothing_keeps_one_note():
    text = "---\nsplit: presenter\n---\nno headers at all here\n"
    notes, problems = read(text)
    assert problems == []
    assert len(notes) == 1
    assert notes[0].body == "no headers at all here\n"


def test_whole_file_note_keeps_byline():
    text = "# 제목\n홍길동·2023년 11월 24일\n목록 보기\n\n본문입니다.\n"
    notes, _ = read(text)
    assert len(notes) == 1
    assert notes[0].hints["author"] == "홍길동"
    assert notes[0].hints["byline_date"] == "2023년 11월 24일"
    assert "목록 보기" not in notes[0].body
    assert notes[0].body.split("\n")[4] == "본문입니다."


def test_a_log_of_more_items_than_the_bound_is_kept_as_one_page_with_a_warning():
    from notebase.errors import Severity
    from notebase.load.readers.markdown import MAX_ITEMS

    first = dt.date(2021, 1, 1)
    days = "".join(f"## {first + dt.timedelta(n)}\n\n오늘 배운 것 {n}.\n\n" for n in range(MAX_ITEMS + 1))
    notes, problems = read_markdown("til.md", "---\ntags: [til]\n---\n" + days, 0.0)
    assert len(notes) == 1 and "오늘 배운 것 1000." in notes[0].body and "오늘 배운 것 0." in notes[0].body
    warning, = problems
    assert (warning.path, warning.line, warning.severity) == ("til.md", 4, Severity.WARNING)
    assert f"{MAX_ITEMS + 1:,} log items" in warning.message and "split" in warning.hint
    # At the bound itself, the log still splits.
    notes, problems = read_markdown("til.md", days.rsplit("## ", 1)[0], 0.0)
    assert len(notes) == MAX_ITEMS and not problems
