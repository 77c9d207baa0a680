"""A team installs sitegen from its wheel and publishes from CI on day one.

The wheel is built from this checkout; every install below happens in a fresh virtual environment
with no index at all, only a folder holding that wheel and the dependencies pinned in
constraints.txt — so nothing from the repository leaks in. Then a team is started the way
docs/guide.md says, and the `run:` steps of the GitHub workflow and the GitLab job that `sitegen init`
wrote are run in order, as a runner would, up to the site the deploy step uploads.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from sitegen import __version__
from sitegen.scaffold import DISTRIBUTION, morning_schedule

MAVEN = REPO / "tests" / "data" / "maven-crm"


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """The wheel and sdist built from the checkout, with every dependency's wheel beside them."""
    house = tmp_path_factory.mktemp("wheelhouse")
    run([sys.executable, "-m", "build", "--outdir", str(house), str(REPO)], REPO)
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, house.iterdir())], REPO)
    # the dependencies as pinned for CI; hatchling so that pre-commit can build from the source tree
    needs = [r for r in importlib.metadata.requires(DISTRIBUTION) or [] if "extra ==" not in r]
    run([sys.executable, "-m", "pip", "download", "-q", "--dest", str(house), "-c", str(REPO / "constraints.txt"),
         *needs, "hatchling", "editables", "setuptools", "wheel"], REPO)
    return house


