"""Goal and plan management (part 2): progress against must-achieve and challenge targets, pace,
forecast, the decomposition checks, and plan adherence ("plan my work, work my plan")."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from .. import model
from ..gitdates import PipelineAt, Version
from ..periods import Period, parse_period
from ..records import TeamRecords
from .customers import CATEGORY_OF_STATUS, CustomerMetrics
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
    pace: float  # where this member's must share should be by the as-of day, by the goal's pace rule
    pipeline: float | None  # value expected to close in the period, unweighted; None once the period is over
    coverage: float | None  # pipeline ÷ must share
    basis: str | None
    customers: list[str]
    declared: float | None = None  # the member's own figure, before the goal conversation
    agreed_on: date | None = None  # when the share was agreed
    note: str | None = None  # the conversation's notes


@dataclass
class EventProgress:
    id: str
    name: str
    date: date
    target: dict[str, float]  # invitations, attendance, deals, amount
    actual: dict[str, float]
    by_member: list[tuple[str, dict[str, float], dict[str, float]]]
    fell_short: list[str]  # once the event is over: the steps whose actual is below target


@dataclass(frozen=True)
class MeasureProgress:
    """A supplementary measure as it stands on the as-of day: one still planned or in progress
    after its due date is overdue, whatever its record says."""

    what: str
    owner: str | None
    due: date | None
    status: str  # planned, in-progress, done, dropped or overdue
    note: str | None


def measure_progress(measure: model.Measure, as_of: date) -> MeasureProgress:
    overdue = measure.status in ("planned", "in-progress") and measure.due is not None and measure.due < as_of
    return MeasureProgress(measure.what, measure.owner, measure.due, "overdue" if overdue else measure.status, measure.note)


@dataclass
class GoalProgress:
    id: str
    period: Period
    metric: str
    must: float
    challenge: float
    actual: float
    pace: float  # where the team should be by the as-of date, to reach the must target (pace_on)
    pace_rule: str  # "stages" or "working-days": how pace_on spread the target
    forecast: float  # actual + weighted pipeline expected to close in the period (actual alone once it is over)
    elapsed_working_days: int
    total_working_days: int
    burnup: list[dict]  # rows for the burn-up chart
    stages: list[StageProgress]
    members: list[MemberProgress]
    events: list[EventProgress]
    measures: list[MeasureProgress]
    note: str | None

    @property
    def must_ratio(self) -> float:
        return self.actual / self.must if self.must else 0.0

    @property
    def challenge_ratio(self) -> float:
        return self.actual / self.challenge if self.challenge else 0.0

    @property
    def time_ratio(self) -> float:
        """The share of the period's working days gone by the as-of day."""
        return self.elapsed_working_days / self.total_working_days if self.total_working_days else 1.0

    @property
    def forecast_ratio(self) -> float:
        return self.forecast / self.must if self.must else 0.0


@dataclass(frozen=True)
class Rescheduling:
    """An item moved to a later day in a report (計劃調整)."""

    on: date  # the report's date
    before: date  # the deadline it had
    after: date  # its new date
    reason: str | None
    report: str


@dataclass
class ItemStatus:
    plan: str
    item: model.PlanItem
    status: str  # done | done-late | partial | not-done | rescheduled | overdue | open
    reason: str | None
    reported_on: date | None
    report: str | None
    due: date  # its deadline: the item's own (or the plan's end), or the last new date it was moved to
    rescheduled: tuple[Rescheduling, ...] = ()


@dataclass(frozen=True)
class CurrentPlan:
    """Whether a member whose role keeps plans at a cadence (plan_cadence) has one covering the day."""

    member: str
    cadence: str  # day | week | month | quarter | year
    plan: str | None  # the plan of that period covering the day, if any


@dataclass
class PlanProgressSummary:
    id: str
    plan: model.Plan
    items: list[ItemStatus]
    due: int
    done_on_time: int
    actuals: list[float | None] = field(default_factory=list)  # per outcome target: counted so far (None: no measure)
    rescheduled: int = 0  # how many times its items were moved to a later day
    versions: tuple[Version, ...] = ()  # the commits that changed its file, up to the as-of day, oldest first

    @property
    def adherence(self) -> float | None:
        return self.done_on_time / self.due if self.due else None


