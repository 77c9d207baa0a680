"""The meeting page's news from git (what changed since the meeting before), on a repository whose
history the test writes commit by commit: new customers and deals, stars and statuses changed, close
dates moved later, plans new or changed; bulk commits left out; cached by commit."""

from __future__ import annotations

import json
from datetime import date

from test_gitdates import git

from conftest import write
from sitegen.build import build_site
from sitegen.gitdates import record_changes


def _commit(root, message: str, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)


def _history(root) -> None:
    git(root, "init", "-q")
    _commit(root, "the team's records", "2026-11-02T09:00:00+08:00")
    customer = root / "records/customers/wang-tea.yaml"
    customer.write_text(customer.read_text().replace("stars: 5", "stars: 4").replace("date: 2026-11-20", "date: 2026-12-10"))
    write(root, "records/customers/new-shop.yaml", "name: New Shop\nowner: bob\nstatus: lead\ncontacts:\n  - {name: Ms Chen, phone: 0933-000-111}\n")
    _commit(root, "wang tea slips; a new lead", "2026-11-04T18:00:00+08:00")
    write(root, "records/reports/2026/11/2026-11-05-bob.md",
          "---\nmember: bob\ndate: 2026-11-05\ndeals:\n  - {customer: wang-tea, amount: 30000}\n---\n")
    plan = root / "records/plans/2026-11-02-bob-week.yaml"
    plan.write_text(plan.read_text().replace("due: 2026-11-03", "due: 2026-11-04"))
    _commit(root, "Bob's day", "2026-11-05T19:30:00+08:00")
    for n in range(21):  # an import: more than 20 files at once is not a day's work
        write(root, f"records/customers/imported-{n}.yaml", f"name: Imported {n}\nowner: amy\nstatus: lead\n")
    _commit(root, "import", "2026-11-05T20:00:00+08:00")


def test_each_meeting_page_lists_what_changed_since_the_meeting_before(minimal_team, tmp_path):
    _history(minimal_team)
    site = tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 6)).ok
    news = json.loads((site / "daily/2026-11-05.news.json").read_text(encoding="utf-8"))
    assert [(r["change_id"], r.get("record_id"), r.get("before_id"), r.get("after_id"), r["amount"], r["committed"])
            for r in news["rows"]] == [
        ("new-customer", "new-shop", None, None, None, "2026-11-04"),  # git lists a commit's files by name
        ("stars", "wang-tea", "5", "4", None, "2026-11-04"),
        ("close-slipped", "wang-tea", "2026-11-20", "2026-12-10", None, "2026-11-04"),
        ("plan-changed", "2026-11-02-bob-week", None, None, None, "2026-11-05"),  # records/plans/… before records/reports/…
        ("new-deal", "wang-tea", None, None, 30000.0, "2026-11-05"),
    ]
    first = json.loads((site / "daily/2026-11-03.news.json").read_text(encoding="utf-8"))
    assert sorted((r["change_id"], r["record_id"]) for r in first["rows"]) == [
        ("new-customer", "lin-bakery"), ("new-customer", "wang-tea"), ("new-goal", "2026-11"), ("new-plan", "2026-11-02-bob-week")]
    page = (site / "daily/2026-11-05.html").read_text(encoding="utf-8")
    assert "What changed since the meeting before" in page and "Imported" not in page
    # the customer's own page: its numbers as they changed, commit by commit
    history = json.loads((site / "customers/wang-tea.history.json").read_text(encoding="utf-8"))
    assert [(r["change_id"], r.get("before_id"), r.get("after_id"), r["committed"]) for r in history["rows"]] == [
        ("new-customer", None, None, "2026-11-02"), ("stars", "5", "4", "2026-11-04"),
        ("close-slipped", "2026-11-20", "2026-12-10", "2026-11-04")]


