"""A report counts wherever it was filed, and the calendar knows make-up working days: the same
number of calls on every page (issue 14: a make-up Saturday's reports were left out of activity and
member totals while the capability funnel counted them)."""

from __future__ import annotations

from datetime import date

from conftest import write
from sitegen.build import validate
from sitegen.cli import main

AS_OF = date(2026, 11, 20)
SATURDAY = "2026-11-07"


def saturday_report(root) -> None:
    write(root, f"records/reports/2026/11/{SATURDAY}-bob.md",
          f"---\nmember: bob\ndate: {SATURDAY}\nactivity: {{phone: 7, visit: 1}}\n---\nFair at the market.\n")


def test_a_report_on_a_day_off_counts_in_every_total(minimal_team):
    saturday_report(minimal_team)
    result = validate(minimal_team, AS_OF)
    assert result.ok
    action = result.metrics.action
    filed = sum(r.activity.get("phone", 0) for r in result.records.reports.values()
                if r.member == "bob" and r.date <= AS_OF)
    assert filed == 12 + 7  # the Tuesday report and the Saturday one
    assert action.totals["bob"]["phone"][0] == filed
    assert action.totals[""]["phone"][0] == filed
    funnel = result.metrics.capability.funnels["bob"]
    assert funnel.contacts == filed  # the capability page counts the same calls
    saturday = next(r for r in action.activity["bob"] if r.date.isoformat() == SATURDAY)
    assert (saturday.working, saturday.owed, saturday.actual) == (False, 0, {"phone": 7, "visit": 1})
    # nothing is owed on a day off: the compliance counts and the days below target do not move
    assert action.compliance["bob"].expected == len(action.days)
    assert action.below_days["bob"][1] == len(action.days)


def test_a_make_up_working_day_is_owed_and_its_report_counts(minimal_team):
    saturday_report(minimal_team)
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"extra_working_days:\n  - {{date: {SATURDAY}, name: 補班}}\n",
                      encoding="utf-8")
    result = validate(minimal_team, AS_OF)
    action = result.metrics.action
    assert date.fromisoformat(SATURDAY) in action.days
    weekdays = 15  # 2026-11-02 … 11-20, Monday to Friday: three weeks
    assert len(action.days) == weekdays + 1
    bob = action.compliance["bob"]
    assert bob.expected == weekdays + 1 and date.fromisoformat(SATURDAY) not in bob.missing_days
    amy = action.compliance["amy"]
    assert date.fromisoformat(SATURDAY) in amy.missing_days  # amy owed one too, and filed none


def test_the_day_off_has_its_meeting_page_with_the_counts(minimal_team):
    saturday_report(minimal_team)
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 0
    page = (minimal_team / f"site/daily/{SATURDAY}.html").read_text(encoding="utf-8")
    assert "Not a working day: no report was owed; the reports filed count as on any day." in page
    assert '<tr data-member="bob">' in page and ">7</td>" in page
    activity = (minimal_team / "site/activity.html").read_text(encoding="utf-8")
    assert '<tr data-member="bob"><td><a href="members/bob.html">Bob</a></td><td class="num warn" data-sort="19">19</td><td class="num" data-sort="150">150</td>' in activity


def test_a_part_timer_owes_reports_and_targets_only_on_their_own_weekdays(minimal_team):
    """bob works Monday, Wednesday and Friday: November's other weekdays owe nothing, while his
    Tuesday report (3 November) still counts its contacts everywhere."""
    team = minimal_team / "records/team.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace(
        "- {id: bob, name: Bob, group: north, reports_to: amy}",
        "- {id: bob, name: Bob, group: north, reports_to: amy, working_days: [mon, wed, fri]}"), encoding="utf-8")
    result = validate(minimal_team, AS_OF)
    assert result.ok, [p for p in result.problems if p.is_error]
    action = result.metrics.action
    own_days = [d for d in action.days if d.weekday() in (0, 2, 4)]
    bob = action.compliance["bob"]
    assert bob.expected == len(own_days) and bob.submitted == 0
    assert bob.missing_days == own_days
    assert action.totals["bob"]["phone"] == (12, 10 * len(own_days))  # the Tuesday's 12 calls count; targets only on his days
    assert [r.member for r in action.meetings[date(2026, 11, 3)]] == ["amy", "bob"]  # he filed that day: on its page
