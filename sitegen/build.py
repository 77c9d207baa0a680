"""The whole build, readable top to bottom: load → validate → compute → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .checks import check_records
from .problems import Problem, sort_problems
from .records import Records, load_records


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


def validate(root: Path, as_of: date, commit_times: dict | None = None) -> Validation:
    """Load every record, run every check and compute the metrics (whose checks need them)."""
    from .metrics import compute_metrics

    records, problems = load_records(root)
    problems += check_records(records)
    metrics = None
    if records.config is not None and records.team is not None and not any(p.is_error for p in problems):
        metrics, found = compute_metrics(records, as_of, commit_times)
        problems += found
    return Validation(records, sort_problems(problems), metrics)


def build_site(root: Path, output: Path, as_of: date, *, private: bool = False) -> BuildOutcome:
    """Validate; on errors write nothing. Otherwise render every page and swap the site in."""
    from .gitdates import report_commit_times
    from .render import builtin_templates, make_renderer
    from .pages import plan_pages
    from .site import write_site

    started = time.perf_counter()
    root = root.resolve()
    result = validate(root, as_of, report_commit_times(root))
    if not result.ok:
        return BuildOutcome(False, result.problems)
    records, metrics = result.records, result.metrics
    config = records.config

    locales = [config.locale] + [l for l in config.locales if l != config.locale]
    files: dict[str, bytes] = {}
    page_count = 0
    for index, locale in enumerate(locales):
        prefix = "" if index == 0 else f"{locale}/"
        renderer = make_renderer(root, locale, config.currency)
        pages = plan_pages(records, metrics, result.problems, renderer.gettext, private)
        alternates = [(l, "" if i == 0 else f"{l}/") for i, l in enumerate(locales)]
        for page in pages:
            depth = (prefix + page.path).count("/")
            to_root = "../" * depth
            html = renderer.render(page.template, page=page, root=to_root, base=to_root + prefix,
                                   alternates=alternates, **page.context)
            files[prefix + page.path] = html.encode("utf-8")
            page_count += 1
    write_site(output, files, {"assets": builtin_templates() / "static"})
    return BuildOutcome(True, result.problems, page_count, time.perf_counter() - started)
