"""End to end: build the example team exactly as a user would and check the pages' numbers
against numbers this test computes from the raw records itself."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write
from sitegen.cli import main

AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("example") / "site"
    assert main(["build", str(REPO), "-o", str(output), "--as-of", AS_OF]) == 0
    return output


def _raw(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return yaml.safe_load(text)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_kind_of_page_is_written(example_site):
    customers = sorted(p.stem for p in (REPO / "records/customers").glob("*.yaml"))
    assert sorted(p.stem for p in (example_site / "customers").glob("*.html") if p.stem != "index") == customers
    for page in ["index.html", "customers/index.html", "goals/2026-10.html", "goals/2026-11.html", "plans/index.html",
                 "daily/index.html", "daily/2026-11-26.html", "activity.html", "capability.html", "standards.html",
                 "problems.html", "reviews.html", "members/index.html", "en/index.html", "assets/vendor/vega.min.js"]:
        assert (example_site / page).is_file(), page
    reports = list((REPO / "records/reports").rglob("*.md"))
    assert len(list((example_site / "reports").glob("*.html"))) == len(reports)


def test_customer_counts_match_the_records(example_site):
    team = _raw(REPO / "records/team.yaml")
    raw = [_raw(p) for p in sorted((REPO / "records/customers").glob("*.yaml"))]
    html = (example_site / "customers/index.html").read_text(encoding="utf-8")
    for member in team["members"]:
        own = [c for c in raw if c["owner"] == member["id"]]
        if not own:
            continue
        unclosed = Counter(c["stars"] for c in own if c["status"] == "prospect")
        closed = Counter(c["stars"] for c in own if c["status"] == "customer")
        row = re.search(rf'<tr data-member="{member["id"]}">(.*?)</tr>', html, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', row)]
        status = Counter(c["status"] for c in own)
        expected = ([unclosed[s] for s in (5, 4, 3, 2, 1)] + [unclosed[None]] + [closed[s] for s in (5, 4, 3, 2, 1)]
                    + [closed[None], status["lost"], status["dormant"]])
        assert [int(c) for c in cells[2:16]] == expected, member["id"]


def test_the_home_page_counts_every_customer_once(example_site):
    raw = [_raw(p) for p in sorted((REPO / "records/customers").glob("*.yaml"))]
    status = Counter(c["status"] for c in raw)
    html = (example_site / "index.html").read_text(encoding="utf-8")
    line = re.sub(r"<[^>]+>", "", re.search(r'<p id="customer-total">(.*?)</p>', html, re.S).group(1))
    assert line == (f"全部客戶：{len(raw)} = 原始資料 {status['lead']} + 未成交 {status['prospect']} + 已成交 {status['customer']}"
                    f" + 流失 {status['lost']} + 休眠 {status['dormant']}")
    assert len(raw) == 88


def test_goal_actual_matches_the_deals_in_the_reports(example_site):
    total = 0
    for path in (REPO / "records/reports/2026/11").glob("*.md"):
        front = _raw(path)
        if str(front["date"]) <= AS_OF:
            total += sum(d["amount"] for d in front.get("deals", []))
    for path in (REPO / "records/customers").glob("*.yaml"):
        total += sum(d["amount"] for d in _raw(path).get("deals", []) if "2026-11-01" <= str(d["date"]) <= AS_OF)
    html = (example_site / "goals/2026-11.html").read_text(encoding="utf-8")
    actual = re.search(r'id="goal-actual">([^<]*)<', html).group(1)
    assert actual == f"NT${total:,}"  # a revenue goal's figures are money, as on the home page
    goal = _raw(REPO / "records/plans/2026-11-team-goal.yaml")
    assert f"{goal['must']:,}" in _text(html) and f"{goal['challenge']:,}" in _text(html)


def test_daily_meeting_lists_who_did_not_report(example_site):
    day = "2026-11-26"
    team = _raw(REPO / "records/team.yaml")
    groups = {g["id"]: g.get("reporting", "daily") for g in team["groups"]}
    filed = {_raw(p)["member"] for p in (REPO / "records/reports/2026/11").glob(f"{day}-*.md") if _raw(p).get("kind", "daily") == "daily"}
    expected_missing = sorted(m["name"] for m in team["members"]
                              if m.get("reporting", groups.get(m.get("group"), "daily")) != "none" and m["id"] not in filed)
    html = (example_site / f"daily/{day}.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="not-reported".*?</section>', html, re.S).group(0)
    assert sorted(re.findall(r'<a href="[^"]+">([^<]+)</a>', section)) == expected_missing
    assert html.count('<article class="report"') == sum(
        1 for p in (REPO / "records/reports/2026/11").glob(f"{day}-*.md") if _raw(p).get("kind", "daily") == "daily")


def test_personal_data_is_masked_by_default(example_site):
    phones = set()  # every phone number, e-mail, WeChat and LINE id in the records
    for path in (REPO / "records/customers").glob("*.yaml"):
        for contact in _raw(path).get("contacts", []):
            for field in ("phone", "email", "wechat", "line"):
                if contact.get(field):
                    phones.add(str(contact[field]))
    assert len(phones) > 50
    for page in example_site.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".csv", ".js"):
            text = page.read_text(encoding="utf-8", errors="replace")
            leaked = [p for p in phones if p in text]
            assert not leaked, (page, leaked[:3])


def test_same_inputs_give_byte_identical_sites(tmp_path):
    digests = []
    for name in ("a", "b"):
        assert main(["build", str(REPO), "-o", str(tmp_path / name), "--as-of", AS_OF]) == 0
        digest = hashlib.sha256()
        for path in sorted((tmp_path / name).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(tmp_path / name).as_posix().encode())
                digest.update(path.read_bytes())
        digests.append(digest.hexdigest())
    assert digests[0] == digests[1]


def test_a_failed_build_leaves_the_last_good_site(minimal_team, capsys):
    output = minimal_team / "site"
    assert main(["build", str(minimal_team), "--as-of", "2026-11-20"]) == 0
    before = (output / "index.html").read_bytes()
    write(minimal_team, "records/customers/bad.yaml", "name: X\nowner: nobody\nstatus: lead\n")
    assert main(["build", str(minimal_team), "--as-of", "2026-11-20"]) == 1
    err = capsys.readouterr().err
    assert "records/customers/bad.yaml:2:8: error: owner: unknown member 'nobody'" in err
    assert (output / "index.html").read_bytes() == before


def test_kill_9_during_a_build_never_leaves_half_a_site(minimal_team):
    """Kill builds at random moments: the output is always one whole site, old or new."""
    output = minimal_team / "site"
    assert main(["build", str(minimal_team), "--as-of", "2026-11-20"]) == 0
    expected = sorted(p.relative_to(output).as_posix() for p in output.rglob("*"))
    env = dict(os.environ)
    import random
    rng = random.Random(4)
    kills = 0
    for attempt in range(12):
        process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(minimal_team), "--as-of", "2026-11-20", "--no-fsync"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0))  # a build of this team takes ~0.8 s here
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        found = sorted(p.relative_to(output).as_posix() for p in output.rglob("*"))
        assert found == expected, attempt
        assert (output / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert kills >= 3


def _plan(plan_id: str) -> dict:
    [path] = (REPO / "records/plans").rglob(f"{plan_id}.yaml")
    return _raw(path)


def test_plan_pages_show_each_measure_with_the_reason_reported(example_site):
    latest = {}  # (plan, item) -> (date, status, reason) from the reports, the test's own reading
    for path in sorted((REPO / "records/reports").rglob("*.md")):
        front = _raw(path)
        if str(front.get("date")) > AS_OF:
            continue
        for step in front.get("progress", []):
            key = (step["plan"], step["item"])
            if key not in latest or latest[key][0] <= str(front["date"]):
                latest[key] = (str(front["date"]), step["status"], step.get("reason"))
    not_done = [(key, v) for key, v in latest.items() if v[1] == "not-done" and v[2]]
    assert not_done, "the example team should have plan items not done, with reasons"
    for (plan_id, item_id), (_, _, reason) in not_done:
        plan = _plan(plan_id)
        item = next(i for i in plan["items"] if i["id"] == item_id)
        html = (example_site / f"plans/{plan_id}.html").read_text(encoding="utf-8")
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S) if item["what"] in r)
        assert 'class="status-not-done"' in row and reason in row
    # adherence: items reported done on or before their due date, of the items due by the as-of date
    plan_id = not_done[0][0][0]
    plan = _plan(plan_id)
    due = [i for i in plan["items"] if str(i.get("due") or plan["end"]) <= AS_OF]
    on_time = [i for i in due if latest.get((plan_id, i["id"]), ("", ""))[1] == "done"
               and latest[(plan_id, i["id"])][0] <= str(i.get("due") or plan["end"])]
    html = (example_site / f"plans/{plan_id}.html").read_text(encoding="utf-8")
    assert f"({len(on_time)} / {len(due)})" in html


def test_money_shows_one_currency_symbol_in_every_language(minimal_team):
    """A TWD team's amounts read NT$ on the zh-Hant and the English pages alike (the zh pages said $)."""
    from sitegen.cli import main

    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("locale: en", "locale: zh-Hant\nlocales: [en]\ncurrency: TWD"),
                      encoding="utf-8")
    assert main(["build", str(minimal_team), "--as-of", "2026-11-20"]) == 0
    for page in ("customers/index.html", "en/customers/index.html"):
        html = (minimal_team / "site" / page).read_text(encoding="utf-8")
        assert "NT$120,000" in html, page
        assert ">$120,000" not in html, page


