"""Action management (part 3): daily counts by channel against targets, report compliance, and the
daily meeting — everyone's report of a day side by side."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..periods import WEEKDAYS, Period
from ..records import TeamRecords
from .facts import Facts

if TYPE_CHECKING:  # the ledger makes days by this module's rule and imports it
    from .ledger import Ledger


@dataclass
class DayActivity:
    member: str
    date: date
    actual: dict[str, int]
    target: dict[str, int]
    reported: bool
    working: bool = True  # False: a report filed on a day off (its contacts count all the same)
    owed: int = 0  # reports owed that day: 0 (a day off, before joining or after leaving), 1, or 2 (half-days)

    @property
    def below_target(self) -> list[str]:
        return [c for c, t in self.target.items() if t and self.actual.get(c, 0) < t]

    @property
    def share_of_target(self) -> float | None:
        """Contacts on the channels with a target, as a share of those targets (None: no target)."""
        target = sum(t for t in self.target.values() if t)
        return sum(self.actual.get(c, 0) for c, t in self.target.items() if t) / target if target else None


@dataclass
class Compliance:
    member: str
    expected: int = 0
    submitted: int = 0
    late: int = 0
    judged: int = 0  # reports whose lateness could be judged (see docs: git commit times)
    missing_days: list[date] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.submitted)

    @property
    def rate(self) -> float | None:
        return min(1.0, self.submitted / self.expected) if self.expected else None


@dataclass
class ActionMetrics:
    period: Period
    days: list[date]  # working days of the period up to the as-of date
    activity: dict[str, list[DayActivity]]  # member -> one row per working day
    totals: dict[str, dict[str, tuple[int, int]]]  # member ("" = team) -> channel -> (actual, target) over the period
    compliance: dict[str, Compliance]
    meeting_dates: list[date]  # days that have a daily meeting page
    below_days: dict[str, tuple[int, int]]  # member -> (working days below target, working days)
    today: TodaySummary | None  # the last working day up to the as-of day
    meetings: dict[date, list[DayActivity]]  # every meeting day, of any period: who owed or filed a report, and what they did
    follow_through: dict[date, list[PlanFollowThrough]]  # every meeting day: yesterday's planned contacts against the day's

    def share_of_target(self, member: str = "") -> float | None:
        """A member's (or the team's, "") contacts over the period on the channels with a target,
        as a share of those targets."""
        totals = [(a, t) for a, t in self.totals.get(member, {}).values() if t]
        target = sum(t for _, t in totals)
        return sum(a for a, _ in totals) / target if target else None


@dataclass(frozen=True)
class TodaySummary:
    """The home page's morning line: of the members who owed a report on the day, how many filed one.
    (Activity is judged over the period: a day below target on some channel is too common to alarm.)"""

    day: date
    reported: int
    due: int


def expected_slots(facts: Facts, member, day: date) -> int:
    """How many daily reports a member owes for a day: 0, 1, or 2 for half-day reporting."""
    if member.id not in facts.reporting_members or not facts.calendar.is_working_day(day):
        return 0
    if (member.joined and day < member.joined) or (member.left and day > member.left):
        return 0
    if member.working_days and WEEKDAYS[day.weekday()] not in member.working_days:
        return 0  # a part-timer's day off
    return 2 if member.id in facts.half_day_members else 1


def day_activity(records: TeamRecords, facts: Facts, member, day: date, channels: list[str]) -> DayActivity:
    """What a member did on a day against what was owed: the one rule for the activity page's
    totals and every daily meeting page, whichever period the day is in."""
    slots = expected_slots(facts, member, day)
    report_ids = facts.daily_reports.get((member.id, day), [])
    actual: dict[str, int] = {}
    for rid in report_ids:
        for channel, count in records.reports[rid].activity.items():
            actual[channel] = actual.get(channel, 0) + count
    target = {c: facts.target(member.id, c, day) if slots else 0 for c in channels}
    return DayActivity(member.id, day, actual, target, bool(report_ids), facts.calendar.is_working_day(day), slots)


def team_totals(rows: list[DayActivity], channels: list[str]) -> dict[str, tuple[int, int]]:
    """The team's contacts and targets per channel over some members' days (a meeting day's rows)."""
    return {c: (sum(r.actual.get(c, 0) for r in rows), sum(r.target.get(c, 0) for r in rows)) for c in channels}


def meeting_rows(records: TeamRecords, facts: Facts, day: date, ledger: Ledger) -> list[DayActivity]:
    """A daily meeting page's rows: every reporting member who owed a report that day or filed one."""
    rows = [ledger.day(m, day) for m in records.team.members if m.id in facts.reporting_members]
    return [r for r in rows if r.owed or r.reported]


@dataclass(frozen=True)
class PlanFollowThrough:
    """A member's contacts planned in their last report before a day (its 'tomorrow'), against the
    customers they contacted that day: did they do what they said they would?"""

    member: str
    planned: tuple[str, ...]  # customers planned, in the order written
    contacted: tuple[str, ...]  # of those, the ones contacted on the day

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(c for c in self.planned if c not in self.contacted)


def plan_follow_through(records: TeamRecords, facts: Facts) -> dict[date, list[PlanFollowThrough]]:
    """For every day a member filed a report after an earlier one: that earlier report's plan
    against the day's contacts. One pass over each member's reporting days, in order."""
    by_day: dict[date, list[PlanFollowThrough]] = {}
    for member in sorted(facts.daily_by_member):
        days = facts.daily_by_member[member]
        for (_before, earlier), (day, today) in itertools.pairwise(days):
            planned = tuple(dict.fromkeys(p.customer for rid in earlier for p in records.reports[rid].tomorrow if p.customer))
            if planned:
                touched = {t.customer for rid in today for t in records.reports[rid].touchpoints}
                by_day.setdefault(day, []).append(PlanFollowThrough(member, planned, tuple(c for c in planned if c in touched)))
    return by_day


def compute_action(records: TeamRecords, facts: Facts, period: Period, commit_times: dict[str, datetime],
                   ledger: Ledger) -> ActionMetrics:
    as_of = facts.as_of
    days = [d for d in facts.calendar.working_days(period.start, period.end) if d <= as_of]
    # and any other day someone reported on: a report counts wherever it was filed (a day off, a
    # make-up day the calendar does not know), so activity agrees with every other page
    filed = {day for (_, day) in facts.daily_reports if period.start <= day <= as_of}
    all_days_set = set(days) | filed
    all_days = sorted(all_days_set)
    channels = [c.id for c in records.config.channels]
    rules = records.config.reports
    late_clock = time.fromisoformat(rules.late_after_time)  # both validated by the model
    zone = ZoneInfo(records.config.timezone)
    activity: dict[str, list[DayActivity]] = {}
    totals: dict[str, dict[str, list[int]]] = {"": {c: [0, 0] for c in channels}}
    compliance: dict[str, Compliance] = {}
    for member in records.team.members:
        if member.id not in facts.reporting_members:
            continue
        rows, member_totals = [], {c: [0, 0] for c in channels}
        comp = Compliance(member.id)
        for day in all_days:
            row = ledger.day(member, day)
            slots, report_ids, actual, target = row.owed, facts.daily_reports.get((member.id, day), []), row.actual, row.target
            rows.append(row)
            for c in channels:
                for bucket in (member_totals[c], totals[""][c]):
                    bucket[0] += actual.get(c, 0)
                    bucket[1] += target[c]
            if slots:
                comp.expected += slots
                comp.submitted += min(slots, len(report_ids))
                if len(report_ids) < slots:
                    comp.missing_days.append(day)
                for rid in report_ids:
                    committed = commit_times.get(records.source_path("report", rid))
                    if committed is not None:
                        comp.judged += 1
                        deadline = datetime.combine(day + timedelta(days=rules.late_after_days), late_clock)
                        if committed.astimezone(zone).replace(tzinfo=None) >= deadline:
                            comp.late += 1
        activity[member.id] = rows
        totals[member.id] = member_totals
        compliance[member.id] = comp
    meeting_dates = sorted({day for (_, day) in facts.daily_reports})
    # a meeting page's rows: this period's days are computed above already; other days here
    in_period: dict[date, list[DayActivity]] = {}
    for rows in activity.values():
        for row in rows:
            if row.owed or row.reported:
                in_period.setdefault(row.date, []).append(row)
    meetings = {day: in_period.get(day, []) if day in all_days_set else meeting_rows(records, facts, day, ledger) for day in meeting_dates}
    below_days = {m: (sum(1 for r in rows if r.working and r.below_target), sum(1 for r in rows if r.working))
                  for m, rows in activity.items()}
    today = None
    if days:
        due = [r for rows in activity.values() for r in rows if r.date == days[-1] and r.owed]
        today = TodaySummary(days[-1], sum(1 for r in due if r.reported), len(due))
    return ActionMetrics(period, days, activity,
                         {m: {c: (v[0], v[1]) for c, v in t.items()} for m, t in totals.items()},
                         compliance, meeting_dates, below_days, today,
                         meetings, plan_follow_through(records, facts))


