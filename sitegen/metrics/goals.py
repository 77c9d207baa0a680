"""Goal and plan management (part 2): progress against must-achieve and challenge targets, pace,
forecast, the decomposition checks, and plan adherence ("plan my work, work my plan")."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import model
from ..loader import format_field_path
from ..periods import Period, parse_period
from ..problems import Problem
from ..records import TeamRecords
from .customers import CustomerMetrics
from .facts import EVENT_STEPS, Facts


@dataclass
class StageProgress:
    name: str
    start: date
    end: date
    target: float
    actual: float


@dataclass
class MemberProgress:
    member: str
    must: float
    challenge: float
    actual: float
    pipeline: float  # value expected to close in the period, unweighted
    coverage: float | None  # pipeline ÷ must share
    basis: str | None
    customers: list[str]


@dataclass
class EventProgress:
    id: str
    name: str
    date: date
    target: dict[str, float]  # invitations, attendance, deals, amount
    actual: dict[str, float]
    by_member: list[tuple[str, dict[str, float], dict[str, float]]]


@dataclass
class GoalProgress:
    id: str
    period: Period
    metric: str
    must: float
    challenge: float
    actual: float
    pace: float  # where the team should be by the as-of date, to reach the must target
    forecast: float  # actual + weighted pipeline expected to close in the period
    elapsed_working_days: int
    total_working_days: int
    burnup: list[dict]  # rows for the burn-up chart
    stages: list[StageProgress]
    members: list[MemberProgress]
    events: list[EventProgress]
    measures: list[model.Measure]
    note: str | None

    @property
    def must_ratio(self) -> float:
        return self.actual / self.must if self.must else 0.0

    @property
    def challenge_ratio(self) -> float:
        return self.actual / self.challenge if self.challenge else 0.0


@dataclass
class ItemStatus:
    plan: str
    item: model.PlanItem
    status: str  # done | done-late | partial | not-done | overdue | open
    reason: str | None
    reported_on: date | None
    report: str | None


@dataclass
class PlanProgressSummary:
    id: str
    plan: model.Plan
    items: list[ItemStatus]
    due: int
    done_on_time: int

    @property
    def adherence(self) -> float | None:
        return self.done_on_time / self.due if self.due else None


@dataclass
class PlanMetrics:
    plans: dict[str, PlanProgressSummary] = field(default_factory=dict)
    adherence_by_member: dict[str, tuple[int, int]] = field(default_factory=dict)  # member -> (done on time, due)
    misses: list[ItemStatus] = field(default_factory=list)


def goal_value(deals, metric: str) -> float:
    return float(len(deals)) if metric == "deals" else float(sum(d.amount for d in deals))


def compute_goal(records: TeamRecords, goal_id: str, facts: Facts, customers: CustomerMetrics) -> GoalProgress | None:
    goal = records.goals[goal_id]
    period = parse_period(goal.period)
    if period is None:
        return None
    as_of = facts.as_of
    calendar = facts.calendar
    deals = [d for d in facts.deals if d.date in period]
    actual = goal_value(deals, goal.metric)
    working = calendar.working_days(period.start, period.end)
    elapsed = [d for d in working if d <= as_of]
    stages = goal.stages
    pace = _pace(goal, working, as_of) if working else 0.0
    weights = records.config.forecast_weights
    pipeline = [s for s in customers.customers.values() if s.expected_in_period]
    if goal.metric == "deals":
        weighted = sum(weights[(s.stars or 1) - 1] for s in pipeline)
    else:
        weighted = sum(s.expected_value * weights[(s.stars or 1) - 1] for s in pipeline)
    forecast = actual + weighted if as_of <= period.end else actual

    burnup, running = [], 0.0
    deals_by_day: dict[date, list] = {}
    for d in deals:
        deals_by_day.setdefault(d.date, []).append(d)
    day = period.start
    work_index = 0
    while day <= period.end:
        if calendar.is_working_day(day):
            work_index += 1
        share = work_index / len(working) if working else 1
        row = {"date": day.isoformat(), "must_pace": round(goal.must * share, 2), "challenge_pace": round(goal.challenge * share, 2)}
        if day <= as_of:
            running += goal_value(deals_by_day.get(day, []), goal.metric)
            row["actual"] = round(running, 2)
        burnup.append(row)
        day += timedelta(days=1)

    stage_rows = [StageProgress(s.name, s.start, s.end, s.target,
                                goal_value([d for d in deals if s.start <= d.date <= s.end], goal.metric)) for s in stages]
    member_rows = []
    for member_share in goal.members:
        mine = [d for d in deals if d.member == member_share.member]
        own_pipeline = [s for s in pipeline if s.owner == member_share.member]
        value = float(len(own_pipeline)) if goal.metric == "deals" else sum(s.expected_value for s in own_pipeline)
        member_rows.append(MemberProgress(member_share.member, member_share.must, member_share.challenge or member_share.must,
                                          goal_value(mine, goal.metric), value,
                                          value / member_share.must if member_share.must else None,
                                          member_share.basis, member_share.customers))
    event_rows = []
    for event in goal.events:
        actual_by_member = facts.event_actuals.get(event.id, {})
        total = {k: sum(r[k] for r in actual_by_member.values()) for k in EVENT_STEPS}
        per_member = [(t.member, _steps(t), actual_by_member.get(t.member, dict.fromkeys(EVENT_STEPS, 0))) for t in event.members]
        event_rows.append(EventProgress(event.id, event.name, event.date, _steps(event), total, per_member))
    return GoalProgress(goal_id, period, goal.metric, goal.must, goal.challenge, actual, pace, forecast, len(elapsed), len(working),
                        burnup, stage_rows, member_rows, event_rows, list(goal.measures), goal.note)


def won_by_period(facts: Facts, granularity: str = "quarter") -> dict[str, dict[str, float]]:
    """Won revenue per member per period over all the records (reports and imported deals), for
    the members page's history table: member -> period key -> total."""
    from ..periods import period_containing

    table: dict[str, dict[str, float]] = {}
    for deal in facts.deals:
        key = period_containing(deal.date, granularity).key
        row = table.setdefault(deal.member, {})
        row[key] = row.get(key, 0) + deal.amount
    return table


