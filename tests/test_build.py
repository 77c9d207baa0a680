"""End to end: build the example team exactly as a user would and check the pages' numbers
against numbers this test computes from the raw records itself."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write
from sitegen.cli import main

AS_OF = "2026-11-27"


@pytest.fixture
def example_site(example_site_shared) -> Path:
    return example_site_shared


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
    """Whether records are parsed afresh (a) or come from the cache (b fills it, c reads it): the
    same bytes. (A default of 0 where the cache gives back 0.0 once made a goal page differ.)"""
    digests = []
    for name, flags in (("a", ["--no-cache"]), ("b", []), ("c", [])):
        assert main(["build", str(REPO), "-o", str(tmp_path / name), "--as-of", AS_OF, *flags]) == 0
        digest = hashlib.sha256()
        for path in sorted((tmp_path / name).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(tmp_path / name).as_posix().encode())
                digest.update(path.read_bytes())
        digests.append(digest.hexdigest())
    assert digests[0] == digests[1] == digests[2]


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
        # --no-cache: a whole build each time (the same inputs would find the site up to date and write nothing)
        process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(minimal_team), "--as-of", "2026-11-20", "--no-fsync", "--no-cache"],
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


def _requests_and_answers() -> tuple[dict[str, dict], dict[str, tuple[str, str]]]:
    """From the raw records: each request for help (report id -> front matter), and each first answer
    (report id -> (day, answering record)) given on or before the as-of day."""
    requests, answers = {}, {}
    for path in sorted((REPO / "records/reports").rglob("*.md")):
        raw = _raw(path)
        if raw.get("help") and str(raw["date"]) <= AS_OF:
            requests[path.stem] = raw
        for a in raw.get("answers") or []:
            if str(raw["date"]) <= AS_OF and (a["report"] not in answers or str(raw["date"]) < answers[a["report"]][0]):
                answers[a["report"]] = (str(raw["date"]), path.stem)
    return requests, answers


def test_the_meeting_page_hands_out_the_days_requests_for_help(example_site):
    day = "2026-11-26"
    team = {m["id"]: m["name"] for m in _raw(REPO / "records/team.yaml")["members"]}
    requests, answers = _requests_and_answers()
    asked = sorted((team[r["member"]], r["help"]) for rid, r in requests.items() if str(r["date"]) == day)
    assert asked
    html = (example_site / f"daily/{day}.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="help">(.*?)</section>', html, re.S).group(1)
    import html as markup
    shown = sorted((name, markup.unescape(text))
                   for name, text in re.findall(r'<tr data-member="[^"]+"><td><a [^>]+>([^<]+)</a></td><td>([^<]+)</td>', section))
    assert shown == asked
    still_open = sum(1 for rid, r in requests.items() if str(r["date"]) < day and not (rid in answers and answers[rid][0] <= day))
    assert f"另有 {still_open} 個較早的請求尚未回覆" in section


def test_the_home_page_counts_the_open_requests_for_help(example_site):
    requests, answers = _requests_and_answers()
    open_requests = [rid for rid in requests if rid not in answers]
    html = (example_site / "en/index.html").read_text(encoding="utf-8")
    assert f"10 of {len(open_requests)} · the longest open first" in html
    oldest = sorted(open_requests, key=lambda rid: (str(requests[rid]["date"]), rid))[:10]
    table = re.search(r'<table id="open-help">.*?</table>', html, re.S).group(0)
    assert sorted(re.findall(r'reports/([\w-]+)\.html"', table)) == sorted(oldest)
    assert 0 < len(answers) < len(requests)


def test_problems_are_grouped_by_who_can_fix_them_with_a_link_to_each_page(example_site):
    html = (example_site / "en/problems.html").read_text(encoding="utf-8")
    team = {m["id"]: m["name"] for m in _raw(REPO / "records/team.yaml")["members"]}
    sections = re.findall(r'<section id="owner-\d+"><h2>(.*?)</h2>(.*?)</section>', html, re.S)
    assert len(sections) >= 3
    owners = [re.sub(r"<[^>]+>", "", heading) for heading, _ in sections]
    assert owners[-1] == "Team settings and shared records" and set(owners[:-1]) <= set(team.values())
    # each group's counts, labelled in the reader's language ("警告：3", not a count's word "個警告：3")
    for page, errors, warnings in (("en/problems.html", "errors: ", "warnings: "), ("problems.html", "錯誤：", "警告："),
                                   ("zh-Hans/problems.html", "错误：", "警告：")):
        counts = re.findall(r'<p class="small">(.*?)</p>', (example_site / page).read_text(encoding="utf-8"))
        assert len(counts) == len(sections), page
        for count in counts:
            assert re.fullmatch(f'(?:<span class="warn">{errors}\\d+</span> · )?{warnings}\\d+', count), (page, count)
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


def test_the_home_goal_card_draws_its_trend_and_says_it(example_site):
    """A sparkline of the cumulative actual against the must-achieve pace, its last figures in words
    for screen readers — the same figures the card shows."""
    html = (example_site / "en/index.html").read_text(encoding="utf-8")
    actual = re.search(r'id="goal-actual"[^>]*>([^<]+)<', (example_site / "en/goals/2026-11.html").read_text(encoding="utf-8")).group(1)
    label = re.search(r'<svg class="sparkline"[^>]*aria-label="([^"]+)"', html).group(1)
    assert label.startswith(f"Actual against the must-achieve pace: {actual} / NT$")
    points = re.search(r'<polyline class="spark" points="([^"]+)"', html).group(1).split()
    assert len(points) == 27  # November 1 to the as-of day, the 27th


def test_every_chart_has_its_figures_as_a_table(example_site):
    """For keyboard and screen-reader users: each chart points at the table of its figures on the
    page, or carries one of its own."""
    seen = 0
    for name in ("en/goals/2026-11.html", "en/activity.html", "en/customers/index.html"):
        html = (example_site / name).read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart-box".*?</figure>', html, re.S):
            seen += 1
            described = re.search(r'aria-describedby="[^"]+".*?<a href="#([\w-]+)">', figure, re.S)
            if described:
                assert f'<table id="{described.group(1)}">' in html, (name, described.group(1))
            else:
                assert re.search(r'<details class="chart-data"><summary>The chart&#39;s figures</summary>.*?<table id="[\w-]+">', figure, re.S), name
    assert seen == 7
    burnup = json.loads((example_site / "en/goals/2026-11.burnup.json").read_text(encoding="utf-8"))
    rows = {r["date"]: r for r in burnup["rows"]}
    assert len(rows) == 30 and rows["2026-11-30"]["actual"] is None and rows["2026-11-27"]["actual"] == 1103000


def test_a_customer_page_says_how_long_ago(example_site):
    html = (example_site / "en/customers/nanjing-brunch.html").read_text(encoding="utf-8")
    assert re.search(r'<dt>Next contact</dt><dd class="warn">Nov 11, 2026 <span class="small">16 days ago</span> '
                     r'<strong class="badge">overdue</strong></dd>', html)
    zh = (example_site / "customers/nanjing-brunch.html").read_text(encoding="utf-8")
    assert '2026年11月11日 <span class="small">16 天前</span> <strong class="badge">逾期</strong>' in zh


def test_the_member_page_holds_a_one_to_one(example_site):
    """The member's latest reports, every request for help, the latest contacts and the activity
    trend — each from the records, newest first."""
    member = "cai-guanyu"
    raw = ((p.stem, _raw(p)) for p in (REPO / "records/reports").rglob("*.md"))
    reports = sorted(((str(r["date"]), rid, r) for rid, r in raw if r.get("member") == member and r.get("kind") not in ("review", "coaching")),
                     reverse=True)
    html = (example_site / f"en/members/{member}.html").read_text(encoding="utf-8")
    listed = re.findall(r'<table id="reports">.*?</table>', html, re.S)[0]
    assert re.findall(r'reports/([\w-]+)\.html">', listed) == [rid for _d, rid, _r in reports[:10]]
    assert ">weekly<" in listed and "Named(" not in listed
    helped = [rid for _d, rid, r in reports if r.get("help")]
    help_table = re.findall(r'<table id="help">.*?</table>', html, re.S)[0]
    assert re.findall(r'reports/([\w-]+)\.html">', help_table) == helped and helped
    contacts = re.findall(r'<table id="contacts">.*?</tbody>', html, re.S)[0]
    assert contacts.count("<tr") == 11  # the header and ten contacts
    assert re.search(r'<svg class="sparkline"[^>]*aria-label="Activity against target, day by day: \d+% / 100%"', html)


def test_a_records_page_shows_its_own_problems(example_site):
    """The problems of a record stand at the top of its page, in the page's language, located;
    every problem the problems page links to a record's page is on that page."""
    en = (example_site / "en/customers/fuxing-gym.html").read_text(encoding="utf-8")
    box = re.search(r'<aside class="page-problems".*?</aside>', en, re.S).group(0)
    assert ("<code>records/customers/fuxing-gym.yaml:4:8</code> declared 5★ but deals of the last 365 days total 229,000, "
            "below 300,000") in box
    zh = (example_site / "customers/fuxing-gym.html").read_text(encoding="utf-8")
    assert "評為 5★，但最近 365 天成交合計 229,000，低於 300,000" in re.search(r'<aside class="page-problems".*?</aside>', zh, re.S).group(0)
    problems = (example_site / "en/problems.html").read_text(encoding="utf-8")
    linked = re.findall(r'<code>([^<]+)</code></td><td class="num" data-sort="(\d+)">\d+:(\d+)</td>(?:(?!</tr>).)*?<a href="\.\./en/([^"]+)">open the page</a>',
                        problems)
    assert len(linked) >= 10
    for path, line, column, page in linked:
        assert f"<code>{path}:{line}:{column}</code>" in (example_site / "en" / page).read_text(encoding="utf-8"), page
    assert "page-problems" not in (example_site / "en/customers/alishan-bistro.html").read_text(encoding="utf-8")


