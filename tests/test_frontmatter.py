"""split_front_matter: YAML and TOML blocks, prose after `---`, errors at the real file line."""

from __future__ import annotations

import datetime as dt

import pytest

from notebase.load.readers.frontmatter import split_front_matter

REL = "notes/x.md"


def test_yaml_front_matter():
    text = "---\ntitle: 트랜스포머 정리\ntags: [nlp, 논문]\ntype: paper\n---\n# Heading\n\nbody text\n"
    fm, problems = split_front_matter(text, REL)
    assert problems == []
    assert fm.kind == "yaml"
    assert fm.meta == {"title": "트랜스포머 정리", "tags": ["nlp", "논문"], "type": "paper"}
    assert fm.key_lines == {"title": 2, "tags": 3, "type": 4}
    assert fm.body == "# Heading\n\nbody text\n"
    assert fm.body_line == 6


def test_yaml_closed_with_dots():
    fm, problems = split_front_matter("---\ntitle: x\n...\nbody", REL)
    assert problems == []
    assert fm.meta == {"title": "x"}
    assert fm.body == "body"
    assert fm.body_line == 4


def test_yaml_leading_comment_still_front_matter():
    fm, problems = split_front_matter("---\n# written by hand\ntitle: x\n---\nbody", REL)
    assert problems == []
    assert fm.meta == {"title": "x"}
    assert fm.key_lines == {"title": 3}
    assert fm.body_line == 5


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date: 2024-01-02", "2024-01-02"),
        ("date: 2023-11-21T22:52", "2023-11-21T22:52"),
        ("date: 2024-01-02 10:00:00 +09:00", "2024-01-02 10:00:00 +09:00"),
        ("date: 2021.04.25", "2021.04.25"),
    ],
)
def test_yaml_dates_stay_strings(line, expected):
    fm, problems = split_front_matter(f"---\n{line}\n---\nbody", REL)
    assert problems == []
    assert fm.meta["date"] == expected
    assert isinstance(fm.meta["date"], str)


def test_yaml_other_scalars_keep_their_types():
    fm, _ = split_front_matter("---\nyear: 2022\ndraft: true\nscore: 1.5\n---\n", REL)
    assert fm.meta == {"year": 2022, "draft": True, "score": 1.5}


def test_toml_front_matter_with_trailing_commas():
    text = (
        "+++\n"
        'title = "Hugo 글"\n'
        'tags = ["a", "b",]\n'
        'author = { name = "kim", email = "k@example.com", }\n'
        "date = 2024-01-02\n"
        "+++\n"
        "본문\n"
    )
    fm, problems = split_front_matter(text, REL)
    assert problems == []
    assert fm.kind == "toml"
    assert fm.meta["title"] == "Hugo 글"
    assert fm.meta["tags"] == ["a", "b"]
    assert fm.meta["author"] == {"name": "kim", "email": "k@example.com"}
    assert fm.meta["date"] == dt.date(2024, 1, 2)
    assert fm.key_lines["title"] == 2
    assert fm.key_lines["author"] == 4
    assert fm.key_lines["date"] == 5
    assert fm.body == "본문\n"
    assert fm.body_line == 7


def test_toml_nested_inline_table_trailing_commas():
    text = '+++\nparams = { a = { b = 1, }, c = [1, 2,], }\n+++\nx'
    fm, problems = split_front_matter(text, REL)
    assert problems == []
    assert fm.meta == {"params": {"a": {"b": 1}, "c": [1, 2]}}


@pytest.mark.parametrize(
    "text",
    [
        "# Just a note\n\nNo metadata here.\n",
        "plain first line\n---\ntitle: x\n---\n",
        "",
        "--- not a fence\ntitle: x\n",
        "---\n이것은 front matter가 아니라 그냥 문장입니다.\n---\n본문\n",
        "---\nThe rule above is decoration, this is prose.\n\nMore prose.\n",
        "---\n- a list item\n- another\n---\n",
        "---\n\n\n",
    ],
)
def test_no_front_matter(text):
    """Plain notes, and a rule followed by prose, keep their whole text as the body."""
    fm, problems = split_front_matter(text, REL)
    assert problems == []
    assert fm.meta == {}
    assert fm.kind is None
    assert fm.body == text
    assert fm.body_line == 1


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_unclosed_front_matter_is_a_problem_at_line_1(fence):
    sep = ":" if fence == "---" else " ="
    text = f"{fence}\ntitle{sep} 'x'\ndate{sep} '2024-01-01'\n\nbody never closed\n"
    fm, problems = split_front_matter(text, REL)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line) == (REL, 1)
    assert "never closed" in problem.message
    assert fence in problem.hint
    assert fm.meta == {}
    assert fm.body == text


