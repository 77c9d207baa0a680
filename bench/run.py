"""Benchmark sitegen against Hugo on demo teams, in one run, on this machine.

    python bench/run.py                      # 1,000, 5,000 and 20,000 daily reports, 3 runs each
    python bench/run.py --sizes 5000 --runs 5

For each size: generate a demo team (``sitegen demo``, 40 members per 5,000 reports, 90 working
days), then, run by run, Hugo and the installed ``sitegen`` command interleaved (each a fresh
process as a user runs it), so that a slow spell of a shared machine falls on both:

- Hugo: the same daily reports' Markdown built as plain pages, cold;
- cold build: no cache, no previous site — validation, metrics, every page and chart, both locales;
- no-change rebuild: the same command again;
- one-report-changed rebuild: one report's body edited before the run;
- peak memory: the largest sum of the build's processes' memory (workers included).
- once per size, a cold build with ``--jobs 1`` (no forked renderer): its time and peak memory.

Then ``sitegen watch``, with a browser's requests: the report's page asked for (as a browser
showing it does), then the report saved; the time from the write to the reload event as the
browser's event stream receives it — for saves of a daily report's text (the pages showing it
are made again: text_edits.py), of a value in its front matter (its page first, then the whole build), of a
value with the report's meeting day shown instead (that page first, after the checks and metrics), and of the
title in sitegen.yaml (every page changes). Ratios are taken within each run and reported as median
(min–max), with the load average; the table is Markdown for BENCHMARKS.md, and a profile of one
cold build of the first size goes to bench/out/profile-<size>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2026-11-27"
DAYS = 90
MEMBERS_PER_5000 = 40


def sitegen_command() -> list[str]:
    found = shutil.which("sitegen", path=str(Path(sys.executable).parent)) or shutil.which("sitegen")
    return [found] if found else [sys.executable, "-m", "sitegen"]


def make_team(size: int) -> tuple[Path, int]:
    """A demo team of about ``size`` daily reports, in two languages (the issue's measure: the demo
    writes three), committed once so that git is read as in a team's repository."""
    team = OUT / f"team-{size}"
    if not (team / ".git").is_dir():
        shutil.rmtree(team, ignore_errors=True)
        members = max(1, round(size / 5000 * MEMBERS_PER_5000))
        subprocess.run(sitegen_command() + ["demo", str(team), "--members", str(members), "--days", str(DAYS),
                                            "--seed", "1", "--end", AS_OF], check=True, capture_output=True)
        config = team / "sitegen.yaml"
        text = config.read_text("utf-8")
        config.write_text(re.sub(r"^locales:\n(?:- .*\n)+", "locales:\n- en\n", text, count=1, flags=re.M), "utf-8")
        assert "locales:\n- en\n" in config.read_text("utf-8")
        git = ["git", "-C", str(team), "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run(["git", "init", "-q", str(team)], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-qm", "the team's records"], check=True)
    daily = sum(1 for f in (team / "records/reports").rglob("*.md") if not re.search(r"^kind:", f.read_text("utf-8"), re.M))
    return team, daily


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the proportional set size, so that
    pages forked workers share with their parent are counted once, not once per process."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError, ValueError):
            continue
    return total


def timed_run(command: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory of the process tree, and stdout of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory(process.pid))
        time.sleep(0.05)  # reading smaps_rollup walks the page tables: sample gently
    elapsed = time.perf_counter() - started
    output = process.stdout.read()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output}")
    return elapsed, peak, output


def touch_report(team: Path, index: int) -> None:
    add_text(sorted((team / "records/reports").rglob("*.md"))[-1 - index], index)


def daily_reports(team: Path) -> list[Path]:
    """The daily reports (no ``kind:``), newest first: what a member writes each day."""
    return [p for p in sorted((team / "records/reports").rglob("*.md"), reverse=True)
            if "\nkind:" not in p.read_text(encoding="utf-8").partition("\n---\n")[0]]


def add_text(report: Path, index: int) -> None:
    with report.open("a", encoding="utf-8") as handle:
        handle.write(f"\nbenchmark edit {index} at {time.time()}\n")


def report_day(report: Path) -> str:
    """The day a daily report is for (its front matter's ``date``)."""
    found = re.search(r"^date: (\d{4}-\d\d-\d\d)$", report.read_text(encoding="utf-8"), re.M)
    assert found, report
    return found.group(1)


def change_count(report: Path, index: int) -> None:
    """A value of the front matter: a channel's count of contacts, one more."""
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"^(  \w+: )(\d+)$", lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", text, count=1, flags=re.M), "utf-8")


