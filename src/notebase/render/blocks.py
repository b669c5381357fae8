"""Paragraph and setext-heading block rules that give markdown-it's own tokens in linear time with a
small constant: only lines that could start a block are offered to the rules that may end a paragraph.

markdown-it's `paragraph` offers every line of a paragraph to every terminator rule (table, fence,
quote, hr, list, footnote, HTML, heading...), and `lheading` scans the same lines again, so one
paragraph of 60,000 lines cost a million rule calls (2 s). Each terminator here is known by the first
non-space character a line must start with to match (the table rule: by the next line's), so the
others are never called; a terminator this module does not know is called on every line, as
markdown-it does. The terminators are read from the ruler at every call, never copied from a list.
tests/test_fast_blocks.py renders real notes and tricky snippets both ways and compares the tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Rule = Callable[..., bool]
_ANY = None  # a rule of unknown shape: offered every line
_NEXT_LINE = ""  # the table rule: offered a line when the line after it may be a delimiter row
_TABLE_DELIMITER = "|-:"  # what a table's delimiter row starts with (markdown_it/rules_block/table.py)
_DIGITS = "0123456789"
# An ordered list item's marker (list.py's skipOrderedListMarker): at most 9 digits, `.` or `)`, then a
# space, a tab or the line's end. A line of prose or dates that starts with a digit has none.
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)", re.MULTILINE)


def known_starts() -> dict[Rule, str]:
    """The terminator rules this module knows, each with the characters a line it matches starts with.

    Each string is read off the rule's own first test of `state.src[bMarks + tShift]`: a rule that
    returns False for every other first character can be left uncalled. A digit wakes a rule only
    when an ordered-list marker starts there (`_ORDERED_MARKER`): only the list rule starts with one.
    """
    from markdown_it import rules_block
    from mdit_py_plugins.footnote.index import footnote_def

    from notebase.render.rules import html_pre_rule

    return {
        rules_block.table: _NEXT_LINE,
        rules_block.fence: "`~",  # the default fence: markers ~ and `
        rules_block.blockquote: ">",
        rules_block.hr: "*-_",
        rules_block.list_block: "*-+0123456789",
        footnote_def: "[",
        html_pre_rule: "<",
        rules_block.html_block: "<",
        rules_block.heading: "#",
        rules_block.reference: "[",  # not a terminator: known for block_tokenize
    }


class Plan:
    """How to offer a line to one chain of terminators: which first characters wake which rules."""

    __slots__ = ("rules", "firsts", "starts", "table", "every_line", "by_first", "quiet")

    def __init__(self, rules: list[Rule], known: dict[Rule, str]) -> None:
        self.rules = rules  # the ruler's own (cached) list: a new list means the ruler changed
        self.firsts: list[str | None] = [known.get(rule, _ANY) for rule in rules]
        self.starts = frozenset("".join(f for f in self.firsts if f))
        self.table = _NEXT_LINE in self.firsts
        self.every_line = _ANY in self.firsts
        self.by_first: dict[tuple[str, bool], tuple[Rule, ...]] = {}
        # A line whose first character is none of these (a digit may start a list) wakes no rule of the
        # plan but the table rule, which looks at the next line: `terminates` need not be called for it.
        self.quiet = None if self.every_line else frozenset(self.starts | set(_DIGITS))

    def woken(self, first: str, table: bool) -> tuple[Rule, ...]:
        """The rules, in order, that a line starting with `first` may match (`table`: a delimiter row follows)."""
        key = (first, table)
        rules = self.by_first.get(key)
        if rules is None:
            rules = self.by_first[key] = tuple(
                rule for rule, firsts in zip(self.rules, self.firsts)
                if firsts is _ANY or (table if firsts == _NEXT_LINE else first in firsts))
        return rules


def _first(state, line: int, end_line: int, plan: Plan) -> tuple[str, bool]:
    """The first character of `line` as the known rules see it, and whether a table's delimiter row follows."""
    src, b_marks, t_shift, e_marks = state.src, state.bMarks, state.tShift, state.eMarks
    start = b_marks[line] + t_shift[line]
    first = src[start] if start < e_marks[line] else "\n"  # an empty line wakes no known rule
    if first in _DIGITS and not _ORDERED_MARKER.match(src, start, e_marks[line]):
        first = "a"  # a digit wakes only the list rule, and only at an ordered-list marker
    table = False
    if plan.table and line + 1 < end_line:
        pos = b_marks[line + 1] + t_shift[line + 1]
        table = pos < e_marks[line + 1] and src[pos] in _TABLE_DELIMITER
    return first, table


