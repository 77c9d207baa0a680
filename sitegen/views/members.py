"""The people: the overview, the member list with won revenue, each member's page, and the
capability matrix that points coaching at the gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import msg
from ..metrics import Metrics
from ..metrics.capability import format_figure
from ..metrics.customers import CustomerCounts
from ..model import capabilities
from ..records import TeamRecords
from .action import recognition_table, requests_table
from .common import Gettext, Names, in_language
from .customers import counts_columns, counts_row
from .goals import GoalSummary, adherence, attainment, goal_summary
from .reports import periodic_compliance, periodic_table, reviews_table
from .tables import Column, Named, Progress, Table, Trend, progress, row, trend


@dataclass(frozen=True)
class Signal:
    member: Named
    name: str  # in the reader's language
    capabilities: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class Attention:
    """One person who needs the manager today, and why — each reason a sentence, linked where it can be."""

    member: Named
    behind_by: float  # how far behind their share's pace (0: on pace), which ranks the list
    unit: str  # money or number: the goal's
    goal: str | None  # the goal page, where the pace is
    reasons: tuple[Named, ...]  # besides the pace


@dataclass(frozen=True)
class HomeView:
    customers: CustomerCounts
    unrated: int  # customers not yet closed, or closed, with no star yet
    goal: GoalSummary | None
    period: str
    won_revenue: float
    won_deals: int
    all_time_revenue: float
    all_time_deals: int
    today: date | None
    today_href: str | None
    reported: int
    due: int
    activity_share: float | None  # the team's contacts over the period against target (the activity page's team row)
    low_activity: tuple[Named, ...]  # members whose low_activity signal fired (docs/records.md: signal rules)
    overdue_measures: tuple[tuple[str, Named | None, date | None], ...]  # the current goal's: what, owner, due
    missed_events: tuple[tuple[str, date, tuple[str, ...]], ...]  # the current goal's events that fell short, and where
    signals: tuple[Signal, ...]  # the first few
    attention: tuple[Attention, ...]  # who needs attention today, most behind first
    members: Table
    open_help: Table  # the longest-open requests for help not yet answered
    open_help_count: int


def attention_list(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext) -> tuple[Attention, ...]:
    """Who needs attention today: behind their share's pace, no report on the last working day,
    follow-ups overdue, and the signals that fired — one line per person, most behind first."""
    goal = metrics.goals.get(metrics.current_goal) if metrics.current_goal else None
    shares = {m.member: m for m in goal.members} if goal else {}
    today = metrics.action.today
    missing = {r.member for r in metrics.action.meetings.get(today.day, [])
               if r.owed and not r.reported} if today else set()
    signals: dict[str, list[tuple[str, str]]] = {}
    for s in metrics.capability.signals:
        signals.setdefault(s.member, []).append((s.name, _(s.name)))
    lines = []
    for m in records.team.members:
        share = shares.get(m.id)
        behind = max(0.0, share.pace - share.actual) if share else 0.0
        reasons = []
        if m.id in missing and today:
            reasons.append(Named("report", _("no report on the last working day"), f"daily/{today.day.isoformat()}.html"))
        counts = metrics.customers.by_member.get(m.id)
        if counts and counts.overdue:
            reasons.append(Named("overdue", _("{count} overdue follow-ups").format(count=counts.overdue), f"members/{m.id}.html"))
        for signal, name in signals.get(m.id, []):
            if signal != "overdue_followups" or not (counts and counts.overdue):  # said once, with the count
                reasons.append(Named(signal, _(msg("signal: {name}", name=name)), "capability.html"))
        if reasons or behind:
            lines.append(Attention(names.member(m.id), behind, "money" if goal and goal.metric == "revenue" else "number",
                                   f"goals/{goal.period.key}.html" if goal else None, tuple(reasons)))
    return tuple(sorted(lines, key=lambda a: (-a.behind_by, -len(a.reasons), a.member.id)))


def home_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext) -> HomeView:
    team = metrics.customers.team
    goal = metrics.goals.get(metrics.current_goal) if metrics.current_goal else None
    shares = {m.member: m for m in goal.members} if goal else {}
    rows = []
    for m in records.team.members:
        counts = metrics.customers.by_member.get(m.id, CustomerCounts())
        comp = metrics.action.compliance.get(m.id)
        share = shares.get(m.id)
        done_due = metrics.plans.adherence_by_member.get(m.id)
        rows.append(row(names.member(m.id), counts.unclosed, counts.closed,
                        (share.actual / share.must if share.must else 0.0) if share else None,
                        comp.submitted if comp else None, comp.expected if comp else None,
                        adherence(*done_due) if done_due else None, data=(("member", m.id),)))
    members = Table("members", (Column("member", _("Member"), "ref"), Column("unclosed", _("Not yet closed"), "number"),
                                Column("closed", _("Closed"), "number"), Column("goal_progress", _("Goal progress"), "percent"),
                                Column("reports", _("Reports"), "number"), Column("reports_expected", _("Reports expected"), "number"),
                                Column("plan_adherence", _("Plan adherence"), "percent")), tuple(rows))
    won, ever, today = metrics.won_this_period, metrics.won_all_time, metrics.action.today
    steps = {"invitations": _("Invitations"), "attendance": _("Attendance"), "deals": _("Deals"), "amount": _("Amount")}
    return HomeView(team, team.unrated_unclosed + team.unrated_closed, goal_summary(goal, _) if goal else None, metrics.period.key,
                    won.revenue, won.deals, ever.revenue, ever.deals, today.day if today else None,
                    f"daily/{today.day.isoformat()}.html" if today else None, today.reported if today else 0,
                    today.due if today else 0, metrics.action.share_of_target(),
                    tuple(names.member(s.member) for s in metrics.capability.signals if s.name == "low_activity"),
                    tuple((m.what, names.member(m.owner) if m.owner else None, m.due)
                          for m in (goal.measures if goal else []) if m.status == "overdue"),
                    tuple((e.name, e.date, tuple(steps[k] for k in e.fell_short)) for e in (goal.events if goal else []) if e.fell_short),
                    tuple(_signal(s, names, _) for s in metrics.capability.signals[:8]),
                    attention_list(records, metrics, names, _), members,
                    requests_table("open-help", [h for h in reversed(metrics.support) if h.is_open][:OPEN_HELP_SHOWN], names, _,
                                   metrics.as_of, _("Every request for help has its answer."), answers=False),
                    sum(1 for h in metrics.support if h.is_open))


def _signal(s, names: Names, _: Gettext) -> Signal:
    return Signal(names.member(s.member), _(s.name), tuple(names.capabilities.get(c, c) for c in s.capabilities),
                  _(s.evidence))


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[tuple[Named, str], ...]  # each member and their role


@dataclass(frozen=True)
class MembersView:
    groups: tuple[Group, ...]
    won_by_quarter: Table | None
    won_by_period: Table | None


def members_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext) -> MembersView:
    team = records.team
    groups = [Group(g.name, tuple((names.member(m.id), _(m.role)) for m in team.members if m.group == g.id)) for g in team.groups]
    others = tuple((names.member(m.id), _(m.role)) for m in team.members if not m.group)
    if others:
        groups.append(Group(_("Others"), others))
    quarters = sorted({q for by_quarter in metrics.won_by_quarter.values() for q in by_quarter})
    by_quarter = None
    if quarters:
        shown = [m.id for m in team.members if m.id in metrics.won_by_quarter or m.role != "manager"]
        by_quarter = Table("won-by-quarter", (Column("member", _("Member"), "ref"),
                                              *(Column(q, q, "money") for q in quarters), Column("total", _("Total"), "money")),
                           tuple(row(names.member(mid), *(metrics.won_by_quarter.get(mid, {}).get(q, 0) for q in quarters),
                                     sum(metrics.won_by_quarter.get(mid, {}).values()), data=(("member", mid),)) for mid in shown))
    by_period = None
    if metrics.won:
        ever = metrics.won_all_time
        by_period = Table("won-by-period-table", (Column("period", _("Period")), Column("deals", _("Deals"), "number"),
                                                  Column("revenue", _("Won revenue"), "money")),
                          tuple(row(w.key, w.deals, w.revenue) for w in reversed(metrics.won))
                          + (row(_("Total"), ever.deals, ever.revenue, total=True),))
    return MembersView(tuple(groups), by_quarter, by_period)


@dataclass(frozen=True)
class GoalShare:
    key: str
    actual: float
    must: float
    challenge: float
    coverage: float | None
    bar: Progress


@dataclass(frozen=True)
class MemberView:
    role: str
    reports_to: Named | None
    goal_share: GoalShare | None
    customers: Table | None
    to_act_on: tuple[tuple[str, str, Table], ...]  # title, the rule that put the customers there, the customers
    activity: Table | None
    submitted: int
    expected: int
    missing: int
    late: int
    judged: int
    missing_days: tuple[date, ...]
    plan_adherence: float | None
    plans: tuple[tuple[Named, float | None], ...]  # newest first
    signals: tuple[Signal, ...]
    reviews: Table
    coachings: tuple[tuple[Named, str, tuple[str, ...]], ...]  # the record (by its date), its format, capabilities
    trend: Trend | None  # activity as a share of target, working day by working day, this period
    reports: Table  # the latest reports, newest first
    help: Table  # every request for help in the member's reports, newest first
    contacts: Table  # the latest touchpoints, newest first
    recognition: Table  # what the member achieved that the team celebrates, newest first
    # for a supervisor (提醒、檢查、輔導): each of their people's current plan, plan adherence and
    # reports this period, and the requests for help still open that they owe, oldest first
    group: Table | None = None
    owed: Table | None = None
    periodic_compliance: Table | None = None  # the periodic reports the member's role owes (reports.periodic), by kind
    periodic: Table | None = None  # each of them, newest first
    attainment: Table | None = None  # actual against their must share in every goal period


OPEN_HELP_SHOWN = 10  # the home page lists the longest open; each member's page lists all of theirs
RECENT = 10  # reports and contacts a one-to-one looks back on (the rest are a click away)


def member_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, member_id: str) -> MemberView:
    member = next(m for m in records.team.members if m.id == member_id)
    goal = metrics.goals.get(metrics.current_goal) if metrics.current_goal else None
    share = next((GoalShare(goal.period.key, r.actual, r.must, r.challenge, r.coverage, progress(r.actual, r.must, r.challenge))
                  for r in goal.members if r.member == member_id), None) if goal else None
    counts = metrics.customers.by_member.get(member_id)
    customers = Table("customer-counts", counts_columns(_), (counts_row(Named(member_id, member.name, written=True), counts),)) if counts else None
    to_act_on = customers_to_act_on(records, metrics, names, _, member_id)
    activity = None
    comp = metrics.action.compliance.get(member_id)
    if metrics.action.activity.get(member_id):
        totals = metrics.action.totals[member_id]
        activity = Table("activity", (Column("channel", _("Channel"), "ref"), Column("actual", _("Actual"), "number"),
                                      Column("target", _("Target"), "number")),
                         tuple(row(Named(c.id, names.channel(c.id), written=True), *totals[c.id],
                                   warn=("actual",) if totals[c.id][1] and totals[c.id][0] < totals[c.id][1] else ())
                               for c in records.config.channels))
    done_due = metrics.plans.adherence_by_member.get(member_id)
    plans = tuple((Named(s.id, f"{_(s.plan.period)} · {s.plan.start}", f"plans/{s.id}.html"), s.adherence)
                  for s in reversed(metrics.plans.by_member.get(member_id, [])))
    capability_names = names.capabilities
    coachings = sorted(((rid, c) for rid, c in records.coachings.items() if member_id in c.members), key=lambda p: p[1].date, reverse=True)
    group, owed = group_tables(records, metrics, names, _, member_id)
    periodic = metrics.periodic.get(member_id)
    return MemberView(
        _(member.role), names.member(member.reports_to) if member.reports_to else None, share, customers, to_act_on, activity,
        comp.submitted if comp else 0, comp.expected if comp else 0, comp.missing if comp else 0, comp.late if comp else 0,
        comp.judged if comp else 0, tuple(comp.missing_days) if comp else (), adherence(*done_due) if done_due else None, plans,
        tuple(_signal(s, names, _) for s in metrics.capability.by_member.get(member_id, [])),
        reviews_table(records, names, _, member_id),
        tuple((names.report(rid, c.date), _(c.format), tuple(capability_names.get(x, x) for x in c.capabilities)) for rid, c in coachings),
        *member_history(records, metrics, names, _, member_id),
        recognition_table([r for r in metrics.recognition if r.member == member_id], names, _, _("Nothing celebrated yet.")),
        group=group, owed=owed,
        periodic_compliance=periodic_compliance(periodic, names, _) if periodic else None,
        periodic=periodic_table("periodic", periodic, names, _, "") if periodic else None,
        attainment=attainment(metrics, names, _, member_id))


def supervised(records: TeamRecords, supervisor: str) -> list[str]:
    """Who a member supervises: those who report to them, and the members of groups they lead."""
    led = {g.id for g in records.team.groups if g.supervisor == supervisor}
    return [m.id for m in records.team.members
            if m.id != supervisor and (m.reports_to == supervisor or (m.group in led and not m.reports_to))]


def group_tables(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, supervisor: str) -> tuple[Table | None, Table | None]:
    """A supervisor's people and the requests they owe (None, None for anyone who supervises no one)."""
    people = supervised(records, supervisor)
    if not people:
        return None, None
    current = {c.member: c for c in metrics.plans.current}
    open_by_member = metrics.help_open_by_member
    rows = []
    for mid in people:
        comp = metrics.action.compliance.get(mid)
        plan = current.get(mid)
        done, due = metrics.plans.adherence_by_member.get(mid, (0, 0))
        plan_cell = (names.plan(plan.plan, metrics.plans.plans[plan.plan].plan.start) if plan and plan.plan
                     else _("No current plan") if plan else None)
        rows.append(row(names.member(mid), plan_cell, adherence(done, due), comp.submitted if comp else None,
                        comp.missing if comp else None, comp.late if comp else None, open_by_member.get(mid, 0),
                        warn=tuple(key for key, bad in (("plan", plan is not None and plan.plan is None),
                                                        ("missing", bool(comp and comp.missing)), ("late", bool(comp and comp.late)),
                                                        ("open_help", bool(open_by_member.get(mid)))) if bad),
                        data=(("member", mid),)))
    members = Table("group", (Column("member", _("Member"), "ref"), Column("plan", _("Current plan"), "ref"),
                              Column("adherence", _("Plan adherence"), "percent"), Column("submitted", _("Reports"), "number"),
                              Column("missing", _("Missing"), "number"), Column("late", _("Late"), "number"),
                              Column("open_help", _("Open requests for help"), "number")), tuple(rows))
    return members, requests_table("owed", metrics.help_open_by_owner.get(supervisor, []), names, _, metrics.as_of,
                                   _("Nothing owed."), answers=False)


