"""Turn a file's bytes into text: BOMs, CRLF, legacy Korean encodings, binary and huge files."""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass

from notebase.errors import Problem, Severity



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


def shown_path(rel: str) -> str:
    """Return a notes-relative path as valid Unicode: each name that is not UTF-8 shown with �.

    Python reads such names (CP949 bytes from a Windows archive, say) with surrogate escapes,
    which no UTF-8 page, JSON or index can hold. A short digest of the name's bytes follows the
    �s, so two names that differ only in their undecodable bytes stay two names.
    """
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return "/".join(_shown_name(part) for part in rel.split("/"))


def _shown_name(name: str) -> str:
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(name)
    stem, dot, ext = raw.decode("utf-8", "replace").rpartition(".")
    if not dot or not stem:
        stem, dot, ext = stem + dot + ext, "", ""
    return f"{stem}~{hashlib.blake2b(raw, digest_size=3).hexdigest()}{dot}{ext}"


def name_problem(rel: str, shown: str) -> Problem | None:
    """Return the warning for a path whose names are not UTF-8 (None when rel is fine), once per name."""
    if rel == shown:
        return None
    parts = shown.split("/")
    first = next(i for i, part in enumerate(rel.split("/")) if part != parts[i])
    where = "/".join(parts[: first + 1]) + ("/" if first + 1 < len(parts) else "")
    return Problem(where, 0, "name is not valid UTF-8; shown with � (and a short code)",
                   "rename it in UTF-8, e.g. convmv -f cp949 -t utf-8 -r --notest NAME",
                   Severity.WARNING, once=f"name:{where}")
