"""The whole build, readable top to bottom: load → validate → compute → render → write."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .cache import (
    MANIFEST_FILE,
    UNKNOWN_KEY,
    FileMemo,
    RecordCache,
    SiteManifest,
    content_hash,
    folder_size,
    package_stamp,
    tree_digest,
)
from .loader import early_settings
from .problems import Problem, sort_problems
from .site import Stage

# Rendering (Jinja2, Babel) is imported only by the commands that render, and the records'
# models, checks and metrics (pydantic: a third of a small team's rebuild) only once a build has
# something to do: a site found up to date needs none of them.
if TYPE_CHECKING:
    from .metrics import Metrics
    from .metrics.ledger import MetricsMemo
    from .records import Records, TeamRecords
    from .render import Renderer
    from .views import Page, PagePlan, SiteView
    from .views.common import Names


@dataclass
class Validation:
    """What ``validate`` found: every record that loaded, every problem, and — when the
    configuration and team are valid — those records typed as such, and the metrics computed from
    every valid record.

    ``problems`` holds all of them; ``findings`` those of them that are business findings (goal
    decomposition, coverage, events, standards), whose severity the team sets for ``check`` but
    which never stop a site from being built: only records that cannot be read or validated do."""

    records: Records
    problems: list[Problem] = field(default_factory=list)
    metrics: Metrics | None = None
    team_records: TeamRecords | None = None
    findings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the site can be built: no record-level error (findings never block)."""
        findings = set(self.findings)
        return not any(p.is_error and p not in findings for p in self.problems)


@dataclass
class BuildSession:
    """What a long-lived process (``sitegen watch``) keeps from one build to the next. A one-shot
    build starts with an empty one; nothing here outlives the process."""

    records: dict = field(default_factory=dict)  # path -> (content hash, parsed result): RecordCache's memory
    compiled: dict[str, bytes] = field(default_factory=dict)  # compiled templates
    live: bool = False  # a local preview: the site is updated in place (site.LiveSite), never flushed to disk
    files: FileMemo = field(default_factory=dict)  # each input file's hash with its size and time: unchanged files are not read
    changed: set[str] = field(default_factory=set)  # paths (relative to the team's root) the watcher saw change since the last build
    site_files: frozenset[str] | None = None  # every file of the live site after the last build
    history: tuple[str, tuple] | None = None  # (HEAD, what was read from git at it): saves need not read it again
    found: dict[bytes, tuple] = field(default_factory=dict)  # which files are records, by the shape of records/ (records.load_records)
    metrics: MetricsMemo | None = None  # reports' facts and members' days (metrics.ledger), from the first build with work to do
    views: dict = field(default_factory=dict)  # report views kept with what they were made from (views.page_plans)
    downloads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page path -> its download files
    last: LastBuild | None = None  # what the last good build made, for a save that changes only reports' text (text_edits.py)


@dataclass
class LastBuild:
    """What the last good build of a watch was made from and made, kept for a save that changes
    only the text of reports (text_edits.py): that save remakes a few pages from these, without the
    rest of the pipeline. Dropped when a build starts, set again when one succeeds."""

    as_of: date
    private: bool
    head: str | None  # the commit the history was read at
    records: TeamRecords
    metrics: Metrics
    problems: list[Problem]
    alternates: list[tuple[str, str]]  # (locale, prefix) of each language
    site: SiteView
    shared: bytes  # what every page's key holds besides its own view
    languages: list[tuple[Renderer, Names]]  # by the language's index in ``alternates``
    pages: dict[str, Page]  # the pages showing records' text (TEXT_PAGES), by path with the language's prefix
    manifest: SiteManifest
    _shown_on: dict[str, list[str]] | None = None

    def shown_on(self, report_id: str) -> list[str]:
        """The pages that hold a report's view besides its own (its meeting day's, in each language)."""
        if self._shown_on is None:  # made at the first text save, not at every build
            self._shown_on = {}
            for path, page in self.pages.items():
                for view in getattr(page.view, "reports", ()):
                    self._shown_on.setdefault(view.id, []).append(path)
        return self._shown_on.get(report_id, [])


@dataclass
class BuildOutcome:
    ok: bool
    problems: list[Problem]
    pages: int = 0
    seconds: float = 0.0
    up_to_date: bool = False  # nothing had changed since the last build: nothing was written
    reused: int = 0  # pages linked unchanged from the previous site
    timings: dict[str, float] = field(default_factory=dict)  # stage (cli.STAGES) -> seconds, for -v and benchmarks
    superseded: bool = False  # (watch) stopped for a newer save, the site described as it stands (build_site's ``pending``)