def member_history(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext,
                   member_id: str) -> tuple[Trend | None, Table, Table, Table]:
    """What a one-to-one looks back on: the activity trend, the latest reports, the help asked
    for, and the latest contacts."""
    days = [d for d in metrics.action.activity.get(member_id, []) if d.working and metrics.period.start <= d.date <= metrics.as_of]
    shares = [d.share_of_target for d in days]
    activity_trend = (trend([s or 0.0 for s in shares], [1.0] * len(shares), _("Activity against target, day by day"), "percent")
                      if any(s is not None for s in shares) else None)
    own = sorted(((rid, records.reports[rid]) for rid in names.reports_by_member.get(member_id, ())),
                 key=lambda p: (p[1].date, p[0]), reverse=True)
    reports = Table("reports", (Column("report", _("Report"), "ref"), Column("kind", _("Type"), "status"),
                                Column("contacts", _("Contacts"), "number"), Column("help", _("Help requested"))),
                    tuple(row(names.report(rid, r.date), names.label(r.kind), sum(r.activity.values()), r.help)
                          for rid, r in own[:RECENT]), empty=_("No reports yet."))
    help_requests = requests_table("help", metrics.help_by_member.get(member_id, []), names, _, metrics.as_of,
                                   _("No help requested."))
    touches = sorted(metrics.facts.touches_by_member.get(member_id, ()), key=lambda t: t.date, reverse=True)[:RECENT]
    contacts = Table("contacts", (Column("date", _("Date"), "date"), Column("customer", _("Customer"), "ref"),
                                  Column("channel", _("Channel")), Column("purpose", _("Purpose")), Column("result", _("Result"))),
                     tuple(row(t.date, names.customer(t.customer), names.channel(t.channel), t.purpose, t.result) for t in touches),
                     empty=_("No touchpoints yet."))
    return activity_trend, reports, help_requests, contacts


