"""Search results as terminal text (styled; click strips the styles when piped) and as JSON."""

from __future__ import annotations

import re
from typing import Any

import click

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
    also = [alt for e in results.expansions for alt in e.alternatives]
    shown = len(results.hits)
    head = f"{results.total} result{'s' if results.total != 1 else ''}"
    if shown < results.total:
        head += f" (showing {shown})"
    if results.query.raw.strip():
        head += f" for {_clean(results.query.raw.strip())!r}"
    if also:
        head += f"; also searched: {', '.join(also)}"
    lines.append(click.style(head, dim=True))
    for n, hit in enumerate(results.hits, 1):
        title = _marked(hit.title, hit.title_highlights, {"bold": True, "fg": "yellow"})
        tags = " ".join(f"#{t}" for t in hit.tags[:6])
        meta = _clean(" · ".join(x for x in (hit.type, hit.date.isoformat(), tags) if x))
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


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """Return a hit as JSON types: the `search --json` contract."""
    path, _, line = hit.source.rpartition(":")
    return {
        "id": hit.id,
        "type": hit.type,
        "title": hit.title,
        "date": hit.date.isoformat(),
        "score": hit.score,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "source": {"path": path, "line": int(line) if line.isdigit() else 1},
        "url": hit.url or None,
        "tags": list(hit.tags),
        "lang": hit.lang,
        "expansions": list(hit.expansions),
    }
