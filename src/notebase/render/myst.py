"""MyST (Jupyter Book) directives as the markdown they show: callouts, figures, code, math, links.

`directive` is also how render/dialects.py turns GitBook hints, Hugo callouts, Liquid highlights
and Logseq/org blocks into blocks: one table of what each kind of block becomes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from notebase.render.emit import Notes, figure_parts, link_line
from notebase.render.sanitize import CALLOUT_KINDS

__all__ = ["Lines", "callout_kind", "directive"]

Lines = tuple[list[str], list[int]]  # lines of markdown and the body line each comes from

_OPTION = re.compile(r"[ \t]{0,8}:([A-Za-z][\w-]{0,40}):(?:[ \t]+(.*))?")
_YAML_OPTION = re.compile(r"[ \t]{0,8}([A-Za-z][\w-]{0,40}):[ \t]*(.*)")
_IMAGE = re.compile(r"[ \t]{0,3}!\[([^\]\n]{0,500})\]\(<?([^)\s<>]{1,2000})>?(?:[ \t]{1,20}\"[^\"\n]{0,500}\")?\)[ \t]*")
_LANG = re.compile(r"[\w+#.-]{1,40}")
_VIDEO_ID = re.compile(r"[\w-]{6,64}")

# MyST/Sphinx admonitions and their look; the value is an Obsidian callout kind (CALLOUT_KINDS).
_KINDS = {"note": "note", "seealso": "note", "admonition": "note", "dropdown": "note", "margin": "note",
          "sidebar": "note", "topic": "note", "todo": "todo", "tip": "tip", "hint": "tip", "important": "tip",
          "info": "info", "warning": "warning", "caution": "warning", "attention": "warning",
          "danger": "danger", "error": "danger", "success": "success", "check": "success", "done": "success",
          "question": "question", "faq": "question", "help": "question", "failure": "failure",
          "bug": "bug", "example": "example", "quote": "quote", "abstract": "abstract", "summary": "abstract",
          "tldr": "abstract", "versionadded": "info", "versionchanged": "info", "deprecated": "warning",
          "exercise": "question", "solution": "success", "proof": "note", "theorem": "note", "lemma": "note",
          "definition": "note", "remark": "note", "pinned": "note", "primary": "info", "secondary": "note",
          "light": "note", "dark": "note"}
_TITLES = {"seealso": "See also", "versionadded": "New in this version", "versionchanged": "Changed in this version",
           "todo": "To do"}
_TITLED = frozenset({"admonition", "dropdown", "margin", "sidebar", "topic", "exercise", "solution", "proof",
                     "theorem", "lemma", "definition", "remark"})  # their argument is the title
_CODE = frozenset({"code", "code-block", "sourcecode", "code-cell"})
_DROPPED = frozenset({"toctree", "tableofcontents", "contents", "bibliography", "index", "only"})
_QUOTES = frozenset({"epigraph", "pull-quote", "highlights", "blockquote", "quote-block"})
_LANG_ALIASES = {"ipython3": "python", "ipython": "python", "python3": "python", "jupyter": "python"}


def callout_kind(name: str) -> str:
    """The Obsidian callout kind for an admonition, hint style or shortcode argument ('note' if unknown)."""
    kind = _KINDS.get(name.strip().lower(), name.strip().lower())
    return kind if kind in CALLOUT_KINDS else "note"


def _options(lines: list[str]) -> tuple[dict[str, str], int]:
    """A directive's options (`:key: value` lines, or a `---` YAML block) and where its content starts."""
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                m = _YAML_OPTION.fullmatch(line)
                if m:
                    options[m[1].lower()] = m[2].strip().strip("\"'")
            return options, end + 1
    k = 0
    while k < len(lines):
        m = _OPTION.fullmatch(lines[k])
        if m is None:
            break
        options[m[1].lower()] = (m[2] or "").strip()
        k += 1
    return options, k


def _fenced(lang: str, code: Lines, src: int, char: str = "`") -> Lines:
    longest = 2
    for line in code[0]:
        rest = line.lstrip(" \t>")
        if rest.startswith(char * 3):
            longest = max(longest, len(rest) - len(rest.lstrip(char)))
    fence = char * (longest + 1)
    last = code[1][-1] if code[1] else src
    return [fence + lang, *code[0], fence], [src, *code[1], last]


