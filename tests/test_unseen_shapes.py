"""Shapes found in real notes the loader was not developed on (held-out repos): each rule, with its limit."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.load.eventinfo import unwrap_paper_title
from notebase.load.notetype import paper_shaped
from notebase.model import EntryType
from test_entries import entries_of, one

PROSE = "본 논문의 모델은 순환 연결로 이전 상태를 현재 계산에 반영해서 시간에 따른 구조를 학습한다고 설명한다. " * 4


# --- a README or summary.md that is a note, not an index ---------------------------------------------

def test_a_readme_holding_one_paper_s_review_is_that_paper():
    body = "# Recurrent Structure in Sequences (CogSci 1990)\n\n## Abstract\n\n" + "\n\n".join([PROSE] * 5)
    entry, _ = one(body, "nlp/recurrent/README.md")
    assert entry.type is EntryType.PAPER
    assert entry.paper_title == "Recurrent Structure in Sequences"  # the venue and year are no part of it


def test_a_summary_md_that_links_its_paper_is_that_paper():
    body = ("# Scene Parsing by Passing Messages\n\n[paper](https://openaccess.thecvf.com/content/x_paper.html)\n"
            "[code]()\n\n---\n* Overview\n  * 물체 영역마다 관계를 추론하는 문제로 본다\n")
    entry, _ = one(body, "graph/parsing/summary.md")
    assert entry.type is EntryType.PAPER
    assert entry.paper_links[0].url.startswith("https://openaccess.thecvf.com/")


def test_a_readme_of_links_stays_an_index():
    body = "# My notes\n\n" + "".join(f"- [Note {n}](notes/n{n}.md)\n" for n in range(12)) + "\nSee above.\n"
    entry, _ = one(body, "README.md")
    assert entry.type is EntryType.TIP


# --- the paper a title line links, and what a link's text is not -------------------------------------

def test_a_title_line_linking_the_paper_gives_its_link_and_title():
    entry, _ = one("# [Benchmarking Made Up Errors in Models](https://arxiv.org/pdf/2305.00001) (EMNLP 2023)\n\n"
                   "## Abstract\n\n" + PROSE, "halu.md")
    assert entry.type is EntryType.PAPER
    assert [link.url for link in entry.paper_links] == ["https://arxiv.org/abs/2305.00001"]
    assert entry.paper_title == "Benchmarking Made Up Errors in Models"


@pytest.mark.parametrize("text", ["arXiv:2205.00002", "Rafferty et al., 2023", "Kim et al. (2021)", "doi:10.1000/x1"])
def test_a_link_naming_where_or_whose_the_paper_is_is_not_its_title(text):
    entry, _ = one(f"---\ntitle: \"[논문리뷰] Preference Learning Without Rewards\"\n---\n- 원문: [{text}]"
                   "(https://arxiv.org/abs/2205.00002)\n\n이 논문은 보상 모델 없이 선호를 학습한다.\n", "p.md")
    assert entry.type is EntryType.PAPER
    assert entry.paper_title == "Preference Learning Without Rewards"


@pytest.mark.parametrize(("title", "expected"), [
    ("GPT3: Language Models are Few-Shot Learners review", "GPT3: Language Models are Few-Shot Learners"),
    ("Compact Models: smaller and faster summary", "Compact Models: smaller and faster"),
    ("Deep learning: a review", "Deep learning: a review"),  # a paper that is a review keeps the word
    ("A Systematic Literature Review", "A Systematic Literature Review"),
    ("Finding Structure in Time (CogSci 1990)", "Finding Structure in Time"),
    ("Sparse Adapters (NeurIPS'22)", "Sparse Adapters"),
    ("BERT (2018)", "BERT (2018)"),  # a year alone may be part of a name
])
def test_what_wraps_a_paper_title_in_a_post_title(title, expected):
    assert unwrap_paper_title(title) == expected


# --- titles --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["(미완)", "[WIP]", "작성중", "Draft"])
def test_an_h1_that_marks_the_note_unfinished_is_not_its_title(mark):
    entry, _ = one(f"# {mark}\n\n# Gap Sentences for Summaries\n\n## Overview\n\n- masked sentences\n", "g.md")
    assert entry.title == "Gap Sentences for Summaries"


def test_a_setext_h1_is_the_title_and_its_underline_leaves_the_body():
    entry, _ = one("Learning to Rank Answers\n========================\n\nThe authors rank answers by votes.\n", "r.md")
    assert entry.title == "Learning to Rank Answers"
    assert "===" not in entry.body and entry.body.startswith("The authors")


def test_a_setext_underline_after_a_list_or_inside_prose_is_no_title():
    entry, _ = one("Some words first.\nmore words\n=====\n\ntext\n", "plain-note.md")
    assert entry.title != "more words"


# --- types -----------------------------------------------------------------------------------------------

def test_a_paper_shaped_title_with_review_sections_is_a_paper():
    entry, _ = one("# MaskSum: Pre-training with Extracted Gap-sentences for Abstractive Summaries\n\n"
                   "## Overview\n\n- 문장을 가리고 다시 생성한다\n\n## Related Work\n\n- 논문 참조\n", "m.md")
    assert entry.type is EntryType.PAPER


@pytest.mark.parametrize(("title", "shaped"), [
    ("PEGASUS: Pre-training with Extracted Gap-sentences for Abstractive Summarization", True),
    ("Docker: how to make images small and fast", False),  # words a sentence writes in lowercase
    ("Meeting notes: Friday", False),
    ("Transformers", False),
])
def test_paper_shaped(title, shaped):
    assert paper_shaped(title) is shaped


def test_event_labels_make_a_short_page_a_conference_log():
    entry, _ = one("# PyCon Korea 2018\n\n- ⏰ 일시 : 2018. 08. 17 (금)\n- ⛳ 장소 : 코엑스\n- 💁 주최 : 파이콘 준비위원회\n",
                   "0817_pycon.md")
    assert entry.type is EntryType.CONFERENCE
    assert entry.start == dt.date(2018, 8, 17)


def test_talks_each_with_a_speaker_make_a_conference_log():
    talks = "".join(f"## Talk {n}: Small containers\n* speaker: Person {n}\n* notes about the talk\n\n" for n in range(4))
    entry, _ = one("# normConf notes\n\n" + talks, "normconf-notes.md")
    assert entry.type is EntryType.CONFERENCE


def test_until_still_and_client_are_not_til_or_cli():
    entry, _ = one("# A Review of Sparse Attention\n\n[paper](https://arxiv.org/abs/2101.00003)\n\n"
                   "The authors still wait until the client asks. " * 3, "sparse.md")
    assert entry.type is EntryType.PAPER


def test_a_conference_dated_only_by_its_file_has_no_start_day():
    entry, _ = one("# DevFest Seoul\n\n여러 세션을 들었다. 키노트와 부스가 좋았다. 컨퍼런스 후기.\n", "devfest.md", mtime=1.7e9)
    assert entry.type is EntryType.CONFERENCE and entry.date_inferred
    assert entry.start is None and entry.end is None


# --- file names, labels and lists ------------------------------------------------------------------------

def test_a_two_digit_year_file_name_takes_its_century_from_the_folder():
    entry, _ = one("# equals와 hashCode\n\n내용\n", "daily/2022_10/22-10-18 화 equals와 hashCode.md")
    assert (entry.date, entry.date_source) == (dt.date(2022, 10, 18), "filename")
    entry, _ = one("# 인터페이스\n\n내용\n", "daily/2022_10/22.10.19 인터페이스.md")
    assert entry.date == dt.date(2022, 10, 19)
    entry, _ = one("# no year folder\n\n내용\n", "daily/22-10-18 notes.md", mtime=1.7e9)
    assert entry.date_inferred  # without a year to agree with, `22-10-18` could be anything


def test_a_heading_that_is_the_file_name_with_a_colon_is_the_title():
    entry, _ = one("## Wisp: Support for Intermittent Power\n\nThe author presents Wisp.\n",
                   "Wisp Support for Intermittent Power.md")
    assert entry.title == "Wisp: Support for Intermittent Power"


def test_label_and_field_lines_are_not_titles():
    entry, _ = one("Hot takes:\npersonal interest: 6/10\n\n" + "The authors propose a filter for prefetchers. " * 4,
                   "perceptron-prefetch-filtering.md")
    assert entry.title == "perceptron prefetch filtering"


def test_a_note_of_nothing_but_paper_links_is_a_reading_list():
    body = "".join(f"[A Study of Sensor Number {n}](https://arxiv.org/pdf/2208.1035{n}.pdf)\n\n" for n in range(4))
    entry, _ = one("# Sensor papers\n\n" + body, "sensors.md")
    assert entry.type is EntryType.TIP


# --- bibliography bullets --------------------------------------------------------------------------------

CITED = [
    ("Ana Lima and Bo Chen", "Joint Inference over Noisy Records", "AAAI 2007. http://example.org/a.pdf"),
    ("Carl P. Olsen et al", "Markov Networks for Citations", "http://example.org/b.pdf"),
    ("Dana Wu", "Integrating Logic with Probabilities, Science Reports, 2013", "http://example.org/c.pdf"),
]


def test_a_topic_page_of_cited_papers_gives_one_paper_each_with_authors_and_link():
    body = "Logic\n=====\n\n" + "".join(f"* {a}. {t}. {rest}\n  - what I noted about it\n  - more notes\n\n"
                                         for a, t, rest in CITED)
    entries, _ = entries_of(body, "logic.md")
    assert [e.paper_title for e in entries] == ["Joint Inference over Noisy Records", "Markov Networks for Citations",
                                                "Integrating Logic with Probabilities"]
    assert all(e.type is EntryType.PAPER for e in entries)
    assert [e.authors[0] for e in entries] == ["Ana Lima", "Carl P. Olsen", "Dana Wu"]
    assert entries[1].paper_links[0].url == "http://example.org/b.pdf"


def test_a_page_of_one_cited_paper_is_that_paper():
    entry, _ = one("Parsing\n=======\n\n* Ana Lima and Bo Chen. Accurate Parsing Without Words. ACL 2003 "
                   "http://example.org/p.pdf\n  - notes\n", "parsing.md")
    assert (entry.paper_title, entry.authors[:1]) == ("Accurate Parsing Without Words", ("Ana Lima",))


def test_sentences_in_bullets_are_no_citations():
    entries, _ = entries_of("# Setup\n\n" + "".join(f"- Install the tool. Then run step {n}. https://x.org/{n}\n"
                                                    f"  - note\n" for n in range(4)), "setup.md")
    assert len(entries) == 1 and entries[0].type is EntryType.TIP


# --- headings as sections, dated headings, Obsidian author lines, reading guides ---------------------------

def test_h1s_used_as_sections_leave_the_title_to_the_file_name():
    entry, _ = one("# 들어가며\n\n글\n\n# 1. 도메인 나누기\n\n글\n\n# 정리\n\n글\n", "DDD 뭣이 중요한가.md")
    assert entry.title == "DDD 뭣이 중요한가"


def test_a_dated_h1_dates_the_note_and_the_next_line_names_it():
    entry, _ = one("\n# November 13, 2017\n\n\"Data Science Pop-Up\"\n\n**A. Maps**\n\n- a talk on maps\n",
                   "pop_up.md")
    assert entry.title.strip('"') == "Data Science Pop-Up"
    assert entry.date == dt.date(2017, 11, 13)


def test_an_obsidian_line_of_linked_names_gives_the_authors():
    entry, _ = one("## Computing Without Power\n#### [[Joan Van Der Berg]] [[Mark Hill]], 2016\n#### Summary\n"
                   "The authors introduce a compiler pass. [paper](https://dl.acm.org/doi/10.1145/1234567)\n",
                   "Computing Without Power.md")
    assert entry.type is EntryType.PAPER
    assert entry.authors == ("Joan Van Der Berg", "Mark Hill")


def test_a_guide_to_several_papers_with_their_authors_is_no_paper():
    guide = "".join(f"📜 Paper Number {n} on Diffusion\n저자/연도: Person {n}, et al. (2015)\n\n중요성: 기초\n\n"
                    for n in range(4))
    entry, _ = one("확산 모델을 이해하려면 이 논문들을 순서대로 읽으세요.\n\n" + guide, "Diffusion 논문 공부순서.md")
    assert entry.type is EntryType.TIP


# --- fields that must hold what their label promises ---------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("Feng Liu1* Shiwei Zhang2† Xiaofeng Wang1,3", ("Feng Liu", "Shiwei Zhang", "Xiaofeng Wang")),
    ("Chenglin Yang1, Celong Liu2", ("Chenglin Yang", "Celong Liu")),
    ("GPT4 Team", ("GPT4 Team",)),  # a digit inside a name is no affiliation mark
])
def test_affiliation_marks_end_author_names(value, expected):
    from notebase.load.citations import split_names

    assert split_names(value) == expected


def test_a_writer_label_holding_a_formula_or_a_date_names_nobody():
    entry, _ = one("# Fast Exact Attention\n\n[paper](https://arxiv.org/abs/2205.14135)\n\n"
                   "정리: 메모리 접근 횟수는 O(N²d²M⁻¹) 이다\n발표 : 2024년 12월 24일 arXiv\n", "fa.md")
    assert entry.type is EntryType.PAPER and entry.presenter is None


def test_hashtag_keywords_are_one_tag_each_and_linked_tags_lose_their_brackets():
    entry, _ = one("# Energy Harvesting\n\nKeywords: #energy #embedded-systems #compilers\n\ntext\n", "e.md")
    assert entry.tags == ("energy", "embedded-systems", "compilers")
    entry, _ = one("# Energy Harvesting\n\nTags: [[area/embedded]], [[ml]]\n\ntext\n", "f.md")
    assert entry.tags == ("area/embedded", "ml")


def test_a_labelled_heading_names_the_paper():
    entry, _ = one("# Reports for a reading society\n\n## Name of the thesis: Region Proposals in Real Time\n\n"
                   "## Summary\n\n- anchors and shared features\n", "frcnn.md")
    assert (entry.type, entry.paper_title) == (EntryType.PAPER, "Region Proposals in Real Time")


# --- dates in TIL names and headings, event folders and names, Zotero pages --------------------------------

@pytest.mark.parametrize(("name", "body", "expected"), [
    ("TIL20221018", "## 오늘 배운 것\n\n내용\n", dt.date(2022, 10, 18)),
    ("2022 10 19 Webpack & Babel", "# Webpack\n\n내용\n", dt.date(2022, 10, 19)),
    ("Memoir", "## TIL 2022 10 24\n\n이력서를 냈다\n", dt.date(2022, 10, 24)),
])
def test_til_dates_with_spaces_or_a_til_prefix(name, body, expected):
    entry, _ = one(body, f"2022/10/{name}.md", mtime=1.7e9)
    assert (entry.date, entry.date_inferred) == (expected, False)


def test_a_number_with_spaces_in_prose_is_no_date():
    entry, _ = one("# Numbers\n\nThe ids were 2022 10 18 and more text here.\n", "numbers.md", mtime=1.7e9)
    assert entry.date_inferred


def test_a_folder_named_for_an_event_and_its_year_makes_its_notes_that_event():
    entry, _ = one("# 상태관리, 이제 이걸 하세요\n\n상태 관리 라이브러리 이야기\n", "2021-FEConf/상태관리.md")
    assert (entry.type, entry.event) == (EntryType.CONFERENCE, "FEConf 2021")
    entry, _ = one("# 정리\n\n내용\n", "2021-projects/notes.md")
    assert entry.type is not EntryType.CONFERENCE  # a year beside any word is no event


@pytest.mark.parametrize(("title", "event"), [
    ("우아한 테크 세미나 - React Query", "우아한 테크 세미나"),
    ("FEConf 2021 - Can I use Vue3", "FEConf 2021"),
    ("FEConf 2020 OpenAPI로 타입 안전하게", "FEConf 2020"),
    ("Droid Knights 2019", "Droid Knights 2019"),
])
def test_the_event_of_a_talk_s_title(title, event):
    from notebase.load.eventinfo import event_name

    assert event_name(title) == event


def test_short_review_titles_and_zotero_pages_give_the_paper_title():
    assert unwrap_paper_title("YOLO v1 Review") == "YOLO v1"
    assert unwrap_paper_title("A Review") == "A Review"
    entry, _ = one("original-title:: Move Beyond Trajectories\ntype:: [[journalArticle]]\n\n- [Sun et al. - 2021 - "
                   "Move Beyond.pdf](https://arxiv.org/pdf/2108.00001.pdf)\n- 이 논문은 군중 속 주행을 다룬다\n",
                   "pages/@sunMoveBeyond2021.md")
    assert entry.paper_title == "Move Beyond Trajectories"


@pytest.mark.parametrize("text", ["Link to the paper", "원문 링크 보기", "Sun et al. - 2021 - Move Beyond.pdf"])
def test_link_text_that_only_points_is_no_paper_title(text):
    entry, _ = one(f"# Lottery Tickets in Sparse Nets\n\n* [{text}](https://arxiv.org/abs/1803.03635)\n\n"
                   "The authors find small subnetworks.\n", "lottery.md")
    assert entry.paper_title == "Lottery Tickets in Sparse Nets"


def test_a_logseq_namespace_page_is_titled_by_its_name():
    entry, _ = one("- ![image.png](../assets/image_1.png)\n", "pages/DQN___Dueling.md")
    assert entry.title == "DQN/Dueling"


# --- Jupyter Book info blocks, literature notes, dated headings --------------------------------------------

INFO = ("```{admonition} Information\n- **Title:** Adversarial Nets (NIPS 2014)\n\n- **Reference**\n"
        "    - Paper: [https://arxiv.org/abs/1406.2661](https://arxiv.org/abs/1406.2661)\n\n"
        "- **Last updated on Apr. 12, 2023**\n```\n\n# GAN\n\n## Introduction\n\n생성 모델을 소개한다.\n")


def test_a_myst_admonition_is_text_the_loader_reads():
    entry, _ = one(INFO, "review/gan.md", mtime=1.7e9)
    assert (entry.type, entry.paper_title) == (EntryType.PAPER, "Adversarial Nets")
    assert entry.paper_links[0].url == "https://arxiv.org/abs/1406.2661"
    assert (entry.date, entry.date_inferred) == (dt.date(2023, 4, 12), False)


def test_a_myst_code_cell_is_still_code():
    from notebase.render.plaintext import has_code, mask_code

    assert has_code("```{code-cell} python\nprint(1)\n```\n") and not has_code("```{note}\ntext\n```\n")
    assert "secret" not in mask_code("```{code-cell}\nsecret = 1\n```\n")
    assert "kept words" in mask_code("```{note}\nkept words\n```\n")


def test_a_paper_linked_deep_in_a_note_is_a_citation_unless_the_note_speaks_of_it():
    filler = "".join(f"Line {n} of our own experiment log.\n" for n in range(14))
    body = "# Our fine-tuning run\n\n" + filler + "We used dreambooth ([링크](https://arxiv.org/abs/2208.12242)).\n"
    entry, _ = one(body, "experiments/run.md")
    assert entry.type is EntryType.TIP
    entry, _ = one(body.replace("Line 3 of", "This paper is about") + "이 논문은 좋다.\n", "experiments/run2.md")
    assert entry.paper_links  # the note speaks of its paper: the link is its own


def test_literature_note_front_matter_makes_a_paper():
    entry, _ = one('+++\ntitle = "Long Short-Term Memory"\nauthors = "Hochreiter and Schmidhuber"\nyear = 1997\n+++\n'
                   "Gates keep the error flowing.\n", "hochreiterLSTM1997.md")
    assert (entry.type, entry.paper_title, entry.authors) == (
        EntryType.PAPER, "Long Short-Term Memory", ("Hochreiter", "Schmidhuber"))
    entry, problems = one("---\ntitle: Rain\nauthor(s): Agrawal et al\nyear: 2019\n---\nnowcasting\n", "rain.md")
    assert (entry.type, entry.authors, problems) == (EntryType.PAPER, ("Agrawal",), [])


def test_a_date_in_the_title_heading_is_stated_and_jekyll_dates_need_no_zeros():
    entry, _ = one("# Day 2 – September 9, 2026: First Day & My Talk\n\nInvited talk by the organizers.\n", "day2.md",
                   mtime=1.7e9)
    assert (entry.date, entry.date_inferred) == (dt.date(2026, 9, 9), False)
    entry, _ = one("A note.\n", "_posts/2018-1-6-How transferable are features.md", mtime=1.7e9)
    assert (entry.date, entry.date_inferred) == (dt.date(2018, 1, 6), False)


def test_the_notes_folder_s_own_readme_is_never_a_log_or_a_paper():
    entry, _ = one("# Paper reading\n\nNotes from ISCA and OSDI, the conference papers I read this year. "
                   "Invited talk notes and keynote notes are in each conference folder. " * 12, "README.md")
    assert entry.type is EntryType.TIP


# --- YYMMDD names, venues after a comma, events in brackets, late section headings --------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("220818", dt.date(2022, 8, 18)),
    ("240318 분할정복 백트래킹", dt.date(2024, 3, 18)),
    ("220715_Fri", dt.date(2022, 7, 15)),
    ("20230828~20230903", dt.date(2023, 8, 28)),
    ("201913 notes", None),  # no 13th month: not a date
    ("991231 plans", None),  # 2099-12-31: never a day still to come
])
def test_yymmdd_file_names(name, expected):
    from notebase.load.dates import date_from_filename

    assert date_from_filename(name) == expected


def test_a_venue_after_a_comma_leaves_a_labelled_title():
    entry, _ = one("# DETR - ECCV 2020\n\n- **Title:** End-to-End Detection with Transformers, ECCV 2020\n\n"
                   "## Resource\n\n- [https://arxiv.org/abs/2005.12872](https://arxiv.org/abs/2005.12872)\n", "detr.md")
    assert entry.paper_title == "End-to-End Detection with Transformers"


def test_a_paper_named_by_a_title_line_owns_a_link_further_down():
    filler = "".join(f"- point {n} about the architecture\n" for n in range(14))
    entry, _ = one("# U-Net - arxiv 2015\n\n- **Title:** U-Net: Convolutional Networks for Segmentation\n\n" + filler
                   + "\n## Resource\n\n- [https://arxiv.org/pdf/1505.04597.pdf](https://arxiv.org/pdf/1505.04597.pdf)\n",
                   "unet.md")
    assert [link.url for link in entry.paper_links] == ["https://arxiv.org/abs/1505.04597"]


def test_a_bracketed_event_before_a_talk_title_is_the_event():
    from notebase.load.eventinfo import event_name

    assert event_name("[2022 피로컨퍼런스] 발표 제목") == "2022 피로컨퍼런스"
    assert event_name("[Frontend] 웹 반응성 개선하기") != "Frontend"  # a category, not an event


def test_an_h1_after_the_content_is_a_section_not_the_title():
    body = "".join(f"- [[Paper {n}]] notes on the paper\n" for n in range(10)) + "\n# Links\n\n- [[a]]\n"
    entry, _ = one(body, "200619 Augmentation for GANs.md")
    assert entry.title != "Links" and entry.date == dt.date(2020, 6, 19)


# --- references at the top of a note -------------------------------------------------------------------------

def test_an_apa_reference_at_the_top_names_the_paper_and_its_authors():
    entry, _ = one("# 1주차 논문\n\nKolotouros, N., Pavlakos, G., & Black, M. J. (2019). Learning to reconstruct "
                   "human pose in the loop. In Proceedings of ICCV (pp. 2252-2261).\n\n## 요약\n\n- 내용\n",
                   "week1/논문스터디.md")
    assert entry.type is EntryType.PAPER  # a week's study note about one paper, though `1주차` names a session
    assert entry.paper_title == "Learning to reconstruct human pose in the loop"
    assert entry.authors == ("N. Kolotouros", "G. Pavlakos", "M. J. Black")


def test_a_title_followed_by_its_authors_names_the_paper():
    entry, _ = one("https://arxiv.org/abs/2302.04761\n\nToolformer: Models Teach Themselves to Use Tools "
                   "(Timo Schick, Jane Dwivedi-Yu, Thomas Scialom)\n\n도구를 쓰는 모델.\n", "230209 Toolformer.md")
    assert (entry.paper_title, entry.authors[0]) == ("Toolformer: Models Teach Themselves to Use Tools", "Timo Schick")
    assert entry.date == dt.date(2023, 2, 9)


def test_a_sentence_with_names_in_parentheses_is_no_reference():
    from notebase.load.citations import cited_paper

    assert cited_paper("We met on Friday (Alice Smith, Bob Jones)") is None
    assert cited_paper("See the notes (above, below)") is None


# --- front matter as people write it ----------------------------------------------------------------------------

def test_an_unquoted_colon_in_a_title_keeps_the_title_and_reports_the_yaml():
    entry, problems = one("---\ntitle: CNN: A Vision of Complexity\ntags: [cnn, chaos]\n---\nnotes\n", "cnn.md")
    assert (entry.title, entry.tags) == ("CNN: A Vision of Complexity", ("cnn", "chaos"))
    assert [p.line for p in problems] == [2] and "invalid YAML" in problems[0].message


def test_a_paper_key_holding_a_url_is_the_paper_s_link_not_its_title():
    entry, _ = one("---\ntitle: \"[Image Restoration] Restormer: Efficient Transformer\"\npaper: \"https://arxiv.org/abs/"
                   "2111.09881\"\nyear: 2022\n---\n이 논문은 복원을 다룬다.\n", "_posts/2026-06-25-restormer.md")
    assert entry.paper_title == "Restormer: Efficient Transformer"
    assert entry.paper_links[0].url == "https://arxiv.org/abs/2111.09881"


@pytest.mark.parametrize(("title", "paper", "first"), [
    ("Estimating Word Vectors in Space; Tomas Mikolov, Kai Chen; ICLR 2013", "Estimating Word Vectors in Space",
     "Tomas Mikolov"),
    ("Knowledge needed for recognizing entailment, LoBue and Yates, ACL 2011", "Knowledge needed for recognizing "
     "entailment", "LoBue"),
])
def test_a_post_titled_as_a_citation_gives_the_paper_and_its_authors(title, paper, first):
    entry, _ = one(f"---\ntitle: \"{title}\"\nlayout: post\n---\nThe authors train vectors. [paper](https://arxiv.org"
                   "/abs/1301.3781)\n", "_posts/2015-01-08-post.md")
    assert (entry.paper_title, entry.authors[0]) == (paper, first)


@pytest.mark.parametrize("title", ["Smaller, Faster, Cheaper and Lighter", "Learning X, Y and Z, NeurIPS 2020"])
def test_commas_in_a_title_name_no_authors(title):
    from notebase.load.citations import title_citation

    assert title_citation(title) is None


# --- Jekyll page variables, author-year link text, bracketed title lines, dated and venue folders ------

def test_a_jekyll_page_variable_shows_its_front_matter_value():
    entry, _ = one("---\ntitle: Sparse Mixtures for Cheap Inference\ndate: 2019-03-02\npaper_ref: Ortiz, van Dam, Lee, 2018\n"
                   "---\n\n[{{ page.paper_ref }}](http://arxiv.org/abs/1801.00003)\n\n## Summary\n\n" + PROSE,
                   "_posts/2019-03-02-sparse.md")
    assert "{{" not in entry.body and "[Ortiz, van Dam, Lee, 2018](" in entry.body
    assert entry.type is EntryType.PAPER
    assert entry.paper_title == "Sparse Mixtures for Cheap Inference"  # the link's text says who, not what
    assert entry.authors[:2] == ("Ortiz", "van Dam")


def test_a_page_variable_with_no_plain_value_is_left_to_the_renderer():
    entry, _ = one("---\ntitle: T\nlayout: post\nkeys: [a, b]\n---\nSee {{ page.keys }} and {{ page.missing }}.\n",
                   "_posts/2019-03-02-t.md")
    assert "{{ page.keys }}" in entry.body and "{{ page.missing }}" in entry.body


@pytest.mark.parametrize(("text", "names"), [
    ("Ortiz, van Dam, Lee, 2018", "Ortiz, van Dam, Lee"),
    ("Moreau and Tan (2020)", "Moreau and Tan"),
    ("Hale, 2016", "Hale"),
    ("Sparse Mixtures for Inference, 2018", None),  # a title with its year
    ("GAN, 2014", None),  # a name in capitals is a model, not a person
    ("Faster R-CNN, 2015", None),
    ("Sparse Mixtures for Inference", None),
])
def test_a_link_text_of_names_and_a_year_is_a_citation(text, names):
    from notebase.load.citations import names_and_year

    assert names_and_year(text) == names


def test_a_bracketed_title_line_then_its_authors_names_the_paper():
    entry, _ = one("[목차](../README.md)\n\n### SPR\n\n[Sampling Priorities for Replay Buffers]\n\n"
                   "Ana Ortiz, Bo Lind and Cal Moreau, Example Research(2016)\n\n"
                   "[`PAPER`](https://arxiv.org/pdf/1601.00004.pdf)\n\n### 요약\n\n" + PROSE, "reviews/SPR.md")
    assert entry.type is EntryType.PAPER
    assert entry.paper_title == "Sampling Priorities for Replay Buffers"
    assert entry.authors == ("Ana Ortiz", "Bo Lind", "Cal Moreau")  # the affiliation is no author


def test_a_bracketed_title_line_with_an_apa_author_list_gives_surnames_first_initials_after():
    entry, _ = one("### 3. DPS\n\n[Deterministic Policy Search methods]\n\nOrtiz, A., Lind, B., & Moreau, C. (2014).\n\n"
                   "[paper_link](http://proceedings.example.org/v1/ortiz14.pdf)\n\n" + PROSE, "DPS.md")
    assert entry.paper_title == "Deterministic Policy Search methods"
    assert entry.authors == ("A. Ortiz", "B. Lind", "C. Moreau")


def test_a_bracketed_line_without_authors_after_it_names_nothing():
    entry, _ = one("### SPR\n\n[Sampling Priorities for Replay Buffers]\n\n이 논문은 재생 버퍼의 우선순위를 다룬다.\n\n"
                   "[`PAPER`](https://arxiv.org/pdf/1601.00004.pdf)\n", "SPR.md")
    assert entry.paper_title != "Sampling Priorities for Replay Buffers" or not entry.authors


@pytest.mark.parametrize(("path", "expected"), [
    ("[221026]데이터 모임/모임.md", dt.date(2022, 10, 26)),
    ("2021-03-04-seminar/talk.md", dt.date(2021, 3, 4)),
    ("2021/talk.md", None),  # a year is no day
])
def test_a_folder_named_for_a_day_dates_the_notes_in_it(path, expected):
    entry, _ = one("# 발표 정리\n\n- 스트리밍 처리의 지연을 줄이는 방법\n", path, mtime=0.0)
    assert (entry.date if not entry.date_inferred else None) == expected


def test_a_bracketed_day_starts_a_file_name_and_leaves_its_title():
    from notebase.load.dates import date_from_filename, strip_filename_date

    assert date_from_filename("[201119]Stream meetup") == dt.date(2020, 11, 19)
    assert strip_filename_date("[201119]Stream meetup") == "Stream meetup"
    assert date_from_filename("[draft]Stream meetup") is None


@pytest.mark.parametrize(("path", "event", "conference"), [
    ("aaai2016/panels/career.md", "AAAI 2016", False),  # a venue's folder names the event, makes no log
    ("[221108]Data_Summit/talk.md", "Data Summit 2022", True),
    ("[221026]DE모임/DE모임.md", "DE모임 2022", True),
    ("python2020/notes.md", None, False),
])
def test_event_folders(path, event, conference):
    from notebase.load.notetype import folder_event, place_type

    assert folder_event(path) == event
    assert (place_type(path) is EntryType.CONFERENCE) == conference


def test_a_short_label_alone_on_the_first_line_heads_a_plain_text_note():
    entry, _ = one("Panel on careers:\n\nAna Ortiz (Example University)\nBo Lind (Example Lab)\n\n* meet new people\n",
                   "aaai2016/panel/sum.md")
    assert entry.title == "Panel on careers"
    entry, _ = one("Hot takes:\npersonal interest: 6/10\n\n" + PROSE, "x.md")
    assert entry.title != "Hot takes"


def test_a_language_mark_is_no_part_of_the_paper_s_title():
    assert unwrap_paper_title("(KOR) Small Korean Language Model") == "Small Korean Language Model"
    assert unwrap_paper_title("(ENG) Small Korean Language Model") == "Small Korean Language Model"


def test_a_jekyll_post_s_space_separated_tags_are_several():
    entry, _ = one("---\nlayout: post\ntitle: T\ntags: papers NLP\n---\nText.\n", "_posts/2024-01-02-t.md")
    assert entry.tags == ("papers", "NLP")
    entry, _ = one("---\ntitle: T\ntags: machine learning\n---\nText.\n", "notes/t.md")
    assert entry.tags == ("machine learning",)  # elsewhere a string is one tag


def test_a_link_heading_at_the_top_holds_the_paper_s_own_link_and_a_paired_label_its_authors():
    entry, _ = one("# Sample Efficient Goal Hierarchies\n\n#### Link\n\n"
                   "[https://arxiv.org/abs/1805.00005](https://arxiv.org/abs/1805.00005)\n\n#### Information\n\n"
                   "- Author/Institution : Ana Ortiz, Bo (Bob) Lind, Cal Moreau / **Example Lab**\n"
                   "- Conference/Journal : NeurIPS 2018\n\n## Abstract\n\n" + PROSE, "shortReview/goals.md")
    assert [link.url for link in entry.paper_links] == ["https://arxiv.org/abs/1805.00005"]
    assert entry.authors == ("Ana Ortiz", "Bo Lind", "Cal Moreau")


def test_a_links_heading_further_down_is_still_a_reading_list():
    filler = "".join(f"- point {n} about the method\n" for n in range(14))
    entry, _ = one("# My notes on goal hierarchies\n\n" + filler + "\n## Links\n\n"
                   "- [Some other paper](https://arxiv.org/abs/1805.00006)\n", "goals.md")
    assert entry.type is not EntryType.PAPER and not getattr(entry, "paper_links", ())


def test_a_talk_s_slides_are_no_paper_and_an_event_bracket_makes_a_talk_note():
    body = ("---\nlayout: post\ntitle: '[DevDay 2016] Small boards for the home'\n---\n\n"
            "[발표자료 링크](http://devday.example.org/pdf/17/talk_2.pdf)\n\n### 소개\n\n"
            "보드마다 쓰는 운영체제가 다르고 발표는 그 차이를 정리했다.\n")
    entry, _ = one(body, "_posts/2016-11-17-devday.md")
    assert entry.type is EntryType.CONFERENCE
    assert entry.event == "DevDay 2016"
    entry, _ = one(body.replace("DevDay 2016", "CVPR 2016").replace("발표자료 링크", "paper"), "_posts/2016-11-17-cvpr.md")
    assert entry.type is EntryType.PAPER  # a venue's bracket titles a paper's review


def test_a_table_naming_the_speaker_heads_a_talk_s_notes():
    entry, _ = one("## Advice from a long career\n\n| Date | Title | Speaker | Type |\n| --- | --- | --- | --- |\n"
                   "| 07/12/2020 | Advice from a long career | Ana Ortiz | Workshop |\n\n### Choosing a topic\n\n"
                   "- pick something far from the crowd\n", "workshops/advice.md")
    assert entry.type is EntryType.CONFERENCE


def test_a_year_folder_and_an_event_folder_name_a_log_s_event_but_make_none():
    from notebase.load.notetype import place_type, year_folder_event

    assert year_folder_event("2018/pycity/talk.md", "Loops in depth") == "pycity 2018"
    assert year_folder_event("2018/pycity/talk.md", "PyCity 2018 keynote") is None  # the title names it better
    assert place_type("2018/pycity/talk.md") is None
    assert year_folder_event("2018/talk.md", "Loops") is None


@pytest.mark.parametrize(("title", "event"), [
    ("CityConf 2023에 다녀왔습니다", "CityConf 2023"),
    ("[시티콘] CITYCONF 2022 를 기다리며", "CITYCONF 2022"),  # a label in brackets, then the event
    ("[후기] CityConf 2019 참석기", "CityConf 2019"),
    ("2026 DEVDAY 발표 자료", "2026 DEVDAY"),  # a page of the event's slides
    ("CityConf 2021 slides", "CityConf 2021"),
])
def test_trip_phrases_slides_and_label_brackets_leave_the_event_s_name(title, event):
    from notebase.load.eventinfo import event_name

    assert event_name(title) == event


def test_a_logseq_outline_page_is_named_by_its_file():
    entry, _ = one("# Definition\n\t- a phase picked up around a loop\n\t\t- $C$ is the loop\n\t- its curvature\n"
                   "\t- and the flux through a surface\n", "pages/Geometric Phase.md")
    assert entry.title == "Geometric Phase"
    entry, _ = one("# Definition\n\nA phase picked up around a loop.\n", "pages/Geometric Phase.md")
    assert entry.title == "Definition"  # not an outline: the heading titles it


def test_a_numbered_list_of_links_is_named_by_its_file():
    entry, _ = one("0. [Sparse Models at Scale](https://arxiv.org/abs/2312.00001)\n"
                   "1. [Dense Retrieval Revisited](https://arxiv.org/abs/2312.00002)\n", "2023/53_week.md")
    assert entry.title == "53 week"


def test_a_page_named_as_zotero_names_a_paper_is_that_paper():
    entry, _ = one("- ![the pdf](file://zotero_link/2021_Ortiz_Lind_Sparse models of anyons.pdf)\n"
                   "- Key problem: defining the operators precisely.\n", "pages/2021_Ortiz_Lind_Sparse models of anyons.md")
    assert entry.type is EntryType.PAPER
    assert (entry.paper_title, entry.authors, entry.year) == ("Sparse models of anyons", ("Ortiz", "Lind"), 2021)
    from notebase.load.citations import zotero_name

    assert zotero_name("2023_10_05_standup") is None  # a dated name, no authors
    assert zotero_name("2021_Notes_Misc") is None  # no title of words


def test_an_event_bracket_makes_a_talk_note_even_of_a_retrospective():
    entry, _ = one("# [시티콘 2022후기] 비전공 개발자의 4년 회고\n\n행사 전체 후기는 다른 글에 있다.\n\n## 개인 코멘트\n\n"
                   "발표자는 체육을 전공하고 개발자가 되었다.\n", "devlife/citycon2022_01.md")
    assert entry.type is EntryType.CONFERENCE
    assert entry.event == "시티콘 2022"
