"""The render stage: metrics and records in, HTML text out (nothing is written here).

Jinja2 lives here and only here. Templates come from the team's ``templates/`` folder first and
the built-in ones second, file by file. Every record field reaches HTML through autoescaping;
Markdown bodies are rendered with raw HTML disabled and unsafe link schemes dropped; chart data
is JSON made safe for a ``<script>`` element.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
from babel import Locale, dates, numbers
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from .i18n import LABEL, LIST, LOCALE_NAMES, LOCALES, Language, language, msg
from .markdown import render_markdown_html
from .problems import Problem, error
from .resources import builtin_templates
from .views.tables import Cell, Column, Named, Progress, Table, Trend

try:  # markupsafe's own C escaping, as a plain string: tables build millions of cells, and a Markup
    from markupsafe._speedups import _escape_inner as _escape_text  # per value costs more than the escaping
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    def _escape_text(text: str, /) -> str:
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))


_as_markup = str.__new__  # a Markup of text known to be safe, without Markup's own __new__ (Python code)


def escaped(value: object, /) -> Markup:
    """``markupsafe.escape`` for the templates' every ``{{ }}``, a million times on a large site:
    the same result, with markup given back as it is (not copied) and text escaped by markupsafe's
    C function straight into a Markup."""
    kind = type(value)
    if kind is str:
        return _as_markup(Markup, _escape_text(value))  # type: ignore[arg-type]
    if kind is Markup:
        return value  # type: ignore[return-value]
    if kind is int:  # a count: its digits need no escaping
        return _as_markup(Markup, str(value))
    return escape(value)


class EscapingTemplate(jinja2.Template):
    """A compiled template whose autoescaping calls ``escaped``: Jinja's compiled code looks its
    ``escape`` up among the template module's globals, bound when the code is run."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> jinja2.Template:
        namespace["escape"] = escaped
        return super()._from_namespace(environment, namespace, globals)


