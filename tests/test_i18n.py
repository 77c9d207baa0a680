"""The catalogs: Babel's own files, complete and current; the languages the terminal speaks."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import get_args

import pytest

from sitegen import model
from sitegen.i18n import English, Text, language, msg, msg_plural, terminal_language, verbatim
from sitegen.i18n_keys import DYNAMIC_MESSAGES

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_are_complete_and_current():
    """A message in code or templates that is not in sitegen.pot, a language without its
    translation, or a .mo older than its .po fails here (so in CI), naming each."""
    tool = runpy.run_path(str(ROOT / "tools" / "update_translations.py"))
    assert tool["problems"]() == []


def test_the_check_notices_a_new_message(tmp_path, monkeypatch):
    tool = runpy.run_path(str(ROOT / "tools" / "update_translations.py"))
    fresh, ids = tool["extract"]()
    assert "Goals" in fresh and "low_meeting_rate" in ids and "Goals" not in ids
    fresh.add("A message nobody translated")
    extract = tool["problems"].__globals__["extract"]
    monkeypatch.setitem(tool["problems"].__globals__, "extract", lambda: (fresh, ids))
    found = tool["problems"]()
    assert "sitegen.pot lacks 'A message nobody translated' (run tools/update_translations.py)" in found
    assert "zh_Hant: no translation for 'A message nobody translated'" in found
    assert not any(line.startswith("en:") for line in found)  # English words are needed for ids only
    assert extract is not None


def test_every_id_the_records_format_defines_has_words():
    """Statuses, kinds, roles and signals come from the model's literals; each is marked for the
    catalogs, so a new status cannot reach a page as an id."""
    literals = (set(get_args(model.Customer.model_fields["status"].annotation))
                | set(get_args(model.Measure.model_fields["status"].annotation))
                | set(get_args(model.Plan.model_fields["period"].annotation))
                | set(get_args(model.PlanProgress.model_fields["status"].annotation))
                | set(get_args(model.Report.model_fields["kind"].annotation))
                | set(get_args(model.Member.model_fields["role"].annotation))
                | set(get_args(model.SignalName)))
    assert literals - set(DYNAMIC_MESSAGES) == set()
    for code in ("zh-Hant", "zh-Hans"):  # (English words for them: the catalog check above)
        words = language(code)
        assert [m for m in DYNAMIC_MESSAGES if words(m) == m] == [], code
    assert language("en")("not-done") == "not done" and language("en")("low_meeting_rate") != "low_meeting_rate"


def test_a_text_is_translated_where_it_is_shown():
    text = msg("{share} of must-achieve", share="50%")
    assert str(text) == "50% of must-achieve"
    assert language("zh-Hant")(text) == "必達目標達成 50%"
    assert language("zh-Hans")(text) == "必达目标完成 50%"
    nested = msg("Goal {period}", period=verbatim("2026-11"))
    assert language("zh-Hans")(nested) == "目标 2026-11"
    assert isinstance(nested, Text) and English(nested) == "Goal 2026-11"


def test_plural_forms_follow_the_language():
    one, many = msg_plural("{count:,} error", "{count:,} errors", 1), msg_plural("{count:,} error", "{count:,} errors", 3000)
    assert (str(one), str(many)) == ("1 error", "3,000 errors")
    assert (language("zh-Hant")(one), language("zh-Hant")(many)) == ("1 個錯誤", "3,000 個錯誤")


@pytest.mark.parametrize(("requested", "team", "environment", "expected"), [
    ("zh-Hans", "zh-Hant", "en_US.UTF-8", "zh-Hans"),
    (None, "zh-Hant", "en_US.UTF-8", "zh-Hant"),
    (None, None, "zh_TW.UTF-8", "zh-Hant"),
    (None, None, "zh_CN.UTF-8", "zh-Hans"),
    (None, None, "fr_FR.UTF-8", "en"),
    (None, None, "", "en"),
])
def test_the_terminal_speaks_the_requested_then_the_teams_language(monkeypatch, requested, team, environment, expected):
    for variable in ("SITEGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", environment)
    assert terminal_language(requested, team).code == expected


def test_a_team_gives_its_own_words_in_each_language(minimal_team, tmp_path):
    """Channel names, star labels and descriptions, the lead standard and capability names a team
    writes can be given per language (name_in, label_in, description_in); pages use them, and
    sitegen's own capability names come from the catalogs."""
    from sitegen.cli import main

    config = minimal_team / "sitegen.yaml"
    text = config.read_text(encoding="utf-8").replace("locale: en", "locale: en\nlocales: [zh-Hans]")
    text = text.replace("{id: visit, name: Visit,", "{id: visit, name: Visit, name_in: {zh-Hans: 拜访},")
    text = text.replace("{stars: 5, label: Hot, description: Closing within 30 days.,",
                        "{stars: 5, label: Hot, label_in: {zh-Hans: 热}, description: Closing within 30 days., "
                        "description_in: {zh-Hans: 30 天内成交。},")
    text = text.replace("  description: A name, an owner and a contact with a phone number.",
                        "  description: A name, an owner and a contact with a phone number.\n"
                        "  description_in: {zh-Hans: 有名称、负责人和联系人电话。}")
    config.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", str(minimal_team), "-o", str(site), "--as-of", "2026-11-20"]) == 0
    standards_en = (site / "standards.html").read_text(encoding="utf-8")
    standards_zh = (site / "zh-Hans/standards.html").read_text(encoding="utf-8")
    assert "Visit" in standards_en and "拜访" not in standards_en and "Closing within 30 days." in standards_en
    assert "拜访" in standards_zh and ">Visit<" not in standards_zh
    assert "热" in standards_zh and "30 天内成交。" in standards_zh and "有名称、负责人和联系人电话。" in standards_zh
    assert "Phone" in standards_zh  # a name given in one language only is shown as written
    activity_zh = (site / "zh-Hans/activity.html").read_text(encoding="utf-8")
    assert "拜访" in activity_zh
    capability_zh = (site / "zh-Hans/capability.html").read_text(encoding="utf-8")
    assert "邀约" in capability_zh and "Invitation" not in capability_zh


