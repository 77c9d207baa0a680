"""Capability diagnosis on a team with planted problems.

Eight reps work November 2026 (20 working days, 2–27 Nov). Five are healthy and identical; three
carry one planted problem each, and a fourth (sam) misses every other report:

- carl makes many calls and few visits       → low meeting rate    → invitation
- vera makes many visits and closes nothing  → low close rate      → closing
- otto lets four customers' follow-ups lapse → overdue follow-ups  → planning
- sam files a report only every other day    → missed reports      → reporting

Every figure the test asserts is computed here from the same plan, not read back from the code.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import write
from sitegen.build import build_site, validate
from sitegen.periods import WorkCalendar

AS_OF = date(2026, 11, 27)
DAYS = WorkCalendar(["mon", "tue", "wed", "thu", "fri"], set()).working_days(date(2026, 11, 2), AS_OF)
HEALTHY = ["ann", "ben", "cat", "dan", "eve"]
PLANTED = {"carl": "invitation", "vera": "closing", "otto": "planning", "sam": "reporting"}

CONFIG = """\
title: Planted team
locale: en
timezone: Asia/Taipei
channels:
  - {id: phone, name: Phone, daily_target: 10, funnel: contact}
  - {id: visit, name: Visit, daily_target: 2, funnel: meeting}
lead_standard: {description: A name and an owner., required: [name, owner]}
stars:
  unclosed:
    - {stars: 5, label: Hot, description: Soon., contact_every_days: 7}
    - {stars: 4, label: Warm, description: Demo done., contact_every_days: 14}
    - {stars: 3, label: Interested, description: Wants to meet., contact_every_days: 21}
    - {stars: 2, label: Contacted, description: Talked once., contact_every_days: 30}
    - {stars: 1, label: Listed, description: Listed., contact_every_days: 60}
  closed:
    - {stars: 5, label: Key, description: Key., contact_every_days: 14}
    - {stars: 4, label: Repeat, description: Repeat., contact_every_days: 21}
    - {stars: 3, label: Regular, description: Regular., contact_every_days: 30}
    - {stars: 2, label: Lapsed, description: Lapsed., contact_every_days: 60}
    - {stars: 1, label: One-off, description: One-off., contact_every_days: 90}
"""


def profile(member: str, index: int) -> dict:
    """What a member does on the index-th working day: calls, visits, whether a proposal and a deal."""
    phone, visit = 10, 2
    k = index // 2 if member == "sam" else index  # sam's own day count: he reports every other day
    proposal = k % 2 == 0
    deal = k % 4 == 0
    if member == "carl":
        phone, visit = 14, (1 if index % 4 == 0 else 0)
        proposal = index % 8 == 0
    if member == "vera":
        visit, proposal, deal = 3, True, False
    return {"phone": phone, "visit": visit, "proposal": proposal, "deal": deal}


def reports_on(member: str, index: int) -> bool:
    return member != "sam" or index % 2 == 1


def touched_customer(member: str, index: int, day: date) -> tuple[str, date]:
    """Which customer the day's visit is with, and the next contact promised."""
    if member == "otto":
        if index < 4:  # the first four days touch c1..c4 and promise a call back in two days: never made
            return f"{member}-c{index + 1}", day + timedelta(days=2)
        return f"{member}-c5", day + timedelta(days=7)
    return f"{member}-c{index % 4 + 1}", day + timedelta(days=7)


