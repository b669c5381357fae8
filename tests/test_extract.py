"""Type-specific fields found in text: talks, venues, paper links, authors."""

from __future__ import annotations

import pytest

from notebase.load import extract
from notebase.model import PaperLink, Talk

LOG = """행사 이름

아침 9시에 시작하는 세션이 많았다.

정태오 교수 - 그래프 신경망의 표현력

- 첫 번째 요점

Kim Minji
한보형 Training-Free Editing with Diffusion

임성빈

마무리

오후에는 포스터를 봤다.
"""


def test_talks_from_speaker_lines_but_not_from_ordinary_words():
    # '아침 9시…' and '마무리' start like names but are words; a line inside a paragraph is no header.
    assert extract.talks(LOG) == (Talk("정태오", "그래프 신경망의 표현력"), Talk("임성빈", ""))


def test_labelled_talk_line():
    assert extract.talks("\nKeynote: Scaling laws revisited — Jane Doe\n") == (
        Talk("Jane Doe", "Scaling laws revisited"),)


@pytest.mark.parametrize("text, venue, year", [
    ("- **Venue**: NeurIPS 2022", "NeurIPS", 2022),
    ("원문 링크: https://arxiv.org/abs/2101.00002 (ECCV-2020 Oral)", "ECCV", 2020),
    ("원문 링크: https://arxiv.org/pdf/2101.00001.pdf (ICML-20)", "ICML", 2020),
    ("Neural Reprojection Error, CVPR, 2021", "CVPR", 2021),
    ("(Facebook AI research, ICML 2021)", "ICML", 2021),
    ("그냥 메모", None, None),
])
def test_venue_and_year(text, venue, year):
    assert extract.venue_year(text) == (venue, year)


def test_paper_links_normalise_and_deduplicate():
    text = ("[paper](https://arxiv.org/pdf/2002.05709v3.pdf) and https://arxiv.org/abs/2002.05709, "
            "doi: 10.1145/3292500.3330701, https://github.com/google-research/simclr, "
            "https://openreview.net/forum?id=abc")
    assert extract.paper_links(text) == (
        PaperLink("arxiv", "https://arxiv.org/abs/2002.05709"),
        PaperLink("code", "https://github.com/google-research/simclr"),
        PaperLink("web", "https://openreview.net/forum?id=abc"),
        PaperLink("doi", "https://doi.org/10.1145/3292500.3330701"),
    )


@pytest.mark.parametrize("text, names", [
    ("- **Authors**: Tri Dao, Daniel Y. Fu and Christopher Ré", ("Tri Dao", "Daniel Y. Fu", "Christopher Ré")),
    ("저자: 김민수; 이서연", ("김민수", "이서연")),
    ("no authors here", ()),
])
def test_authors(text, names):
    assert extract.authors(text) == names


@pytest.mark.parametrize("name, ok", [
    ("김민수", True), ("황보민재", True), ("유진", True), ("방법", False), ("마무리", False),
    ("Kim", False), ("실험", False),
])
def test_korean_names(name, ok):
    assert extract.is_korean_name(name) is ok