def test_check_on_a_zh_hant_team_speaks_traditional_chinese_with_locations(minimal_team, monkeypatch, capsys):
    """Without --lang, check speaks the team's locale; the located form is the same in every language."""
    from conftest import write
    from sitegen.cli import main

    monkeypatch.delenv("SITEGEN_LANG")
    config = minimal_team / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("locale: en", "locale: zh-Hant"), encoding="utf-8")
    write(minimal_team, "records/customers/x.yaml", "name: X\nowner: bob\nstatus: lead\nsource: a\nownr: b\nstars: 9\n")
    assert main(["check", str(minimal_team), "--as-of", "2026-11-20"]) == 1
    out = capsys.readouterr().out
    assert "records/customers/x.yaml:5:1: 錯誤: ownr: 未知的欄位「ownr」\n  提示：是不是「owner」？" in out
    assert "records/customers/x.yaml:6:8: 錯誤: stars: 應該是 1 到 5 的星級，卻是「9」" in out
    assert out.rstrip().splitlines()[-1].startswith("2 個檔案中有 2 個錯誤、")
    assert main(["check", str(minimal_team), "--as-of", "2026-11-20", "--lang", "en"]) == 1
    assert "records/customers/x.yaml:5:1: error: ownr: unknown field 'ownr'\n  hint: did you mean 'owner'?" in capsys.readouterr().out


def test_build_v_names_its_stages_in_the_terminals_language(minimal_team, tmp_path, capsys):
    """`build -v` ends with the time of each stage, its words from the catalog like every other line."""
    from sitegen.cli import main

    assert main(["build", str(minimal_team), "-o", str(tmp_path / "zh"), "--as-of", "2026-11-20", "-v", "--lang", "zh-Hans"]) == 0
    stages = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert re.fullmatch(r"  检查变更 \d+\.\d\d 秒、读取并检查记录 \d+\.\d\d 秒、规划页面 \d+\.\d\d 秒、"
                        r"写入页面 \d+\.\d\d 秒、归档 \d+\.\d\d 秒、替换网站 \d+\.\d\d 秒", stages), stages
    assert main(["build", str(minimal_team), "-o", str(tmp_path / "en"), "--as-of", "2026-11-20", "-v", "--lang", "en"]) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1].startswith("  what changed ")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_the_command_lines_help_and_usage_errors_speak_the_terminals_language(monkeypatch, capsys, lang):
    """`sitegen --help`, a command's help and argparse's own words (usage, headings, errors) come
    from sitegen's catalogs, before any team is read; argparse speaks English again afterwards."""
    import argparse
    import gettext

    from sitegen.cli import main

    _ = language(lang)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    out = capsys.readouterr().out
    assert ended.value.code == 0 and out.startswith(_("usage: ") + "sitegen [-h] [--version] " + _("COMMAND"))
    for words in ("Turn a sales team's records into a static dashboard site.", "validate, then write the site",
                  "positional arguments", "options", "show this help message and exit"):
        assert _(words) != words and _(words) in out, words
    headings = [line for line in out.splitlines() if line.endswith((":", "："))]
    assert headings == [_("positional arguments") + "：", _("options") + "："], headings  # the language's colon, not argparse's
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    assert _("output folder (default: ROOT/site)") in out and "[" + _("ROOT") + "]" in out
    assert [line for line in out.splitlines() if line.endswith((":", "："))] == headings  # and in each command's help
    with pytest.raises(SystemExit) as ended:
        main(["build", "--as-of", "2026-13-01"])
    error = capsys.readouterr().err.rstrip().splitlines()[-1]
    assert ended.value.code == 2
    assert error == (_("%(prog)s: error: %(message)s\n") % {"prog": "sitegen build", "message": _("argument %(argument_name)s: %(message)s") % {
        "argument_name": "--as-of", "message": _(msg("'{text}' is not a date (YYYY-MM-DD)", text="2026-13-01"))}}).rstrip()
    assert "「" in error or "“" in error
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    monkeypatch.setenv("SITEGEN_LANG", "en")
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert [line for line in capsys.readouterr().out.splitlines() if line.endswith(":")][:2] == ["positional arguments:", "options:"]
    with pytest.raises(SystemExit):
        main(["build", "--jobs", "0"])
    assert capsys.readouterr().err.rstrip().endswith("sitegen build: error: argument -j/--jobs: '0': at least 1 process renders the pages")