def test_chart_axes_use_the_languages_compact_numbers(example_site):
    spec = re.search(r'<script type="application/json" id="chart-burnup">(.*?)</script>',
                     (example_site / "goals/2026-11.html").read_text(encoding="utf-8"), re.S).group(1)
    assert '\\"萬\\"' in spec and "u842c" not in spec  # 1,100,000 reads 110萬 on the axis
    assert '\\"M\\"' in re.search(r'<script type="application/json" id="chart-burnup">(.*?)</script>',
                              (example_site / "en/goals/2026-11.html").read_text(encoding="utf-8"), re.S).group(1)


def test_the_meeting_page_celebrates_the_days_recognitions(example_site):
    """吳郁婷 filed her twentieth report in a row on the 25th: that meeting says so, and her page keeps it."""
    day = (example_site / "en/daily/2026-11-25.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="recognition">.*?</section>', day, re.S).group(0)
    assert re.search(r'>吳郁婷</a></td><td>Reports filed 20 working days in a row</td>', section)
    member = (example_site / "members/wu-yuting.html").read_text(encoding="utf-8")
    assert "連續 20 個工作日交報告" in re.search(r'<table id="recognition">.*?</table>', member, re.S).group(0)
    assert '<section id="recognition">' not in (example_site / "en/daily/2026-11-26.html").read_text(encoding="utf-8")


def test_the_capability_page_puts_what_was_seen_and_said_beside_the_numbers(example_site):
    """Review findings and the problems members raised themselves this period, each linked to its record."""
    reviews = [(p.stem, f) for p in (REPO / "records/reports/2026/11").glob("*-review.md")
               if "2026-11-01" <= str((r := _raw(p))["date"]) <= AS_OF for f in r.get("findings") or []]
    raised = [p.stem for p in (REPO / "records/reports/2026/11").glob("*.md")
              if (r := _raw(p)).get("help") and str(r["date"]) <= AS_OF and r.get("kind", "daily") not in ("review", "coaching")]
    table = re.search(r'<table id="observed">.*?</table>', (example_site / "en/capability.html").read_text(encoding="utf-8"), re.S).group(0)
    rows = re.findall(r'<tr data-member="[^"]+"><td>.*?</td><td><a href="[^"]*reports/([\w-]+)\.html">[^<]+</a></td><td>([^<]+)</td>', table)
    assert sorted(rows) == sorted([(rid, "Review finding") for rid, _f in reviews] + [(rid, "Raised by the member") for rid in raised])
    assert reviews and raised


def test_a_one_shot_build_locates_problems_as_sitegen_check_does(team, capsys):
    """A build keeps no record's source in memory (records.load_records): the files a problem is
    found in are read again to locate it, at the same line and column as ``check`` gives."""
    from sitegen.build import BuildSession, build_site, validate
    from sitegen.cache import SiteManifest

    report = sorted(team.glob("records/reports/**/*.md"))[-1]
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"^  phone: \d+$", "  phone: 0", text, count=1, flags=re.M), encoding="utf-8")  # a warning
    checked = validate(team, date(2026, 11, 27)).problems
    assert any(p.path.endswith(report.name) and p.field == "activity.phone" for p in checked)
    outcome = build_site(team, team / "site", date(2026, 11, 27), session=BuildSession())
    assert outcome.ok and [(p.location(), p.field, str(p.message)) for p in outcome.problems] == [
        (p.location(), p.field, str(p.message)) for p in checked]
    assert SiteManifest.read(team / "site").problems == outcome.problems


