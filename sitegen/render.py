"""The render stage: metrics and records in, HTML text out (nothing is written here).

Jinja2 lives here and only here. Templates come from the team's ``templates/`` folder first and
the built-in ones second, file by file. Every record field reaches HTML through autoescaping;
Markdown bodies are rendered with raw HTML disabled and unsafe link schemes dropped; chart data
is JSON made safe for a ``<script>`` element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, dates, numbers
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

from .markdown import render_markdown_html

LOCALES = {"en": "en", "zh-Hant": "zh_Hant_TW", "zh-Hans": "zh_Hans_CN"}
LOCALE_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}


def builtin_templates() -> Path:
    """sitegen's own templates, catalogs and static files: they ship inside the package."""
    return Path(__file__).parent / "templates"


@lru_cache(maxsize=8)
def _catalog(locale: str) -> dict[str, str]:
    if locale == "en":
        return {}
    path = builtin_templates() / "locales" / f"{locale}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy}


def inert_json(value: Any, **options) -> str:
    """JSON that cannot close a <script> element, start a comment or break a JavaScript string,
    whatever the data holds: still valid JSON, and harmless even if a host served it as HTML."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_for_script(value: Any) -> Markup:
    return Markup(inert_json(value, sort_keys=True, separators=(",", ":")))


def render_markdown(text: str | None) -> Markup:
    """Markdown with raw HTML shown as text and javascript:/vbscript:/data: links refused.
    Cached: each locale of the site renders the same bodies."""
    return Markup(render_markdown_html(text or ""))


def member_link(base: str, names: dict[str, str], member: str) -> Markup:
    """A link to a member's page. A function, not a Jinja macro: pages call it a million times on a
    large team, and a macro call costs ten times as much. (macros.html keeps the macro for teams'
    own templates.)"""
    return Markup(f'<a href="{base}members/{escape(member)}.html">{escape(names.get(member, member))}</a>')


def customer_link(base: str, metrics, customer: str) -> Markup:
    state = metrics.customers.customers.get(customer)
    return Markup(f'<a href="{base}customers/{escape(customer)}.html">{escape(state.name if state else customer)}</a>')


@dataclass
class Renderer:
    environment: jinja2.Environment
    locale: str
    gettext: Callable[[str], str]

    def render(self, template: str, **context) -> str:
        return self.environment.get_template(template).render(**context)

    def warm(self, templates: set[str]) -> None:
        for name in sorted(templates):
            self.environment.get_template(name)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in a dict the caller owns (watch keeps one for its whole session).

    Never on disk: Jinja's FileSystemBytecodeCache loads marshalled code, and a file planted in a
    repository's cache folder would run. Jinja checks each entry against its template's source."""

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def make_renderer(root: Path, locale: str, currency: str, compiled: dict[str, bytes] | None = None,
                  site_locales: list[str] | None = None) -> Renderer:
    """The page renderer for one locale; ``compiled`` keeps compiled templates across builds in
    one process (watch), never across processes."""
    search = [str(root / "templates")] if (root / "templates").is_dir() else []
    search.append(str(builtin_templates()))
    env = jinja2.Environment(
        bytecode_cache=MemoryBytecodeCache(compiled) if compiled is not None else None,
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    catalog = _catalog(locale)

    def gettext(message: str) -> str:
        return catalog.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    # Templates only call _("literal"): a plain function skips the extension's per-call context
    # lookup and formatting (a tenth of the render time on a large team); autoescape still applies.
    env.globals["_"] = gettext
    babel_locale = Locale.parse(LOCALES[locale])
    env.filters.update(_filters(babel_locale, currency, site_locales or [locale]))
    env.globals.update(json_for_script=json_for_script, markdown=render_markdown, locale=locale,
                       locale_names=LOCALE_NAMES, html_lang=locale, member_link=member_link, customer_link=customer_link)
    return Renderer(env, locale, gettext)


def currency_symbol(currency: str, site_locales: list[str]) -> str:
    """One symbol for the team's currency on every page of its site. Where the site's languages
    write it alike, that one (¥ on a zh-Hans site, $ on an English USD site); where they differ,
    the international one (NT$, CN¥, HK$, US$), never a bare '$' meaning NT$ on one page and US$
    on the next."""
    written = {numbers.get_currency_symbol(currency, locale=LOCALES[code]) for code in site_locales}
    if len(written) == 1:
        return written.pop()
    return "US$" if currency == "USD" else numbers.get_currency_symbol(currency, locale="en")


def _filters(locale: Locale, currency: str, site_locales: list[str]) -> dict[str, Callable]:
    def number(value, digits: int = 0):
        if value is None:
            return "—"
        return numbers.format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""), locale=locale)

    symbol, local_symbol = currency_symbol(currency, site_locales), numbers.get_currency_symbol(currency, locale=locale)

    def money(value):
        if value is None:
            return "—"
        text = numbers.format_currency(value, currency, format="¤#,##0", locale=locale, currency_digits=False)
        return text.replace(local_symbol, symbol, 1)

    def percent(value, digits: int = 0):
        if value is None:
            return "—"
        return numbers.format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%", locale=locale)

    @lru_cache(maxsize=8192)
    def day(value, form: str = "medium"):
        if value is None:
            return "—"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return dates.format_date(value, format=form, locale=locale)

    @lru_cache(maxsize=4096)
    def weekday(value):
        return dates.format_date(value, format="EEE", locale=locale)

    def stars(value):
        return "★" * value + "☆" * (5 - value) if value else "—"

    return {"number": number, "money": money, "percent": percent, "day": day, "weekday": weekday, "stars": stars}
