"""A watch save that changes only reports' text remakes the pages showing it, the browser's first,
and leaves the site exactly as a clean build writes it; any other save goes through the whole build."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cache import AS_OF, edit, first, same_tree
from test_gitdates import git

from sitegen import build
from sitegen.build import BuildSession, build_site
from sitegen.cache import MANIFEST_FILE, UNKNOWN_KEY, SiteManifest
from sitegen.text_edits import apply_text_edits, show_saved_report


@pytest.fixture
def live(team) -> tuple[Path, Path, BuildSession]:
    """A watch's session on a copy of the demo team, after its first build."""
    root = team
    session = BuildSession(live=True)
    assert build_site(root, root / "site", AS_OF, session=session).ok
    return root, root / "site", session


def daily_report(root: Path, index: int = 0) -> tuple[Path, str]:
    """A daily report shown on a meeting page, and its path from the root."""
    reports = [p for p in sorted(root.glob("records/reports/**/*.md")) if "kind:" not in p.read_text(encoding="utf-8")]
    report = reports[-1 - index]
    return report, report.relative_to(root).as_posix()


def assert_clean(root: Path, output: Path, tmp_path: Path, name: str) -> None:
    """The live site holds what a clean build writes, file for file, with the same page keys."""
    expected = tmp_path / name
    assert build_site(root, expected, AS_OF, cache=False, durable=False).ok
    assert same_tree(output, expected) == [MANIFEST_FILE]
    live, clean = SiteManifest.read(output), SiteManifest.read(expected)
    assert live is not None and clean is not None
    assert (live.keys, live.problems, live.pages) == (clean.keys, clean.problems, clean.pages)


def test_a_saved_report_text_remakes_its_pages_first_the_one_shown_and_ends_as_a_clean_build(live, tmp_path):
    root, output, session = live
    report, rel = daily_report(root)
    day = report.stem[:10]
    viewed = f"zh-Hans/reports/{report.stem}.html"
    seen: list[tuple[bool, bool, bool]] = []

    def shown() -> None:  # what a browser reads at that moment: the page it shows, the same in other languages
        viewed_now, default, other = ("Fresh words" in (output / path).read_text(encoding="utf-8")
                                      for path in (viewed, f"reports/{report.stem}.html", f"zh-Hant/reports/{report.stem}.html"))
        seen.append((viewed_now, default, other))

    report.write_text(report.read_text(encoding="utf-8") + "\nFresh words, *emphasised*.\n", encoding="utf-8")
    outcome = apply_text_edits(root, output, session, {rel}, AS_OF, False, viewing=viewed, on_shown=shown)
    assert outcome is not None and outcome.ok
    assert seen == [(True, False, False)]  # the shown page first, the reload at once, the rest after
    # the report's page and its meeting day's (which holds its view; a team's own template may show the text), in three languages
    assert outcome.reused == outcome.pages - 6
    for prefix in ("", "zh-Hans/", "zh-Hant/"):
        assert "<em>emphasised</em>" in (output / f"{prefix}reports/{report.stem}.html").read_text(encoding="utf-8")
        assert (output / f"{prefix}daily/{day}.html").is_file()
    assert "Fresh words" in (output / "search-index.js").read_text(encoding="utf-8")
    assert_clean(root, output, tmp_path, "clean-1")

    # two reports at once, one of them the same again; the browser on a page neither shows: reloaded before any write
    other, other_rel = daily_report(root, 1)
    other.write_text(other.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    calls: list[bool] = []
    outcome = apply_text_edits(root, output, session, {rel, other_rel}, AS_OF, False, viewing="customers/index.html",
                               on_shown=lambda: calls.append("More text" in (output / f"reports/{other.stem}.html").read_text(encoding="utf-8")))
    assert outcome is not None and calls == [False]
    assert_clean(root, output, tmp_path, "clean-2")

    # a whole build after them trusts none of it: with both texts saved back, the files are those of the last whole
    # build, but its site is not what is there now
    other.write_text(other.read_text(encoding="utf-8").replace("\nMore text.\n", ""), encoding="utf-8")
    report.write_text(report.read_text(encoding="utf-8").replace("\nFresh words, *emphasised*.\n", ""), encoding="utf-8")
    session.changed |= {rel, other_rel}
    assert not build_site(root, output, AS_OF, session=session).up_to_date
    assert_clean(root, output, tmp_path, "clean-3")

    # text and a customer saved at once: the whole build
    report.write_text(report.read_text(encoding="utf-8") + "\nAgain.\n", encoding="utf-8")
    customer = first(root, "records/customers/*.yaml")
    edit(customer, "name: ", "name: Renamed ")
    session.changed |= {rel, customer.relative_to(root).as_posix()}
    assert apply_text_edits(root, output, session, {rel, customer.relative_to(root).as_posix()}, AS_OF, False) is None
    outcome = build_site(root, output, AS_OF, session=session)
    assert outcome.ok and not outcome.up_to_date
    assert_clean(root, output, tmp_path, "clean-4")
    live_manifest, clean = SiteManifest.read(output), SiteManifest.read(tmp_path / "clean-4")
    assert live_manifest is not None and clean is not None and live_manifest.fingerprint == clean.fingerprint


def _comment_added(root: Path, rel: str) -> str:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n# a comment moves every value a line down\n", 1),
                    encoding="utf-8")
    return rel