def test_a_source_changed_since_it_was_read_is_located_at_its_first_line(team):
    from sitegen.records import load_records

    records, _ = load_records(team, keep_sources=False)
    report = sorted(team.glob("records/reports/**/*.md"))[-1]
    rel = report.relative_to(team).as_posix()
    assert records.document("report", report.stem).mark(("activity", "phone")) != (1, 1)
    records.documents.clear()
    report.write_text("---\n# a line more\n" + report.read_text(encoding="utf-8")[4:], encoding="utf-8")
    document = records.document("report", report.stem)
    assert document.path == rel and document.mark(("activity", "phone")) == (1, 1)


def test_jobs_1_parses_and_renders_in_one_process_the_same_site(team, tmp_path, monkeypatch):
    """``--jobs 1`` (the least memory: a forked worker copies what it reads) writes what the
    forked workers write, parsing and rendering."""
    import multiprocessing

    from sitegen import build, records

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    monkeypatch.setattr(records, "PARSE_ELSEWHERE_MIN_FILES", 10)
    assert main(["build", str(team), "-o", str(tmp_path / "forked"), "--as-of", AS_OF, "--no-cache"]) == 0

    def no_fork(*args, **kwargs):
        raise AssertionError("a worker was forked")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert main(["build", str(team), "-o", str(tmp_path / "alone"), "--as-of", AS_OF, "--no-cache", "--jobs", "1"]) == 0
    from test_cache import same_tree

    assert same_tree(tmp_path / "forked", tmp_path / "alone") == []
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(team), "--jobs", "0"])
    assert exit_.value.code == 2


