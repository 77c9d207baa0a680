"""sitegen import: the Maven CRM sample lands whole, its defects are reported, and the site's won
revenue per agent and quarter matches what this test computes from the CSV itself."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date

import pytest
import yaml

from conftest import REPO, write
from sitegen.build import validate
from sitegen.cli import main

MAVEN = REPO / "tests" / "data" / "maven-crm"  # vendored: see tests/data/README.md


def quarter(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def csv_rows(name: str) -> list[dict]:
    with (MAVEN / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("maven") / "team"
    code = main(["import", "maven-crm", str(MAVEN), "--into", str(root)])
    assert code == 0
    assert main(["build", str(root), "--as-of", "2017-12-31"]) == 0
    return root


def test_won_revenue_per_agent_and_quarter_matches_the_csv(imported):
    expected: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in csv_rows("sales_pipeline.csv"):
        if row["deal_stage"] == "Won":
            expected[row["sales_agent"]][quarter(row["close_date"])] += float(row["close_value"])
    exported = json.loads((imported / "site/members/index.won-by-quarter.json").read_text(encoding="utf-8"))
    quarters = [c["key"] for c in exported["columns"] if c["kind"] == "money" and c["key"] != "total"]
    assert quarters == sorted(quarters) and all(re.fullmatch(r"20\d\d-Q[1-4]", q) for q in quarters)
    shown = {row["member"]: {q: row[q] for q in quarters if row[q]} for row in exported["rows"]}
    agents = {r["sales_agent"] for r in csv_rows("sales_teams.csv")}
    assert shown == {agent: dict(expected.get(agent, {})) for agent in agents}  # agents with no deals show nothing won
    totals = {row["member"]: row["total"] for row in exported["rows"]}
    assert sum(totals.values()) == sum(float(r["close_value"]) for r in csv_rows("sales_pipeline.csv") if r["deal_stage"] == "Won")


def test_every_row_lands_or_is_reported_and_the_records_pass_check(imported):
    result = validate(imported, date(2017, 12, 31))
    assert [p for p in result.problems if p.is_error] == []
    records = result.records
    won = sum(len(c.deals) for c in records.customers.values())
    history = sum(len(c.history) for c in records.customers.values())
    undated = sum(c.notes.count("; ") + 1 for c in records.customers.values() if c.notes and "no date yet" in c.notes)
    pipeline = csv_rows("sales_pipeline.csv")
    without_account = [r for r in pipeline if not r["account"]]
    assert won == sum(1 for r in pipeline if r["deal_stage"] == "Won")
    assert history + undated + len(without_account) == len(pipeline)
    assert len(records.customers) == len(csv_rows("accounts.csv"))
    assert {m.name for m in records.team.members} == ({r["sales_agent"] for r in csv_rows("sales_teams.csv")}
                                                      | {r["manager"] for r in csv_rows("sales_teams.csv")})
    report = (imported / "import-report.txt").read_text(encoding="utf-8")
    for index, row in enumerate(pipeline, start=2):
        if not row["account"]:
            assert f"sales_pipeline.csv:{index}:1: warning: account: {row['deal_stage']} deal {row['opportunity_id']} has no account: not imported" in report


def test_known_defects_are_reported_not_hidden(imported):
    report = (imported / "import-report.txt").read_text(encoding="utf-8")
    accounts = csv_rows("accounts.csv")
    technolgy = [i for i, r in enumerate(accounts, start=2) if r["sector"] == "technolgy"]
    assert len(technolgy) == 12
    for line in technolgy:
        assert (f"accounts.csv:{line}:1: warning: sector: industry 'technolgy' is not one of the known values; kept as written\n"
                f"  hint: did you mean 'technology'?") in report
    first = next(i for i, r in enumerate(csv_rows("sales_pipeline.csv"), start=2) if r["product"] == "GTXPro" and r["account"])
    assert f"sales_pipeline.csv:{first}:1: warning: product: product 'GTXPro' is not in products.csv; kept as written" in report
    assert "did you mean 'GTX Pro'?" in report
    # kept as written: the deals say GTXPro, as the CRM did
    assert "product: GTXPro" in (imported / "records/customers").joinpath(
        next(p.name for p in (imported / "records/customers").iterdir() if "GTXPro" in p.read_text(encoding="utf-8"))).read_text()
    agents_with_deals = {r["sales_agent"] for r in csv_rows("sales_pipeline.csv")}
    for row in csv_rows("sales_teams.csv"):
        if row["sales_agent"] not in agents_with_deals:
            assert f"{row['sales_agent']} has no deals" in report


def test_a_mapping_naming_a_missing_column_is_an_error(tmp_path, capsys):
    source = tmp_path / "export"
    write(source, "accounts.csv", "Company,Sector\nAcme,retail\n")
    mapping = write(tmp_path, "mapping.yaml", "accounts: {file: accounts.csv, name: account}\n")
    assert main(["import", str(mapping), str(source), "--into", str(tmp_path / "team")]) == 1
    report = (tmp_path / "team" / "import-report.txt").read_text()
    assert "accounts.csv:1:1: error: account: column 'account' is not in accounts.csv\n  hint: its columns are: Company, Sector" in report


def test_the_site_counts_won_deals_and_revenue_and_lists_what_was_left_out(imported):
    won = [r for r in csv_rows("sales_pipeline.csv") if r["deal_stage"] == "Won"]
    december = [r for r in won if r["close_date"].startswith("2017-12")]
    home = (imported / "site/index.html").read_text(encoding="utf-8")
    card = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'id="won-card">(.*?)</div>', home, re.S).group(1)))
    total = sum(float(r["close_value"]) for r in won)
    assert card.strip() == (f"Won 2017-12 ${sum(float(r['close_value']) for r in december):,.0f} {len(december):,} deals "
                            f"All time: ${total:,.0f} · {len(won):,} deals Won by period →")
    # the deals without an account are on the problems page, each with its CSV line
    problems = (imported / "site/problems.html").read_text(encoding="utf-8")
    pipeline = csv_rows("sales_pipeline.csv")
    line = next(i for i, r in enumerate(pipeline, start=2) if not r["account"])
    assert f"sales_pipeline.csv</code></td><td class=\"num\" data-sort=\"{line}\">{line}:1</td><td><code>account</code></td><td>" in problems
    assert problems.count("has no account: not imported") == sum(1 for r in pipeline if not r["account"]) == 1425
    # every customer is counted once on the home page, unrated ones included
    records = validate(imported, date(2017, 12, 31)).records
    shown = re.sub(r"<[^>]+>", "", re.search(r'<p id="customer-total">(.*?)</p>', home, re.S).group(1))
    assert shown.startswith(f"All customers: {len(records.customers)} = ")


def test_import_into_an_initialised_team_adds_and_overwrites_nothing(tmp_path, capsys):
    team = tmp_path / "team"
    assert main(["init", str(team)]) == 0
    taken = write(team, "records/customers/acme-corporation.yaml", "name: Acme Corporation\nowner: alex\nstatus: lead\n")
    before = {p: p.read_bytes() for p in team.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["import", "maven-crm", str(MAVEN), "--into", str(team)]) == 0
    out = capsys.readouterr().out
    # nothing that was there is changed, except lines added to two lists
    changed = {p for p, content in before.items() if p.read_bytes() != content}
    assert changed == {team / "records/team.yaml", team / "sitegen.yaml"}
    for path in changed:
        old, new = before[path].decode().splitlines(), path.read_text().splitlines()
        assert [line for line in new if line in old] == old, path  # every old line kept, in order
        assert all(line.startswith("  - {") for line in new if line not in old), path
    config = validate(team, date(2017, 12, 31))
    assert [p for p in config.problems if p.is_error] == []
    records = config.records
    assert {"alex", "bea", "sam", "morgan"} <= {m.id for m in records.team.members}
    assert len(records.team.members) == 4 + len({r["sales_agent"] for r in csv_rows("sales_teams.csv")}
                                                | {r["manager"] for r in csv_rows("sales_teams.csv")})
    assert "crm" in {c.id for c in records.config.channels}
    # the customer already there is kept and reported, with every one of its deals
    assert taken.read_bytes() == before[taken]
    acme = [i for i, r in enumerate(csv_rows("accounts.csv"), start=2) if r["account"] == "Acme Corporation"]
    assert len(acme) == 1
    log = yaml.safe_load(next((team / "records/imports").glob("*-maven-crm.yaml")).read_text())
    assert {"file": "accounts.csv", "line": acme[0], "column": "account", "hint": "merge them into that file by hand if they are new",
            "message": "account 'Acme Corporation' is already a customer in records/customers/acme-corporation.yaml: left as it "
                       "was, and its deals and contacts are not imported"} in log["left_out"]
    acme_deals = [i for i, r in enumerate(csv_rows("sales_pipeline.csv"), start=2) if r["account"] == "Acme Corporation"]
    reported = [item["line"] for item in log["left_out"]
                if item["message"].endswith("of 'Acme Corporation', already a customer in records/customers/acme-corporation.yaml: not imported")]
    assert reported == acme_deals and len(acme_deals) > 20
    assert "wrote" in out
