"""Entries as JSON-ready dicts: the contract `list --json` and outside scripts rely on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from notebase.model import Entry, PaperSummary

_COMMON = ("id", "type", "title", "date", "tags", "lang", "source", "url", "text")
_SKIP = {"body", "extra", "links", "draft", "date_source", "body_format", "body_line"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and not dataclasses.is_dataclass(value):
        return value.value  # an Enum
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """Return an entry as a dict of JSON types: the common fields first, then its type's fields."""
    out = {name: _plain(getattr(entry, name)) for name in _COMMON}
    out["source"] = {"path": entry.source.path, "line": entry.source.line}
    if entry.source.item:
        out["source"]["item"] = entry.source.item
    out["date_inferred"] = entry.date_inferred
    for f in dataclasses.fields(entry):
        if f.name not in out and f.name not in _SKIP:
            out[f.name] = _plain(getattr(entry, f.name))
    if isinstance(entry, PaperSummary):  # worked out from the body, not a field
        out["sections"] = _plain(entry.sections)
    out["wikilinks"] = [link.target for link in entry.links if not link.embed]
    return out