def validate(root: Path, as_of: date, commit_times: dict | None = None, *, cache: bool = False,
             digests: dict[str, bytes] | None = None, memory: dict | None = None, versions: dict | None = None,
             changes: list | None = None, pipelines: dict | None = None, kept: MetricsMemo | None = None,
             shape: bytes | None = None, found: dict | None = None, keep_sources: bool = True, workers: int | None = None,
             sources: dict[str, bytes] | None = None) -> Validation:
    """Load every record, run every check and compute the metrics (whose checks need them).
    With ``cache``, files unchanged since the last run are not parsed again (see cache.py); with
    ``kept``, the metrics of reports and members' days that did not change are not made again; with
    ``found``, which files are records is kept by the ``shape`` of records/ (records.load_records);
    without ``keep_sources``, the records' documents are read again where a problem is located;
    ``workers``: how many processes may parse files the cache does not hold (load_records);
    ``sources``: files' bytes already read (the fingerprint's), used instead of reading them again."""
    from .checks import check_findings, check_records
    from .metrics import compute_metrics
    from .records import load_records, with_team

    record_cache = RecordCache(root, memory) if cache else None
    try:
        records, problems = load_records(root, record_cache, digests, shape, found, keep_sources, workers, sources)
    finally:
        if record_cache is not None:
            record_cache.close()
    team_records = with_team(records)
    metrics = None
    findings: list[Problem] = []
    if team_records is not None:
        problems += check_records(team_records, as_of)
        # from every valid record, broken ones aside: one bad file never hides the other findings
        metrics = compute_metrics(team_records, as_of, commit_times, versions, changes, pipelines, kept)
        findings = check_findings(team_records, metrics)
    return Validation(records, sort_problems(problems + findings), metrics, team_records, findings)


