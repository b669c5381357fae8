"""The Jinja environment: the knowledge base's own templates first, then the default theme.

A user overrides one template by putting a file of the same name in `templates/` under the
knowledge-base root, and can still extend the original as `default:entry.html`.
"""

from __future__ import annotations

import datetime as dt
import os

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from notebase.config import Config
from notebase.render.labels import labels
from notebase.render.theme import template_dirs, theme_dir
from notebase.render.urls import absolute, relative, root_prefix

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def make_env(config: Config) -> Environment:
    """Return the Jinja environment for one build, with the site's helpers as globals."""
    theme = theme_dir()
    loader = ChoiceLoader([FileSystemLoader([str(d) for d in template_dirs(config)]),
                           PrefixLoader({"default": FileSystemLoader(str(theme))}, delimiter=":")])
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, auto_reload=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=TemplateCache(str(config.cache_path / TEMPLATE_CACHE)))
    words = labels(config.language)
    env.globals.update(t=words, site=config, url=_url, month_label=_month_label(config.language))
    env.filters["day"] = _day
    env.filters["safe_url"] = safe_url
    return env


TEMPLATE_CACHE = "templates"  # in the cache folder


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in the cache folder, so a build after one edit does not compile the theme
    again (0.2 s of it). Jinja keys each by the template's file and checks its source, so an edited
    template is compiled anew. Keeping one is never worth failing a build: a folder that cannot be
    written only means compiling next time too."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template (its folder made on first use); a write that fails is let go."""
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@pass_context
def _url(ctx, to_path: str) -> str:
    """Link from the page being rendered to a site path: relative, or absolute on pages served anywhere."""
    if ctx.get("absolute_links"):
        return absolute(ctx["site"].base_url, to_path)
    return relative(ctx["page_path"], to_path)


def page_context(config: Config, page_path: str, absolute_links: bool = False) -> dict:
    """Return what every page template gets: its path, the prefix to the root, how to link."""
    root = absolute(config.base_url, "") if absolute_links else root_prefix(page_path)
    return {"page_path": page_path, "root": root, "absolute_links": absolute_links}


def safe_url(value: str | None) -> str:
    """Return a URL from content when it is http(s) or mailto, else '' (never javascript: or data:)."""
    text = (value or "").strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("http", "https", "mailto") and not any(c in text for c in "\x00\n\r\t<>\"'`"):
        return text
    return ""


def _day(value: dt.date) -> str:
    return value.isoformat()


def _month_label(language: str):
    def label(key: str) -> str:
        year, month = key.split("-")
        if language == "ko":
            return f"{int(year)}년 {int(month)}월"
        return f"{_MONTHS_EN[int(month) - 1]} {year}"
    return label
