"""Metrics are pure functions: small hand-computed cases on the minimal team."""

from __future__ import annotations

from datetime import date

from conftest import write
from sitegen.build import validate

AS_OF = date(2026, 11, 20)


def metrics_of(root, as_of=AS_OF):
    result = validate(root, as_of)
    assert result.ok, [p for p in result.problems if p.is_error]
    return result.metrics, result.problems


def test_customer_counts_by_star_and_expected_this_period(minimal_team):
    m, _ = metrics_of(minimal_team)
    bob, amy = m.customers.by_member["bob"], m.customers.by_member["amy"]
    assert bob.unclosed_by_star == [0, 0, 0, 0, 1] and bob.closed_by_star == [0, 0, 0, 0, 0]
    assert amy.closed_by_star == [0, 0, 1, 0, 0]
    assert (bob.expected_count, bob.expected_value) == (1, 120000)
    assert m.customers.team.unclosed == 1 and m.customers.team.closed == 1


def test_lead_standard_and_overdue_and_churn(minimal_team):
    write(minimal_team, "records/customers/no-phone.yaml", "name: N\nowner: bob\nstatus: lead\ncontacts:\n  - {name: A}\n")
    m, problems = metrics_of(minimal_team)
    state = m.customers.customers["no-phone"]
    assert state.missing_for_lead == ["contact.phone"]
    assert m.customers.team.failing_lead_standard == 1 and m.customers.team.raw_leads == 0
    # the same missing phone on a prospect is no raw lead's failing: both columns count leads only
    write(minimal_team, "records/customers/no-phone-prospect.yaml",
          "name: P\nowner: bob\nstatus: prospect\nstars: 2\ncontacts:\n  - {name: A}\n")
    again, _ = metrics_of(minimal_team)
    team = again.customers.team
    assert again.customers.customers["no-phone-prospect"].missing_for_lead == []
    assert (team.raw_leads, team.failing_lead_standard, team.leads) == (0, 1, 1)
    assert "does not meet the lead standard: missing contact's phone" in [str(p.message) for p in problems]
    wang = m.customers.customers["wang-tea"]
    # last touch 2026-11-03 said next contact 2026-11-06: 14 days overdue on 2026-11-20
    assert wang.next_contact == date(2026, 11, 6) and wang.overdue_days == 14
    # 5-star unclosed must be contacted every 7 days: 17 days since 2026-11-03 is churn risk
    assert wang.churn_risk


def test_star_contradiction(minimal_team):
    m, _ = metrics_of(minimal_team, as_of=date(2026, 11, 25))
    # 5★ needs an expected close within 30 days: 2026-11-20 has passed by 2026-11-25
    assert [str(c) for c in m.customers.customers["wang-tea"].contradictions] == ["expected close date 2026-11-20 has passed"]


def test_goal_actual_pace_and_forecast(minimal_team):
    write(minimal_team, "records/reports/2026/11/2026-11-05-bob.md",
          "---\nmember: bob\ndate: 2026-11-05\ndeals:\n  - {customer: wang-tea, amount: 50000}\n---\n")
    m, _ = metrics_of(minimal_team)
    goal = m.goals["2026-11-team-goal"]
    assert goal.actual == 50000
    # November 2026 has 21 working days (Mon–Fri); 15 of them are on or before the 20th
    assert (goal.elapsed_working_days, goal.total_working_days) == (15, 21)
    assert round(goal.pace, 2) == round(200000 * 15 / 21, 2)
    # forecast: actual + 120,000 expected from a 5★ prospect weighted 0.8
    assert goal.forecast == 50000 + 120000 * 0.8
    bob = next(r for r in goal.members if r.member == "bob")
    assert (bob.actual, bob.pipeline, bob.coverage) == (50000, 120000, 1.0)


