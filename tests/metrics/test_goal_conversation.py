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
