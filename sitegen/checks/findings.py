"""Business findings: what the method asks of goals, customers and standards, judged on the
metrics. They are warnings by default — a team may make some errors for ``sitegen check`` (its CI
gate) in ``checks:`` of sitegen.yaml — and never stop a site from being built.

The metrics compute; the rules live here, next to the checks on records (``records``)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from ..i18n import CLAUSES, NO_TEXT, Text, joined, msg, msg_plural
from ..loader import FieldPath
from ..metrics import Metrics
from ..metrics.facts import EVENT_STEPS
from ..metrics.goals import GoalProgress, event_steps
from ..model import Report, lead_field_word
from ..periods import WorkCalendar
from ..problems import Problem, Severity
from ..records import TeamRecords
from .records import Reporter


def check_findings(records: TeamRecords, metrics: Metrics) -> list[Problem]:
    """Every business finding, located at the record it concerns."""
    r = Reporter(records)
    _customer_findings(records, metrics, r)
    _activity_counts(records, r)
    _plan_cadence(records, metrics, r)
    for goal_id in sorted(records.goals):
        check_decomposition(records, goal_id, metrics.goals.get(goal_id), metrics.as_of, metrics.facts.calendar, r)
    return r.problems


def _customer_findings(records: TeamRecords, metrics: Metrics, r: Reporter) -> None:
    """Customers below the lead standard, and star ratings their records contradict."""
    severity = records.config.checks
    for cid, state in metrics.customers.customers.items():
        if state.missing_for_lead:
            r.add("customer", cid, (), msg("does not meet the lead standard: missing {fields}",
                      fields=joined([lead_field_word(t, records.config) for t in state.missing_for_lead])),
                  msg("the lead standard is on the standards page (lead_standard in sitegen.yaml)"), severity.lead_standard)
        if state.contradictions:
            r.add("customer", cid, ("stars",), msg("declared {stars}★ but {contradictions}", stars=state.stars or 0,
                                                   contradictions=joined(state.contradictions, CLAUSES)),
                  msg("change the rating, or bring the record up to the star's definition"), severity.star_criteria)


def _activity_counts(records: TeamRecords, r: Reporter) -> None:
    """A report's contact counts must cover its touchpoints: each touchpoint is one contact on its
    channel, so fewer contacts than touchpoints means one of the two is wrong."""
    for rid in sorted(records.reports):
        report_counts(records, r, rid, records.reports[rid])


def report_counts(records: TeamRecords, r: Reporter, rid: str, report: Report) -> None:
    """One report's contact counts against its touchpoints (``_activity_counts``)."""
    logged: dict[str, int] = {}
    for t in report.touchpoints:
        logged[t.channel] = logged.get(t.channel, 0) + 1
    for channel, touchpoints in logged.items():
        counted = report.activity.get(channel, 0)
        if touchpoints > counted:
            path: FieldPath = ("activity", channel) if channel in report.activity else ("activity",)
            r.add("report", rid, path, msg("{touchpoints} on '{channel}' but {counted} counted", channel=channel,
                      touchpoints=msg_plural("{count} touchpoint", "{count} touchpoints", touchpoints),
                      counted=msg_plural("{count} contact", "{count} contacts", counted)),
                  msg("count every contact in activity: (at least {touchpoints} on {channel}), or fix the touchpoints' channel", touchpoints=touchpoints, channel=channel),
                  records.config.checks.activity_counts)


def _plan_cadence(records: TeamRecords, metrics: Metrics, r: Reporter) -> None:
    """Each member whose role keeps plans at a cadence (週計劃日管控) without one covering the day."""
    index = {m.id: i for i, m in enumerate(records.team.members)}
    for current in metrics.plans.current:
        if current.plan is None:
            member = records.team.members[index[current.member]]
            r.add("team", "team", ("members", index[current.member]),
                  msg("{member} has no current {period} plan ({role}: a plan every {period})", member=member.name,
                      period=Text(current.cadence), role=Text(member.role)),
                  msg("write their {period} plan in records/plans/ ('sitegen new plan' starts one), or change plan_cadence in sitegen.yaml",
                      period=Text(current.cadence)),
                  records.config.checks.plan_cadence)


def step_count(step: str, value: float) -> Text:
    """A number of one step of an event's funnel, in words: "12 invitations", "amount 80,000"."""
    count = round(value)
    if step == "invitations":
        return msg_plural("{count:,} invitation", "{count:,} invitations", count)
    if step == "attendance":
        return msg_plural("{count:,} attending", "{count:,} attending", count)
    if step == "deals":
        return msg_plural("{count:,} deal", "{count:,} deals", count)
    return msg("amount {amount:,.0f}", amount=value)


def step_part(step: str, part: float, whole: float) -> Text:
    """Part of one step's target, in words: "17 of 20 invitations", "amount 25,000 of 60,000"."""
    count = round(whole)
    if step == "invitations":
        return msg_plural("{part:,} of {count:,} invitation", "{part:,} of {count:,} invitations", count, part=round(part))
    if step == "attendance":
        return msg_plural("{part:,} of {count:,} attending", "{part:,} of {count:,} attending", count, part=round(part))
    if step == "deals":
        return msg_plural("{part:,} of {count:,} deal", "{part:,} of {count:,} deals", count, part=round(part))
    return msg("amount {part:,.0f} of {whole:,.0f}", part=part, whole=whole)


