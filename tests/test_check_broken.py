"""The broken team: each file holds one kind of mistake, and each is reported exactly once,
with its file, line, column, field, message and hint. All problems come out of one run."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import parsed_elsewhere, write
from sitegen.build import validate

CUST = "records/customers/"
REP = "records/reports/2026/11/"
PLAN = "records/plans/"
GOOD_CUSTOMER = "name: X\nowner: bob\nstatus: lead\n"
def report(front: str, name="2026-11-04-bob.md"):
    return REP + name, "---\n" + front + "---\nbody\n"
CASES = {
  # --- the loader: YAML and text ------------------------------------------------------------
  "anchor": (CUST + "anchor.yaml", "name: &n X\nowner: bob\nstatus: lead\n"),
  "alias": (CUST + "alias.yaml", "name: X\nowner: bob\nstatus: lead\nsource: *n\n"),
  "merge-key": (CUST + "merge-key.yaml", "name: X\n<<: {owner: bob}\nstatus: lead\n"),
  "python-tag": (CUST + "python-tag.yaml", "name: !!python/object/apply:os.system ['ls']\nowner: bob\nstatus: lead\n"),
  "custom-tag": (CUST + "custom-tag.yaml", "name: !secret X\nowner: bob\nstatus: lead\n"),
  "duplicate-key": (CUST + "duplicate-key.yaml", "name: X\nowner: bob\nstatus: lead\nname: Y\n"),
  "syntax": (CUST + "syntax.yaml", "name: [X\nowner: bob\n"),
  "two-documents": (CUST + "two-documents.yaml", "name: X\nowner: bob\nstatus: lead\n---\nname: Y\n"),
  "not-mapping": (CUST + "not-mapping.yaml", "- name: X\n"),
  "empty-file": (CUST + "empty-file.yaml", ""),
  "gbk": (CUST + "gbk.yaml", "name: 王记茶行\nowner: bob\nstatus: lead\n".encode("gbk")),
  "big5": (CUST + "big5.yaml", "name: 王記茶行\nowner: bob\nstatus: lead\n".encode("big5")),
  "cp1252": (CUST + "cp1252.yaml", "name: Caf\xe9 R\xf6sti\nowner: bob\nstatus: lead\n".encode("cp1252")),
  "nul-char": (CUST + "nul-char.yaml", b"name: X\x00\nowner: bob\nstatus: lead\n"),
  "control-char": (CUST + "control-char.yaml", b"name: X\nowner: bob\x1b\nstatus: lead\n"),
  "fullwidth-colon": (CUST + "fullwidth-colon.yaml", "name: X\nowner\uff1a bob\nstatus: lead\n"),
  "ideographic-space": (CUST + "ideographic-space.yaml", "name: X\ncontacts:\n\u3000- name: Y\nowner: bob\nstatus: lead\n"),
  "tab-indent": (CUST + "tab-indent.yaml", "name: X\ncontacts:\n\t- name: Y\nowner: bob\nstatus: lead\n"),
  "too-deep": (CUST + "too-deep.yaml", "name: X\nowner: bob\nstatus: lead\nnotes: " + "[" * 30 + "]" * 30 + "\n"),
  "too-large": (CUST + "too-large.yaml", "name: X\nowner: bob\nstatus: lead\nnotes: '" + "x" * 1_000_001 + "'\n"),
  # --- front matter ------------------------------------------------------------------------
  "no-front-matter": (REP + "2026-11-05-bob.md", "member: bob\ndate: 2026-11-05\n"),
  "unclosed-front-matter": (REP + "2026-11-06-bob.md", "---\nmember: bob\ndate: 2026-11-06\n"),
  "empty-front-matter": (REP + "2026-11-09-bob.md", "---\n---\nbody\n"),
  "front-matter-list": (REP + "2026-11-10-bob.md", "---\n- member: bob\n---\nbody\n"),
  "front-matter-too-large": (REP + "2026-11-11-bob.md", "---\nmember: bob\ndate: 2026-11-11\nhelp: '" + "x" * 70_000 + "'\n---\n"),
  # --- schema: types and values ------------------------------------------------------------
  "number-with-unit": (CUST + "number-with-unit.yaml", GOOD_CUSTOMER + "deals:\n  - date: 2026-10-01\n    amount: 12k\n"),
  "number-with-commas": (CUST + "number-with-commas.yaml", GOOD_CUSTOMER + "deals:\n  - {date: 2026-10-01, amount: '12,000'}\n"),
  "infinite-number": (CUST + "infinite-number.yaml", GOOD_CUSTOMER + "deals:\n  - {date: 2026-10-01, amount: .inf}\n"),
  "nan-number": (CUST + "nan-number.yaml", GOOD_CUSTOMER + "deals:\n  - {date: 2026-10-01, amount: .nan}\n"),
  "impossible-date": (CUST + "impossible-date.yaml", GOOD_CUSTOMER + "created: 2026-02-30\n"),
  "slash-date": (CUST + "slash-date.yaml", GOOD_CUSTOMER + "created: 2026/11/05\n"),
  "yes-boolean": report("member: bob\ndate: 2026-11-12\ntouchpoints:\n  - {customer: wang-tea, channel: visit, purpose: demo, proposal: yes}\n", "2026-11-12-bob.md"),
  "unknown-field": (CUST + "unknown-field.yaml", GOOD_CUSTOMER + "ownr: amy\n"),
  "missing-field": (CUST + "missing-field.yaml", "name: X\nstatus: lead\n"),
  "bad-enum": (CUST + "bad-enum.yaml", "name: X\nowner: bob\nstatus: prospekt\n"),
  "stars-out-of-range": (CUST + "stars-out-of-range.yaml", "name: X\nowner: bob\nstatus: prospect\nstars: 6\n"),
  "list-expected": (CUST + "list-expected.yaml", GOOD_CUSTOMER + "contacts: Mr Wang\n"),
  "mapping-expected": (CUST + "mapping-expected.yaml", GOOD_CUSTOMER + "expected_close: soon\n"),
  "fraction-count": report("member: bob\ndate: 2026-11-13\nactivity: {phone: 2.5}\n", "2026-11-13-bob.md"),
  "bad-kind": (PLAN + "bad-kind.yaml", "kind: goals\nperiod: 2026-12\nmust: 1\nchallenge: 2\n"),
  "bad-period": (PLAN + "bad-period.yaml", "kind: goal\nperiod: 2026-13\nmust: 1\nchallenge: 2\n"),
  # --- ids ---------------------------------------------------------------------------------
  "bad-file-id": (CUST + "Wang Tea.yaml", GOOD_CUSTOMER),
  "reserved-id": (CUST + "con.yaml", GOOD_CUSTOMER),
  "duplicate-id": (CUST + "north/wang-tea.yaml", GOOD_CUSTOMER),
  "bad-id-value": (PLAN + "bad-id-value.yaml", "kind: plan\nmember: bob\nperiod: week\nstart: 2026-11-09\nend: 2026-11-15\nitems:\n  - {id: Call.Back, what: call}\n"),
  # --- references --------------------------------------------------------------------------
  "unknown-owner": (CUST + "unknown-owner.yaml", "name: X\nowner: bobb\nstatus: lead\n"),
  "unknown-customer": report("member: bob\ndate: 2026-11-16\ntouchpoints:\n  - {customer: c-9999, channel: phone, purpose: intro}\nactivity: {phone: 1}\n", "2026-11-16-bob.md"),
  "unknown-channel": report("member: bob\ndate: 2026-11-17\nactivity: {phone: 3, fone: 2}\n", "2026-11-17-bob.md"),
  "unknown-plan-item": report("member: bob\ndate: 2026-11-18\nprogress:\n  - {plan: 2026-11-02-bob-week, item: demoo, status: done}\n", "2026-11-18-bob.md"),
  "unknown-reviewer": report("kind: review\nmember: bob\nreviewer: zed\ndate: 2026-11-19\ntype: spot\nfeedback: ok\n", "2026-11-19-bob-review.md"),
  "unknown-reports-to": None,  # written into team.yaml by the test
}

EXPECTED = [
    ('records/customers/Wang Tea.yaml', 1, 1, '', "file name: 'Wang Tea' is not a valid id", "ids use lowercase ASCII letters, digits and single hyphens (they become file names and URLs), e.g. 'wang-tea' — the file name is the record's id"),
    ('records/customers/alias.yaml', 4, 9, 'source', "alias '*n' is not allowed", 'anchors and aliases are refused in records; write the value out in full'),
    ('records/customers/anchor.yaml', 1, 7, 'name', "anchor '&n' is not allowed", 'anchors and aliases are refused in records; write each value out in full'),
    ('records/customers/bad-enum.yaml', 3, 9, 'status', "expected one of lead, prospect, customer, lost, dormant; got 'prospekt'", "did you mean 'prospect'?"),
    ('records/customers/big5.yaml', 1, 7, '', 'the file is not UTF-8 (it looks like Big5 (Traditional Chinese))', "re-save it as UTF-8: in VS Code, click the encoding in the status bar, 'Reopen with Encoding' → Big5, then 'Save with Encoding' → UTF-8"),
    ('records/customers/con.yaml', 1, 1, '', "file name: 'con' is a reserved name and cannot be an id", "add a word, e.g. 'con-1' — the file name is the record's id"),
    ('records/customers/control-char.yaml', 2, 11, '', 'control character U+001B is not allowed in a record', 'delete it; it is invisible in most editors (it often comes from copy-and-paste)'),
    ('records/customers/cp1252.yaml', 1, 10, '', 'the file is not UTF-8 (it looks like Windows-1252 (Western European))', "re-save it as UTF-8: in VS Code, click the encoding in the status bar, 'Reopen with Encoding' → Windows-1252, then 'Save with Encoding' → UTF-8"),
    ('records/customers/custom-tag.yaml', 1, 7, 'name', "tag '!secret' is not allowed", 'records use plain values only; remove the tag'),
    ('records/customers/duplicate-key.yaml', 4, 1, 'name', "duplicate key 'name' (first written on line 1)", 'a key may appear once in a mapping; remove or rename one of them'),
    ('records/customers/empty-file.yaml', 1, 1, '', 'a record must be a mapping of fields, found nothing', "write one 'field: value' per line"),
    ('records/customers/fullwidth-colon.yaml', 2, 6, '', "full-width colon '：' after a field name", "the Chinese input method typed '：'; write an ASCII colon and a space: 'name: value'"),
    ('records/customers/gbk.yaml', 1, 7, '', 'the file is not UTF-8 (it looks like GBK (Simplified Chinese))', "re-save it as UTF-8: in VS Code, click the encoding in the status bar, 'Reopen with Encoding' → GBK, then 'Save with Encoding' → UTF-8"),
    ('records/customers/ideographic-space.yaml', 3, 1, '', 'ideographic space (U+3000, full-width space) used for indentation', 'switch the input method to half-width and indent with ordinary spaces'),
    ('records/customers/impossible-date.yaml', 4, 10, 'created', "'2026-02-30' is not a real date", 'check the month and the day of the month'),
    ('records/customers/infinite-number.yaml', 5, 32, 'deals[0].amount', "expected a number, got '.inf'", 'infinity and NaN are not amounts; write a finite number'),
    ('records/customers/list-expected.yaml', 4, 11, 'contacts', "expected a list, got 'Mr Wang'", "write each item on its own line starting with '- '"),
    ('records/customers/mapping-expected.yaml', 4, 17, 'expected_close', "expected a mapping of fields, got 'soon'", "write 'field: value' lines indented under this key"),
    ('records/customers/merge-key.yaml', 2, 1, '', "merge key '<<' is not allowed", 'write the fields out in full; merge keys hide where a value comes from'),
    ('records/customers/missing-field.yaml', 1, 1, 'owner', 'required field is missing', "add 'owner: …'"),
    ('records/customers/nan-number.yaml', 5, 32, 'deals[0].amount', "expected a number, got '.nan'", 'infinity and NaN are not amounts; write a finite number'),
    ('records/customers/not-mapping.yaml', 1, 1, '', 'a record must be a mapping of fields, found a list', "write one 'field: value' per line"),
    ('records/customers/nul-char.yaml', 1, 8, '', 'control character NUL is not allowed in a record', 'delete it; it is invisible in most editors (it often comes from copy-and-paste)'),
    ('records/customers/number-with-commas.yaml', 5, 32, 'deals[0].amount', "expected a number, got '12,000'", 'write the number without thousands separators, e.g. 12000'),
    ('records/customers/number-with-unit.yaml', 6, 13, 'deals[0].amount', "expected a number, got '12k'", 'write the full number, e.g. 12000 — no units; the currency is set in sitegen.yaml'),
    ('records/customers/python-tag.yaml', 1, 7, 'name', "tag '!!python/object/apply:os.system' is not allowed", 'records use plain values only; remove the tag'),
    ('records/customers/slash-date.yaml', 4, 10, 'created', "expected a date (YYYY-MM-DD), got '2026/11/05'", 'write dates with hyphens: 2026-11-05'),
    ('records/customers/stars-out-of-range.yaml', 4, 8, 'stars', "expected a star level from 1 to 5, got '6'", ''),
    ('records/customers/syntax.yaml', 2, 6, '', "YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'", 'check the indentation and quoting on this line and the line above'),
    ('records/customers/tab-indent.yaml', 3, 1, '', 'tab used for indentation', 'YAML indents with spaces only; replace the tab with spaces'),
    ('records/customers/too-deep.yaml', 4, 31, 'notes[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]', 'nesting deeper than 24 levels', 'records are at most a few levels deep; check the indentation'),
    ('records/customers/too-large.yaml', 1, 1, '', 'file is 1,000,043 bytes, over the 1,000,000-byte limit for a record', 'split it into several records; a record this large is almost certainly a mistake'),
    ('records/customers/two-documents.yaml', 4, 1, '', 'a record file holds one YAML document; found a second one', "remove the '---' line, or split the records into separate files"),
    ('records/customers/unknown-field.yaml', 4, 1, 'ownr', "unknown field 'ownr'", "did you mean 'owner'?"),
    ('records/customers/unknown-owner.yaml', 2, 8, 'owner', "unknown member 'bobb'", "did you mean 'bob'?"),
    ('records/customers/wang-tea.yaml', 1, 1, '', "duplicate id 'wang-tea': records/customers/north/wang-tea.yaml has the same file name", 'ids are file names and must be unique across folders; rename one of the files'),
    ('records/plans/bad-id-value.yaml', 7, 10, 'items[0].id', "'Call.Back' is not a valid id", "ids use lowercase ASCII letters, digits and single hyphens (they become file names and URLs), e.g. 'call-back'"),
    ('records/plans/bad-kind.yaml', 1, 7, 'kind', "kind 'goals' is not a kind of record here", "did you mean 'goal'? (write one of: goal, plan)"),
    ('records/plans/bad-period.yaml', 2, 9, 'period', "'2026-13' is not a goal period", 'write a month (2026-11) or a quarter (2026-Q4)'),
    ('records/reports/2026/11/2026-11-05-bob.md', 1, 1, '', "missing front matter: the file must start with a '---' line", "begin the report with '---', the fields (member, date, …), then another '---'"),
    ('records/reports/2026/11/2026-11-06-bob.md', 1, 1, '', "front matter is not closed: no second '---' line", "add a line with just '---' after the last field"),
    ('records/reports/2026/11/2026-11-09-bob.md', 1, 1, '', 'front matter is empty', "write the report's fields between the two '---' lines"),
    ('records/reports/2026/11/2026-11-10-bob.md', 2, 1, '', 'a record must be a mapping of fields, found a list', "write one 'field: value' per line"),
    ('records/reports/2026/11/2026-11-11-bob.md', 2, 1, '', 'front matter is 70,038 characters, over the 64,000 limit', "move long text into the Markdown body below the second '---'"),
    ('records/reports/2026/11/2026-11-12-bob.md', 5, 67, 'touchpoints[0].proposal', "expected true or false, got 'yes'", 'write true or false (yes/no/on/off are not accepted, to avoid surprises)'),
    ('records/reports/2026/11/2026-11-13-bob.md', 4, 19, 'activity.phone', "expected a whole number, got '2.5'", 'counts are whole numbers, e.g. 3'),
    ('records/reports/2026/11/2026-11-16-bob.md', 5, 16, 'touchpoints[0].customer', "unknown customer 'c-9999'", 'define it first (records/customers/<id>.yaml)'),
    ('records/reports/2026/11/2026-11-17-bob.md', 4, 28, 'activity.fone', "unknown channel 'fone'", "did you mean 'phone'?"),
    ('records/reports/2026/11/2026-11-18-bob.md', 5, 39, 'progress[0].item', "unknown plan item 'demoo'", "did you mean 'demo'?"),
    ('records/reports/2026/11/2026-11-19-bob-review.md', 4, 11, 'reviewer', "unknown member 'zed'", 'define it first (records/team.yaml)'),
    ('records/team.yaml', 5, 52, 'members[1].reports_to', "unknown member 'amyy'", "did you mean 'amy'?"),
]


def test_every_mistake_is_located_exactly(minimal_team):
    for case in CASES.values():
        if case is not None:
            write(minimal_team, *case)
    team = minimal_team / "records/team.yaml"
    team.write_text(team.read_text().replace("reports_to: amy", "reports_to: amyy"), encoding="utf-8")

    result = validate(minimal_team, date(2026, 11, 20))

    found = [(p.path, p.line, p.column, p.field, str(p.message), str(p.hint)) for p in result.problems if p.is_error]
    assert found == EXPECTED
    assert len(CASES) >= 30
    # 30 broken files hide none of the findings on the valid records (issue 14: "1 error, 0 warnings")
    findings = {(p.path, str(p.message)) for p in result.problems if not p.is_error}
    assert ("records/plans/2026-11-team-goal.yaml",
            "Amy's pipeline covers 0% of their must share (0 expected to close against 100,000; short by 100,000)") in findings
    assert result.metrics is not None and not result.ok


def test_the_broken_team_is_reported_by_the_cli_without_a_traceback(minimal_team, capsys):
    from sitegen.cli import main

    write(minimal_team, *CASES["number-with-unit"])
    write(minimal_team, *CASES["unknown-customer"])
    assert main(["check", str(minimal_team), "--as-of", "2026-11-20"]) == 1
    out = capsys.readouterr().out
    assert out == (
        "records/customers/number-with-unit.yaml:6:13: error: deals[0].amount: expected a number, got '12k'\n"
        "  hint: write the full number, e.g. 12000 — no units; the currency is set in sitegen.yaml\n"
        "records/plans/2026-11-team-goal.yaml:6:25: warning: members[0].must: Amy's pipeline covers 0% of their must share "
        "(0 expected to close against 100,000; short by 100,000)\n"
        "  hint: back the share with customers expected to close this period, or revisit the share\n"
        "records/reports/2026/11/2026-11-16-bob.md:5:16: error: touchpoints[0].customer: unknown customer 'c-9999'\n"
        "  hint: define it first (records/customers/<id>.yaml)\n"
        "2 errors, 1 warning in 3 files\n"
    )


@pytest.mark.parametrize("cache", [False, True])
def test_files_parsed_by_a_second_process_are_reported_the_same(minimal_team, monkeypatch, cache):
    """A cold load gives half the files to another process (records.Parser): every mistake is
    still located exactly, first from that process's results, then from the cache they went to."""
    taken = parsed_elsewhere(monkeypatch, 1)
    for case in CASES.values():
        if case is not None:
            write(minimal_team, *case)
    team = minimal_team / "records/team.yaml"
    team.write_text(team.read_text().replace("reports_to: amy", "reports_to: amyy"), encoding="utf-8")

    refused = {path for path, _line, _column, _field, message, _hint in EXPECTED if message.startswith(("file name", "duplicate id"))}
    for run in range(2 if cache else 1):
        taken.clear()
        result = validate(minimal_team, date(2026, 11, 20), cache=cache, workers=2)
        found = [(p.path, p.line, p.column, p.field, str(p.message), str(p.hint)) for p in result.problems if p.is_error]
        assert found == EXPECTED
        if run == 0:
            assert len(taken) >= 20
        else:  # every file from the cache, but those refused by their name, which are never stored
            assert set(taken) <= refused
