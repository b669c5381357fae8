"""Notes written for other tools, turned into the markdown they mean before anything reads them.

`prepare` is the one pass both the renderer (markup.render) and the plain text (search,
summaries) run: Jekyll/Liquid and GitBook tags, Hugo shortcodes, MyST directives and roles,
Kramdown attribute lists, Logseq outlines, properties, block references and org blocks,
Obsidian `%%comments%%`. Code (fenced, indented, `<pre>`, inline) is never touched.

It works line by line and keeps, for every line it emits, the body line it came from, so a
problem found later still points at the right line of the file. Every scan moves forward: a
block's end is looked for once, blocks nest at most MAX_DEPTH deep, each pattern is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notebase.render.emit import Notes, parse_args
from notebase.render.hugo import CALLOUT_SHORTCODES, CODE_SHORTCODES
from notebase.render.lines import closes_fence, columns, find_close, only, strip_cont
from notebase.render.myst import Lines, callout_kind, directive
from notebase.render.outline import outline
from notebase.render.tags import convert_line

__all__ = ["Prepared", "Remark", "may_change", "prepare"]

MAX_DEPTH = 8  # blocks nested deeper are left as written

_LEAD = re.compile(r"(?:[ \t]{0,3}>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]+$)")
_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(.*)")
_DIRECTIVE = re.compile(r"\{([A-Za-z][\w:.-]{0,60})\}[ \t]*(.*)")
_COLON = re.compile(r"(:{3,})[ \t]*(?:\{([A-Za-z][\w:.-]{0,60})\}|([A-Za-z][\w-]{0,40}))[ \t]*(.*)")
_ORG = re.compile(r"#\+begin_(\w{1,30})(?:[ \t]+(.*))?", re.IGNORECASE)
_LIQUID_BLOCK = re.compile(r"\{%-?[ \t]{0,20}(highlight|raw|comment|hint)\b([^%\n]{0,500})-?%\}[ \t]*(.*)")
_HUGO_BLOCK = re.compile(r"\{\{([<%])[ \t]{0,20}([A-Za-z][\w.-]{0,60})([^\n]{0,500}?)[>%]\}\}[ \t]*")
_IAL_LINE = re.compile(r"\{:[^{}\n]{0,300}\}[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_PRE = re.compile(r"<pre[\s>]", re.IGNORECASE)
_OPENING = frozenset("`~:#{<$>-*+0123456789")  # what a line that opens a block starts with (lead included)
_ORG_CALLOUTS = {"note": "note", "tip": "tip", "important": "important", "caution": "caution",
                 "warning": "warning", "pinned": "note"}


@dataclass(frozen=True)
class Remark:
    """Something `prepare` removed or could not convert, at a body line (0-based)."""

    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class Prepared:
    """A body as plain markdown, with the body line (0-based) of each of its lines."""

    text: str
    lines: tuple[int, ...] | None  # None: line n is body line n
    remarks: tuple[Remark, ...]

    def source_line(self, line: int) -> int:
        """The body line that line `line` of `text` comes from."""
        if self.lines is None or not self.lines:
            return line
        return self.lines[min(max(line, 0), len(self.lines) - 1)]


def may_change(body: str) -> bool:
    """False when `prepare` would return `body` as it is (no tag, directive, comment or outline in it)."""
    # Unrolled `in` tests: each is one C-speed scan; most notes have none of these.
    return ("{" in body or "%%" in body or "((" in body or "::" in body or "#+" in body or "\t" in body)


def prepare(body: str, *, for_text: bool = False) -> Prepared:
    """Turn Liquid, Hugo, MyST, Kramdown, Logseq and Obsidian-only markup into plain markdown.

    `for_text` asks for what plain text needs: no HTML (figures give their caption, block
    references nothing, callouts their title).
    """
    if not may_change(body):
        return Prepared(body, None, ())
    lines = body.split("\n")
    srcs = list(range(len(lines)))
    if "\t" in body or "::" in body:
        lines, srcs = outline(lines, srcs)
    notes = Notes(for_text=for_text)
    texts, out_srcs = _Converter(notes).block(lines, srcs, 0, True)
    remarks = tuple(Remark(line, message + (f" ({count} times)" if count > 1 else ""), hint)
                    for line, count, message, hint in notes.seen.values())
    same = len(out_srcs) == len(srcs) and out_srcs == list(range(len(out_srcs)))
    return Prepared("\n".join(texts), None if same else tuple(out_srcs), remarks)


class _Converter:
    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.unclosed: dict[tuple[int, str], int] = {}  # (lines, end mark) -> a start with no end after it

    def close(self, lines: list[str], start: int, closes, skip_code: bool, mark: str) -> int:
        """`find_close`, remembering ends never found: a hundred unclosed `{% hint %}` scan the rest once."""
        key = (id(lines), mark)
        if self.unclosed.get(key, len(lines)) <= start:
            return len(lines)
        close = find_close(lines, start, closes, skip_code)
        if close == len(lines):
            self.unclosed[key] = start
        return close

    def block(self, lines: list[str], srcs: list[int], depth: int, liquid: bool) -> Lines:
        """Convert lines (one container's content, its indentation removed) to markdown lines."""
        texts: list[str] = []
        out: list[int] = []
        i, carry = 0, None  # carry: the rest of a line after a multi-line comment closed in it
        blank_before, in_list, in_code = True, False, False
        while i < len(lines):
            text = carry if carry is not None else lines[i]
            carry = None
            stripped = text.strip()
            indent = len(text) - len(text.lstrip(" \t"))
            width = columns(text) if indent else 0
            if in_code and stripped and width < 4:
                in_code = False
            elif in_code or (stripped and width >= 4 and blank_before and not in_list):
                in_code = True  # an indented code block: as written
                texts.append(text)
                out.append(srcs[i])
                blank_before, i = not stripped, i + 1
                continue
            if depth < MAX_DEPTH and stripped and stripped[0] in _OPENING:
                handled = self._open(lines, srcs, i, text, depth, liquid, texts, out)
                if handled is not None:
                    i, blank_before = handled, False
                    continue
            if stripped.startswith("{:") and _IAL_LINE.fullmatch(stripped):
                if stripped.replace(" ", "") == "{:toc}" and texts and _LIST_ITEM.match(texts[-1]):
                    texts.pop()  # kramdown's `* TOC` placeholder item
                    out.pop()
                i += 1
                continue
            converted, opened = convert_line(text, srcs[i], self.notes, liquid=liquid)
            if opened:
                close = next((k for k in range(i + 1, len(lines)) if "%%" in lines[k]), None)
                if close is None:
                    self.notes.warn(srcs[i], ("comment", ""), "%% opens a comment that is never closed; it is shown as text",
                                    "close the comment with %%, or write %% in `code`")
                    converted, _ = convert_line(text, srcs[i], self.notes, liquid=liquid, open_comment_is_text=True)
                else:
                    self._emit(texts, out, converted, srcs[i])
                    i, carry = close, lines[close][lines[close].find("%%") + 2:]
                    continue
            self._emit(texts, out, converted, srcs[i])
            if stripped:
                in_list = bool(_LIST_ITEM.match(text)) or (in_list and (indent > 0 or not blank_before))
            blank_before = not stripped
            i += 1
        return texts, out

    @staticmethod
    def _emit(texts: list[str], out: list[int], text: str, src: int) -> None:
        if "\n" in text:
            parts = text.split("\n")
            texts += parts
            out += [src] * len(parts)
        else:
            texts.append(text)
            out.append(src)

    def _open(self, lines, srcs, i, text, depth, liquid, texts, out) -> int | None:
        """Convert the block that starts at line i, if one does; return the index after it."""
        lead = _LEAD.match(text).group()
        rest = text[len(lead):]
        cont = _MARKER.sub(lambda m: " " * len(m[0]), lead) if lead.strip(" \t>") else lead
        first = rest[:1]
        if first in ("`", "~"):
            fence = _FENCE.match(rest)
            if fence is None or (first == "`" and "`" in fence[2]):
                return None
            char, length = first, len(fence[1])
            close = find_close(lines, i + 1, lambda line: closes_fence(line, char, length), False)
            named = _DIRECTIVE.match(fence[2])
            if named is None:  # a code fence: as written
                end = min(close + 1, len(lines))
                texts += lines[i:end]
                out += srcs[i:end]
                return end
            return self._directive(lines, srcs, i, close, lead, cont, named[1], named[2], depth, liquid, texts, out)
        if first == ":":
            colon = _COLON.match(rest)
            if colon is None:
                return None
            length = len(colon[1])
            close = find_close(lines, i + 1, lambda line: only(line.lstrip(" \t>").rstrip(), ":", length), True)
            name = colon[2] or colon[3]
            return self._directive(lines, srcs, i, close, lead, cont, name, colon[4], depth, liquid, texts, out)
        if first == "#" and rest.startswith("#+"):
            return self._org(lines, srcs, i, lead, cont, rest, depth, liquid, texts, out)
        if first == "{":
            return self._template_block(lines, srcs, i, lead, cont, rest, depth, liquid, texts, out)
        if first == "<" and "<" in rest:
            return self._raw_html(lines, srcs, i, rest, texts, out)
        if first == "$" and rest.startswith("$$") and "$$" not in rest[2:]:
            close = find_close(lines, i + 1, lambda line: "$$" in line, False)
            end = min(close + 1, len(lines))
            texts += lines[i:end]
            out += srcs[i:end]
            return end
        return None

    def _directive(self, lines, srcs, i, close, lead, cont, name, arg, depth, liquid, texts, out) -> int:
        inner = [strip_cont(line, cont) for line in lines[i + 1:close]]
        content = (inner, srcs[i + 1:close])

        def markdown(sub: Lines) -> Lines:
            return self.block(sub[0], sub[1], depth + 1, liquid)

        made = directive(name, arg.strip(), content, srcs[i], self.notes, markdown)
        self._wrap(made, lead, cont, srcs[i], texts, out)
        self._end(lines, srcs, close, texts, out)
        return close + 1

    @staticmethod
    def _end(lines: list[str], srcs: list[int], close: int, texts: list[str], out: list[int]) -> None:
        """A blank line where a block closed, so text after it is not read as part of the quote it became.

        Not before a blank line, a list item or the end: there it would only loosen a list.
        """
        after = lines[close + 1] if close + 1 < len(lines) else ""
        if close < len(lines) and after.strip() and not _LIST_ITEM.match(after):
            texts.append("")
            out.append(srcs[close])

    @staticmethod
    def _wrap(made: Lines, lead: str, cont: str, src: int, texts, out) -> None:
        """Append lines made for a block: the first after the block's lead, the rest after its indentation."""
        made_texts, made_srcs = made
        for n, (line, line_src) in enumerate(zip(made_texts, made_srcs)):
            texts.append((lead if n == 0 else cont) + line)
            out.append(line_src)
        if not made_texts and lead.strip(" \t>"):
            texts.append(lead.rstrip())  # keep the list item the block was in
            out.append(src)

    def _org(self, lines, srcs, i, lead, cont, rest, depth, liquid, texts, out) -> int | None:
        org = _ORG.fullmatch(rest.rstrip())
        if org is None:
            return None
        kind = org[1].lower()
        end_mark = "#+end_" + kind
        close = self.close(lines, i + 1, lambda line: line.strip(" \t>").lower().startswith(end_mark),
                           kind not in ("src", "example"), end_mark)
        if close == len(lines):
            return None  # never closed: Logseq shows the line as it is, and so do we
        if kind in ("src", "example", "export"):
            lang = (org[2] or "").split()[0] if kind == "src" and org[2] else ""
            name = "code-block" if kind != "export" else "raw"
            made = directive(name, lang, ([strip_cont(x, cont) for x in lines[i + 1:close]], srcs[i + 1:close]),
                             srcs[i], self.notes, None, options=False)
        elif kind == "comment":
            made = ([], [])
        else:
            name = _ORG_CALLOUTS.get(kind, "epigraph" if kind in ("quote", "verse") else kind)
            made = directive(name, "", ([strip_cont(x, cont) for x in lines[i + 1:close]], srcs[i + 1:close]),
                             srcs[i], self.notes, lambda sub: self.block(sub[0], sub[1], depth + 1, liquid),
                             options=False)
        self._wrap(made, lead, cont, srcs[i], texts, out)
        self._end(lines, srcs, close, texts, out)
        return close + 1

    def _template_block(self, lines, srcs, i, lead, cont, rest, depth, liquid, texts, out) -> int | None:
        """`{% highlight %}`, `{% raw %}`, `{% comment %}`, `{% hint %}`, Hugo code and callout pairs, `{::comment}`."""
        if rest.startswith("{%") and liquid:
            tag = _LIQUID_BLOCK.fullmatch(rest.rstrip())
            if tag is None or (tag[3] and tag[1] != "highlight"):
                return None
            name, args = tag[1], tag[2]
            end_tag = re.compile(r"\{%-?[ \t]{0,20}end" + name + r"[ \t]{0,20}-?%\}")
            close = self.close(lines, i + 1, lambda line: end_tag.search(line) is not None, name == "hint",
                               "end" + name)
            if close == len(lines):
                return None  # never closed: not a block; the tag is removed (and reported) in its line
            body = lines[i + 1:close]
            body_srcs = srcs[i + 1:close]
            closing = end_tag.search(lines[close])
            if name == "highlight":
                code = ([tag[3]] if tag[3] else []) + body
                code_srcs = ([srcs[i]] if tag[3] else []) + body_srcs
                if closing and lines[close][:closing.start()].strip():
                    code.append(lines[close][:closing.start()])
                    code_srcs.append(srcs[close])
                lang = (args.split() or [""])[0]
                made = directive("code-block", lang, ([strip_cont(x, cont) for x in code], code_srcs),
                                 srcs[i], self.notes, None, options=False)
            elif name == "comment":
                made = ([], [])
            else:
                inner = ([strip_cont(x, cont) for x in body], body_srcs)
                if name == "raw":
                    made = self.block(inner[0], inner[1], depth + 1, False)
                else:
                    _, named = parse_args(args)
                    made = directive("hint", "", inner, srcs[i], self.notes, options=False,
                                     markdown=lambda sub: self.block(sub[0], sub[1], depth + 1, liquid),
                                     kind=callout_kind(named.get("style", "info")))
        elif rest.startswith(("{{<", "{{%")):
            code = _HUGO_BLOCK.fullmatch(rest.rstrip())
            name = code[2].lower() if code else ""
            inline = name.endswith(".inline")  # an inline shortcode: its content is template code
            if not (name in CODE_SHORTCODES or name in CALLOUT_SHORTCODES or inline):
                return None
            end_tag = re.compile(r"\{\{[<%][ \t]{0,20}/[ \t]{0,20}" + re.escape(code[2]) + r"[ \t]{0,20}[>%]\}\}")
            close = self.close(lines, i + 1, lambda line: end_tag.search(line) is not None,
                               name not in CODE_SHORTCODES and not inline, "/" + name)
            if close == len(lines):
                return None
            inner = ([strip_cont(x, cont) for x in lines[i + 1:close]], srcs[i + 1:close])
            positional, named = parse_args(code[3])
            if inline:
                self.notes.warn(srcs[i], ("hugo", name), f"Hugo inline shortcode {{{{< {name} >}}}} was removed with "
                                "its template code", "notebase does not run Hugo templates; write the result as markdown")
                made = ([], [])
            elif name in CODE_SHORTCODES:
                lang = named.get("lang") or (positional[0] if positional else "")
                made = directive("code-block", lang, inner, srcs[i], self.notes, None, options=False)
            else:
                made = _hugo_callout(name, positional, named, inner, srcs[i], self.notes,
                                     lambda sub: self.block(sub[0], sub[1], depth + 1, liquid))
        elif rest.startswith("{::comment}"):
            close = self.close(lines, i + 1, lambda line: "{:/comment}" in line or "{:/}" in line, False, "{:/}")
            if close == len(lines):
                return None
            made = ([], [])
        else:
            return None
        self._wrap(made, lead, cont, srcs[i], texts, out)
        self._end(lines, srcs, close, texts, out)
        return close + 1

    def _raw_html(self, lines, srcs, i, rest, texts, out) -> int | None:
        """`<pre>` (code, kept across blank lines) and `<!-- -->` spanning lines: as written."""
        lowered = rest.lower()
        pre = _PRE.search(lowered)
        if pre is not None and "</pre>" not in lowered[pre.start():]:
            close = find_close(lines, i + 1, lambda line: "</pre>" in line.lower(), False)
        elif lowered.startswith("<!--") and "-->" not in lowered:
            close = find_close(lines, i + 1, lambda line: "-->" in line, False)
        else:
            return None
        end = min(close + 1, len(lines))
        texts += lines[i:end]
        out += srcs[i:end]
        return end


def _hugo_callout(name, positional, named, inner, src, notes, markdown) -> Lines:
    kind = named.get("type") or named.get("color") or (positional[0] if positional else "")
    if name == "details":
        return directive("dropdown", named.get("title") or (positional[0] if positional else ""), inner, src,
                         notes, markdown, options=False)
    return directive("admonition", named.get("title") or "", inner, src, notes, markdown,
                     kind=callout_kind(kind or name), options=False)
