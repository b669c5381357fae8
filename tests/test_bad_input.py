"""Every kind of bad input gives `path:line: message — hint`, and loading goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebase.config import load_config
from notebase.errors import Severity
from notebase.load.loader import load

INVALID = Path(__file__).parent / "invalid"
GOOD = "---\ntitle: 멀쩡한 노트\ndate: 2024-01-02\ntype: tip\n---\n이 노트는 문제없이 읽혀야 한다.\n"


@pytest.mark.parametrize("case", sorted(p.name for p in INVALID.iterdir() if p.is_dir()))
def test_invalid_folder_reports_exact_message(case):
    """One folder per invalid input: its expected.txt holds the exact problem lines."""
    folder = INVALID / case
    result = load(load_config(folder))
    expected = (folder / "expected.txt").read_text(encoding="utf-8").strip().split("\n")
    assert [str(p) for p in result.errors] == expected
    # The good note beside the bad one still loads: one bad file never stops the rest.
    assert any(e.title == "멀쩡한 노트" for e in result.entries)


def test_binary_file(kb):
    result = kb({"good.md": GOOD, "photo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    assert [str(p) for p in result.errors] == [
        "photo.md:3: binary file (it contains NUL bytes), not a text note — "
        "keep images and PDFs under a non-note extension, e.g. .png or .pdf"
    ]
    assert [e.title for e in result.entries] == ["멀쩡한 노트"]


def test_oversized_file(kb):
    result = kb({"good.md": GOOD, "huge.md": "가" * 2000}, config="max_file_size: 1000\n")
    assert [str(p) for p in result.errors] == [
        "huge.md:1: file is 6.0 KB, over the 1.0 KB limit — "
        "split it into smaller notes, or raise max_file_size in notebase.yaml"
    ]
    assert [e.title for e in result.entries] == ["멀쩡한 노트"]


def test_undecodable_bytes_are_reported_with_line_and_kept(kb):
    data = "---\ntitle: Damaged\ndate: 2024-02-02\ntype: tip\n---\n정상 줄\n".encode() + b"broken \xff\xfe here\n"
    result = kb({"good.md": GOOD, "damaged.md": data})
    (problem,) = result.errors
    assert problem.path == "damaged.md" and problem.line == 7
    assert problem.message.startswith("undecodable bytes (not UTF-8 or CP949)")
    assert problem.hint == "save the file as UTF-8"
    damaged = next(e for e in result.entries if e.title == "Damaged")
    assert "정상 줄" in damaged.text and "\ufffd" in damaged.text


def test_unknown_key_is_kept_and_warned_once(kb):
    note = "---\ntitle: {t}\ndate: 2024-01-01\ntype: tip\nmood: happy\n---\nText.\n"
    result = kb({"a.md": note.format(t="A"), "b.md": note.format(t="B")})
    assert [str(p) for p in result.warnings] == [
        "a.md:5: warning: unknown front-matter key 'mood' (kept, not used) — "
        "check the spelling; known keys: title, date, type, tags, lang, id, url, ..."
    ]
    assert all(e.extra == {"mood": "happy"} for e in result.entries)
    assert not result.errors


def test_feed_with_entity_bomb_and_external_entity_is_defused(kb):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
            '<rss version="2.0"><channel><title>T</title>\n<item><title>Safe &b; &x;</title>'
            '<link>https://example.org/1</link><pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate>'
            '<description>hello</description></item></channel></rss>\n')
    result = kb({"evil.xml": bomb})
    (entry,) = result.entries
    assert "root:" not in entry.title and "aaaaaaaaaa" not in entry.title
    assert entry.url == "https://example.org/1"
    assert result.warnings[0].message == "feed declares a DOCTYPE; its entities were ignored"
    assert (result.warnings[0].path, result.warnings[0].line) == ("evil.xml", 1)


@pytest.mark.parametrize("key", ["slug", "id", "permalink"])
def test_a_stated_id_that_looks_like_a_path_gives_a_safe_id(kb, key):
    value = "/../../etc/passwd/" if key == "permalink" else "../../etc/passwd"
    result = kb({"x.md": f"---\n{key}: {value}\ntitle: ../../etc/passwd\ntype: tip\ndate: 2024-01-01\n---\nx\n"})
    (entry,) = result.entries
    assert entry.id == ("passwd" if key == "permalink" else "etc-passwd")
    assert "/" not in entry.id and ".." not in entry.id


def test_every_file_yields_entries_or_a_problem(kb):
    files = {
        "good.md": GOOD,
        "empty.md": "",
        "bin.md": b"\x00\x01",
        "broken.xml": "<rss><channel><item><title>x",
        "text.txt": "그냥 텍스트 한 줄",
    }
    result = kb(files)
    sources = {e.source.path for e in result.entries} | {p.path for p in result.problems}
    assert sources == set(files)
    assert all(p.severity is Severity.ERROR for p in result.problems if p.path in ("empty.md", "bin.md"))
