"""What the metrics keep between computations, so that a save in ``sitegen watch`` recomputes the
members' days and the reports it touched, not the whole team's history.

Two things are made once and kept while what they rest on is unchanged:

- a report's facts (its touchpoints and deals as ``TouchFact``/``DealFact``), by the report itself:
  an unchanged file is not read again, so its report is the same object from one build to the next;
- a member's day (``DayActivity``: what they did against what they owed), by the reports that member
  filed that day (the same objects, in the same order) and by the team's calendar and targets —
  sitegen.yaml and team.yaml compared by value, the plans by object.

Activity totals, report compliance, every daily meeting page and the recognition streaks all read
the members' days from one ``Ledger``, so even a cold build makes each day once instead of three
times. tests/metrics/test_ledger.py compares metrics kept this way with a full recomputation after
random edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..records import TeamRecords
from .action import DayActivity, day_activity
from .facts import Facts, ReportFacts, report_facts


@dataclass
class MetricsMemo:
    """Kept by a long-lived process (``BuildSession``) from one computation to the next; a one-shot
    build starts with an empty one. Nothing is written to disk."""

    reports: dict[str, tuple[object, ReportFacts]] = field(default_factory=dict)  # report id -> (report, its facts)
    context: tuple = ()  # (config, team, plans) the days below were made under
    days: dict[tuple[str, date], tuple[tuple, DayActivity]] = field(default_factory=dict)  # (member, day) -> (its reports, the day)
    made: dict[str, int] = field(default_factory=lambda: {"reports": 0, "days": 0})  # how many were made, ever (tests, -v)

    def report_facts(self, rid: str, report) -> ReportFacts:
        """The report's facts (facts.report_facts), made again unless this very report's are kept."""
        kept = self.reports.get(rid)
        if kept is not None and kept[0] is report:
            return kept[1]
        made = report_facts(rid, report)
        self.reports[rid] = (report, made)
        self.made["reports"] += 1
        return made

    def forget_reports_except(self, ids: set[str]) -> None:
        """Drop what was kept for reports that are gone (deleted or renamed files)."""
        for rid in self.reports.keys() - ids:
            del self.reports[rid]


class Ledger:
    """Each member's days for one computation of the metrics, made on first use and kept in the
    memo for the next (see the module's docstring for what a day rests on)."""

    def __init__(self, records: TeamRecords, facts: Facts, memo: MetricsMemo) -> None:
        self._records, self._facts, self._memo = records, facts, memo
        self._channels = [c.id for c in records.config.channels]
        self._checked: dict[tuple[str, date], DayActivity] = {}  # days asked for already in this computation
        context = (records.config, records.team, tuple(records.plans.items()))
        if not _same_context(memo.context, context):
            memo.days.clear()
        memo.context = context

    def day(self, member, day: date) -> DayActivity:
        """What ``member`` did on ``day`` against what they owed (action.day_activity)."""
        checked = self._checked.get((member.id, day))
        if checked is not None:  # the metrics ask for each day three times (activity, meetings, streaks)
            return checked
        reports = self._records.reports
        filed = tuple((rid, reports[rid]) for rid in self._facts.daily_reports.get((member.id, day), ()))
        kept = self._memo.days.get((member.id, day))
        if kept is not None and _same_objects(kept[0], filed):
            made = kept[1]
        else:
            made = day_activity(self._records, self._facts, member, day, self._channels)
            self._memo.days[(member.id, day)] = (filed, made)
            self._memo.made["days"] += 1
        self._checked[(member.id, day)] = made
        return made


def _same_objects(kept: tuple, now: tuple) -> bool:
    """The same (id, object) pairs, in the same order: ids equal, each the very same object."""
    return len(kept) == len(now) and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(kept, now, strict=True))


def _same_context(kept: tuple, now: tuple) -> bool:
    """The calendar and targets are unchanged: the same settings and team (by value: they are read
    afresh each build) and the same plans (by object: an unchanged plan file is not read again)."""
    if not kept:
        return False
    (config, team, plans), (config_now, team_now, plans_now) = kept, now
    return _same_objects(plans, plans_now) and config == config_now and team == team_now
