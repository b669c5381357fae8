"""One line of a note, outside its code: Liquid and Hugo tags, Logseq macros, MyST roles, Kramdown IALs, %% comments.

`convert_line` rewrites what static-site generators and outliners would have expanded into the
markdown it stands for (a link, a figure, a path, text) and removes the rest with a warning.
It never looks inside inline code; every scan moves forward only (linear in the line).
"""

from __future__ import annotations

import re
from html import escape

from notebase.render.emit import Notes, figure_lines, link_line, md_text, parse_args, unquote
from notebase.render.hugo import shortcode

__all__ = ["LOGSEQ_MACROS", "code_spans", "convert_line"]

MAX_TAG = 1000  # a `{% ... %}` or `{{ ... }}` longer than this is not a tag
_UUID = re.compile(r"\(\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})[ \t]{0,8}\)\)")
_IAL = re.compile(r"\{:[^{}\n]{0,300}\}")
_HEADING_ATTRS = re.compile(r"\{[#.][^{}\n]{0,200}\}")
_ROLE = re.compile(r"\{([A-Za-z][\w:.+-]{0,40})\}$")
_NAME = re.compile(r"[ \t]{0,20}(/?[A-Za-z_][\w.:-]{0,60})")
_URL = re.compile(r"https?://[^\s<>\"'`]{1,2000}")
_PAGE = re.compile(r"\[\[([^\[\]\n]{1,500})\]\]")
_LIQUID_VARS = re.compile(r"(site|page|layout|include|jekyll|paginator|content|post|forloop|theme)\b")
_URL_FILTERS = re.compile(r"""^("[^"]{0,500}"|'[^']{0,500}')(?:[ \t]{0,20}\|[ \t]{0,20}(?:relative_url|absolute_url|"""
                          r"""prepend:[ \t]{0,20}site\.(?:baseurl|url)|url_encode|uri_escape)[ \t]{0,20}){1,4}$""")
LOGSEQ_MACROS = frozenset({"embed", "video", "youtube", "vimeo", "bilibili", "tweet", "twitter", "cloze",
                           "query", "renderer", "function", "namespace", "pdf", "zotero", "youtube-timestamp",
                           "video-timestamp", "tutorial-video", "cards", "draw"})
# GitBook's structure tags: their content is kept and nothing is lost by dropping the tag.
_HIDDEN_GITBOOK = frozenset({"tabs", "endtabs", "endtab", "code", "endcode", "content-ref", "endcontent-ref",
                             "endhint", "endraw", "raw", "stepper", "endstepper", "step", "endstep"})


def code_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every inline code span in one line: a run of n backticks up to the next run of n."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    if len(runs) < 2:
        return []
    by_length: dict[int, list[int]] = {}
    for n, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(n)
    next_of: dict[int, int] = {}  # run index -> the next run of the same length
    for indexes in by_length.values():
        for a, b in zip(indexes, indexes[1:]):
            next_of[a] = b
    spans, n = [], 0
    while n < len(runs):
        close = next_of.get(n)
        if close is None:
            n += 1
            continue
        spans.append((runs[n][0], runs[close][1]))
        n = close + 1
    return spans


