"""Problems are values: every stage returns them instead of raising, and the edges print them.

A problem names the file (relative to the team's root, POSIX slashes), the 1-based line and
column, the field path inside the record (``deals[1].amount``), what is wrong and, where it
helps, a hint saying what to write instead. What is wrong and the hint are ``Text``: translated
where they are shown (a page, the terminal), in the reader's language.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from .i18n import N_, NO_TEXT, English, Language, Text, msg, msg_plural

Severity = Literal["error", "warning"]
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}  # for the catalogs: shown through words(severity)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: Text
    hint: Text = NO_TEXT

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        # messages are Text values, which do not order: their English text does
        return (self.path, self.line, self.column, self.severity != "error", self.field, str(self.message), str(self.hint))

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def headline(self, words: Language = English) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{field}{words(self.message)}"


MAX_PER_FILE = 50  # beyond this, one line says how many more: a broken file never buries the others


def cap_per_file(found: list[Problem], limit: int = MAX_PER_FILE) -> list[Problem]:
    """The first ``limit`` problems of one file, then one line counting the rest."""
    if len(found) <= limit:
        return found
    ordered = sort_problems(found)
    kept, dropped = ordered[:limit], ordered[limit:]
    first = dropped[0]  # located where the unlisted ones begin
    return kept + [Problem(first.path, first.line, first.column, "error" if any(p.is_error for p in dropped) else "warning",
                           "", msg_plural("and {count:,} more problem in this file", "and {count:,} more problems in this file", len(dropped)),
                           msg("fix the ones above first; the rest often follow from them"))]


def error(path: str, line: int, column: int, field: str, message: Text, hint: Text = NO_TEXT) -> Problem:
    return Problem(path, line, column, "error", field, message, hint)


def warning(path: str, line: int, column: int, field: str, message: Text, hint: Text = NO_TEXT) -> Problem:
    return Problem(path, line, column, "warning", field, message, hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = {p: None for p in problems}  # keep first occurrence, drop exact repeats
    return sorted(unique, key=Problem.sort_key)


def count_summary(problems: list[Problem]) -> Text:
    """"2 errors, 1 warning in 3 files", in words each language can put in its own order."""
    errors = sum(p.is_error for p in problems)
    return msg("{errors}, {warnings} in {files}",
               errors=msg_plural("{count:,} error", "{count:,} errors", errors),
               warnings=msg_plural("{count:,} warning", "{count:,} warnings", len(problems) - errors),
               files=msg_plural("{count:,} file", "{count:,} files", len({p.path for p in problems})))


def _is_hidden(ch: str) -> bool:
    """Characters a terminal would act on or a reader cannot see: controls (escape sequences,
    newlines inside a value), format characters (zero-width spaces, direction marks), and the
    spaces other than the ordinary one."""
    category = unicodedata.category(ch)
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and ch != " ")


def reveal(text: str) -> str:
    """``text`` safe to print and plain to read: every hidden character shown as <U+XXXX>, so a
    terminal runs no escape sequence from a record or file name, and two ids that look alike
    are told apart."""
    if text.isprintable() and not any(_is_hidden(ch) for ch in text if ord(ch) > 0x7f):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if _is_hidden(ch) else ch for ch in text)


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """(1-based position, "U+200B ZERO WIDTH SPACE") for each hidden character in ``text``."""
    return [(i, f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}")
            for i, ch in enumerate(text, start=1) if _is_hidden(ch)]


def format_text(problems: list[Problem], words: Language = English) -> str:
    """The human format: ``path:line:col: severity: field: message`` and an indented hint, one
    line each whatever the values hold (see ``reveal``)."""
    lines = []
    for p in problems:
        lines.append(f"{reveal(p.location())}: {words(p.severity)}: {reveal(p.headline(words))}")
        if p.hint:
            lines.append("  " + words(msg("hint: {hint}", hint=reveal(words(p.hint)))))
    lines.append(words(count_summary(problems)))
    return "\n".join(lines)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: list[Problem], words: Language = English) -> str:
    """GitHub Actions workflow commands, which annotate the offending lines of a pull request."""
    lines = []
    for p in problems:
        message = reveal(p.headline(words)) + ("\n" + words(msg("hint: {hint}", hint=reveal(words(p.hint)))) if p.hint else "")
        lines.append(
            f"::{p.severity} file={_github_escape(reveal(p.path), property_value=True)},"
            f"line={p.line},col={p.column},title={_github_escape('sitegen ' + p.severity, property_value=True)}"
            f"::{_github_escape(message)}"
        )
    lines.append(words(count_summary(problems)))
    return "\n".join(lines)


def format_json(problems: list[Problem], words: Language = English) -> str:
    """For programs: each problem's fields, its message and hint in the reader's language and in
    English (``message_en``, stable across languages for scripts that match on it)."""
    return json.dumps([{**{k: v for k, v in asdict(p).items() if k not in ("message", "hint")},
                        "message": words(p.message), "hint": words(p.hint),
                        "message_en": English(p.message), "hint_en": English(p.hint)} for p in problems],
                      ensure_ascii=False, indent=2)
