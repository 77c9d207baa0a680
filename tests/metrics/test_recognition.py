"""Recognition (激勵), hand-computed on the minimal team: first deals, best periods, streaks."""

from __future__ import annotations

from datetime import date

from metrics.test_metrics import metrics_of

from conftest import write


def _configure(root, rules: str) -> None:
    config = root / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"recognition: {rules}\n", encoding="utf-8")


def _report(root, day: str, body: str = "activity: {phone: 10, visit: 2}\n") -> None:
    write(root, f"records/reports/2026/11/{day}-bob.md", f"---\nmember: bob\ndate: {day}\n{body}---\n")


def test_first_deal_best_period_and_streaks(minimal_team):
    _configure(minimal_team, "{report_streak: 3, target_streak: 2}")
    # bob's deals: September 10,000, October 20,000, November 15,000 then 10,000: November passes
    # October on the 17th (25,000 > 20,000) — the day of its record; his first deal is September's
    write(minimal_team, "records/reports/2026/09/2026-09-15-bob.md",
          "---\nmember: bob\ndate: 2026-09-15\ndeals:\n  - {customer: wang-tea, amount: 10000}\n---\n")
    write(minimal_team, "records/reports/2026/10/2026-10-15-bob.md",
          "---\nmember: bob\ndate: 2026-10-15\ndeals:\n  - {customer: wang-tea, amount: 20000}\n---\n")
    _report(minimal_team, "2026-11-16", "activity: {phone: 10, visit: 2}\ndeals:\n  - {customer: wang-tea, amount: 15000}\n")
    _report(minimal_team, "2026-11-17", "activity: {phone: 11, visit: 2}\ndeals:\n  - {customer: wang-tea, amount: 10000}\n")
    _report(minimal_team, "2026-11-18", "activity: {phone: 3}\n")
    m, _ = metrics_of(minimal_team)
    mine = sorted((r.kind, r.day, r.figure, r.period) for r in m.recognition if r.member == "bob")
    assert mine == [
        ("first_deal", date(2026, 9, 15), 10000, ""),
        ("record_period", date(2026, 11, 17), 25000, "2026-11"),
        ("report_streak", date(2026, 11, 18), 3, ""),  # the 16th, 17th, 18th (the days before the 16th were missed)
        ("target_streak", date(2026, 11, 17), 2, ""),  # on target on the 16th and 17th, not the 18th
    ]
    # amy's first deal is her customer's, in June; she never reported, so no streak
    assert [(r.kind, r.day) for r in m.recognition if r.member == "amy"] == [("first_deal", date(2026, 6, 10))]


def test_a_team_turns_recognition_off(minimal_team):
    _configure(minimal_team, "{first_deal: false, record_month: false, report_streak: 0, target_streak: 0}")
    _report(minimal_team, "2026-11-16")
    m, _ = metrics_of(minimal_team)
    assert m.recognition == []
