"""The whole build, readable top to bottom: load → validate → compute → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .checks import check_records
from .problems import Problem, sort_problems
from .records import Records, load_records


@dataclass
class Validation:
    records: Records
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def validate(root: Path, as_of: date) -> Validation:
    """Load every record and run every check; nothing is written."""
    records, problems = load_records(root)
    problems += check_records(records)
    return Validation(records, sort_problems(problems))
