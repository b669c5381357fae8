"""The reader's output: one note's text and what the reader learnt of it, before typing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Entries one file may give (log items, digest papers, feed items): each is a page and a search
# document, so 60,000 one-line items in 600 KB would make a site of gigabytes. Past it, a log is
# kept as one page and a feed read to its first items, each with a warning.
MAX_ITEMS = 1_000


@dataclass(frozen=True)
class RawNote:
    """A note or an item cut from a log, digest or feed, not yet typed or validated."""

    path: str  # relative to the notes folder, with forward slashes
    line: int  # where this note starts in the file, 1-based
    body: str
    body_format: str = "markdown"  # markdown or html
    meta: dict[str, Any] = field(default_factory=dict)  # front matter or sidecar settings
    key_lines: dict[str, int] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)  # what the reader inferred
    mtime: float = 0.0