@dataclass(frozen=True)
class WonPeriod:
    """The team's won deals in one period: how many, and the revenue."""

    key: str
    deals: int
    revenue: float


def won_totals(facts: Facts, granularity: str) -> list[WonPeriod]:
    """Won deals and revenue of the whole team per period (oldest first), over all the records."""
    from ..periods import period_containing

    deals: dict[str, int] = {}
    revenue: dict[str, float] = {}
    for deal in facts.deals:
        key = period_containing(deal.date, granularity).key
        deals[key] = deals.get(key, 0) + 1
        revenue[key] = revenue.get(key, 0) + deal.amount
    return [WonPeriod(key, deals[key], revenue[key]) for key in sorted(deals)]


def _steps(target: model.SalesEvent | model.EventMemberTarget) -> dict[str, float]:
    return {"invitations": target.invitations, "attendance": target.attendance, "deals": target.deals, "amount": target.amount}


def _pace(goal: model.Goal, working: list[date], as_of: date) -> float:
    """Expected progress by the as-of date: by stage targets where set, else by working days."""
    if goal.stages:
        total = 0.0
        for stage in goal.stages:
            if as_of >= stage.end:
                total += stage.target
            elif as_of >= stage.start:
                days = [d for d in working if stage.start <= d <= stage.end]
                done = [d for d in days if d <= as_of]
                total += stage.target * (len(done) / len(days) if days else 1)
        return total
    elapsed = sum(1 for d in working if d <= as_of)
    return goal.must * elapsed / len(working)