def plain(value: object) -> str:
    """``markupsafe.escape(value)`` as a ``str``: markup as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_text(value if isinstance(value, str) else str(value))


def inert_json(value: Any, **options) -> str:
    """JSON that cannot close a <script> element, start a comment or break a JavaScript string,
    whatever the data holds: still valid JSON, and harmless even if a host served it as HTML."""
    return inert(json.dumps(value, ensure_ascii=False, **options))


def inert(text: str) -> str:
    """JSON text made inert (see inert_json): applied to JSON texts one after another or to them
    joined, the same."""
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_for_script(value: Any) -> Markup:
    return Markup(inert_json(value, sort_keys=True, separators=(",", ":")))


def render_markdown(text: str | None) -> Markup:
    """Markdown with raw HTML shown as text and javascript:/vbscript:/data: links refused.
    Cached: each locale of the site renders the same bodies."""
    return Markup(render_markdown_html(text or ""))


class Formats:
    """How values read in one language: numbers, money, percentages, dates, stars, names with
    their links, and whole tables. Functions, not Jinja macros: a large team's site calls them
    millions of times, and a macro call costs ten times as much."""

    def __init__(self, locale: Locale, currency: str, site_locales: list[str], gettext: Language,
                 page_language: str | None = None) -> None:
        self.locale = locale
        # people's and customers' names are written in the team's own language (its primary one):
        # on a page in another language they carry it, for screen readers and fonts
        self.names_lang = f' lang="{site_locales[0]}"' if page_language and site_locales and page_language != site_locales[0] else ""
        self.gettext = gettext
        self.symbol = currency_symbol(currency, site_locales)
        self.local_symbol = numbers.get_currency_symbol(currency, locale=locale)
        self.currency = currency
        self.day = lru_cache(maxsize=8192)(self._day)
        # a site formats the same few thousand figures again and again: Babel parses its pattern and
        # quantizes on every call (a fifth of a large site's render time), so each figure is formatted once
        self.number = lru_cache(maxsize=16384)(self._number)
        self.money = lru_cache(maxsize=16384)(self._money)
        self.percent = lru_cache(maxsize=16384)(self._percent)
        self.weekday = lru_cache(maxsize=4096)(lambda value: dates.format_date(value, format="EEE", locale=locale))
        # "Label: value" and lists as the language writes them ("標籤：值", "甲、乙")
        self._label_before, _, self._label_after = gettext(LABEL).partition("{label}")
        self._separator = gettext(LIST)

    def relative(self, day: date | None, as_of: date) -> str:
        """How far a day is from the as-of day, as the language says it: "7 days ago", "3 天後", "today"."""
        if day is None:
            return ""
        if day == as_of:
            return self.gettext("today")
        return dates.format_timedelta(day - as_of, granularity="day", threshold=1000, add_direction=True, locale=self.locale)

    def label(self, value: str | Markup) -> Markup:
        """A label before its value, with the language's colon: "Owner: " or "負責人：". A label
        that is markup (a link) stays markup; text is escaped."""
        return Markup(f"{plain(self._label_before)}{plain(value)}{plain(self._label_after)}")

    def listing(self, values) -> Markup:
        """Items one after another with the language's separator: "a, b" or "甲、乙"."""
        return Markup(escape(self._separator)).join(escape(v) for v in values)

    def _number(self, value, digits: int = 0) -> str:
        if value is None:
            return "—"
        return numbers.format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""), locale=self.locale)

    def _money(self, value) -> str:
        if value is None:
            return "—"
        text = numbers.format_currency(value, self.currency, format="¤#,##0", locale=self.locale, currency_digits=False)
        return text.replace(self.local_symbol, self.symbol, 1)

    def amount(self, value, unit: str) -> str:
        """A goal's figure: money for a revenue goal, a count for a deals goal."""
        return self.money(value) if unit == "money" else self.number(value)

    def _percent(self, value, digits: int = 0) -> str:
        if value is None:
            return "—"
        return numbers.format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%", locale=self.locale)

    def _day(self, value, form: str = "medium") -> str:
        if value is None:
            return "—"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return dates.format_date(value, format=form, locale=self.locale)

    @staticmethod
    def stars(value) -> str:
        return "★" * value + "☆" * (5 - value) if value else "—"

    def link(self, base: str, named: Named | None) -> Markup:
        """A name, linking to its page where it has one."""
        return _as_markup(Markup, "" if named is None else self.linked(base, named))  # linked escapes

    def linked(self, base: str, named: Named) -> str:
        """``link`` as a plain string of HTML, for the table cells (hundreds of thousands of them
        on a large site: a Markup made for each, then read back, cost more than the link)."""
        shown, href = named.text, named.href
        text = _escape_text(shown) if type(shown) is str else plain(self.day(shown) if isinstance(shown, date) else shown)
        lang = self.names_lang if named.written else ""
        if href:
            return f'<a href="{base}{_escape_text(href) if type(href) is str else plain(href)}"{lang}>{text}</a>'
        return f"<span{lang}>{text}</span>" if lang else text

    def sparkline(self, value: Trend | None) -> Markup:
        """A trend as a small inline SVG (no script, printable): the figure as a solid line, what it
        is measured against as a dashed one, both on one scale; its summary is what a screen reader says."""
        if value is None or len(value.values) < 2:
            return Markup("")
        top = max(max(value.values), max(value.reference, default=0.0)) or 1.0
        steps = max(len(value.values), len(value.reference)) - 1

        def points(series: tuple[float, ...]) -> str:
            return " ".join(f"{i / steps * 100:.1f},{24 - v / top * 22:.1f}" for i, v in enumerate(series))

        shown = {"percent": self.percent, "money": self.money}.get(value.unit, self.number)
        summary = escape(self.label(value.label) + shown(value.values[-1])
                         + (" / " + shown(value.reference[len(value.values) - 1]) if len(value.reference) >= len(value.values) else ""))
        reference = f'<polyline class="spark-ref" points="{points(value.reference)}"/>' if value.reference else ""
        return Markup(f'<svg class="sparkline" viewBox="0 0 100 26" preserveAspectRatio="none" role="img" aria-label="{summary}">'
                      f'<title>{summary}</title>{reference}<polyline class="spark" points="{points(value.values)}"/></svg>')

    def bar(self, value: Progress, key: bool = True) -> Markup:
        """The bar, its marks named for people who cannot see it, and a key under it for those who can."""
        _ = self.gettext
        pace_word, actual_word, must_word = escape(_("Pace")), escape(_("Actual")), escape(_("Must-achieve"))
        label = escape(_(msg("{share} of must-achieve", share=self.percent(value.ratio))))
        pace = f'<span class="pace" style="left: {value.pace}%" title="{pace_word}"></span>' if value.pace is not None else ""
        legend = (f'<span class="bar-key"><span class="key-fill"></span>{actual_word} '
                  + (f'<span class="key-pace"></span>{pace_word} ' if value.pace is not None else "")
                  + f'<span class="key-mark"></span>{must_word}</span>')
        return Markup(f'<div class="bar" role="img" aria-label="{label}">'
                      f'<span class="fill" style="width: {value.fill}%"></span>{pace}'
                      f'<span class="mark" style="left: {value.mark}%" title="{must_word}"></span></div>'
                      + (legend if key else ""))

    def cell(self, base: str, column: Column, value: Cell, warn: bool, href: str | None = None) -> str:
        """One table cell: its text in the reader's format, its classes, and the raw value it sorts by."""
        kind = column.kind
        classes = ["num"] if kind in ("number", "money", "percent") else []
        if kind == "code":
            return f"<td><code>{plain(value or '')}</code></td>"
        if kind == "verbatim":  # its language is unknown: say so, for screen readers and fonts
            return f'<td lang="und">{plain(value or "")}</td>'
        if isinstance(value, str):  # text anywhere (a total row's label) is shown as written
            text: str = plain(value)
        elif value is None and kind in ("number", "money"):
            text = ""  # no count, no amount: an empty cell (a rate or a date with none reads "—")
        elif kind == "number":
            text = plain(self.number(value))
        elif kind == "money":
            text = plain(self.money(value))
        elif kind == "percent":
            text = plain(self.percent(value))
        elif kind == "date":
            text = plain(self.day(value))
        elif kind == "stars":
            text = self.stars(value)
        elif kind == "ref":
            text = self.linked(base, value) if isinstance(value, Named) else plain(value or "")
        elif kind == "refs":
            text = ", ".join(self.linked(base, v) for v in value if isinstance(v, Named)) if isinstance(value, tuple) else ""
        elif kind == "status":
            if isinstance(value, Named):
                classes.append(f"status-{plain(value.id)}")
                text = plain(value.text)
            else:
                text = ""
        elif kind == "lines":
            text = "".join(f"<div>{plain(line)}</div>" for line in value or ()) if isinstance(value, tuple) else ""
        elif kind == "progress":
            text = f"{self.bar(value, key=False)} {plain(self.percent(value.ratio))}" if isinstance(value, Progress) else ""
        else:
            text = plain("" if value is None else value)
        if href:
            text = f'<a href="{plain(base)}{plain(href)}">{text}</a>'
        if warn:
            classes.append("warn")
        sort = ""
        if kind in SORTED_BY_VALUE and not isinstance(value, str):  # the raw value orders the column, not its look
            key = value.ratio if isinstance(value, Progress) else value
            sort = f' data-sort="{"" if key is None else plain(key.isoformat() if isinstance(key, date) else key)}"'
        return f'<td class="{" ".join(classes)}"{sort}>{text}</td>' if classes else f"<td{sort}>{text}</td>"

    def writer(self, base: str, column: Column) -> Callable[[Cell], str]:
        """``cell`` for one column, its cells neither flagged nor linked, chosen once per column: a
        large site writes 740,000 cells, most of them text, counts, names and dates, and testing
        the column's kind and the value's type for each cell was a third of their cost."""
        kind = column.kind
        if kind == "number":
            number = self.number

            def count(value: Cell) -> str:
                if value is None:
                    return '<td class="num" data-sort=""></td>'
                if isinstance(value, str):
                    return f'<td class="num">{plain(value)}</td>'
                sort = str(value) if type(value) is int else plain(value)  # an int's digits need no escaping
                return f'<td class="num" data-sort="{sort}">{_escape_text(number(value))}</td>'
            return count
        if kind == "ref":
            linked = self.linked

            def ref(value: Cell) -> str:
                if isinstance(value, Named):
                    return f"<td>{linked(base, value)}</td>"
                return f"<td>{plain(value or '')}</td>"
            return ref
        if kind == "date":
            day = self.day

            def when(value: Cell) -> str:
                if value is None:
                    return f'<td data-sort="">{plain(day(value))}</td>'
                if isinstance(value, str):
                    return f"<td>{plain(value)}</td>"
                return f'<td data-sort="{plain(value.isoformat() if isinstance(value, date) else value)}">{_escape_text(day(value))}</td>'
            return when
        if kind == "text":
            return lambda value: f"<td>{_escape_text(value) if type(value) is str else plain('' if value is None else value)}</td>"
        return lambda value: self.cell(base, column, value, False)

    def table(self, base: str, page_path: str, table: Table) -> Markup:
        """A table of a view, with links to its CSV and JSON downloads (exports.py writes them)."""
        out = [f'<div class="scroll" tabindex="0"><table id="{plain(table.id)}"><thead>']  # a scrolling region takes the keyboard
        columns = table.columns
        if any(c.group for c in columns):
            first, second, index = [], [], 0
            while index < len(columns):
                group = columns[index].group
                if not group:
                    first.append(f'<th rowspan="2" scope="col"{_head_class(columns[index])} data-col="{index}">'
                                 f'{plain(columns[index].label)}</th>')
                    index += 1
                    continue
                span = 1
                while index + span < len(columns) and columns[index + span].group == group:
                    span += 1
                first.append(f'<th colspan="{span}" scope="colgroup">{plain(group)}</th>')
                second += [f'<th scope="col"{_head_class(c)} data-col="{index + i}">{plain(c.label)}</th>'
                           for i, c in enumerate(columns[index:index + span])]
                index += span
            out.append(f"<tr>{''.join(first)}</tr><tr>{''.join(second)}</tr>")
        else:
            out.append("<tr>" + "".join(f'<th scope="col"{_head_class(c)} data-col="{i}">{plain(c.label)}</th>'
                                        for i, c in enumerate(columns)) + "</tr>")
        out.append("</thead><tbody>")
        writers = [self.writer(base, c) for c in columns]
        body = [r for r in table.rows if not r.total]
        if not body and table.empty:
            out.append(f'<tr><td colspan="{len(columns)}">{plain(table.empty)}</td></tr>')
        foot = [r for r in table.rows if r.total]
        for section, rows in (("", body), ("</tbody><tfoot>", foot)):
            if section and rows:
                out.append(section)
            for r in rows:
                data = "".join(f' data-{key}="{plain(value)}"' for key, value in r.data)
                if r.warn or r.links:
                    links = dict(r.links)
                    out.append(f"<tr{data}>" + "".join(self.cell(base, c, v, c.key in r.warn, links.get(c.key))
                                                       for c, v in zip(columns, r.cells, strict=True)) + "</tr>")
                else:  # the usual row: each cell by its column's writer
                    out.append(f"<tr{data}>" + "".join([write(v) for write, v in zip(writers, r.cells, strict=True)]) + "</tr>")
        out.append("</tfoot></table></div>" if foot else "</tbody></table></div>")
        if table.download:
            name = f"{page_path.rsplit('/', 1)[-1][: -len('.html')]}.{table.id}"
            label = self.label(self.gettext("Download"))
            out.append(f'<p class="export">{label}<a href="{plain(name)}.csv" download>CSV</a> · '
                       f'<a href="{plain(name)}.json" download>JSON</a></p>')
        return Markup("".join(out))


