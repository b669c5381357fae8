"""Shared fixtures: small knowledge bases written into tmp_path, and the shared test material."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebase.config import load_config
from notebase.load.loader import load

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def write_notes(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root/notes and return that folder."""
    notes = root / "notes"
    for rel, content in files.items():
        path = notes / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    notes.mkdir(exist_ok=True)
    return notes


@pytest.fixture
def kb(tmp_path):
    """Return a function that writes {relative path: text or bytes} under notes/ and loads it."""
    def make(files: dict[str, str | bytes], config: str | None = None):
        write_notes(tmp_path, files)
        if config is not None:
            (tmp_path / "notebase.yaml").write_text(config, encoding="utf-8")
        return load(load_config(tmp_path))
    return make


FIGURES: list[str] = []


def record_figure(line: str) -> None:
    """Keep a measured figure to print in pytest's summary."""
    FIGURES.append(line)


def pytest_terminal_summary(terminalreporter):
    """Print the figures the tests measured (relevance scores) after the results."""
    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
