"""Publish without leaking: escaped output, a safe output folder, builds that survive SIGKILL,
and property-based fuzzing of check and build (see SECURITY.md for what is promised)."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from conftest import FIXTURES, write
from sitegen.build import build_site, validate
from sitegen.site import safe_relative
from xss import PAYLOADS, write_xss_team

AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def xss_output(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss") / "team"
    write_xss_team(root)
    assert build_site(root, root / "site", AS_OF, cache=False).ok
    return root / "site"


def _attributes(html: str) -> list[tuple[str, str, str | None]]:
    from html.parser import HTMLParser

    found: list[tuple[str, str, str | None]] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name.lower(), value) for name, value in attrs)

    Reader().feed(html)
    return found


def test_no_payload_reaches_any_output_file_unescaped(xss_output):
    raw_markup = [p for p in PAYLOADS if "<" in p and p.isascii()]
    files = [f for f in xss_output.rglob("*") if f.is_file() and f.suffix in (".html", ".js", ".json", ".csv")
             and "assets" not in f.relative_to(xss_output).parts]
    assert len(files) > 30
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.suffix != ".csv":  # a CSV download holds the text as typed, for a spreadsheet
            for payload in raw_markup:
                assert payload not in text, (file.name, payload)
        if file.suffix == ".html":
            # inside <script> elements only our JSON, which can never close the element or open a comment
            for block in re.findall(r"<script[^>]*>(.*?)</script>", text, flags=re.S):
                assert "<" not in block and "\u2028" not in block and "\u2029" not in block
            # parsed as a browser would: a payload inside an escaped attribute value is text, not an attribute
            for tag, name, value in _attributes(text):
                assert not name.startswith("on"), (file.name, tag, name)
                if name in ("href", "src"):
                    assert not re.match(r"\s*(javascript|vbscript|data:text)", value or "", flags=re.I), (file.name, value)
        if file.suffix == ".js":
            assert "</" not in text and "\u2028" not in text
        if file.suffix == ".csv":
            for cell in re.findall(r'(?:^|,)"?([=+\-@][^,"\r\n]*)', text, flags=re.M):
                assert re.fullmatch(r"-?[\d.]+", cell), cell  # a cell starting like a formula is a plain number


def test_a_symlink_in_the_records_folder_is_never_followed(minimal_team, tmp_path):
    secret = write(tmp_path, "outside/secret.yaml", "name: Secret\nowner: bob\nstatus: lead\n")
    (minimal_team / "records/customers/secret.yaml").symlink_to(secret)
    inside = minimal_team / "records/customers/alias.yaml"
    inside.symlink_to(minimal_team / "records/customers/lin-bakery.yaml")
    result = validate(minimal_team, AS_OF)
    assert [(p.path, p.line, p.column, p.severity, str(p.message)) for p in result.problems if "link" in str(p.message)] == [
        ("records/customers/alias.yaml", 1, 1, "warning", "symbolic link: not read"),
        ("records/customers/secret.yaml", 1, 1, "warning", "symbolic link: not read")]
    assert "secret" not in result.records.customers and "alias" not in result.records.customers


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b.html", "a//b.html", "", ".", "a\\..\\b.html",
                                  "a/./b.html", "x\0.html"])
def test_no_path_can_leave_the_output_folder(path):
    with pytest.raises(ValueError):
        safe_relative(path)


def test_ids_cannot_name_a_path(minimal_team):
    write(minimal_team, "records/customers/x..y.yaml", "name: X\nowner: bob\nstatus: lead\n")
    write(minimal_team, "records/customers/CON.yaml", "name: X\nowner: bob\nstatus: lead\n")
    errors = [p for p in validate(minimal_team, AS_OF).problems if p.is_error]
    assert {p.path for p in errors} == {"records/customers/x..y.yaml", "records/customers/CON.yaml"}
    assert all(str(p.message).startswith("file name:") for p in errors)


# ---------------------------------------------------------------------------------------------
# SIGKILL at random moments, a few hundred times


def site_state(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=8).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file()}


def test_three_hundred_kills_always_leave_a_whole_site(minimal_team, monkeypatch):  # ~1 min
    """Builds forked from this process and killed with SIGKILL after a random delay: whatever the
    moment — loading, rendering, writing, swapping, updating the cache — the output folder holds the
    whole previous site or the whole new one, and the next build recovers."""
    report = minimal_team / "records/reports/2026/11/2026-11-03-bob.md"
    versions = [report.read_text(encoding="utf-8"), report.read_text(encoding="utf-8").replace("Demo went well.", "Changed.")]
    output = minimal_team / "site"
    states = []
    for text in versions:
        report.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        assert build_site(minimal_team, output, AS_OF, cache=False, durable=False).ok
        duration = time.perf_counter() - started
        states.append(site_state(output))
    assert states[0] != states[1]
    rng = random.Random(20261127)
    kills = finished = attempt = 0
    while kills < 300 and attempt < 600:
        attempt += 1
        report.write_text(versions[attempt % 2], encoding="utf-8")
        pid = os.fork()
        if pid == 0:  # the child builds, with the cache on every other time
            try:
                build_site(minimal_team, output, AS_OF, cache=attempt % 4 < 2, durable=False)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, duration))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            kills += 1
        else:
            finished += 1
        assert site_state(output) in states, attempt
    assert kills >= 300, (kills, finished)
    report.write_text(versions[0], encoding="utf-8")
    assert build_site(minimal_team, output, AS_OF).ok
    assert site_state(output) == states[0]
    assert [p.name for p in output.parent.iterdir() if p.name.startswith(".site.")] == [".site.lock"]


# ---------------------------------------------------------------------------------------------
# fuzzing


FILES = sorted(p.relative_to(FIXTURES / "minimal").as_posix() for p in (FIXTURES / "minimal").rglob("*") if p.is_file())
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gbk", "big5", "latin-1", "cp1252"]
YAML_BITS = ["", " ", "\n", "\t", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!python/object:os.system ",
             "<<: *a", "? ", "|", ">", "'", '"', "---\n", "...\n", "%YAML 1.1\n", "\ufeff", "\r\n", "\r", "\x00", "\u2028",
             "\uff1a", "\u3000", "null", "~", "yes", "1e9", "-.inf", "0x1F", "2026-02-30", "9" * 400, "é", "中文", "😀"]


class Mutation:
    """One change to one file of the minimal team, described for Hypothesis's failure report."""

    def __init__(self, file: str, kind: str, position: float, bit: str, encoding: str):
        self.file, self.kind, self.position, self.bit, self.encoding = file, kind, position, bit, encoding

    def __repr__(self) -> str:
        return f"Mutation({self.file!r}, {self.kind!r}, {self.position:.3f}, {self.bit!r}, {self.encoding!r})"

    def apply(self, root: Path) -> None:
        path = root / self.file
        raw = path.read_bytes()
        try:
            text, encoding = raw.decode("utf-8"), self.encoding
        except UnicodeDecodeError:  # an earlier mutation re-encoded the file: keep its bytes as they are
            text, encoding = raw.decode("latin-1"), "latin-1"
        at = int(len(text) * self.position)
        if self.kind == "insert":
            text = text[:at] + self.bit + text[at:]
        elif self.kind == "delete":
            text = text[:at] + text[at + 1 + len(self.bit) % 7:]
        elif self.kind == "replace-line":
            lines = text.split("\n")
            index = min(int(len(lines) * self.position), len(lines) - 1)
            key = lines[index].split(":")[0]
            lines[index] = f"{key}: {self.bit}" if ":" in lines[index] else self.bit
            text = "\n".join(lines)
        elif self.kind == "truncate":
            text = text[:at]
        elif self.kind == "duplicate":
            text = text + "\n" + text
        raw = text.encode(encoding, errors="replace") if self.kind != "bytes" else bytes(
            b ^ (0xFF if i == at else 0) for i, b in enumerate(text.encode(encoding, errors="replace")))
        path.write_bytes(raw)