def build_site(root: Path, output: Path, as_of: date, *, private: bool = False, cache: bool = True,
               durable: bool = True, session: BuildSession | None = None, archive: bool = False,
               viewing: str = "", on_shown: Callable[[], None] | None = None, warm: bool = False,
               jobs: int | None = None, pending: Callable[[], bool] | None = None) -> BuildOutcome:
    """Validate; on errors write nothing. Otherwise render every page and swap the site in.
    Raises ``site.UnsafeOutput`` for an output folder that is not the site's alone.

    Every site carries its manifest (cache.SiteManifest): the fingerprint of all its inputs and a
    key per page. With ``cache`` (the default), a build whose inputs match the manifest of the
    site already at ``output`` does nothing, and pages whose keys match are linked from that site
    instead of rendered again. Because the manifest is swapped in with the site it describes, it
    is right whatever flags built that site (``--no-cache`` included). ``durable``: flush the new
    site to disk before swapping it in (see site.staged_site).

    ``viewing``, ``on_shown`` (watch): the language of the page at ``viewing`` (the one a browser last
    asked for) is built first. When the site is updated in place, that page is written before any
    other and ``on_shown`` is called at once — a report's page always, any other page when the
    language keeps the same pages (none to add or delete: the page may link to them); otherwise
    once that language's pages are in place — when they are the same set as before, else when all
    is done — so that the browser reloads before the other pages, downloads and search index are written.
    ``warm`` (watch): a site that is up to date is built all the same, each page reused by its key,
    so that the session holds what later saves build on (``session.last``, the memos).
    ``jobs``: how many processes parse files and render pages (load_records, render_all; default
    one per core).
    ``pending`` (watch): whether a newer save is waiting. Once the page shown is up to date —
    written by this build (``on_shown`` called) or before it (no ``on_shown``) — a site updated in
    place stops between pages when one is: what it wrote is described by the manifest and the rest
    kept as it was, for the next build to go on from (``BuildOutcome.superseded``). A save a few
    seconds after another then waits for the checks and metrics only, not for every page of the
    last one; and every save still shows its page."""
    from .cache import CACHE_DIR
    from .gitdates import (
        file_versions,
        first_commit_day,
        head,
        month_end_commits,
        pipelines_at,
        record_changes,
        report_commit_times,
    )
    from .periods import forecast_days
    from .resources import builtin_templates
    from .site import MARKER_NOTE, LiveSite, check_output_folder, is_sitegen_site, live_site, staged_site, tidy

    check_output_folder(root, output)  # before anything: a build replaces its output folder whole
    session = session or BuildSession()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = [started]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = round(timings.get(stage, 0.0) + now - clock[0], 3)  # stages repeated per language add up
        clock[0] = now

    root, output = root.resolve(), output.absolute()
    session.last = None  # until this build succeeds
    settings = early_settings(root)  # what reading git needs before the records are read
    zone = ZoneInfo(_team_zone(settings))
    at = head(root) if session.live else None
    if at is not None and session.history is not None and session.history[0] == f"{at} {as_of}":
        commit_times, versions, changes, pipelines = session.history[1]  # read from commits only: HEAD has not moved
    else:
        commit_times = report_commit_times(root, _requires_signed_reports(settings), root / CACHE_DIR / "signatures.json" if cache else None)
        versions = file_versions(root, "records/plans")  # each plan's history, for its page
        changes = record_changes(root, root / CACHE_DIR / "changes.json" if cache else None)  # the days' news, from git
        first = first_commit_day(root, zone)  # the forecast as it stood, week by week, in each period over
        days = forecast_days(first, as_of, str(settings.get("goal_period", "month"))) if first is not None else []
        pipelines = pipelines_at(root, days, zone, root / CACHE_DIR / "pipelines.json" if cache else None) if days else {}
        if at is not None:
            session.history = (f"{at} {as_of}", (commit_times, versions, changes, pipelines))
    stamp = package_stamp()
    digests: dict[str, bytes] = {}  # every record file's content hash, taken once for the fingerprint and the load
    sources: dict[str, bytes] = {}  # and its bytes, read once: the load parses those the cache lacks
    changed, session.changed = session.changed, set()
    # the team's own templates: in both fingerprints, walked once
    templates = tree_digest(root / "templates", None, "templates/", session.files, changed)
    # month-end sites kept under archive/ (--archive): each month over, built from its last commit
    months = month_end_commits(root, zone, as_of) if archive and not session.live else []
    shape = hashlib.blake2b(digest_size=20)
    fingerprint = _inputs_fingerprint(stamp, root, as_of, private, (commit_times, versions, changes, pipelines), digests,
                                      templates, session.files, changed, shape, sources)
    if months:
        fingerprint = content_hash(fingerprint + repr(months).encode())
    last = SiteManifest.read(output) if cache else None
    lap("fingerprint")
    in_place = session.live and session.site_files is not None and is_sitegen_site(output)
    if not warm and last is not None and last.fingerprint == fingerprint and (in_place or folder_size(output) == (last.files, last.size)):
        tidy(output)
        if on_shown is not None:
            on_shown()
        return BuildOutcome(True, last.problems, last.pages, time.perf_counter() - started, up_to_date=True)

    from .metrics.ledger import MetricsMemo
    from .search import search_entries, search_script  # only now: a build with nothing to do need not import them
    from .views import SiteView

    session.metrics = session.metrics or MetricsMemo()

    # What lives until the build ends need not be searched by the garbage collector each time new
    # values fill its youngest generation: what earlier builds of a watch left (records, memos,
    # views; at 20,000 reports its searches took seconds of each save), then this build's records
    # and metrics (a third of a large team's view time). Freezing costs nothing; all is unfrozen
    # at the end, so that what a save made garbage is collected between builds.
    gc.freeze()
    # and the youngest generation searched every 10,000 new objects, not every 700: a build makes
    # millions and keeps most till it ends, and the searches took 0.55 s of a cold 5,000-report
    # build (0.27 s of a one-report rebuild), against 0.3 s (0.1 s) so, at the same peak memory
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, *thresholds[1:])
    try:
        # a one-shot build keeps no record's source in memory (the few a problem is found in are read again)
        result = validate(root, as_of, commit_times, cache=cache, digests=digests, memory=session.records if session.live else None,
                          versions=versions, changes=changes, pipelines=pipelines, kept=session.metrics, shape=shape.digest(),
                          found=session.found, keep_sources=session.live, workers=jobs, sources=sources)
        if not session.live:  # the sources read again served the checks: they are done
            result.records.documents.clear()
        lap("validate")
        gc.freeze()
        records, metrics = result.team_records, result.metrics
        if not result.ok or records is None or metrics is None:
            return BuildOutcome(False, result.problems)
        config = records.config

        locales: list[str] = [str(config.locale)] + [str(extra) for extra in config.locales if extra != config.locale]
        from .render import TemplateFailed

        broken = broken_templates(root, config, locales, session.compiled)
        if broken:  # the team's own templates, all at once, before a page is written
            return BuildOutcome(False, sort_problems(result.problems + broken))
        alternates = [(code, "" if i == 0 else f"{code}/") for i, code in enumerate(locales)]
        site = SiteView(config.title, as_of)
        shared = _page_fingerprint(stamp, templates, site, private, locales)
        previous = last.keys if last is not None else {}
        keys: dict[str, bytes] = {}
        pages = reused = 0
        files = {MANIFEST_FILE, *(prefix + "search-index.js" for _, prefix in alternates)}  # what the site holds when done
        writing = (live_site(output, session.site_files or frozenset()) if in_place
                   else staged_site(output, durable=durable and not session.live, defer_cleanup=session.live))
        order = sorted(range(len(locales)), key=lambda index: index != language_of(viewing, alternates))
        try:
            with writing as stage:
                if isinstance(stage, LiveSite):
                    # pages are replaced in place from here: until the new manifest is written, the
                    # site holds its bare marker, so that a build after a stop halfway (Ctrl-C, a
                    # crash) takes no page for unchanged whose file a later input no longer matches
                    stage.write(MANIFEST_FILE, MARKER_NOTE.encode() + b"\n")
                languages = _Languages(root, records, metrics, result.problems, private, session, tuple(key for key, _, _ in months),
                                       shared, previous, locales, alternates, site, stage, output, viewing, on_shown, jobs,
                                       pending if isinstance(stage, LiveSite) else None, shown_yet=on_shown is None)
                # One language at a time: its views are dropped before the next language's are made.
                # (A forked process per language was tried: no clear gain on two cores, and a peak of
                # 720 MB instead of 457 at 5,000 reports — each process copies the records it touches.)
                built: list[_LanguageBuilt] = []
                try:
                    for index in order:
                        _go_on(languages)
                        built.append(_build_language(languages, index, timings))
                        clock[0] = time.perf_counter()
                        if on_shown is not None and not languages.shown_yet and set(built[-1].keys) == _pages_before(languages, index):
                            languages.shown_yet = True
                            on_shown()
                except _Superseded:
                    return _stop_for_newer_save(languages, built, fingerprint, started, timings)
                for language in built:
                    keys |= language.keys
                    files |= language.files
                    pages, reused = pages + language.pages, reused + language.reused
                search_index = search_script(search_entries(records, metrics))
                for _, prefix in alternates:
                    stage.write(prefix + "search-index.js", search_index)
                assets = builtin_templates() / "static"
                stage.copy_tree("assets", assets)
                files.update(f"assets/{p.relative_to(assets).as_posix()}" for p in assets.rglob("*") if p.is_file())
                lap("render")
                for key, last_day, commit in months:
                    _archive_month(root, stage, output, key, last_day, commit, stamp)
                lap("archive")
                if isinstance(stage, LiveSite):  # counted only for a site swapped in whole (see SiteManifest)
                    manifest = SiteManifest(fingerprint, -1, -1, pages, result.problems, keys)
                    stage.finish(files)
                else:
                    manifest = SiteManifest(fingerprint, *folder_size(stage.folder), pages, result.problems, keys)
                stage.write(MANIFEST_FILE, manifest.encode())
        except TemplateFailed as failed:  # a page a template could not make: the staged site is dropped, the last one stays
            if in_place:  # (watch) some pages were replaced in place: the site keeps its bare marker, and the next build stages a whole site
                session.site_files = None
            return BuildOutcome(False, sort_problems(result.problems + [failed.problem]))
        if session.live:
            session.site_files = frozenset(files)
            session.last = LastBuild(as_of, private, at, records, metrics, result.problems, alternates, site, shared,
                                     [(b.renderer, b.names) for b in sorted(built, key=lambda b: b.index)],
                                     {path: page for language in built for path, page in language.text_pages.items()}, manifest)
        if on_shown is not None and not languages.shown_yet:
            on_shown()
        lap("swap")
        return BuildOutcome(True, result.problems, pages, time.perf_counter() - started, reused=reused, timings=timings)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def broken_templates(root: Path, config: Any, locales: list[str], compiled: dict[str, bytes] | None = None) -> list[Problem]:
    """The syntax errors of the team's own templates (templates/), each located; none without the
    folder. ``compiled``: watch's compiled templates, which this fills."""
    if not (root / "templates").is_dir():
        return []
    from .render import make_renderer, template_problems

    return template_problems(make_renderer(root, locales[0], config.currency, compiled, locales))