def _quoted(made: Lines) -> Lines:
    return [("> " + line) if line.strip() else ">" for line in made[0]], list(made[1])


def directive(name: str, arg: str, content: Lines, src: int, notes: Notes,
              markdown: Callable[[Lines], Lines] | None, *, kind: str | None = None,
              options: bool = True) -> Lines:
    """The markdown lines a directive `name` with argument `arg` and content stands for.

    `markdown` converts content that is markdown (None: the content is code); `kind` forces a
    callout of that kind; `options=False` when the content can hold no `:key:` option lines.
    """
    key = name.lower()
    lines, srcs = content
    opts, start = _options(lines) if options else ({}, 0)
    body = (lines[start:], srcs[start:])
    if key in _CODE or key == "mermaid" or markdown is None:
        lang = "mermaid" if key == "mermaid" else (arg.split() or [""])[0].lower()
        lang = _LANG_ALIASES.get(lang, lang) if _LANG.fullmatch(lang) else ""
        return _fenced(lang, body, src) if key != "raw" else (list(body[0]), list(body[1]))
    if key == "math":
        return ["$$", *body[0], "$$"], [src, *body[1], body[1][-1] if body[1] else src]
    if key in _DROPPED:
        return [], []
    if key in ("include", "literalinclude"):
        notes.warn(src, ("myst", key), f"MyST {{{key}}} {arg} is not followed; nothing was included",
                   "copy the text into the note, or link to the file")
        return [], []
    if key in ("youtube", "video", "vimeo"):
        if _VIDEO_ID.fullmatch(arg) and key != "video":
            base = "https://www.youtube.com/watch?v=" if key == "youtube" else "https://vimeo.com/"
            return [link_line(base + arg, f"▶ {'YouTube' if key == 'youtube' else 'Vimeo'} {arg}", notes)], [src]
        return [link_line(arg, "▶ " + arg, notes)], [src]
    if key in ("figure", "image", "figure-md"):
        return _figure(key, arg, opts, body, src, notes, markdown)
    if kind is not None or key in _KINDS:
        return _callout(key, arg, opts, body, src, notes, markdown, kind)
    if key in _QUOTES:
        return _quoted(markdown(body))
    made = markdown(body)  # any other directive: its content, as markdown
    if arg:
        return [f"**{arg}**", "", *made[0]], [src, src, *made[1]]
    return made


def _callout(key: str, arg: str, opts: dict[str, str], body: Lines, src: int, notes: Notes,
             markdown: Callable[[Lines], Lines], kind: str | None) -> Lines:
    classes = opts.get("class", "").split()
    forced = kind is not None
    if kind is None:
        named = next((c for c in classes if c in _KINDS), None)
        kind = callout_kind(named if key == "admonition" and named else key)
    titled = key in _TITLED or key == "admonition"
    title = arg if titled else ""
    if arg and not titled:  # `{note} text`: a directive without arguments starts its content there
        body = ([arg, *body[0]], [src, *body[1]])
    fold = ""
    if key == "dropdown" or "dropdown" in classes:
        fold = "+" if "open" in opts else "-"
    made = markdown(body)
    if notes.for_text:
        header = ([title], [src]) if title else ([], [])
        return header[0] + made[0], header[1] + made[1]
    title = title or _TITLES.get(key) or (kind if forced else key).capitalize()
    quoted = _quoted(made)
    return [f"> [!{kind}]{fold} {title}", *quoted[0]], [src, *quoted[1]]


def _figure(key: str, arg: str, opts: dict[str, str], body: Lines, src: int, notes: Notes,
            markdown: Callable[[Lines], Lines]) -> Lines:
    path, alt = arg.strip(), opts.get("alt", "")
    if key == "figure-md":  # the content holds the image as markdown, then the caption
        at = next((n for n, line in enumerate(body[0]) if _IMAGE.fullmatch(line)), None)
        if at is None:
            path = ""
        else:
            image = _IMAGE.fullmatch(body[0][at])
            alt, path = alt or image[1], image[2]
            body = (body[0][:at] + body[0][at + 1:], body[1][:at] + body[1][at + 1:])
    caption = markdown(body) if key != "image" else ([], [])
    captioned = any(line.strip() for line in caption[0])
    before, after = figure_parts(path, alt, captioned, notes)
    last = caption[1][-1] if caption[1] else src
    return before + caption[0] + after, [src] * len(before) + caption[1] + [last] * len(after)