def check_decomposition(records: TeamRecords, goal_id: str, progress: GoalProgress | None, as_of: date) -> list[Problem]:
    """The method's rules for a sound decomposition, each a located problem."""
    goal = records.goals[goal_id]
    document = records.document("goal", goal_id)
    severities = records.config.checks
    problems = []

    def add(path, severity, message, hint=""):
        line, column = document.mark(path)
        problems.append(Problem(document.path, line, column, severity, format_field_path(path), message, hint))

    if goal.members:
        total = sum(s.must for s in goal.members)
        if total <= goal.must:
            add(("members",), severities.members_sum,
                f"members' must targets sum to {total:,.0f}, not more than the team target {goal.must:,.0f}",
                "the method asks for the members' shares to add up to MORE than the goal from above, as a safety margin")
        if all(s.basis is None for s in goal.members) and len({s.must for s in goal.members}) == 1 and len(goal.members) > 1:
            add(("members",), "warning", "the must target is split equally with no basis stated",
                "decompose by each member's history, their own declared figure and their customers, not an equal split")
        for i, share in enumerate(goal.members):
            if share.basis == "equal-split":
                add(("members", i, "basis"), "warning", f"{share.member}'s share is an equal split",
                    "state the basis: history, self-declared or customers")
    period = progress.period if progress else None
    if goal.stages and period is not None:
        ordered = sorted(enumerate(goal.stages), key=lambda pair: pair[1].start)
        cursor = period.start
        for index, stage in ordered:
            if stage.start > cursor:
                add(("stages", index, "start"), severities.stages_cover,
                    f"gap in the stages: {cursor} to {stage.start - timedelta(days=1)} is in no stage",
                    "stages must cover the whole period without gaps")
            elif stage.start < cursor:
                add(("stages", index, "start"), severities.stages_cover,
                    f"stage '{stage.name}' overlaps the stage before it", "stages must not overlap")
            cursor = max(cursor, stage.end + timedelta(days=1))
        if cursor <= period.end:
            add(("stages",), severities.stages_cover, f"gap in the stages: {cursor} to {period.end} is in no stage",
                "stages must cover the whole period without gaps")
        stage_total = sum(s.target for s in goal.stages)
        if stage_total < goal.must:
            add(("stages",), severities.stages_cover,
                f"stage targets sum to {stage_total:,.0f}, less than the team target {goal.must:,.0f}",
                "the stages together must reach at least the must-achieve target")
    for i, event in enumerate(goal.events):
        steps = _steps(event)
        for earlier, later in itertools.pairwise(EVENT_STEPS[:3]):
            if steps[later] > steps[earlier]:
                add(("events", i, later), severities.events,
                    f"event '{event.id}' expects {steps[later]:,.0f} {later} from {steps[earlier]:,.0f} {earlier}",
                    "each step of an event's funnel comes from the one before: invitations → attendance → deals")
        if event.members:
            owned = {k: sum(_steps(t)[k] for t in event.members) for k in EVENT_STEPS}
            short = [f"{k} {owned[k]:,.0f} of {steps[k]:,.0f}" for k in EVENT_STEPS if owned[k] < steps[k]]
            if short:
                add(("events", i, "members"), severities.events,
                    f"members' targets for event '{event.id}' fall short of the event's: " + ", ".join(short),
                    "every part of an event's target should be owned by a member")
        row = next((r for r in progress.events if r.id == event.id), None) if progress else None
        if row is not None and event.date < as_of:
            short = [f"{row.actual[k]:,.0f} of {row.target[k]:,.0f} {k}" for k in EVENT_STEPS if row.actual[k] < row.target[k]]
            if short:
                add(("events", i), severities.events, f"event '{event.id}' on {event.date} fell short: " + ", ".join(short),
                    "record the event's actuals in the reports (events:) or add a supplementary measure")
    if progress is not None:
        floor = records.config.pipeline_coverage_floor
        for i, member_row in enumerate(progress.members):
            if member_row.coverage is not None and member_row.coverage < floor:
                shortfall = member_row.must * floor - member_row.pipeline
                add(("members", i, "must"), severities.pipeline_coverage,
                    f"{member_row.member}'s pipeline covers {member_row.coverage:.0%} of their must share "
                    f"({member_row.pipeline:,.0f} expected to close against {member_row.must:,.0f}; short by {shortfall:,.0f})",
                    "back the share with customers expected to close this period, or revisit the share")
    return problems


def compute_plans(records: TeamRecords, facts: Facts) -> PlanMetrics:
    as_of = facts.as_of
    latest: dict[tuple[str, str], tuple[date, model.PlanProgress, str]] = {}
    for rid in sorted(records.reports):
        report = records.reports[rid]
        if report.date > as_of:
            continue
        for step in report.progress:
            key = (step.plan, step.item)
            if key not in latest or latest[key][0] <= report.date:
                latest[key] = (report.date, step, rid)
    metrics = PlanMetrics()
    for pid in sorted(records.plans):
        plan = records.plans[pid]
        items, due, on_time = [], 0, 0
        for item in plan.items:
            found = latest.get((pid, item.id))
            deadline = item.due or plan.end
            if found:
                day, step, rid = found
                status: str = step.status
                if status == "done" and day > deadline:
                    status = "done-late"
                items.append(ItemStatus(pid, item, status, step.reason, day, rid))
            else:
                items.append(ItemStatus(pid, item, "overdue" if deadline < as_of else "open", None, None, None))
            if deadline <= as_of or (found and found[1].status == "done"):
                due += 1
                if items[-1].status == "done":
                    on_time += 1
            if items[-1].status in ("partial", "not-done", "overdue", "done-late"):
                metrics.misses.append(items[-1])
        metrics.plans[pid] = PlanProgressSummary(pid, plan, items, due, on_time)
        done, total = metrics.adherence_by_member.get(plan.member, (0, 0))
        metrics.adherence_by_member[plan.member] = (done + on_time, total + due)
    return metrics
