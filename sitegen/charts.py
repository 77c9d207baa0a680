"""Chart specifications (Vega-Lite), written as plain data and filled with each chart's rows.

Each shape (a burn-up, bars against targets, a heat map, …) is a dict made once per process and
set of labels (``lru_cache``), its data left as a named dataset; a chart is a copy of that dict
plus its rows. The browser draws them with the vendored Vega-Lite bundle (6.x);
tests/test_charts.py checks every shape against that release's JSON schema. Chart rows are plain
numbers, dates and names; the page embeds them as JSON made safe for a script element, and Vega
renders text as text.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

from babel import Locale

from .i18n import LOCALES

DATA = "rows"
MUST, CHALLENGE, ACTUAL = "#d1242f", "#9a6700", "#1f6feb"


_UNTITLED = object()


def _channel(name: str, kind: str, title: object = _UNTITLED, **more) -> dict:
    """An encoding channel bound to a field; ``kind`` as Vega-Lite's shorthand writes it (N, Q, T, O).
    A title of None hides the axis or legend title; no title lets Vega-Lite name it after the field."""
    spec = {"field": name, "type": {"N": "nominal", "Q": "quantitative", "T": "temporal", "O": "ordinal"}[kind], **more}
    if title is not _UNTITLED:
        spec["title"] = title
    return spec


def _tip(name: str, kind: str, title: str, format: str | None = None) -> dict:
    return _channel(name, kind, title, **({"format": format} if format else {}))


def _series(name: str, domain: list[str], colours: list[str], legend: str) -> dict:
    """Colour by series, a legend below the chart naming each series in the page's language."""
    return _channel(name, "N", None, scale={"domain": domain, "range": colours},
                    legend={"labelExpr": legend, "orient": "bottom"})


def _values(name: str, t: dict[str, str], **more) -> dict:
    """A quantitative axis of amounts, written in the language's compact form (1.1M, 110萬)."""
    return _channel(name, "Q", t["value"], axis={"labelExpr": compact_expr(t["locale"])}, **more)


def _categories(name: str, **more) -> dict:
    """Categories in the rows' own order, labels upright, no axis title."""
    return _channel(name, "N", None, sort=None, axis={"labelAngle": 0}, **more)


def _fold(fields: list[str], as_: list[str]) -> dict:
    return {"fold": fields, "as": as_}


def _calculate(expression: str, as_: str) -> dict:
    return {"calculate": expression, "as": as_}