def test_members_summing_to_the_target_is_a_finding_that_never_stops_the_site(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 1000000\nchallenge: 1200000\nmembers:\n"
          "  - {member: amy, must: 500000, basis: history}\n  - {member: bob, must: 500000, basis: history}\n")
    result = validate(minimal_team, AS_OF)
    found = [p for p in result.problems if "sum to" in str(p.message)]
    assert [(p.path, p.line, p.field, p.severity, str(p.message)) for p in found] == [
        ("records/plans/2026-11-team-goal.yaml", 6, "members", "warning",
         "members' must targets sum to 1,000,000, not more than the team target 1,000,000")]
    assert result.ok
    # a team that makes it an error fails `check` (its CI gate), and still gets its site
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "checks: {members_sum: error}\n", encoding="utf-8")
    from sitegen.cli import main

    assert main(["check", str(minimal_team), "--as-of", str(AS_OF)]) == 1
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 0
    page = (minimal_team / "site/problems.html").read_text(encoding="utf-8")
    assert "sum to 1,000,000, not more than the team target 1,000,000" in page
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 1000000\nchallenge: 1200000\nmembers:\n"
          "  - {member: amy, must: 440000, basis: history}\n  - {member: bob, must: 500000, basis: history}\n")
    result = validate(minimal_team, AS_OF)
    assert "members' must targets sum to 940,000, not more than the team target 1,000,000" in [str(p.message) for p in result.problems]


def test_stage_gaps_and_equal_split(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 100\nchallenge: 120\nmembers:\n"
          "  - {member: amy, must: 60}\n  - {member: bob, must: 60}\nstages:\n"
          "  - {name: a, start: 2026-11-01, end: 2026-11-10, target: 40}\n"
          "  - {name: b, start: 2026-11-12, end: 2026-11-30, target: 50}\n")
    result = validate(minimal_team, AS_OF)
    messages = [str(p.message) for p in result.problems if p.path.endswith("team-goal.yaml")]
    assert "the must target is split equally with no basis stated" in messages
    assert "gap in the stages: 2026-11-11 to 2026-11-11 is in no stage" in messages
    assert "stage targets sum to 90, less than the team target 100" in messages


def test_plan_adherence_and_compliance(minimal_team):
    m, _ = metrics_of(minimal_team)
    summary = m.plans.plans["2026-11-02-bob-week"]
    assert [i.status for i in summary.items] == ["done"]
    assert summary.adherence == 1.0
    # bob reports daily: 15 working days from 2026-11-02 up to 2026-11-20 (1 November is a Sunday)
    comp = m.action.compliance["bob"]
    assert (comp.expected, comp.submitted, comp.missing) == (15, 1, 14)


EVENT_GOAL = """\
kind: goal
period: 2026-11
must: 200000
challenge: 260000
members:
  - {member: amy, must: 100000, basis: history}
  - {member: bob, must: 120000, basis: customers}
events:
  - id: tasting
    name: Tasting day
    date: 2026-11-12
    invitations: 20
    attendance: 10
    deals: 2
    amount: 60000
    members:
      - {member: amy, invitations: 10, attendance: 5, deals: 1, amount: 30000}
      - {member: bob, invitations: 10, attendance: 5, deals: 1, amount: 20000}
"""


