"""Turn a file's bytes into text: BOMs, CRLF, legacy Korean encodings, binary and huge files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from notebase.errors import Problem



@dataclass(frozen=True)
class Decoded:
    """A file's text with line endings made `\n`, and the encoding it was read in."""

    text: str
    encoding: str


def decode_bytes(data: bytes, rel: str, max_bytes: int) -> tuple[Decoded | None, list[Problem]]:
    """Decode a note file; return None with a problem when it cannot be a note."""
    if len(data) > max_bytes:
        return None, [Problem(
            rel, 1, f"file is {_size(len(data))}, over the {_size(max_bytes)} limit",
            "split it into smaller notes, or raise max_file_size in notebase.yaml",
        )]
    if not data.strip():
        return None, [Problem(rel, 1, "empty file", "write a note in it or delete it")]
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _finish(data[len(bom):].decode(name, errors="replace"), "utf-16"), []
    if b"\x00" in data[:8192]:
        return None, [Problem(
            rel, 1 + data[: data.index(b"\x00")].count(b"\n"),
            "binary file (it contains NUL bytes), not a text note",
            "keep images and PDFs under a non-note extension, e.g. .png or .pdf",
        )]
    try:
        return _finish(data.decode("utf-8-sig"), "utf-8"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Legacy Korean files are CP949 (a superset of EUC-KR); accept that reading only when it
    # gives mostly Hangul rather than the noise a damaged UTF-8 file would become.
    try:
        legacy = data.decode("cp949")
        hangul = sum(1 for ch in legacy if "\uac00" <= ch <= "\ud7a3")
        if hangul and hangul >= 0.5 * sum(1 for ch in legacy if ord(ch) > 127):
            return _finish(legacy, "cp949"), []
    except UnicodeDecodeError:
        pass
    line = 1 + data[:bad].count(b"\n")
    text = data.decode("utf-8-sig", errors="replace")
    return _finish(text, "utf-8"), [Problem(
        rel, line, f"undecodable bytes (not UTF-8 or CP949) at byte {bad}; replaced with �",
        "save the file as UTF-8",
    )]


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB" if n >= 1e3 else f"{n} bytes"


def _finish(text: str, encoding: str) -> Decoded:
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)
