"""A watch save that changes only the text of reports: the few pages that show it, at once.

While someone writes a report with ``sitegen watch`` open, most saves change its Markdown body and
nothing else. A daily report's body is read by exactly three things: the report's page, the
meeting page holding its view and the search index; a review's or coaching note's by its page
alone. No metric reads it, no other page, no check but the nesting depth (``too_deep_line``).
Such a save is known by its front matter: the same values at the same lines and columns as the
last build read. Then only those pages are made again, from the last good build's records,
metrics, names and renderers (``build.LastBuild``); the page the browser shows is written first
and the reload sent at once; the search index and the manifest follow. Everything else the last
build found still holds.

Any other save — a value in the front matter, a new, deleted or renamed file, a customer, plan or
setting, a body nested too deep (before or after), a new commit, another day — goes through
the whole build (``build.build_site``), as does every save after a build that failed.

One of those is shown early all the same (``show_saved_report``): a save of values of the report
whose page the browser shows. Its page is made from the new file alone and the last build —
the report's own checks (``checks.report_problems``), the plans it reports on and the answer to
its request for help, which no other save changed — and written before the whole build starts,
as long as the save keeps what ties the report to others (``checks.report_ties``) and the file
has no error. The whole build then makes every page, that one again (the same).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePosixPath

from .build import BuildOutcome, BuildSession, LastBuild, language_of, page_key, write_page
from .cache import MANIFEST_FILE, UNKNOWN_KEY, SiteManifest, content_hash
from .checks.records import too_deep_line
from .gitdates import head
from .loader import Document, load_markdown_text, read_bytes
from .problems import sort_problems
from .records import TEXT_KINDS, passed_over, read_record
from .site import MARKER_NOTE, LiveSite, live_site
from .views import Page
from .views.action import DailyView
from .views.reports import ReportView, coaching_view, report_view, review_view


def apply_text_edits(root: Path, output: Path, session: BuildSession, paths: Iterable[str], as_of: date, private: bool, *,
                     viewing: str = "", on_shown: Callable[[], None] | None = None) -> BuildOutcome | None:
    """Bring the live site up to date with ``paths`` (relative to ``root``: what the watcher saw
    change since the last build) when only reports' bodies changed; None, having written nothing,
    when anything else may have changed (the caller then runs the whole build)."""
    started = time.perf_counter()
    root = root.resolve()
    last = _kept(session, as_of, private)
    if last is None:
        return None
    edits = _body_edits(root, last, paths)
    if edits is None or head(root) != last.head:
        return None
    records = last.records
    for (kind, rid), (document, digest) in edits.items():
        if document.body is None:
            records.bodies.pop(rid, None)
        else:
            records.bodies[rid] = document.body
        records.digests[records.paths[(kind, rid)]] = digest
        records.documents[(kind, rid)] = document
    pages = _remade_pages(last, session.views, edits)
    with _in_place(output, session) as stage:
        try:
            manifest = _write_pages(stage, last, pages, any(kind == "report" for kind, _id in edits), viewing, on_shown)
        except BaseException:  # pages half written: none of them may be taken for unchanged by a later build
            keys = {path: UNKNOWN_KEY if path in pages else key for path, key in last.manifest.keys.items()}
            stage.write(MANIFEST_FILE, replace(last.manifest, fingerprint=b"", keys=keys).encode())
            raise
    last.manifest = manifest
    last.pages.update((path, page) for path, (_prefix, page) in pages.items())
    seconds = time.perf_counter() - started
    return BuildOutcome(True, last.problems, last.manifest.pages, seconds, reused=last.manifest.pages - len(pages),
                        timings={"text edits": round(seconds, 3)})


def show_saved_report(root: Path, output: Path, session: BuildSession, paths: Iterable[str], as_of: date, private: bool, *,
                      viewing: str, on_shown: Callable[[], None]) -> bool:
    """Write the page of the report the browser shows (``viewing``) and call ``on_shown``, when
    that report's file is the one record ``paths`` changed and its page can be made from it and
    the last good build alone (see the module's docstring); False, having written nothing,
    otherwise. The caller runs the whole build next either way."""
    from .checks import report_problems, report_ties
    from .views import report_page_alone

    root = root.resolve()
    last = _kept(session, as_of, private)
    if last is None:
        return False
    index = language_of(viewing, last.alternates)
    prefix = last.alternates[index][1]
    rid = viewing[len(prefix):].removeprefix("reports/").removesuffix(".html")
    rel = last.records.paths.get(("report", rid))
    if rel is None or viewing != f"{prefix}reports/{rid}.html":
        return False
    if [path for path in paths if not _never_seen(last, path, root / path)] != [rel] or head(root) != last.head:
        return False
    raw, found = read_bytes(root / rel, rel)
    if raw is None or found:
        return False
    document, report, found = read_record(raw, rel, "reports")
    before = last.records.reports.get(rid)
    if found or before is None or not isinstance(report, type(before)) or report_ties(report) != report_ties(before):
        return False
    bodies = {**last.records.bodies, rid: document.body} if document.body is not None else {
        other: body for other, body in last.records.bodies.items() if other != rid}
    records = replace(last.records, reports={**last.records.reports, rid: report}, bodies=bodies,
                      documents={**last.records.documents, ("report", rid): document}, digests={**last.records.digests, rel: content_hash(raw)})
    problems = sort_problems(report_problems(records, rid))
    if any(p.is_error for p in problems):
        return False  # the whole build says so
    renderer, names = last.languages[index]
    page = report_page_alone(records, last.metrics, problems, names, renderer.gettext, {}, f"reports/{rid}.html")
    if page is None:
        return False
    with _in_place(output, session) as stage:
        write_page(stage, (renderer, prefix, page), last.alternates, last.site)
        on_shown()
        keys = {path: UNKNOWN_KEY if path == viewing else key for path, key in last.manifest.keys.items()}
        last.manifest = replace(last.manifest, fingerprint=b"", keys=keys)
        stage.write(MANIFEST_FILE, last.manifest.encode())
    return True


def _kept(session: BuildSession, as_of: date, private: bool) -> LastBuild | None:
    """What the last good build of this watch kept, if it was made for the same day and options."""
    last = session.last
    if last is None or session.site_files is None or last.as_of != as_of or last.private != private:
        return None
    return last


@contextmanager
def _in_place(output: Path, session: BuildSession) -> Iterator[LiveSite]:
    """The live site, for pages written in place from what the watch kept. Until the caller writes
    the new manifest the site holds its bare marker: the manifest takes longer to write than a
    page (60 ms at 5,000 reports) and comes after the reload, and a build after a crash must find
    no page it could take for unchanged. On a failure what the watch kept is dropped: it no longer
    describes the site."""
    with live_site(output, session.site_files or frozenset()) as stage:
        stage.write(MANIFEST_FILE, MARKER_NOTE.encode() + b"\n")
        try:
            yield stage
        except BaseException:
            session.last = None
            raise


def _write_pages(stage: LiveSite, last: LastBuild, pages: dict[str, tuple[str, Page]], indexed: bool, viewing: str,
                 on_shown: Callable[[], None] | None) -> SiteManifest:
    """Write the remade pages (the one shown first, then ``on_shown``), the search index when a
    report's text changed (``indexed``: only reports' text is searched) and the manifest, which is
    returned."""
    from .search import search_entries, search_script

    viewed_search = indexed and viewing.endswith("search.html")  # the search page shows what the index holds
    if on_shown is not None and viewing not in pages and not viewed_search:
        on_shown()  # the page the browser shows does not show these reports' text
    for path in sorted(pages, key=lambda path: path != viewing):
        prefix, page = pages[path]
        renderer = last.languages[_index(last, prefix)][0]
        write_page(stage, (renderer, prefix, page), last.alternates, last.site)
        if on_shown is not None and path == viewing:
            on_shown()
    if indexed:
        index = search_script(search_entries(last.records, last.metrics))
        for _, prefix in last.alternates:
            stage.write(prefix + "search-index.js", index)
    if on_shown is not None and viewed_search:
        on_shown()
    keys = dict(last.manifest.keys)
    for (prefix, page) in pages.values():
        keys[prefix + page.path] = page_key(last.shared, prefix, page)
    # a fingerprint no set of inputs has: the next whole build compares every page's key, never finding the site up to date
    manifest = SiteManifest(content_hash(b"text edits " + last.manifest.fingerprint), -1, -1, last.manifest.pages,
                            last.problems, keys)
    stage.write(MANIFEST_FILE, manifest.encode())
    return manifest


def _body_edits(root: Path, last: LastBuild, paths: Iterable[str]) -> dict[tuple[str, str], tuple[Document, bytes]] | None:
    """Each edited record's new document and content hash, by (kind, id), when every path is a
    report, review or coaching note whose front matter is as the last build read it (or a passing
    file no build reads); None otherwise."""
    records = last.records
    edits: dict[tuple[str, str], tuple[Document, bytes]] = {}
    for rel in paths:
        rid = PurePosixPath(rel).stem
        file = root / rel
        kind = next((kind for kind in TEXT_KINDS if records.paths.get((kind, rid)) == rel), None)
        if kind is None:
            if _never_seen(last, rel, file):
                continue  # an editor's temporary file, already gone, or one no build reads
            return None
        raw, found = read_bytes(file, rel)
        if raw is None or found:
            return None
        document, found = load_markdown_text(raw, rel)
        before = records.document(kind, rid)
        if found or (document.data, document.marks, document.key_marks, document.body_line) != (
                before.data, before.marks, before.key_marks, before.body_line):
            return None
        # the one problem a body can have: one that comes or goes changes the problems page and counts too
        if any(body is not None and too_deep_line(body) is not None for body in (document.body, before.body)):
            return None
        edits[(kind, rid)] = (document, content_hash(raw))
    return edits


def _never_seen(last: LastBuild, rel: str, file: Path) -> bool:
    """A path the last build did not read and no build would: gone (nothing of the site was under
    it), or a file discovery passes over without a word."""
    if passed_over(file.name) and not os.path.isdir(file):
        return True
    if os.path.lexists(file):
        return False
    under = rel + "/"
    return (rel not in last.records.digests and not any(path.startswith(under) for path in last.records.digests)
            and not any(p.path == rel or p.path.startswith(under) for p in last.problems))


def _index(last: LastBuild, prefix: str) -> int:
    return next(i for i, (_code, known) in enumerate(last.alternates) if known == prefix)


def _remade_pages(last: LastBuild, memo: dict, edited: Iterable[tuple[str, str]]) -> dict[str, tuple[str, Page]]:
    """The pages showing the edited records, by path with prefix: each record's own, and the
    meeting pages that show a report, in every language; the report views kept in ``memo`` (see
    views.kept_report_views) so that the next whole build need not make them again."""
    from .views import report_inputs

    pages: dict[str, tuple[str, Page]] = {}
    for index, (_code, prefix) in enumerate(last.alternates):
        renderer, names = last.languages[index]
        _ = renderer.gettext
        views: dict[str, ReportView] = {}
        for kind, rid in sorted(edited):
            path = f"{prefix}reports/{rid}.html"
            if kind == "review":
                pages[path] = (prefix, replace(last.pages[path], view=review_view(last.records, names, _, rid)))
                continue
            if kind == "coaching":
                pages[path] = (prefix, replace(last.pages[path], view=coaching_view(last.records, names, _, rid, names.capabilities)))
                continue
            view = views[rid] = report_view(last.records, last.metrics, names, _, rid)
            memo[("report", _.code, rid)] = (report_inputs(last.records, last.metrics, rid), view)
            pages[path] = (prefix, replace(last.pages[path], view=view))
        for path in sorted({path for rid in views for path in last.shown_on(rid)}):
            page = last.pages[path]
            if isinstance(page.view, DailyView) and path == prefix + page.path:
                remade = replace(page.view, reports=tuple(views.get(view.id, view) for view in page.view.reports))
                pages[path] = (prefix, replace(page, view=remade))
    return pages
