"""Regenerate the "Field reference" section of docs/records.md from the schema models.

    python tools/field_reference.py          # rewrite the section in place
    python tools/field_reference.py --check  # exit 1 if the section is out of date (tests/test_docs.py does this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel

from sitegen import model

DOCS = Path(__file__).resolve().parent.parent / "docs" / "records.md"
SECTIONS = [
    ("Configuration — `sitegen.yaml`", ["Config", "Channel", "LeadStandard", "CustomerField", "StarStandards", "StarDefinition", "StarCriteria",
                                        "Capability", "Holiday", "ExtraWorkingDay", "Privacy", "CheckSeverities", "ReportRules", "Recognition"]),
    ("Team — `records/team.yaml`", ["Team", "Group", "Member"]),
    ("Customer — `records/customers/<id>.yaml`", ["Customer", "Contact", "Deal", "ExpectedClose", "PastTouchpoint"]),
    ("Team goal — `records/plans/<id>.yaml` with `kind: goal`", ["Goal", "MemberShare", "Stage", "SalesEvent",
                                                                  "EventMemberTarget", "Measure"]),
    ("Member plan — `records/plans/<id>.yaml` with `kind: plan`", ["Plan", "PlanTarget", "PlanItem", "PlanRevision"]),
    ("Report — `records/reports/<yyyy>/<mm>/<date>-<member>[-am|-pm].md`", ["Report", "Touchpoint", "ReportDeal", "PlanProgress",
                                                                          "PlannedContact", "EventActual", "Answer"]),
    ("Review — `kind: review`", ["Review"]),
    ("Coaching note — `kind: coaching`", ["Coaching"]),
    ("Import log — `records/imports/<date>-<mapping>.yaml`, written by `sitegen import`", ["ImportLog", "LeftOut"]),
    ("Import mapping — the file given to `sitegen import`", ["ImportMapping", "TeamColumns", "AccountColumns", "ProductColumns",
                                                           "ContactColumns", "DealColumns"]),
]
HEADING = "## Field reference\n"


def schema_models() -> list[str]:
    return sorted(name for name, obj in vars(model).items()
                  if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == model.__name__
                  and obj is not model.Record)


def field_reference() -> str:
    out = [HEADING]
    for heading, names in SECTIONS:
        out.append(f"\n### {heading}\n")
        for name in names:
            cls = getattr(model, name)
            doc = (cls.__doc__ or "").strip()
            out.append(f"\n**{name}**" + (f" — {doc}" if doc and not doc.startswith(name + "(") else "") + "\n")
            out.append("\n| field | | meaning |\n|---|---|---|\n")
            for field_name, f in cls.model_fields.items():
                required = "required" if f.is_required() else ""
                meaning = (f.description or "").replace("|", "\\|")
                out.append(f"| `{f.alias or field_name}` | {required} | {meaning} |\n")
    return "".join(out)


def current_section(text: str) -> str:
    return text[text.index(HEADING):]


def main(argv: list[str]) -> int:
    text = DOCS.read_text(encoding="utf-8")
    wanted = field_reference()
    if "--check" in argv:
        return 0 if current_section(text) == wanted else 1
    DOCS.write_text(text[: text.index(HEADING)] + wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
