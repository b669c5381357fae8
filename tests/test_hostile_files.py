"""Files that once stopped every command: each is now a `path:line: message — hint` and the rest loads.

Each input below used to end `build`, `check`, `list`, `search` and `index` with a traceback.
They are checked one by one through the library, then all together (beside good notes) through
every command of the CLI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebase.build import build
from notebase.cli import cli
from notebase.config import load_config
from notebase.errors import Severity
from notebase.load.loader import load
from notebase.load.readers.frontmatter import expanded_size
from notebase.slug import MAX_SLUG_BYTES, first_free, slugify

GOOD = "---\ntitle: 멀쩡한 노트\ndate: 2024-01-02\ntype: tip\ntags: [안전]\n---\n이 노트는 문제없이 읽혀야 한다. Safe.\n"
RSS = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>연구실 블로그</title>\n'
       '<item><title>Broken {ref} here</title><link>https://example.org/1</link>\n'
       '<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate><description>본문 {ref}</description></item>\n'
       '</channel></rss>\n')
BOMB = ("---\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi"))
        + "tags: *i\n---\n폭탄 본문\n")
WIDE = "\U00020000"  # a CJK letter of four UTF-8 bytes
LONG_TITLE = f"---\ntitle: {WIDE * 90}\ntype: paper\npresenter: {'𠀁' * 90}\ndate: 2024-03-01\n---\n긴 제목 본문\n"

# name -> (files, the problem it must give: (path, line, severity, start of message))
CASES = {
    "charref beyond U+10FFFF": (
        {"beyond.xml": RSS.format(ref="&#x110000;")},
        ("beyond.xml", 3, Severity.ERROR, "feed has a character reference to no valid character")),
    "charref to a surrogate": (
        {"surrogate.xml": RSS.format(ref="&#xD800;")},
        ("surrogate.xml", 3, Severity.ERROR, "feed has a character reference to no valid character")),
    "atom item without a body": (
        {"tiny.xml": "<feed<entry<title</content>"},
        ("tiny.xml", 1, Severity.WARNING, "feed item has no title and no content")),
    "atom html with <![": (
        {"marked.xml": '<feed<entry<content type="html">&lt![/</content>'},
        ("marked.xml", 1, Severity.WARNING, "feed is not well-formed XML")),
    "toml nested 600 deep": (
        {"deep.md": "+++\ntitle = \"깊은 노트\"\na = " + "[" * 600 + "]" * 600 + "\n+++\n깊은 본문\n"},
        ("deep.md", 2, Severity.ERROR, "TOML front matter refused: it nests more than 32 levels deep")),
    "yaml alias bomb": (
        {"bomb.md": BOMB},
        ("bomb.md", 2, Severity.ERROR, "front matter refused: it expands to more than 200,000")),
    "yaml alias to itself": (
        {"loop.md": "---\ntitle: 고리\ntags: &t [a, *t]\n---\n본문\n"},
        ("loop.md", 2, Severity.ERROR, "front matter refused: it nests more than 32 levels deep")),
}


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    notes = root / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "good.md").write_text(GOOD, encoding="utf-8")
    for rel, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (notes / rel).write_bytes(data)


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_file_is_one_problem(tmp_path, case):
    files, (path, line, severity, message) = CASES[case]
    _write(tmp_path, files)
    result = load(load_config(tmp_path))
    found = [p for p in result.problems if p.path == path and p.message.startswith(message)]
    assert found, [str(p) for p in result.problems]
    assert (found[0].line, found[0].severity) == (line, severity)
    assert str(found[0]).startswith(f"{path}:{line}: ") and " — " in str(found[0])  # path:line: message — hint
    assert any(e.title == "멀쩡한 노트" for e in result.entries)


def test_broken_feeds_keep_their_items(tmp_path):
    _write(tmp_path, {name: text for files, _ in CASES.values() for name, text in files.items() if name.endswith(".xml")})
    result = load(load_config(tmp_path))
    titles = {e.source.path: e.title for e in result.entries}
    assert "\ufffd" in titles["beyond.xml"]  # the reference became a replacement character
    assert titles["surrogate.xml"].encode("utf-8")  # no lone surrogate reached the entry
    assert "tiny.xml" in titles and "marked.xml" in titles


def test_alias_bomb_is_measured_without_expanding():
    import yaml

    data = yaml.safe_load(BOMB.split("---\n")[1])  # PyYAML shares aliased nodes: this is cheap
    with pytest.raises(Exception, match="expands to more than 1,000"):
        expanded_size(data, 1000)
    assert expanded_size({"a": ["x", "y"]}, 1000) == 1 + 2 + 1 + 2 + 2


def test_slugs_are_capped_in_bytes():
    slug = slugify(WIDE * 90)
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES and slug.startswith(WIDE)
    assert slugify("가나다 " * 60).count("-") >= 1 and len(slugify("가나다 " * 60).encode()) <= MAX_SLUG_BYTES
    assert slugify("Plain ASCII title") == "plain-ascii-title"


def test_long_titles_fit_the_file_system(tmp_path):
    """90 four-byte letters as a title, a slug and a tag: every name the site writes fits in 255 bytes."""
    tagged = LONG_TITLE.replace("---\n", f"---\ntags: [{WIDE * 90}]\n", 1)
    slugged = tagged.replace("---\n", f"---\nslug: {WIDE * 90}\n", 1)
    _write(tmp_path, {"long-a.md": slugged, "long-b.md": tagged})
    report = build(load_config(tmp_path), jobs=1, index=False)
    assert not report.errors, [str(p) for p in report.errors]
    names = [part for path in (tmp_path / "site").rglob("*") for part in path.relative_to(tmp_path).parts]
    assert max(len(name.encode("utf-8")) for name in names) <= 255
    pages = sorted(p.name for p in (tmp_path / "site" / "papers").iterdir() if p.is_dir())
    assert len(pages) == 2 and pages[0] == "long-b" and pages[1].startswith(WIDE * 10)
    tags = [p.name for p in (tmp_path / "site" / "tags").iterdir() if p.is_dir()]
    assert any(name.startswith(WIDE * 10) for name in tags)


CP949_NAME = "한글 메모.md".encode("cp949")


def _cp949_file(root: Path) -> bool:
    """Write a note whose file name is CP949 bytes; False where the file system refuses such names."""
    try:
        with open(os.path.join(os.fsencode(root / "notes"), CP949_NAME), "wb") as f:
            f.write("---\ntitle: 윈도우에서 온 메모\ndate: 2024-02-02\n---\n압축을 풀었더니 이름이 깨졌다.\n".encode())
        return True
    except (OSError, UnicodeError):
        return False


def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path):
    _write(tmp_path, {})
    if not _cp949_file(tmp_path):
        pytest.skip("this file system accepts only UTF-8 names")
    result = load(load_config(tmp_path))
    entry = next(e for e in result.entries if e.title == "윈도우에서 온 메모")
    assert "\ufffd" in entry.source.path and entry.source.path.endswith(".md")
    entry.source.path.encode("utf-8")  # valid Unicode, no surrogate escapes
    (problem,) = [p for p in result.problems if "not valid UTF-8" in p.message]
    assert problem.path == entry.source.path and problem.severity is Severity.WARNING


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory):
    """Every hostile file of this module in one knowledge base, beside a good note."""
    root = tmp_path_factory.mktemp("hostile")
    _write(root, {name: text for files, _ in CASES.values() for name, text in files.items()})
    (root / "notes" / "long.md").write_text(LONG_TITLE, encoding="utf-8")
    _cp949_file(root)
    return root


def _run(root: Path, *args: str):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("command", [["check"], ["list", "--json"], ["build"], ["index"], ["search", "안전"]])
def test_every_command_goes_on_past_hostile_files(hostile_kb, command):
    result = _run(hostile_kb, *command)
    output = result.stdout_bytes.decode("utf-8") + result.stderr_bytes.decode("utf-8")  # valid UTF-8 throughout
    if command[0] in ("check", "build", "index"):
        assert result.exit_code == 1  # errors were found, and said
        for files, (path, line, _, message) in CASES.values():
            assert f"{path}:{line}: " in output and message in output
    if command[0] == "list":
        listed = json.loads(result.stdout_bytes.decode("utf-8"))
        paths = {e["source"]["path"] for e in listed}
        assert {"good.md", "long.md", "beyond.xml", "tiny.xml", "deep.md", "bomb.md"} <= paths
        assert any("\ufffd" in p for p in paths) or not any("윈도우" in e["title"] for e in listed)
    if command[0] == "search":
        assert result.exit_code == 0 and "멀쩡한 노트" in output


def test_alias_bomb_in_feed_settings_is_refused(tmp_path):
    bomb_settings = BOMB.split("---\n")[1]  # the same YAML, as a feed's sidecar
    _write(tmp_path, {"blog.xml": RSS.format(ref="&amp;"), "blog.yaml": bomb_settings})
    result = load(load_config(tmp_path))
    (problem,) = [p for p in result.problems if p.path == "blog.yaml"]
    assert problem.message.startswith("feed settings refused: it expands to more than")
    (item,) = [e for e in result.entries if e.source.path == "blog.xml"]
    assert len(item.tags) < 10  # the settings were not applied


def test_tags_too_long_or_too_deep_are_left_out_with_a_warning(tmp_path):
    deep = "/".join(f"층{i}" for i in range(2000))  # each level of a/b/c is a page in its parent's folder
    _write(tmp_path, {"deep-tag.md": f"---\ntitle: 깊은 태그\ntags: [ml, '{deep}', {'x' * 300}]\n---\n본문\n"})
    result = load(load_config(tmp_path))
    (entry,) = [e for e in result.entries if e.title == "깊은 태그"]
    assert entry.tags == ("ml",)
    (problem,) = [p for p in result.problems if p.path == "deep-tag.md"]
    assert problem.severity is Severity.WARNING and problem.message.startswith("2 tag(s) longer than 100")
    assert problem.line == 3  # the tags: line


def test_equal_slugs_are_numbered_in_order_and_counted_on():
    """`a`, `a-2`, `a-3`…: a name taken by hand is skipped, and 20,000 equal bases stay fast (linear)."""
    taken, counters = {"a-3"}, {}
    names = []
    for _ in range(4):
        names.append(first_free("a", taken.__contains__, counters))
        taken.add(names[-1])
    assert names == ["a", "a-2", "a-4", "a-5"]
    many: set[str] = set()
    for _ in range(20_000):  # quadratic counting would take minutes; this is a hang guard, not a timer
        many.add(first_free("b", many.__contains__, counters))
    assert len(many) == 20_000 and "b-20000" in many
