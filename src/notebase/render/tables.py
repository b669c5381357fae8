"""markdown-it's GFM table rule with a lean row loop: the same tokens, a third of the work per row.

Per body row markdown-it offers the line to every rule that may end a quote (seven calls, each with
a debug log), splits it character by character and pushes eight tokens one attribute at a time: a
table of 50,000 rows took 1.5 s. Here a row is offered only to the rules its first character can
wake (render/blocks.py), a row without a backslash is split by `str.split`, and each token is made
whole. The header is validated by markdown-it's own rule, so what is a table does not change.
tests/test_fast_blocks.py compares both ways.
"""

from __future__ import annotations

from notebase.render.blocks import Plans, terminates
from notebase.render.tokens import token_maker


def _aligns(delimiter_row: str) -> list[str]:
    """The alignment of each column from a delimiter row markdown-it's table rule has accepted."""
    from markdown_it.common.utils import mdTrim

    aligns = []
    for cell in delimiter_row.split("|"):
        t = mdTrim(cell)
        if not t:
            continue  # accepted: only the first and last cell may be empty
        if t[-1] == ":":
            aligns.append("center" if t[0] == ":" else "right")
        else:
            aligns.append("left" if t[0] == ":" else "")
    return aligns


class FastTable:
    """The table rule of one MarkdownIt instance (markdown_it/rules_block/table.py, same tokens)."""

    def __init__(self, plans: Plans) -> None:
        self.plans = plans

    def table(self, state, start_line: int, end_line: int, silent: bool) -> bool:
        """Block rule: a GFM table, as markdown-it's `table` makes it."""
        from markdown_it.common.utils import mdTrim
        from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit, table

        if silent or not table(state, start_line, end_line, True):  # markdown-it's own says what is a table
            return table(state, start_line, end_line, True) if silent else False
        src, b_marks, t_shift, e_marks = state.src, state.bMarks, state.tShift, state.eMarks
        aligns = _aligns(src[b_marks[start_line + 1] + t_shift[start_line + 1]:e_marks[start_line + 1]])
        columns = escapedSplit(mdTrim(src[b_marks[start_line] + t_shift[start_line]:e_marks[start_line]]))
        if columns and columns[0] == "":
            columns.pop(0)
        if columns and columns[-1] == "":
            columns.pop()
        column_count = len(columns)

        old_parent, state.parentType = state.parentType, "table"
        plan = self.plans.plan(state, "blockquote")  # markdown-it ends a table as it ends a quote
        token = state.push("table_open", "table", 1)
        token.map = table_lines = [start_line, 0]
        token = state.push("thead_open", "thead", 1)
        token.map = [start_line, start_line + 1]
        token = state.push("tr_open", "tr", 1)
        token.map = [start_line, start_line + 1]
        for i in range(column_count):
            token = state.push("th_open", "th", 1)
            if aligns[i]:
                token.attrs = {"style": "text-align:" + aligns[i]}
            token = state.push("inline", "", 0)
            token.map = [start_line, start_line + 1]
            token.content = mdTrim(columns[i])
            token.children = []
            state.push("th_close", "th", -1)
        state.push("tr_close", "tr", -1)
        state.push("thead_close", "thead", -1)

        next_line = self._rows(state, start_line, end_line, plan, aligns, column_count, MAX_AUTOCOMPLETED_CELLS,
                               escapedSplit)
        if next_line > start_line + 2:  # a body row was added, so a tbody opened
            state.push("tbody_close", "tbody", -1)
        state.push("table_close", "table", -1)
        table_lines[1] = next_line
        state.parentType = old_parent
        state.line = next_line
        return True

    @staticmethod
    def _rows(state, start_line: int, end_line: int, plan, aligns: list[str], column_count: int,
              max_autocompleted: int, escaped_split) -> int:
        """Push the body rows' tokens; return the line after the table."""
        from markdown_it.common.utils import mdTrim

        token = token_maker()
        src, b_marks, t_shift, e_marks, s_count = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
        tokens, styles = state.tokens, [{"style": "text-align:" + a} if a else None for a in aligns]
        autocompleted = 0
        tbody_lines: list[int] | None = None
        next_line = start_line + 2
        quiet = plan.quiet if not plan.table else None  # a row starting `|` wakes no rule of a quote's chain
        while next_line < end_line:
            if s_count[next_line] < state.blkIndent:
                break
            start = b_marks[next_line] + t_shift[next_line]
            if (quiet is None or (start < e_marks[next_line] and src[start] in quiet)) and terminates(
                    state, next_line, end_line, plan):
                break
            text = mdTrim(src[b_marks[next_line] + t_shift[next_line]:e_marks[next_line]])
            if not text or state.is_code_block(next_line):
                break
            columns = escaped_split(text) if "\\" in text else text.split("|")  # the same cells when no escape
            if columns and columns[0] == "":
                columns.pop(0)
            if columns and columns[-1] == "":
                columns.pop()
            # The autocomplete count can go down when a row has more cells than the header (as markdown-it).
            autocompleted += column_count - len(columns)
            if autocompleted > max_autocompleted:
                break
            if tbody_lines is None:
                state.push("tbody_open", "tbody", 1).map = tbody_lines = [start_line + 2, 0]
            level, line_map = state.level, [next_line, next_line + 1]
            tokens.append(token("tr_open", "tr", 1, None, line_map, level, None, "", True))
            for i in range(column_count):
                # A dict of its own per cell: rendering pops the style from the token's attrs.
                style = styles[i]
                attrs = dict(style) if style else None
                tokens.append(token("td_open", "td", 1, attrs, None, level + 1, None, "", True))
                cell = columns[i] if i < len(columns) else ""
                tokens.append(token("inline", "", 0, None, [next_line, next_line + 1], level + 2, [],
                                    mdTrim(cell) if cell else "", True))
                tokens.append(token("td_close", "td", -1, None, None, level + 1, None, "", True))
            tokens.append(token("tr_close", "tr", -1, None, None, level, None, "", True))
            next_line += 1
        if tbody_lines is not None:
            tbody_lines[1] = next_line
        return next_line


