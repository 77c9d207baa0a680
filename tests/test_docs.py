"""docs/records.md documents every schema field and configuration key, as the models define them."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import field_reference


def test_every_model_has_a_place_in_the_reference():
    placed = sorted(name for _, names in field_reference.SECTIONS for name in names)
    assert placed == field_reference.schema_models()


def test_the_field_reference_is_up_to_date():
    docs = (REPO / "docs/records.md").read_text(encoding="utf-8")
    assert field_reference.current_section(docs) == field_reference.field_reference(), (
        "docs/records.md is out of date: run python tools/field_reference.py")


def test_every_command_in_the_guides_exists():
    """Each `sitegen …` command line in the user guide and README parses with the real command line."""
    import re
    import shlex

    from sitegen.cli import _parser

    commands = []
    for doc in ("docs/guide.md", "README.md"):
        text = (REPO / doc).read_text(encoding="utf-8")
        for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
            commands += re.findall(r"^(sitegen [^\n#]+?)\s*(?:#.*)?$", block, flags=re.M)
        commands += re.findall(r"`(sitegen [^`]+)`", text)
    assert len(commands) > 15
    for command in commands:
        words = shlex.split(command.replace("<id>", "alex"))[1:]
        if len(words) == 1:  # a mention of a command ("`sitegen new`"), not a command line
            assert words[0] in _parser()._subparsers._group_actions[0].choices, command
            continue
        try:
            _parser().parse_args(words)
        except SystemExit as exc:
            raise AssertionError(f"documented command does not parse: {command}") from exc


def test_every_field_says_what_it_is_for():
    """Descriptions are written once, in the model, and reach docs/records.md and the editors' schemas."""
    from sitegen import model
    from sitegen.schema import json_schemas

    missing = [f"{name}.{field}" for _, names in field_reference.SECTIONS for name in names
               for field, info in getattr(model, name).model_fields.items() if not info.description]
    assert missing == []
    customer = json_schemas()["customer.schema.json"]
    assert customer["properties"]["owner"]["description"] == "The member responsible for the customer."


def test_every_capability_signal_has_its_rule_documented():
    from sitegen.metrics.capability import SIGNALS

    docs = (REPO / "docs/records.md").read_text(encoding="utf-8")
    for name, (label, _bad, _factor, _absolute) in SIGNALS.items():
        assert f"| `{name}` | {label} |" in docs, name
