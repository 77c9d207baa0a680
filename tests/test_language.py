"""Every page read in every language: no word of another UI language, no raw id, no untranslated
message — on the example team (zh-Hant, with zh-Hans and English pages) and on a generated
mainland team (zh-Hans, with zh-Hant and English pages).

What a team wrote (customer and member names, report bodies, its channel names) may be in any
language: a piece of text is excused when it occurs in the team's own files, or when the page marks
it as another language (``lang``). Code (file paths, field names in <code>) is not prose.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO
from sitegen.cli import main
from sitegen.demo import write_demo_team
from sitegen.i18n_keys import DYNAMIC_MESSAGES

AS_OF = date(2026, 11, 27)
# Names that stay as they are in every language: products, formats, the currency prefix.
PRODUCT_NAMES = {"sitegen", "CSV", "JSON", "CRM", "YAML", "Markdown", "git", "GitHub", "Vega", "NT", "US", "HK", "CN",
                 "WeChat", "LINE"}
FILE_NAME = re.compile(r"[\w./<>-]+\.(?:ya?ml|md|csv|json|html)\b|\brecords/\S*")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
IDS = sorted({m for m in DYNAMIC_MESSAGES if "_" in m or "-" in m}, key=len, reverse=True)
ID_PATTERN = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, IDS)) + r")(?![\w/.-])")
def _ui_words() -> set[str]:
    """sitegen's own one-word messages ("Customers", "prospect", "done"): never excused as the
    team's words on a Chinese page, even where a record holds the same word as a value or key."""
    from babel.messages.pofile import read_po

    with (REPO / "sitegen/locales/sitegen.pot").open("rb") as handle:
        catalog = read_po(handle)
    return {m.id for m in catalog if isinstance(m.id, str) and LATIN_WORD.fullmatch(m.id)} - PRODUCT_NAMES


UI_WORDS = _ui_words()
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def wrong_script(language: str, run: str) -> bool:
    """A run of Han characters a reader of zh-Hans (or zh-Hant) would see as the other script:
    Simplified text is written in GB 2312's characters, and Traditional text in Big5's (each
    region's own character set), so a character outside it is the other script's."""
    try:
        run.encode("gb2312" if language == "zh-Hans" else "big5")
    except UnicodeEncodeError:
        return True
    return False


class Reader(HTMLParser):
    """The text a person reads on a page, each piece with the language the page declares for it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.pieces: list[tuple[str, str]] = []  # (language, text)
        self.page_lang = ""
        self.skip = 0
        self.specs: list[str] = []
        self._script: list[str] | None = None

    def language(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang), self.page_lang)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.page_lang = attributes.get("lang") or ""
        if tag == "script" and attributes.get("type") == "application/json":
            self._script = []
        if tag in VOID:
            lang = attributes.get("lang") or self.language()
            if not self.skip:
                self.pieces += [(lang, attributes[name] or "") for name in READ_ATTRIBUTES if attributes.get(name)]
                if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                    self.pieces.append((lang, attributes["value"] or ""))
            return
        self.stack.append((tag, attributes.get("lang")))
        if tag in ("script", "style", "code", "pre"):
            self.skip += 1
        elif not self.skip:
            self.pieces += [(self.language(), attributes[name] or "") for name in READ_ATTRIBUTES if attributes.get(name)]

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.specs.append("".join(self._script))
            self._script = None
        while self.stack:
            open_tag, _lang = self.stack.pop()
            if open_tag in ("script", "style", "code", "pre"):
                self.skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        elif not self.skip and data.strip():
            self.pieces.append((self.language(), data))


def chart_words(spec_text: str) -> list[str]:
    """What a chart shows in words: titles, and the labels its legend expressions map keys to."""
    try:
        spec = json.loads(spec_text)
    except ValueError:
        return []
    found: list[str] = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key == "title":
            found.append(value)
        elif isinstance(value, str) and key == "labelExpr":
            found.extend(json.loads(m) for m in re.findall(r'\? ("(?:[^"\\]|\\.)*")', value))

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def team_vocabulary(root: Path) -> tuple[str, tuple[str, ...]]:
    """Everything the team wrote (records and its configuration), and the names in it."""
    files = [root / "sitegen.yaml", *sorted((root / "records").rglob("*"))]
    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files if f.is_file())
    names = {n.strip().strip('"') for n in re.findall(r"\bname: (.+)$", text, re.M)}
    return text, tuple(sorted(names, key=len, reverse=True))


def foreign_words(language: str, text: str, team_words: str, names: tuple[str, ...] = ()) -> list[str]:
    """Words in ``text`` that a reader of ``language`` would not expect from the UI; ``names`` (of
    people and customers, longest first) are the team's wherever they stand in a sentence."""
    for name in names:
        text = text.replace(name, " ")
    text = FILE_NAME.sub(" ", text)
    # a setting's own name (lead_standard), as the team writes it in sitegen.yaml
    text = re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", lambda m: " " if m.group() in team_words and m.group() not in IDS else m.group(), text)
    found = []
    if language.startswith("zh"):
        found += [w for w in LATIN_WORD.findall(text) if w not in PRODUCT_NAMES and (w in UI_WORDS or w not in team_words)]
        found += [run for run in CJK_RUN.findall(text) if wrong_script(language, run) and run not in team_words]
    else:
        found += [run for run in CJK_RUN.findall(text) if run not in team_words]
    found += [m.group(1) for m in ID_PATTERN.finditer(text) if m.group(1) not in team_words]
    return found


