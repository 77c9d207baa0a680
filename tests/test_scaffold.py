"""sitegen init and sitegen new, end to end in a temporary folder."""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import write
from sitegen.build import validate
from sitegen.cli import main

TODAY = date(2026, 11, 27)


def errors_of(root, as_of=TODAY):
    return [f"{p.path}:{p.line}: {p.message!s}" for p in validate(root, as_of).problems if p.is_error]


@pytest.mark.parametrize("locale", ["en", "zh-Hant", "zh-Hans"])
def test_init_new_report_build_gives_a_working_site(tmp_path, locale, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27: "today" for the commands
    team = tmp_path / "team"
    assert main(["init", str(team), "--locale", locale]) == 0
    assert errors_of(team) == []
    config = yaml.safe_load((team / "sitegen.yaml").read_text(encoding="utf-8"))
    assert config["locale"] == locale
    comments = [line for line in (team / "sitegen.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert len(comments) >= 10
    if locale == "zh-Hant":
        assert "每個欄位的說明" in comments[0]
    for kind in ("customers", "plans", "reports"):
        assert list((team / "records" / kind).rglob("*.*")), kind
    capsys.readouterr()
    assert main(["new", "report", "--root", str(team), "--member", "bea"]) == 0
    written = capsys.readouterr().out.strip()
    assert written.endswith("records/reports/2026/11/2026-11-27-bea.md")
    assert main(["build", str(team), "--as-of", "2026-11-27"]) == 0
    assert (team / "site" / "reports" / "2026-11-27-bea.html").is_file()
    assert (team / "site" / "index.html").is_file()


def test_the_workflows_are_valid_and_call_commands_that_exist(tmp_path, monkeypatch):
    team = tmp_path / "team"
    assert main(["init", str(team)]) == 0
    github = yaml.safe_load((team / ".github/workflows/sitegen.yml").read_text())
    gitlab = yaml.safe_load((team / ".gitlab-ci.yml").read_text())
    steps = [s for job in github["jobs"].values() for s in job["steps"]]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses.count("actions/configure-pages") == 1
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact") < uses.index("actions/deploy-pages")
    assert github["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    triggers = github.get("on", github.get(True))  # PyYAML reads the key `on` as YAML 1.1's true
    # every branch is pushed to, the default one deploys (whatever its name); and a morning build
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"} and triggers["push"] is None
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    commands = [s["run"] for s in steps if "run" in s] + gitlab["check"]["script"] + gitlab["pages"]["script"]
    sitegen_commands = {c.split(" ||")[0] for c in commands if c.startswith("sitegen ")}
    assert sitegen_commands == {"sitegen check --format github", "sitegen build -o public", "sitegen check"}
    # on the way to publishing, check only annotates: a finding set to error never stops a deploy
    deploy_check = next(s for s in github["jobs"]["deploy"]["steps"] if s.get("run", "").startswith("sitegen check"))
    assert deploy_check["continue-on-error"] is True
    assert "sitegen check || true" in gitlab["pages"]["script"]
    monkeypatch.chdir(team)
    for command in sorted(sitegen_commands):
        assert main(shlex.split(command)[1:] + ["--as-of", "2026-11-27"]) in (0, 1), command
    assert (team / "public" / "index.html").is_file()
    settings = yaml.safe_load((team / ".vscode/settings.json").read_text())
    for schema in settings["yaml.schemas"]:
        assert (team / schema).is_file(), schema


def test_init_never_overwrites(tmp_path, capsys):
    team = tmp_path / "team"
    write(team, "sitegen.yaml", "title: Mine\n")
    assert main(["init", str(team)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (team / "sitegen.yaml").read_text() == "title: Mine\n"


def test_new_report_lists_yesterdays_plan_due_follow_ups_and_targets(minimal_team, capsys):
    # bob's report of 2026-11-03 planned a call to wang-tea, whose next contact was 2026-11-06
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-06"]) == 0
    path = minimal_team / "records/reports/2026/11/2026-11-06-bob.md"
    assert capsys.readouterr().out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "# Contacts made today, per channel. Targets: phone 10, visit 2" in text
    assert '# - {customer: wang-tea, channel: phone, purpose: "follow up the quote", result: , effect: , next_contact: }' in text
    assert "# - {customer: wang-tea, channel: , purpose: , result: }   # Wang Tea House, next contact 2026-11-06" in text
    assert errors_of(minimal_team, date(2026, 11, 6)) == []
    before = path.read_bytes()
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-06"]) == 2
    assert "never overwrites" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_new_half_day_report_and_unknown_member(minimal_team, capsys):
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-05", "--half", "am"]) == 0
    assert (minimal_team / "records/reports/2026/11/2026-11-05-bob-am.md").is_file()
    assert main(["new", "report", "--root", str(minimal_team), "--member", "zed"]) == 2
    assert "unknown member 'zed' (one of: amy, bob)" in capsys.readouterr().err


@pytest.mark.parametrize("arguments, expected", [
    (["customer", "Lin's Noodle Bar", "--member", "bob"], "records/customers/lin-s-noodle-bar.yaml"),
    (["customer", "王記茶行", "--member", "bob", "--id", "wang-ji"], "records/customers/wang-ji.yaml"),
    (["plan", "--member", "bob", "--date", "2026-11-18"], "records/plans/2026-11-16-bob-week.yaml"),
    (["plan", "--member", "bob", "--date", "2026-11-18", "--period", "month"], "records/plans/2026-11-01-bob-month.yaml"),
    (["goal", "--period", "2026-12"], "records/plans/2026-12-team-goal.yaml"),
    (["review", "--member", "bob", "--date", "2026-11-18"], "records/reports/2026/11/2026-11-18-bob-review.md"),
    (["coaching", "--member", "bob", "--date", "2026-11-18", "--capability", "closing"],
     "records/reports/2026/11/2026-11-18-coaching-bob.md"),
])
def test_each_kind_of_new_record_passes_check(minimal_team, arguments, expected):
    assert main(["new", *arguments, "--root", str(minimal_team)]) == 0
    assert (minimal_team / expected).is_file()
    assert errors_of(minimal_team) == []


@pytest.mark.parametrize("kind, args", [("customer", ["Wang Tea House"]), ("report", []), ("plan", []), ("review", []),
                                        ("coaching", ["--capability", "closing"]), ("goal", ["--period", "2026-12"])])
def test_uncommenting_a_hint_line_never_makes_the_hint_a_value(tmp_path, kind, args, capsys):
    """A rep deletes the `#` of a commented line: the line's own value is what they get, never its hint."""
    import re

    from sitegen.loader import load_markdown_text, load_yaml_text

    team = tmp_path / "team"
    assert main(["init", str(team), "--locale", "zh-Hant"]) == 0
    capsys.readouterr()
    member = [] if kind == "goal" else ["--member", "bea"]
    assert main(["new", kind, *args, "--root", str(team), *member, "--date", "2026-11-30"]) == 0
    path = Path(capsys.readouterr().out.strip().splitlines()[-1])
    text = path.read_text(encoding="utf-8")
    load = load_markdown_text if path.suffix == ".md" else load_yaml_text
    lines = text.split("\n")
    tried = 0
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)# ((\w+):(.*)|- \{.*)$", line)
        if not match or (kind == "report" and not text.startswith("---")):
            continue
        tried += 1
        edited = "\n".join(lines[:index] + [match.group(1) + match.group(2)] + lines[index + 1:])
        document, problems = load(edited.encode("utf-8"), path.name)
        assert [p for p in problems if "syntax" in str(p.message).lower()] == [], (line, problems)
        key = match.group(3)
        if key and not match.group(1):  # a top-level key: its value is what stands before any comment
            written = match.group(4).split("#")[0].strip()
            value = document.data.get(key)
            assert value in (None, "") or str(value) == written.strip('"'), (line, value)
    assert kind in ("review", "coaching", "goal", "plan") or tried > 0


def test_new_report_follows_a_half_day_members_mode(minimal_team, capsys):
    """Without --half, a half-day member's first report of the day is the morning's, the next the
    afternoon's; a third is refused (it used to create a daily report beside the two halves)."""
    team = minimal_team / "records/team.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("{id: bob, name: Bob, group: north,",
                                                             "{id: bob, name: Bob, group: north, reporting: half-day,"), encoding="utf-8")
    made = []
    for _ in range(2):
        assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-18"]) == 0
        made.append(Path(capsys.readouterr().out.strip()).name)
    assert made == ["2026-11-18-bob-am.md", "2026-11-18-bob-pm.md"]
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-18"]) == 2
    assert "2026-11-18-bob-pm.md already exists" in capsys.readouterr().err
    assert errors_of(minimal_team) == []


@pytest.mark.parametrize("period, expected", [("week", "2026/11/2026-11-08-bob-weekly.md"), ("month", "2026/11/2026-11-30-bob-monthly.md"),
                                              ("quarter", "2026/12/2026-12-31-bob-quarterly.md"),
                                              ("half-year", "2026/12/2026-12-31-bob-half-yearly.md"),
                                              ("year", "2026/12/2026-12-31-bob-yearly.md")])
def test_new_periodic_report_is_dated_the_periods_last_day_with_its_figures(minimal_team, capsys, period, expected):
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--date", "2026-11-05", "--period", period]) == 0
    path = minimal_team / "records/reports" / expected
    assert Path(capsys.readouterr().out.strip()) == path
    text = path.read_text(encoding="utf-8")
    kind = {"week": "weekly", "month": "monthly", "quarter": "quarterly", "half-year": "half-yearly", "year": "yearly"}[period]
    assert text.startswith(f"---\nkind: {kind}\nmember: bob\ndate: {path.name[:10]}")
    # bob's one daily report so far (3 November): 12 phone calls (a contact channel) and 2 visits (meetings)
    assert "reports 1, contacts 12, meetings 2, deals 0, revenue 0" in text
    assert errors_of(minimal_team) == []


def test_new_periodic_report_refuses_an_unknown_period(minimal_team, capsys):
    assert main(["new", "report", "--root", str(minimal_team), "--member", "bob", "--period", "fortnight"]) == 2
    assert "unknown report period 'fortnight' (week, month, quarter, half-year or year)" in capsys.readouterr().err
