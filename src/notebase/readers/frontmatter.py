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
    if problem:
        return FrontMatter(key_lines=key_lines, body=body, body_line=end + 2, kind=kind), [problem]
    return FrontMatter(meta, key_lines, body, end + 2, kind), []


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
        return {}, Problem(
            rel, line, f"invalid YAML front matter: {what}",
            "check the indentation, and quote values that contain ': ' or start with [ { * & !",
        )
    except yaml.YAMLError as exc:
        return {}, Problem(rel, 2, f"invalid YAML front matter: {exc}", "check the metadata block")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, Problem(
            rel, 2, f"front matter must be 'key: value' lines, not a {type(data).__name__}",
            "write e.g. 'title: My note' on its own line",
        )
    return {str(k): v for k, v in data.items()}, None


def _parse_toml(block: str, rel: str) -> tuple[dict, Problem | None]:
    try:
        return tomllib.loads(block), None
    except tomllib.TOMLDecodeError as exc:
        first_error = exc
    # Hugo writes trailing commas inside inline tables; TOML 1.0 forbids them there.
    try:
        return tomllib.loads(re.sub(r",(\s*)}", r"\1}", block)), None
    except tomllib.TOMLDecodeError:
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
