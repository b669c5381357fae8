"""Knowledge-base settings from an optional notebase.yaml, checked all at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from notebase.errors import ConfigError, Problem

_KIND = {str: "a string", int: "a whole number", list: "a list", dict: "a mapping", bool: "true/false",
         float: "a number"}
CONFIG_NAMES = ("notebase.yaml", "notebase.yml")
MOST_RELATED = 20  # related entries a page may show (`related:`)

# name, default, accepted types, help
OPTIONS: tuple[tuple[str, Any, tuple[type, ...], str], ...] = (
    ("title", "notebase", (str,), "the knowledge base's name, shown on the site"),
    ("author", None, (str,), "who keeps these notes"),
    ("language", "ko", (str,), "UI language of the site: ko or en"),
    ("base_url", "/", (str,), "where the site is served, e.g. /notes/ for a GitHub Pages project"),
    ("notes_dir", "notes", (str,), "folder of notes and feeds, relative to the root"),
    ("output_dir", "site", (str,), "folder the site is built into"),
    ("cache_dir", ".notebase", (str,), "folder for the search index and caches"),
    ("max_file_size", 5_000_000, (int,), "largest note file read, in bytes"),
    ("exclude", (), (list,), "files under notes_dir to skip, as .gitignore lines ('private' skips private/)"),
    ("templates", ("templates", "_templates"), (list,),
     "folders of note templates (Obsidian, Templater) under notes_dir: skipped, never notes"),
    ("drafts", False, (bool,), "build drafts too (a preview; `notebase build --drafts` does the same)"),
    ("explicit_publish", False, (bool,), "publish only notes with 'publish: true' (else all but 'publish: false')"),
    ("repo_url", None, (str,), "the repository of these notes, e.g. https://github.com/me/notes: pages get an edit link"),
    ("edit_uri", None, (str,), "path from repo_url to a note's folder for editing (default: edit/main/<notes_dir>/)"),
    ("feeds", {}, (dict,), "per-feed settings: {path: {type: paper, tags: [a]}}"),
    ("glossary", (), (list,), "extra search synonyms: ['확산 모델 = diffusion model', ...]"),
    ("topics", True, (bool,), "find each entry's concept topics (pages, feeds, topic: search); false: none"),
    ("topics_add", (), (list,), "more topic concepts: ['상태 공간 모델 = state space model', 'mamba', ...]"),
    ("topics_stop", (), (list,), "concepts that are never topics, by any of their terms: ['transformer', ...]"),
    ("related", 5, (int,), "related entries shown on each entry's page (shared tags, topics, rare words); 0: none"),
    ("folders", True, (bool,), "offer the notes' folders as categories, a page per folder; false turns them off"),
)


@dataclass(frozen=True)
class Config:
    """Validated settings, with paths resolved against the knowledge-base root."""

    root: Path
    title: str = "notebase"
    author: str | None = None
    language: str = "ko"
    base_url: str = "/"
    notes_dir: str = "notes"
    output_dir: str = "site"
    cache_dir: str = ".notebase"
    max_file_size: int = 5_000_000
    exclude: tuple[str, ...] = ()
    templates: tuple[str, ...] = ("templates", "_templates")
    drafts: bool = False
    explicit_publish: bool = False
    repo_url: str | None = None
    edit_uri: str | None = None
    feeds: dict[str, dict] = field(default_factory=dict)
    glossary: tuple = ()  # each item 'a = b' or a list of synonymous terms
    topics: bool = True
    topics_add: tuple = ()  # each item 'a = b', one term, or a list of synonymous terms
    topics_stop: tuple[str, ...] = ()
    related: int = 5
    folders: bool = True

    @cached_property
    def notes_path(self) -> Path:
        """The folder of notes."""
        return (self.root / self.notes_dir).resolve()

    @cached_property
    def output_path(self) -> Path:
        """The folder the site is written to."""
        return (self.root / self.output_dir).resolve()

    @cached_property
    def cache_path(self) -> Path:
        """The folder for the index and caches."""
        return (self.root / self.cache_dir).resolve()


def load_config(root: Path | str = ".") -> Config:
    """Read notebase.yaml under root if there is one; raise ConfigError listing every problem."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ConfigError([Problem(str(root), 1, "knowledge-base root is not a folder",
                                   "pass --root DIR with an existing folder")])
    path = next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)
    if path is None:
        return Config(root=root)
    import yaml  # only when there is a config file: `notebase search` starts faster without it

    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ConfigError([Problem(path.name, line, f"invalid YAML: {exc.problem}",
                                   "check the indentation and quoting")]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem(path.name, 1, "notebase.yaml must be 'key: value' lines",
                                   "write e.g. 'title: My notes'")])
    return Config(root=root, **_validate(data, text, path.name))


