"""docs/records.md documents every schema field and configuration key, as the models define them."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import field_reference  # noqa: E402


def test_every_model_has_a_place_in_the_reference():
    placed = sorted(name for _, names in field_reference.SECTIONS for name in names)
    assert placed == field_reference.schema_models()


def test_the_field_reference_is_up_to_date():
    docs = (REPO / "docs/records.md").read_text(encoding="utf-8")
    assert field_reference.current_section(docs) == field_reference.field_reference(), (
        "docs/records.md is out of date: run python tools/field_reference.py")