def customers_to_act_on(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext,
                        member_id: str) -> tuple[tuple[str, str, Table], ...]:
    """A member's customers that need something now, each list with the rule that put them there."""
    own = metrics.customers.by_owner.get(member_id, [])
    overdue = sorted((s for s in own if s.overdue_days), key=lambda s: (-s.overdue_days, s.id))
    churn = sorted((s for s in own if s.churn_risk), key=lambda s: (-(s.stars or 0), -(s.quiet_days or 0), s.id))
    expected = sorted((s for s in own if s.expected_in_period), key=lambda s: (-(s.stars or 0), s.id))
    customer, stars = Column("customer", _("Customer"), "ref"), Column("stars", _("Stars"), "stars")
    return (
        (_("Overdue follow-ups"), _("The next contact promised in the last touchpoint is past, with no contact since."),
         Table("overdue", (customer, stars, Column("next_contact", _("Next contact"), "date"),
                           Column("overdue_days", _("Days overdue"), "number")),
               tuple(row(names.customer(s.id), s.stars, s.next_contact, s.overdue_days, warn=("overdue_days",)) for s in overdue),
               empty=_("None."))),
        (_("Churn risk"), _("Longer without contact than the contact frequency its stars ask for (see Standards)."),
         Table("churn-risk", (customer, stars, Column("status", _("Status"), "status"),
                              Column("last_contact", _("Last contact"), "date"),
                              Column("quiet_days", _("Days without contact"), "number"),
                              Column("contact_every_days", _("Contact at least every (days)"), "number")),
               tuple(row(names.customer(s.id), s.stars, names.label(s.status), s.last_touch.date if s.last_touch else None,
                         s.quiet_days, s.contact_every_days, warn=("quiet_days",)) for s in churn),
               empty=_("None."))),
        (_("Expected to close this period"), _("Not yet closed, with an expected close date in this goal period."),
         Table("expected", (customer, stars, Column("expected_close", _("Expected to close"), "date"),
                            Column("value", _("Value"), "money")),
               tuple(row(names.customer(s.id), s.stars, _close_date(records, s.id), s.expected_value) for s in expected),
               empty=_("None."))),
    )