@dataclass
class _Languages:
    """What building each language of a site takes: the same for all of them."""

    root: Path
    records: TeamRecords
    metrics: Metrics
    problems: list[Problem]
    private: bool
    session: BuildSession
    months: tuple[str, ...]  # archived months, linked from the goals pages
    shared: bytes  # what every page's key holds besides its own view
    previous: dict[str, bytes]  # the keys of the site there is
    locales: list[str]
    alternates: list[tuple[str, str]]
    site: SiteView
    stage: Stage
    output: Path
    viewing: str = ""  # the page a browser shows (watch)
    on_shown: Callable[[], None] | None = None  # called when that page is written (see _build_language)
    jobs: int | None = None  # processes rendering pages (render_all)
    pending: Callable[[], bool] | None = None  # (watch, in place) a newer save is waiting (build_site)
    shown_yet: bool = False  # the page the browser shows is up to date (on_shown called): the build may stop for a newer save
    shown_files: set[str] = field(default_factory=set)  # what writing that page first wrote (_show_first)


TEXT_PAGES = ("report.html", "review.html", "coaching.html", "daily.html")  # the pages showing a record's text (LastBuild)


@dataclass
class _LanguageBuilt:
    index: int
    keys: dict[str, bytes]  # page path -> key, for the manifest
    pages: int
    reused: int
    files: set[str]  # every file of the language (a live site only: LiveSite.finish deletes the rest)
    renderer: Renderer
    names: Names
    text_pages: dict[str, Page]  # a live site's pages showing records' text, by path with prefix (LastBuild.pages)