def _deep_body(root: Path, rel: str) -> str:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "".join("  " * i + f"- level {i}\n" for i in range(12)), encoding="utf-8")
    return rel


def _value_changed(root: Path, rel: str) -> str:
    edit(root / rel, "  phone: ", "  phone: 1")  # a count: the same lines and columns, another value
    return rel


def _deleted(root: Path, rel: str) -> str:
    (root / rel).unlink()
    return rel


def _new_report(root: Path, rel: str) -> str:
    new = (root / rel).with_name("2026-11-27-new-person.md")
    shutil.copy(root / rel, new)
    return new.relative_to(root).as_posix()


def _title_changed(root: Path, rel: str) -> str:
    edit(root / "sitegen.yaml", "title: ", "title: New ")
    return "sitegen.yaml"


OTHER_SAVES: dict[str, Callable[[Path, str], str]] = {  # each returns the path it saved
    "a value in the front matter": _value_changed,
    "a comment in the front matter (every line moves)": _comment_added,
    "a body nested too deep (a problem on the page)": _deep_body,
    "a deleted report": _deleted,
    "a new report": _new_report,
    "sitegen.yaml": _title_changed,
}


@pytest.mark.parametrize("save", list(OTHER_SAVES))
def test_any_other_save_writes_nothing_and_is_left_to_the_whole_build(live, tmp_path, save):
    root, output, session = live
    _report, rel = daily_report(root)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    touched = OTHER_SAVES[save](root, rel)
    assert apply_text_edits(root, output, session, {touched}, AS_OF, False) is None
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    session.changed.add(touched)
    if build_site(root, output, AS_OF, session=session).ok:
        assert_clean(root, output, tmp_path, "clean")
    else:  # a second report of the same member and day: the last good site stays, as a clean build would not be made
        assert not build_site(root, tmp_path / "clean", AS_OF, cache=False).ok
        assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_nothing_is_taken_from_a_build_of_another_day_options_or_one_that_failed(live):
    root, output, session = live
    report, rel = daily_report(root)
    report.write_text(report.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert apply_text_edits(root, output, session, {rel}, AS_OF.replace(day=28), False) is None
    assert apply_text_edits(root, output, session, {rel}, AS_OF, True) is None
    edit(root / "records/team.yaml", "members:", "members: [")  # broken: the build fails, and what it kept goes
    session.changed.add("records/team.yaml")
    assert not build_site(root, output, AS_OF, session=session).ok
    assert session.last is None
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None


def test_files_no_build_reads_do_not_stop_a_text_save(live, tmp_path):
    """An editor's backup beside the report, and a temporary file already gone, change nothing."""
    root, output, session = live
    report, rel = daily_report(root)
    report.write_text(report.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    backup = report.with_name(report.name + "~")
    backup.write_text("old", encoding="utf-8")
    gone = report.parent / "4913"  # vim's test of whether it may write in the folder
    passing = {rel, backup.relative_to(root).as_posix(), gone.relative_to(root).as_posix()}
    assert apply_text_edits(root, output, session, passing, AS_OF, False) is not None
    assert_clean(root, output, tmp_path, "clean")
    stray = report.parent / "notes.txt"  # read by no build, but reported: a problem comes
    stray.write_text("x", encoding="utf-8")
    assert apply_text_edits(root, output, session, {stray.relative_to(root).as_posix()}, AS_OF, False) is None


def test_a_new_commit_is_left_to_the_whole_build(live):
    """What git says (when each report was committed, the days' news) is read again when HEAD moves."""
    root, output, session = live
    git(root, "init", "-q")
    git(root, "add", "records", "sitegen.yaml")
    git(root, "commit", "-qm", "records")
    assert build_site(root, output, AS_OF, session=session).ok
    report, rel = daily_report(root)
    report.write_text(report.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(root, "commit", "-qam", "more")
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None


def test_the_text_of_a_review_a_coaching_note_and_a_weekly_report_remakes_their_own_pages(live, tmp_path):
    root, output, session = live
    saved = [first(root, f"records/reports/**/*-{suffix}.md") for suffix in ("review", "coaching", "weekly")]
    for path in saved:
        path.write_text(path.read_text(encoding="utf-8") + "\nA later thought.\n", encoding="utf-8")
    outcome = apply_text_edits(root, output, session, {p.relative_to(root).as_posix() for p in saved}, AS_OF, False)
    assert outcome is not None and outcome.reused == outcome.pages - 9  # three pages, three languages: on no meeting page
    for path in saved:
        assert "A later thought." in (output / f"zh-Hant/reports/{path.stem}.html").read_text(encoding="utf-8")
    assert_clean(root, output, tmp_path, "clean")


def test_a_value_saved_with_its_report_shown_is_written_before_every_other_page(live, tmp_path):
    """The whole build, a browser showing the report: after the checks and metrics, that page is
    written alone and the browser reloads; the meeting page and the rest follow (build.py)."""
    root, output, session = live
    report, rel = daily_report(root)
    viewed, meeting = f"zh-Hans/reports/{report.stem}.html", f"zh-Hans/daily/{report.stem[:10]}.html"
    before = {path: (output / path).read_bytes() for path in (viewed, meeting)}
    seen: list[tuple[bool, bool]] = []
    edit(report, "  phone: ", "  phone: 1")  # a count: the report's page and its meeting page show it
    session.changed.add(rel)
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None
    outcome = build_site(root, output, AS_OF, session=session, viewing=viewed,
                         on_shown=lambda: seen.append(tuple((output / path).read_bytes() != before[path] for path in (viewed, meeting))))
    assert outcome.ok and seen == [(True, False)]
    assert (output / meeting).read_bytes() != before[meeting]
    assert_clean(root, output, tmp_path, "clean")


def test_a_text_save_that_fails_half_way_leaves_nothing_a_later_build_could_take_for_unchanged(live, tmp_path, monkeypatch):
    """Pages written before a failure have new text under their old keys: the manifest loses their
    keys, what the watch kept is dropped, and a later whole build - even with the text saved back -
    writes a clean build's site."""

    root, output, session = live
    report, rel = daily_report(root)
    original = report.read_text(encoding="utf-8")
    report.write_text(original + "\nHalf written.\n", encoding="utf-8")
    written: list[str] = []
    render_page = build.render_page

    def failing(job, alternates, site):
        if written:
            raise RuntimeError("disk full")
        written.append(job[1] + job[2].path)
        return render_page(job, alternates, site)

    monkeypatch.setattr(build, "render_page", failing)
    with pytest.raises(RuntimeError):
        apply_text_edits(root, output, session, {rel}, AS_OF, False, viewing=f"reports/{report.stem}.html")
    assert "Half written." in (output / written[0]).read_text(encoding="utf-8")
    manifest = SiteManifest.read(output)
    assert session.last is None and manifest is not None and manifest.keys[written[0]] == UNKNOWN_KEY  # never taken for unchanged
    monkeypatch.undo()  # the disk is mended
    report.write_text(original, encoding="utf-8")
    session.changed.add(rel)
    assert build_site(root, output, AS_OF, session=session).ok
    assert_clean(root, output, tmp_path, "clean")


def test_a_watch_started_on_an_up_to_date_site_reads_it_all_before_the_first_save(team):
    """Found up to date, the site was not read; ``warm`` reads and makes it all, writing nothing
    new, so that the first save is as quick as the others."""
    output = team / "site"
    assert build_site(team, output, AS_OF).ok
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    session = BuildSession(live=True)
    assert build_site(team, output, AS_OF, session=session).up_to_date and session.last is None
    outcome = build_site(team, output, AS_OF, session=session, warm=True)
    assert outcome.ok and not outcome.up_to_date and outcome.reused == outcome.pages and session.last is not None
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    report, rel = daily_report(team)
    report.write_text(report.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert apply_text_edits(team, output, session, {rel}, AS_OF, False) is not None


def test_the_text_of_a_record_with_a_problem_in_its_text_is_left_to_the_whole_build(live):
    """Its problem may go with the new text (the problems page and counts would change)."""
    root, output, session = live
    _report, rel = daily_report(root)
    _deep_body(root, rel)
    session.changed.add(rel)
    assert build_site(root, output, AS_OF, session=session).ok
    assert any(p.path == rel for p in session.last.problems)
    deep = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(deep + "\nMore.\n", encoding="utf-8")
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None
    (root / rel).write_text(deep.split("- level 0")[0], encoding="utf-8")  # nested no more: the warning goes
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None


def _no_phone_counted(path: Path) -> None:
    """Phone contacts counted 0 below the report's phone touchpoints: a warning on its page."""
    text = path.read_text(encoding="utf-8")
    assert "channel: phone" in text
    path.write_text(re.sub(r"^  phone: \d+$", "  phone: 0", text, count=1, flags=re.M), encoding="utf-8")


VALUE_SAVES: dict[str, Callable[[Path], None]] = {
    "a count": lambda path: edit(path, "  phone: ", "  phone: 1"),
    "a count that brings a warning": _no_phone_counted,
    "a plan item's status (its reason stays)": lambda path: edit(path, "status: partial", "status: done"),
    "a touchpoint's result, and the text": lambda path: (edit(path, "result: ", "result: (later) "),
                                                         path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")),
}


@pytest.mark.parametrize("save", list(VALUE_SAVES))
def test_a_value_saved_with_its_report_shown_is_written_before_the_whole_build_as_it_writes_it(live, tmp_path, save):
    """show_saved_report: the page the browser shows, made from the new file and the last build,
    is written before the whole build starts; the whole build writes the same page, and the site
    ends as a clean build."""
    root, output, session = live
    report, rel = daily_report(root)
    viewed, meeting = f"zh-Hans/reports/{report.stem}.html", f"zh-Hans/daily/{report.stem[:10]}.html"
    before = {path: (output / path).read_bytes() for path in (viewed, meeting)}
    VALUE_SAVES[save](report)
    session.changed.add(rel)
    assert apply_text_edits(root, output, session, {rel}, AS_OF, False) is None
    early: list[object] = []
    # at the reload, no manifest: were the watch stopped now, the next build would take no page for unchanged
    assert show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=viewed,
                             on_shown=lambda: early.append((output / viewed).read_bytes()) or early.append(SiteManifest.read(output)))
    assert len(early) == 2 and early[0] != before[viewed] and early[1] is None
    assert (output / meeting).read_bytes() == before[meeting]  # nothing of the whole build yet
    manifest = SiteManifest.read(output)  # were the whole build to fail, the next would not take the page for the old one
    assert manifest is not None and manifest.keys[viewed] == UNKNOWN_KEY and manifest.keys[meeting] != UNKNOWN_KEY
    assert ("page-problems" in early[0].decode()) == (save == "a count that brings a warning")
    assert build_site(root, output, AS_OF, session=session, viewing=viewed).ok
    assert (output / viewed).read_bytes() == early[0]
    assert_clean(root, output, tmp_path, "clean")


def _help_changed(root: Path, rel: str) -> str:
    edit(root / rel, "help: ", "help: (urgent) ")
    return rel


def _unknown_customer(root: Path, rel: str) -> str:
    edit(root / rel, "- customer: ", "- customer: no-such-")
    return rel


def _another_report(root: Path, rel: str) -> str:
    _other, other_rel = daily_report(root, 1)
    return _value_changed(root, other_rel)


NOT_SHOWN_EARLY: dict[str, Callable[[Path, str], str]] = {  # each returns the path it saved
    "its request for help (another's answer is tied to it)": _help_changed,
    "its member (a second report of a day is an error)": lambda root, rel: (edit(root / rel, "member: ", "member: x"), rel)[1],
    "an error in it": _unknown_customer,
    "another report": _another_report,
    "a customer": lambda root, rel: (edit(first(root, "records/customers/*.yaml"), "name: ", "name: Renamed "),
                                     first(root, "records/customers/*.yaml").relative_to(root).as_posix())[1],
}


@pytest.mark.parametrize("save", list(NOT_SHOWN_EARLY))
def test_a_save_the_shown_report_cannot_be_made_from_alone_is_left_to_the_whole_build(live, save):
    root, output, session = live
    report, rel = daily_report(root)
    assert "help: " in report.read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    saved = NOT_SHOWN_EARLY[save](root, rel)
    calls: list[None] = []
    assert not show_saved_report(root, output, session, {saved}, AS_OF, False, viewing=f"reports/{report.stem}.html",
                                 on_shown=lambda: calls.append(None))
    assert calls == [] and {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_a_value_save_is_not_shown_early_on_another_page_or_with_another_file(live):
    root, output, session = live
    report, rel = daily_report(root)
    _value_changed(root, rel)
    never = lambda: pytest.fail("shown")
    assert not show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=f"daily/{report.stem[:10]}.html", on_shown=never)
    other, other_rel = daily_report(root, 1)
    assert not show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=f"reports/{other.stem}.html", on_shown=never)
    _value_changed(root, other_rel)
    assert not show_saved_report(root, output, session, {rel, other_rel}, AS_OF, False, viewing=f"reports/{report.stem}.html",
                                 on_shown=never)
    assert not show_saved_report(root, output, session, {rel}, AS_OF.replace(day=28), False, viewing=f"reports/{report.stem}.html",
                                 on_shown=never)


def test_an_early_page_that_fails_leaves_nothing_a_later_build_could_take_for_unchanged(live, tmp_path, monkeypatch):
    root, output, session = live
    report, rel = daily_report(root)
    _value_changed(root, rel)
    session.changed.add(rel)

    def failing(job, alternates, site):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "render_page", failing)
    with pytest.raises(RuntimeError):
        show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=f"reports/{report.stem}.html", on_shown=lambda: None)
    assert session.last is None and SiteManifest.read(output) is None  # the marker alone: no page is taken for unchanged
    monkeypatch.undo()
    assert build_site(root, output, AS_OF, session=session).ok
    assert_clean(root, output, tmp_path, "clean")


def test_a_value_save_that_mends_a_warning_shows_the_page_without_it_before_the_whole_build(live, tmp_path):
    root, output, session = live
    report, rel = daily_report(root)
    viewed = f"reports/{report.stem}.html"
    _no_phone_counted(report)
    session.changed.add(rel)
    assert build_site(root, output, AS_OF, session=session).ok
    assert session.last is not None and any(p.path == rel for p in session.last.problems)
    assert "page-problems" in (output / viewed).read_text(encoding="utf-8")
    edit(report, "  phone: 0", "  phone: 9")  # as many contacts as touchpoints and more: the warning goes
    session.changed.add(rel)
    early: list[bytes] = []
    assert show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=viewed,
                             on_shown=lambda: early.append((output / viewed).read_bytes()))
    assert b"page-problems" not in early[0]
    assert build_site(root, output, AS_OF, session=session, viewing=viewed).ok
    assert (output / viewed).read_bytes() == early[0]
    assert_clean(root, output, tmp_path, "clean")


