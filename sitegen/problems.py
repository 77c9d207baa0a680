"""Problems are values: every stage returns them instead of raising, and the edges print them.

A problem names the file (relative to the team's root, POSIX slashes), the 1-based line and
column, the field path inside the record (``deals[1].amount``), what is wrong and, where it
helps, a hint saying what to write instead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.severity != "error", self.field, self.message)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def headline(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{field}{self.message}"


def error(path: str, line: int, column: int, field: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, column, "error", field, message, hint)


def warning(path: str, line: int, column: int, field: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, column, "warning", field, message, hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = {p: None for p in problems}  # keep first occurrence, drop exact repeats
    return sorted(unique, key=Problem.sort_key)


def count_summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def format_text(problems: list[Problem]) -> str:
    """The human format: ``path:line:col: severity: field: message`` and an indented hint."""
    lines = []
    for p in problems:
        lines.append(f"{p.location()}: {p.severity}: {p.headline()}")
        if p.hint:
            lines.append(f"  hint: {p.hint}")
    lines.append(count_summary(problems))
    return "\n".join(lines)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, which annotate the offending lines of a pull request."""
    lines = []
    for p in problems:
        message = p.headline() + (f"\nhint: {p.hint}" if p.hint else "")
        lines.append(
            f"::{p.severity} file={_github_escape(p.path, property_value=True)},"
            f"line={p.line},col={p.column},title={_github_escape('sitegen ' + p.severity, property_value=True)}"
            f"::{_github_escape(message)}"
        )
    lines.append(count_summary(problems))
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
