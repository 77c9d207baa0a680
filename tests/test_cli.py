"""The check command's formats and exit codes, and the schema export."""

from __future__ import annotations

import json

import pytest

from sitegen.cli import main

from conftest import REPO, write


def test_example_team_passes_check(capsys):
    assert main(["check", str(REPO), "--as-of", "2026-11-27"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 errors")


def test_github_and_json_formats(minimal_team, capsys):
    write(minimal_team, "records/customers/x.yaml", "name: X\nowner: bob\nstatus: lead\nsource: a\nownr: b\n")
    assert main(["check", str(minimal_team), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "::error file=records/customers/x.yaml,line=5,col=1,title=sitegen error::ownr: unknown field 'ownr'%0Ahint: did you mean 'owner'?"
    assert main(["check", str(minimal_team), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == [{"path": "records/customers/x.yaml", "line": 5, "column": 1, "severity": "error", "field": "ownr",
                     "message": "unknown field 'ownr'", "hint": "did you mean 'owner'?"}]


def test_strict_makes_warnings_fail(minimal_team, capsys):
    write(minimal_team, "records/customers/y.yaml", "name: Y\nowner: bob\nstatus: prospect\n")
    assert main(["check", str(minimal_team)]) == 0
    assert "warning: status: a prospect needs a star rating" in capsys.readouterr().out
    assert main(["check", str(minimal_team), "--strict"]) == 1


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2
    assert main(["check", str(tmp_path / "missing")]) == 2


def test_missing_configuration_is_a_problem_not_a_traceback(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "sitegen.yaml:1:1: error: no sitegen.yaml in" in out


def test_schema_export_is_valid_json_schema(tmp_path):
    import jsonschema
    import yaml

    assert main(["schema", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["customer.schema.json", "plan.schema.json", "report.schema.json", "sitegen.schema.json", "team.schema.json"]
    customer_schema = json.loads((tmp_path / "customer.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(customer_schema)
    example = yaml.safe_load((REPO / "tests/fixtures/minimal/records/customers/wang-tea.yaml").read_text())
    example = json.loads(json.dumps(example, default=str))
    jsonschema.validate(example, customer_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**example, "ownr": "x"}, customer_schema)


@pytest.mark.parametrize("zone, expected", [("Asia/Taipei", "2026-11-28"), ("UTC", "2026-11-27"),
                                            ("America/Los_Angeles", "2026-11-27"), ("Not/AZone", "2026-11-27")])
def test_the_default_day_is_today_in_the_teams_time_zone(minimal_team, monkeypatch, zone, expected):
    """A CI runner on UTC building at 23:30 builds the Taipei team's next morning, not yesterday."""
    from datetime import datetime, timezone

    from sitegen.cli import _today

    config = minimal_team / "sitegen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join(line for line in text.splitlines() if not line.startswith("timezone:"))
                      + f"\ntimezone: {zone}\n", encoding="utf-8")
    moment = datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    assert _today(minimal_team).isoformat() == expected
    assert main(["build", str(minimal_team)]) == 0
    shown = {"2026-11-28": "Nov 28, 2026", "2026-11-27": "Nov 27, 2026"}[expected]
    assert f'<p class="as-of">As of {shown}</p>' in (minimal_team / "site" / "index.html").read_text(encoding="utf-8")
