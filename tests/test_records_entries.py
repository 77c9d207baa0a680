"""Every entry under records/ is read, or reported once with its path and what to do: nothing a
team saved is dropped from the site without a line that says so, and nothing that is not an
ordinary file inside records/ is ever opened."""

from __future__ import annotations

import os
from datetime import date

import pytest
from markupsafe import escape

from conftest import write
from sitegen.build import validate
from sitegen.cli import main

AS_OF = date(2026, 11, 20)
CUSTOMER = "name: New Shop\nowner: bob\nstatus: lead\n"


def plant(root, tmp_path) -> None:
    customers, reports = root / "records/customers", root / "records/reports/2026/11"
    (customers / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (customers / "loop-a.yaml").symlink_to(customers / "loop-b.yaml")
    (customers / "loop-b.yaml").symlink_to(customers / "loop-a.yaml")
    (customers / "outside.yaml").symlink_to(write(tmp_path, "elsewhere/outside.yaml", CUSTOMER))
    os.mkfifo(reports / "2026-11-04-bob.md")
    (customers / "wang-tea-2.yaml").mkdir()
    write(customers / "wang-tea-2.yaml", "inside.yaml", CUSTOMER)
    write(customers, ".new-shop.yaml", CUSTOMER)
    write(root / "records/reports/.drafts", "2026-11-05-bob.md", "---\nmember: bob\ndate: 2026-11-05\n---\n")
    write(root / "records/Customers", "chen.yaml", CUSTOMER)
    write(reports, "2026-11-06-bob.markdown", "---\nmember: bob\ndate: 2026-11-06\n---\n")
    write(reports, "2026-11-09-bob.txt", "---\nmember: bob\ndate: 2026-11-09\n---\n")
    write(customers, "li-farm.md", CUSTOMER)
    write(customers, "zhao-shop.yaml.", CUSTOMER)
    write(root / "records", "notes.yaml", CUSTOMER)
    # housekeeping and editors' temporary files are not records and not worth a line
    write(customers, ".gitkeep", "")
    write(customers, "README.md", "Our customers.\n")
    write(customers, ".lin-bakery.yaml.swp", "swap")


EXPECTED = [
    ("records/Customers", "warning", "'Customers' is not a records folder: nothing in it is read", "did you mean records/customers/?"),
    ("records/customers/.new-shop.yaml", "warning", "hidden file: not read",
     "rename it to 'new-shop.yaml' if it is a record, or delete it"),
    ("records/customers/dangling.yaml", "warning", "symbolic link: not read", "copy the file into records/ instead of linking to it"),
    ("records/customers/li-farm.md", "warning", "not read: records/customers holds .yaml or .yml files", "rename it to 'li-farm.yaml'"),
    ("records/customers/loop-a.yaml", "warning", "symbolic link: not read", "copy the file into records/ instead of linking to it"),
    ("records/customers/loop-b.yaml", "warning", "symbolic link: not read", "copy the file into records/ instead of linking to it"),
    ("records/customers/outside.yaml", "warning", "symbolic link: not read", "copy the file into records/ instead of linking to it"),
    ("records/customers/wang-tea-2.yaml", "warning", "a folder named like a record file: nothing in it is read",
     "a record is a file; rename or remove the folder"),
    ("records/customers/zhao-shop.yaml.", "warning", "not read: records/customers holds .yaml or .yml files",
     "remove the trailing '.' from the name: 'zhao-shop.yaml'"),
    ("records/notes.yaml", "warning", "file is not in a records folder and is not read",
     "records go in records/customers, records/plans or records/reports"),
    ("records/reports/.drafts", "warning", "hidden folder: nothing in it is read",
     "records in a hidden folder never reach the site; move them out or delete the folder"),
    ("records/reports/2026/11/2026-11-04-bob.md", "warning", "not a regular file (a named pipe): not read",
     "records are ordinary files; replace it with one"),
    ("records/reports/2026/11/2026-11-06-bob.markdown", "warning", "not read: records/reports holds .md files",
     "rename it to '2026-11-06-bob.md'"),
    ("records/reports/2026/11/2026-11-09-bob.txt", "warning", "not read: records/reports holds .md files",
     "rename it to '2026-11-09-bob.md'"),
]


def test_every_entry_is_read_or_reported_once(minimal_team, tmp_path):
    plant(minimal_team, tmp_path)
    result = validate(minimal_team, AS_OF)
    entries = [(p.path, p.severity, str(p.message), str(p.hint)) for p in result.problems if p.path.startswith("records/")
               and (p.line, p.column) == (1, 1) and "read" in str(p.message)]
    assert entries == EXPECTED
    assert set(result.records.customers) == {"lin-bakery", "wang-tea"}  # nothing planted was read


def test_check_prints_each_once_and_the_problems_page_lists_them(minimal_team, tmp_path, capsys):
    plant(minimal_team, tmp_path)
    main(["check", str(minimal_team), "--as-of", str(AS_OF)])
    out = capsys.readouterr().out
    for path, severity, message, _ in EXPECTED:
        assert out.count(f"{path}:1:1: {severity}: {message}\n") == 1, path
    assert main(["build", str(minimal_team), "--as-of", str(AS_OF)]) == 0  # a FIFO never blocks a build
    page = (minimal_team / "site/problems.html").read_text(encoding="utf-8")
    for path, _, message, _ in EXPECTED:
        assert str(escape(path)) in page and str(escape(message)) in page, path


@pytest.mark.parametrize("make, message", [
    (lambda f, tmp: os.mkfifo(f), "is a named pipe, not a file, and is not read"),
    (lambda f, tmp: f.mkdir(), "is a folder, not a file"),
    (lambda f, tmp: f.symlink_to("/etc/passwd"), "is a symbolic link, and is not read"),
])
def test_a_team_file_that_is_not_a_file_is_named_for_what_it_is(minimal_team, tmp_path, make, message, capsys):
    team = minimal_team / "records/team.yaml"
    team.unlink()
    make(team, tmp_path)
    assert main(["check", str(minimal_team), "--as-of", str(AS_OF)]) == 1
    out = capsys.readouterr().out
    assert f"records/team.yaml:1:1: error: {message}\n" in out
    assert "root:" not in out  # the content of what a link points to is never read, so never shown


def test_every_report_cadence_of_the_method_is_accepted(minimal_team):
    """Half-yearly and yearly reports were rejected (issue 18): the method asks for every cadence."""
    from datetime import date

    from conftest import write
    from sitegen.build import validate

    for kind, day in (("half-yearly", "2026-06-30"), ("yearly", "2025-12-31")):
        write(minimal_team, f"records/reports/{day[:4]}/{day[5:7]}/{day}-bob-{kind}.md",
              f"---\nkind: {kind}\nmember: bob\ndate: {day}\n---\nLooking back.\n")
    result = validate(minimal_team, date(2026, 11, 20))
    assert [p for p in result.problems if p.is_error] == []
    assert sorted(r.kind for r in result.records.reports.values() if r.kind != "daily") == ["half-yearly", "yearly"]
