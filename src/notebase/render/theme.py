"""Where templates are looked up: light to import (a build that finds nothing changed stamps them without Jinja)."""

from __future__ import annotations

from pathlib import Path

from notebase.config import Config


def theme_dir() -> Path:
    """Return the default theme: packaged beside the code in a wheel, else the clone's templates/."""
    packaged = Path(__file__).parents[1] / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def template_dirs(config: Config) -> list[Path]:
    """Return the folders templates are looked up in, the user's first."""
    user = config.root / "templates"
    theme = theme_dir()
    dirs = [user] if user.is_dir() and user.resolve() != theme.resolve() else []
    return dirs + [theme]
