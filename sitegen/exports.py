"""Every table of a view, also as CSV and JSON, so managers can take the numbers into a spreadsheet.

Written from the same ``Table`` value the page shows (views/tables.py), never read back from the
page: raw values (numbers as numbers, dates in ISO form, names without badges), the page's column
headers in the reader's language for the CSV, and stable column keys for the JSON.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from .render import inert, inert_json
from .views.tables import Cell, Column, Named, Progress, Table, tables_of

JSONValue = str | int | float | None


def raw_value(value: Cell) -> JSONValue:
    """A cell as a download holds it: the number, the date in ISO form, the name as text."""
    if isinstance(value, Named):
        return raw_value(value.text)
    if isinstance(value, Progress):
        return value.ratio
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ("; " if value and isinstance(value[0], str) else ", ").join(str(raw_value(v)) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def header(column: Column) -> str:
    return f"{column.group} / {column.label}" if column.group else column.label


def _csv_safe(value: JSONValue) -> JSONValue:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "－", "＝", "＋", "＠"):
        return "'" + value
    return value


def raw_rows(table: Table) -> list[list[JSONValue]]:
    """Each row's cells as the downloads hold them, made once for both files."""
    return [[raw_value(v) for v in row.cells] for row in table.rows]


def to_csv(table: Table, raw: list[list[JSONValue]]) -> bytes:
    """``raw``: the table's raw_rows, made once for its CSV and its JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_safe(header(c)) for c in table.columns])
    for cells in raw:
        writer.writerow([_csv_safe(v) for v in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 (Chinese) correctly


_ROW = json.JSONEncoder(ensure_ascii=False)  # one encoder for every row (json.dumps with options makes one per call)


def to_json(table: Table, page: str, raw: list[list[JSONValue]]) -> bytes:
    """Rows keyed by the columns' stable keys; a name's id beside it as ``<key>_id``; totals flagged."""
    rows = []
    for row, values in zip(table.rows, raw, strict=True):
        data: dict[str, JSONValue | bool] = {}
        for column, value, shown in zip(table.columns, row.cells, values, strict=True):
            data[column.key] = shown
            if isinstance(value, Named) and value.id:
                data[f"{column.key}_id"] = value.id
        if row.total:
            data["total"] = True
        rows.append(data)
    head = inert_json({"page": page, "table": table.id,
                       "columns": [{"key": c.key, "label": c.label, "kind": c.kind, **({"group": c.group} if c.group else {})}
                                   for c in table.columns]})
    # a row per line: readable in a diff, and each written by json's C encoder (indenting takes its
    # pure-Python one: a large team's downloads took four times as long)
    lines = inert("".join(("\n" if i == 0 else ",\n") + _ROW.encode(row) for i, row in enumerate(rows))) + ("\n" if rows else "")
    return (head[:-1] + ', "rows": [' + lines + "]}\n").encode("utf-8")


def _stem(path: str, table: Table) -> str:
    return f"{path[: -len('.html')]}.{table.id}"


def downloads(view: object) -> list[Table]:
    return [t for t in tables_of(view) if t.download]


def download_paths(path: str, view: object) -> list[str]:
    """The download files of a page (``path``, relative to the site root) beside it."""
    return [f"{_stem(path, t)}.{suffix}" for t in downloads(view) for suffix in ("csv", "json")]


def table_files(path: str, view: object) -> list[tuple[str, bytes]]:
    """The CSV and JSON files of each downloadable table of a page's view."""
    files = []
    for table in downloads(view):
        raw = raw_rows(table)
        files += [(f"{_stem(path, table)}.csv", to_csv(table, raw)), (f"{_stem(path, table)}.json", to_json(table, path, raw))]
    return files
