"""The HTML allowlist every body passes through (nh3, i.e. Rust ammonia), whether markdown or feed.

Notes and feeds are untrusted. Only the tags, attributes, classes and URL schemes listed here
survive. Two things the static lists cannot express go through `_filter`:

* ``id``/``name`` written by a note or a feed are dropped (they could clobber the page's own
  ids and ``window`` names). Ids the renderer makes itself (heading anchors, footnotes) carry
  a per-process secret prefix from `mark`, which the filter removes; content cannot forge it.
* ``href``/``src`` written as raw HTML are handed to a per-call rewrite (resolving local images
  and note links), set with the `clean` call; values from `mark` are the renderer's and pass.

ammonia checks URL schemes *before* calling the filter, so a marked URL must still look like a
relative URL to it; the mark therefore starts with ``./``.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from notebase.render.highlight import token_classes

Rewrite = Callable[[str, str, str], "str | None"]

URL_SCHEMES = frozenset({"http", "https", "mailto"})  # plus relative URLs; never data:, javascript:, ...

_HTML_TAGS = frozenset("""
    p br hr h1 h2 h3 h4 h5 h6 blockquote aside details summary div span section figure figcaption
    ul ol li dl dt dd table thead tbody tfoot tr th td caption colgroup col
    pre code kbd samp var sub sup mark em strong b i u s del ins small abbr cite q dfn time
    ruby rt rp bdi wbr a img input
""".split())
# What latex2mathml emits, plus the usual presentation elements. Not annotation-xml, mglyph or
# malignmark: those switch parsing modes and are the classic mutation-XSS vectors.
MATHML_TAGS = frozenset("""
    math semantics annotation mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot
    mover munder munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror
    mmultiscripts mprescripts none
""".split())
_MATHML_ATTRS = frozenset("""
    mathvariant mathsize mathcolor mathbackground stretchy fence separator lspace rspace accent
    accentunder movablelimits largeop symmetric minsize maxsize form columnalign columnspacing
    rowspacing columnlines rowlines frame displaystyle scriptlevel linethickness width height
    depth voffset notation linebreak rowspan columnspan
