"""Every word a person reads, in the reader's language, through Babel's catalogs.

Messages are written in English in the code and the templates; ``pybabel extract`` (see
``babel.cfg`` and ``tools/update_translations.py``) gathers them into ``locales/sitegen.pot``, and
each language's ``.po`` file, committed, is the source of its translations. The ``.mo`` files
Babel compiles from them ship in the package and are what runs, read by the standard library's
``gettext`` (``babel.support.Translations`` is that same class with domain merging sitegen does
not use, and importing Babel would add 50 ms to every ``sitegen check``).

Code far from any reader (loading, validation, metrics) does not know the reader's language: it
says what it has to say as a ``Text`` — the English message with named placeholders and their
values — and the edge that shows it (a page, the terminal) translates it.
"""

from __future__ import annotations

import gettext as _gettext
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Union

# The codes a team writes in sitegen.yaml, and the Babel locale each one means for dates,
# numbers and currencies (Taiwan's and mainland China's usage).
LOCALES = {"en": "en", "zh-Hant": "zh_Hant_TW", "zh-Hans": "zh_Hans_CN"}
LOCALE_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
DOMAIN = "sitegen"

Arg = Union[str, int, float, date, "Text"]  # a date becomes ISO text (as records write it) when the Text is made


@dataclass(frozen=True)
class Text:
    """A message not yet translated: its English text with ``{name}`` placeholders, the values
    that fill them (a value may itself be a Text), and for a count, its plural form."""

    message: str
    args: tuple[tuple[str, Arg], ...] = ()
    plural: str = ""
    count: int = 0

    def __bool__(self) -> bool:
        return bool(self.message)

    def __str__(self) -> str:
        return English.text(self)


def msg(message: str, /, **args: Arg) -> Text:
    """A message for a person, translated where it is shown (an extraction keyword)."""
    return Text(message, _values(args))


def msg_plural(singular: str, plural: str, count: int, /, **args: Arg) -> Text:
    """A message about ``count`` things, in the plural form the reader's language uses for it;
    ``{count}`` in the message is the number."""
    return Text(singular, _values({"count": count, **args}), plural, count)


def _values(args: dict[str, Arg]) -> tuple[tuple[str, Arg], ...]:
    """A date as records write it (ISO), so a Text equals itself after a round trip through the cache."""
    return tuple((name, value.isoformat() if isinstance(value, date) else value) for name, value in args.items())


def verbatim(value: str) -> Text:
    """Words that are not sitegen's (a library's own message, text from a record): shown as
    they are, in every language."""
    return Text("{value}", (("value", value),))


NO_TEXT = Text("")


def N_(message: str) -> str:
    """Marks a word the pages translate later (a status, a signal's id) for extraction."""
    return message


LIST = N_(", ")  # TRANSLATORS: between the items of a list ("、" in Chinese)
CLAUSES = N_("; ")  # TRANSLATORS: between clauses of a sentence
LABEL = N_("{label}: ")  # TRANSLATORS: a label before its value ("{label}：" in Chinese)


def joined(items: list[Text] | list[str] | list[Text | str], separator: str = LIST) -> Text:
    """Several values one after another, each translated where it is shown, and the separator too."""
    names = [f"item{n}" for n in range(len(items))]
    return Text("{separator}".join("{" + name + "}" for name in names),
                (("separator", Text(separator)), *zip(names, items, strict=True)))


class Language:
    """One reader's language: ``language("Goals")`` and ``language(text)`` translate."""

    def __init__(self, code: str, translations: _gettext.NullTranslations) -> None:
        self.code = code
        self.translations = translations

    def __call__(self, message: str | Text) -> str:
        if isinstance(message, Text):
            return self.text(message)
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def text(self, text: Text) -> str:
        if not text.message:
            return ""
        template = (self.translations.ngettext(text.message, text.plural, text.count) if text.plural
                    else self.translations.gettext(text.message))
        if not text.args:
            return template
        values = {name: self.text(value) if isinstance(value, Text) else value for name, value in text.args}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that names a placeholder the message lacks
            return text.message.format(**values)

    def __repr__(self) -> str:
        return f"Language({self.code!r})"


def catalogs() -> Path:
    """Where the compiled catalogs are: inside the package, beside the code."""
    return Path(__file__).parent / "locales"


@lru_cache(maxsize=8)
def language(code: str) -> Language:
    """The language a site or a terminal speaks; English needs a catalog too, for the ids the
    pages show as words (statuses, signals)."""
    if code not in LOCALES:
        raise ValueError(f"unknown language {code!r}: one of {', '.join(LOCALES)}")
    # fallback: a checkout whose catalogs were never compiled still runs, in English
    return Language(code, _gettext.translation(DOMAIN, str(catalogs()), [code.replace("-", "_")], fallback=True))


English = Language("en", _gettext.NullTranslations())  # the messages as written, for logs and tests


def terminal_language(requested: str | None, team_locale: str | None) -> Language:
    """The language of ``check``/``build`` on a terminal: ``--lang``, else ``SITEGEN_LANG`` (a
    person's own choice, whatever the team's), else the team's locale, else the environment's
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English."""
    for code in (requested, os.environ.get("SITEGEN_LANG"), team_locale):
        if code in LOCALES:
            return language(code)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        for part in value.split(":"):
            found = _from_posix(part)
            if found:
                return language(found)
    return language("en")


def _from_posix(value: str) -> str | None:
    """zh_TW.UTF-8 → zh-Hant, zh_CN → zh-Hans, en_US → en; None for what sitegen does not speak."""
    tag = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh-Hans" if tag in ("zh", "zh_cn", "zh_sg", "zh_hans") or tag.startswith("zh_hans") else "zh-Hant"
    if tag.startswith("en"):
        return "en"
    return None


def text_to_data(text: Text) -> dict:
    """A Text as JSON data (the build cache keeps problems this way)."""
    return {"message": text.message, "plural": text.plural, "count": text.count,
            "args": [[name, text_to_data(value) if isinstance(value, Text) else value] for name, value in text.args]}


def text_from_data(raw: object) -> Text:
    """The inverse of ``text_to_data``, each part coerced to its type: stored data is never trusted."""
    if not isinstance(raw, dict):
        return verbatim(str(raw))
    args: list[tuple[str, Arg]] = []
    for pair in raw.get("args") or []:
        if isinstance(pair, list) and len(pair) == 2:
            name, value = pair
            args.append((str(name), text_from_data(value) if isinstance(value, dict)
                         else value if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)))
    count = raw.get("count")
    return Text(str(raw.get("message", "")), tuple(args), str(raw.get("plural", "")),
                count if isinstance(count, int) and not isinstance(count, bool) else 0)
