"""Goal communication (目標溝通): each member's own figure beside the agreed share, when and how it
was agreed, and attainment per member across periods — hand-computed on the minimal team."""

from __future__ import annotations

import json
from datetime import date

from conftest import write
from sitegen.build import build_site

OCTOBER = """kind: goal
period: 2026-10
must: 90000
challenge: 120000
members:
  - {member: amy, must: 40000, declared: 40000, agreed_on: 2026-09-29}
  - {member: bob, must: 50000, declared: 35000, agreed_on: 2026-09-28, note: raised for the two hot customers}
"""


def test_the_goal_pages_show_the_conversation_and_each_members_attainment(minimal_team, tmp_path):
    write(minimal_team, "records/plans/2026-10-team-goal.yaml", OCTOBER)
    write(minimal_team, "records/reports/2026/10/2026-10-15-bob.md",
          "---\nmember: bob\ndate: 2026-10-15\ndeals:\n  - {customer: wang-tea, amount: 60000}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-10-bob.md",
          "---\nmember: bob\ndate: 2026-11-10\ndeals:\n  - {customer: wang-tea, amount: 30000}\n---\n")
    site = tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 20)).ok

    talk = json.loads((site / "goals/2026-10.goal-conversation.json").read_text(encoding="utf-8"))
    assert [(r["member_id"], r["declared"], r["must"], r["change"], r["agreed_on"], r["note"]) for r in talk["rows"]] == [
        ("amy", 40000.0, 40000.0, 0.0, "2026-09-29", None),
        ("bob", 35000.0, 50000.0, 15000.0, "2026-09-28", "raised for the two hot customers")]
    november = json.loads((site / "goals/2026-11.goal-conversation.json").read_text(encoding="utf-8"))
    assert [(r["member_id"], r["declared"], r["agreed_on"]) for r in november["rows"]] == [("amy", None, None), ("bob", None, None)]
    assert 'class="warn"' in (site / "goals/2026-11.html").read_text(encoding="utf-8").split('id="goal-conversation"')[1].split("</table>")[0]

    # October is over: Bob won 60,000 of 50,000 (120 %), Amy nothing of 40,000; November is running
    habit = json.loads((site / "goals/index.attainment.json").read_text(encoding="utf-8"))
    assert [(r["member_id"], r["2026-10"], r["2026-11"], r["achieved"], r["ended"]) for r in habit["rows"]] == [
        ("amy", 0.0, 0.0, 0, 1), ("bob", 1.2, 0.25, 1, 1)]
    own = json.loads((site / "members/bob.attainment.json").read_text(encoding="utf-8"))
    assert [(r["member_id"], r["2026-10"], r["achieved"]) for r in own["rows"]] == [("bob", 1.2, 1)]


def test_the_next_goal_is_suggested_from_history_pipeline_and_activity_at_target(minimal_team, tmp_path):
    """As of 20 November: the goal being set is December's. Bob's first daily report is on 1
    September, so September and October are the periods over that the records cover whole (August
    began before them)."""
    write(minimal_team, "records/reports/2026/09/2026-09-01-bob.md",
          "---\nmember: bob\ndate: 2026-09-01\ndeals:\n  - {customer: wang-tea, amount: 40000}\n---\n")
    write(minimal_team, "records/reports/2026/10/2026-10-15-bob.md",
          "---\nmember: bob\ndate: 2026-10-15\ndeals:\n  - {customer: wang-tea, amount: 60000}\n---\n")
    customer = minimal_team / "records/customers/wang-tea.yaml"
    customer.write_text(customer.read_text().replace("date: 2026-11-20", "date: 2026-12-10"))
    site = tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 20)).ok
    table = json.loads((site / "goals/next.goal-setting.json").read_text(encoding="utf-8"))
    assert [c["key"] for c in table["columns"]][1:3] == ["won.2026-09", "won.2026-10"]
    bob = next(r for r in table["rows"] if r.get("member_id") == "bob")
    # history: median of 40,000 and 60,000; pipeline: Wang Tea (5★, 120,000 in December) weighted 0.8;
    # activity at target: 100,000 from 2 meetings in 90 days = 50,000 a meeting × 2 visits a day ×
    # 23 working days in December = 2,300,000, so the challenge stretches to its cap, 1.5 × must
    assert (bob["won.2026-09"], bob["won.2026-10"], bob["history"], bob["pipeline"], bob["weighted"], bob["by_star"]) == (
        40000.0, 60000.0, 50000.0, 120000.0, 96000.0, "5★ 1")
    assert (bob["capacity"], bob["must"], bob["challenge"], bob["must_from_id"], bob["challenge_from_id"]) == (
        2300000.0, 100000.0, 150000.0, "pipeline", "capacity")
    amy = next(r for r in table["rows"] if r.get("member_id") == "amy")
    assert (amy["history"], amy["capacity"], amy["must"], amy["challenge"], amy["must_from_id"]) == (0.0, None, 0.0, 0.0, "history")
    assert "Setting the goal for 2026-12" in (site / "goals/index.html").read_text(encoding="utf-8")
