"""Keep the message catalogs in step with the code: extract, update, compile — or check.

    python tools/update_translations.py          # sitegen.pot from the code, each .po updated, .mo compiled
    python tools/update_translations.py --check  # fail if the .pot is stale, a .po lacks a translation, or a .mo is old

The ``.po`` files under ``sitegen/locales/<lang>/LC_MESSAGES/`` are the translations' source: edit
them (with any PO editor), then run this. A new message arrives in each ``.po`` untranslated, and
``--check`` (run by the tests, so by CI) fails until someone translates it. English needs words
only for the ids the pages show (messages marked ``N_`` in sitegen/i18n_keys.py).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "sitegen" / "locales"
POT = LOCALES_DIR / "sitegen.pot"
LANGUAGES = ("zh_Hant", "zh_Hans", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "msg": None, "msg_plural": (1, 2), "N_": None}
IDS_FILE = "sitegen/i18n_keys.py"


def extract() -> tuple[Catalog, set[str]]:
    """The messages in the code and templates now, and those that are ids (English words needed)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="sitegen", charset="utf-8")
    ids: set[str] = set()
    for filename, lineno, message, comments, context in extract_from_dir(str(ROOT), method_map, options_map, KEYWORDS,
                                                                         comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
        if filename == IDS_FILE:
            ids.add(message if isinstance(message, str) else message[0])
    return catalog, ids


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "sitegen.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, sort_output=True, omit_header=False)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _entries(catalog: Catalog, translated_only: bool = False) -> dict:
    def plain(value):
        return value if isinstance(value, str) else tuple(value)
    return {plain(m.id): plain(m.string) for m in catalog
            if m.id and (not translated_only or (m.string and all(m.string if not isinstance(m.string, str) else [m.string])
                                                 and not m.fuzzy))}


def problems() -> list[str]:
    """What is out of step, one line each; empty when the catalogs are complete and current."""
    found: list[str] = []
    fresh, ids = extract()
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in fresh if m.id}
    template = read_catalog(POT)
    committed = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    found += [f"sitegen.pot lacks {m!r} (run tools/update_translations.py)" for m in sorted(wanted - committed)]
    found += [f"sitegen.pot still has {m!r}, no longer used" for m in sorted(committed - wanted)]
    for language in LANGUAGES:
        catalog = read_catalog(po_path(language), language)
        for message in fresh:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if language == "en" and key not in ids:
                continue
            entry = catalog.get(message.id)
            strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
            if entry is None or entry.fuzzy or not strings or not all(strings):
                found.append(f"{language}: no translation for {key!r}")
        mo = po_path(language).with_suffix(".mo")
        if not mo.is_file():
            found.append(f"{language}: sitegen.mo missing (run tools/update_translations.py)")
            continue
        with mo.open("rb") as handle:
            shipped = read_mo(handle)
        wanted_strings = _entries(catalog, translated_only=True)
        if {k: v for k, v in _entries(shipped).items() if k in wanted_strings} != wanted_strings:
            found.append(f"{language}: sitegen.mo is older than sitegen.po (run tools/update_translations.py)")
    return found


def update() -> None:
    fresh, ids = extract()
    write_catalog(POT, fresh)
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read_catalog(path, language) if path.is_file() else Catalog(locale=language, project="sitegen")
        catalog.update(fresh, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write_catalog(path, catalog)
        path.with_suffix(".mo").write_bytes(compiled(catalog))
    untranslated = problems()
    print(f"{len(fresh)} messages ({len(ids)} ids); {len(untranslated)} to translate")
    for line in untranslated:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when anything is out of step")
    if parser.parse_args().check:
        found = problems()
        for line in found:
            print(line)
        sys.exit(1 if found else 0)
    update()


if __name__ == "__main__":
    main()
