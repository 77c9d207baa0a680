"""One number, one value: the same quantity read from every page and download that shows it, on
the example team and on two generated teams of different calendars and languages (a Taiwanese
team in English; a mainland team in Simplified Chinese whose National Day week is paid for by
working a Saturday and a Sunday). Downloads are read as raw values; no figure is re-derived from
the records here: the test asserts that the site never contradicts itself."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO
from sitegen.cli import main
from sitegen.demo import write_demo_team

AS_OF = date(2026, 11, 27)
PERIOD = "2026-11"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, example_site_shared):
    """Each team's site, built once for the module when first asked for."""
    built: dict[str, Path] = {"example": example_site_shared}

    def site_of(name: str) -> Path:
        if name not in built:
            root = REPO
            if name != "example":
                root = tmp_path_factory.mktemp(name) / "team"
                calendar, locale = ("tw", "en") if name == "tw-en" else ("cn", "zh-Hans")
                write_demo_team(root, members=7, days=45, seed=11, end=AS_OF, locale=locale, calendar=calendar)
            built[name] = tmp_path_factory.mktemp("site") / "site"
            assert main(["build", str(root), "-o", str(built[name]), "--as-of", str(AS_OF), "--no-cache"]) == 0
        return built[name]

    return site_of


@pytest.fixture(params=["example", "tw-en", "cn-zh-Hans"])
def site(request, sites) -> Path:
    return sites(request.param)


def table(site: Path, name: str) -> dict:
    return json.loads((site / name).read_text(encoding="utf-8"))


def rows_by(data: dict, key: str = "member_id") -> dict[str, dict]:
    return {r[key]: r for r in data["rows"] if not r.get("total")}


def test_activity_per_member_and_channel_is_one_number(site):
    """The activity page's period totals = the sum of the daily meeting pages = each member's page."""
    totals = table(site, "activity.activity-totals.json")
    channels = [c["key"].split(".")[0] for c in totals["columns"] if c["key"].endswith(".actual")]
    from_days: dict[tuple[str, str], int] = defaultdict(int)
    for page in (site / "daily").glob(f"{PERIOD}-*.daily-activity.json"):
        if page.name[:10] <= str(AS_OF):
            day = table(site, f"daily/{page.name}")
            for member, r in rows_by(day).items():
                for c in channels:
                    from_days[(member, c)] += r[f"{c}.actual"]
            team_day = next(r for r in day["rows"] if r.get("total"))  # the day's team row = its members' sum
            assert all(team_day[f"{c}.actual"] == sum(r[f"{c}.actual"] for r in rows_by(day).values()) for c in channels)
    members = rows_by(totals)
    assert len(members) >= 6
    for member, r in members.items():
        own = rows_by(table(site, f"members/{member}.activity.json"), "channel_id")
        for c in channels:
            assert r[f"{c}.actual"] == from_days[(member, c)] == own[c]["actual"], (member, c)
            assert r[f"{c}.target"] == own[c]["target"], (member, c)
    team = next(r for r in totals["rows"] if r.get("total"))
    for c in channels:
        assert team[f"{c}.actual"] == sum(r[f"{c}.actual"] for r in members.values())


def test_reports_filed_and_owed_are_one_number(site):
    compliance = rows_by(table(site, "activity.compliance.json"))
    home = rows_by(table(site, "index.members.json"))
    for member, r in compliance.items():
        assert (home[member]["reports"], home[member]["reports_expected"]) == (r["submitted"], r["expected"]), member
        page = (site / f"members/{member}.html").read_text(encoding="utf-8")
        line = re.search(r'<p id="member-compliance">(\d+) / (\d+) · [^<]* (\d+)', page)
        assert line and tuple(map(int, line.groups())) == (r["submitted"], r["expected"], r["missing"]), member