@pytest.mark.parametrize(
    ("block", "bad_line", "kept"),
    [
        # A value with ': ' in it, on file line 3: what it meant is kept, with the error.
        ("title: ok\nsummary: a: b: c\nlang: ko", 3, {"title": "ok", "summary": "a: b: c", "lang": "ko"}),
        # Bad indentation on file line 5: the broken list goes, the keys around it stay.
        ("title: ok\ntags:\n  - a\n - b\nlang: ko", 5, {"title": "ok", "lang": "ko"}),
        # A tab-indented key under a mapping on file line 5.
        ("title: ok\nauthor:\n  name: kim\n\tmail: x\n", 5, {"title": "ok"}),
        # An unclosed list is dropped, never read as a tag `[a, b`.
        ("title: ok\ntags: [a, b\nlang: ko", 4, {"title": "ok", "lang": "ko"}),
    ],
)
def test_broken_yaml_reports_real_file_line(block, bad_line, kept):
    text = f"---\n{block}\n---\nbody\n"
    fm, problems = split_front_matter(text, REL)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == REL
    assert problem.message.startswith("invalid YAML front matter")
    assert problem.line == bad_line
    assert fm.meta == kept
    # The body is still separated so the note can be read.
    assert fm.body == "body\n"
    assert fm.kind == "yaml"
    assert fm.key_lines["title"] == 2


def test_broken_yaml_line_counts_lines_before_the_error():
    text = "---\ntitle: ok\ndate: 2024-01-01\ntags: [a, b\nlang: ko\n---\nbody"
    _, problems = split_front_matter(text, REL)
    assert len(problems) == 1
    # PyYAML notices the unclosed list on the next key, file line 5, never before line 4.
    assert problems[0].line in (4, 5)


@pytest.mark.parametrize(
    ("block", "bad_line"),
    [
        ('title = "x"\ndate = 2024-01-01\ntags = [a, b]', 4),
        ('title = "x"\nlang = ko', 3),
        ('title = "x"\n\n\nsummary = "unterminated\nlang = "ko"', 5),
        ('title = "x"\ntitle = "again"\nlang = "ko"', 3),
    ],
)
def test_broken_toml_reports_real_file_line(block, bad_line):
    text = f"+++\n{block}\n+++\nbody"
    fm, problems = split_front_matter(text, REL)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.message.startswith("invalid TOML front matter")
    assert problem.line == bad_line
    assert "at line" not in problem.message
    assert fm.meta == {}
    assert fm.body == "body"
    assert fm.kind == "toml"


@pytest.mark.parametrize(
    ("block", "bad_line"),
    [
        ('title = "x"\ndate = 2024-01-01\nbad =', 4),
        ('title = "x"\nsummary = "unterminated', 3),
        ('title = "x"\ntitle = "again"', 3),
    ],
)
def test_broken_toml_at_end_of_block_reports_its_line(block, bad_line):
    _, problems = split_front_matter(f"+++\n{block}\n+++\nbody", REL)
    assert len(problems) == 1
    assert problems[0].line == bad_line


def test_key_lines_first_occurrence_and_korean_keys():
    text = "---\n제목: 한글 키\ntitle: x\nnested:\n  title: inner\n---\n"
    fm, problems = split_front_matter(text, REL)
    assert problems == []
    assert fm.key_lines["제목"] == 2
    assert fm.key_lines["title"] == 3
    assert fm.key_lines["nested"] == 4
    assert fm.meta["nested"] == {"title": "inner"}


def test_body_line_points_at_first_body_line():
    text = "---\na: 1\nb: 2\nc: 3\n---\nfirst body line\nsecond\n"
    fm, _ = split_front_matter(text, REL)
    lines = text.split("\n")
    assert lines[fm.body_line - 1] == "first body line"
    assert fm.body.split("\n")[0] == "first body line"


def test_empty_yaml_block():
    fm, problems = split_front_matter("---\n# only a comment\ntitle:\n---\nbody", REL)
    assert problems == []
    assert fm.meta == {"title": None}
    assert fm.body == "body"