def _build_language(job: _Languages, index: int, timings: dict[str, float]) -> _LanguageBuilt:
    """One language's views, keys and pages; the time of each stage added to ``timings``."""
    from .exports import download_paths
    from .render import make_renderer
    from .views import Names, page_plans

    session, locale = job.session, job.locales[index]
    prefix = "" if index == 0 else f"{locale}/"
    started = time.perf_counter()
    renderer = make_renderer(job.root, locale, job.records.config.currency, session.compiled, job.locales)
    names = Names(job.records, job.metrics, renderer.gettext)
    early = _report_shown_first(job, index, renderer, names)  # before the plans: a report's page needs none
    plans = page_plans(job.records, job.metrics, job.problems, renderer.gettext, job.private,
                       session.views if session.live else None, job.months, names)
    workers = _workers(job.jobs, len(plans))
    if not session.live:  # each process makes the views, keys and pages of its share
        planned = time.perf_counter()
        own, reused = render_in_parts(plans, renderer, prefix, job, workers)
        for stage, seconds in (("plan", planned - started), ("render", time.perf_counter() - planned)):  # render: views and keys too
            timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)
        return _LanguageBuilt(index, own, len(plans), reused, set(), renderer, names, {})
    first = _plan_shown_first(job, index, renderer, plans) if early is None else None
    if first is not None:
        early = prefix + first.path
    jobs: list[tuple[Renderer, str, Page]] = []
    for plan in plans:
        _go_on(job)
        jobs.append((renderer, prefix, first if first is not None and plan.path == first.path else plan.page()))
    viewed = time.perf_counter()
    own = {}
    for _, prefix, page in jobs:
        _go_on(job)
        own[prefix + page.path] = page_key(job.shared, prefix, page)
    reuse = {path for path, key in own.items() if job.previous.get(path) == key}
    files = set(own)  # what the live site will hold, for LiveSite.finish to delete the rest
    for _, prefix, page in jobs:  # an unchanged page has the downloads it had
        path = prefix + page.path
        known = session.downloads.get(path) if path in reuse else None
        if known is None:
            known = session.downloads[path] = tuple(download_paths(path, page.view))
        files.update(known)
    keyed = time.perf_counter()
    render_all([j for j in jobs if j[1] + j[2].path != early], job.alternates, job.site, job.stage, reuse, job.output, job.jobs)
    done = time.perf_counter()
    for stage, seconds in (("views", viewed - started), ("page keys", keyed - viewed), ("render", done - keyed)):
        timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)  # stages of each language add up
    text_pages = {prefix + page.path: page for _, prefix, page in jobs if page.template in TEXT_PAGES}
    return _LanguageBuilt(index, own, len(jobs), len(reuse), files, renderer, names, text_pages)


def _pages_before(job: _Languages, index: int) -> set[str]:
    """The pages of a language the site had before this build (the last manifest's keys)."""
    return {path for path in job.previous if language_of(path, job.alternates) == index}


def _shows_this_language(job: _Languages, index: int) -> bool:
    """Whether a browser shows a page of this language and the site is updated in place (watch)."""
    from .site import LiveSite

    return job.on_shown is not None and isinstance(job.stage, LiveSite) and language_of(job.viewing, job.alternates) == index


def _show_first(job: _Languages, index: int, renderer: Renderer, page: Page) -> None:
    """Write the page the browser shows before all others and say so (``on_shown``): the browser
    reloads after the checks and metrics, without waiting for every other view of the site."""
    from .exports import download_paths

    path = job.alternates[index][1] + page.path
    write_page(job.stage, (renderer, job.alternates[index][1], page), job.alternates, job.site)
    job.shown_files.update([path, *download_paths(path, page.view)])
    job.shown_yet = True
    if job.on_shown is not None:
        job.on_shown()


class _Superseded(Exception):
    """A newer save is waiting (build_site's ``pending``): the build stops where it stands."""


def _go_on(job: _Languages) -> None:
    """A point where a live build may stop: it does once the page shown is up to date and a newer save waits."""
    if job.shown_yet and job.pending is not None and job.pending():
        raise _Superseded


def _stop_for_newer_save(job: _Languages, built: list[_LanguageBuilt], fingerprint: bytes, started: float,
                         timings: dict[str, float]) -> BuildOutcome:
    """End a live build that a newer save supersedes, the site described as it stands: the
    languages built have their new keys and files; of the others, every page is as the last build
    left it, with its key, but the one written first (UNKNOWN_KEY: it is made again). The
    manifest's fingerprint is none a set of inputs has, so the next build compares every key."""
    done = {language.index for language in built}
    keys = {path: UNKNOWN_KEY if path in job.shown_files else key for path, key in job.previous.items()
            if language_of(path, job.alternates) not in done}
    files = set(job.session.site_files or ()) | job.shown_files
    for language in built:
        keys |= language.keys
        files |= language.files
    job.stage.write(MANIFEST_FILE, SiteManifest(content_hash(b"superseded " + fingerprint), -1, -1, len(keys), job.problems,
                                                keys).encode())
    job.session.site_files = frozenset(files)
    return BuildOutcome(True, job.problems, len(keys), time.perf_counter() - started, timings=timings, superseded=True)