def test_event_actuals_come_from_reports_per_member(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml", EVENT_GOAL)
    write(minimal_team, "records/reports/2026/11/2026-11-10-bob.md",
          "---\nmember: bob\ndate: 2026-11-10\nevents:\n  - {event: tasting, invited: 7}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-12-bob.md",
          "---\nmember: bob\ndate: 2026-11-12\nevents:\n  - {event: tasting, invited: 1, attended: 6, deals: 1, amount: 25000}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-12-amy.md",
          "---\nmember: amy\ndate: 2026-11-12\nevents:\n  - {event: tasting, invited: 9, attended: 4}\n---\n")
    # a report after the as-of date is a future record and does not count
    write(minimal_team, "records/reports/2026/11/2026-11-23-amy.md",
          "---\nmember: amy\ndate: 2026-11-23\nevents:\n  - {event: tasting, deals: 5}\n---\n")
    m, problems = metrics_of(minimal_team)
    [event] = m.goals["2026-11-team-goal"].events
    assert event.actual == {"invitations": 17, "attendance": 10, "deals": 1, "amount": 25000}
    assert event.by_member == [
        ("amy", {"invitations": 10, "attendance": 5, "deals": 1, "amount": 30000},
         {"invitations": 9, "attendance": 4, "deals": 0, "amount": 0}),
        ("bob", {"invitations": 10, "attendance": 5, "deals": 1, "amount": 20000},
         {"invitations": 8, "attendance": 6, "deals": 1, "amount": 25000}),
    ]
    messages = {(p.line, p.field, str(p.message)) for p in problems if p.field.startswith("events")}
    # the members' amounts (30,000 + 20,000) do not cover the event's 60,000; the event is past and short
    assert messages == {
        (17, "events[0].members", "members' targets for event 'Tasting day' fall short of the event's: amount 50,000 of 60,000"),
        (9, "events[0]", "event 'Tasting day' on 2026-11-12 fell short: 17 of 20 invitations, 1 of 2 deals, amount 25,000 of 60,000"),
    }


def test_an_event_not_yet_held_is_not_judged_and_its_funnel_must_narrow(minimal_team):
    goal = EVENT_GOAL.replace("date: 2026-11-12", "date: 2026-11-25").replace("attendance: 10\n", "attendance: 30\n")
    write(minimal_team, "records/plans/2026-11-team-goal.yaml", goal)
    _, problems = metrics_of(minimal_team)
    messages = [str(p.message) for p in problems if p.path.endswith("team-goal.yaml")]
    assert "event 'Tasting day' expects 30 attending from 20 invitations" in messages
    assert not [m for m in messages if "fell short" in m]


GOAL_WITH_STAGES = ("kind: goal\nperiod: 2026-11\nmust: 200000\nchallenge: 260000\nmembers:\n"
                    "  - {member: amy, must: 100000, challenge: 130000, basis: history}\n"
                    "  - {member: bob, must: 120000, challenge: 150000, basis: history}\n"
                    "stages:\n  - {name: first, start: 2026-11-01, end: 2026-11-08, target: 100000}\n"
                    "  - {name: second, start: 2026-11-16, end: 2026-11-30, target: 100000}\n"
                    "measures:\n  - {what: Call every lapsed customer, owner: bob, due: 2026-11-10, status: in-progress}\n"
                    "  - {what: Fair booth, owner: amy, due: 2026-11-25, status: planned}\n")


def test_a_measure_past_its_due_date_is_overdue_and_said(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml", GOAL_WITH_STAGES)
    result = validate(minimal_team, AS_OF)
    goal = result.metrics.goals["2026-11-team-goal"]
    assert [m.status for m in goal.measures] == ["overdue", "planned"]
    found = [(p.line, p.field, p.severity, str(p.message)) for p in result.problems if "supplementary" in str(p.message)]
    assert found == [(12, "measures[0].due", "warning",
                      "supplementary measure 'Call every lapsed customer' was due on 2026-11-10 and is not done")]


def test_days_off_between_stages_are_no_gap(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml", GOAL_WITH_STAGES)
    gap = "gap in the stages: 2026-11-09 to 2026-11-15 is in no stage"
    assert gap in [str(p.message) for p in validate(minimal_team, AS_OF).problems]
    config = minimal_team / "sitegen.yaml"
    holidays = "".join(f"  - {{date: 2026-11-{d}, name: break}}\n" for d in ("09", "10", "11", "12", "13"))
    config.write_text(config.read_text(encoding="utf-8") + "holidays:\n" + holidays, encoding="utf-8")
    assert gap not in [str(p.message) for p in validate(minimal_team, AS_OF).problems]


def test_the_home_page_names_overdue_measures(minimal_team, tmp_path):
    import re

    from sitegen.build import build_site

    write(minimal_team, "records/plans/2026-11-team-goal.yaml", GOAL_WITH_STAGES)
    assert build_site(minimal_team, tmp_path / "site", AS_OF).ok
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    line = re.sub(r"<[^>]+>", "", re.search(r'<p class="warn" id="overdue-measures">(.*?)</p>', home, re.S).group(1))
    assert line == "Supplementary measures past their due date: Call every lapsed customer (Bob, Nov 10, 2026)"


def test_touchpoints_beyond_the_counted_contacts_are_a_warning_naming_the_report(minimal_team):
    report = minimal_team / "records/reports/2026/11/2026-11-03-bob.md"
    text = report.read_text(encoding="utf-8").replace("activity: {phone: 12, visit: 2}", "activity: {visit: 0}")
    text = text.replace("touchpoints:\n", "touchpoints:\n  - {customer: wang-tea, channel: phone, purpose: quote sent}\n")
    report.write_text(text, encoding="utf-8")
    problems = validate(minimal_team, AS_OF).problems
    assert not [p for p in problems if p.is_error]
    found = [p for p in problems if "contacts counted" in str(p.message)]
    assert [(p.path, p.line, p.column, p.field, p.severity, str(p.message), str(p.hint)) for p in found] == [
        ("records/reports/2026/11/2026-11-03-bob.md", 4, 11, "activity", "warning",
         "1 touchpoint on 'phone' but 0 contacts counted",
         "count every contact in activity: (at least 1 on phone), or fix the touchpoints' channel"),
        ("records/reports/2026/11/2026-11-03-bob.md", 4, 19, "activity.visit", "warning",
         "1 touchpoint on 'visit' but 0 contacts counted",
         "count every contact in activity: (at least 1 on visit), or fix the touchpoints' channel")]


def _with_team_fields(root) -> None:
    config = root / "sitegen.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "    - {stars: 4, label: Warm, description: Demo done., contact_every_days: 14}",
        "    - {stars: 4, label: Warm, description: Budget and decision maker known., contact_every_days: 14,\n"
        "       criteria: {fields: {budget_confirmed: true, decision_maker_met: true, seats: 5}}}")
    text += ("customer_fields:\n  - {id: budget_confirmed, name: Budget confirmed}\n"
             "  - {id: decision_maker_met, name: Decision maker met}\n  - {id: seats, name: Seats, kind: number}\n")
    config.write_text(text, encoding="utf-8")


def test_star_criteria_and_the_lead_standard_test_the_teams_own_fields(minimal_team):
    """'4★ needs the budget confirmed and the decision maker met' can be written, and is checked."""
    _with_team_fields(minimal_team)
    write(minimal_team, "records/customers/tea-a.yaml",
          "name: A\nowner: bob\nstatus: prospect\nstars: 4\nfields: {budget_confirmed: true, decision_maker_met: false, seats: 3}\n")
    write(minimal_team, "records/customers/tea-b.yaml",
          "name: B\nowner: bob\nstatus: prospect\nstars: 4\nfields: {budget_confirmed: true, decision_maker_met: true, seats: 8}\n")
    write(minimal_team, "records/customers/tea-c.yaml", "name: C\nowner: bob\nstatus: prospect\nstars: 4\n")
    m, problems = metrics_of(minimal_team)
    states = m.customers.customers
    assert [str(c) for c in states["tea-a"].contradictions] == ["decision_maker_met is no, not yes", "seats is 3, below 5"]
    assert [str(c) for c in states["tea-b"].contradictions] == []
    assert [str(c) for c in states["tea-c"].contradictions] == ["budget_confirmed is not recorded", "decision_maker_met is not recorded",
                                              "seats is not recorded"]
    assert "declared 4★ but decision_maker_met is no, not yes; seats is 3, below 5" in [str(p.message) for p in problems]
    from sitegen.build import build_site

    assert build_site(minimal_team, minimal_team / "site", AS_OF).ok
    page = (minimal_team / "site/customers/tea-a.html").read_text(encoding="utf-8")
    assert "<dt>Budget confirmed</dt><dd>yes</dd><dt>Decision maker met</dt><dd>no</dd><dt>Seats</dt><dd>3</dd>" in page
    standards = (minimal_team / "site/standards.html").read_text(encoding="utf-8")
    assert "<div>Budget confirmed: yes</div><div>Decision maker met: yes</div><div>Seats: ≥ 5</div>" in standards


def test_team_fields_are_declared_and_typed(minimal_team):
    _with_team_fields(minimal_team)
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "required: [name, owner, contact.name, contact.phone]", "required: [name, owner, fields.budget_confirmd]"), encoding="utf-8")
    write(minimal_team, "records/customers/tea-d.yaml",
          "name: D\nowner: bob\nstatus: lead\nfields: {budget_confirm: true, seats: many}\n")
    errors = [(p.path, p.line, p.field, str(p.message), str(p.hint)) for p in validate(minimal_team, AS_OF).problems if p.is_error]
    assert errors == [
        ("records/customers/tea-d.yaml", 4, "fields.budget_confirm", "unknown customer field 'budget_confirm'",
         "did you mean 'budget_confirmed'?"),
        ("records/customers/tea-d.yaml", 4, "fields.seats", "seats is a number field, got 'many'", "write a number, e.g. 3"),
        ("sitegen.yaml", 9, "lead_standard.required[2]", "unknown customer field 'budget_confirmd'",
         "did you mean 'budget_confirmed'?")]
    config.write_text(config.read_text(encoding="utf-8").replace("fields.budget_confirmd", "fields.budget_confirmed"),
                      encoding="utf-8")
    write(minimal_team, "records/customers/tea-d.yaml", "name: D\nowner: bob\nstatus: lead\nfields: {budget_confirmed: false}\n")
    m, _ = metrics_of(minimal_team)
    assert m.customers.customers["tea-d"].missing_for_lead == ["fields.budget_confirmed"]


