"""LaTeX to MathML for the renderer: `$x$`, `$$x$$` (inline inside a paragraph, as Kramdown reads it) and ```math blocks."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

__all__ = ["MATH_CACHE_LIMIT", "math_html", "stands_alone"]

MATH_CACHE_LIMIT = 4096
_math_cache: dict[tuple[str, bool], str | None] = {}


def stands_alone(tokens: list, idx: int) -> bool:
    """True if inline token `idx` has its lines to itself: nothing but line breaks (or blanks) beside it."""
    def apart(step: int) -> bool:
        n = idx + step
        while 0 <= n < len(tokens) and tokens[n].type == "text" and not tokens[n].content.strip():
            n += step
        return not 0 <= n < len(tokens) or tokens[n].type in ("softbreak", "hardbreak")
    return apart(-1) and apart(1)


def math_html(warn: Callable[[str, str], None], latex: str, display: bool, block: bool = True) -> str:
    """MathML for `latex`; a `math-error` code element (and a warning through `warn`) if it does not parse.

    `block=False` for display math that stands alone in a paragraph: no <div> inside the <p>.
    """
    latex = latex.strip()
    mathml = _mathml(latex, display)
    if mathml is None:
        warn(f"math does not parse: {latex[:60]!r}", "check braces and \\left/\\right pairs")
        mathml = f'<code class="math-error">{escape(latex)}</code>'
    return f'<div class="math">{mathml}</div>\n' if display and block else mathml


def _mathml(latex: str, display: bool) -> str | None:
    key = (latex, display)
    if key in _math_cache:
        return _math_cache[key]
    from xml.etree.ElementTree import tostring

    from latex2mathml.converter import convert_to_element

    try:
        element = convert_to_element(latex, display="block" if display else "inline")
        # latex2mathml's own convert() unescapes the whole output, so \text{<b>} would become
        # markup; keep ElementTree's escaping and only restore its numeric character references.
        mathml = tostring(element, encoding="unicode").replace("&amp;#x", "&#x")
    except Exception:  # noqa: BLE001 -- latex2mathml raises many ad-hoc types (IndexError, its own, ...)
        mathml = None
    if len(_math_cache) >= MATH_CACHE_LIMIT:
        del _math_cache[next(iter(_math_cache))]
    _math_cache[key] = mathml
    return mathml
