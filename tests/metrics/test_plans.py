"""Plans as the method wants them (計劃): outcomes against actuals, items rescheduled with a new date
and a reason, revisions kept, and a current plan at the cadence each role needs — hand-computed on
the minimal team (bob's week plan of 2026-11-02 has one item, a demo due on the 3rd)."""

from __future__ import annotations

from datetime import date

from metrics.test_metrics import AS_OF, metrics_of

from conftest import write
from sitegen.build import validate
from sitegen.gitdates import file_versions

PLAN = "2026-11-02-bob-week"


def _progress(root, day: str, status: str, extra: str = "") -> None:
    write(root, f"records/reports/2026/11/{day}-bob.md",
          f"---\nmember: bob\ndate: {day}\nprogress:\n  - {{plan: {PLAN}, item: demo, status: {status}{extra}}}\n---\n")


def test_a_rescheduled_item_is_due_on_its_new_date_and_keeps_its_history(minimal_team):
    _progress(minimal_team, "2026-11-03", "rescheduled", ", new_due: 2026-11-06, reason: the owner is away")
    _progress(minimal_team, "2026-11-06", "done")
    m, problems = metrics_of(minimal_team)
    [item] = m.plans.plans[PLAN].items
    assert (item.status, item.due, item.reported_on) == ("done", date(2026, 11, 6), date(2026, 11, 6))
    assert [(r.on, r.before, r.after, r.reason) for r in item.rescheduled] == [
        (date(2026, 11, 3), date(2026, 11, 3), date(2026, 11, 6), "the owner is away")]
    assert m.plans.adherence_by_member["bob"] == (1, 1)
    assert m.plans.plans[PLAN].rescheduled == 1
    assert [p for p in problems if p.field.startswith("progress")] == []


def test_an_item_rescheduled_past_the_as_of_day_is_not_yet_due(minimal_team):
    _progress(minimal_team, "2026-11-03", "rescheduled", ", new_due: 2026-11-25, reason: moved to month end")
    m, _ = metrics_of(minimal_team)
    [item] = m.plans.plans[PLAN].items
    assert (item.status, item.due) == ("rescheduled", date(2026, 11, 25))
    assert m.plans.plans[PLAN].due == 0 and m.plans.adherence_by_member["bob"] == (0, 0)
    assert item not in m.plans.misses


def test_an_item_rescheduled_and_not_done_by_its_new_date_is_overdue(minimal_team):
    _progress(minimal_team, "2026-11-03", "rescheduled", ", new_due: 2026-11-10, reason: waiting for stock")
    m, _ = metrics_of(minimal_team)
    [item] = m.plans.plans[PLAN].items
    assert (item.status, item.due) == ("overdue", date(2026, 11, 10))
    assert m.plans.adherence_by_member["bob"] == (0, 1) and item in m.plans.misses


def test_rescheduling_needs_a_new_date_after_the_report_and_a_reason(minimal_team):
    _progress(minimal_team, "2026-11-03", "rescheduled")
    _progress(minimal_team, "2026-11-04", "rescheduled", ", new_due: 2026-11-02, reason: x")
    found = [(p.path.rsplit("/", 1)[1], p.severity, p.field, str(p.message))
             for p in validate(minimal_team, AS_OF).problems if p.field.startswith("progress")]
    assert found == [
        ("2026-11-03-bob.md", "error", "progress[0].new_due", "an item marked 'rescheduled' needs its new date"),
        ("2026-11-03-bob.md", "warning", "progress[0].reason", "an item marked 'rescheduled' needs a reason"),
        ("2026-11-04-bob.md", "error", "progress[0].new_due", "the new date 2026-11-02 is not after the report's date 2026-11-04"),
    ]


def test_a_plans_revisions_are_kept_in_order(minimal_team):
    write(minimal_team, f"records/plans/{PLAN}.yaml",
          "kind: plan\nmember: bob\nperiod: week\nstart: 2026-11-02\nend: 2026-11-08\n"
          "items:\n  - {id: demo, what: Demo at Wang Tea House, due: 2026-11-05, customer: wang-tea}\n"
          "revisions:\n  - {date: 2026-11-04, change: demo moved to Thursday, reason: the owner is away}\n"
          "  - {date: 2026-11-02, change: first version}\n")
    m, _ = metrics_of(minimal_team)
    assert [(r.date, r.change, r.reason) for r in m.plans.plans[PLAN].plan.revisions] == [
        (date(2026, 11, 4), "demo moved to Thursday", "the owner is away"), (date(2026, 11, 2), "first version", None)]