def test_churn_per_period_counts_closed_customers_lost_or_gone_quiet(minimal_team):
    """Customers count as closed from their first deal and as churned on their status_since day;
    a lost customer who never bought is no churn, and one with no date is counted in no period."""
    write(minimal_team, "records/customers/gone.yaml", "name: G\nowner: bob\nstatus: lost\nstatus_since: 2026-11-10\n"
          "deals:\n  - {date: 2026-09-01, amount: 100}\n")
    write(minimal_team, "records/customers/quiet.yaml", "name: Q\nowner: bob\nstatus: dormant\nstatus_since: 2026-10-05\n"
          "deals:\n  - {date: 2026-08-01, amount: 100}\n")
    write(minimal_team, "records/customers/never.yaml", "name: N\nowner: bob\nstatus: lost\nstatus_since: 2026-11-02\n")
    write(minimal_team, "records/customers/undated.yaml", "name: U\nowner: bob\nstatus: dormant\n"
          "deals:\n  - {date: 2026-07-01, amount: 100}\n")
    m, _ = metrics_of(minimal_team)
    assert [(c.key, c.lost, c.dormant, c.base, c.undated) for c in m.churn] == [
        ("2026-06", 0, 0, 0, 1), ("2026-07", 0, 0, 1, 1), ("2026-08", 0, 0, 2, 1), ("2026-09", 0, 0, 3, 1),
        ("2026-10", 0, 1, 4, 1), ("2026-11", 1, 0, 3, 1)]
    assert [c.rate for c in m.churn[-2:]] == [0.25, 1 / 3]


