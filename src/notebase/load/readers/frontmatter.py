"""Split YAML (`---`) or TOML (`+++`) front matter off a note, keeping real line numbers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from notebase.errors import Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as strings, so one parser reads every date shape."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.copy().items()
}

MAX_DEPTH = 32  # front matter nested deeper than this is no metadata anyone writes
# A value's size with every alias expanded: strings count their length, the rest one each. A
# YAML alias bomb is a few hundred bytes that expand to billions: refuse it before anything walks it.
MAX_EXPANDED = 200_000
_KEY_LINE = re.compile(r"^([A-Za-z_\uac00-\ud7a3][\w\-\uac00-\ud7a3]*)\s*[:=]")
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class FrontMatter:
    """What a note's front matter said, the line of each key, and the body after it."""

    meta: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    kind: str | None = None  # yaml, toml or None


def split_front_matter(text: str, rel: str) -> tuple[FrontMatter, list[Problem]]:
    """Separate front matter from the body; a `---` followed by prose is not front matter."""
    lines = text.split("\n")
    fence = lines[0].rstrip() if lines else ""
    if fence not in ("---", "+++"):
        return FrontMatter(body=text), []
    closers = ("---", "...") if fence == "---" else ("+++",)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in closers), None)
    block_lines = lines[1:end] if end is not None else lines[1:]
    if not _looks_like_metadata(block_lines):
        return FrontMatter(body=text), []
    if end is None:
        return FrontMatter(body=text), [Problem(
            rel, 1, f"front matter opened with '{fence}' is never closed",
            f"did you forget the closing '{fence}' line after the metadata?",
        )]
    block = "\n".join(block_lines)
    key_lines = {}
    for i, line in enumerate(block_lines):
        m = _KEY_LINE.match(line)
        if m:
            key_lines.setdefault(m[1], i + 2)
    body = "\n".join(lines[end + 1:])
    parse = _parse_yaml if fence == "---" else _parse_toml
    meta, problem = parse(block, rel)
    kind = "yaml" if fence == "---" else "toml"
    bounded = bounds_problem(meta, rel, max(MAX_EXPANDED, 4 * len(block))) if meta else None
    if bounded:
        return FrontMatter(key_lines=key_lines, body=body, body_line=end + 2, kind=kind), [bounded]
    if meta and "{{" in body:
        body = page_variables(body, meta)
    # Invalid YAML still reported, with the keys that read on their own kept (see _recover_yaml).
    return FrontMatter(meta, key_lines, body, end + 2, kind), [problem] if problem else []


# `{{ page.paper_ref }}`: Jekyll shows the page's own front matter value there (no filters).
_PAGE_VARIABLE = re.compile(r"\{\{-?[ \t]{0,20}page\.([A-Za-z_][\w-]{0,63})[ \t]{0,20}-?\}\}")


def page_variables(body: str, meta: dict[str, Any]) -> str:
    """Put a one-line front matter value where the body names it as Jekyll's `{{ page.key }}`, as Jekyll shows it.

    Others (a list, a missing key, a value of several lines) stay for the renderer, which
    removes Liquid variables with a warning.
    """
    def value(match: re.Match) -> str:
        found = meta.get(match[1])
        if isinstance(found, bool) or not isinstance(found, (str, int, float)) or "\n" in str(found):
            return match[0]
        return str(found)

    return _PAGE_VARIABLE.sub(value, body)


class _Unbounded(Exception):
    """A value nests too deeply or expands too far."""


def expanded_size(value: Any, limit: int, depth: int = MAX_DEPTH) -> int:
    """Return a value's size with shared (aliased) parts counted each time; raise past limit or depth.

    Shared parts are measured once (memoised by identity), so a bomb is refused in time linear in
    what was parsed, not in what it would expand to; a value that contains itself is too deep.
    """
    memo: dict[int, tuple[int, int]] = {}  # id -> (expanded size, height)

    def walk(node: Any, level: int) -> tuple[int, int]:
        if isinstance(node, str):
            return 1 + len(node), 0
        if isinstance(node, dict):
            children: Any = [*node.keys(), *node.values()]
        elif isinstance(node, (list, tuple, set, frozenset)):
            children = node
        else:
            return 1, 0
        known = memo.get(id(node))
        if known is None:
            if level >= depth:
                raise _Unbounded(f"nests more than {depth} levels deep")
            size, height = 1, 0
            for child in children:
                child_size, child_height = walk(child, level + 1)
                size, height = size + child_size, max(height, child_height + 1)
                if size > limit:
                    raise _Unbounded(f"expands to more than {limit:,} values and characters")
            known = memo[id(node)] = (size, height)
        if level + known[1] > depth:
            raise _Unbounded(f"nests more than {depth} levels deep")
        return known

    return walk(value, 0)[0]