def _report_shown_first(job: _Languages, index: int, renderer: Renderer, names: Names) -> str | None:
    """When the page shown is a report's, that page written first, before any other page is even
    planned (the most common page while editing a report). Its path, or None."""
    from .views import report_page_alone

    if not _shows_this_language(job, index):
        return None
    prefix = job.alternates[index][1]
    page = report_page_alone(job.records, job.metrics, job.problems, names, renderer.gettext, job.session.views,
                             job.viewing[len(prefix):])
    if page is None:
        return None
    _show_first(job, index, renderer, page)
    return prefix + page.path


def _plan_shown_first(job: _Languages, index: int, renderer: Renderer, plans: list[PagePlan]) -> Page | None:
    """When the page shown is any other page (a meeting day, a member, a customer, the home
    page…), that page made and written first. The page, to be kept for the others' jobs (its view
    is not made twice), or None. Only when the language keeps the same pages: where pages come or
    go, the one shown may link to a page not yet written, or be one that goes, and the browser
    reloads once they are all in place."""
    if not _shows_this_language(job, index):
        return None
    prefix = job.alternates[index][1]
    if {prefix + plan.path for plan in plans} != _pages_before(job, index):
        return None
    path = job.viewing[len(prefix):]
    plan = next((plan for plan in plans if plan.path == path), None)
    if plan is None:
        return None
    page = plan.page()
    _show_first(job, index, renderer, page)
    return page


def language_of(path: str, alternates: list[tuple[str, str]]) -> int:
    """Which of the site's languages a page path is in (0: the first, whose pages have no prefix)."""
    return next((i for i, (_code, prefix) in enumerate(alternates) if prefix and path.startswith(prefix)), 0)


ARCHIVE_MARK = ".sitegen-archive"


def _archive_month(root: Path, stage: Stage, output: Path, key: str, last_day: date, commit: str, stamp: bytes) -> None:
    """archive/<month>/: the site as it was at the month's last commit, as of its last day — what
    ``build --at COMMIT --as-of LAST-DAY`` writes, byte for byte (a mark beside it says which commit
    and sitegen made it). One the previous site already has is linked, not built again."""
    import tempfile

    from .gitdates import checkout

    mark = f"{commit} {stamp.hex()}\n".encode()
    folder = f"archive/{key}"
    previous = output / folder
    if (previous / ARCHIVE_MARK).is_file() and not previous.is_symlink() and (previous / ARCHIVE_MARK).read_bytes() == mark:
        kept = [p for p in previous.rglob("*") if p.is_file() and not p.is_symlink()]
        if all(stage.link(f"{folder}/{p.relative_to(previous).as_posix()}", output) for p in kept):
            return
    with tempfile.TemporaryDirectory(prefix="sitegen-archive-") as temporary:
        then, _ = checkout(root, commit, Path(temporary) / "repository")
        built = Path(temporary) / "site"
        outcome = build_site(then, built, last_day, cache=False, durable=False)
        if not outcome.ok:
            return  # a month whose records did not validate has no site to keep
        stage.copy_tree(folder, built)
    stage.write(f"{folder}/{ARCHIVE_MARK}", mark)


def _team_zone(settings: dict) -> str:
    """The team's time zone (UTC when it is not a valid one)."""
    try:
        ZoneInfo(str(settings.get("timezone")))
        return str(settings.get("timezone"))
    except (ValueError, KeyError, OSError):
        return "UTC"


def _requires_signed_reports(settings: dict) -> bool:
    """Whether the team sets ``reports: {signed: true}`` (only a plain true counts)."""
    reports = settings.get("reports")
    return isinstance(reports, dict) and reports.get("signed") is True


def _inputs_fingerprint(stamp: bytes, root: Path, as_of: date, private: bool, history: tuple[dict, dict, list, dict],
                        digests: dict[str, bytes], templates: bytes, memo: FileMemo, changed: set[str], shape: Any = None,
                        sources: dict[str, bytes] | None = None) -> bytes:
    """Everything a build reads: sitegen itself (stamp), the team's files and their git history,
    the day and the options."""
    digest = hashlib.blake2b(stamp, digest_size=20)
    commit_times, versions, changes, pipelines = history
    digest.update(f"{as_of}|{private}|{sorted((k, v.isoformat()) for k, v in commit_times.items())}".encode())
    digest.update(repr(sorted(versions.items())).encode() + repr(changes).encode() + repr(sorted(pipelines.items())).encode())
    config = root / "sitegen.yaml"
    digest.update(content_hash(config.read_bytes()) if config.is_file() else b"-")
    digest.update(b"records" + tree_digest(root / "records", digests, "records/", memo, changed, shape, sources))
    digest.update(b"templates" + templates)
    return digest.digest()