@dataclass
class Renderer:
    environment: jinja2.Environment
    locale: str
    gettext: Language
    root: Path = Path(".")  # the team's repository: where its own templates/ are

    def render(self, template: str, **context) -> str:
        """A page; a template that cannot make it (its syntax, a field its view does not have, a
        template missing) raises TemplateFailed, located in the template."""
        try:
            return self.environment.get_template(template).render(**context)
        except Exception as exc:
            page = context.get("page")
            problem = template_problem(exc, self.root, getattr(page, "path", template))
            if problem is None:
                raise  # not in a template: a fault of sitegen's, reported as one
            raise TemplateFailed(problem) from exc

    def warm(self, templates: set[str]) -> None:
        for name in sorted(templates):
            self.environment.get_template(name)


class TemplateFailed(Exception):
    """A page a template could not make: the problem, located in the template, fails the build."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem


def template_problem(exc: BaseException, root: Path, page: str | None) -> Problem | None:
    """Where and why a template failed: its syntax (Jinja names the line), or what it did at a
    line of one of the team's own templates (the innermost template line of the traceback,
    which Jinja rewrites to the templates' own). None for a failure no template is to blame for."""
    own = (root / "templates").resolve()
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename or exc.name or "", exc.lineno
    else:
        frames = [(f.filename, f.lineno or 1) for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        ours = [frame for frame in frames if _inside(frame[0], own)]
        if not ours and not isinstance(exc, jinja2.TemplateError):
            return None
        file, line = (ours or frames or [("", 1)])[-1]
    path = Path(file)
    shown = f"templates/{path.resolve().relative_to(own).as_posix()}" if file and _inside(file, own) else (
        f"{path.name} (built in)" if file else "templates")
    detail = getattr(exc, "message", None) or str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__} {exc}"
    hint = (msg("while writing {page}; each page's view and its fields are in sitegen/views/ (docs/guide.md, Templates)", page=page)
            if page is not None else msg("a template in templates/ takes the place of sitegen's own of the same name (docs/guide.md, Templates)"))
    return error(shown, line or 1, 1, "", msg("template error: {detail}", detail=str(detail)), hint)