ASCII_MARK = re.compile(r"[:;] ")


def ascii_punctuation(language: str, text: str, team_words: str) -> list[str]:
    """An English colon or semicolon in Chinese text ("下載: CSV"): the catalogs write "：" and "；"
    (LABEL, CLAUSES); only the team's own words may hold one."""
    if not language.startswith("zh"):
        return []
    found = []
    for mark in ASCII_MARK.finditer(text):
        around = text[max(0, mark.start() - 6):mark.end() + 6]
        if around.strip() not in team_words:
            found.append(around)
    return found


@pytest.fixture(scope="module")
def teams(tmp_path_factory, example_site_shared) -> dict[str, tuple[Path, Path]]:
    """(team root, built site) of the example team and of a generated mainland team."""
    mainland = tmp_path_factory.mktemp("mainland") / "team"
    write_demo_team(mainland, members=5, days=25, seed=5, end=AS_OF, locale="zh-Hans", calendar="cn")
    site = tmp_path_factory.mktemp("mainland") / "site"
    assert main(["build", str(mainland), "-o", str(site), "--as-of", str(AS_OF), "--no-cache"]) == 0
    return {"example": (REPO, example_site_shared), "mainland": (mainland, site)}


@pytest.mark.parametrize("team", ["example", "mainland"])
def test_every_page_speaks_its_language(teams, team):
    root, site = teams[team]
    team_words, names = team_vocabulary(root)
    member_ids = {m: n for m, n in re.findall(r"^\s*- id: (\S+)\n\s*name: (.+)$", (root / "records/team.yaml").read_text(encoding="utf-8"), re.M)
                  if m != n.strip()}
    pages = sorted(site.rglob("*.html"))
    languages: dict[str, int] = {}
    wrong: dict[str, set[str]] = {}
    for page in pages:
        reader = Reader()
        reader.feed(page.read_text(encoding="utf-8"))
        languages[reader.page_lang] = languages.get(reader.page_lang, 0) + 1
        pieces = reader.pieces + [(reader.page_lang, w) for spec in reader.specs for w in chart_words(spec)]
        for language, text in pieces:
            if language not in ("zh-Hant", "zh-Hans", "en"):  # marked as another language (lang="und": a commit message)
                continue
            for word in foreign_words(language, text, team_words, names):
                wrong.setdefault(f"{language}: {word}", set()).add(str(page.relative_to(site)))
            for mark in ascii_punctuation(language, text, team_words):
                wrong.setdefault(f"{language}: ASCII {mark!r}", set()).add(str(page.relative_to(site)))
            if text.strip() in member_ids:  # a person shown by id, not by name
                wrong.setdefault(f"{language}: id {text.strip()}", set()).add(str(page.relative_to(site)))
    assert set(languages) == {"zh-Hant", "zh-Hans", "en"} and min(languages.values()) > 100, languages
    report = {word: sorted(where)[:3] + ([f"… {len(where)} pages"] if len(where) > 3 else []) for word, where in sorted(wrong.items())}
    assert report == {}


def test_the_check_notices_each_kind_of_mistake():
    """The rules above catch what they are for (a test that cannot fail is no test)."""
    assert ascii_punctuation("zh-Hant", "下載: CSV · JSON", "") == ["下載: CSV · "]
    assert ascii_punctuation("zh-Hant", "落後進度 NT$281,500; 3 位客戶", "") != []
    assert ascii_punctuation("zh-Hant", "下載：CSV", "") == [] and ascii_punctuation("en", "Download: CSV", "") == []
    assert ascii_punctuation("zh-Hant", "客戶說: 好", "報告寫著：客戶說: 好。") == []  # the team's own words
    team = "王記茶行 LINE Official Account"
    assert foreign_words("zh-Hant", "客戶 Customers", team) == ["Customers"]
    assert foreign_words("zh-Hant", "王記茶行 的 LINE", team) == []
    assert foreign_words("zh-Hans", "客戶数量", team) == ["客戶数量"]
    assert foreign_words("zh-Hant", "客户數量", team) == ["客户數量"]
    assert foreign_words("zh-Hant", "定期檢查、搜尋、星級分布、累計、逾期、占比", team) == []  # 查 尋 布 累 逾 占: Traditional too
    assert foreign_words("zh-Hans", "劉建宏的预计成交", team, ("劉建宏",)) == []
    assert foreign_words("zh-Hant", "原始資料標準（sitegen.yaml 的 lead_standard）", "lead_standard:") == []
    assert foreign_words("zh-Hant", "狀態 prospect", "status: prospect") == ["prospect"]
    assert foreign_words("en", "Customers 客戶", team) == ["客戶"]
    assert foreign_words("en", "Review: 王記茶行", team) == []
    assert foreign_words("en", "signal: low_meeting_rate", team) == ["low_meeting_rate"]
    assert chart_words('{"encoding": {"x": {"title": "Date"}}, "config": {"legend": {"labelExpr": '
                       '"datum[\\"label\\"] == \\"actual\\" ? \\"Actual\\" : datum[\\"label\\"]"}}}') == ["Date", "Actual"]
