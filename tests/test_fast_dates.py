"""date_only_line's short cuts (a year test first, remembered lines) give what the pattern alone gives."""

from __future__ import annotations

from pathlib import Path

from notebase.load.dates import DATE_LINE, date_only_line, find_date

SHARED = Path("/work/shared")
LINES = ["2024.01.05", "## 2023년 11월 24일 수요일", "**2021-04-25**", "Nov. 24 2023", "24 Nov 2019 (Mon)",
         "2024.02.30", "1999/12/31", "오늘은 2024.01.05", "2024.01.05 회의", "January 5, 2020", "jan 5 2021",
         "   # 2020.1.2.", "no date here", "", "19", "20", "2019", "Dec 2019", "2024.13.01", "x" * 81,
         "2024.01.05" + " " * 75, "## 2025-04-2 (화)", "12 December 2012", "\u0662\u0660\u0662\u0664.01.05"]


def _plain(line: str):
    return find_date(line) if len(line) <= 80 and DATE_LINE.match(line) else None


def test_date_only_line_is_the_pattern_and_find_date():
    lines = list(LINES)
    for name in ("seeds", "corpus", "corpus2"):
        for path in sorted((SHARED / name).rglob("*.md")) if (SHARED / name).is_dir() else ():
            lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in lines + lines:  # twice: the second time from memory
        assert date_only_line(line) == _plain(line), line
    assert date_only_line("2024.01.05").isoformat() == "2024-01-05"
