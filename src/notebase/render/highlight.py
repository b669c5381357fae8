"""Code highlighting with Pygments: CSS classes only, a bounded per-process cache, light and dark CSS."""

from __future__ import annotations

import functools
import html
import re

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
CACHE_LIMIT = 2048  # highlighted blocks kept per process; notes repeat the same snippets often
MAX_CODE = 100_000  # longer blocks are not lexed: a pathological block must not stall the build
_PLAIN = frozenset({"", "text", "txt", "plain", "plaintext", "none", "nohighlight"})
_BOX = ".highlight"
_LANG_OK = re.compile(r"[\w+#.-]{1,40}")

_cache: dict[tuple[str, str], str] = {}
_lexers: dict[str, object] = {}
stats = {"hits": 0, "misses": 0}  # read by tests and the bench; per process


def highlight_code(code: str, lang: str) -> str:
    """Return `code` as `<div class="highlight" data-lang=…><pre><code>…`, highlighted when `lang` is known."""
    key = (lang, code)
    cached = _cache.get(key)
    if cached is not None:
        stats["hits"] += 1
        return cached
    stats["misses"] += 1
    inner = _pygments(code, lang) if len(code) <= MAX_CODE else None
    if inner is None:
        inner = html.escape(code, quote=False)
    attr = f' data-lang="{html.escape(lang)}"' if _LANG_OK.fullmatch(lang) else ""
    out = f'<div class="highlight"{attr}><pre><code>{inner}</code></pre></div>\n'
    if len(_cache) >= CACHE_LIMIT:
        del _cache[next(iter(_cache))]  # oldest first: cheap, and good enough for repeated snippets
    _cache[key] = out
    return out


def _pygments(code: str, lang: str) -> str | None:
    lexer = _lexer(lang)
    if lexer is None:
        return None
    from pygments import highlight

    try:
        return highlight(code, lexer, _formatter())
    except Exception:  # noqa: BLE001 -- one odd block falls back to plain code, the build goes on
        return None


def _lexer(lang: str):
    name = lang.lower()
    if name in _PLAIN:
        return None
    if name in _lexers:
        return _lexers[name]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        lexer = None
    if len(_lexers) < CACHE_LIMIT:  # names come from notes: never let them grow the cache unbounded
        _lexers[name] = lexer
    return lexer


@functools.cache
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)  # classes, never inline styles: the page CSS decides colours


@functools.cache
def token_classes() -> frozenset[str]:
    """Return every CSS class a highlighted span may carry (what the sanitiser lets through on span)."""
    from pygments.token import STANDARD_TYPES

    classes = {c for c in STANDARD_TYPES.values() if c}
    for style in (LIGHT_STYLE, DARK_STYLE):
        classes.update(re.findall(r"^\.x \.([\w-]+) ", _token_rules(style, ".x"), re.MULTILINE))
    return frozenset(classes)


def _token_rules(style: str, selector: str) -> str:
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style=style)
    # Background and token rules only: the line-number rules Pygments adds include a bare `pre {}`.
    rules = formatter.get_background_style_defs(selector) + formatter.get_token_style_defs(selector)
    return "\n".join(rules)


@functools.cache
def pygments_css() -> str:
    """CSS for highlighted code: light by default, dark when the OS prefers it, `data-theme` on <html> wins."""
    # The two sets of selectors never match together, so no light token colour leaks into dark.
    return "\n".join([
        "/* Pygments: light */",
        _token_rules(LIGHT_STYLE, f':root[data-theme="light"] {_BOX}'),
        "@media not all and (prefers-color-scheme: dark) {",
        _token_rules(LIGHT_STYLE, f':root:not([data-theme="dark"]) {_BOX}'),
        "}",
        "/* Pygments: dark */",
        _token_rules(DARK_STYLE, f':root[data-theme="dark"] {_BOX}'),
        "@media (prefers-color-scheme: dark) {",
        _token_rules(DARK_STYLE, f':root:not([data-theme="light"]) {_BOX}'),
        "}",
        "",
    ])
