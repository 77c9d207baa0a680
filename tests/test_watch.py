"""Watch mode for real: start it, edit files, observe reload events, the overlay and recovery."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from conftest import write


def _events(url: str, into: queue.Queue) -> None:
    with urllib.request.urlopen(url + "__sitegen/events", timeout=30) as stream:
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event:
                into.put((event, line[6:]))
                event = None


def _next(events: queue.Queue, wanted: str, timeout: float = 20) -> str:
    while True:
        event, data = events.get(timeout=timeout)
        if event == wanted:
            return data


def _served(url: str, text: str, timeout: float = 20) -> None:
    """Wait until the page at ``url`` shows ``text`` (an editor's save can reach the watcher as two
    events, so one reload event may be that of an earlier rebuild)."""
    deadline = time.monotonic() + timeout
    while text not in urllib.request.urlopen(url).read().decode():
        assert time.monotonic() < deadline, f"{text!r} never shown at {url}"
        time.sleep(0.05)


# `python -m sitegen` with Ctrl-C raising KeyboardInterrupt, as at a terminal. A process started
# with SIGINT ignored (a test run started in the background by a non-interactive shell, as CI
# runners may) passes that on, and Python then leaves it ignored: the watch, rightly, would not
# stop on Ctrl-C.
AS_AT_A_TERMINAL = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                    "runpy.run_module('sitegen', run_name='__main__')")


def _stops(process: subprocess.Popen, said: list[str]) -> None:
    """Ctrl-C stops the watch cleanly; if it has not within a minute (a loaded machine), it is
    killed, never left running, and the test fails with the end of what it printed."""
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("the watch did not stop on Ctrl-C; it said last:\n" + "".join(said[-15:])) from None
    assert code == 0, "".join(said[-15:])


def test_watch_rebuilds_reloads_shows_problems_and_recovers(minimal_team):
    process = subprocess.Popen([sys.executable, "-c", AS_AT_A_TERMINAL, "watch", str(minimal_team), "--port", "0", "--as-of", "2026-11-20"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said: list[str] = []  # what the watch prints, for the message if it does not stop
    try:
        url = None
        for line in process.stdout:
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if match:
                url = match.group(1)
                break
        assert url
        threading.Thread(target=lambda: said.extend(iter(process.stdout.readline, "")), daemon=True).start()
        page = urllib.request.urlopen(url + "customers/wang-tea.html").read().decode()
        assert "Wang Tea House" in page and "/__sitegen/livereload.js" in page
        events: queue.Queue = queue.Queue()
        threading.Thread(target=_events, args=(url, events), daemon=True).start()

        customer = minimal_team / "records/customers/wang-tea.yaml"
        customer.write_text(customer.read_text().replace("Wang Tea House", "Wang Tea Palace"), encoding="utf-8")
        _next(events, "reload")
        assert "Wang Tea Palace" in urllib.request.urlopen(url + "customers/wang-tea.html").read().decode()

        customer.write_text(customer.read_text().replace("owner: bob", "owner: nobody"), encoding="utf-8")
        data = _next(events, "problems")
        assert "records/customers/wang-tea.yaml:2:8: error: owner: unknown member 'nobody'" in data
        assert "Wang Tea Palace" in urllib.request.urlopen(url + "customers/wang-tea.html").read().decode()  # last good site

        customer.write_text(customer.read_text().replace("owner: nobody", "owner: bob"), encoding="utf-8")
        _next(events, "reload")

        write(minimal_team, "records/customers/new-shop.yaml", "name: New Shop\nowner: amy\nstatus: lead\n")
        _next(events, "reload")
        assert "New Shop" in urllib.request.urlopen(url + "customers/new-shop.html").read().decode()
        (minimal_team / "records/customers/new-shop.yaml").unlink()
        _next(events, "reload")
        try:
            urllib.request.urlopen(url + "customers/new-shop.html")
            raise AssertionError("the deleted customer's page is still served")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404

        # a team template added while watching is used at once
        write(minimal_team, "templates/standards.html", '{% extends "base.html" %}{% block content %}<p id="own">Ours</p>{% endblock %}')
        _next(events, "reload")
        assert '<p id="own">Ours</p>' in urllib.request.urlopen(url + "standards.html").read().decode()
        write(minimal_team, "templates/standards.html", '{% extends "base.html" %}{% block content %}<p id="own">Edited</p>{% endblock %}')
        _next(events, "reload")
        assert '<p id="own">Edited</p>' in urllib.request.urlopen(url + "standards.html").read().decode()

        # the text of a report, its page shown: that page is made again at once (text_edits.py)
        report = minimal_team / "records/reports/2026/11/2026-11-03-bob.md"
        assert "Fresh words" not in urllib.request.urlopen(url + "reports/2026-11-03-bob.html").read().decode()
        report.write_text(report.read_text(encoding="utf-8") + "\nFresh words.\n", encoding="utf-8")
        _next(events, "reload")
        _served(url + "reports/2026-11-03-bob.html", "Fresh words")
        report.write_text(report.read_text(encoding="utf-8").replace("date:", "date: [", 1), encoding="utf-8")
        while "2026-11-03-bob.md" not in _next(events, "problems"):  # not text alone: the whole build, which finds it broken
            pass
        report.write_text(report.read_text(encoding="utf-8").replace("date: [", "date:", 1) + "More.\n", encoding="utf-8")
        _next(events, "reload")
        _served(url + "reports/2026-11-03-bob.html", "More.")
        # a value of it, its page shown: that page before the whole build (text_edits.show_saved_report), then the rest
        report.write_text(report.read_text(encoding="utf-8").replace("phone: 12", "phone: 913", 1), encoding="utf-8")
        _next(events, "reload")
        _served(url + "reports/2026-11-03-bob.html", "913")
        _served(url + "daily/2026-11-03.html", "913")
    finally:
        process.send_signal(signal.SIGINT)
        _stops(process, said)