def planted_team(root) -> None:
    members = HEALTHY + list(PLANTED)
    write(root, "sitegen.yaml", CONFIG)
    write(root, "records/team.yaml", "members:\n  - {id: meg, name: Meg, role: manager, reporting: none}\n"
          + "".join(f"  - {{id: {m}, name: {m.title()}, reports_to: meg, joined: 2026-11-02}}\n" for m in members))
    for m in members:
        for c in range(1, 6):
            write(root, f"records/customers/{m}-c{c}.yaml",
                  f"name: {m.title()} customer {c}\nowner: {m}\nstatus: prospect\nstars: 3\ncreated: 2026-10-01\n")
        for i, day in enumerate(DAYS):
            if not reports_on(m, i):
                continue
            p = profile(m, i)
            customer, next_contact = touched_customer(m, i, day)
            lines = ["---", f"member: {m}", f"date: {day}", f"activity: {{phone: {p['phone']}, visit: {p['visit']}}}",
                     "touchpoints:",
                     f"  - {{customer: {customer}, channel: visit, purpose: demo, proposal: {str(p['proposal']).lower()},"
                     f" next_contact: {next_contact}}}"]
            if p["deal"]:
                lines += ["deals:", f"  - {{customer: {customer}, amount: 10000}}"]
            lines += ["---", "Worked the plan."]
            write(root, f"records/reports/{day:%Y/%m}/{day}-{m}.md", "\n".join(lines) + "\n")


@pytest.fixture
def planted(tmp_path):
    root = tmp_path / "planted"
    planted_team(root)
    return root


def expected_funnel(member: str) -> tuple[int, int, int, int]:
    contacts = meetings = proposals = deals = 0
    for i, _ in enumerate(DAYS):
        if not reports_on(member, i):
            continue
        p = profile(member, i)
        contacts += p["phone"]
        meetings += p["visit"]
        proposals += p["proposal"]
        deals += p["deal"]
    return contacts, meetings, proposals, deals


def test_each_planted_problem_is_flagged_with_its_capability_and_no_one_else(planted):
    result = validate(planted, AS_OF)
    assert result.ok, [p for p in result.problems if p.is_error]
    caps = result.metrics.capability
    flagged = {(s.member, s.name, tuple(s.capabilities)) for s in caps.signals}
    # what each planted habit does to the customers, by the test's own plan: everyone's fifth
    # customer is never visited (past its 21-day frequency since it was created on 1 October: one in
    # five, the team's median); otto's first four were last visited on 2–5 November (4 of 5 past it);
    # sam, reporting every other day, only ever visits c2 and c4 (3 of 5)
    assert flagged == {
        ("carl", "low_meeting_rate", ("invitation",)),
        ("vera", "low_close_rate", ("closing",)),
        ("otto", "overdue_followups", ("planning",)),
        ("otto", "unclosed_churn", ("planning",)),
        ("sam", "missed_reports", ("reporting",)),
        ("sam", "unclosed_churn", ("planning",)),
    }
    for member in HEALTHY:
        assert caps.by_member[member] == []
    assert caps.group_training == {"planning": ["otto", "sam"]}


def test_the_evidence_gives_the_numbers_and_links_the_records(planted):
    caps = validate(planted, AS_OF).metrics.capability
    signal = {s.member: s for s in reversed(caps.signals) if s.name != "unclosed_churn"}
    contacts, meetings, _, _ = expected_funnel("carl")
    assert (contacts, meetings) == (280, 5)
    assert str(signal["carl"].evidence) == (f"meetings per contact: {meetings / contacts:.0%} against the team median 20% "
                                       f"({meetings} meetings from {contacts} contacts)")
    _, meetings, proposals, deals = expected_funnel("vera")
    assert (meetings, proposals, deals) == (60, 20, 0)
    assert str(signal["vera"].evidence).endswith(f"({meetings} meetings, {proposals} proposals, 0 deals)")
    assert str(signal["otto"].evidence) == "overdue follow-ups: 4 against the team median 0"
    assert sorted(href for _, href in signal["otto"].links) == [f"customers/otto-c{i}.html" for i in range(1, 5)]
    missed = [d for i, d in enumerate(DAYS) if not reports_on("sam", i)]
    assert str(signal["sam"].evidence) == f"missed reports: 50% against the team median 0% ({len(missed)} of {len(DAYS)} reports missing)"
    assert [href for _, href in signal["sam"].links] == [f"daily/{d}.html" for d in missed[:8]]
    for member in HEALTHY + list(PLANTED):
        f = caps.funnels[member]
        assert (f.contacts, f.meetings, f.proposals, f.deals) == expected_funnel(member)


