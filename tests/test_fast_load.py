"""load/classify.py's infer_title looks at a line for an H1 only when its first non-space character is `#` or `<`:
the same titles as trying every line, for lines indented with every kind of space."""

from __future__ import annotations

import itertools
import re

from notebase.load.classify import atx_heading, heading_text, infer_title

H1 = re.compile(r"^\s{0,3}<h1\b[^>\n]{0,300}>(.{1,300}?)</h1>", re.I)  # as classify's own
INDENTS = ["", " ", "   ", "    ", "\t", "\u3000", "\u00a0", " \u2003"]
LINES = ["# 제목 Title", "## 둘째", "#없음", "<h1>HTML 제목</h1>", "<H1 class=x>큰</H1>", "<h2>작은</h2>", "본문 text",
         "$$", "$$ x $$", "2024.01.05", "", "- 목록", "#", "# ", "<h1></h1>", "＃ 전각"]


def _reference(lines: list[str]) -> tuple[str, int] | None:
    """infer_title's H1 search as it was, every line tried (no display math in these cases)."""
    for i, line in enumerate(lines):
        st = line.strip()
        if st.startswith("$$"):
            if st == "$$" or not st.endswith("$$"):
                return None  # an open math block: the cases below never reach a title after it
            continue
        m = atx_heading(line)
        if m:
            return (heading_text(m[1]), i) if m[0] == 1 and heading_text(m[1]) else None
        h = H1.match(line)
        if h and heading_text(h[1]):
            return heading_text(h[1]), i
    return None


def test_h1_found_as_before():
    checked = 0
    for indent, line, after in itertools.product(INDENTS, LINES, ["", "# 뒤 제목", "<h1>뒤</h1>"]):
        lines = ["첫 줄 prose", indent + line, after]
        expected = _reference(lines)
        if expected is None or any(s.strip() == "$$" or (s.strip().startswith("$$") and not s.strip().endswith("$$"))
                                   for s in lines):
            continue
        assert infer_title(lines, "note", "") == expected, (indent, line, after)
        checked += 1
    assert checked > 100