def convert_line(text: str, line: int, notes: Notes, *, liquid: bool = True,
                 open_comment_is_text: bool = False) -> tuple[str, bool]:
    """Convert one markdown line; return it and whether a `%%` comment opens in it and is not closed.

    The returned text may hold several lines (a figure). `liquid=False` inside `{% raw %}`;
    `open_comment_is_text` keeps a last unpaired `%%` as text (when nothing closes it).
    """
    if "{" not in text and "%%" not in text and "((" not in text:
        return text, False
    spans = code_spans(text) if "`" in text else []
    opened = False
    if "%%" in text:
        text, opened = _cut_comments(text, spans, open_comment_is_text)
        spans = code_spans(text) if "`" in text else []
    pieces: list[str] = []  # alternately text and code, starting with text
    at = 0
    for start, end in spans:
        pieces += [text[at:start], text[start:end]]
        at = end
    pieces.append(text[at:])
    out: list[str] = []
    for n, piece in enumerate(pieces):
        if n % 2:  # code
            role = _ROLE.search(out[-1]) if "{" in out[-1] else None
            if role:  # {cite}`key`: a MyST role
                out[-1] = out[-1][:role.start()]
                piece = _role(role[1], piece.strip("`").strip(), notes)
            out.append(piece)
        else:
            out.append(_convert_text(piece, line, notes, liquid))
    result = "".join(out)
    if result.endswith("}") and result.lstrip(" \t>").startswith("#"):
        # `## Title {#id .class}` (kramdown, pandoc, Hugo): the attributes are not heading text.
        brace = result.rfind("{")
        if brace > 0 and _HEADING_ATTRS.fullmatch(result, brace):
            result = result[:brace].rstrip()
    return result, opened


def _cut_comments(text: str, spans: list[tuple[int, int]], open_is_text: bool) -> tuple[str, bool]:
    """Remove `%% ... %%` pairs outside code (code inside a comment goes too) and an unpaired last one to the end."""
    marks, at, span = [], 0, 0
    while True:
        mark = text.find("%%", at)
        if mark < 0:
            break
        while span < len(spans) and spans[span][1] <= mark:
            span += 1
        if span < len(spans) and spans[span][0] <= mark:
            at = spans[span][1]  # inside inline code: not a comment mark
            continue
        marks.append(mark)
        at = mark + 2
    if len(marks) % 2 and open_is_text:
        marks.pop()
    if not marks:
        return text, False
    kept, at = [], 0
    for start, end in zip(marks[::2], marks[1::2]):
        kept.append(text[at:start])
        at = end + 2
    opened = len(marks) % 2 == 1
    kept.append(text[at:marks[-1]] if opened else text[at:])
    return "".join(kept), opened


def _role(name: str, content: str, notes: Notes) -> str:
    """A MyST role's text: {math} as math, {sub}/{sup}/{kbd} as their tags, `title <target>` as the title."""
    name = name.lower()
    if name == "math":
        return content if notes.for_text else f"${content}$"
    if content.endswith(">") and 0 < content.rfind("<"):  # `title <target>`: the title
        content = content[:content.rfind("<")].rstrip()
    elif name == "abbr" and content.endswith(")") and "(" in content:
        content = content[:content.rfind("(")].rstrip()
    if name in ("sub", "sup", "kbd") and not notes.for_text:
        return f"<{name}>{escape(content)}</{name}>"
    return md_text(content, notes)


_RAW = re.compile(r"\{%-?[ \t]{0,20}raw[ \t]{0,20}-?%\}")
_ENDRAW = re.compile(r"\{%-?[ \t]{0,20}endraw[ \t]{0,20}-?%\}")


def _convert_text(text: str, line: int, notes: Notes, liquid: bool) -> str:
    if liquid and "raw" in text and "{%" in text:
        raw = _RAW.search(text)
        if raw:  # `{% raw %}...{% endraw %}` in a line: what is between is shown as written
            end = _ENDRAW.search(text, raw.end())
            stop = end.start() if end else len(text)
            after = _convert_text(text[end.end():], line, notes, liquid) if end else ""
            return _convert_text(text[:raw.start()], line, notes, liquid) + text[raw.end():stop] + after
    if "{%" in text and liquid:
        text = _scan(text, "{%", "%}", lambda inner: _liquid_tag(inner, line, notes))
    if "{{" in text:
        text = _scan(text, "{{", "}}", lambda inner: _double_brace(inner, line, notes, liquid))
    if "((" in text:
        text = _UUID.sub(lambda m: _block_ref(m[1], notes), text)
    if "{:" in text:
        text = _IAL.sub("", text)
    return text


