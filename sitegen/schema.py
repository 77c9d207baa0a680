"""Validate loaded documents against the record models, and export those models as JSON Schema.

pydantic does the checking; this module turns its errors into located problems worded for the
person who typed the record (what is wrong, where, and what to write instead).
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import model
from .i18n import NO_TEXT, Text, msg, msg_plural, verbatim
from .loader import Document, FieldPath, format_field_path
from .model import describe  # one wording of "got …" for every message
from .problems import Problem, error

M = TypeVar("M", bound=BaseModel)


def validate_document(document: Document, model_class: type[M]) -> tuple[M | None, list[Problem]]:
    try:
        return model_class.model_validate(document.data), []
    except ValidationError as exc:
        return None, [_problem_from(document, model_class, err) for err in exc.errors()]


def validate_by_kind(document: Document, kinds: Mapping[str, type[BaseModel]], default: str | None = None
                     ) -> tuple[BaseModel | None, list[Problem]]:
    """Pick the model from the record's ``kind`` field, then validate against it."""
    kind = document.data.get("kind", default) if isinstance(document.data, dict) else default
    if kind is None or kind not in kinds:
        line, column = document.mark(("kind",)) if kind is not None else document.mark(())
        choices = ", ".join(kinds)
        message = msg("kind is missing") if kind is None else msg("kind '{kind}' is not a kind of record here", kind=str(kind))
        close = difflib.get_close_matches(str(kind), list(kinds), n=1) if kind is not None else []
        hint = (msg("did you mean '{name}'? (write one of: {choices})", name=close[0], choices=choices) if close
                else msg("write one of: {choices}", choices=choices))
        return None, [error(document.path, line, column, "kind", message, hint)]
    return validate_document(document, kinds[kind])


def _problem_from(document: Document, model_class: type[BaseModel], err: Any) -> Problem:
    loc: FieldPath = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    field = format_field_path(loc)
    hint: Text = NO_TEXT
    context = err.get("ctx") or {}
    if kind == "sitegen":
        message, hint = context["message"], context.get("hint", NO_TEXT)
        line, column = document.mark(loc)
    elif kind == "missing":
        message = msg("required field is missing")
        line, column = document.mark(loc[:-1])
        hint = msg("add '{field}: …'", field=loc[-1]) if loc and isinstance(loc[-1], str) else NO_TEXT
    elif kind == "extra_forbidden":
        known = field_names_at(model_class, loc[:-1])
        message = msg("unknown field '{field}'", field=str(loc[-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = (msg("did you mean '{name}'?", name=close[0]) if close
                else msg("known fields here: {fields}", fields=", ".join(known)) if known else NO_TEXT)
        line, column = document.key_mark(loc)
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", context.get("expected", ""))
        message = msg("expected one of {choices}; got {found}", choices=", ".join(choices), found=describe(value))
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = msg("did you mean '{name}'?", name=close[0]) if close else NO_TEXT
        line, column = document.mark(loc)
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = msg("expected a mapping of fields, got {found}", found=describe(value))
        hint = msg("write 'field: value' lines indented under this key")
        line, column = document.mark(loc)
    elif kind == "list_type":
        message = msg("expected a list, got {found}", found=describe(value))
        hint = msg("write each item on its own line starting with '- '")
        line, column = document.mark(loc)
    elif kind in ("too_short", "too_long") and isinstance(value, (list, dict)):
        limit = int(context.get("min_length" if kind == "too_short" else "max_length", 0))
        actual = int(context.get("actual_length", len(value)))
        message = (msg_plural("expected at least {count} item, got {actual}", "expected at least {count} items, got {actual}", limit, actual=actual)
                   if kind == "too_short" else
                   msg_plural("expected at most {count} item, got {actual}", "expected at most {count} items, got {actual}", limit, actual=actual))
        line, column = document.mark(loc)
    elif kind in ("string_too_long", "too_long"):
        limit = int(context.get("max_length", 0))
        message = msg_plural("expected at most {count} character", "expected at most {count} characters", limit)
        line, column = document.mark(loc)
    elif kind in ("string_too_short", "too_short"):
        limit = int(context.get("min_length", 0))
        message = msg_plural("expected at least {count} character", "expected at least {count} characters", limit)
        line, column = document.mark(loc)
    elif kind == "string_pattern_mismatch":
        message = msg("{found} is not written as this field needs", found=describe(value))
        hint = msg("the pattern is {pattern}", pattern=str(context.get("pattern", "")))
        line, column = document.mark(loc)
    else:  # a rule pydantic states in its own words (English): kept as written, with its kind
        message = verbatim(f"{err['msg']} [{kind}]")
        line, column = document.mark(loc)
    return error(document.path, line, column, field, message, hint)




def field_names_at(model_class: type[BaseModel], loc: FieldPath) -> list[str]:
    """The field names a record accepts at a path (for did-you-mean hints)."""
    current: Any = model_class
    for part in loc:
        current = _model_inside(current)
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field_info = next((f for name, f in current.model_fields.items() if (f.alias or name) == part), None)
        if field_info is None:
            return []
        current = field_info.annotation
    current = _model_inside(current)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """Unwrap list[...], X | None and Annotated[...] down to a model class, if there is one."""
    for _ in range(6):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        args = typing.get_args(annotation)
        if not args:
            return None
        origin = typing.get_origin(annotation)
        if origin is dict:
            annotation = args[1]
        elif origin in (typing.Union, types.UnionType):
            annotation = next((a for a in args if a is not type(None)), None)
        else:
            annotation = args[0]
    return None


# ---------------------------------------------------------------------------------------------
# JSON Schema export

SCHEMAS: dict[str, tuple[str, Any]] = {
    "sitegen.schema.json": ("sitegen.yaml — team configuration", model.Config),
    "team.schema.json": ("records/team.yaml — the team's members", model.Team),
    "customer.schema.json": ("records/customers/*.yaml — one customer", model.Customer),
    "plan.schema.json": ("records/plans/*.yaml — a team goal or a member plan", model.Goal | model.Plan),
    "report.schema.json": ("records/reports/**/*.md front matter — report, review or coaching note",
                           model.Report | model.Review | model.Coaching),
}


def json_schemas() -> dict[str, dict]:
    from pydantic import TypeAdapter

    result = {}
    for file_name, (title, annotation) in SCHEMAS.items():
        schema = TypeAdapter(annotation).json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
        result[file_name] = schema
    return result


def write_json_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, schema in json_schemas().items():
        target = directory / file_name
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(target)
    return written