def test_the_history_is_read_once_and_kept_by_commit(minimal_team, tmp_path, monkeypatch):
    _history(minimal_team)
    cache = tmp_path / "changes.json"
    first = record_changes(minimal_team, cache)
    assert len(first) == 9 and json.loads(cache.read_text())["format"] == 1
    from sitegen import gitdates

    monkeypatch.setattr(gitdates, "_blobs", lambda *args: (_ for _ in ()).throw(AssertionError("read again")))
    assert record_changes(minimal_team, cache) == first  # every commit known: no file read from git
    cache.write_text("{not json")
    monkeypatch.undo()
    assert record_changes(minimal_team, cache) == first  # a damaged cache is read again, never trusted


def test_a_watch_reads_the_history_again_only_when_head_moves(minimal_team, tmp_path, monkeypatch):
    from sitegen import gitdates
    from sitegen.build import BuildSession

    _history(minimal_team)
    reads = []
    original = gitdates.record_changes
    monkeypatch.setattr(gitdates, "record_changes", lambda *args: reads.append(1) or original(*args))
    session, site = BuildSession(live=True), tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 6), session=session).ok and len(reads) == 1
    report = minimal_team / "records/reports/2026/11/2026-11-05-bob.md"
    report.write_text(report.read_text() + "\nEdited, not committed.\n")
    session.changed.add("records/reports/2026/11/2026-11-05-bob.md")
    assert build_site(minimal_team, site, date(2026, 11, 6), session=session).ok and len(reads) == 1  # HEAD has not moved
    write(minimal_team, "records/customers/later-shop.yaml", "name: Later Shop\nowner: bob\nstatus: lead\n")
    _commit(minimal_team, "another lead", "2026-11-06T09:00:00+08:00")
    session.changed.add("records/customers/later-shop.yaml")
    assert build_site(minimal_team, site, date(2026, 11, 6), session=session).ok and len(reads) == 2
    news = json.loads((site / "daily/2026-11-05.news.json").read_text(encoding="utf-8"))
    assert ("new-customer", "later-shop") not in [(r["change_id"], r["record_id"]) for r in news["rows"]]  # committed on the 6th


def test_the_forecast_as_it_stood_week_by_week_against_what_the_period_brought(minimal_team, tmp_path):
    """October's forecast, looked back on from 20 November: on the 1st and 8th the customer file
    still held Wang Tea (5★, 120,000) closing on 20 October, weighted 0.8; from the 10th it said
    November, so the pipeline was empty; a 60,000 deal on the 25th is what October brought."""
    git(minimal_team, "init", "-q")
    customer = minimal_team / "records/customers/wang-tea.yaml"
    customer.write_text(customer.read_text().replace("date: 2026-11-20", "date: 2026-10-20"))
    goal = (minimal_team / "records/plans/2026-11-team-goal.yaml").read_text()
    write(minimal_team, "records/plans/2026-10-team-goal.yaml", goal.replace("period: 2026-11", "period: 2026-10"))
    _commit(minimal_team, "October's records", "2026-10-01T09:00:00+08:00")
    customer.write_text(customer.read_text().replace("date: 2026-10-20", "date: 2026-11-15"))
    _commit(minimal_team, "Wang Tea slips to November", "2026-10-10T09:00:00+08:00")
    write(minimal_team, "records/reports/2026/10/2026-10-25-bob.md",
          "---\nmember: bob\ndate: 2026-10-25\ndeals:\n  - {customer: wang-tea, amount: 60000}\n---\n")
    _commit(minimal_team, "the deal", "2026-10-25T19:00:00+08:00")
    site = tmp_path / "site"
    assert build_site(minimal_team, site, date(2026, 11, 20)).ok
    table = json.loads((site / "goals/2026-10.forecast-history.json").read_text(encoding="utf-8"))
    assert [(r["date"], r["forecast"], r["actual"], round(r["off"], 2)) for r in table["rows"]] == [
        ("2026-10-01", 96000.0, 60000.0, 0.6), ("2026-10-08", 96000.0, 60000.0, 0.6), ("2026-10-15", 0.0, 60000.0, -1.0),
        ("2026-10-22", 0.0, 60000.0, -1.0), ("2026-10-29", 60000.0, 60000.0, 0.0)]
    assert not (site / "goals/2026-11.forecast-history.json").exists()  # November is not over