""".split())
# Dropped with everything inside them (the rest of the unknown tags keep their text).
_DROP_CONTENT = frozenset({"script", "style", "template", "iframe", "noscript", "noembed", "noframes",
                           "object", "embed", "textarea", "select", "title", "xmp"})

CALLOUT_KINDS = ("note", "abstract", "info", "todo", "tip", "success", "question", "warning",
                 "failure", "danger", "bug", "example", "quote")
_CALLOUT_CLASSES = frozenset({"callout", *(f"callout-{kind}" for kind in CALLOUT_KINDS)})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_COLOUR = re.compile(r"#?[A-Za-z0-9]{1,20}")
_LANG = re.compile(r"[\w+#.-]{1,40}")
_IMG_TAG = re.compile(r"<img\b[^<>]{0,4000}>", re.IGNORECASE)
_TAG_ATTR = re.compile(r"""([^\s"'<>/=]{1,100})(?:[ \t\n]{0,20}=[ \t\n]{0,20}("[^"]{0,4000}"|'[^']{0,4000}'|[^\s"'=<>`]{1,4000}))?""")
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-actualsrc", "data-echo")
# What lazy-loading scripts put in src until the real image loads.
_PLACEHOLDER = re.compile(r"^data:|placeholder|lazy|blank|spacer|loading|transparent|pixel|1x1|grey\.gif|gray\.gif",
                          re.IGNORECASE)
_handler: ContextVar[Rewrite | None] = ContextVar("notebase_rewrite", default=None)


@functools.cache
def _secret() -> str:
    # Made on first use in each process (not at import); a forked worker inheriting it is fine.
    return f"./nb{secrets.token_hex(12)}/"


def mark(value: str) -> str:
    """Return `value` tagged as made by the renderer, so the sanitiser keeps it as is (ids, URLs)."""
    return _secret() + value


def _attributes() -> dict[str, set[str]]:
    attrs: dict[str, set[str]] = {
        "*": {"title", "lang", "dir"},
        "a": {"href", "id"},
        "img": {"src", "alt", "width", "height"},
        "li": {"id"},
        "ol": {"start"},
        "th": {"colspan", "rowspan", "scope"},
        "td": {"colspan", "rowspan"},
        "col": {"span"},
        "colgroup": {"span"},
        "div": {"data-lang"},
        "details": {"open"},
        "time": {"datetime"},
        "abbr": {"title"},
    }
    for level in range(1, 7):
        attrs[f"h{level}"] = {"id"}
    for tag in MATHML_TAGS:
        attrs[tag] = set(_MATHML_ATTRS)
    return attrs


def _classes() -> dict[str, set[str]]:
    return {
        "span": {*token_classes(), "wikilink", "unresolved"},
        "a": {"wikilink", "embed", "footnote-backref"},
        "img": {"embed"},
        "code": {"math-error"},
        "div": {"highlight", "math", "callout-title"},
        "aside": set(_CALLOUT_CLASSES),
        "details": set(_CALLOUT_CLASSES),
        "summary": {"callout-title"},
        "sup": {"footnote-ref"},
        "section": {"footnotes"},
        "hr": {"footnotes-sep"},
        "ol": {"footnotes-list", "contains-task-list"},
        "ul": {"contains-task-list"},
        "li": {"footnote-item", "task-list-item"},
        "input": {"task-list-item-checkbox"},
    }


def safe_url(url: str) -> bool:
    """True if `url` is relative or uses an allowed scheme, judged as a browser would parse it."""
    probe = _IGNORED.sub("", url)  # browsers skip controls and spaces: "java\tscript:" is javascript:
    scheme = _SCHEME.match(probe)
    return scheme is None or scheme[1].lower() in URL_SCHEMES


def _filter(secret: str, tag: str, attr: str, value: str) -> str | None:
    # ammonia calls this last and does not check what it returns: every URL returned is checked here.
    if value.startswith(secret):
        value = value[len(secret):]
        return None if attr in ("href", "src") and not safe_url(value) else value
    if attr in ("id", "name"):
        return None  # content ids/names never reach the page (see module docstring)
    if attr in ("href", "src"):
        rewrite = _handler.get()
        value = rewrite(tag, attr, value) if rewrite is not None else value
        return value if value is not None and safe_url(value) else None
    if attr in ("mathcolor", "mathbackground"):
        return value if _COLOUR.fullmatch(value) else None
    if attr == "data-lang":
        return value if _LANG.fullmatch(value) else None
    return value


@functools.cache
def _cleaner():
    import nh3

    return nh3.Cleaner(
        tags=set(_HTML_TAGS | MATHML_TAGS),
        clean_content_tags=set(_DROP_CONTENT),
        attributes=_attributes(),
        attribute_filter=functools.partial(_filter, _secret()),
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(URL_SCHEMES),
        allowed_classes=_classes(),
        tag_attribute_values={
            "th": {"align": {"left", "center", "right"}},
            "td": {"align": {"left", "center", "right"}},
            "math": {"display": {"block", "inline"}},
            "input": {"type": {"checkbox"}, "checked": {"", "checked"}},
        },
        # Whatever a note writes, an <input> is a disabled checkbox: never a text field or a button.
        set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"},
                                  "img": {"loading": "lazy"}},  # long notes: load figures on scroll
    )


def lazy_images(fragment: str) -> str:
    """Give `<img data-src="a.png" src="placeholder.gif">` (lazy loading, pages saved from the web) its real src."""
    if "data-" not in fragment:
        return fragment
    return _IMG_TAG.sub(_real_src, fragment)


def _real_src(tag: re.Match) -> str:
    text = tag[0]
    if "data-" not in text:
        return text
    attrs = {m[1].lower(): m for m in _TAG_ATTR.finditer(text, 4)}
    lazy = next((attrs[name][2] for name in _LAZY_SRC if name in attrs and attrs[name][2]), None)
    src = attrs.get("src")
    current = src[2].strip("\"'").strip() if src is not None and src[2] else ""
    if lazy is None or (current and not _PLACEHOLDER.search(current)):
        return text
    value = lazy[1:-1] if lazy[0] in "\"'" else lazy
    if src is not None:
        text = text[:src.start()] + text[src.end():]
    return f'<img src="{value.replace(chr(34), "&quot;")}"' + text[4:]


MAX_DEPTH = 256  # elements open at once; deeper raw HTML is shown as text
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})(?![A-Za-z0-9-])[^<>]{0,2000}>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def limit_depth(fragment: str, limit: int = MAX_DEPTH) -> str:
    """Return fragment with the tags that would open more than `limit` elements at once escaped.

    html5ever looks through every open element for each new tag, so 50,000 nested <div>s took
    12 s (quadratic). One pass with a stack: an end tag closes the nearest open element of its
    name (and those above it), as a parser does, and is escaped when that element was.
    """
    if fragment.count("<") <= limit:
        return fragment
    parts, last = [], 0
    stack: list[tuple[str, bool]] = []  # open elements: (name, escaped)
    open_names: dict[str, int] = {}
    depth = 0  # open elements not escaped
    for m in _TAG.finditer(fragment):
        name = m[2].lower()
        if not m[1]:
            if name in _VOID or m[0].endswith("/>"):
                continue
            escaped = depth >= limit
            stack.append((name, escaped))
            open_names[name] = open_names.get(name, 0) + 1
            depth += not escaped
        elif open_names.get(name):
            while True:
                top, escaped = stack.pop()
                open_names[top] -= 1
                depth -= not escaped
                if top == name:
                    break
        else:
            continue  # an end tag with nothing to close: parsers ignore it
        if escaped:
            parts += [fragment[last:m.start()], "&lt;"]
            last = m.start() + 1
    return "".join(parts) + fragment[last:] if parts else fragment


def depth_bound(fragment: str) -> int:
    """The most elements open at once in `fragment`, or more, when every `<` in it starts a tag the renderer
    wrote and every element but a void one is closed by a `</` of its own (see `clean`'s `own_tags`).

    Each `</` closes one element, and so does each `/>` (`<br />`: the renderer writes XHTML-style void
    tags, and escapes every `>` of text); every other `<` is counted as opening one (a void tag written
    without `/>` too, so the answer may be higher than the truth, never lower). Counting per stretch
    between two `</`, rather than per tag, makes it a tenth of `limit_depth`'s work.
    """
    pieces = fragment.split("</")
    depth = most = pieces[0].count("<") - pieces[0].count("/>")
    for piece in pieces[1:]:
        depth += piece.count("<") - piece.count("/>") - 1
        if depth > most:
            most = depth
    return most


# html5ever takes time quadratic in the `&`s of one text node (200,000 `&amp;` in a paragraph: 1.2 s).
# A character of the Private Use Area stands in for `&amp;` while the cleaner runs (see `clean`).
_AMP, _STAND_IN = "&amp;", "\ue000"
MANY_AMPS = 5_000  # `&`s from which raw HTML's text has them stood in too
# In text between tags: `&amp;`, or a `&` no reference can start with (a space, a line's end, the end).
_TEXT_AMP = re.compile(r"&amp;|&(?=[\s<]|$)")


def _stood_in(fragment: str) -> str:
    """Raw HTML with the plain `&`s of its text (not inside a tag) as the stand-in: linear, one pass.

    Only for fragments with MANY_AMPS or more: the cleaner's output is the same (a `&` it would
    escape as `&amp;` comes back as `&amp;`), except in an attribute holding a `>` before a `&`,
    which is then shown with `&amp;` where the cleaner would have kept it.
    """
    parts = fragment.split("<")
    out = [_TEXT_AMP.sub(_STAND_IN, parts[0])]
    for part in parts[1:]:
        tag, close, text = part.partition(">")
        out.append(tag + close + _TEXT_AMP.sub(_STAND_IN, text) if close else part)
    return "<".join(out)


def clean(fragment: str, rewrite: Rewrite | None = None, *, own_tags: bool = False) -> str:
    """Return `fragment` sanitised; `rewrite(tag, attr, value)` decides content-written href/src.

    `own_tags` says every tag in `fragment` is the renderer's (a markdown body with no `<` in it: no
    raw HTML, no comment): balanced, their text and attribute values escaped. Then the depth limit is
    checked by `depth_bound` before any tag is parsed, and every `&amp;` (the renderer's escape of a
    `&`, which the cleaner would decode and escape again) passes the cleaner as one character that
    is not a `&`. The result is the same string either way (tests/test_fast_sanitize.py).
    """
    fragment = lazy_images(fragment)
    if not own_tags or depth_bound(fragment) > MAX_DEPTH:
        fragment = limit_depth(fragment)
    stand_in = _AMP in fragment and _STAND_IN not in fragment if own_tags else (
        fragment.count("&") >= MANY_AMPS and _STAND_IN not in fragment)
    if stand_in:
        fragment = fragment.replace(_AMP, _STAND_IN) if own_tags else _stood_in(fragment)
    token = _handler.set(rewrite)
    try:
        html = _cleaner().clean(fragment)
    finally:
        _handler.reset(token)
    return html.replace(_STAND_IN, _AMP) if stand_in else html
