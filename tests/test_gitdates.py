"""Lateness judged by the time a report's file was first committed (docs/records.md, "Late reports")."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime

from conftest import write
from sitegen.build import validate
from sitegen.gitdates import report_commit_times

AS_OF = date(2026, 11, 20)


def git(root, *args, when: str | None = None):
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.com")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit(root, paths, when):
    git(root, "add", *paths)
    git(root, "commit", "-q", "-m", "add", when=when)


def report(root, day, member="bob"):
    return write(root, f"records/reports/2026/11/{day}-{member}.md", f"---\nmember: {member}\ndate: {day}\n---\n")


def test_a_report_committed_at_or_after_ten_the_next_morning_is_late(minimal_team):
    git(minimal_team, "init", "-q")
    commit(minimal_team, ["sitegen.yaml", "records/team.yaml", "records/customers", "records/plans"], "2026-10-01T00:00:00Z")
    # the team's time zone is Asia/Taipei (UTC+8): 10:00 there is 02:00 UTC
    commit(minimal_team, ["records/reports/2026/11/2026-11-03-bob.md"], "2026-11-04T01:59:59Z")  # 09:59:59 next day
    report(minimal_team, "2026-11-05")
    commit(minimal_team, ["records/reports/2026/11/2026-11-05-bob.md"], "2026-11-06T02:00:00Z")  # 10:00 next day: late
    report(minimal_team, "2026-11-06")
    commit(minimal_team, ["records/reports/2026/11/2026-11-06-bob.md"], "2026-11-06T23:00:00Z")  # 07:00 the 7th
    # editing a report later does not make it late: the commit that added the file counts
    write(minimal_team, "records/reports/2026/11/2026-11-06-bob.md", "---\nmember: bob\ndate: 2026-11-06\nhelp: none\n---\n")
    commit(minimal_team, ["records/reports/2026/11/2026-11-06-bob.md"], "2026-11-19T12:00:00Z")

    times = report_commit_times(minimal_team)
    assert times == {
        "records/reports/2026/11/2026-11-03-bob.md": datetime(2026, 11, 4, 1, 59, 59, tzinfo=UTC),
        "records/reports/2026/11/2026-11-05-bob.md": datetime(2026, 11, 6, 2, 0, tzinfo=UTC),
        "records/reports/2026/11/2026-11-06-bob.md": datetime(2026, 11, 6, 23, 0, tzinfo=UTC),
    }
    result = validate(minimal_team, AS_OF, times)
    comp = result.metrics.action.compliance["bob"]
    assert (comp.submitted, comp.judged, comp.late) == (3, 3, 1)


def test_a_bulk_commit_is_not_judged_and_outside_git_nothing_is(minimal_team):
    for day in range(2, 28):
        report(minimal_team, f"2026-10-{day:02d}")
    assert report_commit_times(minimal_team) == {}  # not a repository: nothing judged, nothing fails
    git(minimal_team, "init", "-q")
    commit(minimal_team, ["."], "2026-11-25T00:00:00Z")  # 27 reports in one commit: an import
    assert report_commit_times(minimal_team) == {}
    report(minimal_team, "2026-11-04")
    commit(minimal_team, ["records/reports/2026/11/2026-11-04-bob.md"], "2026-11-20T00:00:00Z")
    assert list(report_commit_times(minimal_team)) == ["records/reports/2026/11/2026-11-04-bob.md"]
    comp = validate(minimal_team, AS_OF, report_commit_times(minimal_team)).metrics.action.compliance["bob"]
    assert (comp.judged, comp.late) == (1, 1)


def test_records_in_a_subfolder_of_the_repository(tmp_path, minimal_team):
    repo = minimal_team.parent
    git(repo, "init", "-q")
    commit(repo, ["team/records/reports/2026/11/2026-11-03-bob.md"], "2026-11-03T09:00:00Z")
    assert report_commit_times(minimal_team) == {
        "records/reports/2026/11/2026-11-03-bob.md": datetime(2026, 11, 3, 9, 0, tzinfo=UTC)}
