"""Readable, safe slugs that keep Hangul."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w\uac00-\ud7a3]+")
_DASHES = re.compile(r"-{2,}")
# File names are limited to 255 bytes, not characters: a slug of 4-byte characters at 80
# characters would be 320. This cap leaves room for a qualifier ("-2", "-2024-05-01", "-name",
# "-entry") and an extension on the same path component.
MAX_SLUG_BYTES = 150


def _cut(text: str, cut: str) -> str:
    """Shorten text to its prefix cut, at the last '-' when that keeps more than half of it."""
    return cut[: cut.rfind("-")] if cut.rfind("-") > len(cut) // 2 else cut


def slugify(text: str, limit: int = 80, max_bytes: int = MAX_SLUG_BYTES) -> str:
    """Return a lowercase slug of letters, digits and Hangul joined by '-', never a path.

    At most `limit` characters and `max_bytes` bytes of UTF-8.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _UNSAFE.sub("-", text.replace("_", "-")).strip("-")
    text = _DASHES.sub("-", text)
    if len(text) > limit:
        text = _cut(text, text[:limit])
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        text = _cut(text, text.encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", "ignore"))
    return text.strip("-") or "note"