def test_a_shared_build_makes_each_view_once_in_the_process_that_renders_its_page(team, tmp_path, monkeypatch):
    """A one-shot build shares each language's pages among processes, and each makes the views
    of its share: every report's view is made once, though two pages show it (its own and its
    day's meeting page), and the site, keys included, is the one a build in one process writes."""
    import multiprocessing

    from test_cache import same_tree

    from sitegen import build

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    made = _count_report_views(monkeypatch, tmp_path / "made")
    shared = build.build_site(team, tmp_path / "shared", date.fromisoformat(AS_OF), cache=False, jobs=2)
    lines = _views_made(made)
    made.unlink()
    reports = {rid for _pid, _code, rid in lines}
    languages = {code for _pid, code, _rid in lines}
    assert shared.ok and len(reports) > 40 and len(languages) == 3
    assert Counter((code, rid) for _pid, code, rid in lines) == Counter({(c, r): 1 for c in languages for r in reports})
    assert len({pid for pid, _code, _rid in lines}) == 1 + len(languages)  # this process and a worker per language
    assert multiprocessing.active_children() == []

    alone = build.build_site(team, tmp_path / "alone", date.fromisoformat(AS_OF), cache=False, jobs=1)
    assert alone.ok and same_tree(tmp_path / "shared", tmp_path / "alone") == []
    assert len({pid for pid, _code, _rid in _views_made(made)}) == 1


def _count_report_views(monkeypatch, log: Path) -> Path:
    """Each report view made from now on, by any process, written to ``log`` (_views_made reads it)."""
    from sitegen import views

    report_view = views.report_view

    def counted(records, metrics, names, _, rid):
        with log.open("a", encoding="utf-8") as lines:  # appended by each process
            lines.write(f"{os.getpid()} {_.code} {rid}\n")
        return report_view(records, metrics, names, _, rid)

    monkeypatch.setattr(views, "report_view", counted)
    return log


def _views_made(log: Path) -> list[tuple[str, str, str]]:
    """(process, language, report) of each report view made (_count_report_views)."""
    return [(pid, code, rid) for pid, code, rid in (line.split() for line in log.read_text(encoding="utf-8").splitlines())]


