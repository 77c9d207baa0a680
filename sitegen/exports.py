"""Every table of metrics on the site, also as CSV and JSON, so managers can take the numbers into
a spreadsheet.

The tables are read back from the rendered page rather than built a second time, so a download
always says exactly what the page says (and a team's own templates get downloads too). A cell's
``data-value`` attribute, where a template gives one, is the exact number behind a formatted one,
and ``data-text`` the exact text behind a decorated one (a name without its badges, a date in ISO
form); a cell without either is its text, whatever it looks like.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .render import inert_json

# the pages whose tables are metrics (per-record pages are the records themselves)
EXPORTED_TEMPLATES = {"index.html", "customers.html", "goals.html", "goal.html", "plans.html", "activity.html",
                      "members.html", "member.html", "capability.html", "daily.html", "reviews.html"}
# (pages reused whole between builds, such as plan pages, must not be here: their downloads would not follow)


@dataclass
class Table:
    id: str
    columns: list[str]
    rows: list[list[str | float | None]]


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    value: str | None = None  # data-value: the raw number
    raw_text: str | None = None  # data-text: the raw text, without badges or formatting
    colspan: int = 1
    rowspan: int = 1


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str | None, list[list[_Cell]], list[list[_Cell]]]] = []  # id, head rows, body rows
        self._stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._stack.append({"id": a.get("id"), "head": [], "body": [], "section": "body", "row": None, "cell": None})
        elif not self._stack:
            return
        t = self._stack[-1]
        if tag == "thead":
            t["section"] = "head"
        elif tag in ("tbody", "tfoot"):
            t["section"] = "body"
        elif tag == "tr":
            t["row"] = []
            t[t["section"]].append(t["row"])
        elif tag in ("td", "th") and t["row"] is not None:
            t["cell"] = _Cell(value=a.get("data-value"), raw_text=a.get("data-text"), colspan=_int(a.get("colspan")), rowspan=_int(a.get("rowspan")))
            t["row"].append(t["cell"])
        elif tag == "br" and t["cell"] is not None:
            t["cell"].text.append(" ")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        t = self._stack[-1]
        if tag in ("td", "th"):
            t["cell"] = None
        elif tag == "table":
            self._stack.pop()
            self.tables.append((t["id"], t["head"], t["body"]))

    def handle_data(self, data):
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"].text.append(data)


def _int(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def _grid(rows: list[list[_Cell]]) -> list[list[_Cell | None]]:
    """Expand colspan and rowspan so each row has one entry per column."""
    grid: list[list[_Cell | None]] = []
    pending: dict[tuple[int, int], _Cell] = {}
    for r, row in enumerate(rows):
        out: list[_Cell | None] = []
        cells = iter(row)
        c = 0
        while True:
            if (r, c) in pending:
                out.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for _span in range(cell.colspan):
                out.append(cell)
                for below in range(1, cell.rowspan):
                    pending[(r + below, c)] = cell
                c += 1
        grid.append(out)
    return grid


def _text(cell: _Cell | None) -> str:
    return " ".join("".join(cell.text).split()) if cell else ""


def cell_value(cell: _Cell | None) -> str | float | None:
    """A cell's value for a download. Its type comes from the model, never from its look: a number
    only where the template gave the raw value (``data-value``; empty or None there means no
    value), and the cell's text otherwise — so a customer called "No.1" or "007" stays text."""
    if cell is not None and cell.value is not None:
        if cell.value in ("", "None"):
            return None
        try:
            number = float(cell.value)
        except ValueError:
            return cell.value
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if cell is not None and cell.raw_text is not None:
        return cell.raw_text
    return _text(cell)


_TABLE = re.compile(r"<table\b.*?</table>", flags=re.S | re.I)


def read_tables(html: str) -> list[tuple[Table, int]]:
    """Each table of a page (tables are never nested here) and the offset just after its end.
    Only the tables are parsed: parsing whole pages cost more than rendering them."""
    tables = []
    for index, match in enumerate(_TABLE.finditer(html), start=1):
        reader = _TableReader()
        reader.feed(match.group())
        reader.close()
        if not reader.tables:
            continue
        table_id, head, body = reader.tables[0]
        head_grid, body_grid = _grid(head), _grid(body)
        width = max((len(r) for r in head_grid + body_grid), default=0)
        columns = []
        for c in range(width):
            parts = []
            for row in head_grid:
                text = _text(row[c]) if c < len(row) else ""
                if text and text not in parts:
                    parts.append(text)
            columns.append(" / ".join(parts) or f"column {c + 1}")
        rows = [[cell_value(row[c]) if c < len(row) else "" for c in range(width)] for row in body_grid]
        tables.append((Table(table_id or f"table-{index}", columns, rows), match.end()))
    return tables


def _csv_safe(value: str | float | None) -> str | float | None:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "－", "＝", "＋", "＠"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_safe(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 (Chinese) correctly


def to_json(table: Table, page: str) -> bytes:
    data = {"page": page, "table": table.id, "columns": table.columns,
            "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows]}
    return (inert_json(data, indent=1) + "\n").encode("utf-8")


def add_exports(path: str, html: str, label: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The page with download links after each table, and the CSV and JSON files to write."""
    tables = read_tables(html)
    if not tables:
        return html, []
    stem = path[: -len(".html")]
    name = stem.rsplit("/", 1)[-1]
    files: list[tuple[str, bytes]] = []
    inserts = []
    for table, end in tables:
        safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", table.id)
        files.append((f"{stem}.{safe_id}.csv", to_csv(table)))
        files.append((f"{stem}.{safe_id}.json", to_json(table, path)))
        link = (f'<p class="export">{label}: <a href="{name}.{safe_id}.csv" download>CSV</a> · '
                f'<a href="{name}.{safe_id}.json" download>JSON</a></p>')
        inserts.append((end, link))
    for end, link in sorted(inserts, reverse=True):
        html = html[:end] + link + html[end:]
    return html, files