def test_a_plans_outcome_targets_are_counted_from_the_reports(minimal_team):
    """面談 12 and 成交金額 80,000 against what bob's reports of the plan's week count: visits are the
    meeting channel (2 on the 3rd + 3 on the 5th), one deal of 30,000; a report after the week and
    amy's reports do not count; a target without a measure has no actual; a measure sitegen does
    not count is an error."""
    plan = minimal_team / "records/plans/2026-11-02-bob-week.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("items:", (
        "targets:\n  - {what: 面談, value: 12, measure: meetings}\n  - {what: 成交金額, value: 80000, measure: revenue}\n"
        "  - {what: 電話, value: 50, measure: phone}\n  - {what: 口碑, value: 3}\nitems:")), encoding="utf-8")
    write(minimal_team, "records/reports/2026/11/2026-11-05-bob.md",
          "---\nmember: bob\ndate: 2026-11-05\nactivity: {phone: 8, visit: 3}\n"
          "deals:\n  - {customer: wang-tea, amount: 30000}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-10-bob.md", "---\nmember: bob\ndate: 2026-11-10\nactivity: {visit: 4}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-04-amy.md", "---\nmember: amy\ndate: 2026-11-04\nactivity: {visit: 5}\n---\n")
    m, _ = metrics_of(minimal_team)
    assert m.plans.plans["2026-11-02-bob-week"].actuals == [5.0, 30000.0, 20.0, None]
    plan.write_text(plan.read_text(encoding="utf-8").replace("measure: phone", "measure: phonecalls"), encoding="utf-8")
    result = validate(minimal_team, AS_OF)
    assert [(p.field, str(p.message), str(p.hint)) for p in result.problems if p.field.endswith("measure")] == [
        ("targets[2].measure", "unknown measure 'phonecalls'", "did you mean 'phone'?")]
