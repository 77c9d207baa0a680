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


def test_signed_mode_trusts_only_reports_added_in_commits_git_verifies(minimal_team, tmp_path):
    """reports: {signed: true}: a committer date anyone can set is trusted only under a signature git
    verifies (an SSH key in the allowed signers file here); a report added unsigned counts as late."""
    from sitegen.gitdates import UNTRUSTED

    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "t@example.com", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text("t@example.com " + (tmp_path / "key.pub").read_text())
    git(minimal_team, "init", "-q")
    for setting, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("gpg.ssh.allowedSignersFile", str(signers))):
        git(minimal_team, "config", setting, value)
    commit(minimal_team, ["."], "2026-11-01T00:00:00Z")
    report(minimal_team, "2026-11-05")
    git(minimal_team, "add", "records/reports/2026/11/2026-11-05-bob.md")
    git(minimal_team, "commit", "-q", "-S", "-m", "signed", when="2026-11-05T10:00:00Z")  # 18:00 in Taipei: on time
    report(minimal_team, "2026-11-06")
    commit(minimal_team, ["records/reports/2026/11/2026-11-06-bob.md"], "2026-11-06T10:00:00Z")  # on time, but unsigned

    assert len(report_commit_times(minimal_team)) == 3  # not asked for: every time is trusted as before
    cache = tmp_path / "signatures.json"
    times = report_commit_times(minimal_team, signed=True, cache=cache)
    assert times["records/reports/2026/11/2026-11-05-bob.md"] == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    assert times["records/reports/2026/11/2026-11-06-bob.md"] == UNTRUSTED == times["records/reports/2026/11/2026-11-03-bob.md"]
    comp = validate(minimal_team, AS_OF, times).metrics.action.compliance["bob"]
    assert (comp.judged, comp.late) == (3, 2)
    assert report_commit_times(minimal_team, signed=True, cache=cache) == times  # verdicts kept by commit