def test_several_members_sharing_a_gap_suggests_group_training(planted):
    # ben turns caller too: two members now share the invitation gap
    for day in DAYS:
        path = planted / f"records/reports/{day:%Y/%m}/{day}-ben.md"
        path.write_text(path.read_text().replace("activity: {phone: 10, visit: 2}", "activity: {phone: 14, visit: 0}"))
    caps = validate(planted, AS_OF).metrics.capability
    assert caps.group_training == {"invitation": ["ben", "carl"], "planning": ["otto", "sam"]}


def test_coaching_outcome_compares_the_month_before_and_after(planted):
    # sam was coached on reporting on 2026-11-13; of the nine working days since he joined he missed
    # five (October does not count: he joined on 2 November), and from the 16th on he reports every day
    for i, day in enumerate(DAYS):
        if day > date(2026, 11, 13) and not reports_on("sam", i):
            write(planted, f"records/reports/{day:%Y/%m}/{day}-sam.md",
                  f"---\nmember: sam\ndate: {day}\nactivity: {{phone: 10, visit: 2}}\n---\n")
    write(planted, "records/reports/2026/11/2026-11-13-coaching-sam.md",
          "---\nkind: coaching\ncoach: meg\nmembers: [sam]\ndate: 2026-11-13\ncapabilities: [reporting]\n"
          "format: one-to-one\nagreed_actions: [Report before 10:00 every day]\nfollow_up: 2026-11-27\n---\n")
    result = validate(planted, AS_OF)
    assert result.ok, [p for p in result.problems if p.is_error]
    [outcome] = result.metrics.capability.coaching
    before_days = [d for d in DAYS if d < date(2026, 11, 13)]
    missed_before = sum(1 for i, d in enumerate(DAYS) if d < date(2026, 11, 13) and not reports_on("sam", i))
    assert (outcome.member, outcome.capability) == ("sam", "reporting")
    assert outcome.before == missed_before / len(before_days)
    assert outcome.after == 0.0 and outcome.improved is True


def test_a_plan_overrides_the_daily_target_while_it_runs(planted):
    write(planted, "records/plans/2026-11-16-ann-week.yaml",
          "kind: plan\nmember: ann\nperiod: week\nstart: 2026-11-16\nend: 2026-11-20\nactivity: {phone: 5}\n")
    result = validate(planted, AS_OF)
    assert result.ok, [p for p in result.problems if p.is_error]
    action = result.metrics.action
    plan_days = [d for d in DAYS if date(2026, 11, 16) <= d <= date(2026, 11, 20)]
    assert action.totals["ann"]["phone"] == (10 * len(DAYS), 10 * (len(DAYS) - len(plan_days)) + 5 * len(plan_days))
    assert action.totals["ann"]["visit"] == (2 * len(DAYS), 2 * len(DAYS))
    row = next(r for r in action.activity["ann"] if r.date == date(2026, 11, 17))
    assert row.target == {"phone": 5, "visit": 2} and row.below_target == []


def test_an_unknown_channel_in_a_plan_is_located(planted):
    write(planted, "records/plans/2026-11-16-ann-week.yaml",
          "kind: plan\nmember: ann\nperiod: week\nstart: 2026-11-16\nend: 2026-11-20\nactivity: {phnoe: 5}\n")
    errors = [p for p in validate(planted, AS_OF).problems if p.is_error]
    assert [(p.path, p.line, p.field, str(p.message)) for p in errors] == [
        ("records/plans/2026-11-16-ann-week.yaml", 6, "activity.phnoe", "unknown channel 'phnoe'")]