def render_token(self, tokens, idx: int, options, env) -> str:
    """markdown-it's RendererHTML.renderToken, the same string with less work for a tag with no attributes.

    A table of 50,000 rows renders 300,000 such tags (`<tr>`, `</td>`...): the attribute list built
    and escaped for each was a third of the time.
    """
    token = tokens[idx]
    if token.hidden:
        return ""
    nesting = token.nesting
    # A newline between a hidden paragraph (tight list) and the block tag after it.
    result = "\n" if token.block and nesting != -1 and idx and tokens[idx - 1].hidden else ""
    result += ("</" if nesting == -1 else "<") + token.tag
    if token.attrs:
        result += self.renderAttrs(token)
    if nesting == 0 and options["xhtmlOut"]:
        result += " /"
    need_lf = token.block
    if need_lf and nesting == 1 and idx + 1 < len(tokens):
        following = tokens[idx + 1]
        # No newline inside a block that holds inline content, nor between `<li></li>`.
        if following.type == "inline" or following.hidden or (following.nesting == -1 and following.tag == token.tag):
            need_lf = False
    return result + (">\n" if need_lf else ">")


def _plain_cell(open_, cell, close) -> bool:
    """True for `<td>`, inline, `</td>` tokens that render_token writes as `<td>` ... `</td>\n`."""
    return (open_.type == "td_open" and open_.tag == "td" and not open_.attrs and not open_.hidden
            and cell.type == "inline" and close.type == "td_close" and close.tag == "td" and not close.attrs
            and not close.hidden)


def render_row(tokens, i: int, ctx, breaks: dict[str, str], render_inline) -> tuple[str, int] | None:
    """A body row from its `tr_open` at `i`, as the renderer's loop writes it token by token, and the index
    after its `tr_close`; None (nothing done) when a token of it has attributes or is hidden.

    A table of 50,000 rows is 400,000 tokens, each a call in that loop: here a row is a few string joins.
    Cells of plain text go through `render_plain`, others through `render_inline(children)`, with
    `ctx.line` set for each as the loop sets it.
    """
    from markdown_it.common.utils import escapeHtml

    from notebase.render.fast_inline import render_plain

    row = tokens[i]
    if row.tag != "tr" or row.attrs or row.hidden or (i and tokens[i - 1].hidden):
        return None
    end, n = i + 1, len(tokens)
    while end + 2 < n and tokens[end].type == "td_open":
        if not _plain_cell(tokens[end], tokens[end + 1], tokens[end + 2]):
            return None
        end += 3
    close = tokens[end] if end < n else None
    if end == i + 1 or close is None or close.type != "tr_close" or close.tag != "tr" or close.attrs or close.hidden:
        return None
    parts = ["<tr>\n"]
    for j in range(i + 2, end, 3):
        children = tokens[j].children
        html = ""
        if children:
            ctx.line = tokens[j].map[0] if tokens[j].map else ctx.line
            if len(children) == 1 and children[0].type == "text":  # most cells: render_plain's first case
                html = escapeHtml(children[0].content)
            else:
                html = render_plain(children, breaks)
                if html is None:
                    html = render_inline(children)
        parts += ("<td>", html, "</td>\n")
    parts.append("</tr>\n")
    return "".join(parts), end + 1
