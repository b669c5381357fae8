"""Static assets: the theme's static/ folder (a user's own files win) and the code highlighting CSS."""

from __future__ import annotations

from pathlib import Path

from notebase.config import Config
from notebase.render.markup import pygments_css
from notebase.render.theme import template_dirs
from notebase.site.writer import Writer


def static_files(config: Config) -> dict[str, Path]:
    """Return {site path: file} for every static asset, the knowledge base's own over the theme's."""
    files: dict[str, Path] = {}
    for folder in reversed(template_dirs(config)):
        static = folder / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files["static/" + path.relative_to(static).as_posix()] = path
    return files


def emit_assets(config: Config, writer: Writer) -> None:
    """Copy the static assets and write static/code.css for highlighted code, light and dark."""
    for rel, path in sorted(static_files(config).items()):
        writer.copy(rel, path)
    writer.write("static/code.css", pygments_css().encode("utf-8"))
