"""Property lines at the top of a body: Logseq `key:: value` pages and Notion exports' `key: value` rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LOGSEQ = re.compile(r"^(?P<key>[A-Za-z][\w\-]{0,40})::[ \t]*(?P<value>.{0,2000})$")
_NOTION = re.compile(r"^(?P<key>[\w가-힣][\w가-힣 ]{0,15}?)[ \t]{0,3}:[ \t]+(?P<value>\S.{0,300}?)[ \t]*$")
_H1 = re.compile(r"^\s{0,3}#[ \t]+\S")
_WIKI = re.compile(r"\[\[([^\]\n]{1,200})\]\]")


@dataclass(frozen=True)
class Properties:
    """Properties a body opens with, the line index of each, and whether they were cut from the body."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    removed: bool = False


def clean_value(value: str) -> str:
    """Return a property value with Logseq's `[[page]]` brackets taken off."""
    return _WIKI.sub(r"\1", value).strip()


def take_properties(lines: list[str]) -> tuple[Properties, list[str]]:
    """Find the property block a body opens with; Logseq's is blanked from the lines, Notion's kept."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Properties(), lines
    if "::" in lines[first]:
        values: dict[str, str] = {}
        where: dict[str, int] = {}
        i = first
        while i < len(lines) and (m := _LOGSEQ.match(lines[i].strip())):
            key = m["key"].lower()
            values.setdefault(key, clean_value(m["value"]))
            where.setdefault(key, i)
            i += 1
        if values:
            kept = ["" if first <= j < i else line for j, line in enumerate(lines)]
            return Properties(values, where, True), kept
    if _H1.match(lines[first]):
        # A Notion page exported to markdown: its properties sit in rows right under the title.
        values, where = {}, {}
        i = first + 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        while i < len(lines) and lines[i].strip() and (m := _NOTION.match(lines[i].strip())) \
                and "://" not in m["key"]:
            key = m["key"].strip().lower()
            values.setdefault(key, m["value"].strip())
            where.setdefault(key, i)
            i += 1
        if len(values) >= 3:
            return Properties(values, where, False), lines
    return Properties(), lines
