"""The cache makes rebuilds fast and is never trusted blindly: after any edit, a cached build
writes exactly what a build without the cache writes; a corrupt or deleted cache changes nothing."""

from __future__ import annotations

import filecmp
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from sitegen import build
from sitegen.build import build_site
from sitegen.cache import CACHE_DIR
from sitegen.demo import write_demo_team

AS_OF = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "team"
    write_demo_team(root, members=3, days=12, seed=7, end=AS_OF, locale="en")
    return root


@pytest.fixture
def team(demo_source, tmp_path) -> Path:
    import shutil
    root = tmp_path / "team"
    shutil.copytree(demo_source, root)
    return root


@pytest.fixture(autouse=True)
def fork_even_for_small_sites(monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)


def same_tree(a: Path, b: Path) -> list[str]:
    """Paths that differ between two folders (empty when identical)."""
    differences = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differences.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return differences


def clean_build(root: Path, tmp_path: Path) -> Path:
    output = tmp_path / "clean"
    assert build_site(root, output, AS_OF, cache=False).ok
    return output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first(root: Path, pattern: str) -> Path:
    return sorted(root.glob(pattern))[0]


EDITS = {
    "a report's body": lambda root: first(root, "records/reports/2026/11/*.md").open("a", encoding="utf-8").write("\nEdited.\n"),
    "a customer's name": lambda root: edit(first(root, "records/customers/*.yaml"), "name: ", "name: Renamed "),
    "a member's name": lambda root: edit(root / "records/team.yaml", "name: ", "name: Renamed ", ),
    "a channel's name": lambda root: edit(root / "sitegen.yaml", "name: 電話", "name: 市話"),
    "a report deleted": lambda root: first(root, "records/reports/2026/11/*.md").unlink(),
    "a plan's item": lambda root: edit(first(root, "records/plans/**/*-week.yaml"), "what: ", "what: Changed "),
    "a template added": lambda root: (root / "templates").mkdir() or (root / "templates/report.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="custom">{{ report.member }}</p>{% endblock %}'),
}


@pytest.mark.parametrize("change", list(EDITS))
def test_a_cached_rebuild_after_an_edit_writes_what_a_clean_build_writes(team, tmp_path, change):
    output = team / "site"
    first_build = build_site(team, output, AS_OF)
    assert first_build.ok and first_build.reused == 0
    EDITS[change](team)
    again = build_site(team, output, AS_OF)
    assert again.ok and not again.up_to_date
    assert same_tree(output, clean_build(team, tmp_path)) == []


def test_nothing_changed_means_nothing_written_and_the_same_problems(team):
    output = team / "site"
    first_build = build_site(team, output, AS_OF)
    again = build_site(team, output, AS_OF)
    assert again.up_to_date and again.pages == first_build.pages
    assert again.problems == first_build.problems
    # another day is another build, and so is a page deleted from the published folder
    assert not build_site(team, output, date(2026, 11, 26)).up_to_date
    build_site(team, output, AS_OF)
    next(output.glob("reports/*.html")).unlink()
    rebuilt = build_site(team, output, AS_OF)
    assert not rebuilt.up_to_date and rebuilt.reused > 0


def test_unchanged_report_pages_are_reused_not_rendered(team):
    output = team / "site"
    build_site(team, output, AS_OF)
    first(team, "records/reports/2026/11/*.md").open("a", encoding="utf-8").write("\nEdited.\n")
    again = build_site(team, output, AS_OF)
    reports = len(list(output.glob("reports/*.html")))
    assert reports - 1 <= again.reused < again.pages


@pytest.mark.parametrize("damage", ["garbage", "deleted", "wrong schema", "bad pickle"])
def test_a_damaged_cache_is_rebuilt_and_never_changes_the_output(team, tmp_path, damage):
    output = team / "site"
    assert build_site(team, output, AS_OF).ok
    database = team / CACHE_DIR / "records.sqlite"
    if damage == "garbage":
        for suffix in ("", "-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        database.write_bytes(b"this is not a database" * 100)
    elif damage == "deleted":
        import shutil
        shutil.rmtree(team / CACHE_DIR)
    elif damage == "wrong schema":
        with sqlite3.connect(database) as db:
            db.execute("DROP TABLE records")
            db.execute("CREATE TABLE records (nonsense TEXT)")
    elif damage == "bad pickle":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = x'00ff00ff'")
    first(team, "records/reports/2026/11/*.md").open("a", encoding="utf-8").write("\nEdited.\n")
    again = build_site(team, output, AS_OF)
    assert again.ok
    assert same_tree(output, clean_build(team, tmp_path)) == []
    assert build_site(team, output, AS_OF).up_to_date  # and the cache works again afterwards


def test_another_sitegen_version_empties_the_cache(team, monkeypatch):
    from sitegen import cache

    output = team / "site"
    build_site(team, output, AS_OF)
    assert cache.RecordCache(team)._rows  # filled by the build
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.RecordCache(team)._rows == {}
    assert not build_site(team, output, AS_OF).up_to_date