@dataclass
class PlanMetrics:
    plans: dict[str, PlanProgressSummary] = field(default_factory=dict)
    adherence_by_member: dict[str, tuple[int, int]] = field(default_factory=dict)  # member -> (done on time, due)
    misses: list[ItemStatus] = field(default_factory=list)
    current: list[CurrentPlan] = field(default_factory=list)  # per member whose role keeps plans at a cadence

    @cached_property
    def by_member(self) -> dict[str, list[PlanProgressSummary]]:
        """Each member's plans, in the order of ``plans`` (by id)."""
        found: dict[str, list[PlanProgressSummary]] = {}
        for summary in self.plans.values():
            found.setdefault(summary.plan.member, []).append(summary)
        return found


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
    pace = pace_on(goal, working, as_of)
    weights = records.config.forecast_weights
    # the pipeline expected to close in this goal's period — known only while the period is open:
    # the records hold today's expected close dates, not those of a period already over
    closed_period = period.end < as_of
    pipeline = [] if closed_period else [
        s for s in customers.customers.values()
        if s.category == "unclosed" and (close := records.customers[s.id].expected_close) is not None and close.date in period]
    if goal.metric == "deals":
        weighted = sum(weights[(s.stars or 1) - 1] for s in pipeline)
    else:
        weighted = sum(_expected_value(records, s.id) * weights[(s.stars or 1) - 1] for s in pipeline)
    forecast = actual + weighted

    burnup, running = [], 0.0
    deals_by_day: dict[date, list] = {}
    for d in deals:
        deals_by_day.setdefault(d.date, []).append(d)
    day = period.start
    challenge_scale = goal.challenge / goal.must if goal.must else 1.0
    while day <= period.end:
        must_pace = pace_on(goal, working, day)  # the card's pace rule, day by day
        row = {"date": day.isoformat(), "must_pace": round(must_pace, 2), "challenge_pace": round(must_pace * challenge_scale, 2)}
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
        value: float | None = None
        if not closed_period:
            value = float(len(own_pipeline)) if goal.metric == "deals" else sum(_expected_value(records, s.id) for s in own_pipeline)
        member_rows.append(MemberProgress(member_share.member, member_share.must, member_share.challenge or member_share.must,
                                          goal_value(mine, goal.metric), member_share.must * pace / goal.must if goal.must else 0.0,
                                          value,
                                          value / member_share.must if member_share.must and value is not None else None,
                                          member_share.basis, member_share.customers, member_share.declared,
                                          member_share.agreed_on, member_share.note))
    event_rows = []
    for event in goal.events:
        actual_by_member = facts.event_actuals.get(event.id, {})
        total = {k: sum(r[k] for r in actual_by_member.values()) for k in EVENT_STEPS}
        per_member = [(t.member, event_steps(t), actual_by_member.get(t.member, dict.fromkeys(EVENT_STEPS, 0))) for t in event.members]
        target = event_steps(event)
        short = [k for k in EVENT_STEPS if total[k] < target[k]] if event.date < as_of else []
        event_rows.append(EventProgress(event.id, event.name, event.date, target, total, per_member, short))
    return GoalProgress(goal_id, period, goal.metric, goal.must, goal.challenge, actual, pace,
                        "stages" if goal.stages else "working-days", forecast, len(elapsed), len(working), burnup, stage_rows, member_rows, event_rows, [measure_progress(m, as_of) for m in goal.measures],
                        goal.note)


def forecasts_as_they_stood(records: TeamRecords, facts: Facts, goals: dict[str, GoalProgress],
                            pipelines: dict[date, list[PipelineAt]]) -> dict[str, list[tuple[date, float]]]:
    """For each goal whose period is over, the forecast as it stood on the days git can tell (the
    period's first day and each week after): what was won by that day, plus the pipeline the
    customer files held then — not yet closed, expected to close in the period — weighted by stars
    as the forecast weighs it today. Set against what the period brought, it says how far the
    forecast can be trusted (the same rule as GoalProgress.forecast, on the records of that day)."""
    weights = records.config.forecast_weights
    found: dict[str, list[tuple[date, float]]] = {}
    for gid, goal in goals.items():
        if goal.period.end >= facts.as_of:
            continue
        rows = []
        for day in sorted(d for d in pipelines if d in goal.period):
            won = goal_value([d for d in facts.deals if goal.period.start <= d.date <= day], goal.metric)
            open_then = [p for p in pipelines[day]
                         if CATEGORY_OF_STATUS.get(p.status) == "unclosed" and p.close is not None and p.close in goal.period]
            weighted = sum(weights[(p.stars or 1) - 1] * (1.0 if goal.metric == "deals" else p.value) for p in open_then)
            rows.append((day, won + weighted))
        if rows:
            found[gid] = rows
    return found


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


def event_steps(target: model.SalesEvent | model.EventMemberTarget) -> dict[str, float]:
    """An event's (or one member's share of its) targets, by funnel step."""
    return {"invitations": target.invitations, "attendance": target.attendance, "deals": target.deals, "amount": target.amount}


def _expected_value(records: TeamRecords, customer: str) -> float:
    close = records.customers[customer].expected_close
    return close.value if close is not None else 0.0


def pace_on(goal: model.Goal, working: list[date], as_of: date) -> float:
    """The one pace rule, for the goal's card and its burn-up alike: where the team should be by a
    day to reach the must-achieve target — by stage targets where the goal has stages (each stage's
    target spread over its working days), else by the period's working days."""
    if not working:
        return 0.0
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


def outcome_actual(records: TeamRecords, facts: Facts, plan: model.Plan, measure: str | None) -> float | None:
    """An outcome target's actual: what the member's reports count over the plan's days up to the
    as-of day (None when the target names no measure)."""
    return None if measure is None else counted(records, facts, plan.member, plan.start, min(plan.end, facts.as_of), measure)