def test_a_value_save_keeps_the_warning_on_its_answers_on_the_page_shown_early(live, tmp_path):
    """The report's answers are checked with it (checks.report_problems): an answer to a report
    that asks for no help is a warning on the page, before the whole build as after it."""
    root, output, session = live
    report, rel = daily_report(root)
    quiet = next(p for p in sorted(root.glob("records/reports/**/*.md")) if "help:" not in p.read_text(encoding="utf-8"))
    edit(report, "tomorrow:", f"answers:\n- report: {quiet.stem}\n  answer: call me\ntomorrow:")
    session.changed.add(rel)
    assert build_site(root, output, AS_OF, session=session).ok
    viewed = f"reports/{report.stem}.html"
    assert "asks for no help" in (output / viewed).read_text(encoding="utf-8")
    _value_changed(root, rel)
    session.changed.add(rel)
    early: list[bytes] = []
    assert show_saved_report(root, output, session, {rel}, AS_OF, False, viewing=viewed,
                             on_shown=lambda: early.append((output / viewed).read_bytes()))
    assert b"asks for no help" in early[0]
    assert build_site(root, output, AS_OF, session=session, viewing=viewed).ok
    assert (output / viewed).read_bytes() == early[0]
    assert_clean(root, output, tmp_path, "clean")


