"""Capability management (part 4): read the gathered numbers to find which capability a member
lacks, with the evidence, and whether coaching already given has helped.

A signal fires when a member's figure falls well behind the team's median (thresholds below, with
a minimum volume so that a quiet week is not read as a weakness), or, for the few judged on their
own, passes a fixed line (one lapsed 5★ customer). Each signal points to the capabilities the
configuration maps it to. docs/records.md lists every rule.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..i18n import N_, Text, msg
from ..model import capabilities as configured_capabilities
from ..periods import Period
from ..records import TeamRecords
from .action import ActionMetrics, expected_slots
from .customers import CustomerMetrics, CustomerState
from .facts import Facts
from .goals import PlanMetrics

# name: (the figure, "low" or "high" is bad, factor against the team median, absolute floor or ceiling)
SIGNALS = {
    "low_meeting_rate": (N_("meetings per contact"), "low", 0.6, None),
    "low_proposal_rate": (N_("proposals per meeting"), "low", 0.6, None),
    "low_close_rate": (N_("deals per meeting"), "low", 0.5, None),
    "low_activity": (N_("activity against target"), "low", 0.8, 0.7),
    "overdue_followups": (N_("overdue follow-ups"), "high", 2.0, 3),
    "missed_reports": (N_("missed reports"), "high", 2.0, 0.1),
    "late_reports": (N_("late reports"), "high", 2.0, 0.2),
    "low_plan_adherence": (N_("plan items done on time"), "low", 0.8, 0.7),
    "star_contradictions": (N_("star ratings that contradict the criteria"), "high", 2.0, 3),
    "closed_churn": (N_("closed customers past their contact frequency"), "high", 1.5, 0.3),
    "unclosed_churn": (N_("not-yet-closed customers past their contact frequency"), "high", 1.5, 0.3),
    "top_customer_lapsed": (N_("5★ customers overdue or past their contact frequency"), "high", None, 1),
}
# factor None: the figure is judged on its own, not against the team — one lapsed 5★ customer is one too many
MIN_VOLUME = {"low_meeting_rate": ("contacts", 20), "low_proposal_rate": ("meetings", 5), "low_close_rate": ("meetings", 8),
              "late_reports": ("judged", 5), "closed_churn": ("closed", 3), "unclosed_churn": ("unclosed", 3),
              "low_plan_adherence": ("due", 3)}


@dataclass
class Funnel:
    contacts: int = 0
    meetings: int = 0
    proposals: int = 0
    deals: int = 0

    def rate(self, top: str, bottom: str) -> float | None:
        below = getattr(self, bottom)
        return getattr(self, top) / below if below else None


@dataclass
class Signal:
    name: str
    member: str
    value: float
    team_median: float
    previous: float | None  # the member's own figure in the previous period
    evidence: Text
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, site path)
    capabilities: list[str] = field(default_factory=list)


@dataclass
class CoachingOutcome:
    coaching: str
    member: str
    capability: str
    date: date
    before: float | None
    after: float | None
    improved: bool | None  # None: not enough data yet


@dataclass
class CapabilityMetrics:
    funnels: dict[str, Funnel]
    figures: dict[str, dict[str, float | None]]  # member -> signal name -> figure
    signals: list[Signal]
    by_member: dict[str, list[Signal]]
    group_training: dict[str, list[str]]  # capability -> members sharing the gap
    coaching: list[CoachingOutcome]


def funnel(records: TeamRecords, facts: Facts, member: str, start: date, end: date) -> Funnel:
    kinds = {c.id: c.funnel for c in records.config.channels}
    result = Funnel()
    for day, report_ids in facts.daily_by_member.get(member, ()):
        if not start <= day <= end:
            continue
        for rid in report_ids:
            report = records.reports[rid]
            for channel, count in report.activity.items():
                if kinds.get(channel) == "contact":
                    result.contacts += count
                elif kinds.get(channel) == "meeting":
                    result.meetings += count
            result.proposals += sum(1 for t in report.touchpoints if t.proposal)
            result.deals += len(report.deals)
    return result


def window_figures(records: TeamRecords, facts: Facts, member, start: date, end: date,
                   commit_times: dict[str, datetime] | None = None) -> dict[str, float | None]:
    """The rate-type figures of one member over a window of days (used for history and coaching)."""
    f = funnel(records, facts, member.id, start, end)
    expected = submitted = 0
    actual_total = target_total = 0
    for day in facts.calendar.working_days(start, min(end, facts.as_of)):
        slots = expected_slots(facts, member, day)
        if not slots:
            continue
        reports = facts.daily_reports.get((member.id, day), [])
        expected += slots
        submitted += min(slots, len(reports))
        if not reports:
            continue  # a missing report is its own signal; its activity is unknown, not zero
        for c in records.config.channels:
            target = facts.target(member.id, c.id, day)
            if target and c.funnel != "other":
                target_total += target
                actual_total += sum(records.reports[r].activity.get(c.id, 0) for r in reports)
    return {
        "low_meeting_rate": f.rate("meetings", "contacts"),
        "low_proposal_rate": f.rate("proposals", "meetings"),
        "low_close_rate": f.rate("deals", "meetings"),
        "low_activity": actual_total / target_total if target_total else None,
        "missed_reports": (expected - submitted) / expected if expected else None,
    }


def compute_capability(records: TeamRecords, facts: Facts, period: Period, customers: CustomerMetrics, action: ActionMetrics,
                       plans: PlanMetrics, previous: Period) -> CapabilityMetrics:
    members = [m for m in records.team.members if m.id in facts.reporting_members]
    end = min(period.end, facts.as_of)
    funnels = {m.id: funnel(records, facts, m.id, period.start, end) for m in members}
    figures: dict[str, dict[str, float | None]] = {}
    volumes: dict[str, dict[str, float]] = {}
    history: dict[str, dict[str, float | None]] = {}
    for m in members:
        figs = window_figures(records, facts, m, period.start, end)
        comp = action.compliance.get(m.id)
        figs["late_reports"] = comp.late / comp.judged if comp and comp.judged else None
        done, due = plans.adherence_by_member.get(m.id, (0, 0))
        figs["low_plan_adherence"] = done / due if due else None
        own = [s for s in customers.customers.values() if s.owner == m.id]
        figs["overdue_followups"] = float(sum(1 for s in own if s.overdue_days > 0))
        figs["star_contradictions"] = float(sum(1 for s in own if s.contradictions))
        closed = [s for s in own if s.category == "closed"]
        figs["closed_churn"] = sum(1 for s in closed if s.churn_risk) / len(closed) if closed else None
        unclosed = [s for s in own if s.category == "unclosed"]
        figs["unclosed_churn"] = sum(1 for s in unclosed if s.churn_risk) / len(unclosed) if unclosed else None
        figs["top_customer_lapsed"] = float(sum(1 for s in own if top_customer_lapsed(s)))
        figures[m.id] = figs
        f = funnels[m.id]
        volumes[m.id] = {"contacts": f.contacts, "meetings": f.meetings, "judged": comp.judged if comp else 0,
                         "closed": len(closed), "unclosed": len(unclosed), "due": due}
        history[m.id] = window_figures(records, facts, m, previous.start, previous.end)

    capability_list = configured_capabilities(records.config)
    signals: list[Signal] = []
    for name, (label, bad, factor, absolute) in SIGNALS.items():
        values = [v for m in members if (v := figures[m.id][name]) is not None]
        if len(values) < 2:
            continue
        median = float(statistics.median(values))
        for m in members:
            value = figures[m.id][name]
            if value is None:
                continue
            volume = MIN_VOLUME.get(name)
            if volume and volumes[m.id][volume[0]] < volume[1]:
                continue
            if factor is None:
                fires = value >= (absolute or 0) if bad == "high" else value <= (absolute or 0)
            elif bad == "low":
                fires = value < median * factor and (absolute is None or value < absolute)
            else:
                fires = value >= max(median * factor, absolute or 0) and value > median
            if not fires:
                continue
            caps = [c.id for c in capability_list if name in c.signals]
            signals.append(Signal(name, m.id, value, median, history[m.id].get(name),
                                  _evidence(name, label, value, median, funnels[m.id], m.id, customers, action),
                                  _links(name, m.id, customers, action), caps))
    by_member: dict[str, list[Signal]] = {m.id: [] for m in members}
    for s in signals:
        by_member[s.member].append(s)
    group: dict[str, list[str]] = {}
    for c in capability_list:
        flagged = sorted({s.member for s in signals if c.id in s.capabilities})
        if len(flagged) >= 2:
            group[c.id] = flagged
    return CapabilityMetrics(funnels, figures, signals, by_member, group,
                             _coaching_outcomes(records, facts, capability_list))


def top_customer_lapsed(state: CustomerState) -> bool:
    """A 5★ customer (closed or not) whose follow-up is overdue or who is past its star's contact frequency."""
    return state.stars == 5 and state.category in ("unclosed", "closed") and (state.overdue_days > 0 or state.churn_risk)


