"""`notebase check`: broken links, missing fields, duplicate titles, future dates; the same as `build` reports."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO, SHARED, write_notes
from notebase.build import build, scan_inputs
from notebase.cli import cli
from notebase.config import load_config
from notebase.errors import Severity
from notebase.site.lint import lint
from notebase.load.loader import load
from notebase.site.assemble import assemble

TODAY = dt.date(2024, 6, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

# One knowledge base with one of each problem; the comments give each problem's file line.
KB: dict[str, str | bytes] = {
    "papers/simclr.md": "---\ntitle: \"SimCLR: Contrastive learning\"\ntype: paper\ndate: 2024-03-12\n"
                        "authors: [Ting Chen]\narxiv: \"2002.05709\"\n---\nA summary.\n",
    "papers/bare.md": "---\ntitle: A paper with nothing to find it by\ntype: paper\ndate: 2024-01-02\n---\n"
                      "Only my opinion of it, which is good.\n",  # :1 neither authors nor a link
    "conferences/day.md": "---\ntitle: Day two notes\ntype: conference\ndate: 2024-02-01\n---\n"
                          "Posters in the morning.\n",  # :1 no event
    "conferences/named.md": "---\ntitle: Trip notes\ntype: conference\nevent: Lab retreat\ndate: 2024-02-02\n---\n"
                            "Talks in the afternoon.\n",
    "links.md": (
        "---\ntitle: Links note\ntype: tip\ndate: 2024-02-03\n---\n"  # body starts at line 6
        "Intro line.\n"
        "\n"
        "See [[SimCLR contrastive lerning|the paper]] for details.\n"  # :8 broken wikilink
        "Also [other](missing.md) here.\n"  # :9 broken relative link
        "![fig](img/none.png)\n"  # :10 missing image
        "\n"
        "![[lost.png]]\n"  # :12 missing image embed
        "\n"
        "![[slides.pdf]]\n"  # :14 missing file embed
        "\n"
        "<img src=\"gone.png\">\n"  # :16 missing image in raw HTML
        "\n"
        "![drawing](pic.svg) and ![inline](data:image/png;base64,AAAA)\n"  # :18 SVG not copied, data: image
        "\n"
        "Fine: [[papers/simclr]], [[SimCLR: Contrastive learning#Method]], ![[ok.png]], [s](papers/simclr.md),"
        " ![[slides-ok.pdf]], [web](https://example.com/x.md).\n"
    ),
    "pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "media/ok.png": PNG,
    "files/slides-ok.pdf": b"%PDF-1.4\n",
    "tips/a.md": "---\ntitle: Git worktree\ntype: tip\ndate: 2024-01-05\n---\nTwo branches at once.\n",
    "tips/b.md": "---\ntitle: \"git   WORKTREE\"\ntype: tip\ndate: 2024-01-06\n---\nAgain.\n",  # :1 duplicate title
    "tips/future.md": "---\ntitle: Written ahead\ntype: tip\ndate: 2099-01-01\n---\nLater.\n",  # :1 future date
    "feeds/blog.xml": (
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Blog</title>\n"
        "<item><title>Post</title><link>https://blog.example/p</link><pubDate>Mon, 05 Feb 2024 10:00:00 GMT</pubDate>\n"
        "<description>&lt;p&gt;Look &lt;img src=\"/images/x.png\"&gt;&lt;/p&gt;</description></item>\n"
        "</channel></rss>\n"
    ),
}


def _site(root, files: dict[str, str | bytes]):
    write_notes(root, files)
    config = load_config(root)
    result = load(config)
    return result, assemble(result.entries, config, scan_inputs(config)[1])


def _lines(problems) -> set[tuple[str, int, str]]:
    return {(p.path, p.line, p.message.split(" ")[0]) for p in problems}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def site(tmp_path):
    return _site(tmp_path, KB)[1]


def test_broken_wikilink_has_its_file_line_and_a_suggestion(site):
    (problem,) = [p for p in lint(site, today=TODAY) if "wikilink" in p.message]
    assert (problem.path, problem.line) == ("links.md", 8)
    assert problem.message == "wikilink [[SimCLR contrastive lerning]] matches no entry"
    assert problem.hint == "did you mean [[SimCLR: Contrastive learning]]?"
    assert problem.severity is Severity.WARNING


def test_wikilink_lines_are_file_lines_in_a_split_log_too(tmp_path):
    text = ("A log of small things.\n\n🐍 Python\n\n2024.01.10\n\nFirst tip, about dicts.\n\n"
            "🐧 Linux\n\n2024.02.11\n\nSecond tip: see [[Nowhere at all]] for more.\n")
    _, site = _site(tmp_path, {"til.md": text, "other.md": "---\ntitle: Other\n---\nx\n"})
    assert len(site.entries) == 3  # the log split into two tips
    (problem,) = lint(site)
    assert (problem.path, problem.line) == ("til.md", text.split("\n").index("Second tip: see [[Nowhere at all]] for more.") + 1)


def test_wikilinks_by_id_file_name_folder_and_heading_resolve(site):
    assert not [p for p in lint(site, today=TODAY) if p.line == 20]


def test_broken_embeds_image_and_file(site):
    problems = {(p.line, p.message, p.hint) for p in lint(site, today=TODAY) if p.path == "links.md"}
    assert (12, "embedded image 'lost.png' does not exist; its alt text is shown instead",
            "check the file name and folder") in problems
    assert (14, "embed ![[slides.pdf]] matches no file in the notes folder",
            "did you mean ![[slides-ok.pdf]]?") in problems


def test_broken_relative_links_and_images(site):
    problems = {(p.line, p.message) for p in lint(site, today=TODAY) if p.path == "links.md"}
    assert (9, "link to 'missing.md' matches no entry") in problems
    assert (10, "image 'img/none.png' does not exist; its alt text is shown instead") in problems
    assert (16, "image 'gone.png' does not exist; its alt text is shown instead") in problems
    assert (18, "inline data: images are not kept") in problems
    assert (6, "image 'pic.svg' not copied: only raster images are") in problems
    assert not [p for p in lint(site, today=TODAY, links=False) if p.line in (9, 10, 12, 16, 18)]


def test_feed_html_images_are_resolved_as_the_renderer_does(site):
    (problem,) = [p for p in lint(site, today=TODAY) if p.path == "feeds/blog.xml"]
    assert "'/images/x.png' is not a path inside the notes folder" in problem.message


def test_paper_without_authors_or_link_and_conference_without_event(site):
    problems = {(p.path, p.line): p for p in lint(site, today=TODAY)}
    paper = problems["papers/bare.md", 1]
    assert paper.message == "paper summary has neither authors nor a link to the paper"
    assert "authors:" in paper.hint and "arxiv:" in paper.hint
    conference = problems["conferences/day.md", 1]
    assert conference.message.startswith("conference log does not say which event it is from")
    assert "event:" in conference.hint
    assert ("papers/simclr.md", 1) not in problems and ("conferences/named.md", 1) not in problems


def test_fields_are_not_asked_of_feed_items_and_digest_items(tmp_path):
    digest = "".join(f"{name}: A Paper About {topic}\n\n• 목적: {topic}. Method: a model. 실험: it works.\n\n"
                     for name, topic in [("김하늘", "Graphs"), ("이서연", "Diffusion"), ("박준호", "Ensembles")])
    _, site = _site(tmp_path, {"digest.md": digest, "feed.xml": KB["feeds/blog.xml"],
                               "feed.yaml": "type: paper\n"})
    assert {e.type.value for e in site.entries} == {"paper"} and len(site.entries) == 4
    assert lint(site, links=False) == []


def test_duplicate_titles_name_the_earlier_one(site):
    (problem,) = [p for p in lint(site, today=TODAY) if p.message.startswith("duplicate title")]
    assert (problem.path, problem.line) == ("tips/b.md", 1)
    assert "tips/a.md:1" in problem.hint


def test_two_presenters_summarising_one_paper_are_no_duplicate(tmp_path):
    digest = ("김하늘: Graph Attention Networks\n\n• 목적: a. Method: b. 실험: c.\n\n"
              "이서연: Graph Attention Networks\n\n• 목적: d. Method: e. 실험: f.\n\n"
              "김하늘: Graph Attention Networks\n\n• 목적: g. Method: h. 실험: i.\n")
    _, site = _site(tmp_path, {"digest.md": digest})
    (problem,) = lint(site)  # only the same presenter's second summary
    assert (problem.path, problem.line) == ("digest.md", 9)
    assert problem.message == "duplicate title 'Graph Attention Networks'" and problem.hint.startswith("digest.md:1 ")


def test_duplicate_ids_are_reported_once_by_the_loader(tmp_path):
    result, site = _site(tmp_path, {"x.md": "---\nid: same\ntitle: One\n---\na\n",
                                    "y.md": "---\nid: same\ntitle: Two\n---\nb\n"})
    assert [p.message for p in result.problems] == ["duplicate id 'same'"]
    assert lint(site) == []


def test_future_dates_against_an_injected_today(site):
    future = [p for p in lint(site, today=TODAY) if "in the future" in p.message]
    assert {(p.path, p.line) for p in future} == {("tips/future.md", 1)}
    assert future[0].message == "date 2099-01-01 is in the future"
    earlier = {(p.path, p.line) for p in lint(site, today=dt.date(2024, 2, 2)) if "in the future" in p.message}
    assert earlier == {("tips/future.md", 1), ("links.md", 1), ("feeds/blog.xml", 3), ("papers/simclr.md", 1)}


def test_check_prints_path_line_message_hint_and_fails_only_with_strict(tmp_path):
    write_notes(tmp_path, KB)
    result = run("--root", tmp_path, "check")
    assert result.exit_code == 0, result.output
    assert ("links.md:8: warning: wikilink [[SimCLR contrastive lerning]] matches no entry — "
            "did you mean [[SimCLR: Contrastive learning]]?") in result.stderr
    assert "papers/bare.md:1: warning: paper summary has neither authors nor a link to the paper — add " in result.stderr
    assert "Traceback" not in result.output
    summary = result.stderr.strip().splitlines()[-1]
    assert summary == "9 entries from 9 files (2 papers, 2 conferences, 5 tips); 0 errors, 13 warnings"
    assert run("--root", tmp_path, "check", "--strict").exit_code == 1


def test_check_and_build_report_the_same_problems_and_build_strict_fails(tmp_path):
    write_notes(tmp_path, KB)
    (tmp_path / "notes" / "bad.md").write_text("---\ntitle: Bad\ntype: blog\n---\n[[Links note]]\n", "utf-8")
    # A full base_url: the build's one warning about relative feed links is not the notes' problem.
    (tmp_path / "notebase.yaml").write_text("base_url: https://example.org/\n", "utf-8")
    checked = run("--root", tmp_path, "check")
    assert checked.exit_code == 1  # the unknown type is an error
    lines = checked.stderr.strip().splitlines()[:-1]
    # check also says, in one line that is no problem, which notes state no date anywhere
    undated = [line for line in lines if "no date anywhere" in line]
    assert len(undated) == 1 and "bad.md" in undated[0] and "marked ~" in undated[0]
    reported = set(lines) - set(undated)
    built = {str(p) for p in build(load_config(tmp_path), index=False, force=True).problems}
    assert reported == built
    kinds = {re.match(r"[^:]+:\d+: (?:warning: )?(\S+)", line)[1] for line in reported}
    assert {"wikilink", "link", "image", "embedded", "embed", "inline", "paper", "conference", "duplicate",
            "date", "unknown"} <= kinds
    assert len(reported) == 14
    assert run("--root", tmp_path, "build", "--strict").exit_code == 1


def test_build_without_strict_succeeds_on_warnings(tmp_path):
    write_notes(tmp_path, {k: v for k, v in KB.items() if k != "links.md"})
    result = run("--root", tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert "tips/b.md:1: warning: duplicate title" in result.stderr
    assert run("--root", tmp_path, "build", "--strict").exit_code == 1


def test_installed_command_reports_and_fails_with_strict(tmp_path):
    write_notes(tmp_path, {"a.md": "---\ntitle: A\ntype: tip\ndate: 2024-01-01\n---\nSee [[B note]].\n",
                           "b.md": "---\ntitle: B notes\ntype: tip\ndate: 2024-01-02\n---\nx\n"})
    exe = shutil.which("notebase", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "notebase"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run(command + ["--root", str(tmp_path), "check"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "a.md:6: warning: wikilink [[B note]] matches no entry — did you mean [[B notes]]?" in out.stderr
    out = subprocess.run(command + ["--root", str(tmp_path), "check", "--strict"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 1 and "Traceback" not in out.stderr


def test_the_sample_knowledge_base_passes_strict_check():
    result = run("--root", REPO, "check", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings")


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not beside the repo")
def test_seeds_report_only_what_is_really_wrong(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for path in (SHARED / "seeds").glob("*.txt"):
        shutil.copy(path, notes / (path.stem + ".md"))
    shutil.copy(SHARED / "seeds" / "003_feed_extracted.xml", notes / "003_feed_extracted.xml")
    config = load_config(tmp_path)
    site = assemble(load(config).entries, config, scan_inputs(config)[1])
    problems = lint(site)
    # The conference log's photos were not copied; the feed is there twice (as the page and as XML).
    assert {p.message.split(" ")[0] for p in problems} == {"embed", "duplicate"}
    assert all(".heic]] matches no file" in p.message for p in problems if p.message.startswith("embed"))
    assert all(p.path == "003_feed_extracted.xml" for p in problems if p.message.startswith("duplicate"))
    result = run("--root", tmp_path, "check")
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_the_lint_remembered_between_updates_finds_what_a_fresh_one_finds(tmp_path):
    """`notebase serve` keeps what the lint found of each entry: after each kind of edit (a broken link
    made and mended, a title made a duplicate, a future date, a note added and deleted, a link's
    target retitled) it reports exactly what linting the whole site afresh reports."""
    from notebase.serve.live import LiveSite

    root = tmp_path / "kb"
    write_notes(root, KB)
    live = LiveSite(load_config(root), jobs=1)
    live.start()
    notes = root / "notes"

    def edit(rel: str, text: str | None) -> None:
        path = notes / rel
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
            os.utime(path, ns=(path.stat().st_mtime_ns + 5_000_000_000,) * 2)
        live.update({path})

    steps = [
        ("tips/a.md", KB["tips/a.md"] + "\nSee [[Written ahed]].\n"),  # a broken link
        ("tips/a.md", KB["tips/a.md"] + "\nSee [[Written ahead]].\n"),  # mended
        ("tips/c.md", "---\ntitle: Git Worktree\ntype: tip\ndate: 2024-01-07\n---\nThird.\n"),  # a duplicate
        ("tips/future.md", KB["tips/future.md"].replace("Written ahead", "Written later")),  # its link breaks
        ("papers/bare.md", KB["papers/bare.md"].replace("2024-01-02", "2098-01-02")),  # a future date
        ("tips/c.md", None),
        ("tips/b.md", None),
    ]
    seen = set()
    for rel, text in steps:
        edit(rel, text)
        remembered = lint(live.site, today=TODAY, links=False, memo=live.lint_memo)
        assert remembered == lint(live.site, today=TODAY, links=False), rel
        seen.add(frozenset(_lines(remembered)))
    assert len(seen) >= 5  # the edits did change what the lint finds
    kept = dict(live.lint_memo)
    assert lint(live.site, today=TODAY, links=False, memo=live.lint_memo) == remembered
    assert all(live.lint_memo[k] is v for k, v in kept.items() if k not in ("today", "links", "titles"))  # none again
