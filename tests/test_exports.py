"""Tables of metrics as CSV and JSON: what the page says, readable by a spreadsheet, safe to open."""

from __future__ import annotations

import csv
import io
import json
import re

from conftest import REPO
from sitegen.cli import main
from sitegen.exports import add_exports, read_tables, to_csv

HTML = """<main><table id="counts"><thead>
<tr><th rowspan="2">Member</th><th colspan="2">Closed, by star</th><th rowspan="2">Value</th></tr>
<tr><th>5★</th><th>4★</th></tr></thead><tbody>
<tr><td><a href="m/a.html">Amy &amp; co</a></td><td class="num" data-value="1">1</td><td data-value="0">0</td><td data-value="1234567">NT$1,234,567</td></tr>
<tr><td>=HYPERLINK("http://evil")</td><td data-value="0.45">45%</td><td data-value="0.125">13%</td><td>2026-11-05</td></tr>
<tr><td>No.1</td><td>007</td><td data-value="">—</td><td>NT$5,000</td></tr>
</tbody></table><p>after</p></main>"""


def test_headers_spanning_rows_and_columns_become_one_name_per_column():
    [(table, _)] = read_tables(HTML)
    assert table.id == "counts"
    assert table.columns == ["Member", "Closed, by star / 5★", "Closed, by star / 4★", "Value"]
    assert table.rows == [["Amy & co", 1, 0, 1234567], ['=HYPERLINK("http://evil")', 0.45, 0.125, "2026-11-05"],
                          ["No.1", "007", None, "NT$5,000"]]


def test_a_value_is_a_number_only_where_the_model_says_so(tmp_path):
    """Customer names that look like numbers stay as written in the downloads (issue 19)."""
    import shutil

    from conftest import FIXTURES

    root = tmp_path / "team"
    shutil.copytree(FIXTURES / "minimal", root)
    names = ["A1", "No.1", "第1", "1,000", "50%", "NT$5,000", "007", "3.10"]
    for i, name in enumerate(names):
        (root / f"records/customers/odd-{i}.yaml").write_text(f'name: "{name}"\nowner: bob\nstatus: lead\n', encoding="utf-8")
    assert main(["build", str(root), "--as-of", "2026-11-20"]) == 0
    exported = json.loads((root / "site/customers/index.customer-list.json").read_text(encoding="utf-8"))
    shown = [row[exported["columns"][0]] for row in exported["rows"]]
    assert set(names) <= set(shown)
    counts = json.loads((root / "site/customers/index.customer-matrix.json").read_text(encoding="utf-8"))
    assert all(isinstance(v, int) for row in counts["rows"] for k, v in row.items() if k != counts["columns"][0])


def test_csv_neutralises_formulas_and_carries_a_bom_for_excel():
    [(table, _)] = read_tables(HTML)
    data = to_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[2][0] == "'=HYPERLINK(\"http://evil\")"


def test_links_follow_each_table(tmp_path):
    html, files = add_exports("members/index.html", HTML, "Download")
    assert '</table><p class="export">Download: <a href="index.counts.csv" download>CSV</a>' in html
    assert [path for path, _ in files] == ["members/index.counts.csv", "members/index.counts.json"]
    data = json.loads(files[1][1])
    assert data["rows"][0] == {"Member": "Amy & co", "Closed, by star / 5★": 1, "Closed, by star / 4★": 0, "Value": 1234567}


def test_every_metrics_table_of_the_example_site_downloads(tmp_path):
    site = tmp_path / "site"
    assert main(["build", str(REPO), "-o", str(site), "--as-of", "2026-11-27", "--no-cache"]) == 0
    for page in ["index.html", "customers/index.html", "activity.html", "capability.html", "members/index.html",
                 "goals/2026-11.html", "daily/2026-11-26.html"]:
        html = (site / page).read_text(encoding="utf-8")
        tables = len(re.findall(r"<table[ >]", html))
        links = re.findall(r'<p class="export">[^<]*<a href="([^"]+\.csv)" download>', html)
        assert tables and len(links) == tables, page
        for link in links:
            exported = (site / page).parent / link
            assert exported.is_file() and exported.with_suffix(".json").is_file()
