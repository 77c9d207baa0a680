"""``sitegen build --at COMMIT``: the site as it was at a commit of the team's repository, on a
repository whose history the test writes commit by commit."""

from __future__ import annotations

import subprocess

from test_cache import same_tree
from test_gitdates import git

from conftest import write
from sitegen.cli import main


def _history(root, first_when: str = "2026-11-05T10:00:00+08:00", second_when: str = "2026-11-12T18:00:00+08:00") -> str:
    """The minimal team committed, then a new lead (New Shop) committed: the first commit's hash."""
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the team's records", when=first_when)
    first = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    write(root, "records/customers/new-shop.yaml", "name: New Shop\nowner: bob\nstatus: lead\ncontacts:\n  - {name: Ms Chen, phone: 0933-000-111}\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a new lead", when=second_when)
    return first


def test_a_commit_builds_as_it_was_and_the_same_commit_gives_the_same_bytes(minimal_team, tmp_path, capsys):
    first = _history(minimal_team)
    write(minimal_team, "records/customers/uncommitted.yaml", "name: Not Yet\nowner: bob\nstatus: lead\n")  # not in any commit
    assert main(["build", str(minimal_team), "--at", first[:10], "-o", str(tmp_path / "then")]) == 0
    then = tmp_path / "then"
    assert (then / "customers/wang-tea.html").is_file()
    assert not (then / "customers/new-shop.html").exists() and not (then / "customers/uncommitted.html").exists()
    assert "Nov 5, 2026" in (then / "index.html").read_text(encoding="utf-8")  # as of the commit's day in Taipei
    assert main(["build", str(minimal_team), "--at", first, "-o", str(tmp_path / "again")]) == 0
    assert same_tree(then, tmp_path / "again") == []
    assert main(["build", str(minimal_team), "--at", "HEAD", "--as-of", "2026-11-13", "-o", str(tmp_path / "now")]) == 0
    assert (tmp_path / "now/customers/new-shop.html").is_file() and not (tmp_path / "now/customers/uncommitted.html").exists()
    status = subprocess.run(["git", "-C", str(minimal_team), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert status == "?? records/customers/uncommitted.yaml\n"  # the repository is as it was


def test_an_unknown_commit_or_an_option_is_refused(minimal_team, tmp_path, capsys):
    _history(minimal_team)
    assert main(["build", str(minimal_team), "--at", "no-such-commit", "-o", str(tmp_path / "x")]) == 2
    assert main(["build", str(minimal_team), "--at=--output=/tmp/evil", "-o", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err
    assert f"'no-such-commit' is not a commit of {minimal_team}" in err and "'--output=/tmp/evil' is not a commit" in err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_the_site_keeps_each_month_end_as_a_rebuild_of_its_last_commit(minimal_team, tmp_path, monkeypatch):
    """build --archive: archive/2026-10/ is the site as of 31 October from October's last commit —
    what build --at that commit writes, byte for byte — kept (linked, not rebuilt) by the next build."""
    october = _history(minimal_team, "2026-10-20T10:00:00+08:00", "2026-11-01T00:30:00+08:00")  # the lead: 31 October in UTC
    site = tmp_path / "site"
    assert main(["build", str(minimal_team), "--archive", "--as-of", "2026-11-20", "-o", str(site)]) == 0
    kept = site / "archive/2026-10"
    assert not (kept / "customers/new-shop.html").exists() and (site / "customers/new-shop.html").is_file()
    assert sorted(p.name for p in (site / "archive").iterdir()) == ["2026-10"]  # November is not over
    assert 'href="../archive/2026-10/index.html"' in (site / "goals/index.html").read_text(encoding="utf-8")
    assert main(["build", str(minimal_team), "--at", october, "--as-of", "2026-10-31", "-o", str(tmp_path / "rebuilt")]) == 0
    assert same_tree(kept, tmp_path / "rebuilt") == [".sitegen-archive"]
    # the next build keeps it without checking October out again
    from sitegen import gitdates

    calls = []
    real_checkout = gitdates.checkout
    monkeypatch.setattr(gitdates, "checkout", lambda *args: calls.append(args) or real_checkout(*args))
    write(minimal_team, "records/customers/uncommitted.yaml", "name: Not Yet\nowner: bob\nstatus: lead\n")
    assert main(["build", str(minimal_team), "--archive", "--as-of", "2026-11-20", "-o", str(site)]) == 0
    assert calls == [] and same_tree(kept, tmp_path / "rebuilt") == [".sitegen-archive"]
    assert (site / "customers/uncommitted.html").is_file()
