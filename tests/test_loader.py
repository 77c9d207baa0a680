"""The loader reads every file exactly as written, whatever the encoding or line endings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.loader import load_markdown_text, load_yaml_text

SUITE = Path(__file__).parent / "data" / "yaml-test-suite" / "cases"  # vendored: see tests/data/README.md


def test_yaml_1_1_surprises_stay_text():
    doc, problems = load_yaml_text(b"a: 12:30\nb: 0712345678\nc: +886912345678\nd: NO\ne: on\nf: 1.10\ng: 1e3\nh: 2026-11-05\n", "x.yaml")
    assert problems == []
    assert doc.data == {"a": "12:30", "b": "0712345678", "c": "+886912345678", "d": "NO", "e": "on",
                        "f": "1.10", "g": "1e3", "h": "2026-11-05"}


def test_null_only_when_plain():
    doc, _ = load_yaml_text(b'a:\nb: ~\nc: null\nd: "null"\ne: \'~\'\n', "x.yaml")
    assert doc.data == {"a": None, "b": None, "c": None, "d": "null", "e": "~"}


@pytest.mark.parametrize("raw", [
    "name: 王記茶行\nowner: bob\n".encode(),
    b"\xef\xbb\xbf" + "name: 王記茶行\nowner: bob\n".encode(),
    "name: 王記茶行\r\nowner: bob\r\n".encode(),
    "name: 王記茶行\rowner: bob\r".encode(),
    "name: 王記茶行\r\nowner: bob\n".encode(),
    b"\xff\xfe" + "name: 王記茶行\r\nowner: bob\r\n".encode("utf-16-le"),
    b"\xfe\xff" + "name: 王記茶行\nowner: bob\n".encode("utf-16-be"),
], ids=["utf8", "bom", "crlf", "cr", "mixed", "utf16le", "utf16be"])
def test_encodings_and_line_endings_read_alike(raw):
    doc, problems = load_yaml_text(raw, "x.yaml")
    assert problems == []
    assert doc.data == {"name": "王記茶行", "owner": "bob"}
    assert doc.marks[("owner",)] == (2, 8)


def test_front_matter_lines_are_those_of_the_markdown_file():
    raw = "\ufeff---\r\nmember: bob\r\ndate: 2026-11-03\r\n---\r\n## 今日\r\n內容\r\n".encode()
    doc, problems = load_markdown_text(raw, "r.md")
    assert problems == []
    assert doc.data == {"member": "bob", "date": "2026-11-03"}
    assert doc.marks[("date",)] == (3, 7)
    assert doc.body == "## 今日\n內容\n"
    assert doc.body_line == 5


def test_duplicate_keys_name_both_lines():
    _, problems = load_yaml_text(b"contacts:\n  - name: A\n    phone: 1\n    name: B\n", "x.yaml")
    assert [(p.line, p.column, p.field, str(p.message)) for p in problems] == [
        (4, 5, "contacts[0].name", "duplicate key 'name' (first written on line 2)")]


def test_all_problems_of_a_file_at_once():
    _, problems = load_yaml_text(b"a: &x 1\nb: *x\nc: !!python/name:os.system x\n", "x.yaml")
    assert [p.line for p in problems] == [1, 2, 3]


def test_billion_laughs_is_refused_not_expanded():
    bomb = b"a: &a ['x','x']\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n"
    _, problems = load_yaml_text(bomb, "x.yaml")
    assert len(problems) >= 4
    assert all("not allowed" in str(p.message) for p in problems)


def test_deep_nesting_is_a_located_problem_not_a_crash():
    _, problems = load_yaml_text(b"a: " + b"[" * 100_000, "x.yaml")
    assert len(problems) == 1 and problems[0].line == 1


def _suite_cases() -> list[Path]:
    return sorted(p.parent for p in SUITE.rglob("in.yaml"))


def test_the_yaml_test_suite_loads_or_gives_located_problems():
    """Every stream of the YAML test suite: values or located problems; never a crash or hang."""
    cases = _suite_cases()
    assert len(cases) > 300, f"YAML test suite not found at {SUITE}"
    loaded = located = 0
    disagreements = []
    for case in cases:
        raw = (case / "in.yaml").read_bytes()
        doc, problems = load_yaml_text(raw, "in.yaml")
        if problems:
            assert all(p.line >= 1 and p.column >= 1 and str(p.message) for p in problems), case
            located += 1
        else:
            loaded += 1
            if (case / "error").exists():
                continue
            expected = case / "in.json"
            if expected.exists() and doc.data is not None and isinstance(doc.data, dict):
                try:
                    want = json.loads(expected.read_text())
                except ValueError:
                    continue  # several JSON documents: a stream we refuse anyway
                if isinstance(want, dict) and set(doc.data) != {str(k) for k in want}:
                    disagreements.append(case.name)
    assert loaded > 100 and located > 50
    # PyYAML reads YAML 1.1; it parses a few 1.2 corner cases differently (the data README says so).
    assert len(disagreements) <= 3, disagreements


@pytest.mark.parametrize("change", [-10, 0, 25])
def test_a_file_read_while_it_changes_size_is_read_to_its_end(tmp_path, monkeypatch, change):
    """read_bytes reads what fstat said, then on to the end if the file was not that size by then
    (grown or shrunk between the two), and never past the limit."""
    import os

    from sitegen import loader

    file = tmp_path / "r.yaml"
    file.write_bytes(b"name: X\nowner: bob\nstatus: lead\n" * 10)
    real = os.fstat

    def stale(descriptor):  # the size as it was a moment before the read
        info = real(descriptor)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid,
                               info.st_size + change, info.st_atime, info.st_mtime, info.st_ctime))

    with monkeypatch.context() as patch:
        patch.setattr(loader.os, "fstat", stale)
        assert loader.read_bytes(file, "r.yaml") == (file.read_bytes(), [])
        patch.setattr(loader, "MAX_FILE_BYTES", file.stat().st_size - 1)
        raw, problems = loader.read_bytes(file, "r.yaml")
    assert raw is None and str(problems[0].message) == (
        "file is over the 319-byte limit for a record" if change < 0  # under it by fstat, over it by reading
        else f"file is {320 + change} bytes, over the 319-byte limit for a record")