def test_the_card_and_the_burn_up_share_one_pace(example_site):
    """The goal card's pace and the burn-up's must-achieve line on the as-of day are one number."""
    import json

    html = (example_site / "en/goals/2026-11.html").read_text(encoding="utf-8")
    spec = json.loads(re.search(r'<script type="application/json" id="chart-burnup">(.*?)</script>', html, re.S).group(1))
    line = next(r["must_pace"] for r in spec["datasets"]["rows"] if r["date"] == AS_OF)
    card = re.search(r"<h2>Pace</h2><p class=\"big\">NT\$([\d,]+)</p><p>by stage targets ·", html).group(1)
    assert round(line) == int(card.replace(",", ""))


def test_a_past_goal_shows_no_pipeline_from_today(example_site):
    """October's goal page knows nothing of the customers expected to close in November."""
    import json

    shares = json.loads((example_site / "goals/2026-10.member-shares.json").read_text(encoding="utf-8"))
    assert shares["rows"] and all(r["pipeline"] is None and r["coverage"] is None for r in shares["rows"] if not r.get("total"))
    rows = re.findall(r"<tr class=\"\w+\">(.*?)</tr>", (example_site / "en/problems.html").read_text(encoding="utf-8"), re.S)
    assert any("2026-11-team-goal.yaml" in r and "pipeline covers" in r for r in rows)  # the open period's are judged
    assert not any("2026-10-team-goal.yaml" in r and "pipeline covers" in r for r in rows)