def test_each_role_needs_a_current_plan_at_its_cadence(minimal_team):
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text() + "plan_cadence: {rep: week, supervisor: month}\n")
    m, problems = metrics_of(minimal_team, date(2026, 11, 5))  # bob's week plan covers the 5th; amy has no month plan
    found = [(p.path, p.line, p.severity, str(p.message)) for p in problems if "plan" in str(p.message) and p.path.endswith("team.yaml")]
    assert found == [("records/team.yaml", 4, "warning", "Amy has no current month plan (supervisor: a plan every month)")]
    assert [(g.member, g.cadence, g.plan) for g in m.plans.current] == [("amy", "month", None), ("bob", "week", PLAN)]
    _, later = metrics_of(minimal_team, date(2026, 11, 12))  # the week plan has ended
    assert sorted(str(p.message) for p in later if "current" in str(p.message)) == [
        "Amy has no current month plan (supervisor: a plan every month)",
        "Bob has no current week plan (rep: a plan every week)"]


def _page_text(path) -> str:
    import html
    import re

    page = re.sub(r"<script.*?</script>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_plan_page_shows_the_rescheduling_the_revisions_and_the_supervisor_sees_the_group(minimal_team, tmp_path):
    import json

    from sitegen.build import build_site

    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text() + "plan_cadence: {rep: week, supervisor: month}\n")
    plan = minimal_team / f"records/plans/{PLAN}.yaml"
    plan.write_text(plan.read_text() + "revisions:\n  - {date: 2026-11-03, change: demo moved to Friday, reason: the owner is away}\n")
    _progress(minimal_team, "2026-11-03", "rescheduled", ", new_due: 2026-11-06, reason: the owner is away")
    write(minimal_team, "records/reports/2026/11/2026-11-05-bob.md", "---\nmember: bob\ndate: 2026-11-05\nhelp: need a demo unit\n---\n")
    site = tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 5)).ok

    page = _page_text(site / f"plans/{PLAN}.html")
    assert "Rescheduled Item Reported Was due Now due Reason Demo at Wang Tea House Nov 3, 2026 Nov 3, 2026 Nov 6, 2026 the owner is away" in page
    assert "Revisions Date Change Reason Nov 3, 2026 demo moved to Friday the owner is away" in page
    assert "Versions in git Date Commit Message No version in git yet." in page  # not a git repository
    # the item is not yet due on the 5th: its due date is the new one, and it is still rescheduled
    assert "Demo at Wang Tea House Wang Tea House Nov 6, 2026 rescheduled" in page

    group = json.loads((site / "members/amy.group.json").read_text(encoding="utf-8"))
    assert group["rows"] == [{"member": "Bob", "member_id": "bob", "plan": "2026-11-02", "plan_id": PLAN, "adherence": None,
                              "submitted": 2, "missing": 2, "late": 0, "open_help": 1}]  # the 3rd and 5th; not the 2nd, 4th
    current = json.loads((site / "plans/index.current-plans.json").read_text(encoding="utf-8"))
    assert [(r["member_id"], r["cadence_id"], r["plan"]) for r in current["rows"]] == [
        ("amy", "month", "No current plan"), ("bob", "week", "2026-11-02")]
    amy = _page_text(site / "members/amy.html")
    assert "Requests for help you owe Member Help requested Asked Who answers Days open Bob need a demo unit Nov 5, 2026 Amy 0" in amy
    assert "The people you supervise" not in _page_text(site / "members/bob.html")


def test_a_plans_versions_come_from_git_as_they_stood_on_the_as_of_day(minimal_team):
    """A repository whose history the test writes, commit by commit: each plan's page lists the
    commits that changed its file up to the as-of day (in the team's time zone), newest first."""
    from test_gitdates import git

    git(minimal_team, "init", "-q")
    git(minimal_team, "add", ".")
    git(minimal_team, "commit", "-q", "-m", "Week plan agreed with Amy", when="2026-11-01T09:00:00+08:00")
    plan = minimal_team / f"records/plans/{PLAN}.yaml"
    plan.write_text(plan.read_text().replace("due: 2026-11-03", "due: 2026-11-05"))
    git(minimal_team, "commit", "-q", "-am", "Demo moved: the owner is away", when="2026-11-05T01:30:00+08:00")
    versions = file_versions(minimal_team, "records/plans")

    def plan_versions(as_of):
        metrics = validate(minimal_team, as_of, versions=versions).metrics
        assert metrics is not None
        return metrics.plans.plans[PLAN].versions

    # committed at 01:30 on the 5th in Taipei, still the 4th in UTC: the team's day is the 5th
    assert [(v.when.date(), v.subject) for v in plan_versions(date(2026, 11, 5))] == [
        (date(2026, 11, 1), "Week plan agreed with Amy"), (date(2026, 11, 5), "Demo moved: the owner is away")]
    assert [v.subject for v in plan_versions(date(2026, 11, 4))] == ["Week plan agreed with Amy"]
