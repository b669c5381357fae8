"""Readable, safe slugs that keep Hangul."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w\uac00-\ud7a3]+")


def slugify(text: str, limit: int = 80) -> str:
    """Return a lowercase slug of letters, digits and Hangul joined by '-', never a path."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _UNSAFE.sub("-", text.replace("_", "-")).strip("-")
    text = re.sub(r"-{2,}", "-", text)
    if len(text) > limit:
        cut = text[:limit]
        text = cut[: cut.rfind("-")] if cut.rfind("-") > limit // 2 else cut
    return text.strip("-") or "note"
