"""Reports, reviews and coaching records: each shown whole on its page, and daily reports also
on their day's meeting page (the same ``ReportView`` in both places)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..metrics import Metrics
from ..metrics.periodic import PeriodicReport
from ..records import TeamRecords
from .common import Gettext, Names
from .tables import Column, Named, ReprOnce, Table, row

Date = date  # for the fields declared after one called "date"


@dataclass(frozen=True)
class DealLine:
    customer: Named
    amount: float
    product: str | None


@dataclass(frozen=True)
class PlannedContact:
    customer: Named | None
    channel: str
    purpose: str


@dataclass(frozen=True)
class ProgressLine:
    """A plan item as planned, beside what the report says was done."""

    item: Named  # the item's text, linking to its plan; its ids when the plan is unknown
    due: date | None
    expected: str | None
    status: Named
    reason: str | None
    note: str | None


@dataclass(frozen=True)
class EventLine:
    event: str
    invited: int
    attended: int
    deals: int


@dataclass(frozen=True, repr=False)
class ReportView(ReprOnce):
    id: str
    href: str
    member: Named
    kind: str
    half: str | None
    date: date
    meeting: str  # the day's meeting page
    activity: tuple[tuple[str, int], ...]  # channel name, contacts
    touchpoints: Table
    deals: tuple[DealLine, ...]
    progress: tuple[ProgressLine, ...]
    events: tuple[EventLine, ...]
    help: str | None
    answer: Answered | None  # the first answer to its request for help, if any
    tomorrow: tuple[PlannedContact, ...]
    body: str


@dataclass(frozen=True)
class Answered:
    on: date
    by: Named
    text: str
    record: Named  # the report, review or coaching note that answered


@lru_cache(maxsize=8)
def _touchpoint_columns(_: Gettext) -> tuple[Column, ...]:
    """The columns of every report's touchpoints, in one language: made once, not per report."""
    return (Column("customer", _("Customer"), "ref"), Column("channel", _("Channel")), Column("with", _("With")),
            Column("purpose", _("Purpose")), Column("result", _("Result")), Column("effect", _("Effect"), "number"),
            Column("next_contact", _("Next contact"), "date"))


def report_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, report_id: str) -> ReportView:
    report = records.reports[report_id]
    touchpoints = Table(f"touchpoints-{report_id}", _touchpoint_columns(_),
        tuple(row(names.customer(t.customer), names.channel(t.channel), t.with_, t.purpose, t.result, t.effect, t.next_contact)
              for t in report.touchpoints), download=False)
    progress = []
    for step in report.progress:
        summary = metrics.plans.plans.get(step.plan)
        item = next((i for i in summary.plan.items if i.id == step.item), None) if summary else None
        shown = Named(step.item, item.what, f"plans/{step.plan}.html") if item else Named(step.item, f"{step.plan} / {step.item}")
        progress.append(ProgressLine(shown, item.due if item else None, item.expected if item else None, names.label(step.status),
                                     step.reason, step.note))
    return ReportView(
        report_id, f"reports/{report_id}.html", names.member(report.member), _(report.kind), _(report.half) if report.half else None,
        report.date, f"daily/{report.date.isoformat()}.html",
        tuple((names.channel(c), n) for c, n in report.activity.items()), touchpoints,
        tuple(DealLine(names.customer(d.customer), d.amount, d.product) for d in report.deals), tuple(progress),
        tuple(EventLine(e.event, e.invited, e.attended, e.deals) for e in report.events), report.help,
        Answered(request.answered_on, names.member(request.answered_by or ""), request.answer or "",
                 names.report(request.answered_in or "", request.answered_on))
        if (request := metrics.help_by_report.get(report_id)) and request.answered_on else None,
        tuple(PlannedContact(names.customer(p.customer) if p.customer else None, names.channel(p.channel), p.purpose)
              for p in report.tomorrow),
        records.bodies.get(report_id, ""))


@dataclass(frozen=True)
class ReviewView:
    member: Named
    reviewer: Named
    type: str
    date: date
    findings: tuple[str, ...]
    feedback: str
    body: str


