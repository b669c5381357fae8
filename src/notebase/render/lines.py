"""Line helpers the markup converters share: code fences, where a block ends, indentation."""

from __future__ import annotations

__all__ = ["closes_fence", "columns", "fence_of", "find_close", "only", "strip_cont"]


def fence_of(line: str) -> tuple[str, int] | None:
    """The (character, length) of the code fence `line` opens, or None."""
    rest = line.lstrip(" \t>")
    if rest[:3] not in ("```", "~~~"):
        return None
    run = len(rest) - len(rest.lstrip(rest[0]))
    return rest[0], run


def closes_fence(line: str, char: str, length: int) -> bool:
    """True if `line` closes a fence of `length` `char`s (only that character, at least that many)."""
    rest = line.lstrip(" \t>").rstrip()
    return len(rest) >= length and rest.startswith(char * length) and rest == char * len(rest)


def find_close(lines: list[str], start: int, closes, skip_code: bool) -> int:
    """The index of the first line that `closes`, code fences skipped if asked; len(lines) if none."""
    fence = None
    for k in range(start, len(lines)):
        line = lines[k]
        if fence is not None:
            if closes_fence(line, *fence):
                fence = None
            continue
        if closes(line):
            return k
        if skip_code:
            fence = fence_of(line)
    return len(lines)


def strip_cont(line: str, cont: str) -> str:
    """`line` without the indentation (or quote marks) `cont` of the block it is in; less if it has less."""
    if line.startswith(cont):
        return line[len(cont):]
    n = 0
    while n < len(line) and n < len(cont) and line[n] == cont[n]:
        n += 1
    return line[n:].lstrip(" \t")


def only(text: str, char: str, length: int) -> bool:
    """True if `text` is `char` repeated, at least `length` times."""
    return len(text) >= length and text == char * len(text)


def columns(text: str) -> int:
    """The indentation of `text` in columns (a tab to the next multiple of 4)."""
    col = 0
    for char in text:
        if char == " ":
            col += 1
        elif char == "\t":
            col += 4 - col % 4
        else:
            break
    return col
