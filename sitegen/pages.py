"""Which pages the site has, and what each one shows: records and metrics arranged for display.

Templates only display; the arranging (rows for tables, rows for charts, masked contact details)
happens here, so every number on a page can be traced to one line in ``metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import model
from .charts import chart_spec, legend_expr
from .metrics import Metrics
from .metrics.capability import format_figure
from .metrics.facts import DealFact, TouchFact
from .model import capabilities
from .problems import Problem
from .records import TeamRecords


@dataclass
class Page:
    path: str  # relative to the site root, POSIX slashes
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    section: str = ""
    key: bytes = b""  # the files this page shows, beyond what every page shares; empty: always render


# ---------------------------------------------------------------------------------------------
# personal data


def mask_value(kind: str, value: str | None) -> str | None:
    """0912-345-678 → 0912-***-678; wang@example.com → w***@example.com; others keep one character."""
    if not value:
        return value
    if kind == "phone":
        digits = [i for i, ch in enumerate(value) if ch.isdigit()]
        keep = set(digits[:4] + digits[-3:]) if len(digits) > 7 else set(digits[:2])
        return "".join(ch if (not ch.isdigit() or i in keep) else "*" for i, ch in enumerate(value))
    if kind == "email" and "@" in value:
        user, _, domain = value.partition("@")
        return f"{user[:1]}***@{domain}"
    return value[:1] + "***"


def contact_view(contact: model.Contact, privacy: model.Privacy, private: bool) -> dict[str, str | None]:
    view: dict[str, str | None] = {"name": contact.name, "role": contact.role}
    for kind in ("phone", "email", "wechat", "line"):
        value = getattr(contact, kind)
        if value and kind in privacy.personal_fields and not private:
            if privacy.mode == "omit":
                value = None
            elif privacy.mode == "mask":
                value = mask_value(kind, value)
        view[kind] = value
    return view


def sources_key(records: TeamRecords, sources: list[tuple[str, str]]) -> bytes:
    """The content hashes of the files a page is made from (a missing or broken one counts too)."""
    parts = []
    for kind, record_id in sources:
        path = records.paths.get((kind, record_id))
        parts.append(f"{kind}:{record_id}:".encode() + (records.digests.get(path, b"?") if path else b"-"))
    return b"|".join(parts)


# ---------------------------------------------------------------------------------------------
# the pages


def plan_pages(records: TeamRecords, metrics: Metrics, problems: list[Problem], gettext, private: bool) -> list[Page]:
    _ = gettext
    config = records.config
    members = {m.id: m for m in records.team.members}
    names = {m.id: m.name for m in records.team.members}
    channels = {c.id: c.name for c in config.channels}
    customers = metrics.customers
    common = {"records": records, "metrics": metrics, "config": config, "names": names, "channels": channels,
              "as_of": metrics.as_of, "period": metrics.period}
    pages: list[Page] = []

    def add(path: str, template: str, title: str, section: str, **context: Any) -> None:
        pages.append(Page(path, template, {**common, **context}, title, section))

    labels = {"date": _("Date"), "value": _("Revenue"), "count": _("Count"), "stars": _("Stars"),
              "ratio": _("Share of target"),
              "legend": legend_expr({"actual": _("Actual"), "must_pace": _("Must-achieve pace"), "challenge_pace": _("Challenge pace"),
                                     "target": _("Target"), "submitted": _("Submitted"), "missing": _("Missing")})}

    # customers ------------------------------------------------------------------------------
    star_rows = []
    for mid, counts in customers.by_member.items():
        for category, values in ((_("Not yet closed"), counts.unclosed_by_star), (_("Closed"), counts.closed_by_star)):
            for level, count in enumerate(values, start=1):
                if count:
                    star_rows.append({"name": names.get(mid, mid), "category": category, "stars": level, "count": count})
    star_chart = chart_spec("stars", star_rows, labels)
    member_rows = [(names.get(mid, mid), mid, counts) for mid, counts in customers.by_member.items()
                   if mid in names and (counts.unclosed or counts.closed or counts.raw_leads or counts.failing_lead_standard
                                        or members[mid].role != "manager")]
    customer_list = sorted(customers.customers.values(), key=lambda s: (s.owner, -(s.stars or 0), s.id))
    add("customers/index.html", "customers.html", _("Customers"), "customers", star_chart=star_chart, member_rows=member_rows,
        customer_list=customer_list)
    mentions: dict[str, set[str]] = {}  # customer -> reports with a touchpoint or deal of theirs
    facts: list[TouchFact | DealFact] = [*metrics.facts.touches, *metrics.facts.deals]
    for fact in facts:
        if fact.report:
            mentions.setdefault(fact.customer, set()).add(fact.report)
    for cid, state in customers.customers.items():
        customer = records.customers[cid]
        contacts = [contact_view(c, config.privacy, private) for c in customer.contacts]
        add(f"customers/{cid}.html", "customer.html", customer.name, "customers", customer=customer, state=state, contacts=contacts)
        pages[-1].key = sources_key(records, [("customer", cid)] + [("report", r) for r in sorted(mentions.get(cid, ()))])

    # goals ----------------------------------------------------------------------------------
    for gid, goal in metrics.goals.items():
        targets = [{"kind": "must", "label": _("Must-achieve"), "value": goal.must},
                   {"kind": "challenge", "label": _("Challenge"), "value": goal.challenge}]
        goal_labels = dict(labels, value=_("Revenue") if goal.metric == "revenue" else _("Deals"))
        burnup = chart_spec("burnup", goal.burnup, goal_labels, targets=targets)
        stages = chart_spec("stages", [{"stage": s.name, "target": s.target, "actual": s.actual} for s in goal.stages], goal_labels)
        member_chart = chart_spec("members", [{"name": names.get(m.member, m.member), "actual": m.actual, "must": m.must,
                                               "challenge": m.challenge} for m in goal.members], goal_labels)
        add(f"goals/{goal.period.key}.html", "goal.html", f"{_('Goal')} {goal.period.key}", "goals", goal=goal,
            goal_record=records.goals[gid], burnup=burnup, stage_chart=stages, member_chart=member_chart)
    add("goals/index.html", "goals.html", _("Goals"), "goals", goals=list(metrics.goals.values()))

    # plans ----------------------------------------------------------------------------------
    progress_reports: dict[str, set[str]] = {}  # plan -> reports with progress on it
    for rid, report in records.reports.items():
        for step in report.progress:
            progress_reports.setdefault(step.plan, set()).add(rid)
    for pid, summary in metrics.plans.plans.items():
        add(f"plans/{pid}.html", "plan.html", f"{names.get(summary.plan.member, summary.plan.member)} · {summary.plan.start}",
            "plans", summary=summary)
        pages[-1].key = sources_key(records, [("plan", pid)] + [("report", r) for r in sorted(progress_reports.get(pid, ()))]
                                    + [("customer", c) for c in sorted({i.customer for i in summary.plan.items if i.customer})])
    add("plans/index.html", "plans.html", _("Plans"), "plans")

    # action ---------------------------------------------------------------------------------
    heat_rows = []
    for mid, rows in metrics.action.activity.items():
        for row in rows:
            target = sum(t for c, t in row.target.items() if t)
            actual = sum(row.actual.get(c, 0) for c, t in row.target.items() if t)
            if target:
                heat_rows.append({"name": names.get(mid, mid), "date": row.date.isoformat(), "ratio": round(actual / target, 3)})
    heatmap = chart_spec("heatmap", heat_rows, labels)
    team_totals = metrics.action.totals.get("", {})
    activity_chart = chart_spec("activity", [{"channel": channels[c], "actual": a, "target": t} for c, (a, t) in team_totals.items()], labels)
    compliance_chart = chart_spec("compliance", [{"name": names.get(m, m), "submitted": c.submitted, "missing": c.missing}
                                                 for m, c in metrics.action.compliance.items()], labels)
    add("activity.html", "activity.html", _("Activity"), "activity", heatmap=heatmap, activity_chart=activity_chart,
        compliance_chart=compliance_chart)
    reports_by_day: dict = {}
    for (mid, day), rids in metrics.facts.daily_reports.items():
        reports_by_day.setdefault(day, {})[mid] = [(r, records.reports[r]) for r in rids]
    meeting_days = metrics.action.meeting_dates
    # who owed a report that day (a target, or a report filed): (member, that day's activity row)
    expected_by_day: dict = {}
    for mid, rows in metrics.action.activity.items():
        for row in rows:
            if sum(row.target.values()) or row.reported:
                expected_by_day.setdefault(row.date, []).append((mid, row))
    for index, day in enumerate(meeting_days):
        add(f"daily/{day.isoformat()}.html", "daily.html", f"{_('Daily meeting')} {day.isoformat()}", "daily", day=day,
            working_day=metrics.facts.calendar.is_working_day(day),
            reports=reports_by_day.get(day, {}), expected=expected_by_day.get(day, []),
            previous_day=meeting_days[index - 1] if index else None,
            next_day=meeting_days[index + 1] if index + 1 < len(meeting_days) else None)
    add("daily/index.html", "dailies.html", _("Daily meetings"), "daily", days=list(reversed(meeting_days)))

    # reports, reviews, coaching -------------------------------------------------------------
    for rid, report in records.reports.items():
        plans_for = {p.plan: metrics.plans.plans.get(p.plan) for p in report.progress}
        add(f"reports/{rid}.html", "report.html", f"{names.get(report.member, report.member)} · {report.date}", "daily",
            rid=rid, report=report, body=records.bodies.get(rid, ""), plans_for=plans_for)
        # a report page shows the report, its customers' names and the plan items it reports on
        customers_shown = {t.customer for t in report.touchpoints} | {d.customer for d in report.deals} | {
            p.customer for p in report.tomorrow if p.customer}
        pages[-1].key = sources_key(records, [("report", rid)] + [("customer", c) for c in sorted(customers_shown)]
                                    + [("plan", p) for p in sorted(plans_for)])
    for rid, review in records.reviews.items():
        add(f"reports/{rid}.html", "review.html", f"{_('Review')} · {names.get(review.member, review.member)} · {review.date}",
            "members", rid=rid, review=review, body=records.bodies.get(rid, ""))
    for rid, coaching in records.coachings.items():
        add(f"reports/{rid}.html", "coaching.html", f"{_('Coaching')} · {coaching.date}", "capability", rid=rid,
            coaching=coaching, body=records.bodies.get(rid, ""))
    add("reviews.html", "reviews.html", _("Reviews"), "members",
        reviews=sorted(records.reviews.items(), key=lambda pair: (pair[1].date, pair[0]), reverse=True))

    # members and capability -----------------------------------------------------------------
    for mid, member in members.items():
        own_customers = [s for s in customers.customers.values() if s.owner == mid]
        member_plans = [s for s in metrics.plans.plans.values() if s.plan.member == mid]
        add(f"members/{mid}.html", "member.html", member.name, "members", member=member, own_customers=own_customers,
            member_plans=member_plans,
            reviews=sorted(((r, v) for r, v in records.reviews.items() if v.member == mid), key=lambda p: p[1].date, reverse=True),
            coachings=sorted(((r, c) for r, c in records.coachings.items() if mid in c.members), key=lambda p: p[1].date, reverse=True))
    quarters = sorted({q for row in metrics.won_by_quarter.values() for q in row})
    won_rows = [(mid, [metrics.won_by_quarter.get(mid, {}).get(q, 0) for q in quarters], sum(metrics.won_by_quarter.get(mid, {}).values()))
                for mid in members if mid in metrics.won_by_quarter or members[mid].role != "manager"]
    add("members/index.html", "members.html", _("Members"), "members", quarters=quarters, won_rows=won_rows)
    capability_list = capabilities(config)
    cells = {mid: {c.id: [s for s in signals if c.id in s.capabilities] for c in capability_list}
             for mid, signals in metrics.capability.by_member.items()}
    add("capability.html", "capability.html", _("Capability"), "capability", capabilities=capability_list, cells=cells,
        capability_names={c.id: c.name for c in capability_list}, format_figure=format_figure)
    add("standards.html", "standards.html", _("Standards"), "standards")
    add("problems.html", "problems.html", _("Problems"), "problems", problems=problems)
    add("search.html", "search.html", _("Search"), "search")
    add("index.html", "index.html", config.title, "home")
    return pages