def _close_date(records: TeamRecords, customer: str) -> date | None:
    close = records.customers[customer].expected_close
    return close.date if close is not None else None


@dataclass(frozen=True)
class CapabilityView:
    funnel: Table
    matrix: Table
    group_training: tuple[tuple[str, tuple[Named, ...]], ...]  # capability, members sharing the gap
    signals: Table
    observed: Table  # this period's review findings and members' own stated problems, beside the numbers
    coaching: Table
    model: tuple[tuple[str, str, tuple[str, ...]], ...]  # each capability, its description, the signals that point at it


def observed_evidence(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext) -> Table:
    """What the numbers cannot say (透過觀察、成員匯報): the findings of this period's reviews and the
    problems members raised in their own reports, each linked to its record, newest first."""
    start, end = metrics.period.start, metrics.as_of
    lines = [(r.date, r.member, rid, _("Review finding"), finding) for rid, r in records.reviews.items()
             if start <= r.date <= end for finding in r.findings]
    lines += [(r.date, r.member, rid, _("Raised by the member"), r.help) for rid, r in records.reports.items()
              if r.help and start <= r.date <= end]
    lines.sort(key=lambda line: (line[0], line[1], line[2]), reverse=True)
    return Table("observed", (Column("member", _("Member"), "ref"), Column("record", _("Record"), "ref"),
                              Column("source", _("Source")), Column("what", _("What was seen or said"))),
                 tuple(row(names.member(member), names.report(rid, day), source, text, data=(("member", member),))
                       for day, member, rid, source, text in lines),
                 empty=_("No review findings or raised problems this period."))