def _page_fingerprint(stamp: bytes, templates: bytes, site: SiteView, private: bool, locales: list[str]) -> bytes:
    """What every page shares beyond its view: sitegen itself (stamp), the team's own templates,
    the frame of every page, the options and the languages (the language switch links them all)."""
    digest = hashlib.blake2b(stamp, digest_size=20)
    digest.update(f"{site!r}|{private}|{locales}".encode())
    digest.update(b"templates" + templates)
    return digest.digest()


def page_key(shared: bytes, prefix: str, page: Page) -> bytes:
    """A page's reuse key: what every page shares, its language, its template and its view — or,
    where the page knows it (``Known``), what its view is made from: then the view need not be
    made to find the page unchanged (render_in_parts).

    A view is a frozen value of dataclasses, tuples, numbers, text and dates, so its ``repr`` is
    all of it, in a fixed order: two views with the same ``repr`` render the same page. (A test
    checks that no view holds a set, whose order would change between processes.)"""
    return _key(shared, prefix, page, page.known().inputs if page.known is not None else page.view)


def _key(shared: bytes, prefix: str, page: Page | PagePlan, shown: object) -> bytes:
    return content_hash(shared + f"{prefix}|{page.template}|{page.title}|{page.section}|{shown!r}|{page.problems!r}".encode())


def render_page(job: tuple[Renderer, str, Page], alternates: list[tuple[str, str]], site: SiteView) -> list[tuple[str, bytes]]:
    """One page's HTML, and a CSV and a JSON file for each of its view's downloadable tables."""
    from .exports import table_files

    renderer, prefix, page = job
    to_root = "../" * (prefix + page.path).count("/")
    html = renderer.render(page.template, page=page, view=page.view, site=site, root=to_root, base=to_root + prefix,
                           alternates=alternates)
    return [(prefix + page.path, html.encode("utf-8"))] + table_files(prefix + page.path, page.view)


def write_page(stage: Stage, job: tuple[Renderer, str, Page], alternates: list[tuple[str, str]], site: SiteView) -> None:
    """Render one page and write it, with its downloads, into ``stage``."""
    for file, content in render_page(job, alternates, site):
        stage.write(file, content)


PARALLEL_MIN_PAGES = 400
YOUNG_GENERATION = 10_000  # new objects between searches of the youngest generation, while a build runs (build_site)


def _shares(jobs: list, workers: int, size: Callable[[Any], int] = lambda job: 1) -> list[list]:
    """The pages (or groups of pages: ``size``) dealt in turn among ``workers`` processes, each to
    the one with the fewest pages so far."""
    shares: list[list] = [[] for _ in range(workers)]
    held = [0] * workers
    for job in jobs:
        taker = min(range(workers), key=lambda k: held[k])
        shares[taker].append(job)
        held[taker] += size(job)
    return shares


def _render_share(jobs: list, alternates: list[tuple[str, str]], site: SiteView, stage: Stage, reuse: AbstractSet[str],
                  previous: Path | None) -> None:
    for job in jobs:
        _render_or_reuse(job, alternates, site, stage, reuse, previous)


def _render_or_reuse(job, alternates, site: SiteView, stage: Stage, reuse: AbstractSet[str], previous: Path | None) -> None:
    _renderer, prefix, page = job
    path = prefix + page.path
    if previous is None or path not in reuse or not _reused(stage, path, page.view, previous):
        write_page(stage, job, alternates, site)


def _reused(stage: Stage, path: str, view: object, previous: Path) -> bool:
    """Link an unchanged page and its downloads (those of ``view``, or of the part of it a
    ``Known`` holds) from the previous site; False, with nothing linked, when one is gone."""
    from .exports import download_paths
    from .site import LiveSite

    if isinstance(stage, LiveSite) and stage.link(path, previous):
        return True  # in place, with the downloads of the same view
    linked = []
    for file in [path] + download_paths(path, view):
        if not stage.link(file, previous):
            break
        linked.append(file)
    else:
        return True
    for file in linked:  # a file of the page is gone: render it all; never write through a link into the old site
        stage.remove(file)
    return False


def _workers(asked: int | None, pages: int) -> int:
    """How many processes render a site of ``pages`` pages: one per core (or as ``--jobs`` asks),
    at most 8; one for a small site, or where processes cannot be forked."""
    workers = min(asked or os.cpu_count() or 1, 8)
    return workers if pages >= PARALLEL_MIN_PAGES and "fork" in multiprocessing.get_all_start_methods() else 1


