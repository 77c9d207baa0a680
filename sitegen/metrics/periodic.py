"""Periodic reports (週報、月報、季報…): which each member owes, which they filed, and when.

A role's periodic reports are set in ``reports.periodic`` of sitegen.yaml. One is owed for each week
(month, quarter, half-year, year) that has ended by the as-of day, from the team's first daily
report (or the member's joining) to their leaving; a report of that kind dated within the period
covers it. Lateness is the daily rule counted from the period's last day: late when the report's
file was first committed at or after ``late_after_time`` on the day ``late_after_days`` after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..periods import REPORT_CADENCES, report_period
from ..records import TeamRecords
from .facts import Facts

CADENCE_OF = {kind: cadence for cadence, kind in REPORT_CADENCES.items()}  # "weekly" -> "week"


@dataclass(frozen=True)
class PeriodicReport:
    """One periodic report a member owes, and the report that covers it (None: missing)."""

    member: str
    kind: str  # weekly, monthly, quarterly, half-yearly, yearly
    start: date
    end: date
    report: str | None
    filed_on: date | None  # the report's date
    late: bool | None  # None: missing, or not judged (no commit time for its file)


def compute_periodic(records: TeamRecords, facts: Facts, commit_times: dict[str, datetime]) -> dict[str, list[PeriodicReport]]:
    """Member -> every periodic report they owe as of the day, newest first."""
    required = records.config.reports.periodic
    if not required or not facts.daily_reports:
        return {}
    rules = records.config.reports
    clock, zone = time.fromisoformat(rules.late_after_time), ZoneInfo(records.config.timezone)
    first_day = min(day for (_, day) in facts.daily_reports)
    filed: dict[tuple[str, str], list[tuple[date, str]]] = {}
    for rid, report in records.reports.items():
        if report.kind != "daily" and report.date <= facts.as_of:
            filed.setdefault((report.member, report.kind), []).append((report.date, rid))
    found: dict[str, list[PeriodicReport]] = {}
    for member in records.team.members:
        begin = max(first_day, member.joined or first_day)
        for kind in required.get(member.role, []):
            own = sorted(filed.get((member.id, kind), []))
            start, end = report_period(CADENCE_OF[kind], begin)
            while end <= facts.as_of and (member.left is None or start <= member.left):
                covering, filed_on = next(((rid, day) for day, rid in own if start <= day <= end), (None, None))
                late = None
                if covering is not None and (committed := commit_times.get(records.source_path("report", covering))) is not None:
                    late = committed.astimezone(zone).replace(tzinfo=None) >= datetime.combine(end + timedelta(days=rules.late_after_days), clock)
                found.setdefault(member.id, []).append(PeriodicReport(member.id, kind, start, end, covering, filed_on, late))
                start, end = report_period(CADENCE_OF[kind], end + timedelta(days=1))
    for reports in found.values():
        reports.sort(key=lambda r: (r.end, r.kind), reverse=True)
    return found
