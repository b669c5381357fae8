"""`notebase export --bibtex`: a bibliography a real BibTeX parser reads back field for field."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from conftest import write_notes
from notebase.cli.bibtex import citation_key, family_name, latex_escape, protect_title, romanize
from notebase.cli import cli
from test_cli import _installed_notebase

pybtex_database = pytest.importorskip("pybtex.database")
from pybtex.richtext import Text  # noqa: E402

SPECIAL_TITLE = r"R&D at 50% of cost_fn #1: {braces} ~ ^ \ $x$ in 한국어 BERT 제목"


def paper(title: str, **fields) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "type: paper", "date: 2024-01-01"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines + ["---", "## 목적", "", "요약.", ""])


NOTES = {
    "papers/transformer.md": paper("Transformer 다시 읽기", paper_title='"Attention Is All You Need"',
                                   authors="[Ashish Vaswani, Noam Shazeer, Łukasz Kaiser]", venue="NeurIPS",
                                   year=2017, arxiv='"1706.03762"', tags="[nlp]"),
    "papers/transformer-again.md": paper("트랜스포머 두 번째 요약", authors="[Ashish Vaswani]",
                                         arxiv="https://arxiv.org/abs/1706.03762v5", presenter="이도윤"),
    "papers/survey.md": paper("증강 서베이", paper_title='"A survey on Image Data Augmentation for Deep Learning"',
                              authors="[Connor Shorten, Taghi M. Khoshgoftaar]", venue='"Journal of Big Data"',
                              year=2019, doi='"10.1186/s40537-019-0197-0"', tags="[vision]"),
    "papers/preprint.md": paper("Vision Transformers Need Registers", authors="[Timothée Darcet]",
                                arxiv='"2309.16588"', tags="[vision]"),
    "papers/special.md": paper("special", paper_title=json.dumps(SPECIAL_TITLE, ensure_ascii=False), authors="[홍길동, 남궁민수, Google and Friends]",
                               venue="KCC", year=2023, doi='"10.1000/ab_c"'),
    "papers/simple-a.md": paper("SimCLR", paper_title='"A Simple Framework for Contrastive Learning"',
                                authors="[Ting Chen]", venue="ICML", year=2020),
    "papers/simple-b.md": paper("Simple baselines", paper_title='"Simple Baselines for Image Restoration"',
                                authors="[Ting Chen]", venue="ECCV", year=2020),
    "papers/cpc.md": paper("CPC", paper_title='"Representation Learning with Contrastive Predictive Coding"',
                           authors="[Aaron van den Oord et al.]", venue='"arXiv preprint"', arxiv='"1807.03748"'),
    "digest.md": paper("Denoising Diffusion Probabilistic Models"),
    "tips/not-a-paper.md": "---\ntitle: a tip\ntype: tip\ndate: 2024-01-01\n---\nnot exported\n",
}
_COMMANDS = {r"\textbraceleft{}": "\ue000", r"\textbraceright{}": "\ue001", r"\textbackslash{}": "\ue002",
             r"\textasciitilde{}": "\ue003", r"\textasciicircum{}": "\ue004", r"\$": "\ue005"}


def decode(latex: str) -> str:
    """Read a LaTeX field value back to text: pybtex's LaTeX reader, plus the text commands it lacks."""
    for command, mark in _COMMANDS.items():
        latex = latex.replace(command, mark)
    text = Text.from_latex(latex).render_as("text")
    for original, mark in zip("{}\\~^$", _COMMANDS.values()):
        text = text.replace(mark, original)
    return text


def names(entry) -> list[str]:
    return [decode(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names))
            for p in entry.persons["author"]]


@pytest.fixture
def root(tmp_path):
    write_notes(tmp_path, NOTES)
    return tmp_path


def export(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), "export", *args])


