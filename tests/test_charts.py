"""Chart specs are written as plain data (sitegen/charts.py): each must be a valid spec for the
Vega-Lite release the site ships (6.x), in every language, with the rows a real site gives it."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from sitegen.charts import _shape, chart_spec
from sitegen.i18n import LOCALES, language
from sitegen.views import chart_labels

SCHEMA = Path(__file__).parent / "data" / "vega-lite" / "vega-lite-schema.json.gz"
SHAPES = ("burnup", "stages", "members", "stars", "activity", "heatmap", "compliance")
EMBEDDED = re.compile(r'<script type="application/json" id="(chart-[^"]+)">(.*?)</script>', re.S)


@cache
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    return jsonschema.Draft7Validator(schema)


def problems(spec: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator().iter_errors(spec)]


@pytest.mark.parametrize("code", sorted(LOCALES))
@pytest.mark.parametrize("name", SHAPES)
def test_every_shape_is_valid_vega_lite_in_every_language(name, code):
    spec = chart_spec(name, [], chart_labels(language(code)), targets=[])
    assert problems(spec) == []
    assert spec["config"]["locale"]["number"]["decimal"]  # numbers and dates as the language writes them


@pytest.mark.parametrize("spoil", ["field type", "mark", "channel", "transform"])
def test_a_wrong_spec_is_caught(spoil):
    """The schema check itself fails on what Vega-Lite rejects (else the tests above prove nothing)."""
    spec = chart_spec("stages", [], chart_labels(language("en")))
    if spoil == "field type":
        spec["encoding"]["x"]["type"] = "nominal-ish"
    elif spoil == "mark":
        spec["mark"] = {"type": "barr"}
    elif spoil == "channel":
        spec["encoding"]["colour"] = spec["encoding"].pop("color")
    else:
        spec["transform"][0] = {"fold": ["target"], "into": ["kind"]}
    assert problems(spec) != []


def test_the_example_sites_charts_are_valid_with_their_rows(example_site_shared):
    found = {}
    for page in sorted(example_site_shared.rglob("*.html")):
        for chart_id, text in EMBEDDED.findall(page.read_text(encoding="utf-8")):
            found[f"{page.relative_to(example_site_shared)}#{chart_id}"] = json.loads(text)
    assert {key.split("#")[1] for key in found} >= {f"chart-{name}" for name in SHAPES}
    for key, spec in found.items():
        assert problems(spec) == [], key
        assert spec["datasets"]["rows"], key  # every chart of the example draws something


def test_shapes_are_made_once_per_language_and_copied_per_chart():
    labels = chart_labels(language("en"))
    first = chart_spec("activity", [{"channel": "Visit", "actual": 3, "target": 5}], labels)
    second = chart_spec("activity", [], labels)
    assert first["datasets"]["rows"] != second["datasets"]["rows"]
    assert _shape.cache_info().hits >= 1
