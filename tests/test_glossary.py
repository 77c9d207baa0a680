"""The catalogs follow docs/glossary.md: mainland words in zh-Hans, Taiwan's in zh-Hant."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from conftest import REPO
from sitegen.resources import builtin_templates

KEPT = {"管道": "命名管道"}  # a term the glossary replaces, in the one phrase where it stays (a named pipe)


def _to_simplified() -> dict[int, str]:
    text = (builtin_templates() / "static" / "hanfold.js").read_text(encoding="utf-8")
    pairs = text[text.index('"') + 1: text.rindex('"')]
    return str.maketrans({pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)})


def glossary() -> list[tuple[str, list[str], list[str]]]:
    """(English, zh-Hant terms, zh-Hans terms) of each row of the glossary's table."""
    rows = []
    for line in (REPO / "docs/glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.search(r"[\u4e00-\u9fff「“]", cells[1]):
            rows.append((cells[0], cells[1].split("、"), cells[2].split("、")))
    return rows


def translations(language: str) -> list[str]:
    with (REPO / f"sitegen/locales/{language}/LC_MESSAGES/sitegen.po").open("rb") as handle:
        catalog = read_po(handle)
    return [s for m in catalog if m.id for s in ([m.string] if isinstance(m.string, str) else m.string)]


def taiwan_terms(text: str, rows: list[tuple[str, list[str], list[str]]], simplified: dict[int, str]) -> list[str]:
    """The glossary's Taiwan terms in ``text``, in either script, each with the mainland word to write."""
    found = []
    for english, taiwan, mainland in rows:
        for term in taiwan:
            shown = text.replace(KEPT.get(term, "\0"), "")
            if term.translate(simplified) in shown or term in shown:
                found.append(f"{term} ({english}; write {'、'.join(mainland)}): {text}")
    return found


def test_zh_hans_speaks_mainland_usage():
    simplified, rows = _to_simplified(), glossary()
    assert len(rows) >= 20 and ("field (of a record)", ["欄位"], ["字段"]) in rows
    assert [f.split(" ")[0] for f in taiwan_terms("必填栏位「名称」", rows, simplified)] == ["欄位", "「", "」"]
    assert taiwan_terms("一个命名管道", rows, simplified) == []
    assert [f for text in translations("zh_Hans") for f in taiwan_terms(text, rows, simplified)] == []


def test_zh_hant_is_written_in_traditional_characters():
    wrong = []
    for text in translations("zh_Hant"):
        for run in re.findall(r"[\u3400-\u9fff]+", text):
            try:
                run.encode("big5")
            except UnicodeEncodeError:
                wrong.append(run)
    assert wrong == []