def test_customer_counts_by_star_are_one_number(site):
    matrix = table(site, "customers/index.customer-matrix.json")
    listed = table(site, "customers/index.customer-list.json")["rows"]
    by_owner: dict[tuple[str, str, int | None], int] = defaultdict(int)
    for r in listed:
        by_owner[(r["owner_id"], r["status_id"], r["stars"])] += 1
    keys = [c["key"] for c in matrix["columns"] if c["kind"] == "number"]
    members = rows_by(matrix)
    for member, r in members.items():
        for stars in (5, 4, 3, 2, 1):
            assert r[f"unclosed.{stars}"] == by_owner[(member, "prospect", stars)], (member, stars)
            assert r[f"closed.{stars}"] == by_owner[(member, "customer", stars)], (member, stars)
        assert r["lost"] == sum(n for (o, s, _), n in by_owner.items() if o == member and s == "lost")
        assert r["raw_leads.meet"] + r["raw_leads.fail"] == sum(n for (o, s, _), n in by_owner.items() if o == member and s == "lead")
        own = rows_by(table(site, f"members/{member}.customer-counts.json"))[member]
        assert {k: own[k] for k in keys} == {k: r[k] for k in keys}, member
    team = next(r for r in matrix["rows"] if r.get("total"))
    assert all(team[k] == sum(r[k] for r in members.values()) for k in keys)
    assert sum(team[k] for k in keys if k.split(".")[0] in ("unclosed", "closed", "lost", "dormant")) + team["raw_leads.meet"] \
        + team["raw_leads.fail"] == len(listed)


def test_the_goal_and_the_won_revenue_are_one_number(site):
    goals = rows_by(table(site, "goals/index.goals.json"), "period_id")
    goal = goals[PERIOD]
    page = (site / f"goals/{PERIOD}.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")

    def figure(text: str) -> float:
        return float(re.sub(r"[^\d.]", "", text))

    assert figure(re.search(r'id="goal-actual">([^<]*)<', page).group(1)) == goal["actual"]
    card = re.search(r'id="goal-card">.*?<p class="big">([^<]*)<small>', home, re.S).group(1)
    assert figure(card) == goal["actual"]
    won = rows_by(table(site, "members/index.won-by-period-table.json"), "period")[PERIOD]
    assert won["revenue"] == goal["actual"]  # a revenue goal counts every deal of its period
    won_card = re.search(r'id="won-card">.*?<p class="big">([^<]*)<small>', home, re.S).group(1)
    assert figure(won_card) == won["revenue"]
    pace_page = re.search(r"<h2>[^<]*</h2><p class=\"big\">([^<]*)</p><p>[^<]*· \d+ / \d+", page).group(1)
    pace_home = re.search(r'id="goal-card">.*?\) ([^ ]+) ·', home, re.S).group(1)
    assert figure(pace_page) == figure(pace_home)
    shares = table(site, f"goals/{PERIOD}.member-shares.json")
    progress = rows_by(table(site, "index.members.json"))
    for member, r in rows_by(shares).items():
        assert progress[member]["goal_progress"] == pytest.approx(r["progress"]), member


def test_plan_adherence_is_one_number(site):
    adherence = rows_by(table(site, "plans/index.adherence.json"))
    home = rows_by(table(site, "index.members.json"))
    for member, r in adherence.items():
        assert home[member]["plan_adherence"] == r["adherence"], member


def test_a_report_on_a_make_up_working_day_counts_everywhere(sites):
    """On the mainland calendar, Saturday 10 October is worked: its reports are owed, counted, and on
    its meeting page (a past period's day: its activity was left out before); the National Day week
    owes none."""
    site = sites("cn-zh-Hans")
    page = (site / "daily/2026-10-10.html").read_text(encoding="utf-8")
    assert 'id="day-off"' not in page
    activity = table(site, "daily/2026-10-10.daily-activity.json")
    assert len(activity["rows"]) >= 6 and all(any(v for k, v in r.items() if k.endswith(".actual")) for r in activity["rows"])
    assert not list((site / "daily").glob("2026-10-0[1-7].html"))


def test_no_signal_fires_for_most_of_the_team(site):
    """An alarm that fires for everyone says nothing: each signal names at most half the members."""
    signals = table(site, "capability.signals.json")["rows"]
    members = len(rows_by(table(site, "capability.funnel.json")))
    fired: dict[str, set[str]] = defaultdict(set)
    for r in signals:
        fired[r["signal"]].add(r["member_id"])
    assert signals, "the generated teams have planted weaknesses: some signal fires"
    assert all(len(who) <= members / 2 for who in fired.values()), {k: len(v) for k, v in fired.items()}