def _scan(text: str, opener: str, closer: str, convert) -> str:
    """Replace each `opener inner closer` by convert(inner) (None keeps it); one forward pass."""
    out, at, end = [], 0, -1
    while True:
        start = text.find(opener, at)
        if start < 0:
            break
        if end < start + len(opener):  # else the closer found last time is still the first one after
            end = text.find(closer, start + len(opener))
        if end < 0:
            break  # no closer anywhere after: none for any later opener either
        stop = end
        if closer == "}}" and text.startswith("{", start + 2) and text.startswith("}", end + 2):
            stop += 1  # `{{{embed ...}}}`: the third brace belongs to the tag
        if stop - start > MAX_TAG:
            out.append(text[at:start + len(opener)])
            at = start + len(opener)
            continue
        replaced = convert(text[start + len(opener):stop])
        out.append(text[at:start])
        out.append(text[start:stop + len(closer)] if replaced is None else replaced)
        at = stop + len(closer)
    out.append(text[at:])
    return "".join(out)


def _liquid_tag(inner: str, line: int, notes: Notes) -> str | None:
    inner = inner.strip("-").strip()
    name_match = _NAME.match(inner)
    if name_match is None:
        return None
    name, rest = name_match[1].lower(), inner[name_match.end():]
    positional, named = parse_args(rest)
    if name == "embed" and "url" in named:
        return link_line(named["url"], named.get("caption") or named["url"], notes)
    if name == "post_url" and positional:
        return positional[0] + ".md"  # resolved to the post's entry like any link to a note
    if name == "link" and positional:
        return positional[0]
    if name == "tab" and named.get("title"):
        return f"**{md_text(named['title'], notes)}**"
    if name == "include" and positional and positional[0].startswith("figure"):
        src = named.get("image_path") or named.get("image") or named.get("src") or ""
        return "\n".join(figure_lines(src, named.get("alt", ""), [named.get("caption", "")], notes))
    if name in _HIDDEN_GITBOOK:
        return ""
    notes.warn(line, ("liquid", name), f"Liquid tag {{% {name} %}} was removed",
               "notebase does not run Jekyll/GitBook templates; write its result as markdown")
    return ""


def _double_brace(inner: str, line: int, notes: Notes, liquid: bool) -> str | None:
    if inner.startswith(("<", "%")):
        return shortcode(inner, line, notes)
    body = inner.strip("{} \t")
    macro = _NAME.match(body)
    if inner[:1] not in (" ", "\t") and macro and macro[1].lower() in LOGSEQ_MACROS:
        return _logseq_macro(macro[1].lower(), body[macro.end():].strip(), line, notes)
    if not liquid:
        return None
    match = _URL_FILTERS.match(body)
    if match:
        return unquote(match[1])  # `{{ "/img/a.png" | relative_url }}`: the path it names
    if _LIQUID_VARS.match(body) or ("|" in body and "||" not in body):
        short = body if len(body) <= 40 else body[:37] + "..."
        notes.warn(line, ("liquid-var", body.split("|")[0].strip()), f"Liquid variable {{{{ {short} }}}} was removed",
                   "notebase does not run Jekyll's Liquid; write the value itself")
        return ""
    return None  # `{{ name }}` in prose (Vue, Jinja, Handlebars examples) is text


def _logseq_macro(name: str, args: str, line: int, notes: Notes) -> str:
    if name == "embed":
        ref = _UUID.search(args)
        if ref:
            return _block_ref(ref[1], notes)
        page = _PAGE.fullmatch(args.strip())
        if page:
            return page[1] if notes.for_text else f"![[{page[1]}]]"
    if name in ("video", "youtube", "vimeo", "bilibili", "tweet", "twitter") and _URL.fullmatch(args):
        return link_line(args, args, notes)
    if name == "cloze":
        return md_text(args, notes)
    notes.warn(line, ("logseq", name), f"Logseq {{{{{name}}}}} is not rendered; it was removed",
               "it needs the Logseq app; write its result as markdown")
    return ""


def _block_ref(uuid: str, notes: Notes) -> str:
    if notes.for_text:
        return ""
    return f'<span class="wikilink unresolved" title="Logseq block reference {escape(uuid)}">⋯</span>'