def test_export_parses_back_field_for_field(root):
    result = export(root, "--bibtex")
    assert result.exit_code == 0, result.output
    data = pybtex_database.parse_string(result.stdout, "bibtex")
    entries = data.entries
    assert sorted(entries) == ["chen2020simplea", "chen2020simpleb", "darcet2023vision", "denoising",
                               "hong2023rd", "oord2018representation", "shorten2019survey", "vaswani2017attention"]

    vaswani = entries["vaswani2017attention"]  # two summaries of one paper: one entry
    assert vaswani.type == "inproceedings"
    assert names(vaswani) == ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"]
    assert decode(vaswani.fields["title"]) == "Attention Is All You Need"
    assert vaswani.fields["booktitle"] == "Advances in Neural Information Processing Systems"
    assert vaswani.fields["year"] == "2017"
    assert vaswani.fields["eprint"] == "1706.03762" and vaswani.fields["archivePrefix"] == "arXiv"
    assert "% papers/transformer-again.md:1: 트랜스포머 두 번째 요약" in result.stdout

    survey = entries["shorten2019survey"]
    assert survey.type == "article" and survey.fields["journal"] == "Journal of Big Data"
    assert survey.fields["doi"] == "10.1186/s40537-019-0197-0" and "url" not in survey.fields

    preprint = entries["darcet2023vision"]  # arXiv only: arXiv's own export shape
    assert preprint.type == "misc" and preprint.fields["eprint"] == "2309.16588"
    assert preprint.fields["archivePrefix"] == "arXiv" and preprint.fields["year"] == "2023"
    assert preprint.fields["url"] == "https://arxiv.org/abs/2309.16588"
    assert names(preprint) == ["Timothée Darcet"]

    cpc = entries["oord2018representation"]  # "et al." is BibTeX's "and others"; "arXiv preprint" is arXiv
    assert cpc.type == "misc" and "= {Aaron van den Oord and others}," in result.stdout
    assert names(cpc) == ["Aaron van den Oord", "others"] and cpc.fields["year"] == "2018"

    special = entries["hong2023rd"]  # LaTeX specials escaped, Korean kept as UTF-8
    assert decode(special.fields["title"]) == SPECIAL_TITLE
    assert r"{R\&D} at 50\% of cost\_fn \#1: \textbraceleft{}braces\textbraceright{}" in special.fields["title"]
    assert "{BERT}" in special.fields["title"]  # capitals a style must not lowercase are braced
    assert names(special) == ["홍길동", "남궁민수", "Google and Friends"]  # a name with 'and' stays one name
    assert special.fields["booktitle"] == "KCC" and special.fields["doi"] == "10.1000/ab_c"

    bare = entries["denoising"]  # no paper metadata at all: still a usable entry
    assert bare.type == "misc" and decode(bare.fields["title"]) == "Denoising Diffusion Probabilistic Models"
    assert set(bare.fields) == {"title"}

    # Same first author, year and first word: told apart by a suffix, in title order.
    assert decode(entries["chen2020simplea"].fields["title"]) == "A Simple Framework for Contrastive Learning"
    assert decode(entries["chen2020simpleb"].fields["title"]) == "Simple Baselines for Image Restoration"
    assert entries["chen2020simpleb"].fields["booktitle"] == "European Conference on Computer Vision"
    assert "a tip" not in result.stdout


def test_tag_filter_and_output_file(root):
    out = root / "refs.bib"
    result = export(root, "--bibtex", "--tag", "VISION", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote 2 entries from 2 paper summaries to" in result.stderr
    assert sorted(pybtex_database.parse_file(out, "bibtex").entries) == ["darcet2023vision", "shorten2019survey"]


def test_bad_input(root):
    result = export(root)
    assert result.exit_code == 2 and "choose what to export: --bibtex" in result.output
    result = export(root, "--bibtex", "--tag", "no-such-tag")
    assert result.exit_code == 1 and "no paper summaries tagged 'no-such-tag'" in result.stderr
    result = export(root, "--bibtex", "--output", root)
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("authors, year, title, key", [
    (["Ashish Vaswani"], 2017, "Attention Is All You Need", "vaswani2017attention"),
    (["Petar Veličković"], 2018, "Graph Attention Networks", "velickovic2018graph"),
    (["Łukasz Kaiser"], 2017, "One Model To Learn Them All", "kaiser2017one"),
    (["이도윤"], 2024, "대조 학습 정리", "lee2024daejo"),
    (["남궁민수"], 2023, "The Art of Search", "namgung2023art"),
    (["Vaswani, Ashish"], None, "On the Attention", "vaswaniattention"),
    ([], 2020, "Denoising Diffusion Probabilistic Models", "denoising2020"),
    ([], None, "???", "paper"),
])
def test_citation_keys(authors, year, title, key):
    assert citation_key(authors, year, title) == key


def test_escaping_helpers():
    assert latex_escape("a & b % c $ d # e _ f { g } h ~ i ^ j \\ k") == (
        r"a \& b \% c \$ d \# e \_ f \textbraceleft{} g \textbraceright{} h \textasciitilde{} i "
        r"\textasciicircum{} j \textbackslash{} k")
    assert protect_title("BERT: Pre-training of Deep Bidirectional Transformers on ImageNet (3D)") == \
        "{BERT}: Pre-training of Deep Bidirectional Transformers on {ImageNet} ({3D})"
    assert romanize("한국어") == "hangukeo" and family_name("홍길동") == "hong" and family_name("John Smith Jr.") == "smith"


def test_installed_command_exports(root):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run(_installed_notebase() + ["export", "--bibtex"], cwd=root, capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "vaswani2017attention" in pybtex_database.parse_string(out.stdout, "bibtex").entries
    out = subprocess.run(_installed_notebase() + ["export"], cwd=root, capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 2 and "--bibtex" in out.stderr
