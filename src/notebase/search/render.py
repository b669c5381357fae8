"""Search results as terminal text (styled; click strips the styles when piped) and as JSON."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import click

from notebase.search.parse import Filter
from notebase.search.searcher import Hit, Results


# Control characters from a note (an escape sequence in a title) must never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Replace control characters one for one, so highlight offsets stay valid."""
    return _CONTROL.sub(" ", text)


def _marked(text: str, spans, style: dict) -> str:
    text = _clean(text)
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], click.style(text[start:end], **style)]
        last = end
    out.append(text[last:])
    return "".join(out)


def format_results(results: Results) -> str:
    """Return ranked hits as terminal lines, matches styled, with a header saying what was searched."""
    lines = []
    also = [alt for e in results.expansions if getattr(e, "kind", "") != "typo" for alt in e.alternatives]
    meant = [alt for e in results.expansions if getattr(e, "kind", "") == "typo" for alt in e.alternatives]
    shown = len(results.hits)
    head = f"{results.total} result{'s' if results.total != 1 else ''}"
    if shown < results.total:
        head += f" (showing {shown})"
    if results.query.raw.strip():
        head += f" for {_clean(results.query.raw.strip())!r}"
    if meant:
        head += f"; did you mean: {', '.join(meant)}"
    if also:
        head += f"; also searched: {', '.join(also)}"
    if results.query.filters:
        head += f"; filtered by {', '.join(describe_filter(f) for f in results.query.filters)}"
    lines.append(click.style(head, dim=True))
    for n, hit in enumerate(results.hits, 1):
        title = _marked(hit.title, hit.title_highlights, {"bold": True, "fg": "yellow"})
        tags = " ".join(f"#{t}" for t in hit.tags[:6])
        date = hit.date.isoformat() + ("~" if hit.date_inferred else "")  # ~: inferred, as `list` marks it
        meta = _clean(" · ".join(x for x in (hit.type, date, tags) if x))
        lines.append("")
        lines.append(f"{n:>2}. {title}")
        lines.append(f"    {click.style(meta, fg='cyan')}  {click.style(_clean(hit.source), dim=True)}")
        if hit.snippet:
            lines.append("    " + _marked(hit.snippet, hit.highlights, {"bold": True, "fg": "yellow"}))
        for via in hit.expansions:
            lines.append(click.style(f"    matched via glossary: {_clean(via)}", dim=True))
        if hit.url:
            lines.append(click.style(f"    {_clean(hit.url)}", dim=True))
    if not results.hits:
        lines.append("no entries match; try fewer or more general words, or drop a filter")
    return "\n".join(lines)


def describe_filter(f: Filter) -> str:
    """Return a filter as the query language writes it: `type:paper`, `-tag:draft`, `date:2022-05..`."""
    values = ",".join(_date_text(*v) if f.field == "date" else _clean(str(v)) for v in f.values)
    return f"{'-' if f.negated else ''}{f.field}:{values}"


def _date_text(start: dt.date, end: dt.date) -> str:
    if start == dt.date.min:
        return f"..{end.isoformat()}"
    if end == dt.date.max:
        return f"{start.isoformat()}.."
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}" if start.year == end.year else f"{start.year}..{end.year}"
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start.year}-{start.month:02d}"
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """Return a hit as JSON types: the `search --json` contract."""
    path, _, line = hit.source.rpartition(":")
    return {
        "id": hit.id,
        "type": hit.type,
        "title": hit.title,
        "date": hit.date.isoformat(),
        "date_inferred": hit.date_inferred,
        "score": hit.score,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "source": {"path": path, "line": int(line) if line.isdigit() else 1},
        "url": hit.url or None,
        "tags": list(hit.tags),
        "lang": hit.lang,
        "expansions": list(hit.expansions),
    }
