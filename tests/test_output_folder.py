"""The output folder is sitegen's alone: a build never replaces the team's repository, its records,
templates, .git or cache, a file, or a folder of someone else's files — not even through a link."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from sitegen.cli import main
from sitegen.site import SITE_MARKER


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below ``folder`` (links as their targets, files by content hash)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if path.is_symlink():
            found[relative] = "link:" + os.readlink(path)
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[relative] = "dir"
    return found


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory) -> Path:
    """The example team as a team keeps it: records, configuration, templates, a git history."""
    root = tmp_path_factory.mktemp("guard") / "team"
    root.mkdir()
    shutil.copytree(REPO / "records", root / "records")
    shutil.copy(REPO / "sitegen.yaml", root / "sitegen.yaml")
    (root / "templates").mkdir()
    (root / "templates" / "README.txt").write_text("our own templates\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(root)]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "records"], check=True)
    (root / ".sitegen-cache").mkdir()
    (root / "mine").mkdir()
    (root / "mine" / "notes.txt").write_text("not a site\n")
    (root / "link-to-records").symlink_to(root / "records")
    (root / "link-to-root").symlink_to(root)
    return root


REFUSED = {
    ".": "is the team's repository or a folder above it",
    "..": "is the team's repository or a folder above it",
    "link-to-root": "is a symbolic link",
    "link-to-root/site/..": "is the team's repository or a folder above it",
    "records": "is inside the team's records/",
    "records/customers": "is inside the team's records/",
    "records/new-folder": "is inside the team's records/",
    "link-to-records/x": "is inside the team's records/",
    "link-to-records": "is a symbolic link",
    "templates": "is inside the team's templates/",
    ".git": "is inside the team's .git/",
    ".git/objects": "is inside the team's .git/",
    ".sitegen-cache": "is inside the team's .sitegen-cache/",
    "sitegen.yaml": "is a file, not a folder",
    "mine": "holds files that sitegen did not write",
}


@pytest.mark.parametrize("output", sorted(REFUSED))
def test_build_refuses_an_output_that_is_not_the_sites_alone(example_repo, output, capsys, monkeypatch):
    before = snapshot(example_repo)
    monkeypatch.chdir(example_repo)
    code = main(["build", ".", "-o", output, "--as-of", "2026-11-27", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"sitegen: error: the output {output} {REFUSED[output]}"), err
    assert snapshot(example_repo) == before


def test_the_home_folder_above_the_team_is_refused_too(example_repo, capsys):
    before = snapshot(example_repo)
    code = main(["build", str(example_repo), "-o", str(example_repo.parent), "--as-of", "2026-11-27"])
    assert code == 2
    assert "is the team's repository or a folder above it" in capsys.readouterr().err
    assert snapshot(example_repo) == before


def test_a_site_sitegen_made_is_replaced_and_carries_the_marker(example_repo, tmp_path):
    output = tmp_path / "site"
    assert main(["build", str(example_repo), "-o", str(output), "--as-of", "2026-11-27", "--no-cache"]) == 0
    assert (output / SITE_MARKER).is_file() and (output / "index.html").is_file()
    (output / "stray.txt").write_text("left by hand")
    assert main(["build", str(example_repo), "-o", str(output), "--as-of", "2026-11-27", "--no-cache"]) == 0
    assert not (output / "stray.txt").exists()  # a site folder is replaced whole, as documented


def test_an_empty_folder_is_used(example_repo, tmp_path):
    output = tmp_path / "empty"
    output.mkdir()
    assert main(["build", str(example_repo), "-o", str(output), "--as-of", "2026-11-27", "--no-cache"]) == 0
    assert (output / SITE_MARKER).is_file()


def test_watch_refuses_before_serving(example_repo, capsys):
    before = snapshot(example_repo)
    code = main(["watch", str(example_repo), "-o", str(example_repo / "records"), "--port", "0"])
    assert code == 2
    assert "is inside the team's records/" in capsys.readouterr().err
    assert snapshot(example_repo) == before