def _chart(spec: dict, width: int | str = "container", height: int | dict = 220) -> dict:
    """A whole spec: the view without a frame, a transparent background (the page's colours show)."""
    return {"config": {"view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None}},
            "background": "transparent", "width": width, "height": height, **spec}


def _rows(spec: dict) -> dict:
    return {"data": {"name": DATA}, **spec}


@lru_cache(maxsize=64)
def _shape(name: str, labels: tuple[tuple[str, str], ...]) -> dict:
    t = dict(labels)
    amount = _tip("value", "Q", t["value"], ",.0f")
    if name == "burnup":
        series = ["actual", "must_pace", "challenge_pace"]
        lines = _rows({
            "mark": {"type": "line", "interpolate": "step-after"},  # deals arrive on days: a cumulative line steps, it does not curve
            "encoding": {
                "x": _channel("date", "T", t["date"], axis={"format": t["day_format"], "labelAngle": 0}),
                "y": _values("value", t),
                "color": _series("series", series, [ACTUAL, MUST, CHALLENGE], t["legend"]),
                "strokeDash": {"condition": {"test": "datum.series == 'actual'", "value": [1, 0]}, "value": [5, 4]},
                "tooltip": [_tip("date", "T", t["date"], t["day_format"]), _tip("series_label", "N", " "), amount]},
            "transform": [_fold(series, ["series", "value"]), _calculate(t["series"], "series_label")]})

        def target(kind: str, colour: str) -> dict:
            return {"data": {"name": "targets"}, "mark": {"type": "rule", "color": colour, "strokeWidth": 1.5},
                    "encoding": {"y": _channel("value", "Q"), "tooltip": [_tip("label", "N", " "), amount]},
                    "transform": [{"filter": f"datum.kind == '{kind}'"}]}

        # each target line says what it is, where it starts: no colour to decode
        names = {"data": {"name": "targets"},
                 "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4, "dy": -3, "fontSize": 11},
                 "encoding": {"x": {"value": 0}, "y": _channel("value", "Q"), "text": _channel("label", "N"),
                              "color": _channel("kind", "N", scale={"domain": ["must", "challenge"], "range": [MUST, CHALLENGE]}, legend=None)}}
        return _chart({"layer": [lines, target("must", MUST), target("challenge", CHALLENGE), names],
                       "resolve": {"scale": {"color": "independent"}}}, height=260)
    if name == "stages":
        return _chart(_rows({
            "mark": {"type": "bar"},
            "encoding": {"x": _categories("stage"), "xOffset": _channel("kind", "N"), "y": _values("value", t),
                         "color": _series("kind", ["target", "actual"], ["#afb8c1", ACTUAL], t["legend"]),
                         "tooltip": [_tip("stage", "N", t["stage"]), _tip("kind_label", "N", " "), amount]},
            "transform": [_fold(["target", "actual"], ["kind", "value"]), _calculate(t["kind"], "kind_label")]}))
    if name == "members":
        bars = {"mark": {"type": "bar", "color": ACTUAL},
                "encoding": {"y": _channel("name", "N", None, sort=None), "x": _values("actual", t),
                             "tooltip": [_tip("name", "N", t["member"]), _tip("actual", "Q", t["actual"], ",.0f"),
                                         _tip("must", "Q", t["must"], ",.0f"), _tip("challenge", "Q", t["challenge"], ",.0f")]}}
        targets = {"mark": {"type": "tick", "thickness": 3},
                   "encoding": {"y": _channel("name", "N", sort=None), "x": _channel("value", "Q"),
                                "color": _series("kind", ["must", "challenge"], [MUST, CHALLENGE], t["legend"]),
                                "tooltip": [_tip("name", "N", t["member"]), _tip("kind_label", "N", " "), amount]},
                   "transform": [_fold(["must", "challenge"], ["kind", "value"]), _calculate(t["kind"], "kind_label")]}
        return _chart(_rows({"layer": [bars, targets]}), height=240)
    if name == "stars":
        return _chart(_rows({
            "mark": {"type": "bar"},
            "encoding": {"x": _categories("name"), "y": _channel("count", "Q", t["count"]),
                         "color": _channel("stars", "O", t["stars"], scale={"scheme": "blues"}),
                         "column": _channel("category", "N", None),
                         "tooltip": [_tip("category", "N", t["category"]), _tip("name", "N", t["stars"]), _tip("count", "Q", t["count"])]}}),
            width=260)
    if name == "activity":
        bars = {"mark": {"type": "bar", "color": ACTUAL},
                "encoding": {"x": _categories("channel"), "y": _channel("actual", "Q", t["count"]),
                             "tooltip": [_tip("channel", "N", t["channel"]), _tip("actual", "Q", t["actual"], ","),
                                         _tip("target", "Q", t["target"], ",")]}}
        ticks = {"mark": {"type": "tick", "size": 30, "thickness": 3},
                 "encoding": {"x": _channel("channel", "N", sort=None), "y": _channel("target", "Q"),
                              "color": _series("kind", ["target"], [MUST], t["legend"]),
                              "tooltip": [_tip("channel", "N", t["channel"]), _tip("target", "Q", t["target"], ",")]},
                 "transform": [_calculate("'target'", "kind")]}
        return _chart(_rows({"layer": [bars, ticks]}))
    if name == "heatmap":
        return _chart(_rows({
            "mark": {"type": "rect"},
            "encoding": {
                "x": _channel("date", "O", None, timeUnit="monthdate", axis={"format": t["day_format"], "formatType": "time"}),
                "y": _channel("name", "N", None, sort=None),
                # orange below target, blue above: told apart without red and green
                "color": _channel("ratio", "Q", t["ratio"], scale={"domain": [0, 0.5, 1, 1.5], "range": ["#b35806", "#f1a340", "#d1e5f0", "#2166ac"],
                                                                   "clamp": True}),
                "tooltip": [_tip("name", "N", t["member"]), _tip("date", "T", t["date"], t["day_format"]), _tip("ratio", "Q", t["ratio"], ".0%")]}}),
            height={"step": 18})
    if name == "compliance":
        return _chart(_rows({
            "mark": {"type": "bar"},
            "encoding": {"x": _categories("name"), "y": _channel("value", "Q", t["count"], stack=True),
                         "color": _series("kind", ["submitted", "missing"], ["#2166ac", "#f1a340"], t["legend"]),
                         "tooltip": [_tip("name", "N", t["member"]), _tip("kind_label", "N", " "), _tip("value", "Q", t["count"])]},
            "transform": [_fold(["submitted", "missing"], ["kind", "value"]), _calculate(t["kind"], "kind_label")]}))
    raise KeyError(name)


def chart_spec(name: str, rows: list[dict], labels: dict[str, str], **datasets: list[dict]) -> dict:
    """A complete Vega-Lite spec: the cached shape with this chart's rows, its numbers and dates
    formatted as the page's language writes them (``labels["locale"]``)."""
    spec = copy.deepcopy(_shape(name, tuple(sorted(labels.items()))))
    spec["datasets"] = {DATA: rows, **datasets}
    spec.setdefault("config", {})["locale"] = chart_locale(labels["locale"])
    return spec


def label_expr(names: dict[str, str], field: str = "label") -> str:
    """A Vega expression mapping series keys to translated labels (keys and labels are ours):
    ``label`` for a legend's entries, a data field for a tooltip."""
    parts = " : ".join(f"datum[{json.dumps(field)}] == {json.dumps(k)} ? {json.dumps(v)}" for k, v in names.items())
    return f"{parts} : datum[{json.dumps(field)}]"


@lru_cache(maxsize=8)
def compact_expr(code: str) -> str:
    """A Vega expression writing an axis value in the language's compact form, from Babel's
    patterns: 1.1M and 250K in English, 110萬 and 25萬 in Chinese (1,000 stays 1,000 there)."""
    patterns = Locale.parse(LOCALES[code]).compact_decimal_formats["short"]["other"]
    expression, previous = "format(datum.value, ',')", None
    for magnitude, pattern in sorted(((int(m), getattr(p, "pattern", str(p))) for m, p in dict(patterns).items())):
        zeros = pattern.count("0")
        if not zeros or pattern.strip("0") == "":
            continue  # no compact form at this size (Chinese writes thousands in full)
        divisor = magnitude // 10 ** (zeros - 1)
        prefix, _, suffix = pattern.partition("0" * zeros)
        if (divisor, prefix, suffix) == previous:
            continue  # the same form as the size below (25萬 and 250萬): its threshold already holds
        previous = (divisor, prefix, suffix)
        expression = (f"abs(datum.value) >= {magnitude} ? {json.dumps(prefix, ensure_ascii=False)} + format(datum.value / {divisor}, '.3~r') + "
                      f"{json.dumps(suffix, ensure_ascii=False)} : ({expression})")
    return expression


@lru_cache(maxsize=8)
def chart_locale(code: str) -> dict:
    """Vega's number and time format locales (d3's definitions) from Babel's data: month and
    day names, separators and the currency symbol as the page's own text writes them."""
    locale = Locale.parse(LOCALES[code])
    symbols = locale.number_symbols.get("latn", {})
    wide, short = locale.days["format"]["wide"], locale.days["format"]["abbreviated"]
    periods = locale.day_periods.get("format", {}).get("abbreviated", {})
    return {
        "number": {"decimal": symbols.get("decimal", "."), "thousands": symbols.get("group", ","), "grouping": [3],
                   "currency": ["", ""]},
        "time": {"dateTime": "%Y-%m-%d %H:%M", "date": "%Y-%m-%d", "time": "%H:%M",
                 "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
                 "days": [wide[6], *(wide[i] for i in range(6))], "shortDays": [short[6], *(short[i] for i in range(6))],
                 "months": [locale.months["format"]["wide"][i] for i in range(1, 13)],
                 "shortMonths": [locale.months["format"]["abbreviated"][i] for i in range(1, 13)]},
    }


