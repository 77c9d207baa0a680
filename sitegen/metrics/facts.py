"""Flat facts gathered once from the records: every touchpoint, every deal, every report by day.

Later metrics read these lists instead of walking reports again, so each number on the site has
one obvious origin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..periods import WorkCalendar
from ..records import TeamRecords

if TYPE_CHECKING:  # the memo keeps what this module makes; it imports this module
    from .ledger import MetricsMemo

EVENT_STEPS = ("invitations", "attendance", "deals", "amount")  # an event's funnel, in order


Day = date  # the fields below are named ``date``: inside the classes the name is the field's


@dataclass(frozen=True)
class TouchFact:
    date: Day
    member: str
    customer: str
    channel: str
    with_: str | None
    purpose: str
    result: str | None
    effect: int | None
    next_contact: Day | None
    proposal: bool
    report: str | None  # the report it was recorded in; None for imported history


@dataclass(frozen=True)
class DealFact:
    date: Day
    member: str
    customer: str
    amount: float
    product: str | None
    report: str | None


@dataclass(frozen=True)
class ReportFacts:
    """The facts one report adds, whatever the as-of day (a report after it is left out whole)."""

    touches: tuple[TouchFact, ...]
    deals: tuple[DealFact, ...]


@dataclass
class Facts:
    as_of: date
    calendar: WorkCalendar
    touches: list[TouchFact] = field(default_factory=list)
    deals: list[DealFact] = field(default_factory=list)
    touches_by_customer: dict[str, list[TouchFact]] = field(default_factory=dict)
    deals_by_customer: dict[str, list[DealFact]] = field(default_factory=dict)
    touches_by_member: dict[str, list[TouchFact]] = field(default_factory=dict)  # in the order of ``touches``
    deals_by_member: dict[str, list[DealFact]] = field(default_factory=dict)  # in the order of ``deals``
    activity_by_member: dict[str, list[tuple[date, dict[str, int]]]] = field(default_factory=dict)  # every report's counts, by date
    daily_reports: dict[tuple[str, date], list[str]] = field(default_factory=dict)  # (member, day) -> report ids
    daily_by_member: dict[str, list[tuple[date, list[str]]]] = field(default_factory=dict)  # member -> days, in order
    event_actuals: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # event -> member -> step -> n
    members: dict[str, object] = field(default_factory=dict)
    half_day_members: set[str] = field(default_factory=set)
    reporting_members: set[str] = field(default_factory=set)  # members expected to file daily reports
    channel_targets: dict[str, int] = field(default_factory=dict)  # channel -> default daily target
    member_targets: dict[str, dict[str, int]] = field(default_factory=dict)  # member -> channel -> override
    plan_targets: dict[str, list[tuple[date, date, dict[str, int]]]] = field(default_factory=dict)  # shortest first

    def target(self, member: str, channel: str, day: date) -> int:
        """A member's daily target on a channel for a day: the shortest plan covering the day that sets
        one, else the member's own override, else the channel's default."""
        for start, end, activity in self.plan_targets.get(member, ()):
            if start <= day <= end and channel in activity:
                return activity[channel]
        own = self.member_targets.get(member, {})
        return own[channel] if channel in own else self.channel_targets.get(channel, 0)


def report_facts(rid: str, report) -> ReportFacts:
    """The touchpoints and deals one report records."""
    return ReportFacts(
        tuple(TouchFact(report.date, report.member, touchpoint.customer, touchpoint.channel, touchpoint.with_, touchpoint.purpose,
                        touchpoint.result, touchpoint.effect, touchpoint.next_contact, touchpoint.proposal, rid)
              for touchpoint in report.touchpoints),
        tuple(DealFact(report.date, report.member, deal.customer, deal.amount, deal.product, rid) for deal in report.deals))


def gather_facts(records: TeamRecords, as_of: date, memo: MetricsMemo | None = None) -> Facts:
    """Collect facts up to and including the as-of date (later records are future plans). With a
    memo, a report's facts are made again only when the report is not the one they were made from."""
    config, team = records.config, records.team
    calendar = WorkCalendar(list(config.working_days), {h.date for h in config.holidays},
                            {d.date for d in config.extra_working_days})
    facts = Facts(as_of=as_of, calendar=calendar)
    facts.members = {m.id: m for m in team.members}
    groups = {g.id: g.reporting for g in team.groups}
    for m in team.members:
        cadence = m.reporting or groups.get(m.group or "", "daily")
        if cadence != "none":
            facts.reporting_members.add(m.id)
        if cadence == "half-day":
            facts.half_day_members.add(m.id)
        facts.member_targets[m.id] = dict(m.targets)
    facts.channel_targets = {c.id: c.daily_target for c in config.channels}
    for pid in sorted(records.plans):
        plan = records.plans[pid]
        if plan.activity:
            facts.plan_targets.setdefault(plan.member, []).append((plan.start, plan.end, dict(plan.activity)))
    for spans in facts.plan_targets.values():
        spans.sort(key=lambda span: (span[1] - span[0], span[0]))

    for cid, customer in records.customers.items():
        for past in customer.history:
            if past.date <= as_of:
                facts.touches.append(TouchFact(past.date, past.member, cid, past.channel, past.with_, past.purpose,
                                               past.result, past.effect, past.next_contact, False, None))
        for deal in customer.deals:
            if deal.date <= as_of:
                facts.deals.append(DealFact(deal.date, deal.member or customer.owner, cid, deal.amount, deal.product, None))
    for rid in sorted(records.reports):
        report = records.reports[rid]
        if report.date > as_of:
            continue
        if report.kind == "daily":
            facts.daily_reports.setdefault((report.member, report.date), []).append(rid)
        if report.activity:
            facts.activity_by_member.setdefault(report.member, []).append((report.date, report.activity))
        own = memo.report_facts(rid, report) if memo is not None else report_facts(rid, report)
        facts.touches += own.touches
        facts.deals += own.deals
        for e in report.events:
            row = facts.event_actuals.setdefault(e.event, {}).setdefault(report.member, dict.fromkeys(EVENT_STEPS, 0))
            for step, value in zip(EVENT_STEPS, (e.invited, e.attended, e.deals, e.amount), strict=True):
                row[step] += value
    if memo is not None:
        memo.forget_reports_except(set(records.reports))
    for (member, day), report_ids in sorted(facts.daily_reports.items()):
        facts.daily_by_member.setdefault(member, []).append((day, report_ids))
    facts.touches.sort(key=lambda t: (t.date, t.report or "", t.customer))
    facts.deals.sort(key=lambda d: (d.date, d.report or "", d.customer))
    by_customer: dict[str, list] = defaultdict(list)
    for t in facts.touches:
        by_customer[t.customer].append(t)
    facts.touches_by_customer = dict(by_customer)
    by_customer = defaultdict(list)
    for d in facts.deals:
        by_customer[d.customer].append(d)
    facts.deals_by_customer = dict(by_customer)
    for t in facts.touches:
        facts.touches_by_member.setdefault(t.member, []).append(t)
    for d in facts.deals:
        facts.deals_by_member.setdefault(d.member, []).append(d)
    for days in facts.activity_by_member.values():
        days.sort(key=lambda day: day[0])  # stable: a day's reports stay in id order
    return facts

