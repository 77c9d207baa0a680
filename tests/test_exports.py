"""Tables of metrics as CSV and JSON: written from the view's table, saying what the page says,
readable by a spreadsheet, safe to open."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import dates, numbers

from conftest import FIXTURES, REPO
from sitegen.cli import main
from sitegen.exports import raw_rows, table_files, to_csv
from sitegen.views.tables import Column, Named, Table, row

TABLE = Table("counts", (Column("member", "Member", "ref"), Column("closed.5", "5★", "number", "Closed, by star"),
                         Column("closed.4", "4★", "number", "Closed, by star"), Column("value", "Value", "money"),
                         Column("last", "Last contact", "date")),
              (row(Named("amy", "Amy & co", "members/amy.html"), 1, 0, 1234567.0, date(2026, 11, 5)),
               row('=HYPERLINK("http://evil")', 2, None, 0.5, None),
               row(Named("", "Team"), 3, 0, 1234567.5, None, total=True)))


@dataclass(frozen=True)
class _View:
    counts: Table
    not_downloaded: Table


def test_columns_under_a_heading_are_named_by_both_and_keyed_stably():
    view = _View(TABLE, Table("contacts", (Column("name", "Name"),), (row("Amy"),), download=False))
    [(csv_path, csv_bytes), (json_path, json_bytes)] = table_files("members/index.html", view)
    assert (csv_path, json_path) == ("members/index.counts.csv", "members/index.counts.json")
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert rows[0] == ["Member", "Closed, by star / 5★", "Closed, by star / 4★", "Value", "Last contact"]
    assert rows[1] == ["Amy & co", "1", "0", "1234567", "2026-11-05"]
    data = json.loads(json_bytes)
    assert [c["key"] for c in data["columns"]] == ["member", "closed.5", "closed.4", "value", "last"]
    assert data["rows"][0] == {"member": "Amy & co", "member_id": "amy", "closed.5": 1, "closed.4": 0, "value": 1234567,
                               "last": "2026-11-05"}
    assert data["rows"][2] == {"member": "Team", "closed.5": 3, "closed.4": 0, "value": 1234567.5, "last": None, "total": True}


def test_csv_neutralises_formulas_and_carries_a_bom_for_excel():
    data = to_csv(TABLE, raw_rows(TABLE))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[2][0] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2][2] == ""  # no value is an empty cell, not "None"


def test_a_value_is_a_number_only_where_the_model_says_so(tmp_path):
    """Customer names that look like numbers stay as written in the downloads (issue 19)."""
    root = tmp_path / "team"
    shutil.copytree(FIXTURES / "minimal", root)
    names = ["A1", "No.1", "第1", "1,000", "50%", "NT$5,000", "007", "3.10", "=1+1"]
    for i, name in enumerate(names):
        (root / f"records/customers/odd-{i}.yaml").write_text(f'name: "{name}"\nowner: bob\nstatus: lead\n', encoding="utf-8")
    assert main(["build", str(root), "--as-of", "2026-11-20"]) == 0
    exported = json.loads((root / "site/customers/index.customer-list.json").read_text(encoding="utf-8"))
    assert set(names) <= {r["customer"] for r in exported["rows"]}
    assert {r["customer_id"] for r in exported["rows"] if r["customer"] in names} == {f"odd-{i}" for i in range(len(names))}
    counts = json.loads((root / "site/customers/index.customer-matrix.json").read_text(encoding="utf-8"))
    assert all(isinstance(r[c["key"]], int) for r in counts["rows"] for c in counts["columns"] if c["kind"] == "number")


class _Cells(HTMLParser):
    """The text of every cell of every table of a page, by table id (the test's own reading)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.table = self.tables.setdefault(dict(attrs)["id"], [])
        elif tag in ("tbody", "tfoot"):
            self.in_body = True
        elif tag == "thead":
            self.in_body = False
        elif tag == "tr" and self.table is not None and self.in_body:
            self.table.append([])
        elif tag == "td" and self.table is not None and self.in_body:
            self.cell = []
        elif tag in ("div", "br") and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None and self.table is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.table, self.in_body = None, False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _shown(kind: str, value, symbol: str = "NT$") -> str:
    """How the English page should show a download's raw value, by the test's own formatting."""
    if value is None:
        return {"number": "", "money": "", "text": "", "ref": "", "refs": "", "status": "", "lines": ""}.get(kind, "—")
    if kind == "lines":
        return value.replace("; ", " ")
    if isinstance(value, str) and kind not in ("date", "ref"):
        return value
    if kind == "number":
        return f"{value:,.0f}"
    if kind == "money":  # a minus sign before the symbol (an agreed share below the member's own figure)
        return f"-{symbol}{-value:,.0f}" if value < 0 else f"{symbol}{value:,.0f}"
    if kind in ("percent", "progress"):
        return numbers.format_percent(value, format="#,##0%", locale="en")
    if kind == "date" or (kind == "ref" and re.fullmatch(r"\d{4}-\d\d-\d\d", str(value))):
        return dates.format_date(date.fromisoformat(value), format="medium", locale="en")
    if kind == "stars":
        return "★" * value + "☆" * (5 - value)
    return str(value)


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("exports") / "site"
    assert main(["build", str(REPO), "-o", str(site), "--as-of", "2026-11-27", "--no-cache"]) == 0
    return site


def test_every_download_says_what_its_page_says(example_site):
    """Each CSV/JSON download of the English pages, cell by cell, against the page's table."""
    checked = 0
    for download in sorted((example_site / "en").rglob("*.json")):
        data = json.loads(download.read_text(encoding="utf-8"))
        page = example_site / data["page"]
        reader = _Cells()
        reader.feed(page.read_text(encoding="utf-8"))
        shown = reader.tables[data["table"]]
        if not data["rows"]:  # at most the table's one-cell "None." row
            assert [len(r) for r in shown] in ([], [1]), download
            continue
        assert len(shown) == len(data["rows"]), download
        kinds = [c["kind"] for c in data["columns"]]
        for cells, raw in zip(shown, data["rows"], strict=True):
            assert cells == [_shown(kind, raw[c["key"]]) for kind, c in zip(kinds, data["columns"], strict=True)], (download, raw)
            checked += 1
        with download.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
        assert len(table) == len(data["rows"]) + 1
        assert table[0] == [f"{c['group']} / {c['label']}" if "group" in c else c["label"] for c in data["columns"]]
    assert checked > 300


def test_links_follow_each_table(example_site):
    for page in ["index.html", "customers/index.html", "activity.html", "capability.html", "members/index.html",
                 "goals/2026-11.html", "daily/2026-11-26.html", "plans/index.html", "standards.html", "reviews.html"]:
        html = (example_site / page).read_text(encoding="utf-8")
        followed = re.findall(r'<table id="([^"]+)".*?</table></div><p class="export">[^<]*<a href="([^"]+)\.csv" download>CSV</a> · '
                              r'<a href="\2\.json" download>', html)
        stem = page.rsplit("/", 1)[-1][: -len(".html")]
        assert followed and all(link == f"{stem}.{table}" for table, link in followed), page
        written = sorted(p.name[: -len(".json")] for p in (example_site / page).parent.glob(f"{stem}.*.json"))
        assert sorted(link for _, link in followed) == written, page
        assert all(((example_site / page).parent / f"{link}.csv").is_file() for link in written)
