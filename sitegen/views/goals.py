"""The goals section: each goal against its pace, its stages, members' shares, events and measures;
and the plans: adherence, misses with reasons, each plan's items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..charts import chart_spec
from ..i18n import msg
from ..metrics import Metrics
from ..metrics.goals import GoalProgress, PlanProgressSummary
from ..metrics.periodic import PeriodicReport
from ..records import TeamRecords
from .common import Gettext, Names
from .reports import periodic_table
from .tables import Column, Named, Progress, Table, Trend, progress, row, trend

Unit = Literal["money", "number"]
EVENT_STEPS = ("invitations", "attendance", "deals", "amount")


@dataclass(frozen=True)
class GoalSummary:
    """A goal as its cards show it (the goal page and the home page's card alike)."""

    key: str  # the period, e.g. 2026-11
    title: str  # "Goal 2026-11", in the reader's language
    href: str
    unit: Unit
    actual: float
    must: float
    challenge: float
    must_ratio: float
    challenge_ratio: float
    pace: float
    pace_rule: str  # how the pace spreads the target, in the reader's language
    behind_by: float  # 0 when on pace
    time_ratio: float  # share of the period's working days gone
    forecast_ratio: float  # the forecast against must-achieve
    forecast: float
    elapsed_working_days: int
    total_working_days: int
    bar: Progress
    trend: Trend  # the cumulative actual, day by day, against the must-achieve pace


def goal_summary(goal: GoalProgress, _: Gettext) -> GoalSummary:
    rule = _("by stage targets") if goal.pace_rule == "stages" else _("by working days")
    return GoalSummary(goal.period.key, _(msg("Goal {period}", period=goal.period.key)), f"goals/{goal.period.key}.html", "money" if goal.metric == "revenue" else "number",
                       goal.actual, goal.must, goal.challenge, goal.must_ratio, goal.challenge_ratio, goal.pace, rule,
                       max(0.0, goal.pace - goal.actual), goal.time_ratio, goal.forecast_ratio, goal.forecast,
                       goal.elapsed_working_days, goal.total_working_days, progress(goal.actual, goal.must, goal.challenge, goal.pace),
                       trend([r["actual"] for r in goal.burnup if "actual" in r], [r["must_pace"] for r in goal.burnup],
                             _("Actual against the must-achieve pace"), "money" if goal.metric == "revenue" else "number"))


@dataclass(frozen=True)
class GoalView:
    goal: GoalSummary
    note: str | None
    burnup: dict
    burnup_table: Table  # the burn-up's figures, for keyboard and screen-reader users
    stage_chart: dict | None
    stages: Table | None
    member_chart: dict | None
    members: Table | None
    events: tuple[tuple[str, date, Table], ...]  # each event's name, day, and targets against actuals
    measures: Table | None
    periodic: Table | None = None  # the periodic reports owed for periods ending in this goal period
    conversation: Table | None = None  # each member's own figure against the agreed one, when and how it was agreed
    forecasts: Table | None = None  # the forecast as it stood week by week, against what the period brought (git)


def goal_view(records: TeamRecords, goal: GoalProgress, names: Names, _: Gettext, chart_labels: dict,
              periodic: list[PeriodicReport] | None = None, forecasts: list[tuple[date, float]] | None = None) -> GoalView:
    summary = goal_summary(goal, _)
    unit: Unit = summary.unit
    labels = dict(chart_labels, value=_("Revenue") if goal.metric == "revenue" else _("Deals"))
    targets = [{"kind": "must", "label": _("Must-achieve"), "value": goal.must},
               {"kind": "challenge", "label": _("Challenge"), "value": goal.challenge}]
    stages = None
    if goal.stages:
        stages = Table("stages", (Column("stage", _("Stage")), Column("start", _("Start"), "date"), Column("end", _("End"), "date"),
                                  Column("target", _("Target"), unit), Column("actual", _("Actual"), unit),
                                  Column("progress", _("Progress"), "percent")),
                       tuple(row(s.name, s.start, s.end, s.target, s.actual, s.actual / s.target if s.target else 0.0) for s in goal.stages))
    members = None
    if goal.members:
        floor = records.config.pipeline_coverage_floor
        members = Table("member-shares", (
            Column("member", _("Member"), "ref"), Column("must", _("Must-achieve"), unit), Column("challenge", _("Challenge"), unit),
            Column("actual", _("Actual"), unit), Column("progress", _("Progress"), "percent"),
            Column("pipeline", _("Pipeline this period"), unit), Column("coverage", _("Coverage"), "percent"),
            Column("basis", _("Basis"), "status"), Column("customers", _("Customers behind the share"), "refs")),
            tuple(row(names.member(m.member), m.must, m.challenge, m.actual, m.actual / m.must if m.must else 0.0, m.pipeline,
                      m.coverage, names.label(m.basis) if m.basis else None, tuple(names.customer(c) for c in m.customers),
                      warn=("coverage",) if m.coverage is not None and m.coverage < floor else (), data=(("member", m.member),))
                  for m in goal.members)
            + (row(Named("", _("Sum of shares")), sum(m.must for m in goal.members), sum(m.challenge for m in goal.members),
                   sum(m.actual for m in goal.members), None, None, None, None, (), total=True),))
    conversation = Table("goal-conversation", (
        Column("member", _("Member"), "ref"), Column("declared", _("Declared by the member"), unit),
        Column("must", _("Agreed must-achieve"), unit), Column("change", _("Agreed minus declared"), unit),
        Column("agreed_on", _("Agreed on"), "date"), Column("note", _("Notes of the conversation"))),
        tuple(row(names.member(m.member), m.declared, m.must, m.must - m.declared if m.declared is not None else None, m.agreed_on, m.note,
                  warn=("agreed_on",) if m.agreed_on is None else (), data=(("member", m.member),))
              for m in goal.members)) if goal.members else None
    step_labels = {"invitations": _("Invitations"), "attendance": _("Attendance"), "deals": _("Deals"), "amount": _("Amount")}
    events = tuple(
        (e.name, e.date, Table(f"event-{index}", (Column("who", _("Member"), "ref"),
                                 *(Column(f"{k}.{side}", label, "money" if k == "amount" else "number", step_labels[k])
                                   for k in EVENT_STEPS for side, label in (("target", _("Target")), ("actual", _("Actual"))))),
              tuple(row(names.member(mid), *(target[k] if side == "target" else actual[k] for k in EVENT_STEPS
                                             for side in ("target", "actual"))) for mid, target, actual in e.by_member)
              + (row(Named("", _("Team")), *(e.target[k] if side == "target" else e.actual[k]
                                             for k in EVENT_STEPS for side in ("target", "actual")), total=True),)))
        for index, e in enumerate(goal.events, start=1))
    measures = None
    if goal.measures:
        measures = Table("measures", (Column("what", _("Measure")), Column("owner", _("Owner"), "ref"), Column("due", _("Due"), "date"),
                                      Column("status", _("Status"), "status")),
                         tuple(row(m.what, names.member(m.owner) if m.owner else None, m.due, names.label(m.status),
                                   warn=("status",) if m.status == "overdue" else ()) for m in goal.measures))
    return GoalView(
        summary, goal.note, chart_spec("burnup", goal.burnup, labels, targets=targets),
        Table("burnup", (Column("date", _("Date"), "date"), Column("actual", _("Actual"), unit),
                         Column("must_pace", _("Must-achieve pace"), unit), Column("challenge_pace", _("Challenge pace"), unit)),
              tuple(row(date.fromisoformat(r["date"]), r.get("actual"), r["must_pace"], r["challenge_pace"]) for r in goal.burnup)),
        chart_spec("stages", [{"stage": s.name, "target": s.target, "actual": s.actual} for s in goal.stages], labels) if goal.stages else None,
        stages,
        chart_spec("members", [{"name": names.members.get(m.member, m.member), "actual": m.actual, "must": m.must,
                                "challenge": m.challenge} for m in goal.members], labels) if goal.members else None,
        members, events, measures,
        periodic_table("periodic", [p for p in periodic or [] if goal.period.start <= p.end <= goal.period.end], names, _,
                       _("No periodic report owed in this period.")) if periodic else None,
        conversation,
        Table("forecast-history", (Column("date", _("Date"), "date"), Column("forecast", _("Forecast then"), unit),
                                   Column("actual", _("What the period brought"), unit), Column("off", _("Off by"), "percent")),
              tuple(row(day, value, goal.actual, value / goal.actual - 1 if goal.actual else None) for day, value in forecasts))
        if forecasts else None)


@dataclass(frozen=True)
class GoalsView:
    goals: Table
    attainment: Table | None = None  # each member's actual against their must share, period by period
    next_goal: Named | None = None  # the page for setting the next period's goal
    archive: tuple[Named, ...] = ()  # the month-end sites kept under archive/, newest first (build --archive)


@dataclass(frozen=True)
class GoalSettingView:
    period: str  # the period the goal is being set for
    suggestions: Table


def goal_setting_view(metrics: Metrics, names: Names, _: Gettext) -> GoalSettingView:
    """The figures behind next period's goal, member by member, and the suggestion they make (the
    rule: metrics/goal_setting.py)."""
    setting = metrics.goal_setting
    stars = "★"
    rows = tuple(row(names.member(s.member), *s.past, s.history, s.pipeline, s.weighted,
                     " · ".join(f"{n}{stars} {count}" for n, count in reversed(list(enumerate(s.by_star, 1))) if count),
                     s.capacity, s.must, s.challenge, names.label(s.must_from), names.label(s.challenge_from),
                     warn=("capacity",) if s.capacity is not None and s.capacity < s.must else (), data=(("member", s.member),))
                 for s in setting.members)
    total = row(_("Sum of suggestions"), *(sum(s.past[i] for s in setting.members) for i in range(len(setting.past))),
                None, sum(s.pipeline for s in setting.members), sum(s.weighted for s in setting.members), None,
                None, sum(s.must for s in setting.members), sum(s.challenge for s in setting.members), None, None, total=True)
    won = _("Won")
    return GoalSettingView(setting.period.key, Table("goal-setting", (
        Column("member", _("Member"), "ref"),
        *(Column(f"won.{p.key}", p.key, "money", won) for p in setting.past),
        Column("history", _("Median of the periods over"), "money"), Column("pipeline", _("Pipeline next period"), "money"),
        Column("weighted", _("Weighted by stars"), "money"), Column("by_star", _("Customers by star")),
        Column("capacity", _("Activity at target could bring"), "money"),
        Column("must", _("Suggested must-achieve"), "money"), Column("challenge", _("Suggested challenge"), "money"),
        Column("must_from", _("Must-achieve set by"), "status"), Column("challenge_from", _("Challenge set by"), "status")),
        rows + ((total,) if rows else ()), empty=_("No member reports yet.")))


def attainment(metrics: Metrics, names: Names, _: Gettext, member: str | None = None) -> Table | None:
    """The habit of achieving (養成達成目標的習慣): actual ÷ must share in every goal period, oldest
    first, and how many of the periods already over were achieved. One member's, or everyone's."""
    goals = list(metrics.goals.values())
    members = sorted({m.member for g in goals for m in g.members if member is None or m.member == member})
    if not members:
        return None
    shares = {(g.period.key, m.member): m for g in goals for m in g.members}
    rows = []
    for mid in members:
        ended = {g.period.key for g in goals if g.period.end < metrics.as_of and (g.period.key, mid) in shares}
        achieved = sum(1 for key in ended if shares[(key, mid)].actual >= shares[(key, mid)].must)
        cells = [shares[(g.period.key, mid)].actual / shares[(g.period.key, mid)].must
                 if (g.period.key, mid) in shares and shares[(g.period.key, mid)].must else None for g in goals]
        rows.append(row(names.member(mid), *cells, achieved, len(ended),
                        warn=tuple(g.period.key for g, c in zip(goals, cells, strict=True) if c is not None and c < 1 and g.period.key in ended),
                        data=(("member", mid),)))
    return Table("attainment", (Column("member", _("Member"), "ref"),
                                *(Column(g.period.key, g.period.key, "percent", _("Actual ÷ must-achieve share")) for g in goals),
                                Column("achieved", _("Periods achieved"), "number"), Column("ended", _("Periods over"), "number")),
                 tuple(rows))


def goals_view(metrics: Metrics, names: Names, _: Gettext, archive: tuple[str, ...] = ()) -> GoalsView:
    goals = [goal_summary(g, _) for g in reversed(list(metrics.goals.values()))]
    return GoalsView(Table("goals", (Column("period", _("Period"), "ref"), Column("must", _("Must-achieve"), "number"),
                                     Column("challenge", _("Challenge"), "number"), Column("actual", _("Actual"), "number"),
                                     Column("progress", _("Progress"), "progress")),
                           tuple(row(Named(g.key, g.key, g.href), g.must, g.challenge, g.actual, g.bar) for g in goals),
                           empty=_("No goals yet.")), attainment(metrics, names, _),
                     Named("next", _(msg("Setting the goal for {period}", period=metrics.goal_setting.period.key)), "goals/next.html"),
                     tuple(Named(key, key, f"archive/{key}/index.html") for key in reversed(archive)))


# ---------------------------------------------------------------------------------------------
# plans


def adherence(done: int, due: int) -> float | None:
    return done / due if due else None


@dataclass(frozen=True)
class PlansView:
    adherence: Table
    misses: Table
    plans: tuple[tuple[Named, float | None], ...]  # every plan, newest first, with its adherence
    current: Table | None = None  # each member's current plan at their role's cadence (plan_cadence), when the team sets one


def plan_title(summary: PlanProgressSummary, names: Names) -> str:
    return f"{names.members.get(summary.plan.member, summary.plan.member)} · {summary.plan.start}"


def plans_view(metrics: Metrics, names: Names, _: Gettext) -> PlansView:
    plans = metrics.plans
    adherence_table = Table("adherence", (Column("member", _("Member"), "ref"), Column("done", _("Done on time"), "number"),
                                          Column("due", _("Due"), "number"), Column("adherence", _("Adherence"), "percent")),
                            tuple(row(names.member(mid), done, due, adherence(done, due), data=(("member", mid),))
                                  for mid, (done, due) in sorted(plans.adherence_by_member.items())))
    misses = Table("misses", (Column("member", _("Member"), "ref"), Column("item", _("Item"), "ref"), Column("due", _("Due"), "date"),
                              Column("status", _("Status"), "status"), Column("reason", _("Reason"))),
                   tuple(row(names.member(plans.plans[it.plan].plan.member), Named(it.item.id, it.item.what, f"plans/{it.plan}.html"),
                             it.item.due, names.label(it.status), it.reason)
                         for it in reversed(plans.misses)))
    listed = tuple((Named(pid, f"{names.members.get(s.plan.member, s.plan.member)} · {_(s.plan.period)} · {s.plan.start}",
                          f"plans/{pid}.html"), s.adherence) for pid, s in sorted(plans.plans.items(), reverse=True))
    current = Table("current-plans", (Column("member", _("Member"), "ref"), Column("cadence", _("Cadence"), "status"),
                                      Column("plan", _("Current plan"), "ref")),
                    tuple(row(names.member(c.member), names.label(c.cadence),
                              names.plan(c.plan, plans.plans[c.plan].plan.start) if c.plan else _("No current plan"),
                              warn=() if c.plan else ("plan",), data=(("member", c.member),)) for c in plans.current)
                    ) if plans.current else None
    return PlansView(adherence_table, misses, listed, current)


@dataclass(frozen=True)
class PlanView:
    member: Named
    period: str
    start: date
    end: date
    adherence: float | None
    done_on_time: int
    due: int
    outcomes: Table  # each outcome target against what the reports count
    items: Table
    rescheduled: Table  # each time an item was moved to a later day, with the reason
    revisions: Table  # the changes the plan itself records
    versions: Table  # the commits that changed its file
    note: str | None


def plan_view(summary: PlanProgressSummary, names: Names, _: Gettext) -> PlanView:
    plan = summary.plan
    items = Table("plan-items", (Column("item", _("Item")), Column("customer", _("Customer"), "ref"), Column("due", _("Due"), "date"),
                                 Column("expected", _("Expected outcome")), Column("status", _("Status"), "status"),
                                 Column("reason", _("Reason")), Column("reported", _("Reported"), "ref")),
                  tuple(row(it.item.what, names.customer(it.item.customer) if it.item.customer else None, it.due,
                            it.item.expected, names.label(it.status), it.reason,
                            names.report(it.report, it.reported_on) if it.report and it.reported_on else None)
                        for it in summary.items), download=False)
    rescheduled = Table("rescheduled", (Column("item", _("Item")), Column("on", _("Reported"), "ref"), Column("before", _("Was due"), "date"),
                                        Column("after", _("Now due"), "date"), Column("reason", _("Reason"))),
                        tuple(row(it.item.what, names.report(move.report, move.on), move.before, move.after, move.reason)
                              for it in summary.items for move in it.rescheduled),
                        empty=_("No item was rescheduled."), download=False)
    revisions = Table("revisions", (Column("date", _("Date"), "date"), Column("change", _("Change")), Column("reason", _("Reason"))),
                      tuple(row(r.date, r.change, r.reason) for r in sorted(plan.revisions, key=lambda r: r.date, reverse=True)),
                      empty=_("The plan records no revision."), download=False)
    versions = Table("versions", (Column("date", _("Date"), "date"), Column("commit", _("Commit"), "code"), Column("subject", _("Message"), "verbatim")),
                     tuple(row(v.when.date(), v.commit, v.subject) for v in reversed(summary.versions)),
                     empty=_("No version in git yet."), download=False)
    return PlanView(names.member(plan.member), _(plan.period), plan.start, plan.end, summary.adherence, summary.done_on_time,
                    summary.due, Table("outcomes", (Column("what", _("Outcome")), Column("target", _("Target"), "number"),
                                                    Column("actual", _("Actual"), "number"), Column("share", _("Share of target"), "percent")),
                                       tuple(row(t.what, t.value, actual, actual / t.value if actual is not None and t.value else None,
                                                 warn=("actual",) if actual is not None and t.value and actual < t.value else ())
                                             for t, actual in zip(plan.targets, summary.actuals, strict=True)),
                                       empty=_("No outcome targets in this plan."), download=False),
                    items, rescheduled, revisions, versions, plan.note)