def check_decomposition(records: TeamRecords, goal_id: str, progress: GoalProgress | None, as_of: date,
                        calendar: WorkCalendar, r: Reporter) -> None:
    """The method's rules for a sound decomposition, each a problem located in the goal."""
    goal = records.goals[goal_id]
    severities = records.config.checks

    def add(path: FieldPath, severity: Severity, message: Text, hint: Text = NO_TEXT) -> None:
        r.add("goal", goal_id, path, message, hint, severity)

    if goal.members:
        total = sum(s.must for s in goal.members)
        if total <= goal.must:
            add(("members",), severities.members_sum,
                msg("members' must targets sum to {total:,.0f}, not more than the team target {must:,.0f}", total=total, must=goal.must),
                msg("the method asks for the members' shares to add up to MORE than the goal from above, as a safety margin"))
        if all(s.basis is None for s in goal.members) and len({s.must for s in goal.members}) == 1 and len(goal.members) > 1:
            add(("members",), "warning", msg("the must target is split equally with no basis stated"),
                msg("decompose by each member's history, their own declared figure and their customers, not an equal split"))
        for i, share in enumerate(goal.members):
            if share.basis == "equal-split":
                add(("members", i, "basis"), "warning", msg("{member}'s share is an equal split", member=r.member(share.member)),
                    msg("state the basis: history, self-declared or customers"))
    period = progress.period if progress else None
    if goal.stages and period is not None:
        ordered = sorted(enumerate(goal.stages), key=lambda pair: pair[1].start)
        cursor = period.start
        for index, stage in ordered:
            if stage.start > cursor and calendar.working_days(cursor, stage.start - timedelta(days=1)):
                add(("stages", index, "start"), severities.stages_cover,
                    msg("gap in the stages: {cursor} to {start} is in no stage", cursor=cursor, start=stage.start - timedelta(days=1)),
                    msg("stages must cover the whole period without gaps"))
            elif stage.start < cursor:
                add(("stages", index, "start"), severities.stages_cover,
                    msg("stage '{name}' overlaps the stage before it", name=stage.name), msg("stages must not overlap"))
            cursor = max(cursor, stage.end + timedelta(days=1))
        if cursor <= period.end and calendar.working_days(cursor, period.end):  # days off between stages are no gap
            add(("stages",), severities.stages_cover, msg("gap in the stages: {cursor} to {end} is in no stage", cursor=cursor, end=period.end),
                msg("stages must cover the whole period without gaps"))
        stage_total = sum(s.target for s in goal.stages)
        if stage_total < goal.must:
            add(("stages",), severities.stages_cover,
                msg("stage targets sum to {stage_total:,.0f}, less than the team target {must:,.0f}", stage_total=stage_total, must=goal.must),
                msg("the stages together must reach at least the must-achieve target"))
    for i, measure in enumerate(progress.measures if progress else []):
        if measure.status == "overdue":
            add(("measures", i, "due"), severities.measures,
                msg("supplementary measure '{what}' was due on {due} and is not done", what=measure.what, due=measure.due or ""),
                msg("mark it done or dropped, or give it a new due date"))
    for i, event in enumerate(goal.events):
        steps = event_steps(event)
        for earlier, later in itertools.pairwise(EVENT_STEPS[:3]):
            if steps[later] > steps[earlier]:
                add(("events", i, later), severities.events,
                    msg("event '{event}' expects {later} from {earlier}", event=event.name, later=step_count(later, steps[later]),
                        earlier=step_count(earlier, steps[earlier])),
                    msg("each step of an event's funnel comes from the one before: invitations → attendance → deals"))
        if event.members:
            owned = {k: sum(event_steps(t)[k] for t in event.members) for k in EVENT_STEPS}
            short = [step_part(k, owned[k], steps[k]) for k in EVENT_STEPS if owned[k] < steps[k]]
            if short:
                add(("events", i, "members"), severities.events,
                    msg("members' targets for event '{event}' fall short of the event's: {short}", event=event.name, short=joined(short)),
                    msg("every part of an event's target should be owned by a member"))
        row = next((r for r in progress.events if r.id == event.id), None) if progress else None
        if row is not None and row.fell_short:
            short = [step_part(k, row.actual[k], row.target[k]) for k in row.fell_short]
            if short:
                add(("events", i), severities.events,
                    msg("event '{event}' on {date} fell short: {short}", event=event.name, date=event.date.isoformat(), short=joined(short)),
                    msg("record the event's actuals in the reports (events:) or add a supplementary measure"))
    if progress is not None:
        floor = records.config.pipeline_coverage_floor
        for i, member_row in enumerate(progress.members):
            if member_row.coverage is not None and member_row.pipeline is not None and member_row.coverage < floor:
                shortfall = member_row.must * floor - member_row.pipeline
                add(("members", i, "must"), severities.pipeline_coverage,
                    msg("{member}'s pipeline covers {coverage:.0%} of their must share ({pipeline:,.0f} expected to close against {must:,.0f}; short by {shortfall:,.0f})", member=r.member(member_row.member), coverage=member_row.coverage, pipeline=member_row.pipeline, must=member_row.must, shortfall=shortfall),
                    msg("back the share with customers expected to close this period, or revisit the share"))
