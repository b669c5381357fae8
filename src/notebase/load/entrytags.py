"""An entry's tags: stated in front matter or properties, given by its feed or digest, else read from its text.

Bounded, because every tag is a page and a line in two feeds: at most `MAX_TAGS` tags, none longer
than `MAX_TAG_CHARS` characters or nested deeper than `MAX_TAG_LEVELS`.
"""

from __future__ import annotations

from typing import Any

from notebase.errors import Severity
from notebase.load import classify

TAG_KEYS = ("tags", "tag", "categories", "category", "keywords")
MAX_TAGS = 64
MAX_TAG_CHARS = 100
MAX_TAG_LEVELS = 8


def tag_list(value: Any) -> list[str]:
    """Return the tags a front-matter value holds: a list, a comma string, or nested lists."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out += tag_list(item)
        return out
    if isinstance(value, dict):
        return []
    # Obsidian writes links as values (`"[[Meetings]]"`): the page's name is the tag.
    return [part.strip().lstrip("#").strip().removeprefix("[[").removesuffix("]]").strip()
            for part in str(value).split(",") if part.strip(" #[]")]


def _words(value: Any, jekyll: bool) -> Any:
    """Jekyll reads `tags: papers NLP` (a string, no commas) as two tags: a Jekyll post's value split so."""
    if jekyll and isinstance(value, str) and "," not in value and len(value.split()) > 1:
        return value.split()
    return value


def entry_tags(ctx, body: str, text: str) -> tuple[str, ...]:
    """Return an entry's tags in order, first spelling kept; problems go to `ctx` (entries.py's build context)."""
    jekyll = "_posts/" in ctx.raw.path or "layout" in ctx.meta
    stated = [tag for key in TAG_KEYS if key in ctx.meta for tag in tag_list(_words(ctx.meta[key], jekyll))]
    props = ctx.raw.hints.get("properties") or {}
    stated += [tag for key in ("tags", "tag", "keywords") if key in props for tag in tag_list(props[key])]
    for key in TAG_KEYS:
        if isinstance(ctx.meta.get(key), dict):
            ctx.problem(key, f"'{key}' must be a list or a comma-separated string",
                        f"write {key}: [a, b] or {key}: a, b")
    hints = ctx.raw.hints
    structural = list(hints.get("feed_tags") or []) + ([hints["category"]] if hints.get("category") else [])
    inferred = [] if stated else classify.header_tags(body.split("\n")) + classify.hashtags(body)
    result: list[str] = []
    seen: set[str] = set()
    for tag in stated + structural + inferred:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    unwieldy = [tag for tag in result if len(tag) > MAX_TAG_CHARS or tag.count("/") >= MAX_TAG_LEVELS]
    if unwieldy:
        # Each level of `a/b/c` is a page inside its parent's folder: 2,000 levels were 2,000 pages
        # with paths longer than any file system allows.
        ctx.problem("tags", f"{len(unwieldy)} tag(s) longer than {MAX_TAG_CHARS} characters or nested "
                    f"more than {MAX_TAG_LEVELS} levels left out: {unwieldy[0][:40]!r}…",
                    "shorten the tag; nest at most a few levels, as a/b/c", Severity.WARNING)
        dropped = set(unwieldy)
        result = [tag for tag in result if tag not in dropped]
    if len(result) > MAX_TAGS:
        # Every tag is a page and two feeds listing the entry with all its tags: n tags cost n².
        ctx.problem("tags", f"{len(result)} tags; only the first {MAX_TAGS} are kept",
                    "a few telling tags find more than hundreds; move the rest into the text",
                    Severity.WARNING)
        result = result[:MAX_TAGS]
    return tuple(result)
