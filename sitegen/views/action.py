"""Daily action control: activity against target, report compliance, and a page per meeting day."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from ..charts import chart_spec
from ..gitdates import RecordChange
from ..i18n import msg, msg_plural
from ..metrics import Metrics
from ..metrics.action import team_totals
from ..metrics.recognition import Recognition
from ..metrics.support import HelpRequest
from ..records import TeamRecords
from .common import Gettext, Known, Names, in_language
from .reports import ReportView
from .tables import Column, Named, Row, Table, row


def channel_columns(records: TeamRecords, _: Gettext) -> tuple[Column, ...]:
    """An actual and a target column under each channel's name."""
    return tuple(Column(f"{c.id}.{side}", label, "number", in_language(c.name, c.name_in, _))
                 for c in records.config.channels for side, label in (("actual", _("Actual")), ("target", _("Target"))))


def channel_cells(records: TeamRecords, totals: dict[str, tuple[int, int]]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The cells under channel_columns, and the keys of those below their target."""
    cells: list[int] = []
    below: list[str] = []
    for c in records.config.channels:
        actual, target = totals.get(c.id, (0, 0))
        cells += [actual, target]
        if target and actual < target:
            below.append(f"{c.id}.actual")
    return tuple(cells), tuple(below)


@dataclass(frozen=True)
class ActivityView:
    activity_chart: dict
    heatmap: dict
    heatmap_table: Table  # the heatmap's cells: each member's share of target, day by day
    totals: Table
    compliance_chart: dict
    compliance: Table


def activity_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, chart_labels: dict) -> ActivityView:
    action = metrics.action
    heat_rows = [{"name": names.members.get(mid, mid), "date": r.date.isoformat(), "ratio": round(share, 3)}
                 for mid, rows in action.activity.items() for r in rows if (share := r.share_of_target) is not None]
    team_totals = action.totals.get("", {})
    activity_chart = chart_spec("activity", [{"channel": names.channel(c), "actual": a, "target": t}
                                             for c, (a, t) in team_totals.items()], chart_labels)
    compliance_chart = chart_spec("compliance", [{"name": names.members.get(m, m), "submitted": c.submitted, "missing": c.missing}
                                                 for m, c in action.compliance.items()], chart_labels)
    rows: list[Row] = []
    for mid, member_totals in action.totals.items():
        if mid:
            cells, below = channel_cells(records, member_totals)
            below_days, working_days = action.below_days[mid]
            rows.append(row(names.member(mid), *cells, below_days, working_days, warn=below, data=(("member", mid),)))
    cells, below = channel_cells(records, team_totals)
    rows.append(row(Named("", _("Team")), *cells, sum(b for b, _w in action.below_days.values()),
                    sum(w for _b, w in action.below_days.values()), warn=below, total=True))
    totals = Table("activity-totals", (Column("member", _("Member"), "ref"), *channel_columns(records, _),
                                       Column("below_days", _("Days below target"), "number"),
                                       Column("working_days", _("Working days"), "number")), tuple(rows))
    compliance = Table("compliance", (
        Column("member", _("Member"), "ref"), Column("expected", _("Expected"), "number"), Column("submitted", _("Submitted"), "number"),
        Column("missing", _("Missing"), "number"), Column("late", _("Late"), "number"), Column("judged", _("Judged for lateness"), "number"),
        Column("rate", _("Rate"), "percent")),
        tuple(row(names.member(mid), c.expected, c.submitted, c.missing, c.late if c.judged else None, c.judged, c.rate,
                  warn=("missing",) if c.missing else (), data=(("member", mid),)) for mid, c in action.compliance.items()))
    heat_days = sorted({r.date for rows_ in action.activity.values() for r in rows_ if r.share_of_target is not None})
    heat_cells = {(mid, r.date): r.share_of_target for mid, rows_ in action.activity.items() for r in rows_}
    heatmap_table = Table("heatmap", (Column("member", _("Member"), "ref"),
                                      *(Column(d.isoformat(), d.isoformat(), "percent") for d in heat_days)),
                          tuple(row(names.member(mid), *(heat_cells.get((mid, d)) for d in heat_days)) for mid in action.activity),
                          download=False)
    return ActivityView(activity_chart, chart_spec("heatmap", heat_rows, chart_labels), heatmap_table, totals, compliance_chart,
                        compliance)


def recognition_table(recognitions: list[Recognition], names: Names, _: Gettext, empty: str = "") -> Table:
    """What the team celebrates, in words: first deals, best periods, streaks."""
    def what(r: Recognition) -> str:
        if r.kind == "first_deal":
            return _("First deal")
        if r.kind == "record_period":
            return _(msg("Best period yet: {period}", period=r.period))
        if r.kind == "report_streak":
            return _(msg_plural("Reports filed {count} working day in a row", "Reports filed {count} working days in a row", int(r.figure)))
        return _(msg_plural("On target {count} working day in a row", "On target {count} working days in a row", int(r.figure)))

    return Table("recognition", (Column("date", _("Date"), "date"), Column("member", _("Member"), "ref"), Column("what", _("Recognition")),
                            Column("amount", _("Amount"), "money")),
                 tuple(row(r.day, names.member(r.member), what(r), r.figure if r.kind in ("first_deal", "record_period") else None,
                           data=(("member", r.member),)) for r in recognitions),
                 empty=empty, download=False)


def help_table(requests: list[HelpRequest], names: Names, _: Gettext, day: date) -> Table:
    """The day's requests for help, for its meeting to hand out: who asked what, who answers it.
    (Their answers come later: the member's page and the report itself show them.)"""
    return Table("help", (Column("member", _("Member"), "ref"), Column("help", _("Help requested")),
                          Column("owner", _("Who answers"), "ref"), Column("report", _("Report"), "ref")),
                 tuple(row(names.member(h.member), h.text, names.member(h.owner) if h.owner else None, names.report(h.report, h.asked_on),
                           data=(("member", h.member),)) for h in requests if h.asked_on == day),
                 empty=_("No one asked for help."))


def requests_table(table_id: str, requests: list[HelpRequest], names: Names, _: Gettext, as_of: date, empty: str,
                   answers: bool = True) -> Table:
    """Requests for help as of the site's day: who asked what and when, who answers, the answer
    (left out where none can be there: a list of open requests), and the days each was open."""
    answer_columns = (Column("answered", _("Answered"), "date"), Column("answer", _("Answer"))) if answers else ()
    return Table(table_id, (Column("member", _("Member"), "ref"), Column("help", _("Help requested")),
                            Column("asked", _("Asked"), "ref"), Column("owner", _("Who answers"), "ref"),
                            *answer_columns, Column("days_open", _("Days open"), "number")),
                 tuple(row(names.member(h.member), h.text, names.report(h.report, h.asked_on),
                           names.member(h.owner) if h.owner else None, *((h.answered_on, h.answer) if answers else ()),
                           h.days_open(as_of), warn=("days_open",) if h.is_open else (), data=(("member", h.member),))
                       for h in requests), empty=empty)


@dataclass(frozen=True)
class DailyView:
    day: date
    working_day: bool
    previous_day: date | None
    next_day: date | None
    not_reported: tuple[Named, ...]  # members who owed a report and filed none
    help: Table  # the day's requests for help, whether and when answered
    help_still_open: int  # earlier requests not answered by that day (the home page lists them)
    recognition: Table  # what the team celebrates that day
    follow_through: Table  # yesterday's planned contacts against the day's, per member
    activity: Table
    reports: tuple[ReportView, ...]
    news: Table | None = None  # what changed in the records since the meeting before, from git (None outside git)


def news_table(changes: list[RecordChange], names: Names, _: Gettext, zone: ZoneInfo, table_id: str = "news",
               empty: str | None = None) -> Table:
    """A meeting's news from the repository's history: new customers and deals, stars and statuses
    changed, close dates slipped, plans new or changed — each with the record and when it was committed."""
    def shown(change: RecordChange, value: str | None) -> Named | None:
        if value is None or value == "":
            return None
        if change.kind == "stars":
            return Named(value, f"{value}★")
        if change.kind == "status":
            return names.label(value)
        return Named(value, date.fromisoformat(value)) if change.kind == "close-slipped" else Named(value, value)

    def record(change: RecordChange) -> Named:
        if change.kind in ("new-plan", "plan-changed"):
            return names.plan(change.record, change.record)
        if change.kind in ("new-goal", "goal-changed"):
            return Named(change.record, change.record, f"goals/{change.record}.html")
        if change.kind == "new-deal":
            return names.customer(change.customer or "")
        return names.customer(change.record)

    return Table(table_id, (Column("change", _("Change"), "status"), Column("record", _("Record"), "ref"),
                          Column("before", _("Before"), "ref"), Column("after", _("After"), "ref"),
                          Column("amount", _("Amount"), "money"), Column("committed", _("Committed"), "date")),
                 tuple(row(names.label(c.kind), record(c), shown(c, c.before), shown(c, c.after), c.amount,
                           c.when.astimezone(zone).date(), warn=("change",) if c.kind == "close-slipped" else ())
                       for c in changes), empty=empty or _("Nothing new in the records since the meeting before."))


class MeetingViews:
    """A view per meeting day (who owed a report, what each member did against target, the
    reports), each made when asked for: a build shared among processes makes a day's view, and the
    views of its reports, in the process that renders that day's page (build.py)."""

    def __init__(self, records: TeamRecords, metrics: Metrics, names: Names, _: Gettext,
                 report_views: Mapping[str, ReportView]) -> None:
        self.records, self.metrics, self.names, self._, self.report_views = records, metrics, names, _, report_views
        self.reports: dict[date, list[tuple[str, str]]] = {}  # day -> (member, report) in member order
        for (mid, day), rids in sorted(metrics.facts.daily_reports.items()):
            self.reports.setdefault(day, []).extend((mid, rid) for rid in rids)
        self.days = metrics.action.meeting_dates
        self.columns = (Column("member", _("Member"), "ref"), *channel_columns(records, _))
        self.follow_columns = (Column("member", _("Member"), "ref"), Column("planned", _("Contacts planned the day before"), "number"),
                               Column("contacted", _("Contacted as planned"), "number"),
                               Column("missed", _("Planned, not contacted"), "refs"))
        self.zone = ZoneInfo(records.config.timezone)
        self.asked: dict[date, list[HelpRequest]] = {}  # each day's requests for help, and its recognitions, in their order
        for h in metrics.support:
            self.asked.setdefault(h.asked_on, []).append(h)
        self.celebrated: dict[date, list[Recognition]] = {}
        for r in metrics.recognition:
            self.celebrated.setdefault(r.day, []).append(r)
        self.index = {day: i for i, day in enumerate(self.days)}
        # each day's view without its reports, made once for its key and its view: kept by whichever
        # of the two comes first (a build's key, watch's view) until the other takes it (kept for
        # all days, they held 15 MB at the peak of a 20,000-report build)
        self._frames: dict[date, DailyView] = {}

    def view(self, day: date) -> DailyView:
        return replace(self._frame(day), reports=tuple(self.report_views[rid] for _mid, rid in self.reports.get(day, [])))

    def known(self, day: date, report_inputs: Callable[[str], object]) -> Known:
        """What the day's view is made from: all of it but its reports (its downloads among it), and
        what each report's view is made from (``report_inputs``)."""
        frame = self._frame(day)
        return Known((frame, tuple(report_inputs(rid) for _mid, rid in self.reports.get(day, []))), frame)

    def _frame(self, day: date) -> DailyView:
        frame = self._frames.pop(day, None)
        if frame is None:
            frame = self._frames[day] = self.frame(day)
        return frame

    def frame(self, day: date) -> DailyView:
        """The day's view without its reports."""
        records, metrics, names, _, days = self.records, self.metrics, self.names, self._, self.days
        expected = metrics.action.meetings  # who owed a report that day, or filed one
        index = self.index[day]
        table_rows = []
        for day_row in expected.get(day, []):
            cells, below = channel_cells(records, {c: (day_row.actual.get(c, 0), day_row.target.get(c, 0)) for c in day_row.target})
            table_rows.append(row(names.member(day_row.member), *cells, warn=below, data=(("member", day_row.member),)))
        if table_rows:
            cells, below = channel_cells(records, team_totals(expected.get(day, []), [c.id for c in records.config.channels]))
            table_rows.append(row(Named("", _("Team")), *cells, warn=below, total=True))
        return DailyView(
            day, metrics.facts.calendar.is_working_day(day), days[index - 1] if index else None,
            days[index + 1] if index + 1 < len(days) else None,
            tuple(names.member(r.member) for r in expected.get(day, []) if not r.reported),
            help_table(self.asked.get(day, []), names, _, day), metrics.help_open_by_day.get(day, 0),
            recognition_table(self.celebrated.get(day, []), names, _),
            Table("plan-follow-through", self.follow_columns,
                  tuple(row(names.member(f.member), len(f.planned), len(f.contacted), tuple(names.customer(c) for c in f.missed),
                            warn=("missed",) if f.missed else (), data=(("member", f.member),))
                        for f in metrics.action.follow_through.get(day, [])),
                  empty=_("No report before this day planned any contact.")),
            Table("daily-activity", self.columns, tuple(table_rows)),
            (),
            news_table(metrics.news.get(day, []), names, _, self.zone) if metrics.news else None)


@dataclass(frozen=True)
class MonthCalendar:
    key: str  # 2026-11
    weeks: tuple[tuple[tuple[date, bool] | None, ...], ...]  # Monday to Sunday: each day and whether it has a meeting page


@dataclass(frozen=True)
class DailiesView:
    weekdays: tuple[date, ...]  # a Monday-to-Sunday week, for the columns' names in the reader's language
    months: tuple[MonthCalendar, ...]  # newest first


def dailies_view(metrics: Metrics) -> DailiesView:
    """The meeting days as a calendar, a month at a time, newest first."""
    meetings = set(metrics.action.meeting_dates)
    months = []
    for key in sorted({f"{d:%Y-%m}" for d in meetings}, reverse=True):
        first = date.fromisoformat(f"{key}-01")
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        days = [first + timedelta(days=i) for i in range((following - first).days)]
        cells: list[tuple[date, bool] | None] = [None] * first.weekday() + [(d, d in meetings) for d in days]
        cells += [None] * (-len(cells) % 7)
        months.append(MonthCalendar(key, tuple(tuple(cells[i:i + 7]) for i in range(0, len(cells), 7))))
    monday = date(2026, 11, 2)
    return DailiesView(tuple(monday + timedelta(days=i) for i in range(7)), tuple(months))
