"""Hugo shortcodes in a note's text: `{{< youtube ID >}}`, `{{< figure >}}`, `{{< ref >}}` and the rest.

Those that stand for a link, a figure or a path become that markdown; paired callout and code
shortcodes are turned into blocks by markup_blocks; the others are removed with a warning
(their inner text stays).
"""

from __future__ import annotations

import re

from notebase.render.emit import Notes, figure_lines, link_line, parse_args

__all__ = ["CALLOUT_SHORTCODES", "CODE_SHORTCODES", "shortcode"]

CODE_SHORTCODES = frozenset({"highlight", "code"})
# Paired shortcodes of the common themes (docsy, learn, book, ...) that are callouts.
CALLOUT_SHORTCODES = frozenset({"hint", "notice", "alert", "admonition", "callout", "details", "note", "tip",
                                "info", "warning", "danger", "caution", "important"})
_NAME = re.compile(r"[ \t]{0,20}(/?)[ \t]{0,20}([A-Za-z_][\w.-]{0,60})")
_VIDEO_ID = re.compile(r"[\w-]{1,64}")
_LINKS = {  # name: (label, URL)
    "youtube": ("YouTube", "https://www.youtube.com/watch?v={id}"),
    "vimeo": ("Vimeo", "https://vimeo.com/{id}"),
    "instagram": ("Instagram", "https://www.instagram.com/p/{id}/"),
}


def shortcode(inner: str, line: int, notes: Notes) -> str | None:
    """What `{{<inner>}}` / `{{%inner%}}` becomes (inner keeps its `<...>`/`%...%`); None keeps it as written."""
    delim = inner[0]
    if len(inner) < 2 or inner[-1] != (">" if delim == "<" else "%"):
        return None
    body = inner[1:-1]
    if body.startswith("/*") and body.endswith("*/"):  # `{{</* x */>}}` is Hugo's way to show a shortcode
        return "{{" + delim + body[2:-2] + inner[-1] + "}}"
    m = _NAME.match(body)
    if m is None:
        return None
    closing, name = bool(m[1]), m[2].lower()
    if closing or name in CODE_SHORTCODES or name in CALLOUT_SHORTCODES:
        return ""  # the pair's other half, or a pair written inside a line: its text stays
    positional, named = parse_args(body[m.end():])
    base = name.removesuffix("_simple")
    if base in _LINKS:
        video = named.get("id") or (positional[0] if positional else "")
        if _VIDEO_ID.fullmatch(video):
            label, url = _LINKS[base]
            return link_line(url.format(id=video), "▶ " + (named.get("title") or f"{label} {video}"), notes)
    if base in ("tweet", "twitter", "x") and named.get("id", "").isdigit():
        user = named.get("user", "i") if re.fullmatch(r"\w{1,50}", named.get("user", "i")) else "i"
        return link_line(f"https://twitter.com/{user}/status/{named['id']}", f"@{user}", notes)
    if base == "gist" and len(positional) >= 2 and all(re.fullmatch(r"[\w-]{1,100}", p) for p in positional[:2]):
        return link_line(f"https://gist.github.com/{positional[0]}/{positional[1]}", "gist", notes)
    if base in ("ref", "relref") and (positional or named.get("path")):
        return positional[0] if positional else named["path"]  # a note path: resolved like any link
    if base == "figure" and named.get("src"):
        caption = named.get("caption") or named.get("title") or ""
        return "\n".join(figure_lines(named["src"], named.get("alt", ""), [caption] if caption else [], notes))
    notes.warn(line, ("hugo", name), f"Hugo shortcode {{{{< {name} >}}}} was removed",
               "notebase does not run Hugo shortcodes; the text between a pair is kept")
    return ""
