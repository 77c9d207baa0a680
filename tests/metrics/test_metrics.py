"""Metrics are pure functions: small hand-computed cases on the minimal team."""

from __future__ import annotations

from datetime import date

from sitegen.build import validate

from conftest import write

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
    assert "does not meet the lead standard: missing contact.phone" in [p.message for p in problems]
    wang = m.customers.customers["wang-tea"]
    # last touch 2026-11-03 said next contact 2026-11-06: 14 days overdue on 2026-11-20
    assert wang.next_contact == date(2026, 11, 6) and wang.overdue_days == 14
    # 5-star unclosed must be contacted every 7 days: 17 days since 2026-11-03 is churn risk
    assert wang.churn_risk


def test_star_contradiction(minimal_team):
    m, problems = metrics_of(minimal_team, as_of=date(2026, 11, 25))
    # 5★ needs an expected close within 30 days: 2026-11-20 has passed by 2026-11-25
    assert m.customers.customers["wang-tea"].contradictions == ["expected close date 2026-11-20 has passed"]


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


def test_members_summing_to_the_target_is_an_error(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 1000000\nchallenge: 1200000\nmembers:\n"
          "  - {member: amy, must: 500000, basis: history}\n  - {member: bob, must: 500000, basis: history}\n")
    result = validate(minimal_team, AS_OF)
    errors = [p for p in result.problems if p.is_error]
    assert [(p.path, p.line, p.field, p.message) for p in errors] == [
        ("records/plans/2026-11-team-goal.yaml", 6, "members",
         "members' must targets sum to 1,000,000, not more than the team target 1,000,000")]
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 1000000\nchallenge: 1200000\nmembers:\n"
          "  - {member: amy, must: 440000, basis: history}\n  - {member: bob, must: 500000, basis: history}\n")
    result = validate(minimal_team, AS_OF)
    assert "members' must targets sum to 940,000, not more than the team target 1,000,000" in [p.message for p in result.problems]


def test_stage_gaps_and_equal_split(minimal_team):
    write(minimal_team, "records/plans/2026-11-team-goal.yaml",
          "kind: goal\nperiod: 2026-11\nmust: 100\nchallenge: 120\nmembers:\n"
          "  - {member: amy, must: 60}\n  - {member: bob, must: 60}\nstages:\n"
          "  - {name: a, start: 2026-11-01, end: 2026-11-10, target: 40}\n"
          "  - {name: b, start: 2026-11-12, end: 2026-11-30, target: 50}\n")
    result = validate(minimal_team, AS_OF)
    messages = [p.message for p in result.problems if p.path.endswith("team-goal.yaml")]
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