mutations = st.builds(Mutation, st.sampled_from(FILES),
                      st.sampled_from(["insert", "delete", "replace-line", "truncate", "duplicate", "bytes"]),
                      st.floats(0, 1), st.sampled_from(YAML_BITS), st.sampled_from(ENCODINGS))


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang("check or build took more than 20 s")


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture],
          database=None)
@given(st.lists(mutations, min_size=1, max_size=3))
def test_mutated_records_never_crash_or_hang_and_every_problem_is_located(tmp_path_factory, changes):
    root = tmp_path_factory.mktemp("fuzz") / "team"
    shutil.copytree(FIXTURES / "minimal", root)
    for change in changes:
        change.apply(root)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        result = validate(root, AS_OF)
        files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        for problem in result.problems:
            assert problem.path in files, problem
            assert problem.line >= 1 and problem.column >= 1 and str(problem.message), problem
        if result.ok:
            outcome = build_site(root, root / "site", AS_OF, cache=False)
            assert outcome.ok and (root / "site" / "index.html").is_file()
        else:
            outcome = build_site(root, root / "site", AS_OF, cache=False)
            assert not outcome.ok and not (root / "site").exists()  # nothing written on errors
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_two_builds_at_once_into_one_folder_both_finish_whole(minimal_team, monkeypatch):
    """A watch and a build (or two terminals) on the same output: one waits for the other."""
    output = minimal_team / "site"
    pids = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = 0 if build_site(minimal_team, output, AS_OF, cache=False, durable=False).ok else 1
            finally:
                os._exit(code)
        pids.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in pids]
    assert [os.WEXITSTATUS(s) for s in statuses] == [0, 0, 0, 0]
    assert build_site(minimal_team, minimal_team / "clean", AS_OF, cache=False).ok
    assert site_state(output) == site_state(minimal_team / "clean")


@pytest.mark.parametrize("value", ["<script>alert('x')</script> & \"q\"", "plain 文字", "", 12, 3.5, None, date(2026, 11, 27),
                                   Markup("<b>kept</b>"), Markup("a &amp; b")])
def test_plain_escapes_as_markupsafe_does(value):
    """render.plain (tables' fast path) writes exactly what markupsafe.escape writes."""
    from sitegen.render import plain

    assert plain(value) == str(escape(value))
    assert type(plain(value)) is str