def bounds_problem(meta: Any, rel: str, limit: int = MAX_EXPANDED, line: int = 2,
                   what: str = "front matter") -> Problem | None:
    """Return a problem when parsed metadata nests too deeply or its aliases expand too far."""
    try:
        expanded_size(meta, limit)
    except _Unbounded as exc:
        return Problem(rel, line, f"{what} refused: it {exc}",
                       "write plain 'key: value' lines; YAML aliases (*name) must not repeat large values")
    return None


def _looks_like_metadata(block_lines: list[str]) -> bool:
    first = next((line for line in block_lines if line.strip() and not line.lstrip().startswith("#")), "")
    return bool(_KEY_LINE.match(first))


def _parse_yaml(block: str, rel: str) -> tuple[dict, Problem | None]:
    try:
        data = yaml.load(block, Loader=_Loader)  # noqa: S506 - the loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark else 2
        what = exc.problem or "invalid syntax"
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            what += f" (in {exc.context.replace('while parsing ', '')} that starts on line "\
                    f"{exc.context_mark.line + 2})"
        return _recover_yaml(block), Problem(
            rel, line, f"invalid YAML front matter: {what}",
            "check the indentation, and quote values that contain ': ' or start with [ { * & ! "
            "(the keys that read on their own were kept)",
        )
    except yaml.YAMLError as exc:
        return _recover_yaml(block), Problem(rel, 2, f"invalid YAML front matter: {exc}", "check the metadata block")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, Problem(
            rel, 2, f"front matter must be 'key: value' lines, not a {type(data).__name__}",
            "write e.g. 'title: My note' on its own line",
        )
    return {str(k): v for k, v in data.items()}, None


def _recover_yaml(block: str) -> dict:
    """Read what an invalid YAML block meant, key by key: `title: CNN: A Vision…` (a colon left
    unquoted, the commonest slip) is the text after the first colon; a key whose own lines are valid
    YAML keeps its value; a broken list (`tags: [a, b`) or a key with no text on its line is dropped."""
    found: dict = {}
    chunks: list[list[str]] = []
    for line in block.split("\n"):
        if _KEY_LINE.match(line) and not line[:1].isspace():
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
    for chunk in chunks:
        key, _, value = chunk[0].partition(":")
        try:
            data = yaml.load("\n".join(chunk), Loader=_Loader)  # noqa: S506 - the loader is a SafeLoader
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and len(data) == 1:
            found.update({str(k): v for k, v in data.items()})
        elif value.strip() and not value.strip().startswith(("[", "{", "*", "&", "!", "|", ">")):
            found[key.strip()] = value.strip().strip("'\"")  # a broken list or reference is dropped, not guessed
    return found


def _parse_toml(block: str, rel: str) -> tuple[dict, Problem | None]:
    try:
        return tomllib.loads(block), None
    except tomllib.TOMLDecodeError as exc:
        first_error = exc
    except RecursionError:  # tomllib recurses per nested array or inline table
        return {}, Problem(rel, 2, f"TOML front matter refused: it nests more than {MAX_DEPTH} levels deep",
                           "write plain key = value lines")
    # Hugo writes trailing commas inside inline tables; TOML 1.0 forbids them there.
    try:
        return tomllib.loads(re.sub(r",(\s*)}", r"\1}", block)), None
    except (tomllib.TOMLDecodeError, RecursionError):
        pass
    m = _TOML_LINE.search(str(first_error))
    # tomllib says "at end of document" for an error on the last line: that line, in the file.
    line = int(m[1]) + 1 if m else len(block.rstrip("\n").split("\n")) + 1
    message = _TOML_LINE.sub("", str(first_error)).replace("(, column", "(column")
    message = message.replace(" (at end of document)", "").strip()
    return {}, Problem(
        rel, line, f"invalid TOML front matter: {message}",
        "quote strings, and write arrays as [\"a\", \"b\"]",
    )
