"""Errors raised by the library and problems collected while loading a knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a problem is: errors fail the command, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, pointing at the file and line to fix."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    once: str = field(default="", compare=False)  # problems sharing this key are reported once

    def __str__(self) -> str:
        # Line 0 means the problem is the file or folder as a whole: no line to point at.
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        warning = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{where}: {warning}{self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        """Return a JSON-ready dict of this problem."""
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def once_each(problems: list[Problem]) -> list[Problem]:
    """Drop every problem whose `once` key an earlier problem already carried."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        if problem.once:
            if problem.once in seen:
                continue
            seen.add(problem.once)
        kept.append(problem)
    return kept


class NotebaseError(Exception):
    """Base class of every error the library raises on purpose."""


class ConfigError(NotebaseError):
    """The configuration cannot be used; carries every problem found at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SourceError(NotebaseError):
    """One input cannot be read; carries the problem that says where and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class EntryNotFound(NotebaseError):
    """An entry id that does not exist was asked for."""
