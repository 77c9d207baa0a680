"""The check command's formats and exit codes, and the schema export."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from conftest import REPO, write
from sitegen.cli import main


def test_example_team_passes_check(capsys):
    assert main(["check", str(REPO), "--as-of", "2026-11-27"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 errors")


def test_github_and_json_formats(minimal_team, capsys):
    write(minimal_team, "records/customers/x.yaml", "name: X\nowner: bob\nstatus: lead\nsource: a\nownr: b\n")
    assert main(["check", str(minimal_team), "--format", "github", "--as-of", "2026-11-20"]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    assert out[0] == "::error file=records/customers/x.yaml,line=5,col=1,title=sitegen error::ownr: unknown field 'ownr'%0Ahint: did you mean 'owner'?"
    assert main(["check", str(minimal_team), "--format", "json", "--as-of", "2026-11-20"]) == 1
    data = [p for p in json.loads(capsys.readouterr().out) if p["severity"] == "error"]
    assert data == [{"path": "records/customers/x.yaml", "line": 5, "column": 1, "severity": "error", "field": "ownr",
                     "message": "unknown field 'ownr'", "hint": "did you mean 'owner'?",
                     "message_en": "unknown field 'ownr'", "hint_en": "did you mean 'owner'?"}]


def test_strict_makes_warnings_fail(minimal_team, capsys):
    write(minimal_team, "records/customers/y.yaml", "name: Y\nowner: bob\nstatus: prospect\n")
    assert main(["check", str(minimal_team)]) == 0
    assert "warning: status: a customer with status prospect (not yet closed) needs a star rating" in capsys.readouterr().out
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
                                            ("America/Los_Angeles", "2026-11-27")])
def test_the_default_day_is_today_in_the_teams_time_zone(minimal_team, monkeypatch, zone, expected):
    """A CI runner on UTC building at 23:30 builds the Taipei team's next morning, not yesterday."""
    from datetime import datetime

    from sitegen.cli import _today

    config = minimal_team / "sitegen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join(line for line in text.splitlines() if not line.startswith("timezone:"))
                      + f"\ntimezone: {zone}\n", encoding="utf-8")
    moment = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    assert _today(minimal_team).isoformat() == expected
    assert main(["build", str(minimal_team)]) == 0
    shown = {"2026-11-28": "Nov 28, 2026", "2026-11-27": "Nov 27, 2026"}[expected]
    assert f'<p class="as-of">As of {shown}</p>' in (minimal_team / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("line, message, hint", [
    ("timezone: Asia/Taipai", "timezone: unknown time zone 'Asia/Taipai'", "did you mean 'Asia/Taipei'?"),
    ("timezone: Not/AZone", "timezone: unknown time zone 'Not/AZone'",
     "write an IANA name, e.g. Asia/Taipei, Asia/Shanghai, Europe/London or UTC"),
    ("reports: {late_after_time: '25:00'}", "reports.late_after_time: expected a time of day HH:MM from 00:00 to 23:59, got '25:00'",
     "e.g. 10:00 or 09:30"),
    ("reports: {late_after_time: 10am}", "reports.late_after_time: expected a time of day HH:MM from 00:00 to 23:59, got '10am'",
     "e.g. 10:00 or 09:30"),
])
def test_configuration_that_would_fail_silently_is_a_located_error(minimal_team, capsys, line, message, hint):
    """A mistyped zone used to mean UTC and a malformed time 10:00, both passing check."""
    config = minimal_team / "sitegen.yaml"
    kept = [text for text in config.read_text(encoding="utf-8").splitlines() if not text.startswith(("timezone:", "reports:"))]
    config.write_text("\n".join(kept + [line]) + "\n", encoding="utf-8")
    assert main(["check", str(minimal_team), "--as-of", "2026-11-20"]) == 1
    out = capsys.readouterr().out
    assert f"sitegen.yaml:{len(kept) + 1}:" in out and f"error: {message}\n  hint: {hint}\n" in out


def test_settings_that_are_not_used_say_so(minimal_team, capsys):
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "week_start: monday\nstages: ten-day\n", encoding="utf-8")
    assert main(["check", str(minimal_team), "--as-of", "2026-11-20"]) == 0
    out = capsys.readouterr().out
    assert "warning: week_start: 'week_start' is not used by sitegen and will stop being accepted\n  hint: delete the line\n" in out
    assert "warning: stages: 'stages' is not used by sitegen" in out


def test_check_imports_no_renderer(minimal_team):
    """check needs no Jinja2 or Babel, nor the renderer and views: it once spent 1.3 s importing a
    chart library it never used."""
    import subprocess
    import sys

    code = ("import sys; from sitegen.cli import main; main(['check', sys.argv[1], '--as-of', '2026-11-20']); "
            "print(sorted(m for m in ('jinja2', 'babel', 'sitegen.render', 'sitegen.views') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(minimal_team)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_a_bad_import_mapping_is_located_not_a_traceback(tmp_path, capsys):
    from conftest import write

    mapping = write(tmp_path, "mapping.yaml", "accounts: {name: account}\ndeals: {file: d.csv, id: id, member: m, account: a, stage: s}\n")
    assert main(["import", str(mapping), str(tmp_path), "--into", str(tmp_path / "team")]) == 2
    err = capsys.readouterr().err
    assert f"{mapping}:1:11: error: accounts.file: " in err and f"{mapping}:2:8: error: deals.won: " in err
    assert "Traceback" not in err