def template_problems(renderer: Renderer) -> list[Problem]:
    """The syntax errors of every template of the team's own (templates/, pages and the rest),
    all at once, before a page is written."""
    own = renderer.root / "templates"
    found = []
    for file in sorted(own.rglob("*.html")) if own.is_dir() else []:
        name = file.relative_to(own).as_posix()
        try:
            renderer.environment.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problem = template_problem(exc, renderer.root, None)
            if problem is not None:
                found.append(problem)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError) as exc:
            found.append(error(f"templates/{name}", 1, 1, "", msg("template error: {detail}", detail=str(exc) or type(exc).__name__)))
    return found


def _inside(file: str, folder: Path) -> bool:
    try:
        Path(file).resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in a dict the caller owns (watch keeps one for its whole session).

    Never on disk: Jinja's FileSystemBytecodeCache loads marshalled code, and a file planted in a
    repository's cache folder would run. Jinja checks each entry against its template's source.
    Entries are kept by language (``locale``): a template compiles with its words translated
    (TranslatedLiterals)."""

    def __init__(self, store: dict[str, bytes], locale: str) -> None:
        self.store = store
        self.locale = locale

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(f"{self.locale}/{bucket.key}")
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[f"{self.locale}/{bucket.key}"] = bucket.bytecode_to_string()


class TranslatedLiterals(jinja2.ext.Extension):
    """``_("literal")`` in a template becomes the literal's translation when the template is
    compiled, for the language of its environment: the words of every page's frame and headings
    are then constants, not calls made again on each of thousands of pages (half of what the frame
    cost). Anything else ``_`` is given (a variable, a format) is still called as it is written."""

    def filter_stream(self, stream: TokenStream) -> list[Token]:
        gettext = self.environment.globals["_"]
        assert isinstance(gettext, Language)  # make_renderer sets it before any template compiles
        tokens = list(stream)
        out: list[Token] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            call = tokens[index:index + 4]
            if (token.type == "name" and token.value == "_" and (not out or out[-1].type != "dot")
                    and [t.type for t in call] == ["name", "lparen", "string", "rparen"]):
                out.append(Token(token.lineno, "string", gettext(call[2].value)))
                index += 4
            else:
                out.append(token)
                index += 1
        return out


SORTED_BY_VALUE = ("number", "money", "percent", "date", "stars", "progress")


def _head_class(column: Column) -> str:
    """Numbers' headers sit right, above their right-aligned figures."""
    return ' class="num"' if column.kind in ("number", "money", "percent") else ""


