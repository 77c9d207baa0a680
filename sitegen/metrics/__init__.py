"""The compute stage: pure functions from records and an as-of date to plain data.

Nothing here reads files or knows HTML. ``compute_metrics`` is the one entry point; each part of
the method has its own module (customers, goals and plans, action, capability).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from ..gitdates import PipelineAt, RecordChange, Version
from ..periods import Period, parse_period, period_containing
from ..records import TeamRecords
from .action import ActionMetrics, compute_action
from .capability import CapabilityMetrics, compute_capability
from .customers import ChurnPeriod, CustomerMetrics, churn_by_period, compute_customers
from .facts import Facts, gather_facts
from .goal_setting import GoalSetting, compute_goal_setting
from .goals import (
    GoalProgress,
    PlanMetrics,
    WonPeriod,
    compute_goal,
    compute_plans,
    forecasts_as_they_stood,
    won_by_period,
    won_totals,
)
from .ledger import Ledger, MetricsMemo
from .periodic import PeriodicReport, compute_periodic
from .recognition import Recognition, compute_recognition
from .support import HelpRequest, compute_support, open_on


@dataclass
class Metrics:
    as_of: date
    period: Period  # the goal period containing the as-of date
    facts: Facts
    customers: CustomerMetrics
    goals: dict[str, GoalProgress]  # goal id -> progress, for every goal with a valid period
    current_goal: str | None
    plans: PlanMetrics
    action: ActionMetrics
    capability: CapabilityMetrics
    won_by_quarter: dict[str, dict[str, float]]  # member -> "2026-Q4" -> won revenue, over all time
    won: list[WonPeriod]  # the team's won deals and revenue per goal period, over all time
    churn: list[ChurnPeriod]  # closed customers lost or gone dormant per goal period
    support: list[HelpRequest]  # every request for help, newest first, with its answer
    recognition: list[Recognition]  # first deals, record periods and streaks, newest first
    periodic: dict[str, list[PeriodicReport]]  # member -> the periodic reports they owe, newest first
    goal_setting: GoalSetting  # suggestions for the next period's goal, with what they rest on
    news: dict[date, list[RecordChange]]  # meeting day -> what changed in the records since the meeting before (git)
    customer_history: dict[str, list[RecordChange]]  # customer -> its stars, status and close dates as they changed (git)
    forecasts: dict[str, list[tuple[date, float]]]  # goal -> the forecast as it stood on past days (git), for goals over

    @cached_property
    def help_by_report(self) -> dict[str, HelpRequest]:
        """Each request for help by the report that made it."""
        return {h.report: h for h in self.support}

    @cached_property
    def help_by_member(self) -> dict[str, list[HelpRequest]]:
        """Each member's requests for help, newest first (as ``support``)."""
        found: dict[str, list[HelpRequest]] = {}
        for h in self.support:
            found.setdefault(h.member, []).append(h)
        return found

    @cached_property
    def help_open_by_owner(self) -> dict[str, list[HelpRequest]]:
        """The open requests each member is expected to answer, oldest first."""
        found: dict[str, list[HelpRequest]] = {}
        for h in sorted((h for h in self.support if h.is_open and h.owner), key=lambda h: (h.asked_on, h.report)):
            found.setdefault(h.owner or "", []).append(h)
        return found

    @cached_property
    def help_open_by_member(self) -> dict[str, int]:
        """How many of each member's requests for help are open."""
        found: dict[str, int] = {}
        for h in self.support:
            if h.is_open:
                found[h.member] = found.get(h.member, 0) + 1
        return found

    @cached_property
    def help_open_by_day(self) -> dict[date, int]:
        """On each meeting day, the requests for help asked before it and not answered by it."""
        return open_on(self.support, self.action.meeting_dates)

    @property
    def won_this_period(self) -> WonPeriod:
        return next((w for w in self.won if w.key == self.period.key), WonPeriod(self.period.key, 0, 0.0))

    @property
    def won_all_time(self) -> WonPeriod:
        return WonPeriod("", sum(w.deals for w in self.won), sum(w.revenue for w in self.won))


def compute_metrics(records: TeamRecords, as_of: date, commit_times: dict[str, datetime] | None = None,
                    versions: dict[str, list[Version]] | None = None, changes: list[RecordChange] | None = None,
                    pipelines: dict[date, list[PipelineAt]] | None = None, memo: MetricsMemo | None = None) -> Metrics:
    """Every number of the site, computed once from the records as of a day (findings on them are
    the checks' business: checks.check_findings). A memo kept from the last computation (watch)
    spares the reports' facts and members' days that did not change (ledger.py)."""
    memo = memo if memo is not None else MetricsMemo()
    period = period_containing(as_of, records.config.goal_period)
    previous = period_containing(period.start - timedelta(days=1), records.config.goal_period)
    facts = gather_facts(records, as_of, memo)
    ledger = Ledger(records, facts, memo)
    customers = compute_customers(records, facts, period)
    goals = {}
    for gid in sorted(records.goals):
        progress = compute_goal(records, gid, facts, customers)
        if progress is not None:
            goals[gid] = progress
    current = next((gid for gid, g in goals.items() if g.period.key == period.key), None)
    plans = compute_plans(records, facts, versions or {})
    action = compute_action(records, facts, period, commit_times or {}, ledger)
    capability = compute_capability(records, facts, period, customers, action, plans, previous)
    return Metrics(as_of, period, facts, customers, goals, current, plans, action, capability,
                   won_by_period(facts, "quarter"), won_totals(facts, records.config.goal_period),
                   churn_by_period(records, facts, records.config.goal_period), compute_support(records, as_of),
                   compute_recognition(records, facts, action, ledger), compute_periodic(records, facts, commit_times or {}),
                   compute_goal_setting(records, facts, customers, period),
                   news_by_meeting(changes or [], action.meeting_dates, as_of, ZoneInfo(records.config.timezone)),
                   customer_history(changes or [], as_of, ZoneInfo(records.config.timezone)),
                   forecasts_as_they_stood(records, facts, goals, pipelines or {}))


def customer_history(changes: list[RecordChange], as_of: date, zone: ZoneInfo) -> dict[str, list[RecordChange]]:
    """Each customer's history of the numbers the method watches — stars, status, expected close
    date (how often it slipped) — as committed up to the as-of day, oldest first."""
    found: dict[str, list[RecordChange]] = {}
    for change in changes:
        if change.kind in ("new-customer", "stars", "status", "close-slipped") and change.when.astimezone(zone).date() <= as_of:
            found.setdefault(change.record, []).append(change)
    return found


def news_by_meeting(changes: list[RecordChange], days: list[date], as_of: date, zone: ZoneInfo) -> dict[date, list[RecordChange]]:
    """Each meeting day's news: the changes committed after the day before it (the previous meeting
    day) up to the end of it, in the team's time zone; none after the as-of day."""
    news: dict[date, list[RecordChange]] = {}
    shown = [d for d in days if d <= as_of]
    for change in changes:
        day = change.when.astimezone(zone).date()
        at = bisect_left(shown, day)  # the first meeting on or after the day it was committed
        if at < len(shown):
            news.setdefault(shown[at], []).append(change)
    return news


__all__ = ["Metrics", "compute_metrics", "parse_period"]
