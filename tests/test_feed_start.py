"""Where a feed starts, found by a linear scan (the regex it replaced was exponential on comments)."""

from __future__ import annotations

import pytest

from notebase.load.readers.feed import feed_start, strip_doctypes

XML_DECL = '<?xml version="1.0" encoding="utf-8"?>'


@pytest.mark.parametrize("text, is_feed_file, start", [
    ('<rss version="2.0"><channel/></rss>', True, 0),
    (f"{XML_DECL}\n<rss>", True, 0),
    ("<!-- 연구실 블로그 -->\n<feed xmlns='http://www.w3.org/2005/Atom'>", True, 0),
    (f"{XML_DECL}<!-- c --><!DOCTYPE x>\n<rdf:RDF>", True, 0),
    ("<!DOCTYPE rss [\n<!ENTITY a 'b'>\n]>\n<rss>", True, 0),
    ("\t  <feed>", True, 0),
    ("<rsss>", True, None),  # not a feed element
    ("<!--a-->" * 28, True, None),  # 45 s with the old pattern
    ("<!--a-->\n" * 5000 + "<p>", True, None),
    ("<!--" + "\n<!--" * 3000, True, None),  # unclosed comments, each line tried once
    ("<?" * 3000 + ">", True, None),
    ("블로그에서 복사함\n목록 보기\n" + XML_DECL + "\n<rss><channel/></rss>\n", False, len("블로그에서 복사함\n목록 보기\n")),
    ("노트 본문에 <rss 라는 글자가 있다\n끝", False, None),  # no closing tag at the end: a note
    ("# Title\n\n<feed> is an Atom element.\n", False, None),
])
def test_feed_start(text, is_feed_file, start):
    assert feed_start(text, is_feed_file) == start


def test_doctypes_are_blanked_keeping_lines():
    xml = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "x">\n]>\n<rss><!doctype y></rss>'
    stripped, found = strip_doctypes(xml)
    assert found and "ENTITY" not in stripped and "doctype" not in stripped.lower()
    assert stripped.count("\n") == xml.count("\n")  # problems still point at the right lines
    assert strip_doctypes("<rss/>") == ("<rss/>", False)
    unclosed = "<!DOCTYPE [" * 20000  # no subset end anywhere: looked for once, not once per DOCTYPE
    assert strip_doctypes(unclosed) == (unclosed, False)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_feed_of_more_items_than_the_bound_is_read_to_the_bound_with_a_warning(kind):
    from notebase.errors import Severity
    from notebase.load.readers.feed import MAX_ITEMS, read_feed

    tag = "item" if kind == "rss" else "entry"
    items = "".join(f"<{tag}>\n<title>소식 {n}</title><link>https://example.org/{n}</link></{tag}>\n"
                    for n in range(MAX_ITEMS + 5))
    if kind == "rss":
        xml = f"<rss version=\"2.0\"><channel><title>모음</title>\n{items}</channel></rss>\n"
    else:
        xml = f"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>모음</title>\n{items}</feed>\n"
    notes, problems = read_feed("news.xml", xml, 0.0, {})
    assert [n.hints["title"] for n in notes] == [f"소식 {n}" for n in range(MAX_ITEMS)]
    assert notes[-1].line == 2 + 2 * (MAX_ITEMS - 1)  # lines as written, not as cut
    warning, = problems
    assert (warning.line, warning.severity) == (2 + 2 * MAX_ITEMS, Severity.WARNING)
    assert f"{MAX_ITEMS + 5:,} items" in warning.message
