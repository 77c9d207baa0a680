"""Recognition (激勵): what a team celebrates — a member's first deal, their best period yet, and
streaks of reports filed and of activity on target — each dated on the day it happened, so the
daily meeting of that day can say it. ``recognition`` in sitegen.yaml turns each off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..periods import period_containing
from ..records import TeamRecords
from .action import ActionMetrics
from .facts import Facts

if TYPE_CHECKING:  # an annotation only
    from .ledger import Ledger


@dataclass(frozen=True)
class Recognition:
    kind: str  # first_deal, record_period, report_streak, target_streak
    member: str
    day: date
    figure: float  # the deal's amount, the period's revenue, or the streak's length in working days
    period: str = ""  # record_period: which period (2026-11)


def compute_recognition(records: TeamRecords, facts: Facts, action: ActionMetrics, ledger: Ledger) -> list[Recognition]:
    """Every recognition up to the as-of day, newest first."""
    rules = records.config.recognition
    found: list[Recognition] = []
    deals = sorted((d for d in facts.deals if d.date <= facts.as_of), key=lambda d: (d.date, d.member, -d.amount))
    if rules.first_deal:
        first: dict[str, Recognition] = {}
        for d in deals:
            first.setdefault(d.member, Recognition("first_deal", d.member, d.date, d.amount))
        found += first.values()
    if rules.record_month:
        found += _record_periods(deals, records.config.goal_period)
    for kind, length in (("report_streak", rules.report_streak), ("target_streak", rules.target_streak)):
        if length:
            found += _streaks(records, facts, action, ledger, kind, length)
    return sorted(found, key=lambda r: (r.day, r.member, r.kind), reverse=True)


def _record_periods(deals, goal_period: str) -> list[Recognition]:
    """The day a member's running revenue in a period passed their best earlier period's (with at
    least two earlier periods on record, so a first good month is not a record)."""
    found = []
    totals: dict[str, dict[str, float]] = {}  # member -> period -> revenue so far
    for d in deals:
        key = period_containing(d.date, goal_period).key
        mine = totals.setdefault(d.member, {})
        earlier = [v for k, v in mine.items() if k < key]
        before = mine.get(key, 0.0)
        mine[key] = before + d.amount
        if len(earlier) >= 2 and before <= max(earlier) < mine[key]:
            found.append(Recognition("record_period", d.member, d.date, mine[key], key))
    return found


def _streaks(records: TeamRecords, facts: Facts, action: ActionMetrics, ledger: Ledger, kind: str, length: int) -> list[Recognition]:
    """The day a member's run of owed working days with a report filed (or with activity at or
    above target) reached ``length``, and each further ``length`` days of the same run. Every
    working day counts, a day nobody reported on too: it breaks everyone's run."""
    if not facts.daily_reports:
        return []
    first = min(day for _member, day in facts.daily_reports)
    days = sorted(set(facts.calendar.working_days(first, facts.as_of)) | set(action.meetings))
    found = []
    for member in records.team.members:
        if member.id not in facts.reporting_members:
            continue
        run = 0
        for day in days:
            row = ledger.day(member, day)
            if not row.owed:
                continue
            share = row.share_of_target
            run = run + 1 if (row.reported if kind == "report_streak" else share is not None and share >= 1.0) else 0
            if run and run % length == 0:
                found.append(Recognition(kind, member.id, day, run))
    return found