def make_renderer(root: Path, locale: str, currency: str, compiled: dict[str, bytes] | None = None,
                  site_locales: list[str] | None = None) -> Renderer:
    """The page renderer for one locale; ``compiled`` keeps compiled templates across builds in
    one process (watch), never across processes."""
    search = [str(root / "templates")] if (root / "templates").is_dir() else []
    search.append(str(builtin_templates()))
    env = jinja2.Environment(
        bytecode_cache=MemoryBytecodeCache(compiled, locale) if compiled is not None else None,
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do", TranslatedLiterals],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a renderer serves one build: no template changes under it, so no stat of each on every page
    )
    env.template_class = EscapingTemplate
    gettext = language(locale)
    formats = Formats(Locale.parse(LOCALES[locale]), currency, site_locales or [locale], gettext, locale)

    @jinja2.pass_context
    def table(context, value: Table) -> Markup:
        return formats.table(context["base"], context["page"].path, value)

    @jinja2.pass_context
    def link(context, value: Named | None) -> Markup:
        return formats.link(context["base"], value)

    env.install_gettext_callables(gettext.translations.gettext, gettext.translations.ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    # Templates only call _("literal"): a plain function skips the extension's per-call context
    # lookup and formatting (a tenth of the render time on a large team); autoescape still applies.
    env.globals["_"] = gettext
    env.filters.update(number=formats.number, money=formats.money, amount=formats.amount, percent=formats.percent, day=formats.day,
                       weekday=formats.weekday, stars=formats.stars,
                       label=formats.label, listing=formats.listing, relative=formats.relative)
    env.globals.update(json_for_script=json_for_script, markdown=render_markdown, locale=locale,
                       locale_names=LOCALE_NAMES, html_lang=locale, table=table, link=link, bar=formats.bar,
                       sparkline=formats.sparkline)
    return Renderer(env, locale, gettext, root)


def currency_symbol(currency: str, site_locales: list[str]) -> str:
    """One symbol for the team's currency on every page of its site. Where the site's languages
    write it alike, that one (¥ on a zh-Hans site, $ on an English USD site); where they differ,
    the international one (NT$, CN¥, HK$, US$), never a bare '$' meaning NT$ on one page and US$
    on the next."""
    written = {numbers.get_currency_symbol(currency, locale=LOCALES[code]) for code in site_locales}
    if len(written) == 1:
        return written.pop()
    return "US$" if currency == "USD" else numbers.get_currency_symbol(currency, locale="en")