def test_the_meeting_page_gathers_the_days_requests_for_help(example_site):
    day = "2026-11-26"
    team = {m["id"]: m["name"] for m in _raw(REPO / "records/team.yaml")["members"]}
    asked = sorted((team[f["member"]], f["help"]) for p in (REPO / "records/reports/2026/11").glob(f"{day}-*.md")
                   if (f := _raw(p)).get("help") and f.get("kind", "daily") == "daily")
    assert asked
    html = (example_site / f"daily/{day}.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="help">(.*?)</section>', html, re.S).group(1)
    shown = sorted((name, text.strip()) for name, text in re.findall(r'<li><a href="[^"]+">([^<]+)</a>：([^<]+)<a', section))
    import html as markup
    assert [(n, markup.unescape(t)) for n, t in shown] == asked


def test_problems_are_grouped_by_who_can_fix_them_with_a_link_to_each_page(example_site):
    html = (example_site / "en/problems.html").read_text(encoding="utf-8")
    team = {m["id"]: m["name"] for m in _raw(REPO / "records/team.yaml")["members"]}
    sections = re.findall(r'<section id="owner-\d+"><h2>(.*?)</h2>(.*?)</section>', html, re.S)
    assert len(sections) >= 3
    owners = [re.sub(r"<[^>]+>", "", heading) for heading, _ in sections]
    assert owners[-1] == "Team settings and shared records" and set(owners[:-1]) <= set(team.values())
    rows = 0
    for heading, body in sections:
        member = next((mid for mid, name in team.items() if f">{name}<" in heading), None)
        for path, page in re.findall(r'<tr class="\w+"><td><code>([^<]+)</code>.*?<td>(?:<a href="([^"]+)">)?[^<]*(?:</a>)?</td></tr>', body, re.S):
            rows += 1
            raw = _raw(REPO / path) if path.startswith("records/") else {}
            if member:
                assert member in (raw.get("owner"), raw.get("member")), path
                assert (example_site / "en" / page).is_file(), page
    assert rows == len(re.findall(r'<tr class="(?:warning|error)">', html)) > 10


def test_the_meeting_page_holds_yesterdays_plan_against_todays_contacts(example_site):
    """Each member's contacts planned in their last report before the day ('tomorrow'), against the
    customers they contacted on the day — read from the raw reports by the test itself."""
    import json
    from collections import defaultdict

    day = "2026-11-26"
    by_member: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted((REPO / "records/reports").rglob("*.md")):
        front = _raw(path)
        if front.get("kind", "daily") == "daily" and str(front["date"]) <= day:
            by_member[front["member"]][str(front["date"])].append(front)
    expected = {}
    for member, days in by_member.items():
        earlier = [d for d in days if d < day]
        if day not in days or not earlier:
            continue
        planned = list(dict.fromkeys(p["customer"] for f in days[max(earlier)] for p in f.get("tomorrow", []) if p.get("customer")))
        touched = {t["customer"] for f in days[day] for t in f.get("touchpoints", [])}
        if planned:
            expected[member] = (len(planned), sum(1 for c in planned if c in touched))
    table = json.loads((example_site / f"daily/{day}.plan-follow-through.json").read_text(encoding="utf-8"))
    shown = {r["member_id"]: (r["planned"], r["contacted"]) for r in table["rows"]}
    assert shown == expected and len(shown) >= 5
    assert any(planned > contacted for planned, contacted in shown.values())


def test_a_customer_page_groups_its_touchpoints_by_month_newest_open(example_site):
    from collections import Counter as Count

    months: dict[str, Count] = {}
    for path in (REPO / "records/reports").rglob("*.md"):
        front = _raw(path)
        if str(front["date"]) <= AS_OF:
            for t in front.get("touchpoints", []):
                months.setdefault(t["customer"], Count())[str(front["date"])[:7]] += 1
    for path in (REPO / "records/customers").glob("*.yaml"):
        for past in _raw(path).get("history", []):
            months.setdefault(path.stem, Count())[str(past["date"])[:7]] += 1
    customer, counts = max(months.items(), key=lambda item: (len(item[1]), item[0]))
    assert len(counts) >= 2
    html = (example_site / f"customers/{customer}.html").read_text(encoding="utf-8")
    shown = re.findall(r'<details class="month"( open)?><summary>(\d{4}-\d\d) · (\d+)</summary>', html)
    assert [(month, int(n)) for _, month, n in shown] == sorted(counts.items(), reverse=True)
    assert [bool(opened) for opened, _, _ in shown] == [True] + [False] * (len(shown) - 1)
    english = (example_site / f"en/customers/{customer}.html").read_text(encoding="utf-8")
    assert english.index("<h2>Deals</h2>") < english.index("<h2>Touchpoints</h2>")  # deals first: no longer 2,500 px down


def test_names_on_pages_in_another_language_carry_the_teams_language(example_site):
    """Members' and customers' names are written in Chinese: on English pages they say so (lang),
    for screen readers and fonts; on the team's own-language pages nothing needs saying."""
    team = {m["id"]: m["name"] for m in _raw(REPO / "records/team.yaml")["members"]}
    english = (example_site / "en/members/index.html").read_text(encoding="utf-8")
    own = (example_site / "members/index.html").read_text(encoding="utf-8")
    for member, name in team.items():
        assert f'<a href="../../en/members/{member}.html" lang="zh-Hant">{name}</a>' in english
        assert f'<a href="../members/{member}.html">{name}</a>' in own