def _validate(data: dict, text: str, name: str) -> dict[str, Any]:
    lines = {m[1]: n + 1 for n, line in enumerate(text.split("\n")) if (m := re.match(r"^(\w+)\s*:", line))}
    known = {option[0]: option for option in OPTIONS}
    problems, values = [], {}
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if key not in known:
            import difflib

            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
            problems.append(Problem(name, line, f"unknown key '{key}'", hint))
            continue
        _, default, types, help_text = known[key]
        if value is None:
            continue
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            want = " or ".join(_KIND[t] for t in types)
            problems.append(Problem(name, line, f"'{key}' must be {want}, not {_KIND.get(type(value), 'that')}",
                                    f"{key}: {help_text}"))
            continue
        values[key] = tuple(value) if isinstance(value, list) else value
    if values.get("language", "ko") not in ("ko", "en"):
        problems.append(Problem(name, lines.get("language", 1), f"unknown language '{values['language']}'",
                                "use ko or en"))
    for key in ("notes_dir", "output_dir", "cache_dir"):
        if key in values and Path(values[key]).is_absolute() is False and ".." in Path(values[key]).parts:
            problems.append(Problem(name, lines.get(key, 1), f"'{key}' must stay inside the root",
                                    "use a folder name such as 'site'"))
    if "repo_url" in values and not re.match(r"https?://[^/\s]+", values["repo_url"]):
        problems.append(Problem(name, lines.get("repo_url", 1), "'repo_url' must be an http(s) address",
                                "write e.g. repo_url: https://github.com/me/notes"))
    for feed, settings in values.get("feeds", {}).items():
        if not isinstance(settings, dict):
            problems.append(Problem(name, lines.get("feeds", 1), f"feeds: '{feed}' must map to settings",
                                    "write feeds: {blog.xml: {type: paper, tags: [blog]}}"))
    for item in values.get("glossary", ()):
        terms = item.split("=") if isinstance(item, str) else item if isinstance(item, list) else []
        if len([t for t in terms if str(t).strip()]) < 2:
            problems.append(Problem(name, lines.get("glossary", 1), f"glossary: cannot read {item!r}",
                                    "write each concept as 'term = synonym', e.g. '확산 모델 = diffusion model'"))
    for item in values.get("topics_add", ()):
        terms = item.split("=") if isinstance(item, str) else item if isinstance(item, list) else []
        if not [t for t in terms if str(t).strip()]:
            problems.append(Problem(name, lines.get("topics_add", 1), f"topics_add: cannot read {item!r}",
                                    "write each concept as a term, or 'term = synonym', e.g. 'mamba = 맘바'"))
    if not 0 <= values.get("related", 5) <= MOST_RELATED:
        problems.append(Problem(name, lines.get("related", 1), f"related: {values['related']} is out of range",
                                f"write a number from 0 (no related entries) to {MOST_RELATED}"))
    for item in values.get("topics_stop", ()):
        if not isinstance(item, str) or not item.strip():
            problems.append(Problem(name, lines.get("topics_stop", 1), f"topics_stop: cannot read {item!r}",
                                    "name each concept by one of its terms, e.g. 'transformer'"))
    if problems:
        raise ConfigError(problems)
    return values


def option_names() -> list[str]:
    """Return the names of every config key, in table order."""
    return [f.name for f in fields(Config) if f.name != "root"]