def spread(values: list[float], unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    """Median, with min–max: a shared machine's runs vary, and one figure alone would hide it."""
    shown = [f"{v * scale:,.{digits}f}" for v in (statistics.median(values), min(values), max(values))]
    return f"{shown[0]}{unit} ({shown[1]}–{shown[2]})"


def interleaved_builds(team: Path, runs: int) -> dict[str, list[float]]:
    """Hugo and sitegen run pair by pair, so that a slow spell of a shared machine falls on both:
    each run gives Hugo's cold build, then sitegen's cold build, its no-change rebuild and its
    rebuild after one report changed (each a fresh process), and the ratios of that run."""
    site = OUT / f"site-{team.name}"
    build = sitegen_command() + ["build", str(team), "-o", str(site), "--as-of", AS_OF]
    found: dict[str, list[float]] = {k: [] for k in ("hugo", "cold", "memory", "no change", "one changed",
                                                      "cold/hugo", "no change/cold", "one changed/cold")}
    for i in range(runs):
        hugo = hugo_build(team)
        cold_start(team)
        cold, memory, _ = timed_run(build)
        unchanged, _, said = timed_run(build)
        assert "up to date" in said, said
        touch_report(team, i)
        changed = timed_run(build)[0]
        for key, value in (("cold", cold), ("memory", memory), ("no change", unchanged), ("one changed", changed),
                           ("no change/cold", unchanged / cold), ("one changed/cold", changed / cold)):
            found[key].append(value)
        if hugo is not None:
            found["hugo"].append(hugo)
            found["cold/hugo"].append(cold / hugo)
    return found


def cold_start(team: Path) -> Path:
    """No previous site and no cache: what a cold build starts from. The site's folder."""
    site = OUT / f"site-{team.name}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(team / ".sitegen-cache", ignore_errors=True)
    return site


def single_process_cold(team: Path) -> tuple[float, int]:
    """One cold build rendered in one process (``--jobs 1``, the least memory): time and peak."""
    site = cold_start(team)
    seconds, memory, _ = timed_run(sitegen_command() + ["build", str(team), "-o", str(site), "--as-of", AS_OF, "--jobs", "1"])
    return seconds, memory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_title(team: Path, index: int) -> None:
    """A setting every page shows: the whole site is made again (full rebuild allowed)."""
    config = team / "sitegen.yaml"
    text = config.read_text("utf-8")
    config.write_text(re.sub(r"^title: (.*?)( #\d+)?$", lambda m: f"title: {m.group(1)} #{index}", text, count=1, flags=re.M), "utf-8")


def watch_latency(team: Path, saves: int) -> dict[str, list[float]]:
    """Seconds from a save to the reload event, the saved report's page shown, and to the end of
    that rebuild: for several saves of a report's text, then of a value in its front matter, then
    of a value again with the report's meeting day shown (the morning meeting's screen); then
    for two saves of the title in sitegen.yaml (every page changes). Each save is made when the
    watch is idle (the rebuild before it done), after one untimed save: a watch started on a site
    that is up to date has read nothing yet, and its first save builds it all."""
    port = free_port()
    site = OUT / f"watch-{team.name}"
    process = subprocess.Popen(sitegen_command() + ["watch", str(team), "-o", str(site), "--as-of", AS_OF, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.startswith("serving"):
                break
        said: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [said.put(line) for line in process.stdout], daemon=True).start()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request("GET", "/__sitegen/events")
        stream = connection.getresponse()
        stream.readline()  # ": connected"
        found: dict[str, list[float]] = {kind: [] for kind in ("text", "value", "value done", "meeting", "title")}
        reports = daily_reports(team)[99:100 + saves]
        warm_up, reports = reports[0], reports[1:]
        edits = ([("", warm_up, lambda: add_text(warm_up, 99))]
                 + [("text", report, lambda r=report, i=i: add_text(r, i)) for i, report in enumerate(reports)]
                 + [("value", report, lambda r=report, i=i: change_count(r, i)) for i, report in enumerate(reports)]
                 + [("meeting", report, lambda r=report, i=i: change_count(r, i + saves)) for i, report in enumerate(reports)]
                 + [("title", reports[0], lambda i=i: edit_title(team, i)) for i in range(2)])
        for kind, report, save in edits:
            page = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            # the page a browser shows: the report's own, or (meeting) its day's meeting page
            page.request("GET", f"/daily/{report_day(report)}.html" if kind == "meeting" else f"/reports/{report.stem}.html")
            page.getresponse().read()
            page.close()
            time.sleep(0.5)
            save()
            saved = time.perf_counter()
            while not stream.readline().decode().startswith("event: reload"):
                pass
            reloaded = time.perf_counter()
            while not said.get(timeout=300).startswith("built "):  # the rebuild is over
                pass
            if kind:
                found[kind].append(reloaded - saved)
            if kind == "value":
                found["value done"].append(time.perf_counter() - saved)
        connection.close()
        return found
    finally:
        process.terminate()
        process.wait(timeout=30)


def hugo_build(team: Path) -> float | None:
    """One cold Hugo build of the team's daily reports as plain pages (None without Hugo)."""
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    site = OUT / f"hugo-{team.name}"
    content = site / "content" / "reports"
    if not content.is_dir():
        shutil.rmtree(site, ignore_errors=True)
        content.mkdir(parents=True)
        (site / "layouts/_default").mkdir(parents=True)
        (site / "hugo.toml").write_text('baseURL = "http://localhost/"\n'
                                        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
        (site / "layouts/_default/single.html").write_text(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Params.member }} {{ .Date.Format "2006-01-02" }}'
            '</title></head><body><h1>{{ .Params.member }}</h1>{{ .Content }}</body></html>\n')
        (site / "layouts/_default/list.html").write_text(
            '<!DOCTYPE html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Params.member }}</a>{{ end }}</body></html>\n')
        for report in (team / "records/reports").rglob("*.md"):
            text = report.read_text("utf-8")
            if not re.search(r"^kind:", text, re.M):
                (content / report.name).write_text(text, "utf-8")
    shutil.rmtree(site / "public", ignore_errors=True)
    return timed_run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")])[0]


def profile_cold_build(team: Path, size: int) -> str:
    """Profile one cold build in this process (single process: workers are not profiled)."""
    from datetime import date

    from sitegen import build

    site = OUT / f"profile-site-{size}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(team / ".sitegen-cache", ignore_errors=True)
    saved, build.PARALLEL_MIN_PAGES = build.PARALLEL_MIN_PAGES, 10**9
    profiler = cProfile.Profile()
    try:
        profiler.runcall(build.build_site, team, site, date.fromisoformat(AS_OF))
    finally:
        build.PARALLEL_MIN_PAGES = saved
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    (OUT / f"profile-{size}.txt").write_text(text.getvalue())
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves", type=int, default=7, help="saves timed in watch mode")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    os.environ["SITEGEN_LANG"] = "en"  # the runs' messages are read below ("up to date", "serving")
    OUT.mkdir(exist_ok=True)
    version = subprocess.run(sitegen_command() + ["--version"], capture_output=True, text=True).stdout.strip()
    hugo = shutil.which("hugo")
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1] if hugo else "not installed"
    print(f"{version}; Hugo {hugo_version}; {os.cpu_count()} cores; Python {sys.version.split()[0]}; runs={args.runs}; "
          f"load average at start {os.getloadavg()[0]:.2f}\n")
    rows = []
    for size in args.sizes:
        team, daily = make_team(size)
        builds = interleaved_builds(team, args.runs)
        alone = single_process_cold(team)
        saves = watch_latency(team, args.saves)
        pages = len(list((OUT / f"site-{team.name}").rglob("*.html")))
        rows.append((daily, pages, builds, alone, saves, os.getloadavg()[0]))
        if not args.no_profile and size == args.sizes[0]:
            profile_cold_build(team, size)
    print("| daily reports | pages | cold build | Hugo, same reports | cold ÷ Hugo | no-change ÷ cold | one report changed ÷ cold "
          "| watch: report's text saved → reload | watch: report's value saved → reload | … → rebuild done "
          "| watch: value saved, meeting day shown → reload "
          "| watch: title saved → reload ÷ cold | peak memory (cold) | cold, --jobs 1: time, peak memory | load after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for daily, pages, builds, alone, saves, load in rows:
        cold = statistics.median(builds["cold"])
        hugo_text = spread(builds["hugo"], " s") if builds["hugo"] else "—"
        ratio = spread(builds["cold/hugo"]) if builds["cold/hugo"] else "—"
        print(f"| {daily:,} | {pages:,} | {spread(builds['cold'], ' s')} | {hugo_text} | {ratio} "
              f"| {spread(builds['no change/cold'])} | {spread(builds['one changed/cold'])} "
              f"| {spread(saves['text'], ' ms', 1000, 0)} | {spread(saves['value'], ' ms', 1000, 0)} "
              f"| {spread(saves['value done'], ' ms', 1000, 0)} | {spread(saves['meeting'], ' ms', 1000, 0)} "
              f"| {spread([s / cold for s in saves['title']])} "
              f"| {max(builds['memory']) / 2**20:,.0f} MB | {alone[0]:.2f} s, {alone[1] / 2**20:,.0f} MB | {load:.2f} |")
    if not args.no_profile:
        print(f"\nprofile of one cold single-process build of {args.sizes[0]:,} reports: bench/out/profile-{args.sizes[0]}.txt")


if __name__ == "__main__":
    main()