def review_view(records: TeamRecords, names: Names, _: Gettext, review_id: str) -> ReviewView:
    review = records.reviews[review_id]
    return ReviewView(names.member(review.member), names.member(review.reviewer), _(review.type), review.date,
                      tuple(review.findings), review.feedback, records.bodies.get(review_id, ""))


@dataclass(frozen=True)
class CoachingView:
    format: str
    coach: Named
    date: date
    members: tuple[Named, ...]
    capabilities: tuple[str, ...]
    agreed_actions: tuple[str, ...]
    follow_up: Date | None
    body: str


def coaching_view(records: TeamRecords, names: Names, _: Gettext, coaching_id: str, capability_names: dict[str, str]) -> CoachingView:
    coaching = records.coachings[coaching_id]
    return CoachingView(_(coaching.format), names.member(coaching.coach), coaching.date,
                        tuple(names.member(m) for m in coaching.members),
                        tuple(capability_names.get(c, c) for c in coaching.capabilities), tuple(coaching.agreed_actions),
                        coaching.follow_up, records.bodies.get(coaching_id, ""))


@dataclass(frozen=True)
class ReviewsView:
    reviews: Table


def reviews_table(records: TeamRecords, names: Names, _: Gettext, member: str | None = None) -> Table:
    """Reviews, newest first: all of them, or one member's."""
    chosen = sorted(((rid, r) for rid, r in records.reviews.items() if member is None or r.member == member),
                    key=lambda pair: (pair[1].date, pair[0]), reverse=True)
    return Table("reviews", (Column("date", _("Date"), "ref"), Column("member", _("Member"), "ref"),
                             Column("reviewer", _("Reviewer"), "ref"), Column("type", _("Type")), Column("feedback", _("Feedback"))),
                 tuple(row(names.report(rid, r.date), names.member(r.member), names.member(r.reviewer), _(r.type), r.feedback)
                       for rid, r in chosen), empty=_("None."))


def periodic_table(table_id: str, owed: list[PeriodicReport], names: Names, _: Gettext, empty: str) -> Table:
    """Periodic reports owed, newest first: whose, which kind, the period, the report (or that it is
    missing), and whether it was late."""
    return Table(table_id, (Column("member", _("Member"), "ref"), Column("kind", _("Type"), "status"),
                            Column("start", _("From"), "date"), Column("end", _("To"), "date"),
                            Column("report", _("Report"), "ref"), Column("late", _("Late"), "status")),
                 tuple(row(names.member(p.member), names.label(p.kind), p.start, p.end,
                           names.report(p.report, p.filed_on) if p.report and p.filed_on else _("Missing"),
                           None if p.late is None else names.label("late" if p.late else "on-time"),
                           warn=("report",) if p.report is None else ("late",) if p.late else (), data=(("member", p.member),))
                       for p in owed), empty=empty)


def periodic_compliance(owed: list[PeriodicReport], names: Names, _: Gettext) -> Table:
    """A member's periodic reports by kind: owed, filed, missing, late (of those judged)."""
    kinds = sorted({p.kind for p in owed}, key=lambda k: ("weekly", "monthly", "quarterly", "half-yearly", "yearly").index(k))
    rows = []
    for kind in kinds:
        mine = [p for p in owed if p.kind == kind]
        filed = sum(1 for p in mine if p.report)
        late = sum(1 for p in mine if p.late)
        rows.append(row(names.label(kind), len(mine), filed, len(mine) - filed, late, sum(1 for p in mine if p.late is not None),
                        warn=(("missing",) if filed < len(mine) else ()) + (("late",) if late else ())))
    return Table("periodic-compliance", (Column("kind", _("Type"), "status"), Column("owed", _("Owed"), "number"),
                                         Column("filed", _("Filed"), "number"), Column("missing", _("Missing"), "number"),
                                         Column("late", _("Late"), "number"), Column("judged", _("Judged"), "number")), tuple(rows))