def test_a_shared_rebuild_makes_no_view_of_an_unchanged_report_or_meeting_day(team, tmp_path, monkeypatch):
    """After one report's text changed, a one-shot build finds the other reports' pages and the
    other meeting days' pages unchanged by what their views are made from (views.Known): it makes
    the views of that report's day only (its meeting page shows them all), once per language."""
    from test_cache import clean_build, same_tree

    from sitegen import build

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    assert build.build_site(team, team / "site", date.fromisoformat(AS_OF), jobs=2).ok
    records = build.validate(team, date.fromisoformat(AS_OF)).team_records
    assert records is not None
    edited = sorted(rid for rid, r in records.reports.items() if r.kind == "daily")[-1]
    day = records.reports[edited].date
    same_day = {rid for rid, r in records.reports.items() if r.date == day and r.kind == "daily"}
    made = _count_report_views(monkeypatch, tmp_path / "made")
    with (team / records.paths[("report", edited)]).open("a", encoding="utf-8") as report:
        report.write("\nOne more line.\n")
    again = build.build_site(team, team / "site", date.fromisoformat(AS_OF), jobs=2)
    lines = [(code, rid) for _pid, code, rid in _views_made(made)]
    languages = {code for code, _rid in lines}
    assert again.ok and len(languages) == 3 and len(same_day) > 1 and len(records.reports) > 3 * len(same_day)
    assert Counter(lines) == Counter({(code, rid): 1 for code in languages for rid in same_day})
    assert again.reused == again.pages - 2 * len(languages)  # the report's page and its day's, in each language
    assert same_tree(team / "site", clean_build(team, tmp_path)) == []


@pytest.mark.parametrize("where", ["a worker", "this process"])
def test_a_renderer_failing_fails_the_build_keeps_the_last_site_and_leaves_no_process(team, tmp_path, monkeypatch, where):
    """A page failing to render in a worker, or in the build's own process while a worker waits to
    hand its keys over, fails the build: the last site stays, and no worker is left running."""
    import multiprocessing

    from sitegen import build

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    site = tmp_path / "site"
    assert build.build_site(team, site, date.fromisoformat(AS_OF), cache=False).ok
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    here, render = os.getpid(), build.write_page

    def failing(stage, job, *args):
        if (os.getpid() == here) == (where == "this process") and job[2].template == "report.html":
            raise ValueError("a page that cannot be rendered")
        return render(stage, job, *args)

    monkeypatch.setattr(build, "write_page", failing)
    expected = ValueError if where == "this process" else RuntimeError
    with pytest.raises(expected, match="cannot be rendered" if where == "this process" else "1 of 1 rendering workers failed"):
        build.build_site(team, site, date.fromisoformat(AS_OF), cache=False, jobs=2)
    assert multiprocessing.active_children() == []
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


def test_pages_are_dealt_in_turn_and_groups_of_pages_to_the_process_with_fewest():
    """The processes' shares: every page once, in order, dealt in turn; a group of pages (a meeting
    day's page and its reports') goes whole to the process with the fewest pages so far."""
    from sitegen.build import _shares

    jobs = list(range(700))
    for workers, expected in ((2, [350, 350]), (4, [175] * 4), (3, [234, 233, 233])):
        shares = _shares(jobs, workers)
        assert [len(share) for share in shares] == expected
        assert sorted(job for share in shares for job in share) == jobs and all(share == sorted(share) for share in shares)
    assert _shares(jobs, 2) == [jobs[0::2], jobs[1::2]]
    groups = [[1] * 60, [2], [3], [4] * 60, [5]]  # groups of pages, each to the process with the fewest pages so far
    assert _shares(groups, 2, len) == [[[1] * 60, [5]], [[2], [3], [4] * 60]]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_teams_template_that_cannot_make_a_page_is_located_and_fails_the_build(team, tmp_path, monkeypatch, capsys, jobs):
    """A team's own template using a field its page's view does not have is bad input, not a crash:
    the build fails with the template's file and line and the page it was writing, in one process
    or shared among several, and the last site stays as it was."""
    from sitegen import build

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    site = tmp_path / "site"
    assert main(["build", str(team), "-o", str(site), "--as-of", AS_OF, "--jobs", jobs]) == 0
    before = sorted((p.relative_to(site).as_posix(), p.stat().st_mtime_ns) for p in site.rglob("*"))
    write(team, "templates/report.html", '{% extends "base.html" %}{% block content %}\n<p>{{ view.nope }}</p>{% endblock %}\n')
    capsys.readouterr()
    assert main(["build", str(team), "-o", str(site), "--as-of", AS_OF, "--jobs", jobs]) == 1
    err = capsys.readouterr().err
    located = re.search(r"^templates/report\.html:2:1: error: template error: '\S+ReportView object' has no attribute 'nope'\n"
                        r"  hint: while writing (?:\S+/)?reports/(\S+)\.html; each page's view and its fields are in sitegen/views/", err, re.M)
    assert located and (team / "records/reports").glob(f"**/{located.group(1)}.md"), err
    assert "Traceback" not in err and err.rstrip().endswith(f"build failed: {site} was left as it was")
    assert sorted((p.relative_to(site).as_posix(), p.stat().st_mtime_ns) for p in site.rglob("*")) == before


