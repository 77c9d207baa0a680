"""The cache makes rebuilds fast and is never trusted blindly: after any edit, a cached build
writes exactly what a build without the cache writes; a corrupt or deleted cache changes nothing."""

from __future__ import annotations

import filecmp
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import parsed_elsewhere
from sitegen import build
from sitegen.build import build_site
from sitegen.cache import CACHE_DIR, MANIFEST_FILE, SiteManifest

AS_OF = date(2026, 11, 27)


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
    "an answer to a request for help": lambda root: edit(next(p for p in sorted(root.glob("records/reports/**/*.md"))
                                                              if "answer: " in p.read_text(encoding="utf-8")), 'answer: "', 'answer: "Changed '),
    "a template added": lambda root: (root / "templates").mkdir() or (root / "templates/report.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="custom">{{ view.member.text }}</p>{% endblock %}'),
}


@pytest.mark.parametrize("change", list(EDITS))
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_rebuild_after_an_edit_writes_what_a_clean_build_writes(team, tmp_path, monkeypatch, change, jobs):
    """Whatever was edited, the pages reused by their keys are the pages a clean build writes: in
    one process (each page's view made), and shared among processes, where reports' and meeting
    days' pages are keyed by what their views are made from (views.Known) and no view is made for
    an unchanged one."""
    from sitegen import build

    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10)
    output = team / "site"
    first_build = build_site(team, output, AS_OF, jobs=jobs)
    assert first_build.ok and first_build.reused == 0
    EDITS[change](team)
    again = build_site(team, output, AS_OF, jobs=jobs)
    assert again.ok and not again.up_to_date
    assert again.reused > 0 or change == "a template added"  # a team's template is in every page's key
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


def test_a_team_with_its_own_templates_still_reuses_unchanged_pages(team, tmp_path):
    """Templates see only their page's view, so a team's own templates no longer turn reuse off:
    a page is rendered again when its view or any template changes, and only then."""
    EDITS["a template added"](team)
    output = team / "site"
    build_site(team, output, AS_OF)
    first(team, "records/reports/2026/11/*.md").open("a", encoding="utf-8").write("\nEdited.\n")
    again = build_site(team, output, AS_OF)
    assert again.pages - 20 < again.reused < again.pages  # the report, its day's meeting and the search page change
    assert same_tree(output, clean_build(team, tmp_path)) == []
    (team / "templates/report.html").write_text('{% extends "base.html" %}{% block content %}<p>{{ view.date }}</p>{% endblock %}')
    changed = build_site(team, output, AS_OF)
    assert changed.reused == 0
    assert same_tree(output, clean_build(team, tmp_path / "again")) == []


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


# ---------------------------------------------------------------------------------------------
# a cache is data: whatever a repository carries in .sitegen-cache/, nothing in it runs


