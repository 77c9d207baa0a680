"""The view stage: each page's data is one frozen value, computed once; templates only display it,
and a page's reuse key (the repr of its view) is the same in every process."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from datetime import date

import pytest

from conftest import REPO
from sitegen.build import validate
from sitegen.render import builtin_templates, make_renderer
from sitegen.views import page_plans
from sitegen.views.tables import Column, Table, row

AS_OF = date(2026, 11, 27)
EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
# what a template must not do: compute (arithmetic, sums, counting by filter) or build lists
FORBIDDEN = re.compile(r"(?<![\w\"'])(?:[-+*/%]|//|\*\*)(?![\w\"']*[\"'])|\bdo\b|\bsum\b|\bsort\b|\bdictsort\b|\bselectattr\b|"
                       r"\brejectattr\b|\bselect\b|\breject\b|\bmap\b|\bappend\b|\bnamespace\b|\bmin\b|\bmax\b|\bgroupby\b")


def test_no_template_computes_or_builds_lists():
    found = []
    for template in sorted(builtin_templates().glob("*.html")):
        for match in EXPRESSION.finditer(template.read_text(encoding="utf-8")):
            code = re.sub(r"(\"[^\"]*\"|'[^']*')", '""', match.group(1) or match.group(2))  # text in quotes is not code
            if FORBIDDEN.search(code):
                found.append(f"{template.name}: {match.group(0)[:80]}")
    assert found == []


def test_the_check_itself_catches_arithmetic_and_list_building():
    for code in ["{{ a / b }}", "{{ (a - b)|number }}", "{% do rows.append(x) %}", "{{ rows|sum(attribute='x') }}",
                 "{% for x in rows|selectattr('y') %}", "{{ [100, x]|min }}"]:
        inner = EXPRESSION.match(code)
        assert inner and FORBIDDEN.search(re.sub(r"(\"[^\"]*\"|'[^']*')", '""', inner.group(1) or inner.group(2))), code
    for code in ["{{ _('Days below target') }}", "{{ view.goal.must_ratio|percent }}", "{% if view.stages %}",
                 "{{ link(view.member) }}", "{{ value|amount(goal.unit) }}"]:
        inner = EXPRESSION.match(code)
        assert inner and not FORBIDDEN.search(re.sub(r"(\"[^\"]*\"|'[^']*')", '""', inner.group(1) or inner.group(2))), code


@pytest.fixture(scope="module")
def example_pages():
    result = validate(REPO, AS_OF)
    assert result.team_records is not None and result.metrics is not None
    renderer = make_renderer(REPO, "en", "TWD")
    return [plan.page() for plan in page_plans(result.team_records, result.metrics, result.problems, renderer.gettext, private=False)]


def _walk(value, path="view"):
    """Every value inside a view, with where it is."""
    yield path, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]")


def test_views_hold_only_values_whose_repr_is_all_of_them(example_pages):
    """A page is reused when the repr of its view is unchanged: so a view holds no set (its order
    changes between processes), no function and nothing whose repr leaves something out."""
    plain = (str, int, float, bool, type(None), date, list, tuple, dict)
    assert len(example_pages) > 800
    for page in example_pages:
        assert dataclasses.is_dataclass(page.view) and type(page.view).__dataclass_params__.frozen, page.path
        for where, value in _walk(page.view):
            assert isinstance(value, plain) or dataclasses.is_dataclass(value), (page.path, where, type(value))
            if dataclasses.is_dataclass(value):
                assert all(f.repr for f in dataclasses.fields(value)), (page.path, where)


def test_a_page_keyed_by_what_its_view_is_made_from_holds_it_whole_and_has_its_views_downloads(example_pages):
    """Reports' and meeting days' pages are keyed by what their views are made from (views.Known),
    so that a build finds them unchanged without making their views: that value's repr must be
    all of it, as a view's is, and it holds the view's downloadable tables (linked with an
    unchanged page)."""
    from sitegen.exports import download_paths

    plain = (str, int, float, bool, type(None), date, bytes, tuple, dict)
    known = [page for page in example_pages if page.known is not None]
    assert {page.template for page in known} == {"report.html", "daily.html"} and len(known) > 400
    assert any(download_paths(page.path, page.view) for page in known)  # meeting days' pages have downloads
    for page in known:
        value = page.known()
        assert download_paths(page.path, value.downloads) == download_paths(page.path, page.view), page.path
        for where, part in _walk(value.inputs):
            assert isinstance(part, plain) or dataclasses.is_dataclass(part), (page.path, where, type(part))
            if dataclasses.is_dataclass(part):
                assert all(f.repr for f in dataclasses.fields(part)), (page.path, where)


def test_every_page_key_is_the_same_in_another_process(tmp_path):
    """Two builds under different hash seeds give every page the same reuse key."""
    keys = []
    for seed in ("1", "2"):
        output = tmp_path / f"site{seed}"
        subprocess.run([sys.executable, "-m", "sitegen", "build", str(REPO), "-o", str(output), "--as-of", str(AS_OF), "--no-cache"],
                       check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, capture_output=True)
        keys.append(json.loads((output / ".sitegen-site").read_text(encoding="utf-8"))["keys"])
    assert len(keys[0]) > 1500 and keys[0] == keys[1]


def test_a_table_refuses_rows_that_do_not_fit_its_columns():
    columns = (Column("a", "A"), Column("b", "B", "number"))
    with pytest.raises(ValueError, match="a row of 1 cells under 2 columns"):
        Table("t", columns, (row("x"),))
    with pytest.raises(ValueError, match="rows of totals come last"):
        Table("t", columns, (row("Total", 1, total=True), row("x", 2)))


def test_english_pages_show_words_not_ids(tmp_path):
    """Statuses, signals, plan states and criteria reach English readers as words (en.po), never as
    the ids the records use (not-done, low_meeting_rate, expected_close_within_days…)."""
    from sitegen.cli import main
    from sitegen.i18n_keys import DYNAMIC_MESSAGES

    output = tmp_path / "site"
    assert main(["build", str(REPO), "-o", str(output), "--as-of", str(AS_OF)]) == 0
    ids = [m for m in DYNAMIC_MESSAGES if "_" in m or "-" in m]
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/.-])")
    shown = []
    for page in sorted((output / "en").rglob("*.html")):
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S))
        shown += [(page.name, m.group(1)) for m in pattern.finditer(text)]
    assert len(ids) > 15 and shown == []