def test_every_syntax_error_in_a_teams_templates_is_reported_before_anything_is_written(team, tmp_path, capsys):
    """All of the team's templates are compiled before a page is written: each syntax error, located;
    `sitegen check` (what CI runs on every push) reports them too."""
    write(team, "templates/report.html", '{% extends "base.html" %}{% block content %}<p>{{ view.member.text }</p>{% endblock %}\n')
    write(team, "templates/plan.html", '{% extends "base.html" %}\n{% block content %}{% for x in %}{% endblock %}\n')
    located = ("templates/plan.html:2:1: error: template error: Expected an expression, got 'end of statement block'\n"
               "  hint: a template in templates/ takes the place of sitegen's own of the same name (docs/guide.md, Templates)\n"
               "templates/report.html:1:1: error: template error: unexpected '}'\n")
    assert main(["build", str(team), "-o", str(tmp_path / "site"), "--as-of", AS_OF]) == 1
    assert located in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    assert main(["check", str(team), "--as-of", AS_OF]) == 1
    assert located in capsys.readouterr().out


def test_a_template_failing_in_a_worker_fails_the_whole_and_leaves_no_process():
    """The failure travels back from the forked process that met it (build._shared)."""
    import multiprocessing

    from sitegen.build import _shared
    from sitegen.i18n import msg
    from sitegen.problems import error
    from sitegen.render import TemplateFailed

    here = os.getpid()

    def work(share):
        if os.getpid() != here and "bad" in share:
            raise TemplateFailed(error("templates/x.html", 3, 1, "", msg("template error: {detail}", detail="no")))
        return len(share)

    assert _shared(work, [["a"], ["b", "c"]]) == [1, 2]
    with pytest.raises(TemplateFailed) as failed:
        _shared(work, [["a"], ["bad"]])
    assert (failed.value.problem.path, failed.value.problem.line) == ("templates/x.html", 3)
    assert multiprocessing.active_children() == []


def test_watch_keeps_going_after_a_broken_template_and_recovers_when_it_is_fixed(team, tmp_path):
    """A live site (watch) with a template that cannot make its pages: the build says so and the
    session goes on; once the template is fixed the site is a clean build's."""
    from test_cache import clean_build, same_tree

    from sitegen.build import BuildSession, build_site
    from sitegen.cache import SiteManifest

    session, site = BuildSession(live=True), team / "site"
    assert build_site(team, site, date.fromisoformat(AS_OF), session=session).ok
    write(team, "templates/report.html", '{% extends "base.html" %}{% block content %}{{ view.nope }}{% endblock %}')
    session.changed.add("templates/report.html")
    broken = build_site(team, site, date.fromisoformat(AS_OF), session=session)
    assert not broken.ok and [p.path for p in broken.problems if p.is_error] == ["templates/report.html"]
    assert SiteManifest.read(site) is None  # pages were replaced in place: nothing of the site may be taken for unchanged
    (team / "templates/report.html").unlink()
    session.changed.add("templates/report.html")
    assert build_site(team, site, date.fromisoformat(AS_OF), session=session).ok
    assert same_tree(site, clean_build(team, tmp_path)) == []  # built whole, staged: pages of the failed build were in place


def test_a_failure_here_ends_a_worker_blocked_handing_over_a_large_result():
    """When this process fails while a worker is still sending what it made (more than a pipe
    holds, so it waits for a reader), the worker is ended, not waited for for ever (build._shared)."""
    script = """if True:
        import multiprocessing, os
        from sitegen.build import _shared
        here = os.getpid()
        def work(share):
            if os.getpid() == here:
                raise ValueError("failed here")
            return "x" * 4_000_000  # far more than a pipe's buffer
        try:
            _shared(work, [["mine"], ["theirs"]])
        except ValueError:
            assert multiprocessing.active_children() == []
            print("ended")
    """
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "ended\n", done.stderr
