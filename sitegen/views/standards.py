"""The pages about the team's rules and its records' health: standards, problems, search."""

from __future__ import annotations

from dataclasses import dataclass

from .. import model
from ..i18n import msg
from ..problems import Problem, count_summary
from ..records import TeamRecords
from .common import Gettext, Names, in_language
from .tables import Column, Named, Table, row


@dataclass(frozen=True)
class StandardsView:
    lead_standard: str
    required: tuple[str, ...]
    stars: tuple[tuple[str, Table], ...]  # the side's title, its star definitions
    channels: Table


def criteria_lines(criteria: model.StarCriteria | None, _: Gettext, field_names: dict[str, str]) -> tuple[str, ...]:
    """The checked criteria of a star level, each a line the reader can check a customer against."""
    if criteria is None:
        return ()
    lines = []
    for key, value in criteria.model_dump(exclude_none=True).items():
        if key == "within_days":
            continue
        if key == "fields":
            for name, wanted in value.items():
                shown = (_("yes") if wanted else _("no")) if isinstance(wanted, bool) else (
                    f"≥ {wanted:,.0f}" if isinstance(wanted, (int, float)) else str(wanted))
                lines.append(_(msg("{label}: ", label=field_names.get(name, name))) + shown)
            continue
        shown = f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)
        if key == "min_touchpoints":
            shown = _(msg("{count} within {days} days", count=shown, days=criteria.within_days))
        lines.append(_(msg("{label}: ", label=_(key))) + shown)
    return tuple(lines)


def standards_view(records: TeamRecords, _: Gettext) -> StandardsView:
    config = records.config
    columns = (Column("stars", _("Stars"), "stars"), Column("label", _("Label")), Column("definition", _("Definition")),
               Column("contact_every_days", _("Contact at least every (days)"), "number"),
               Column("criteria", _("Checked criteria"), "lines"))
    sides = tuple(
        (title, Table(f"stars-{side}", columns, tuple(
            row(d.stars, in_language(d.label, d.label_in, _), in_language(d.description, d.description_in, _), d.contact_every_days,
                criteria_lines(d.criteria, _, {f.id: in_language(f.name, f.name_in, _) for f in config.customer_fields}))
            for d in sorted(getattr(config.stars, side), key=lambda d: d.stars, reverse=True))))
        for side, title in (("unclosed", _("Not-yet-closed customers")), ("closed", _("Closed customers"))))
    channels = Table("channels", (Column("channel", _("Channel")), Column("daily_target", _("Daily target"), "number"),
                                  Column("funnel", _("Funnel step"))),
                     tuple(row(in_language(c.name, c.name_in, _), c.daily_target, _(c.funnel)) for c in config.channels))
    return StandardsView(in_language(config.lead_standard.description, config.lead_standard.description_in, _), tuple(_(model.lead_field_word(t, config)) for t in config.lead_standard.required),
                         sides, channels)


@dataclass(frozen=True)
class ProblemLine:
    """One problem as the page shows it: located, in the reader's language, linked to its record's page."""

    path: str
    line: int
    column: int
    field: str
    is_error: bool
    message: str
    hint: str
    page: Named | None


@dataclass(frozen=True)
class ProblemGroup:
    """The problems one person can fix (their reports, customers and plans), or the team's settings'."""

    owner: Named  # a member, or the team (id "")
    errors: int
    warnings: int
    problems: tuple[ProblemLine, ...]


@dataclass(frozen=True)
class ProblemsView:
    summary: str  # "2 errors, 23 warnings in 12 files"
    groups: tuple[ProblemGroup, ...]


def located_problems(records: TeamRecords, _: Gettext, problems: list[Problem]) -> list[tuple[str, ProblemLine]]:
    """Each problem in the reader's language, with who can fix it (a member's id, or "" for the
    team's settings and shared records) and the page of the record it is about."""
    by_path = {path: key for key, path in records.paths.items()}
    owners = {("customer", cid): c.owner for cid, c in records.customers.items()}
    owners |= {("report", rid): r.member for rid, r in records.reports.items()}
    owners |= {("report", rid): r.member for rid, r in records.reviews.items()}
    owners |= {("plan", pid): p.member for pid, p in records.plans.items()}
    pages = {("customer", cid): f"customers/{cid}.html" for cid in records.customers}
    pages |= {("report", rid): f"reports/{rid}.html" for rid in (*records.reports, *records.reviews, *records.coachings)}
    pages |= {("plan", pid): f"plans/{pid}.html" for pid in records.plans}
    pages |= {("goal", gid): f"goals/{g.period}.html" for gid, g in records.goals.items()}
    located = []
    for problem in problems:
        key = by_path.get(problem.path)
        page = pages.get(key) if key else None
        located.append((owners.get(key, "") if key else "", ProblemLine(
            problem.path, problem.line, problem.column, problem.field, problem.is_error, _(problem.message), _(problem.hint),
            Named(problem.path, _("open the page"), page) if page else None)))
    return located


def problems_by_page(located: list[tuple[str, ProblemLine]]) -> dict[str, tuple[ProblemLine, ...]]:
    """The problems each record's page shows at its top (the page path -> its problems)."""
    found: dict[str, list[ProblemLine]] = {}
    for _owner, line in located:
        if line.page is not None and line.page.href:
            found.setdefault(line.page.href, []).append(line)
    return {path: tuple(lines) for path, lines in found.items()}


def problems_view(names: Names, _: Gettext, problems: list[Problem], located: list[tuple[str, ProblemLine]]) -> ProblemsView:
    """Every problem, grouped by who can fix it, each linked to the page of the record it is about."""
    groups: dict[str, list[ProblemLine]] = {}
    for owner, line in located:
        groups.setdefault(owner, []).append(line)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", names.members.get(item[0], item[0])))
    return ProblemsView(_(count_summary(problems)) if problems else "", tuple(
        ProblemGroup(names.member(owner) if owner else Named("", _("Team settings and shared records")),
                     sum(1 for p in found if p.is_error), sum(1 for p in found if not p.is_error), tuple(found))
        for owner, found in ordered))


@dataclass(frozen=True)
class EmptyView:
    """For pages that show nothing beyond the frame (the search page fills itself in the browser)."""

