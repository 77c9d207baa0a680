"""Periodic reports (週報、月報…): owed per role for each period that has ended, covered by a report
of that kind dated within it, late by the daily rule counted from the period's end — hand-computed
on the minimal team (Amy supervises Bob; the as-of day is Friday 20 November 2026)."""

from __future__ import annotations

from datetime import date

from metrics.test_metrics import AS_OF, metrics_of
from test_gitdates import commit, git

from conftest import write
from sitegen.build import validate
from sitegen.gitdates import report_commit_times


def _require(root, periodic: str) -> None:
    config = root / "sitegen.yaml"
    config.write_text(config.read_text() + f"reports: {{periodic: {periodic}}}\n")


def _periodic(root, day: str, kind: str, member: str = "bob") -> str:
    path = f"records/reports/2026/11/{day}-{member}-{kind}.md"
    write(root, path, f"---\nkind: {kind}\nmember: {member}\ndate: {day}\n---\n")
    return path


def test_each_ended_week_is_owed_from_the_first_daily_report(minimal_team):
    _require(minimal_team, "{rep: [weekly, monthly]}")
    _periodic(minimal_team, "2026-11-06", "weekly")
    _periodic(minimal_team, "2026-11-15", "weekly")  # Sunday, the week's last day: still that week
    m, _ = metrics_of(minimal_team)
    # the first daily report is Tuesday 3 November: the weeks of 2–8 and 9–15 have ended; 16–22 has not,
    # nor has November (no monthly owed yet); Amy's role owes nothing
    assert [(p.kind, p.start, p.end, p.report, p.filed_on, p.late) for p in m.periodic["bob"]] == [
        ("weekly", date(2026, 11, 9), date(2026, 11, 15), "2026-11-15-bob-weekly", date(2026, 11, 15), None),
        ("weekly", date(2026, 11, 2), date(2026, 11, 8), "2026-11-06-bob-weekly", date(2026, 11, 6), None)]
    assert "amy" not in m.periodic
    later, _ = metrics_of(minimal_team, date(2026, 12, 2))
    assert [(p.kind, p.start, p.report) for p in later.periodic["bob"]][:3] == [
        ("monthly", date(2026, 11, 1), None), ("weekly", date(2026, 11, 23), None), ("weekly", date(2026, 11, 16), None)]


def test_a_periodic_report_is_late_by_the_daily_rule_from_the_periods_last_day(minimal_team):
    _require(minimal_team, "{rep: [weekly]}")
    git(minimal_team, "init", "-q")
    commit(minimal_team, ["."], "2026-11-01T00:00:00Z")
    # the week of 2–8 November ends on Sunday the 8th: late from 10:00 on Monday the 9th in Taipei (02:00 UTC)
    on_time = _periodic(minimal_team, "2026-11-06", "weekly")
    commit(minimal_team, [on_time], "2026-11-09T01:59:00Z")
    late = _periodic(minimal_team, "2026-11-13", "weekly")  # the week of 9–15: late from 02:00 UTC on the 16th
    commit(minimal_team, [late], "2026-11-16T02:00:00Z")
    result = validate(minimal_team, AS_OF, report_commit_times(minimal_team))
    assert result.metrics is not None
    assert [(p.start, p.late) for p in result.metrics.periodic["bob"]] == [(date(2026, 11, 9), True), (date(2026, 11, 2), False)]


def test_the_member_and_period_pages_list_them_and_link_the_reports(minimal_team, tmp_path):
    import json

    from sitegen.build import build_site

    _require(minimal_team, "{rep: [weekly]}")
    _periodic(minimal_team, "2026-11-06", "weekly")
    site = tmp_path / "site"
    assert build_site(minimal_team, site, AS_OF).ok
    compliance = json.loads((site / "members/bob.periodic-compliance.json").read_text(encoding="utf-8"))
    assert compliance["rows"] == [{"kind": "weekly", "kind_id": "weekly", "owed": 2, "filed": 1, "missing": 1, "late": 0, "judged": 0}]
    listed = json.loads((site / "members/bob.periodic.json").read_text(encoding="utf-8"))
    assert [(r["start"], r["report"], r.get("report_id")) for r in listed["rows"]] == [
        ("2026-11-09", "Missing", None), ("2026-11-02", "2026-11-06", "2026-11-06-bob-weekly")]
    goal = (site / "goals/2026-11.html").read_text(encoding="utf-8")
    assert 'href="../reports/2026-11-06-bob-weekly.html"' in goal and "Periodic reports of this period" in goal
