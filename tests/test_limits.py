"""Edge values have limits, stated in docs/records.md and checked with located errors; resources
are bounded; any bytes written as a record end in a located problem or the exact value."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, write
from sitegen.build import validate
from sitegen.cli import main
from sitegen.loader import load_yaml_text

AS_OF = date(2026, 11, 20)
CUSTOMER = "records/customers/wang-tea.yaml"
GOAL = "records/plans/2026-11-team-goal.yaml"


def problems_of(root, path):
    return [(p.line, p.column, p.severity, p.field, str(p.message), str(p.hint)) for p in validate(root, AS_OF).problems if p.path == path]


def edit(root, path, old, new):
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old, new, expected", [
    ("created: 2026-09-01", "created: 0001-01-01",
     (6, 10, "error", "created", "'0001-01-01' is outside the years 1900 to 2100", "check the year")),
    ("expected_close: {date: 2026-11-20, value: 120000}", "expected_close: {date: 9999-12-31, value: 120000}",
     (7, 24, "error", "expected_close.date", "'9999-12-31' is outside the years 1900 to 2100", "check the year")),
    ("value: 120000", "value: 1.7e308",
     (7, 43, "error", "expected_close.value", "'1.7e308' is larger than sitegen accepts (1,000,000,000,000)",
      "check for extra digits; amounts and counts are at most a trillion")),
    ("name: Wang Tea House", 'name: "AC\\x1bME"',
     (1, 7, "error", "name", "control character U+001B at character 3 of the text",
      "remove it: it is invisible, and breaks pages and terminals")),
    ("name: Wang Tea House", 'name: "AC\\u0085ME\\u2028X"',
     (1, 7, "error", "name", "control character U+0085 at character 3 of the text",
      "remove it: it is invisible, and breaks pages and terminals")),
    ("name: Wang Tea House", 'name: "AC\\0ME"',
     (1, 7, "error", "name", "control character U+0000 at character 3 of the text",
      "remove it: it is invisible, and breaks pages and terminals")),
    ("source: fair", "source: fair\nactivity_note: {?phone: 3}",
     (6, 17, "error", "activity_note.phone", "an explicit key ('?') is not used in records", "write the key plainly: 'phone: value'")),
])
def test_an_edge_value_is_a_located_error(minimal_team, old, new, expected):
    edit(minimal_team, CUSTOMER, old, new)
    assert expected in problems_of(minimal_team, CUSTOMER)


def test_periods_beyond_the_years_are_not_periods(minimal_team):
    edit(minimal_team, GOAL, "period: 2026-11", "period: 9999-12")
    assert (2, 9, "error", "period", "'9999-12' is not a goal period",
            "write a month (2026-11) or a quarter (2026-Q4)") in problems_of(minimal_team, GOAL)
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 1  # an error, never an OverflowError


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_as_of_beyond_the_years_is_a_usage_error(minimal_team, day, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(minimal_team), "--as-of", day])
    assert exit_.value.code == 2
    assert f"argument --as-of: '{day}' is outside the years 1900 to 2100" in capsys.readouterr().err


def test_joining_in_the_future_is_a_warning_and_far_future_an_error(minimal_team):
    edit(minimal_team, "records/team.yaml", "reports_to: amy}", "reports_to: amy, joined: 2026-12-01}")
    assert (5, 65, "warning", "members[1].joined", "joined 2026-12-01 is after the day the site is built for (2026-11-20)",
            "reports are owed only from the day a member joins to the day they leave; check the year") \
        in problems_of(minimal_team, "records/team.yaml")
    edit(minimal_team, "records/team.yaml", "joined: 2026-12-01", "joined: 9999-12-31")
    assert (5, 65, "error", "members[1].joined", "'9999-12-31' is outside the years 1900 to 2100", "check the year") \
        in problems_of(minimal_team, "records/team.yaml")


@pytest.mark.parametrize("word", ["level {i}", "item"])  # the same word at every level: found by line, not by word
def test_markdown_nested_past_the_renderer_is_kept_and_said(minimal_team, word):
    report = "records/reports/2026/11/2026-11-03-bob.md"
    outline = "\n".join("  " * i + "- " + word.format(i=i) for i in range(12))
    (minimal_team / report).write_text((minimal_team / report).read_text(encoding="utf-8") + "\n" + outline + "\n",
                                       encoding="utf-8")
    found = [p for p in validate(minimal_team, AS_OF).problems if p.path == report and "nested" in str(p.message)]
    text = (minimal_team / report).read_text(encoding="utf-8").split("\n")
    assert [(p.line, p.severity) for p in found] == [(text.index("  " * 9 + "- " + word.format(i=9)) + 1, "warning")]  # the tenth level
    assert str(found[0].message) == ("lists nested 10 levels deep (or quotes 20) are more than a page can lay out: the page shows "
                                "this text as written, without formatting")
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 0
    page = (minimal_team / "site/reports/2026-11-03-bob.html").read_text(encoding="utf-8")
    assert all("  " * i + "- " + word.format(i=i) in page for i in range(12))  # every level is on the page, as written


def test_one_file_yields_at_most_fifty_lines_and_a_count(minimal_team, capsys):
    items = "\n".join(f"  - {{name: c{i}, phone: [{i}]}}" for i in range(20_001))
    write(minimal_team, CUSTOMER, f"name: Wang\nowner: bob\nstatus: lead\ncontacts:\n{items}\n")
    found = [p for p in validate(minimal_team, AS_OF).problems if p.path == CUSTOMER]
    assert len(found) == 51
    assert str(found[-1].message) == "and 19,951 more problems in this file"


def test_ten_thousand_members_check_in_seconds(minimal_team):
    members = "\n".join(f"  - {{id: m{i:05d}, name: Member {i}, group: north, reports_to: amy}}" for i in range(10_000))
    team = minimal_team / "records/team.yaml"
    team.write_text(team.read_text(encoding="utf-8") + members + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = validate(minimal_team, AS_OF)
    assert time.perf_counter() - started < 20  # 84 s before the quadratic steps were found
    assert len(result.records.team.members) == 10_002 and not any(p.is_error for p in result.problems)


# ---------------------------------------------------------------------------------------------
# properties


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_are_values_or_located_problems(raw):
    document, problems = load_yaml_text(raw, "x.yaml")
    for p in problems:
        assert p.path == "x.yaml" and p.line >= 1 and p.column >= 1 and str(p.message)
    if not problems:
        assert document.data is None or isinstance(document.data, (dict, list, str))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_any_name_is_kept_exactly_or_refused_with_a_location(tmp_path_factory, name):
    import shutil

    root = tmp_path_factory.mktemp("prop") / "team"
    shutil.copytree(FIXTURES / "minimal", root)
    text = (root / CUSTOMER).read_text(encoding="utf-8").replace("name: Wang Tea House", f"name: {json.dumps(name)}")
    (root / CUSTOMER).write_bytes(text.encode("utf-8", "surrogatepass"))
    result = validate(root, AS_OF)
    mine = [p for p in result.problems if p.path == CUSTOMER and p.is_error]
    if mine:
        assert all(p.line >= 1 and p.column >= 1 and str(p.message) for p in mine)
    else:
        assert result.records.customers["wang-tea"].name == name


# ---------------------------------------------------------------------------------------------
# messages that tell the truth


@pytest.mark.parametrize("raw, named", [
    ("客户：王记茶行\n备注：𠀀𠀁 新增联系人\n".encode("gb18030"), "GB18030 (Simplified Chinese)"),
    ("客户：王记茶行\n负责人：张三\n".encode("gbk"), "GBK (Simplified Chinese)"),
    ("客戶：王記茶行\n負責人：張三\n".encode("big5"), "Big5 (Traditional Chinese)"),
    ("name: Wang Tea\nowner: bob\n".encode("utf-16-le"), "UTF-16 LE (without a byte-order mark)"),
    ("客戶：王記茶行\n負責人：張三\n".encode("utf-16-le"), "UTF-16 LE (without a byte-order mark)"),
    ("name: Wang Tea\n".encode("utf-16-be"), "UTF-16 BE (without a byte-order mark)"),
    ("name: Café Müller\nnotes: naïve façade — “quoted”\n".encode("cp1252"), "Windows-1252 (Western European)"),
], ids=["gb18030", "gbk", "big5", "utf16le", "utf16le-cjk", "utf16be", "cp1252"])
def test_the_likely_encoding_is_named_correctly(raw, named):
    _, problems = load_yaml_text(raw, "x.yaml")
    assert [str(p.message) for p in problems] == [f"the file is not UTF-8 (it looks like {named})"]


def test_an_invisible_character_in_an_id_is_named_with_its_position(minimal_team, capsys):
    edit(minimal_team, "records/reports/2026/11/2026-11-03-bob.md", "customer: wang-tea", "customer: wang\u200b-tea")
    main(["check", str(minimal_team), "--as-of", str(AS_OF)])
    out = capsys.readouterr().out
    assert ("error: touchpoints[0].customer: 'wang<U+200B>-tea' is not a valid id: character 5 is an invisible "
            "U+200B ZERO WIDTH SPACE\n") in out


def test_no_break_space_indentation_is_named_on_its_line(minimal_team):
    edit(minimal_team, CUSTOMER, "contacts:\n  - {name", "contacts:\n\u00a0 - {name")
    assert (9, 1, "error", "", "no-break space (U+00A0) used for indentation: it looks like a space but YAML does not take it as one",
            "delete the indentation and type it again with ordinary spaces (it often comes from copy-and-paste)") \
        in problems_of(minimal_team, CUSTOMER)


def test_terminal_output_never_carries_escape_sequences_or_split_lines(minimal_team, capsys):
    write(minimal_team, "records/customers/bad\x1b[31mname\nfake.yaml", "name: x\n")
    edit(minimal_team, CUSTOMER, "source: fair", 'source: fair\nregion: "\\x1b]0;pwned\\x07"')
    main(["check", str(minimal_team), "--as-of", str(AS_OF)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "records/customers/bad<U+001B>[31mname<U+000A>fake.yaml:1:1: error:" in out
    assert all(line.startswith(("records/", "  hint:", "sitegen.yaml")) or line[0].isdigit() for line in out.splitlines())


def test_a_huge_sparse_file_is_refused_by_its_size_and_never_read(minimal_team, capsys):
    """8 GB that take no disk: check reported the size while build hashed it whole (MemoryError)."""
    huge = minimal_team / "records/customers/huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(8 << 30)
    started = time.perf_counter()
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 1
    assert time.perf_counter() - started < 30
    assert ("records/customers/huge.yaml:1:1: error: file is 8,589,934,592 bytes, over the 1,000,000-byte limit for a record"
            in capsys.readouterr().err)