def _is_ratio(name: str) -> bool:
    return name not in ("overdue_followups", "star_contradictions", "top_customer_lapsed")


IMPROVEMENT = 0.10  # relative change that counts as improvement, beyond the floors below


def improved_beyond_noise(name: str, before: float, after: float) -> bool:
    """The rule for "improved" after coaching: the figure moved the right way by at least 10 % of
    where it was, and by at least what the page can show — 2 percentage points for a rate, one
    whole item for a count (a report, a follow-up). 14 % → 14 % is not an improvement."""
    gain = before - after if SIGNALS[name][1] == "high" else after - before
    floor = 0.02 if _is_ratio(name) else 1.0
    return gain >= max(floor, IMPROVEMENT * abs(before))


def format_figure(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" if _is_ratio(name) else f"{value:.0f}"


def _evidence(name: str, label: str, value: float, median: float, f: Funnel, member: str, customers: CustomerMetrics,
              action: ActionMetrics) -> Text:
    mine = msg("{label}: {value} against the team median {median}", label=Text(label), value=format_figure(name, value),
               median=format_figure(name, median))
    if name == "low_meeting_rate":
        return msg("{figure} ({meetings} meetings from {contacts} contacts)", figure=mine, meetings=f.meetings, contacts=f.contacts)
    if name in ("low_proposal_rate", "low_close_rate"):
        return msg("{figure} ({meetings} meetings, {proposals} proposals, {deals} deals)", figure=mine, meetings=f.meetings,
                   proposals=f.proposals, deals=f.deals)
    if name == "missed_reports":
        comp = action.compliance[member]
        return msg("{figure} ({missing} of {expected} reports missing)", figure=mine, missing=comp.missing, expected=comp.expected)
    return mine


def _links(name: str, member: str, customers: CustomerMetrics, action: ActionMetrics) -> list[tuple[str, str]]:
    own = [s for s in customers.customers.values() if s.owner == member]
    if name == "overdue_followups":
        return [(s.name, f"customers/{s.id}.html") for s in sorted(own, key=lambda s: -s.overdue_days) if s.overdue_days > 0][:8]
    if name == "star_contradictions":
        return [(s.name, f"customers/{s.id}.html") for s in own if s.contradictions][:8]
    if name in ("closed_churn", "unclosed_churn"):
        category = name.split("_")[0]
        return [(s.name, f"customers/{s.id}.html") for s in own if s.category == category and s.churn_risk][:8]
    if name == "top_customer_lapsed":
        return [(s.name, f"customers/{s.id}.html") for s in own if top_customer_lapsed(s)][:8]
    if name == "missed_reports":
        return [(d.isoformat(), f"daily/{d.isoformat()}.html") for d in action.compliance[member].missing_days][:8]
    return []


def _coaching_outcomes(records: TeamRecords, facts: Facts, capability_list) -> list[CoachingOutcome]:
    """Did the figure behind a coached capability move the right way in the 30 days after?"""
    outcomes = []
    signals_of = {c.id: c.signals for c in capability_list}
    members = {m.id: m for m in records.team.members}
    for cid in sorted(records.coachings):
        coaching = records.coachings[cid]
        if coaching.date > facts.as_of:
            continue
        for member_id in coaching.members:
            member = members.get(member_id)
            if member is None:
                continue
            before = window_figures(records, facts, member, coaching.date - timedelta(days=30), coaching.date - timedelta(days=1))
            after = window_figures(records, facts, member, coaching.date + timedelta(days=1), coaching.date + timedelta(days=30))
            for capability in coaching.capabilities:
                name = next((s for s in signals_of.get(capability, []) if s in before), None)
                if name is None:
                    outcomes.append(CoachingOutcome(cid, member_id, capability, coaching.date, None, None, None))
                    continue
                b, a = before[name], after[name]
                improved = None
                if b is not None and a is not None and (facts.as_of - coaching.date).days >= 7:
                    improved = improved_beyond_noise(name, b, a)
                outcomes.append(CoachingOutcome(cid, member_id, capability, coaching.date, b, a, improved))
    return outcomes
