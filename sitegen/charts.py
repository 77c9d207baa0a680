"""Chart specifications (Vega-Lite), built with Altair once per shape and filled with data.

Building an Altair chart and validating it costs tens of milliseconds; a site has dozens of
charts. So each shape is built and validated once per process and locale (``lru_cache``), with its
data left as a named dataset; a chart is then that dict plus its rows. The browser draws them with
the vendored Vega bundle. Chart rows are plain numbers, dates and names; the page embeds them as
JSON made safe for a script element, and Vega renders text as text.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import altair as alt
from babel import Locale

from .i18n import LOCALES

DATA = "rows"


def _base(width: int | str = "container", height: int | alt.Step = 220) -> alt.Chart:
    return alt.Chart(alt.NamedData(name=DATA)).properties(width=width, height=height)


@lru_cache(maxsize=64)
def _shape(name: str, labels: tuple[tuple[str, str], ...]) -> dict:
    t = dict(labels)
    if name == "burnup":
        base = _base(height=260)
        lines = base.transform_fold(["actual", "must_pace", "challenge_pace"], as_=["series", "value"]).mark_line(
            interpolate="step-after").encode(  # deals arrive on days: a cumulative line steps, it does not curve
            x=alt.X("date:T", title=t["date"], axis=alt.Axis(format=t["day_format"], labelAngle=0)),
            y=alt.Y("value:Q", title=t["value"], axis=alt.Axis(labelExpr=compact_expr(t["locale"]))),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=["actual", "must_pace", "challenge_pace"],
                                                                    range=["#1f6feb", "#d1242f", "#9a6700"]),
                            legend=alt.Legend(orient="bottom", labelExpr=t["legend"])),
            strokeDash=alt.condition("datum.series == 'actual'", alt.value([1, 0]), alt.value([5, 4])),
            tooltip=[alt.Tooltip("date:T", title=t["date"], format=t["day_format"]), alt.Tooltip("series_label:N", title=" "),
                     alt.Tooltip("value:Q", format=",.0f", title=t["value"])]).transform_calculate(series_label=t["series"])
        rules = alt.Chart(alt.NamedData(name="targets"))
        must = rules.transform_filter("datum.kind == 'must'").mark_rule(color="#d1242f", strokeWidth=1.5).encode(
            y="value:Q", tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=",.0f", title=t["value"])])
        challenge = rules.transform_filter("datum.kind == 'challenge'").mark_rule(color="#9a6700", strokeWidth=1.5).encode(
            y="value:Q", tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=",.0f", title=t["value"])])
        # each target line says what it is, where it starts: no colour to decode
        names = rules.mark_text(align="left", baseline="bottom", dx=4, dy=-3, fontSize=11).encode(
            x=alt.value(0), y="value:Q", text="label:N",
            color=alt.Color("kind:N", scale=alt.Scale(domain=["must", "challenge"], range=["#d1242f", "#9a6700"]), legend=None))
        chart = alt.layer(lines, must, challenge, names).resolve_scale(color="independent")
    elif name == "stages":
        chart = _base().transform_fold(["target", "actual"], as_=["kind", "value"]).mark_bar().encode(
            x=alt.X("stage:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)), xOffset="kind:N", y=alt.Y("value:Q", title=t["value"], axis=alt.Axis(labelExpr=compact_expr(t["locale"]))),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["target", "actual"], range=["#afb8c1", "#1f6feb"]),
                            legend=alt.Legend(orient="bottom", labelExpr=t["legend"])),
            tooltip=[alt.Tooltip("stage:N", title=t["stage"]), alt.Tooltip("kind_label:N", title=" "),
                     alt.Tooltip("value:Q", format=",.0f", title=t["value"])]).transform_calculate(kind_label=t["kind"])
    elif name == "members":
        base = _base(height=240)
        bars = base.mark_bar(color="#1f6feb").encode(y=alt.Y("name:N", title=None, sort=None), x=alt.X("actual:Q", title=t["value"], axis=alt.Axis(labelExpr=compact_expr(t["locale"]))),
                                                     tooltip=[alt.Tooltip("name:N", title=t["member"]), alt.Tooltip("actual:Q", format=",.0f", title=t["actual"]),
                                                              alt.Tooltip("must:Q", format=",.0f", title=t["must"]),
                                                              alt.Tooltip("challenge:Q", format=",.0f", title=t["challenge"])])
        targets = base.transform_fold(["must", "challenge"], as_=["kind", "value"]).mark_tick(thickness=3).encode(
            y=alt.Y("name:N", sort=None), x="value:Q",
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["must", "challenge"], range=["#d1242f", "#9a6700"]),
                            legend=alt.Legend(orient="bottom", labelExpr=t["legend"])),
            tooltip=[alt.Tooltip("name:N", title=t["member"]), alt.Tooltip("kind_label:N", title=" "),
                     alt.Tooltip("value:Q", format=",.0f", title=t["value"])]).transform_calculate(kind_label=t["kind"])
        chart = alt.layer(bars, targets)
    elif name == "stars":
        chart = _base().mark_bar().encode(
            x=alt.X("name:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)), y=alt.Y("count:Q", title=t["count"]),
            color=alt.Color("stars:O", title=t["stars"], scale=alt.Scale(scheme="blues")),
            column=alt.Column("category:N", title=None),
            tooltip=[alt.Tooltip("category:N", title=t["category"]), alt.Tooltip("name:N", title=t["stars"]),
                     alt.Tooltip("count:Q", title=t["count"])]).properties(width=260)
    elif name == "activity":
        base = _base()
        bars = base.mark_bar(color="#1f6feb").encode(x=alt.X("channel:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
                                                     y=alt.Y("actual:Q", title=t["count"]),
                                                     tooltip=[alt.Tooltip("channel:N", title=t["channel"]), alt.Tooltip("actual:Q", title=t["actual"], format=","),
                                                              alt.Tooltip("target:Q", title=t["target"], format=",")])
        ticks = base.mark_tick(thickness=3, size=30).encode(
            x=alt.X("channel:N", sort=None), y="target:Q",
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["target"], range=["#d1242f"]),
                            legend=alt.Legend(orient="bottom", labelExpr=t["legend"])),
            tooltip=[alt.Tooltip("channel:N", title=t["channel"]), alt.Tooltip("target:Q", title=t["target"], format=",")]
        ).transform_calculate(kind="'target'")
        chart = alt.layer(bars, ticks)
    elif name == "heatmap":
        chart = _base(height=alt.Step(18)).mark_rect().encode(
            x=alt.X("date:O", title=None, timeUnit="monthdate", axis=alt.Axis(format=t["day_format"], formatType="time")),
            y=alt.Y("name:N", title=None, sort=None),
            color=alt.Color("ratio:Q", title=t["ratio"], scale=alt.Scale(domain=[0, 0.5, 1, 1.5], range=["#b35806", "#f1a340", "#d1e5f0", "#2166ac"], clamp=True)),
            # orange below target, blue above: told apart without red and green
            tooltip=[alt.Tooltip("name:N", title=t["member"]), alt.Tooltip("date:T", title=t["date"], format=t["day_format"]),
                     alt.Tooltip("ratio:Q", format=".0%", title=t["ratio"])])
    elif name == "compliance":
        chart = _base().transform_fold(["submitted", "missing"], as_=["kind", "value"]).mark_bar().encode(
            x=alt.X("name:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=t["count"], stack=True),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["submitted", "missing"], range=["#2166ac", "#f1a340"]),
                            legend=alt.Legend(orient="bottom", labelExpr=t["legend"])),
            tooltip=[alt.Tooltip("name:N", title=t["member"]), alt.Tooltip("kind_label:N", title=" "),
                     alt.Tooltip("value:Q", title=t["count"])]).transform_calculate(kind_label=t["kind"])
    else:
        raise KeyError(name)
    spec = chart.configure_view(stroke=None).properties(background="transparent").to_dict()
    spec.pop("$schema", None)
    return spec


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