def terminates(state, line: int, end_line: int, plan: Plan) -> bool:
    """True when a rule of the plan's chain matches `line` (silently), as a loop over all of them finds."""
    first, table = _first(state, line, end_line, plan)
    if not (table or plan.every_line or first in plan.starts):
        return False
    return any(rule(state, line, end_line, True) for rule in plan.woken(first, table))


def block_tokenize(plans: Plans):
    """markdown-it's ParserBlock.tokenize, offering each block's first line only to the rules it may wake.

    The loop is markdown-it's (parser_block.py), rule for rule: a rule skipped here is one whose first
    test of the line's first character fails, before it changes anything. Twenty thousand two-line
    paragraphs were 280,000 rule calls, each with a debug log; rules of unknown shape are always called.
    """
    def tokenize(state, start_line: int, end_line: int) -> None:
        plan = plans.plan(state, "")
        max_nesting = state.md.options.maxNesting
        has_empty_lines = False
        line = start_line
        while line < end_line:
            state.line = line = state.skipEmptyLines(line)
            if line >= end_line or state.sCount[line] < state.blkIndent:
                break  # the end, or the end of a nested call (a quote, a list item)
            if state.level >= max_nesting:
                state.line = end_line
                break
            ok = False
            for rule in plan.woken(*_first(state, line, end_line, plan)):
                ok = rule(state, line, end_line, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            state.tight = not has_empty_lines
            line = state.line
            if line - 1 < end_line and state.isEmpty(line - 1):
                has_empty_lines = True  # a paragraph may "eat" one newline after it in nested lists
            if line < end_line and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line
    return tokenize


class Plans:
    """One Plan per chain of a MarkdownIt instance's block ruler, remade when the ruler changes."""

    def __init__(self, known: dict[Rule, str] | None = None) -> None:
        self.known = known_starts() if known is None else dict(known)
        self.plans: dict[str, Plan] = {}

    def plan(self, state, chain: str) -> Plan:
        """The plan for the rules that may end a block of kind `chain` ("paragraph", "blockquote"...)."""
        rules = state.md.block.ruler.getRules(chain)
        plan = self.plans.get(chain)
        if plan is None or plan.rules is not rules:
            plan = self.plans[chain] = Plan(rules, self.known)
        return plan


def _setext_level(state, line: int) -> int:
    """1 or 2 when `line` underlines a setext heading (`===` or `---`), as lheading tests it; else 0."""
    pos, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if pos >= end or state.src[pos] not in "-=":
        return 0
    marker = state.src[pos]
    if state.skipSpaces(state.skipCharsStr(pos, marker)) < end:
        return 0
    return 1 if marker == "=" else 2


class FastBlocks:
    """The fast `paragraph` and `lheading` rules of one MarkdownIt instance."""

    def __init__(self, plans: Plans) -> None:
        self.plans = plans
        # Where the last `lheading` that found no underline saw its paragraph end: (state, start line,
        # end line, tokens then, indent, next line). The `paragraph` rule, tried next on the same line,
        # ends there too (the same scan but for the underline test, with parentType "paragraph" in
        # both), so a paragraph of 300,000 lines is scanned once, not twice.
        self.unlined: tuple | None = None

    def _scan(self, state, line: int, end_line: int, setext: bool) -> tuple[int, int]:
        """The line a paragraph from `line - 1` ends before, and the setext level when one ends it."""
        plan = self.plans.plan(state, "paragraph")
        src, b_marks, t_shift, e_marks, s_count = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
        indent = state.blkIndent
        quiet = plan.quiet
        while line < end_line:
            count = s_count[line]
            start = b_marks[line] + t_shift[line]
            if start >= e_marks[line]:
                break  # an empty line
            if count - indent > 3:
                line += 1  # would be indented code, but after a paragraph it is lazy continuation
                continue
            if setext and count >= indent and src[start] in "-=":
                level = _setext_level(state, line)
                if level:
                    return line, level
            if count < 0:
                line += 1  # markdown-it's blockquote quirk: that rule has seen this line
                continue
            if quiet is not None and src[start] not in quiet:
                after = line + 1
                if not plan.table or after >= end_line:
                    line += 1
                    continue
                pos = b_marks[after] + t_shift[after]
                if pos >= e_marks[after] or src[pos] not in _TABLE_DELIMITER:
                    line += 1
                    continue
            if terminates(state, line, end_line, plan):
                break
            line += 1
        return line, 0

    def paragraph(self, state, start_line: int, end_line: int, silent: bool) -> bool:
        """markdown-it's `paragraph` rule (rules_block/paragraph.py), same tokens."""
        from markdown_it.common.utils import mdTrim

        old_parent, state.parentType = state.parentType, "paragraph"
        unlined, self.unlined = self.unlined, None
        if unlined is not None and unlined[0] is state and unlined[1:5] == (
                start_line, state.lineMax, len(state.tokens), state.blkIndent):
            next_line = unlined[5]
        else:
            next_line, _ = self._scan(state, start_line + 1, state.lineMax, False)
        content = mdTrim(state.getLines(start_line, next_line, state.blkIndent, False))
        state.line = next_line
        token = state.push("paragraph_open", "p", 1)
        token.map = [start_line, state.line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start_line, state.line]
        token.children = []
        state.push("paragraph_close", "p", -1)
        state.parentType = old_parent
        return True

    def lheading(self, state, start_line: int, end_line: int, silent: bool) -> bool:
        """markdown-it's `lheading` rule (rules_block/lheading.py), same tokens."""
        from markdown_it.common.utils import mdTrim

        if state.is_code_block(start_line):
            return False
        old_parent, state.parentType = state.parentType, "paragraph"
        next_line, level = self._scan(state, start_line + 1, end_line, True)
        if not level:
            self.unlined = (state, start_line, end_line, len(state.tokens), state.blkIndent, next_line)
            return False  # markdown-it leaves parentType as "paragraph" here too; paragraph resets it
        marker = "=" if level == 1 else "-"
        content = mdTrim(state.getLines(start_line, next_line, state.blkIndent, False))
        state.line = next_line + 1
        token = state.push("heading_open", f"h{level}", 1)
        token.markup = marker
        token.map = [start_line, state.line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start_line, state.line - 1]
        token.children = []
        token = state.push("heading_close", f"h{level}", -1)
        token.markup = marker
        state.parentType = old_parent
        return True


def use_fast_blocks(md, known: dict[Rule, str] | None = None) -> None:
    """Put the fast paragraph, lheading and table rules in place of markdown-it's on this instance only."""
    from notebase.render.tables import FastTable

    plans = Plans(known)
    fast, table = FastBlocks(plans), FastTable(plans).table
    plans.known[table] = _NEXT_LINE  # it tells a table as markdown-it's table rule does
    for name, rule in (("paragraph", fast.paragraph), ("lheading", fast.lheading), ("table", table)):
        # `at` sets the chains a rule ends (its "alt") anew: keep the ones the replaced rule had.
        alt = next(list(r.alt) for r in md.block.ruler.__rules__ if r.name == name)
        md.block.ruler.at(name, rule, {"alt": alt})
    from markdown_it.parser_block import ParserBlock

    if type(md.block).tokenize is ParserBlock.tokenize:  # this instance's block parser only, never the class
        md.block.tokenize = block_tokenize(plans)


def terminator_names(md) -> Sequence[str]:
    """The names of the block rules that may end a paragraph on `md` (for tests and benches)."""
    return [rule.name for rule in md.block.ruler.__rules__ if rule.enabled and "paragraph" in rule.alt]