class _Payload:
    """Unpickling this runs os.system: what a hostile pull request could plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f"touch {self.marker}",))


def _plant(team: Path, marker: Path, how: str) -> None:
    import os
    import pickle

    cache_dir = team / CACHE_DIR
    database = cache_dir / "records.sqlite"
    payload = pickle.dumps(_Payload(marker))
    if how == "pickle in every entry":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = ?", (payload,))
    elif how == "pickle as text":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = ?", (payload.decode("latin-1"),))
    elif how == "a wrong shape":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = ?", ('{"document": 1, "model": "Report", "value": [], "found": [{}]}',))
    elif how == "another model's fields":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = ?", ('{"document": "{}", "body": null, "model": "__class__", '
                                                         '"value": {"x": 1}, "found": []}',))
    elif how == "a huge entry":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE records SET result = ?", ("x" * (9 << 20),))
    elif how == "a planted jinja cache":  # where Jinja's FileSystemBytecodeCache would look, in its format
        import jinja2.bccache

        from sitegen.resources import builtin_templates

        (cache_dir / "templates").mkdir(exist_ok=True)
        for template in builtin_templates().glob("*.html"):
            key = jinja2.bccache.BytecodeCache().get_cache_key(template.name, str(template))
            (cache_dir / "templates" / f"__jinja2_{key}.cache").write_bytes(jinja2.bccache.bc_magic + payload)
    elif how == "a link to elsewhere":
        elsewhere = team.parent / "elsewhere"
        elsewhere.mkdir()
        os.replace(cache_dir, elsewhere / CACHE_DIR)
        cache_dir.symlink_to(elsewhere / CACHE_DIR)


HOSTILE = ["pickle in every entry", "pickle as text", "a wrong shape", "another model's fields", "a huge entry",
           "a planted jinja cache", "a link to elsewhere"]


@pytest.mark.parametrize("how", HOSTILE)
def test_a_hostile_cache_runs_nothing_and_changes_nothing(team, tmp_path, how):
    """check and build run as CI runs them, each a new process reading the planted cache."""
    import subprocess
    import sys

    output = team / "site"
    assert build_site(team, output, AS_OF).ok
    marker = tmp_path / "ran"
    _plant(team, marker, how)
    first(team, "records/reports/2026/11/*.md").open("a", encoding="utf-8").write("\nEdited.\n")
    for verb in (["check"], ["build", "-o", str(output)]):
        done = subprocess.run([sys.executable, "-m", "sitegen", *verb, str(team), "--as-of", str(AS_OF)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert not marker.exists()
    assert same_tree(output, clean_build(team, tmp_path)) == []


def test_the_manifest_travels_with_the_site_so_a_no_cache_build_never_leaves_stale_pages(team, tmp_path):
    """build → edit + --no-cache build → revert → cached build: the report page shows the reverted text
    (the manifest used to stay in the cache and describe a site that was no longer there)."""
    output = team / "site"
    report = first(team, "records/reports/2026/11/*.md")
    original = report.read_text(encoding="utf-8")
    assert build_site(team, output, AS_OF).ok
    report.write_text(original + "\nA sentence that must not survive.\n", encoding="utf-8")
    assert build_site(team, output, AS_OF, cache=False).ok
    report.write_text(original, encoding="utf-8")
    assert build_site(team, output, AS_OF).ok
    assert same_tree(output, clean_build(team, tmp_path)) == []


def test_random_sequences_of_edits_and_builds_end_as_a_clean_build(demo_source, tmp_path):
    """Edits, reverts, --no-cache and cached builds, template overrides and builds killed with
    SIGKILL, in random orders: the site always equals a clean build of the same inputs."""
    import os
    import random
    import shutil
    import signal
    import time

    rng = random.Random(13)
    actions = []
    for sequence in range(4):
        root = tmp_path / f"team{sequence}"
        shutil.copytree(demo_source, root)
        originals = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        output = root / "site"
        for step in range(6):
            action = rng.choice(["edit", "edit", "revert", "template", "untemplate", "kill"])
            actions.append(action)
            if action == "edit":
                name = rng.choice([n for n in EDITS if n not in ("a template added", "a report deleted")])
                try:
                    EDITS[name](root)
                except AssertionError:
                    pass  # already edited that way
            elif action == "revert":
                for path, content in originals.items():
                    path.write_bytes(content)
            elif action == "template" and not (root / "templates").exists():
                EDITS["a template added"](root)
            elif action == "untemplate":
                shutil.rmtree(root / "templates", ignore_errors=True)
            elif action == "kill":  # an edit, and a build of it killed somewhere between start and swap
                EDITS["a report's body"](root)
                pid = os.fork()
                if pid == 0:
                    try:
                        build_site(root, output, AS_OF, cache=rng.random() < 0.5, durable=False)
                    finally:
                        os._exit(0)
                time.sleep(rng.uniform(0, 0.6))
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            assert build_site(root, output, AS_OF, cache=rng.random() < 0.6, durable=False).ok
            expected = tmp_path / f"clean{sequence}-{step}"
            assert build_site(root, expected, AS_OF, cache=False, durable=False).ok
            assert same_tree(output, expected) == [], (sequence, step, action)
    assert all(actions.count(a) >= 2 for a in ("edit", "revert", "template", "kill")), actions


def test_a_watch_session_updating_its_site_in_place_ends_as_a_clean_build(demo_source, tmp_path):
    """``sitegen watch`` keeps views and keys between rebuilds and writes into the served site in
    place: after every kind of edit — including those that reach a report's page from another
    file (an answer to its request for help, a plan it reports on, a customer's or member's name)
    — the site is the one a clean build writes, file for file, and holds nothing else."""
    import random
    import shutil

    from sitegen.build import BuildSession

    root = tmp_path / "team"
    shutil.copytree(demo_source, root)
    edits = dict(EDITS)
    originals = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    output = root / "site"
    session = BuildSession(live=True)
    assert build_site(root, output, AS_OF, session=session).ok
    rng = random.Random(5)
    order = list(edits) + ["revert"] + [rng.choice(list(edits)) for _ in range(4)] + ["revert"]
    reused = []
    for step, name in enumerate(order):
        before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and "site" not in p.parts}
        if name == "revert":
            for path, content in originals.items():
                path.write_bytes(content)
            shutil.rmtree(root / "templates", ignore_errors=True)  # and a deleted report comes back
        else:
            try:
                edits[name](root)
            except (AssertionError, FileNotFoundError):
                pass  # already edited that way, or already deleted
        after = {p for p in root.rglob("*") if p.is_file() and "site" not in p.parts}
        session.changed |= {p.relative_to(root).as_posix() for p in after if before.get(p) != p.stat().st_mtime_ns}
        session.changed |= {p.relative_to(root).as_posix() for p in before if p not in after}
        outcome = build_site(root, output, AS_OF, session=session)
        assert outcome.ok, name
        reused.append(outcome.reused)
        expected = tmp_path / f"clean-{step}"
        assert build_site(root, expected, AS_OF, cache=False, durable=False).ok
        # the live manifest does not count the site's files (see build.BuildSession); all else is the same
        assert same_tree(output, expected) == [MANIFEST_FILE], (step, name)
        live, clean = SiteManifest.read(output), SiteManifest.read(expected)
        assert live is not None and clean is not None
        assert (live.fingerprint, live.keys, live.problems, live.files) == (clean.fingerprint, clean.keys, clean.problems, -1)
    # it did update in place, not rebuild everything (but where a team's template came or went: it is in every key)
    assert sum(count > 0 for count in reused) > len(order) / 2, reused


def test_a_watch_rebuild_says_when_the_viewed_page_is_written_before_the_rest(team):
    """The browser reloads as soon as the page it shows is written (issue 17): that page is made
    and written first and ``on_shown`` is called right after it — before the other pages, the other
    languages' included; when pages of its language come or go (its links may lead to them), once
    everything is done."""
    from sitegen.build import BuildSession

    output = team / "site"
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).ok
    customer = first(team, "records/customers/*.yaml")
    page = f"customers/{customer.stem}.html"
    seen: list[tuple[str, str, bool]] = []

    def shown() -> None:  # what a browser would read at that moment, in the viewed language and another
        viewed = (output / "zh-Hans" / page).read_text(encoding="utf-8")
        other = (output / page).read_text(encoding="utf-8")
        seen.append(("Renamed" in viewed, "Renamed" in other, (output / ".sitegen-site").exists()))

    edit(customer, "name: ", "name: Renamed ")
    session.changed.add(customer.relative_to(team).as_posix())
    outcome = build_site(team, output, AS_OF, session=session, viewing=f"zh-Hans/{page}", on_shown=shown)
    assert outcome.ok and seen == [(True, False, True)]  # early: the default language was not yet written
    assert "Renamed" in (output / page).read_text(encoding="utf-8")

    report = first(team, "records/reports/2026/11/*.md")
    gone = f"zh-Hans/reports/{report.stem}.html"
    assert (output / gone).exists()
    report.unlink()  # its pages go: the reload waits for the end, when they are deleted
    session.changed.add(report.relative_to(team).as_posix())
    calls: list[bool] = []
    outcome = build_site(team, output, AS_OF, session=session, viewing=f"zh-Hans/{page}",
                         on_shown=lambda: calls.append((output / gone).exists()))
    assert outcome.ok and calls == [False]

    added = team / "records/customers/new-shop.yaml"  # a page comes: the reload waits until it is written
    added.write_text(customer.read_text(encoding="utf-8").replace("name: Renamed ", "name: New "), encoding="utf-8")
    session.changed.add(added.relative_to(team).as_posix())
    calls.clear()
    outcome = build_site(team, output, AS_OF, session=session, viewing=f"zh-Hans/{page}",
                         on_shown=lambda: calls.append((output / "zh-Hans/customers/new-shop.html").exists()))
    assert outcome.ok and calls == [True]

    calls.clear()  # nothing changed: up to date, and the browser may reload all the same
    assert build_site(team, output, AS_OF, session=session, on_shown=lambda: calls.append(True)).up_to_date
    assert calls == [True]


def test_a_value_saved_shows_the_meeting_day_before_any_other_page_is_remade(team):
    """A value of a report's front matter changes its day's meeting page and its member's page, in
    both languages. With the meeting page shown, that page alone is new when the browser is told
    to reload; the member's pages follow, and all ends as a clean build's site."""
    from sitegen.build import BuildSession

    output = team / "site"
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).ok
    report = next(p for p in sorted(team.glob("records/reports/2026/11/*.md")) if "\n  phone: 28\n" in p.read_text(encoding="utf-8"))
    text = report.read_text(encoding="utf-8")
    day, member = text.split("\ndate: ")[1][:10], text.split("\nmember: ")[1].split("\n")[0]
    viewed, others = f"zh-Hans/daily/{day}.html", [f"zh-Hans/members/{member}.html", f"daily/{day}.html", f"members/{member}.html"]
    before = {path: (output / path).read_bytes() for path in [viewed, *others]}
    seen: list[list[bool]] = []
    edit(report, "\n  phone: 28\n", "\n  phone: 31\n")
    session.changed.add(report.relative_to(team).as_posix())
    outcome = build_site(team, output, AS_OF, session=session, viewing=viewed,
                         on_shown=lambda: seen.append([(output / path).read_bytes() != before[path] for path in [viewed, *others]]))
    assert outcome.ok and seen == [[True, False, False, False]]
    assert all((output / path).read_bytes() != before[path] for path in others)  # each changed, after the reload
    expected = team.parent / "clean"
    assert build_site(team, expected, AS_OF, cache=False, durable=False).ok
    assert same_tree(output, expected) == [MANIFEST_FILE]


def test_a_watch_stopped_halfway_through_a_rebuild_leaves_no_page_a_later_build_takes_for_unchanged(team):
    """Ctrl-C while the watch rebuilds: some pages are new, the rest as they were. Whatever the
    next build finds — here the save undone, so that the new pages' keys are the old ones again —
    it must not keep a page written for inputs it does not have."""
    from sitegen.build import BuildSession

    output = team / "site"
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).ok
    report = next(p for p in sorted(team.glob("records/reports/2026/11/*.md")) if "\n  phone: 28\n" in p.read_text(encoding="utf-8"))
    saved = report.read_text(encoding="utf-8")
    day = saved.split("\ndate: ")[1][:10]

    def stopped() -> None:  # the page shown is written; then the user stops the watch
        raise KeyboardInterrupt

    report.write_text(saved.replace("\n  phone: 28\n", "\n  phone: 31\n"), encoding="utf-8")
    session.changed.add(report.relative_to(team).as_posix())
    with pytest.raises(KeyboardInterrupt):
        build_site(team, output, AS_OF, session=session, viewing=f"daily/{day}.html", on_shown=stopped)
    report.write_text(saved, encoding="utf-8")  # the save undone (an editor's undo, git checkout)
    assert build_site(team, output, AS_OF).ok  # the next build, a one-shot one, of the same folder
    expected = team.parent / "clean"
    assert build_site(team, expected, AS_OF, cache=False, durable=False).ok
    assert same_tree(output, expected) == []


@pytest.mark.parametrize("share", [0.0, 0.1, 0.4, 0.8])
def test_a_rebuild_a_newer_save_supersedes_stops_and_the_next_goes_on_from_there(team, share):
    """A newer save waiting (``pending``), a live rebuild stops once the page shown is written — at
    any point after it (``share`` of the places it asks) — and the next build goes on from the
    site as it stands: it remakes what is left, reuses the rest, and ends as a clean build, even
    with the first save undone (the page written first is not taken for unchanged)."""
    from itertools import count

    from sitegen.build import BuildSession

    output = team / "site"
    session = BuildSession(live=True)
    first = build_site(team, output, AS_OF, session=session)
    assert first.ok
    reports = [p for p in sorted(team.glob("records/reports/2026/11/*.md")) if "\nactivity:\n  phone: " in p.read_text(encoding="utf-8")]
    reports[1] = next(p for p in reports if p.stem[:10] != reports[0].stem[:10] and p.stem[11:] != reports[0].stem[11:])  # no page of both
    saved = reports[0].read_text(encoding="utf-8")
    viewed = f"daily/{saved.split(chr(10) + 'date: ')[1][:10]}.html"
    before = (output / viewed).read_bytes()
    edit(reports[0], "\n  phone: ", "\n  phone: 1")  # 28 calls: 128
    session.changed.add(reports[0].relative_to(team).as_posix())
    asked = count()
    stop_at = int(share * (first.pages * 2))  # it asks once per page for its view and once for its key, and between languages
    shown: list[bytes] = []
    outcome = build_site(team, output, AS_OF, session=session, viewing=viewed, on_shown=lambda: shown.append((output / viewed).read_bytes()),
                         pending=lambda: next(asked) >= stop_at)
    assert outcome.ok and outcome.superseded and len(shown) == 1 and shown[0] != before  # stopped, its page shown first
    assert (output / viewed).read_bytes() == shown[0]

    reports[0].write_text(saved, encoding="utf-8")  # the first save undone, and another report's value saved
    edit(reports[1], "\n  phone: ", "\n  phone: 2")
    session.changed |= {r.relative_to(team).as_posix() for r in reports[:2]}
    outcome = build_site(team, output, AS_OF, session=session, pending=lambda: False)
    assert outcome.ok and not outcome.superseded
    assert outcome.reused > first.pages * 0.9  # it went on from the site as it stood, not from nothing
    expected = team.parent / "clean"
    assert build_site(team, expected, AS_OF, cache=False, durable=False).ok
    assert same_tree(output, expected) == [MANIFEST_FILE]
    live, clean = SiteManifest.read(output), SiteManifest.read(expected)
    assert live is not None and clean is not None and live.keys == clean.keys


def test_a_watch_remakes_the_views_of_the_reports_a_save_changed_and_no_other(team, monkeypatch):
    """Report views are kept between saves with what they were made from (views.kept_report_views):
    a value saved in one report remakes that report's view, once per language; a member renamed
    (a name every report of theirs shows) remakes them all."""
    from sitegen import views
    from sitegen.build import BuildSession

    made: list[str] = []
    making = views.report_view
    monkeypatch.setattr(views, "report_view", lambda records, metrics, names, _, rid: made.append(f"{rid} {_.code}") or making(records, metrics, names, _, rid))
    output = team / "site"
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).ok
    reports = len(list(team.glob("records/reports/**/*.md")))
    codes = ["en", "zh-Hant", "zh-Hans"]  # the demo team's languages
    assert all((output / code / "reports").is_dir() for code in codes[1:])
    report = next(p for p in sorted(team.glob("records/reports/2026/11/*.md")) if "\nactivity:\n  phone: " in p.read_text(encoding="utf-8"))
    made.clear()
    edit(report, "\n  phone: ", "\n  phone: 1")
    session.changed.add(report.relative_to(team).as_posix())
    assert build_site(team, output, AS_OF, session=session, viewing=f"daily/{report.stem[:10]}.html", on_shown=lambda: None).ok
    assert sorted(made) == sorted(f"{report.stem} {code}" for code in codes)

    made.clear()
    team_file = team / "records/team.yaml"
    member = report.stem[11:]
    text = team_file.read_text(encoding="utf-8")
    name = text.split(f"- id: {member}\n")[1].split("name: ")[1].split("\n")[0]
    edit(team_file, f"name: {name}\n", f"name: {name} Renamed\n")
    session.changed.add("records/team.yaml")
    assert build_site(team, output, AS_OF, session=session).ok
    assert len(made) == len(set(made)) and len(made) > reports / 2 * len(codes)  # each once, in each language


def test_a_cold_build_stores_every_result_however_many_it_hands_over_at_a_time(team, monkeypatch):
    """Results go to SQLite a few hundred at a time (a large team's cold build held them all in
    memory); all of them are stored, and the next process reads each from the cache."""
    from sitegen import cache
    from sitegen.records import load_records

    monkeypatch.setattr(cache, "PENDING_ROWS", 3)
    handed: list[int] = []
    store = cache.RecordCache._store_pending
    monkeypatch.setattr(cache.RecordCache, "_store_pending", lambda self: handed.append(len(self._pending)) or store(self))
    build_site(team, team / "site", AS_OF)
    assert len(handed) > 10 and set(handed[:-1]) == {3} and handed[-1] <= 3  # never more than three held; the rest on closing
    files = sum(1 for p in team.glob("records/**/*.*") if p.name != "team.yaml")  # team.yaml is read apart
    assert len(cache.RecordCache(team)._rows) == files > 3
    reader = cache.RecordCache(team)
    load_records(team, reader)
    reader.close()
    assert (reader.hits, reader.misses) == (files, 0)


def test_a_cached_file_keeps_its_bytes_and_its_document_is_the_one_parsed_from_them(team):
    """The cache holds each file's bytes, not its document: a record read from the cache gives the
    same document (every value's line and column) as one parsed from its file, and an entry whose
    bytes are not the file's (another file's, or text) is a miss."""
    from sitegen import cache
    from sitegen.records import load_records, read_document

    build_site(team, team / "site", AS_OF)
    reader = cache.RecordCache(team)
    records, _problems = load_records(team, reader)
    reader.close()
    assert reader.misses == 0 and reader.hits > 10
    report = sorted(records.reports)[0]
    rel = records.paths[("report", report)]
    assert isinstance(records.documents[("report", report)], bytes)
    assert records.document("report", report) == read_document((team / rel).read_bytes(), rel, "reports")[0]

    other = records.paths[("report", sorted(records.reports)[1])]
    with sqlite3.connect(team / CACHE_DIR / "records.sqlite") as db:
        db.execute("UPDATE records SET source = (SELECT source FROM records WHERE path = ?) WHERE path = ?", (other, rel))
        db.execute("UPDATE records SET source = CAST(source AS TEXT) WHERE path = ?", (other,))
    reader = cache.RecordCache(team)
    records, _problems = load_records(team, reader)
    reader.close()
    assert reader.misses == 2
    assert records.document("report", report) == read_document((team / rel).read_bytes(), rel, "reports")[0]


def _loaded(team: Path, workers: int) -> tuple:
    from sitegen import cache
    from sitegen.records import load_records

    reader = cache.RecordCache(team)
    records, problems = load_records(team, reader, workers=workers)
    reader.close()
    documents = {key: records.document(*key) for key in sorted(records.paths)}
    return (records.reports, records.customers, records.plans, records.reviews, records.coachings, records.goals,
            records.bodies, records.digests, records.paths, documents, problems)


@pytest.mark.parametrize("ends", ["when done", "early", "never starts"])
def test_records_parsed_by_a_second_process_are_the_records_parsed_here(team, monkeypatch, ends):
    """A cold load with a second process parsing half the files (records.Parser) gives the very
    records, bodies, documents and problems of a load in one process, and stores what the next
    load reads; if that process ends early, or cannot be started, this one parses the rest."""
    import multiprocessing.context
    import shutil

    from sitegen import records

    expected = _loaded(team, workers=1)
    shutil.rmtree(team / CACHE_DIR)
    taken = parsed_elsewhere(monkeypatch, 10)
    if ends == "early":
        share = records._parse_share
        monkeypatch.setattr(records, "_parse_share", lambda files, writer, sources: share(files[:20], writer, sources))
    if ends == "never starts":
        def no_process(_process):
            raise OSError("Resource temporarily unavailable")
        monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_process)
    assert _loaded(team, workers=2) == expected
    assert len(expected[7]) > 60 and len(taken) == {"early": 20, "never starts": 0}.get(ends, len(expected[7]) // 2)
    taken.clear()
    assert _loaded(team, workers=2) == expected and taken == []  # from the cache


def test_a_cold_build_reads_each_record_file_once(team, monkeypatch):
    """The fingerprint reads and hashes every record file; the load parses those same bytes rather
    than reading the file again (the issue's "read and hash each file once"), cache or not. Only
    a file with a problem is read again, to locate it."""
    from collections import Counter

    from sitegen import cache, loader, records

    reads: Counter[str] = Counter()
    read_bytes = loader.read_bytes

    def counted(file, rel):
        if Path(file).is_relative_to(team / "records"):  # not sitegen's own templates, hashed too
            reads[Path(file).relative_to(team).as_posix()] += 1
        return read_bytes(file, rel)

    monkeypatch.setattr(cache, "read_bytes", counted)
    monkeypatch.setattr(records, "read_bytes", counted)
    for use_cache in (True, False):
        reads.clear()
        outcome = build_site(team, team / f"site-{use_cache}", AS_OF, cache=use_cache, jobs=1)
        assert outcome.ok
        files = {p.relative_to(team).as_posix() for p in team.glob("records/**/*.*")}
        located = {p.path for p in outcome.problems}  # read again to locate their problems (Records.document)
        assert set(reads) == files and len(located) > 2
        assert {path: n for path, n in reads.items() if n != 1} == {path: 2 for path in located if path in files}


def test_a_watch_save_finds_the_records_again_only_when_an_entry_is_added_removed_or_changes_kind(team, monkeypatch):
    """Which files are records (and the warnings about the others) is kept between saves by the
    shape of records/ — every entry's path and kind — so an edit does not walk every folder again;
    an added, removed or retyped entry does, and its warning is there as in a clean build."""
    from sitegen import records as records_module
    from sitegen.build import BuildSession

    walks: list[int] = []
    discover = records_module._discover
    monkeypatch.setattr(records_module, "_discover", lambda root, problems: walks.append(1) or discover(root, problems))
    output = team / "site"
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).ok and len(walks) == 1
    report = first(team, "records/reports/2026/11/*.md")
    report.open("a", encoding="utf-8").write("\nEdited.\n")
    session.changed.add(report.relative_to(team).as_posix())
    assert build_site(team, output, AS_OF, session=session).ok and len(walks) == 1  # same shape: not walked again

    steps = [lambda: (team / "records/customers/.draft.yaml").write_text("name: x\n", encoding="utf-8"),
             lambda: (team / "records/notes.txt").write_text("hello\n", encoding="utf-8"),
             lambda: (team / "records/customers/.draft.yaml").unlink(),
             lambda: (team / "records/reports/linked.md").symlink_to(report),
             lambda: (team / "records/reports/linked.md").unlink() or (team / "records/reports/linked.md").write_text(
                 report.read_text(encoding="utf-8").replace("\nEdited.\n", ""), encoding="utf-8"),  # same name, now a file
             lambda: (team / "records/reports/linked.md").unlink() or (team / "records/reports/linked.md").symlink_to(
                 sorted(team.glob("records/reports/2026/11/*.md"))[1])]  # a link again (to another: not the site of two steps ago)
    for number, step in enumerate(steps):
        step()
        walks.clear()
        outcome = build_site(team, output, AS_OF, session=session)
        assert walks == [1], number
        clean = build_site(team, team.parent / f"clean-{number}", AS_OF, cache=False, durable=False)
        assert [str(p) for p in outcome.problems] == [str(p) for p in clean.problems]
    assert any("records/reports/linked.md" in str(p) for p in outcome.problems)


def test_records_given_the_same_fields_share_one_frozen_set_of_their_names(team):
    """Pydantic keeps a set of the fields given per record; records given the same fields share
    one frozen set (three fifths of the records' memory was these sets), parsed or from the cache,
    and it still says which fields were written."""
    from pydantic import BaseModel

    def parts(value):
        if isinstance(value, BaseModel):
            yield value
            for name in type(value).model_fields:
                yield from parts(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from parts(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from parts(item)

    for workers in (1, 1):  # parsed, then from the cache
        records = _loaded(team, workers)
        found = [part for kind in records[:6] for record in kind.values() for part in parts(record)]
        sets = {id(part.__pydantic_fields_set__): part.__pydantic_fields_set__ for part in found}
        assert len(found) > 500 and len(sets) < len(found) / 5
        assert len(set(sets.values())) == len(sets)  # no two equal sets kept apart
        assert all(type(names) is frozenset for names in sets.values())
    report = next(r for r in records[0].values() if r.touchpoints)
    assert report.touchpoints[0].model_fields_set <= set(type(report.touchpoints[0]).model_fields)
    assert "date" in report.model_fields_set and "member" in report.model_fields_set
