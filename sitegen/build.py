"""The whole build, readable top to bottom: load → validate → compute → render → write."""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .cache import RecordCache
from .checks import check_records
from .pages import Page
from .problems import Problem, sort_problems
from .records import Records, load_records
from .render import Renderer
from .site import Stage


@dataclass
class Validation:
    records: Records
    problems: list[Problem] = field(default_factory=list)
    metrics: object | None = None

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass
class BuildOutcome:
    ok: bool
    problems: list[Problem]
    pages: int = 0
    seconds: float = 0.0


def validate(root: Path, as_of: date, commit_times: dict | None = None, *, cache: bool = False) -> Validation:
    """Load every record, run every check and compute the metrics (whose checks need them).
    With ``cache``, files unchanged since the last run are not parsed again (see cache.py)."""
    from .metrics import compute_metrics

    record_cache = RecordCache(root) if cache else None
    try:
        records, problems = load_records(root, record_cache)
    finally:
        if record_cache is not None:
            record_cache.close()
    problems += check_records(records)
    metrics = None
    if records.config is not None and records.team is not None and not any(p.is_error for p in problems):
        metrics, found = compute_metrics(records, as_of, commit_times)
        problems += found
    return Validation(records, sort_problems(problems), metrics)


def build_site(root: Path, output: Path, as_of: date, *, private: bool = False, cache: bool = True) -> BuildOutcome:
    """Validate; on errors write nothing. Otherwise render every page and swap the site in."""
    from .gitdates import report_commit_times
    from .render import builtin_templates, make_renderer
    from .pages import plan_pages
    from .site import staged_site

    started = time.perf_counter()
    root = root.resolve()
    result = validate(root, as_of, report_commit_times(root), cache=cache)
    if not result.ok:
        return BuildOutcome(False, result.problems)
    records, metrics = result.records, result.metrics
    config = records.config

    locales = [config.locale] + [l for l in config.locales if l != config.locale]
    alternates = [(l, "" if i == 0 else f"{l}/") for i, l in enumerate(locales)]
    jobs: list[tuple[Renderer, str, Page]] = []
    for index, locale in enumerate(locales):
        prefix = "" if index == 0 else f"{locale}/"
        renderer = make_renderer(root, locale, config.currency)
        jobs += [(renderer, prefix, page) for page in plan_pages(records, metrics, result.problems, renderer.gettext, private)]
    with staged_site(output) as stage:
        render_all(jobs, alternates, stage)
        stage.copy_tree("assets", builtin_templates() / "static")
    return BuildOutcome(True, result.problems, len(jobs), time.perf_counter() - started)


def render_page(job: tuple[Renderer, str, Page], alternates: list[tuple[str, str]]) -> tuple[str, bytes]:
    renderer, prefix, page = job
    to_root = "../" * (prefix + page.path).count("/")
    html = renderer.render(page.template, page=page, root=to_root, base=to_root + prefix, alternates=alternates, **page.context)
    return prefix + page.path, html.encode("utf-8")


_FORKED: tuple | None = None  # what forked workers render: set just before the fork
PARALLEL_MIN_PAGES = 400


def _render_share(index: int, count: int) -> int:
    jobs, alternates, stage = _FORKED
    for job in jobs[index::count]:
        stage.write(*render_page(job, alternates))
    return len(jobs[index::count])


def render_all(jobs: list, alternates: list[tuple[str, str]], stage: Stage) -> None:
    """Render every page into the stage; on a large site, share the pages among forked workers,
    one per core, each writing its own files (writing is a third of the time on a slow disk).

    Forking inherits the records and metrics without copying or pickling them. Where fork is not
    available, or for a small site, everything happens in this process."""
    global _FORKED
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(jobs) < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            stage.write(*render_page(job, alternates))
        return
    for renderer in {id(job[0]): job[0] for job in jobs}.values():
        renderer.warm({job[2].template for job in jobs})  # compile templates once, before the fork
    _FORKED = (jobs, alternates, stage)
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.starmap_async(_render_share, [(i, workers) for i in range(1, workers)])
            written = _render_share(0, workers) + sum(pending.get())
    finally:
        _FORKED = None
    if written != len(jobs):
        raise RuntimeError(f"rendered {written} of {len(jobs)} pages")
