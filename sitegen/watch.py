"""``sitegen watch``: build, serve on localhost, rebuild on save, reload open browsers.

watchdog reports changes (or polls, for network drives and WSL); bursts of saves are coalesced
into one rebuild; a rebuild that fails keeps the last good site and shows the problems as an
overlay in the page instead; the next good save clears it. Browsers listen on a server-sent
events stream. The live-reload script is served as a file of the site's origin, so the pages'
Content-Security-Policy ('self' scripts only) still holds.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .i18n import English, Language, msg
from .problems import format_text

DEBOUNCE_SECONDS = 0.02  # an editor's save is a burst of events within a few ms (write, rename, chmod)
EVENTS_PATH = "/__sitegen/events"
SCRIPT_PATH = "/__sitegen/livereload.js"
LIVERELOAD_JS = """(function () {
  var source = new EventSource("/__sitegen/events");
  function overlay(text) {
    var box = document.getElementById("sitegen-overlay");
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) { box = document.createElement("pre"); box.id = "sitegen-overlay"; document.body.appendChild(box); }
    box.textContent = text;
  }
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { overlay(JSON.parse(event.data).text); });
})();
"""


class Broadcaster:
    """Fan events out to every open browser; remembers the current problems for new pages."""

    def __init__(self) -> None:
        self.listeners: list[queue.Queue] = []
        self.lock = threading.Lock()
        self.problems_text = ""
        self.viewing = ""  # the page a browser last asked for

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.listeners.append(q)
        if self.problems_text:
            q.put(("problems", self.problems_text))
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self.listeners:
                self.listeners.remove(q)

    def send(self, event: str, text: str = "") -> None:
        with self.lock:
            for q in self.listeners:
                q.put((event, text))


def _handler(directory: Path, broadcaster: Broadcaster):
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the terminal for build messages
            pass

        def do_GET(self) -> None:
            if self.path == EVENTS_PATH:
                return self._events()
            if self.path == SCRIPT_PATH:
                return self._send(LIVERELOAD_JS.encode(), "text/javascript; charset=utf-8")
            path = self.path.split("?")[0]
            if path.endswith("/"):
                path += "index.html"
            if path.endswith(".html"):
                broadcaster.viewing = path.lstrip("/")  # its language is rebuilt first
            target = (directory / path.lstrip("/")).resolve()
            if path.endswith(".html") and target.is_file() and target.is_relative_to(directory.resolve()):
                html = target.read_bytes().replace(b"</body>", f'<script src="{SCRIPT_PATH}"></script></body>'.encode(), 1)
                return self._send(html, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            q = broadcaster.subscribe()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        event, text = q.get(timeout=15)
                        payload = json.dumps({"text": text}, ensure_ascii=False)
                        self.wfile.write(f"event: {event}\ndata: {payload}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            finally:
                broadcaster.unsubscribe(q)

    return Handler


def watch(root: Path, output: Path, as_of: date | None, *, host: str = "127.0.0.1", port: int = 8000,
          private: bool = False, poll: bool = False, today: Callable[[], date] = date.today, words: Language = English) -> int:
    """Build, serve, rebuild on every save. Without ``as_of`` each rebuild is as of ``today()``
    (the team's day, which may change while the watch runs)."""
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEventHandler,
    )
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from . import site
    from .build import BuildOutcome, BuildSession, build_site
    from .text_edits import apply_text_edits, show_saved_report

    root, output = root.resolve(), output.absolute()
    site.check_output_folder(root, output)
    session = BuildSession(live=True)  # records and compiled templates kept between rebuilds
    broadcaster = Broadcaster()
    changed = threading.Event()
    seen: set[str] = set()  # files the watcher saw change: read again however alike their size and time
    seen_lock = threading.Lock()

    def rebuild(warm: bool = False) -> BuildOutcome:
        """Build what changed since the last build; ``warm``: all of it, though the site is up to date."""
        with seen_lock:
            fresh = set(seen)
            seen.clear()
        session.changed |= fresh  # read again by the next whole build, whatever happens now

        def shown() -> None:  # the language the browser shows is written: reload now, the rest follows
            broadcaster.problems_text = ""
            broadcaster.send("problems", "")
            broadcaster.send("reload")

        day = as_of or today()
        # a save of reports' text alone remakes the pages showing it (text_edits.py); any other, the whole site
        outcome = None if warm else apply_text_edits(root, output, session, fresh, day, private, viewing=broadcaster.viewing,
                                                     on_shown=shown)
        if outcome is None:
            # the saved report's page, when the browser shows it, before the whole build (text_edits.py)
            early = not warm and show_saved_report(root, output, session, fresh, day, private, viewing=broadcaster.viewing,
                                                   on_shown=shown)
            outcome = build_site(root, output, day, private=private, session=session, viewing=broadcaster.viewing,
                                 on_shown=None if warm or early else shown, warm=warm, pending=None if warm else changed.is_set)
        if outcome.superseded:  # its page shown, the rest left to the next build, which starts at once
            print(words(msg("a newer save came: building again")), flush=True)
        elif outcome.ok:
            detail = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in outcome.timings.items())
            print(words(msg("built {pages} pages in {seconds:.2f} s ({reused} unchanged; {detail})", pages=outcome.pages,
                            seconds=outcome.seconds, reused=outcome.reused, detail=detail)), flush=True)
        else:
            text = format_text([p for p in outcome.problems if p.is_error], words)
            broadcaster.problems_text = text
            print(text + "\n" + words(msg("keeping the last good site; fix the file and save again")), flush=True)
            broadcaster.send("problems", text)
        return outcome

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            path = Path(str(event.src_path)).absolute()
            ignored = (output, output.with_name(f".{output.name}.new"), output.with_name(f".{output.name}.old"))
            if any(part.startswith(f".{output.name}.trash-") for part in path.parts):
                return
            if any(path == p or p in path.parents for p in ignored) or event.event_type in ("opened", "closed_no_write"):
                return
            relative = path.relative_to(root).parts if path.is_relative_to(root) else ()
            if any(part.startswith(".") for part in relative):  # .git, .sitegen-cache, editors' swap files
                return
            if relative in (("records",), ("templates",)) and path.is_dir():
                watch_tree(path)  # created (or re-created) after the watch started
            with seen_lock:
                for where in (path, Path(str(getattr(event, "dest_path", "") or path)).absolute()):
                    if where.is_relative_to(root):
                        seen.add(where.relative_to(root).as_posix())
            changed.set()

    started = rebuild()
    observer = (PollingObserver if poll else Observer)()
    # Changes only: left unfiltered, every file a build reads would send 'opened' and 'closed'
    # events through watchdog's thread, and on a large team that doubled the rebuild time.
    changes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
               DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
    watched_trees: dict[Path, Any] = {}  # folder -> watchdog's ObservedWatch

    def watch_tree(folder: Path) -> None:
        if folder in watched_trees:
            observer.unschedule(watched_trees.pop(folder))
        watched_trees[folder] = observer.schedule(OnChange(), str(folder), recursive=True, event_filter=changes)

    for folder in (root / "records", root / "templates"):
        if folder.is_dir():
            watch_tree(folder)
    observer.schedule(OnChange(), str(root), recursive=False, event_filter=changes)  # sitegen.yaml, new folders
    observer.start()
    output.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), partial(_handler(output, broadcaster), directory=str(output)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://{host}:{server.server_address[1]}/"
    print(words(msg("serving {folder} on {address} — Ctrl-C to stop", folder=str(output), address=address)), flush=True)
    try:
        # a site found up to date was not read: read it all now (the site is served meanwhile), not at the first save
        warm = started.up_to_date
        while True:
            if not warm:
                changed.wait()
                time.sleep(DEBOUNCE_SECONDS)  # coalesce a burst of saves into one rebuild
                changed.clear()
            try:
                rebuild(warm)
            except Exception as exc:  # a bug must not kill the session the user is editing in
                broadcaster.send("problems", words(msg("sitegen failed: {error}", error=repr(exc))))
                print(words(msg("sitegen failed: {error} — please report this, with the trace below", error=repr(exc))), flush=True)
                traceback.print_exc()
            warm = False
    except KeyboardInterrupt:
        print(words(msg("stopped")), flush=True)
    finally:
        observer.stop()
        server.shutdown()
        observer.join(timeout=5)
    return 0
