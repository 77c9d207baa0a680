"""The renderer: templates' words in the page's language, whether compiled afresh or kept."""

from __future__ import annotations

from pathlib import Path

from sitegen.render import make_renderer

TEMPLATE = ('{{ _("Goals") }}|{{ _(word) }}|{{ _("Goals")|upper }}|{{ helpers._("Goals") }}|'
            '{% set heading = _("Customers") %}{{ heading }}|{{ _("Tom & Jerry") }}')


def _render(root: Path, locale: str, compiled: dict[str, bytes] | None) -> str:
    renderer = make_renderer(root, locale, "TWD", compiled, ["zh-Hant", "en"])
    return renderer.render("words.html", word="Plans", helpers={"_": lambda text: f"called with {text}"})


def test_a_templates_literal_words_are_in_its_language_and_everything_else_runs_as_written(tmp_path):
    """``_("literal")`` is translated when the template compiles (TranslatedLiterals); ``_`` given
    a variable, a filtered literal, another object's ``_`` and an escaped literal behave as they
    always did."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/words.html").write_text(TEMPLATE, encoding="utf-8")
    assert _render(tmp_path, "en", None) == "Goals|Plans|GOALS|called with Goals|Customers|Tom &amp; Jerry"
    assert _render(tmp_path, "zh-Hant", None) == "目標|計劃|目標|called with Goals|客戶|Tom &amp; Jerry"


def test_templates_compiled_in_one_language_are_never_served_in_another(tmp_path):
    """watch keeps compiled templates in one dict for all languages: each language's are its own."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/words.html").write_text(TEMPLATE, encoding="utf-8")
    compiled: dict[str, bytes] = {}
    for _round in range(2):  # compiled, then loaded from the dict
        assert _render(tmp_path, "zh-Hant", compiled).startswith("目標|計劃|")
        assert _render(tmp_path, "en", compiled).startswith("Goals|Plans|")
    assert len(compiled) == 2


def test_the_templates_escape_as_markupsafe_does_with_its_c_function(tmp_path):
    """Every ``{{ }}`` goes through render.escaped (Jinja's compiled code finds it among the template
    module's globals): the very Markup markupsafe's escape gives, for text, markup, numbers,
    objects with __html__, and a str subclass that is not markup (escaped, never trusted)."""
    from markupsafe import Markup, escape

    from sitegen.render import escaped

    class Shown:
        def __html__(self) -> str:
            return "<b>ok</b>"

    class Sly(str):
        pass

    for value in ("<script>alert('x') & \"y\"</script>", "", "plain", Markup("<i>kept</i>"), 12, -7, 10**30, True, 3.5, None, Shown(),
                  Sly("<img src=x onerror=alert(1)>")):
        assert escaped(value) == escape(value) and type(escaped(value)) is Markup, value
    markup = Markup("<i>kept</i>")
    assert escaped(markup) is markup  # given back, not copied

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "probe.html").write_text("{{ x }}|{{ y }}|{% macro m(v) %}{{ v }}{% endmacro %}{{ m(x) }}")
    compiled: dict[str, bytes] = {}
    for _ in range(2):  # compiled, then loaded from the compiled code kept (watch)
        renderer = make_renderer(tmp_path, "en", "TWD", compiled)
        assert renderer.environment.get_template("probe.html").root_render_func.__globals__["escape"] is escaped
        assert renderer.render("probe.html", x="<a&b>", y=Markup("<br>")) == "&lt;a&amp;b&gt;|<br>|&lt;a&amp;b&gt;"
    assert compiled


def test_each_columns_writer_writes_its_cells_as_the_general_cell_does(tmp_path):
    """Formats.writer picks a cell's writer once per column (the usual row: no cell flagged or
    linked); for every kind and every sort of value a view holds, it writes what ``cell`` does,
    escaping included."""
    from datetime import date

    from markupsafe import Markup

    from sitegen.views.tables import Column, Named, Progress

    values = [None, "", "text & <b>", Markup("<i>kept</i>"), 0, 7, -3, 1234567, 2.5, 0.125, date(2026, 2, 3),
              Named("m1", "Ann & Bo", "members/m1.html", written=True), Named("s", "done"), Named("d", date(2026, 1, 5), "daily/x.html"),
              Named("q", 'a"b', 'x"y.html'), (Named("c1", "C<1>", "customers/c1.html"), Named("c2", "C2")), ("line 1", "<line 2>"),
              Progress(0.5, 40.0, 80.0, 30.0), 3]
    kinds = ["text", "number", "money", "percent", "date", "stars", "ref", "refs", "status", "lines", "progress", "code", "verbatim"]
    for locale in ("zh-Hant", "en"):
        formats = make_renderer(tmp_path, locale, "TWD", None, ["zh-Hant", "en"]).environment.globals["bar"].__self__
        for kind in kinds:
            column = Column("k", "K", kind)  # type: ignore[arg-type]  # every kind there is
            for base in ("", "../../"):
                write = formats.writer(base, column)
                for value in values:
                    try:
                        expected = formats.cell(base, column, value, False)
                    except Exception:  # whatever cell raises on it
                        continue  # a value this kind never holds: cell fails on it, so need not the writer
                    assert write(value) == expected, (locale, kind, base, value)