def offline_env(wheelhouse: Path, venv: Path | None = None) -> dict[str, str]:
    """The environment of a runner that can reach nothing but the wheelhouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_CONFIG_FILE=os.devnull, CI="true")
    if venv is not None:  # what actions/setup-python does: its python and pip first on PATH
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def fresh_venv(where: Path) -> Path:
    run([sys.executable, "-m", "venv", str(where)], where.parent)
    return where


def test_the_wheel_ships_templates_catalogs_and_javascript(wheelhouse):
    wheel = next(wheelhouse.glob(f"sitegen_sales-{__version__}-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("sitegen/templates/base.html", "sitegen/locales/zh_Hant/LC_MESSAGES/sitegen.mo",
                   "sitegen/locales/zh_Hans/LC_MESSAGES/sitegen.mo", "sitegen/locales/en/LC_MESSAGES/sitegen.mo",
                   "sitegen/templates/static/vendor/vega-lite.min.js", "sitegen/templates/scaffold/github-workflow.yml",
                   "sitegen/templates/new/report.md", "sitegen/templates/import/maven-crm.yaml"):
        assert needed in names, needed
    assert not any(name.startswith(("records/", "tests/")) for name in names)


@pytest.fixture(scope="module")
def team(wheelhouse, tmp_path_factory) -> Path:
    """A team started as docs/guide.md says, with the sitegen the wheel installs."""
    work = tmp_path_factory.mktemp("newteam")
    venv = fresh_venv(work / "venv")
    env = offline_env(wheelhouse, venv)
    run(["pip", "install", "-q", DISTRIBUTION], work, env)
    run(["sitegen", "init", "sales-team", "--locale", "zh-Hant", "--title", "業務一部"], work, env)
    root = work / "sales-team"
    run(["sitegen", "new", "report", "--member", "bea"], root, env)
    run(["sitegen", "check"], root, env)
    run(["sitegen", "build"], root, env)
    assert (root / "site" / "index.html").is_file()
    imported = subprocess.run(["sitegen", "import", "maven-crm", str(MAVEN), "--into", "."], cwd=root, env=env,
                              capture_output=True, text=True)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    git = ["git", "-c", "user.name=Team", "-c", "user.email=team@example.com"]
    run(git + ["init", "-q", "-b", "trunk"], root)  # not "main": deploys follow the default branch
    run(git + ["add", "-A"], root)
    run(git + ["commit", "-q", "-m", "Start the team's records"], root)
    shutil.rmtree(root / "site")
    return root


def test_init_pins_the_version_that_made_the_team(team):
    lines = [line for line in (team / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines[0] == f"{DISTRIBUTION}=={__version__}"
    pinned = dict(line.split("==") for line in lines[1:])
    for name in ("Jinja2", "PyYAML", "pydantic", "babel", "markdown-it-py"):
        key = next(k for k in pinned if k.lower() == name.lower())
        assert pinned[key] == importlib.metadata.version(name)


def test_the_github_workflow_checks_pull_requests_read_only_and_deploys_the_default_branch(team):
    workflow = yaml.safe_load((team / ".github/workflows/sitegen.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch", "schedule"}
    assert triggers["schedule"] == [{"cron": morning_schedule("Asia/Taipei", __import__("datetime").date(2026, 1, 1))[1]}]
    assert triggers["schedule"][0]["cron"] == "30 22 * * *"  # 06:30 in Taipei
    check, deploy = workflow["jobs"]["check"], workflow["jobs"]["deploy"]
    assert workflow["permissions"] == {"contents": "read"} and check["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert check["concurrency"]["group"] != deploy["concurrency"]["group"] == "pages"
    assert "github.event.repository.default_branch" in deploy["if"] and "main" not in deploy["if"]
    assert [s["run"] for s in check["steps"] if "run" in s] == ["pip install -r requirements.txt",
                                                                "sitegen check --format github"]


def test_the_github_deploy_steps_build_the_site_they_upload(team, wheelhouse, tmp_path):
    checkout = tmp_path / "checkout"
    run(["git", "clone", "-q", str(team), str(checkout)], tmp_path)
    workflow = yaml.safe_load((checkout / ".github/workflows/sitegen.yml").read_text())
    steps = workflow["jobs"]["deploy"]["steps"]
    env = offline_env(wheelhouse, fresh_venv(tmp_path / "runner"))
    for step in steps:
        if "run" in step:
            run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], checkout, env)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    site = checkout / upload["with"]["path"]
    assert (site / "index.html").is_file() and (site / ".sitegen-site").is_file()
    assert "業務一部" in (site / "index.html").read_text(encoding="utf-8")
    assert len(list(site.glob("customers/*.html"))) >= 85  # the imported accounts, published


def test_the_gitlab_pages_job_builds_the_site_it_publishes(team, wheelhouse, tmp_path):
    checkout = tmp_path / "checkout"
    run(["git", "clone", "-q", str(team), str(checkout)], tmp_path)
    job_file = yaml.safe_load((checkout / ".gitlab-ci.yml").read_text())
    env = offline_env(wheelhouse, fresh_venv(tmp_path / "runner"))
    assert job_file["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    for command in job_file["default"]["before_script"] + job_file["pages"]["script"]:
        run(["bash", "-e", "-o", "pipefail", "-c", command], checkout, env)
    site = checkout / job_file["pages"]["artifacts"]["paths"][0]
    assert (site / "index.html").is_file() and (site / ".sitegen-site").is_file()


def test_pre_commit_runs_the_hook_on_a_team_repository(team, wheelhouse, tmp_path):
    """`pre-commit try-repo` installs the hook from this checkout, as `rev:` would from a tag."""
    checkout = tmp_path / "team"
    run(["git", "clone", "-q", str(team), str(checkout)], tmp_path)
    env = offline_env(wheelhouse)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    done = run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "sitegen-check", "--all-files"], checkout, env)
    assert "sitegen check" in done.stdout and "Passed" in done.stdout, done.stdout
    # and it fails the commit when a record is broken
    (checkout / "records" / "customers" / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    run(["git", "add", "-A"], checkout)
    failed = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "sitegen-check", "--all-files"],
                            cwd=checkout, env=env, capture_output=True, text=True, timeout=600)
    assert failed.returncode == 1 and "records/customers/broken.yaml:2:1: error: YAML syntax error" in failed.stdout, failed.stdout


def test_the_pre_commit_configuration_init_writes_runs_the_pinned_sitegen(team, wheelhouse, tmp_path):
    checkout = tmp_path / "team"
    run(["git", "clone", "-q", str(team), str(checkout)], tmp_path)
    config = yaml.safe_load((checkout / ".pre-commit-config.yaml").read_text())
    assert config["repos"][0]["hooks"][0]["additional_dependencies"] == [f"{DISTRIBUTION}=={__version__}"]
    env = offline_env(wheelhouse)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    done = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], checkout, env)
    assert "sitegen check" in done.stdout and "Passed" in done.stdout, done.stdout
