"""Checks across records: every reference points at something that exists, every channel and
capability is one the configuration defines, and files are named after what they hold. A record
that fails these cannot be built from (errors), unlike the business findings in ``findings``.

Each check returns problems located at the field that is wrong.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection
from datetime import date, timedelta
from typing import NamedTuple

from .. import model
from ..i18n import N_, NO_TEXT, Text, msg, verbatim
from ..loader import FieldPath, format_field_path
from ..model import capabilities
from ..periods import parse_period
from ..problems import Problem, Severity, warning
from ..records import TEXT_KINDS, TeamRecords


class Reporter:
    """Collects problems, each located at a field of a record (the checks' one way to make one)."""

    def __init__(self, records: TeamRecords) -> None:
        self.records = records
        self.problems: list[Problem] = []

    def add(self, kind: str, record_id: str, path: FieldPath, message: Text, hint: Text = NO_TEXT,
            severity: Severity = "error") -> None:
        document = self.records.document(kind, record_id)
        line, column = document.mark(path)
        self.problems.append(Problem(document.path, line, column, severity, format_field_path(path), message, hint))

    def member(self, member: str) -> str:
        """A member's name for a message (their id where the team has no such member)."""
        return next((m.name for m in self.records.team.members if m.id == member), member)

    def reference(self, kind: str, record_id: str, path: FieldPath, value: str | None, known: Collection[str],
                  what: str, severity: Severity = "error") -> None:
        if value is None or value in known:  # a set, a dict or its keys: looked up as they are
            return
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
        unknown, where = UNKNOWN[what]
        hint = msg("did you mean '{name}'?", name=close[0]) if close else Text(where)
        self.add(kind, record_id, path, Text(unknown, (("value", value),)), hint, severity)


# What a reference names, and where such a thing is defined: one whole message each, for translators.
UNKNOWN = {
    "member": (N_("unknown member '{value}'"), N_("define it first (records/team.yaml)")),
    "customer": (N_("unknown customer '{value}'"), N_("define it first (records/customers/<id>.yaml)")),
    "channel": (N_("unknown channel '{value}'"), N_("define it first (channels in sitegen.yaml)")),
    "plan": (N_("unknown plan '{value}'"), N_("define it first (records/plans/<id>.yaml)")),
    "capability": (N_("unknown capability '{value}'"), N_("define it first (capabilities in sitegen.yaml)")),
    "event": (N_("unknown event '{value}'"), N_("define it first (events of a goal in records/plans/)")),
    "group": (N_("unknown group '{value}'"), N_("define it first (groups in records/team.yaml)")),
    "plan item": (N_("unknown plan item '{value}'"), N_("define it first (items of the plan)")),
    "customer field": (N_("unknown customer field '{value}'"), N_("define it first (customer_fields in sitegen.yaml)")),
    "report": (N_("unknown report '{value}'"), N_("name the report by its file name without .md, e.g. 2026-11-26-amy")),
}


def _check_plan_measures(records: TeamRecords, r: Reporter) -> None:
    """An outcome target's measure is one sitegen counts, or a channel's id."""
    known = set(model.PLAN_MEASURES) | {c.id for c in records.config.channels}
    for pid, plan in records.plans.items():
        for i, target in enumerate(plan.targets):
            if target.measure is not None and target.measure not in known:
                close = difflib.get_close_matches(target.measure, sorted(known), n=1, cutoff=0.6)
                r.add("plan", pid, ("targets", i, "measure"), msg("unknown measure '{measure}'", measure=target.measure),
                      msg("did you mean '{name}'?", name=close[0]) if close
                      else msg("write one of: {choices}", choices=", ".join(sorted(known))))


def _check_answers(records: TeamRecords, r: Reporter) -> None:
    """Each answer names a report that asked for help."""
    sources = ([("report", rid, x.answers) for rid, x in records.reports.items()]
               + [("review", rid, x.answers) for rid, x in records.reviews.items()]
               + [("coaching", rid, x.answers) for rid, x in records.coachings.items()])
    for kind, rid, answers in sources:
        check_answers(records, r, kind, rid, answers)


def check_answers(records: TeamRecords, r: Reporter, kind: str, rid: str, answers: list[model.Answer]) -> None:
    """One record's answers to requests for help: each names a report that asked for help."""
    for i, answer in enumerate(answers):
        r.reference(kind, rid, ("answers", i, "report"), answer.report, records.reports.keys(), "report")
        asked = records.reports.get(answer.report)
        if asked is not None and not asked.help:
            r.add(kind, rid, ("answers", i, "report"), msg("report '{report}' asks for no help", report=answer.report),
                  msg("answer the report that has a help: line"), "warning")


def check_records(records: TeamRecords, as_of: date | None = None) -> list[Problem]:
    """All cross-record checks, on records whose configuration and team are valid.
    ``as_of``: the day the site is built for (dates after it are flagged where that is a slip)."""
    r = Reporter(records)
    known = known_to_reports(records)
    members, channels, customers = known.members, known.channels, known.customers
    declared = {f.id: f.kind for f in records.config.customer_fields}  # the team's own customer fields and their kinds

    _check_config(records, r)
    _check_team(records, r, members, channels, as_of)
    for cid, customer in records.customers.items():
        r.reference("customer", cid, ("owner",), customer.owner, members, "member")
        if customer.status in ("prospect", "customer") and customer.stars is None:
            r.add("customer", cid, ("status",), msg("a customer with status {status} needs a star rating", status=Text(customer.status)),
                  msg("add 'stars: 1' to 'stars: 5' as defined on the standards page"), "warning")
        for i, deal in enumerate(customer.deals):
            r.reference("customer", cid, ("deals", i, "member"), deal.member, members, "member")
        for i, past in enumerate(customer.history):
            r.reference("customer", cid, ("history", i, "member"), past.member, members, "member")
            r.reference("customer", cid, ("history", i, "channel"), past.channel, channels, "channel")
        for name, value in customer.fields.items():
            r.reference("customer", cid, ("fields", name), name, declared, "customer field")
            if name in declared:
                _check_field_value(r, "customer", cid, ("fields", name), name, declared[name], value)
    _check_plans(records, r, members, customers, channels)
    _check_reports(records, r, known)
    _check_answers(records, r)
    _check_plan_measures(records, r)
    return r.problems + _bodies_too_deep(records) + _import_leftovers(records)


def too_deep_line(body: str) -> int | None:
    """The line of a body from which the page shows the text as written (nested too deep), if any."""
    from ..markdown import DEEP_LINE, dropped_line

    return dropped_line(body) if DEEP_LINE.search(body) else None


def _bodies_too_deep(records: TeamRecords) -> list[Problem]:
    """Markdown nested deeper than the renderer goes: shown as plain text, never dropped — said here."""
    return [found for record_id, body in sorted(records.bodies.items()) if (found := body_too_deep(records, record_id, body))]


def body_too_deep(records: TeamRecords, record_id: str, body: str) -> Problem | None:
    from ..markdown import MAX_NESTING

    line = too_deep_line(body)
    if line is None:
        return None
    kind = next(k for k in TEXT_KINDS if (k, record_id) in records.paths)
    document = records.document(kind, record_id)
    return warning(document.path, document.body_line + line - 1, 1, "",
                   msg("lists nested {lists} levels deep (or quotes {quotes}) are more than a page can lay out: the page shows this text as written, without formatting", lists=MAX_NESTING // 2, quotes=MAX_NESTING), msg("use fewer levels of lists and quotes"))


def _import_leftovers(records: TeamRecords) -> list[Problem]:
    """What imports left out, located in their CSV files: shown until the import log is deleted."""
    found = []
    for log_id, log in sorted(records.imports.items()):
        log_path = records.source_path("import", log_id)
        for item in log.left_out:
            found.append(warning(item.file, item.line, 1, item.column, msg("{message} (import of {date}, {log_path})", message=item.message, date=log.date.isoformat(), log_path=log_path),
                                 verbatim(item.hint) if item.hint else NO_TEXT))
    return found


def _check_config(records: TeamRecords, r: Reporter) -> None:
    config = records.config
    for unused in ("week_start", "stages"):
        if getattr(config, unused) is not None:
            r.add("config", "config", (unused,), msg("'{unused}' is not used by sitegen and will stop being accepted", unused=unused),
                  msg("delete the line (a goal's stages are written in the goal itself)") if unused == "stages" else msg("delete the line"),
                  "warning")
    for what, items in ((msg("channel"), config.channels), (msg("capability"), config.capabilities)):
        for item_id, count in Counter(item.id for item in items).items():
            if count > 1:
                index = [item.id for item in items].index(item_id)
                field = "channels" if items is config.channels else "capabilities"
                r.add("config", "config", (field, index, "id"), msg("{what} id '{item_id}' is defined {count} times", what=what, item_id=item_id, count=count),
                      msg("give each one its own id"))
    declared = {f.id: f.kind for f in config.customer_fields}
    for i, token in enumerate(config.lead_standard.required):
        if token.startswith("fields."):
            r.reference("config", "config", ("lead_standard", "required", i), token.split(".", 1)[1], declared,
                        "customer field")
    for side in ("unclosed", "closed"):
        for i, definition in enumerate(getattr(config.stars, side)):
            for name, wanted in (definition.criteria.fields.items() if definition.criteria else ()):
                path = ("stars", side, i, "criteria", "fields", name)
                r.reference("config", "config", path, name, declared, "customer field")
                if name in declared:
                    _check_field_value(r, "config", "config", path, name, declared[name], wanted)
    for side in ("unclosed", "closed"):
        levels = [d.stars for d in getattr(config.stars, side)]
        missing = sorted(set(range(1, 6)) - set(levels))
        if missing:
            r.add("config", "config", ("stars", side), msg("no definition for {value}", value=', '.join(f'{s}★' for s in missing)),
                  msg("define every level from 1 to 5 so the team rates customers the same way"), "warning")


def _check_field_value(r: Reporter, kind: str, record_id: str, path: FieldPath, name: str, field_kind: str,
                       value: bool | int | float | str) -> None:
    """A team-defined field's value must be of the kind customer_fields declares."""
    fits = {"yes-no": isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "text": not isinstance(value, bool)}[field_kind]  # digits are text too, in a text field
    if not fits:
        message = {"yes-no": msg("{name} is a yes-no field, got {value}", name=name, value=repr(value)),
                   "number": msg("{name} is a number field, got {value}", name=name, value=repr(value)),
                   "text": msg("{name} is a text field, got {value}", name=name, value=repr(value))}[field_kind]
        hint = {"yes-no": msg("write true or false"), "number": msg("write a number, e.g. 3"), "text": msg("write text")}[field_kind]
        r.add(kind, record_id, path, message, hint)


def _check_team(records: TeamRecords, r: Reporter, members: set[str], channels: set[str], as_of: date | None) -> None:
    team = records.team
    seen: dict[str, int] = {}
    groups = {g.id for g in team.groups}
    for i, member in enumerate(team.members):
        if member.id in seen:
            r.add("team", "team", ("members", i, "id"), msg("duplicate member id '{id}' (also members[{seen}])", id=member.id, seen=seen[member.id]),
                  msg("each member needs their own id"))
        seen.setdefault(member.id, i)
        if member.reports_to is not None and member.reports_to == member.id:
            r.add("team", "team", ("members", i, "reports_to"), msg("'{id}' reports to themselves", id=member.id),
                  msg("name the member they report to"))
        else:
            r.reference("team", "team", ("members", i, "reports_to"), member.reports_to, members, "member")
        r.reference("team", "team", ("members", i, "group"), member.group, groups, "group")
        for channel in member.targets:
            r.reference("team", "team", ("members", i, "targets", channel), channel, channels, "channel")
        if member.left and member.joined and member.left < member.joined:
            r.add("team", "team", ("members", i, "left"), msg("left before joining"), msg("check the two dates"))
        for field_name in ("joined", "left"):
            day = getattr(member, field_name)
            if as_of is not None and day is not None and day > as_of:
                r.add("team", "team", ("members", i, field_name), msg("{field} {day} is after the day the site is built for ({as_of})", field=field_name, day=day.isoformat(), as_of=as_of.isoformat()),
                      msg("reports are owed only from the day a member joins to the day they leave; check the year"), "warning")
    for i, group in enumerate(team.groups):
        r.reference("team", "team", ("groups", i, "supervisor"), group.supervisor, members, "member")


def _check_plans(records: TeamRecords, r: Reporter, members: set[str], customers: set[str], channels: set[str]) -> None:
    periods_seen: dict[str, str] = {}
    for gid, goal in records.goals.items():
        period = parse_period(goal.period)
        if period is None:
            r.add("goal", gid, ("period",), msg("'{period}' is not a goal period", period=goal.period), msg("write a month (2026-11) or a quarter (2026-Q4)"))
        elif period.key in periods_seen:
            r.add("goal", gid, ("period",), msg("a goal for {period} is already set in {file}", period=period.key, file=periods_seen[period.key]),
                  msg("keep one goal per period"))
        else:
            periods_seen[period.key] = records.source_path("goal", gid)
        if goal.challenge < goal.must:
            r.add("goal", gid, ("challenge",), msg("the challenge target {challenge:,} is below the must-achieve target {must:,}", challenge=goal.challenge, must=goal.must),
                  msg("the challenge goal is the higher one"))
        for i, share in enumerate(goal.members):
            r.reference("goal", gid, ("members", i, "member"), share.member, members, "member")
            for j, customer in enumerate(share.customers):
                r.reference("goal", gid, ("members", i, "customers", j), customer, customers, "customer")
        for i, measure in enumerate(goal.measures):
            r.reference("goal", gid, ("measures", i, "owner"), measure.owner, members, "member")
        for i, stage in enumerate(goal.stages):
            if stage.end < stage.start:
                r.add("goal", gid, ("stages", i, "end"), msg("the stage ends before it starts"), msg("check the two dates"))
        for i, event in enumerate(goal.events):
            for j, target in enumerate(event.members):
                r.reference("goal", gid, ("events", i, "members", j, "member"), target.member, members, "member")
    for pid, plan in records.plans.items():
        r.reference("plan", pid, ("member",), plan.member, members, "member")
        if plan.end < plan.start:
            r.add("plan", pid, ("end",), msg("the plan ends before it starts"), msg("check the two dates"))
        for channel in plan.activity:
            r.reference("plan", pid, ("activity", channel), channel, channels, "channel")
        seen: set[str] = set()
        for i, item in enumerate(plan.items):
            if item.id in seen:
                r.add("plan", pid, ("items", i, "id"), msg("duplicate item id '{id}'", id=item.id), msg("give each item its own id"))
            seen.add(item.id)
            r.reference("plan", pid, ("items", i, "customer"), item.customer, customers, "customer")


class Known(NamedTuple):
    """The ids references are checked against (what a report's name, all of them)."""

    members: set[str]
    channels: set[str]
    customers: set[str]
    plans: set[str]
    events: set[str]
    half_day_members: set[str]


def known_to_reports(records: TeamRecords) -> Known:
    return Known({m.id for m in records.team.members}, {c.id for c in records.config.channels}, records.known_ids("customer"),
                 records.known_ids("plan"), {e.id for g in records.goals.values() for e in g.events}, _half_day_members(records))


def _check_reports(records: TeamRecords, r: Reporter, known: Known) -> None:
    capability_ids = {c.id for c in capabilities(records.config)}
    filed: dict[tuple, str] = {}
    for rid, report in records.reports.items():
        key = report_ties(report)[:4]
        if key in filed:
            r.add("report", rid, ("date",), msg("{member} already filed this report ({kind}) in {filed}", member=r.member(report.member), kind=Text(report.kind), filed=filed[key]),
                  msg("keep one report per member and day (or half-day)"))
        filed.setdefault(key, records.source_path("report", rid))
        check_report(records, r, known, rid, report)
    members = known.members
    for rid, review in records.reviews.items():
        r.reference("review", rid, ("member",), review.member, members, "member")
        r.reference("review", rid, ("reviewer",), review.reviewer, members, "member")
        _check_file_name(r, "review", rid, review.date, [review.member], suffix="-review")
    for rid, coaching in records.coachings.items():
        r.reference("coaching", rid, ("coach",), coaching.coach, members, "member")
        for i, member in enumerate(coaching.members):
            r.reference("coaching", rid, ("members", i), member, members, "member")
        for i, capability in enumerate(coaching.capabilities):
            r.reference("coaching", rid, ("capabilities", i), capability, capability_ids, "capability")
        _check_file_name(r, "coaching", rid, coaching.date, [], suffix="")


def report_ties(report: model.Report) -> tuple:
    """What ties a report to other records in the checks and metrics: its kind, member, day and
    half-day (one report of each per member: the second is an error), its request for help and
    its answers to others'."""
    return (report.kind, report.member, report.date, report.half, report.help, report.answers)


def check_report(records: TeamRecords, r: Reporter, known: Known, rid: str, report: model.Report) -> None:
    """What the checks say of one report on its own: its references, file name and fields."""
    r.reference("report", rid, ("member",), report.member, known.members, "member")
    _check_file_name(r, "report", rid, report.date, [report.member], suffix=_report_suffix(report))
    if report.half and report.member in known.members and report.member not in known.half_day_members:
        r.add("report", rid, ("half",), msg("{member} reports daily, not by half-day", member=r.member(report.member)),
              msg("remove 'half', or set 'reporting: half-day' for the member or group in records/team.yaml"), "warning")
    for channel in report.activity:
        r.reference("report", rid, ("activity", channel), channel, known.channels, "channel")
    for i, touch in enumerate(report.touchpoints):
        r.reference("report", rid, ("touchpoints", i, "customer"), touch.customer, known.customers, "customer")
        r.reference("report", rid, ("touchpoints", i, "channel"), touch.channel, known.channels, "channel")
        if touch.next_contact and touch.next_contact < report.date:
            r.add("report", rid, ("touchpoints", i, "next_contact"), msg("the next contact date is before the report's date"),
                  msg("the next contact is planned for a later day"), "warning")
    for i, deal in enumerate(report.deals):
        r.reference("report", rid, ("deals", i, "customer"), deal.customer, known.customers, "customer")
    for i, step in enumerate(report.progress):
        r.reference("report", rid, ("progress", i, "plan"), step.plan, known.plans, "plan")
        plan = records.plans.get(step.plan)
        if plan is not None:
            r.reference("report", rid, ("progress", i, "item"), step.item, {it.id for it in plan.items}, "plan item")
            if plan.member != report.member:
                r.add("report", rid, ("progress", i, "plan"), msg("plan '{plan}' belongs to {member}", plan=step.plan, member=r.member(plan.member)),
                      msg("report progress on your own plans"), "warning")
        if step.status == "rescheduled" and step.new_due is None:
            r.add("report", rid, ("progress", i, "new_due"), msg("an item marked 'rescheduled' needs its new date"),
                  msg("add new_due: the day it is now due, e.g. new_due: {example}", example=(report.date + timedelta(days=2)).isoformat()))
        elif step.new_due is not None and step.new_due <= report.date:
            r.add("report", rid, ("progress", i, "new_due"),
                  msg("the new date {new_due} is not after the report's date {date}", new_due=step.new_due.isoformat(),
                      date=report.date.isoformat()),
                  msg("an item is rescheduled to a later day"))
        if step.status != "done" and not step.reason:
            r.add("report", rid, ("progress", i, "reason"), msg("an item marked '{status}' needs a reason", status=Text(step.status)),
                  msg("say why it was not done — the method asks for it in every report"), "warning")
    for i, planned in enumerate(report.tomorrow):
        r.reference("report", rid, ("tomorrow", i, "customer"), planned.customer, known.customers, "customer")
        r.reference("report", rid, ("tomorrow", i, "channel"), planned.channel, known.channels, "channel")
    for i, actual in enumerate(report.events):
        r.reference("report", rid, ("events", i, "event"), actual.event, known.events, "event")


def _half_day_members(records: TeamRecords) -> set[str]:
    groups = {g.id: g.reporting for g in records.team.groups}
    return {m.id for m in records.team.members
            if (m.reporting or groups.get(m.group or "", "daily")) == "half-day"}


def _report_suffix(report: model.Report) -> str:
    if report.kind != "daily":
        return f"-{report.kind}"
    return f"-{report.half}" if report.half else ""


def _check_file_name(r: Reporter, kind: str, rid: str, day, members: list[str], suffix: str) -> None:
    """Reports are named <date>-<member>[-am|-pm|-weekly|…].md so people find them by name."""
    expected_start = day.isoformat()
    if not rid.startswith(expected_start):
        r.add(kind, rid, ("date",), msg("the date {date} does not match the file name '{name}.md'", date=str(expected_start), name=rid),
              msg("name the file {date}-…md, or correct the date", date=str(expected_start)))
        return
    if members:
        expected = f"{expected_start}-{members[0]}{suffix}"
        if rid != expected:
            r.add(kind, rid, ("member",), msg("the file name '{name}.md' does not match its fields (expected '{expected}.md')", name=rid, expected=expected),
                  msg("rename the file so the team can find reports by name"), "warning")
