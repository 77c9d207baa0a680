"""Shared test helpers: small record trees copied into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def example_site_shared(tmp_path_factory) -> Path:
    """The example team's site as of 2026-11-27, built once for every module that only reads it."""
    from sitegen.cli import main

    output = tmp_path_factory.mktemp("example-shared") / "site"
    assert main(["build", str(REPO), "-o", str(output), "--as-of", "2026-11-27", "--no-cache", "--lang", "en"]) == 0
    return output


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    """A small generated team (three members, twelve days to 2026-11-27, English), written once per
    module; copy it (``team``) before changing it."""
    from datetime import date

    from sitegen.demo import write_demo_team

    root = tmp_path_factory.mktemp("demo") / "team"
    write_demo_team(root, members=3, days=12, seed=7, end=date(2026, 11, 27), locale="en")
    return root


@pytest.fixture
def team(demo_source, tmp_path) -> Path:
    """A copy of the demo team (``demo_source``) to change."""
    root = tmp_path / "team"
    shutil.copytree(demo_source, root)
    return root


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch):
    """Terminal messages in English whatever the team's locale, as a person sets SITEGEN_LANG;
    the tests of the languages themselves pass --lang."""
    monkeypatch.setenv("SITEGEN_LANG", "en")


@pytest.fixture
def minimal_team(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal: two members, two customers, a goal, a plan, a report."""
    root = tmp_path / "team"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def parsed_elsewhere(monkeypatch, at_least: int) -> list[str]:
    """Have a load give files to a second process from ``at_least`` files not in the cache on, and
    list each file whose result came from it (records.Parser.take)."""
    from sitegen import records

    monkeypatch.setattr(records, "PARSE_ELSEWHERE_MIN_FILES", at_least)
    taken: list[str] = []
    take = records.Parser.take

    def counted(parser, rel: str):
        result = take(parser, rel)
        if result is not None:
            taken.append(rel)
        return result

    monkeypatch.setattr(records.Parser, "take", counted)
    return taken