def counted(records: TeamRecords, facts: Facts, member: str, start: date, end: date, measure: str) -> float | None:
    """What a member's records count from ``start`` to ``end``: contacts or meetings (the activity on
    the channels of that funnel step), proposals, deals, revenue, or a channel's activity; None for a
    measure that is neither built in nor a channel."""
    if measure in ("deals", "revenue"):
        deals = _dated_between(facts.deals_by_member.get(member, []), start, end)
        return float(len(deals)) if measure == "deals" else float(sum(d.amount for d in deals))
    if measure == "proposals":
        return float(sum(1 for t in _dated_between(facts.touches_by_member.get(member, []), start, end) if t.proposal))
    funnel = {c.id: c.funnel for c in records.config.channels}
    if measure in ("contacts", "meetings"):
        channels = {c for c, step in funnel.items() if step == measure[:-1]}
    elif measure in funnel:
        channels = {measure}
    else:
        return None
    days = facts.activity_by_member.get(member, [])
    first, last = bisect_left(days, start, key=lambda d: d[0]), bisect_right(days, end, key=lambda d: d[0])
    return float(sum(n for _day, activity in days[first:last] for c, n in activity.items() if c in channels))


def _dated_between(facts: list, start: date, end: date) -> list:
    """The facts (sorted by date) dated from ``start`` to ``end``, in their order."""
    return facts[bisect_left(facts, start, key=lambda f: f.date):bisect_right(facts, end, key=lambda f: f.date)]


def compute_plans(records: TeamRecords, facts: Facts, versions: dict[str, list[Version]]) -> PlanMetrics:
    """Each plan item's standing from the reports up to the as-of day: the last report on it says
    where it is; each 'rescheduled' before that moves its deadline to the new date, with the reason
    kept. An item counts as due once its deadline has passed or it is done; done on time means done
    by its deadline, the rescheduled one included (the rescheduling itself stays on the plan's page)."""
    as_of = facts.as_of
    zone = ZoneInfo(records.config.timezone)
    steps: dict[tuple[str, str], list[tuple[date, str, model.PlanProgress]]] = {}
    for rid in sorted(records.reports, key=lambda r: (records.reports[r].date, r)):
        report = records.reports[rid]
        if report.date > as_of:
            continue
        for step in report.progress:
            steps.setdefault((step.plan, step.item), []).append((report.date, rid, step))
    metrics = PlanMetrics()
    for pid in sorted(records.plans):
        plan = records.plans[pid]
        items, due, on_time = [], 0, 0
        for item in plan.items:
            found = steps.get((pid, item.id), [])
            deadline = item.due or plan.end
            moves = []
            for day, rid, step in found:
                if step.status == "rescheduled" and step.new_due is not None and step.new_due > day:
                    moves.append(Rescheduling(day, deadline, step.new_due, step.reason, rid))
                    deadline = step.new_due
            if found:
                day, rid, step = found[-1]
                status: str = step.status
                if status == "done" and day > deadline:
                    status = "done-late"
                elif status == "rescheduled" and deadline < as_of:
                    status = "overdue"
                items.append(ItemStatus(pid, item, status, step.reason, day, rid, deadline, tuple(moves)))
            else:
                items.append(ItemStatus(pid, item, "overdue" if deadline < as_of else "open", None, None, None, deadline))
            if deadline <= as_of or (found and found[-1][2].status == "done"):
                due += 1
                if items[-1].status == "done":
                    on_time += 1
            if items[-1].status in ("partial", "not-done", "overdue", "done-late"):
                metrics.misses.append(items[-1])
        metrics.plans[pid] = PlanProgressSummary(pid, plan, items, due, on_time,
                                                 [outcome_actual(records, facts, plan, t.measure) for t in plan.targets],
                                                 sum(len(it.rescheduled) for it in items),
                                                 _versions_until(versions.get(records.source_path("plan", pid), []), as_of, zone))
        done, total = metrics.adherence_by_member.get(plan.member, (0, 0))
        metrics.adherence_by_member[plan.member] = (done + on_time, total + due)
    metrics.current = current_plans(records, as_of)
    return metrics


def _versions_until(versions: list[Version], as_of: date, zone: ZoneInfo) -> tuple[Version, ...]:
    """The commits made on or before the as-of day, in the team's time zone: a site built as of a
    past day shows the history as it stood then."""
    local = (replace(v, when=v.when.astimezone(zone)) for v in versions)
    return tuple(v for v in local if v.when.date() <= as_of)


def current_plans(records: TeamRecords, as_of: date) -> list[CurrentPlan]:
    """For each member on the team on the day whose role keeps plans at a cadence (plan_cadence):
    the plan of that period covering the day (the latest begun, if several), or None."""
    cadence = records.config.plan_cadence
    found = []
    for member in sorted(records.team.members, key=lambda m: m.id):
        period = cadence.get(member.role)
        if period is None or (member.joined and member.joined > as_of) or (member.left and member.left < as_of):
            continue
        covering = sorted((p.start, pid) for pid, p in records.plans.items()
                          if p.member == member.id and p.period == period and p.start <= as_of <= p.end)
        found.append(CurrentPlan(member.id, period, covering[-1][1] if covering else None))
    return found