def capability_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext) -> CapabilityView:
    caps = metrics.capability
    capability_list = capabilities(records.config)
    capability_names = names.capabilities
    funnel = Table("funnel", (
        Column("member", _("Member"), "ref"), Column("contacts", _("Contacts"), "number"), Column("meetings", _("Meetings"), "number"),
        Column("proposals", _("Proposals"), "number"), Column("deals", _("Deals"), "number"),
        Column("invitation", _("Meetings per contact (invitation success)"), "percent"),
        Column("proposal_rate", _("Proposals per meeting"), "percent"), Column("close_rate", _("Deals per meeting"), "percent")),
        tuple(row(names.member(mid), f.contacts, f.meetings, f.proposals, f.deals, f.rate("meetings", "contacts"),
                  f.rate("proposals", "meetings"), f.rate("deals", "meetings"), data=(("member", mid),))
              for mid, f in caps.funnels.items()))
    rows = []
    for mid, signals in caps.by_member.items():
        cells: list[tuple[str, ...]] = []
        flagged = []
        for c in capability_list:
            hits = [_(s.name) for s in signals if c.id in s.capabilities]
            coached = [_(msg("coached {date}", date=o.date.isoformat()) if o.improved is None
                         else msg("coached {date}, improved", date=o.date.isoformat()) if o.improved
                         else msg("coached {date}, not improved yet", date=o.date.isoformat()))
                       for o in caps.coaching if o.member == mid and o.capability == c.id]
            cells.append(tuple(hits + coached))
            if hits:
                flagged.append(c.id)
        rows.append(row(names.member(mid), *cells, warn=tuple(flagged), data=(("member", mid),)))
    matrix = Table("capability-matrix", (Column("member", _("Member"), "ref"),
                                         *(Column(c.id, capability_names[c.id], "lines") for c in capability_list)), tuple(rows))
    evidence = Table("signals", (Column("member", _("Member"), "ref"), Column("signal", _("Signal")),
                                Column("capabilities", _("Capability")), Column("evidence", _("Evidence")),
                                Column("previous", _("Previous period")), Column("records", _("Records"), "refs")),
                    tuple(row(names.member(s.member), _(s.name), ", ".join(capability_names.get(c, c) for c in s.capabilities),
                              _(s.evidence), format_figure(s.name, s.previous), tuple(Named(href, label, href) for label, href in s.links),
                              data=(("member", s.member), ("signal", s.name))) for s in caps.signals))
    training = tuple((capability_names.get(cap, cap), tuple(names.member(m) for m in members))
                     for cap, members in sorted(caps.group_training.items()))
    yes_no = {True: _("yes"), False: _("no")}
    coaching = Table("coaching", (Column("date", _("Date"), "ref"), Column("member", _("Member"), "ref"),
                                  Column("capability", _("Capability")), Column("before", _("Before"), "percent"),
                                  Column("after", _("After"), "percent"), Column("improved", _("Improved"))),
                     tuple(row(names.report(o.coaching, o.date), names.member(o.member), capability_names.get(o.capability, o.capability),
                               o.before, o.after, yes_no.get(o.improved) if o.improved is not None else None) for o in caps.coaching))
    model = tuple((capability_names[c.id], in_language(c.description, c.description_in, _, ours=not records.config.capabilities), tuple(_(name) for name in c.signals))
                  for c in capability_list)
    return CapabilityView(funnel, matrix, training, evidence, observed_evidence(records, metrics, names, _), coaching, model)