def test_the_capability_page_flags_exactly_the_planted_members(planted, tmp_path):
    outcome = build_site(planted, tmp_path / "site", AS_OF)
    assert outcome.ok
    html = (tmp_path / "site" / "capability.html").read_text()
    import re
    rows = re.findall(r'<tr data-member="([a-z]+)" data-signal="([a-z_]+)">', html)
    assert sorted(rows) == sorted([("carl", "low_meeting_rate"), ("otto", "overdue_followups"), ("otto", "unclosed_churn"),
                                   ("sam", "missed_reports"), ("sam", "unclosed_churn"), ("vera", "low_close_rate")])
    matrix = re.search(r'<table id="capability-matrix">(.*?)</table>', html, flags=re.S).group(1)
    members = re.findall(r'<tr data-member="([a-z]+)">', matrix)
    assert set(members) == set(HEALTHY) | set(PLANTED)
    import json
    keys = [c["key"] for c in json.loads((tmp_path / "site" / "capability.capability-matrix.json").read_text())["columns"]]
    for member in members:
        row = re.search(rf'<tr data-member="{member}">(.*?)</tr>', matrix, flags=re.S).group(1)
        flagged = [keys[i] for i, cell in enumerate(re.findall(r"<td[^>]*>", row)) if "warn" in cell]
        expected = {"carl": ["invitation"], "vera": ["closing"], "otto": ["planning"], "sam": ["planning", "reporting"]}
        assert flagged == expected.get(member, []), member


@pytest.mark.parametrize("name, before, after, improved", [
    ("low_meeting_rate", 0.141, 0.143, False),  # 14 % → 14 %: noise
    ("low_meeting_rate", 0.14, 0.17, True),
    ("low_meeting_rate", 0.50, 0.53, False),  # 3 points on 50 %: less than a tenth
    ("overdue_followups", 5, 4.5, False),  # half a follow-up is not one
    ("overdue_followups", 5, 0, True),
    ("missed_reports", 0.10, 0.05, True),  # a rate: 5 points down
    ("low_plan_adherence", 0.8, 0.7, False),  # the wrong way
])
def test_improved_needs_a_change_beyond_noise(name, before, after, improved):
    from sitegen.metrics.capability import improved_beyond_noise

    assert improved_beyond_noise(name, before, after) is improved


def test_one_lapsed_five_star_customer_is_a_planning_signal_on_its_own(planted):
    """ann's key customer (closed, 5★: every 14 days) was last heard of on 1 October: one such
    customer is enough, whatever the rest of the team does."""
    write(planted, "records/customers/ann-key.yaml",
          "name: Ann's key account\nowner: ann\nstatus: customer\nstars: 5\ncreated: 2026-10-01\n")
    caps = validate(planted, AS_OF).metrics.capability
    lapsed = [(s.member, str(s.evidence), s.links) for s in caps.signals if s.name == "top_customer_lapsed"]
    assert lapsed == [("ann", "5★ customers overdue or past their contact frequency: 1 against the team median 0",
                       [("Ann's key account", "customers/ann-key.html")])]
    assert [s.name for s in caps.by_member["ann"]] == ["top_customer_lapsed"]


def test_the_funnel_table_shows_invitation_success_per_member(planted, tmp_path):
    import json

    assert build_site(planted, tmp_path / "site", AS_OF).ok
    table = json.loads((tmp_path / "site/capability.funnel.json").read_text(encoding="utf-8"))
    rows = {r["member_id"]: r for r in table["rows"]}
    assert sorted(rows) == sorted(HEALTHY + list(PLANTED))
    for member, row in rows.items():
        contacts, meetings, proposals, deals = expected_funnel(member)
        assert (row["contacts"], row["meetings"], row["proposals"], row["deals"]) == (contacts, meetings, proposals, deals)
        assert row["invitation"] == meetings / contacts
    assert rows["carl"]["invitation"] == 5 / 280