def test_the_text_of_a_record_with_a_warning_on_its_values_is_saved_in_place(live, tmp_path):
    """No check reads a body but the nesting depth: a warning on the front matter stays as it was."""
    root, output, session = live
    report, rel = daily_report(root)
    _no_phone_counted(report)
    session.changed.add(rel)
    assert build_site(root, output, AS_OF, session=session).ok
    report.write_text(report.read_text(encoding="utf-8") + "\nWords below a warning.\n", encoding="utf-8")
    outcome = apply_text_edits(root, output, session, {rel}, AS_OF, False)
    assert outcome is not None and any(p.path == rel for p in outcome.problems)
    page = (output / f"reports/{report.stem}.html").read_text(encoding="utf-8")
    assert "Words below a warning." in page and "page-problems" in page
    assert_clean(root, output, tmp_path, "clean")


def test_while_a_text_save_writes_the_site_holds_no_manifest_to_take_its_pages_for_unchanged(live, tmp_path):
    """At the reload the new page is written and the new manifest not yet: a watch killed then
    must leave no old key beside a new page (the bare marker until the manifest is written)."""
    root, output, session = live
    report, rel = daily_report(root)
    report.write_text(report.read_text(encoding="utf-8") + "\nKilled here?\n", encoding="utf-8")
    at_reload: list[object] = []
    outcome = apply_text_edits(root, output, session, {rel}, AS_OF, False, viewing=f"reports/{report.stem}.html",
                               on_shown=lambda: at_reload.append(SiteManifest.read(output)))
    assert outcome is not None and at_reload == [None]
    assert_clean(root, output, tmp_path, "clean")