def render_in_parts(plans: list[PagePlan], renderer: Renderer, prefix: str, job: _Languages, workers: int) -> tuple[dict[str, bytes], int]:
    """A one-shot build's pages of one language, made in this process or shared among ``workers``
    processes (this one and forked ones): each makes the keys of its share, and renders each page
    whose key changed (its view made) or links the last site's file. The keys, and how many pages
    were reused, come back.

    The views are made after the fork, each in one process: none is made twice or copied by
    reading it (a forked process copies each memory page whose objects it reads), and the views
    take two cores, not one. A meeting day's page goes with its reports' pages, whose views it
    shows (``PagePlan.group``)."""
    # no template compiled before the fork: each process compiles those its pages need, at once
    # (no longer than one compiling all of them first), and a build that renders few pages few
    if workers == 1:
        return _render_part(plans, renderer, prefix, job)
    groups: dict[str, list[PagePlan]] = {}
    for plan in plans:
        groups.setdefault(plan.group or plan.path, []).append(plan)
    shares = [[plan for group in share for plan in group] for share in _shares(list(groups.values()), workers, len)]
    keys: dict[str, bytes] = {}
    reused = 0
    for theirs, their_reused in _shared(lambda share: _render_part(share, renderer, prefix, job), shares):
        keys.update(theirs)
        reused += their_reused
    return keys, reused


def _shared(work: Callable[[list], Any], shares: list[list]) -> list:
    """``work`` done on each share, the first in this process and each other in a forked one;
    what each gave back, in order. A page a template could not make, in any process, fails the
    whole (TemplateFailed, raised here); so does a process that failed otherwise (its exit code)."""
    from .render import TemplateFailed

    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in shares[1:]]
    children = [context.Process(target=_in_child, args=(work, share, writer)) for share, (_reader, writer) in zip(shares[1:], pipes, strict=True)]
    gc.freeze()  # the workers' garbage collector then leaves the inherited objects, and their pages, alone (build_site unfreezes)
    results = []
    try:
        for child, (_reader, writer) in zip(children, pipes, strict=True):
            child.start()
            writer.close()  # the child's end: its reader sees the end of the pipe when the child ends
        results.append(work(shares[0]))
        for reader, _writer in pipes:
            try:
                theirs = reader.recv()
            except EOFError:  # the child failed: its exit code says so below
                continue
            if isinstance(theirs, TemplateFailed):
                raise theirs
            results.append(theirs)
    except BaseException:
        for child in children:  # a child waiting to send its result would wait for ever
            child.terminate()
        raise
    finally:
        for child in children:
            child.join()
    _check_workers(children)
    return results


def _in_child(work: Callable[[list], Any], share: list, writer: Any) -> None:
    """A forked process's part of _shared: what ``work`` gave back, or the template failure that stopped it."""
    from .render import TemplateFailed

    try:
        result = work(share)
    except TemplateFailed as failed:
        result = failed
    writer.send(result)
    writer.close()


def _check_workers(children: list) -> None:
    """A build fails if any of its rendering workers did (each printed why)."""
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(children)} rendering workers failed (exit codes {failed})")


def _render_part(plans: list[PagePlan], renderer: Renderer, prefix: str, job: _Languages) -> tuple[dict[str, bytes], int]:
    """Each page's key, and the page rendered, or the last site's file linked when the key is the
    one it had there. A page that knows what its view is made from (a report's, a meeting day's)
    is keyed by that: its view is made only if it is rendered. The keys, and how many pages were
    reused."""
    keys: dict[str, bytes] = {}
    reused = 0
    for plan in plans:
        path = prefix + plan.path
        page: Page | None
        if plan.known is not None:  # keyed by what its view is made from: the view is made only if the page is rendered
            known = plan.known()
            page, key, downloads = None, _key(job.shared, prefix, plan, known.inputs), known.downloads
        else:
            page = plan.page()
            key, downloads = page_key(job.shared, prefix, page), page.view
        keys[path] = key
        if job.previous.get(path) == key and _reused(job.stage, path, downloads, job.output):
            reused += 1
            continue
        write_page(job.stage, (renderer, prefix, page or plan.page()), job.alternates, job.site)
    return keys, reused


def render_all(jobs: list, alternates: list[tuple[str, str]], site: SiteView, stage: Stage, reuse: AbstractSet[str] = frozenset(),
               previous: Path | None = None, workers: int | None = None) -> None:
    """Render every page, its view made, into the stage: what watch does (its views are kept
    between saves; a one-shot build makes each view where its page is written, if it is rendered:
    render_in_parts). With many pages to render, share them among forked
    workers, one per core (or ``workers``), each writing its own files (writing is a third of the
    time on a slow disk).

    A forked worker inherits the views without copying or pickling them (a fork-context Process
    pickles nothing), but each object it reads is copied with the memory page that holds it (a
    reference count changes). ``workers=1`` renders in this process alone, as does a small site or a
    platform without fork."""
    workers = _workers(workers, len(jobs) - len(reuse))
    if workers < 2:
        _render_share(jobs, alternates, site, stage, reuse, previous)
        return
    for renderer in {id(job[0]): job[0] for job in jobs}.values():
        renderer.warm({job[2].template for job in jobs})  # compile templates once, before the fork
    _shared(lambda share: _render_share(share, alternates, site, stage, reuse, previous), _shares(jobs, workers))
