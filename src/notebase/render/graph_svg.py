"""Small pictures drawn at build time as inline SVG: an entry's local graph and the topic map.

No script and no library: nodes are SVG links with the same relative hrefs as the rest of the
page (so they work from disk and under any base path), colours come from the theme's classes (so
dark mode follows the page), and every link has an accessible name. Layouts are deterministic:
the same site gives the same bytes.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from dataclasses import dataclass
from functools import lru_cache
from html import escape

WIDTH, HEIGHT = 640, 340  # the local graph's viewBox; CSS scales it to the page
LABEL = 26  # characters of a title shown beside a node
MAP_WIDTH = 720
KINDS = ("link", "backlink", "both", "related", "same")


@dataclass(frozen=True)
class Node:
    """One entry around the centre of a local graph: where it is, its title, how it is connected."""

    href: str
    title: str
    kind: str  # link (this entry links to it), backlink, both, related, same (same paper)
    note: str = ""  # read after the title by screen readers: "links here", "related: shared topic"


def _short(text: str, limit: int) -> str:
    """Shorten text to about `limit` characters at a word's end (a label must read as words of its name)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut[: cut.rfind(" ")] if cut.rfind(" ") > limit // 3 else cut).rstrip(" :,.-") + "…"


def _width(text: str) -> float:
    """About how wide text is at the graph's font size: Hangul and CJK are twice as wide as Latin."""
    return sum(12.5 if ord(ch) > 0x2E80 else 6.6 for ch in text)


def _fit(text: str, room: float) -> str:
    """Shorten text at a word's end (with …) until it fits in `room` pixels; one long word is cut inside."""
    text = " ".join(text.split())
    if len(text) * 12.5 <= room:  # fits even if every character were wide
        return text
    widths = list(accumulate(12.5 if ord(ch) > 0x2E80 else 6.6 for ch in text))
    if not widths or widths[-1] <= room:
        return text
    fits = bisect_right(widths, room - 7)  # characters that fit beside the ellipsis
    cut = text[:fits]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip(" :,.-") + "…"


CX, CY = WIDTH / 2, HEIGHT / 2 - 10  # the entry itself
RX, RY = WIDTH / 2 - 150, HEIGHT / 2 - 50  # the ellipse its neighbours sit on


@lru_cache(maxsize=32)
def _places(count: int) -> tuple[tuple[float, float, float, float, str, float], ...]:
    """Where `count` neighbours go, first at the top, clockwise: node x, y, label x, y, anchor, room."""
    places = []
    for n in range(count):
        angle = -math.pi / 2 + 2 * math.pi * n / count
        x, y, cos = round(CX + RX * math.cos(angle), 1), round(CY + RY * math.sin(angle), 1), math.cos(angle)
        anchor, dx = ("start", 12) if cos > 0.3 else ("end", -12) if cos < -0.3 else ("middle", 0)
        dy = 4 if anchor != "middle" else (-13 if y < CY else 20)
        room = WIDTH - 6 - (x + dx) if anchor == "start" else x + dx - 6 if anchor == "end" else 260
        places.append((x, y, round(x + dx, 1), round(y + dy, 1), anchor, room))
    return tuple(places)


def local_graph(center: str, nodes: Sequence[Node], label: str, legend: Sequence[tuple[str, str]] = ()) -> str:
    """Return the SVG of an entry (at the centre) and its neighbours on an ellipse around it.

    `legend` lists (kind, words) for the kinds of line drawn, shown at the bottom (screen readers
    read each node's own note instead).
    """
    parts = [f'<svg class="graph" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'role="group" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">']
    places = _places(len(nodes))
    parts += [f'<line class="graph-edge graph-{node.kind}" x1="{CX}" y1="{CY}" x2="{x}" y2="{y}"/>'
              for node, (x, y, *_) in zip(nodes, places)]
    parts.append(f'<g class="graph-centre" aria-hidden="true"><circle cx="{CX}" cy="{CY}" r="9"/>'
                 f'<text x="{CX}" y="{CY + 26}" text-anchor="middle">{escape(_fit(center, 300))}</text></g>')
    for node, (x, y, tx, ty, anchor, room) in zip(nodes, places):
        name = node.title + (f" ({node.note})" if node.note else "")
        # No <title>: axe counts its words as visible text, which the name would then have to repeat.
        parts.append(f'<a class="graph-node graph-{node.kind}" href="{escape(node.href)}" aria-label="{escape(name)}">'
                     f'<circle cx="{x}" cy="{y}" r="6"/><text x="{tx}" y="{ty}" text-anchor="{anchor}">'
                     f'{escape(_fit(_short(node.title, LABEL), room))}</text></a>')
    x = 8.0
    if legend:
        parts.append('<g class="graph-legend" aria-hidden="true">')
        for kind, words in legend:
            parts.append(f'<line class="graph-edge graph-{kind}" x1="{x:.1f}" y1="{HEIGHT - 10}" x2="{x + 22:.1f}" '
                         f'y2="{HEIGHT - 10}"/><text x="{x + 27:.1f}" y="{HEIGHT - 6}">{escape(words)}</text>')
            x += 40 + _width(words)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bubble:
    """One topic on the topic map: its page, its name and how many entries it has."""

    href: str
    label: str
    count: int


def topic_map(bubbles: Sequence[Bubble], label: str, count_word: str) -> str:
    """Return the SVG of topics as circles sized by their entries, in rows, biggest first."""
    if not bubbles:
        return ""
    most = max(b.count for b in bubbles)
    cells = []
    for b in bubbles:
        d = 22 + 46 * math.sqrt(b.count / most)
        text = _short(b.label, 22)
        cells.append((b, d, text, max(d, _width(f"{text} {b.count}")) + 18))
    rows: list[list] = [[]]
    used = 0.0
    for cell in cells:
        if rows[-1] and used + cell[3] > MAP_WIDTH:
            rows.append([])
            used = 0.0
        rows[-1].append(cell)
        used += cell[3]
    parts, y = [], 8.0
    for row in rows:
        tallest = max(c[1] for c in row)
        x = (MAP_WIDTH - sum(c[3] for c in row)) / 2
        for b, d, text, w in row:
            cx, cy = x + w / 2, y + tallest / 2
            # One text, label then count, so the name (the same words, then what the count counts)
            # holds the visible words in their order, as axe's label-content-name-mismatch wants.
            name = f"{b.label} {b.count} {count_word}"
            if text != b.label:  # shortened: the name starts with what is shown, then the whole label
                name = f"{text} {b.count} {count_word} ({b.label})"
            parts.append(f'<a class="map-topic" href="{escape(b.href)}" aria-label="{escape(name)}">'
                         f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{d / 2:.1f}"/>'
                         f'<text x="{cx:.1f}" y="{y + tallest + 15:.1f}" text-anchor="middle">{escape(text)} '
                         f'<tspan class="map-count">{b.count}</tspan></text></a>')
            x += w
        y += tallest + 26
    height = math.ceil(y)
    return (f'<svg class="topic-map" viewBox="0 0 {MAP_WIDTH} {height}" width="{MAP_WIDTH}" height="{height}" '
            f'role="group" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(parts) + "</svg>")
