"""The view stage: records and metrics in, one typed view per page out.

Each page kind has one pure function here that arranges what its page shows — names for ids,
rows of raw values for tables and charts, masked contact details — into a small frozen value.
Templates only format and lay that value out, and the downloads are written from its tables, so
every number on a page comes from one line in ``metrics`` and one field of its view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from ..cache import content_hash
from ..charts import label_expr
from ..i18n import msg
from ..metrics import Metrics
from ..problems import Problem
from ..records import TeamRecords
from .action import MeetingViews, activity_view, dailies_view
from .common import Gettext, Known, Names, Page, PagePlan, SiteView
from .customers import customer_view, customers_view
from .goals import goal_setting_view, goal_view, goals_view, plan_title, plan_view, plans_view
from .members import capability_view, home_view, member_view, members_view
from .reports import ReportView, ReviewsView, coaching_view, report_view, review_view, reviews_table
from .standards import EmptyView, located_problems, problems_by_page, problems_view, standards_view
from .tables import Table, tables_of

__all__ = ["Names", "Page", "PagePlan", "SiteView", "Table", "page_plans", "report_page_alone", "tables_of"]


def chart_labels(_: Gettext) -> dict:
    """Axis, legend and tooltip titles every chart shares, in the reader's language, and the
    language itself (for Vega's number and date formats)."""
    series = {"actual": _("Actual"), "must_pace": _("Must-achieve pace"), "challenge_pace": _("Challenge pace"),
              "target": _("Target"), "submitted": _("Submitted"), "missing": _("Missing"),
              "must": _("Must-achieve"), "challenge": _("Challenge")}
    return {"locale": _.code, "date": _("Date"), "value": _("Revenue"), "count": _("Count"), "stars": _("Stars"),
            "ratio": _("Share of target"), "member": _("Member"), "channel": _("Channel"), "stage": _("Stage"),
            "actual": _("Actual"), "target": _("Target"), "must": _("Must-achieve"), "challenge": _("Challenge"),
            "category": _("Customers"),
            # TRANSLATORS: a day on a chart's axis, in d3's time format (%b month, %-d day of the month)
            "day_format": _("%b %-d"),
            "legend": label_expr(series), "series": label_expr(series, "series"), "kind": label_expr(series, "kind")}


def report_inputs(records: TeamRecords, metrics: Metrics, report_id: str) -> tuple:
    """Everything a report's view is made from besides the names: its file, the answer to its
    request for help, and the plans it reports progress on (see report_view)."""
    report, digests = records.reports[report_id], records.digests
    return (digests.get(records.paths.get(("report", report_id), "")), metrics.help_by_report.get(report_id),
            tuple(digests.get(records.paths.get(("plan", step.plan), "")) for step in report.progress))


def names_in_reports(names: Names) -> tuple:
    """The names a report's view shows, besides its own file's words: members, customers, channels."""
    return names.members, names.customers, names.channels


def report_known(records: TeamRecords, metrics: Metrics, names_shown: str, report_id: str) -> Known:
    """What a report's view is made from (``names_shown``: the digest of names_in_reports). A
    report's page offers no downloads."""
    return Known(("report", names_shown, report_inputs(records, metrics, report_id)))


def _names_digest(names: Names) -> str:
    return content_hash(repr(names_in_reports(names)).encode()).hex()


def kept_report_views(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, memo: dict) -> Callable[[str], ReportView]:
    """How a report's view is had in a long-lived process: made again only where what it is made
    from changed since the last build (memo entries: key -> (inputs, view)), each when first asked
    for, so that the page a browser shows need not wait for all of them. The memo is emptied when a
    name any report shows changed; entries of reports that are gone are dropped."""
    _forget_if_renamed(names, _, memo)
    for key in [key for key in memo if key[0] == "report" and key[1] == _.code and key[2] not in records.reports]:
        del memo[key]
    return partial(_kept_report_view, records, metrics, names, _, memo)


def _forget_if_renamed(names: Names, _: Gettext, memo: dict) -> None:
    """Empty the language's memo when a name any report shows has changed."""
    shown = (names_in_reports(names), None)
    if memo.get(("names", _.code)) != shown:
        for key in [key for key in memo if key[1] == _.code]:
            del memo[key]
        memo[("names", _.code)] = shown


def _kept_report_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, memo: dict, rid: str) -> ReportView:
    inputs = report_inputs(records, metrics, rid)
    kept = memo.get(("report", _.code, rid))
    if kept is None or kept[0] != inputs:
        kept = memo[("report", _.code, rid)] = (inputs, report_view(records, metrics, names, _, rid))
    return kept[1]


def _report_page(records: TeamRecords, metrics: Metrics, names: Names, names_shown: str, rid: str, view: Callable[[], ReportView],
                 group: str = "") -> PagePlan:
    report = records.reports[rid]
    return PagePlan(f"reports/{rid}.html", "report.html", f"{names.member(report.member).text} · {report.date}", "daily", view,
                    group, known=partial(report_known, records, metrics, names_shown, rid))


class _MadeWhenAsked(dict):
    """Report views made the first time they are asked for, and kept until their own page takes
    them: a report's view serves its day's meeting page, which comes first, and its own page."""

    def __init__(self, make: Callable[[str], ReportView]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> ReportView:
        made = self[key] = self.make(key)
        return made

    def take(self, key: str) -> ReportView:
        """The view, no longer kept here (a large team's report views were half of its views' memory)."""
        return self.pop(key) if key in self else self.make(key)


def report_page_alone(records: TeamRecords, metrics: Metrics, problems: list[Problem], names: Names, _: Gettext, memo: dict,
                      path: str) -> Page | None:
    """The page of the report at ``path`` (in the site's first language's layout), exactly as
    ``page_plans`` plans it, with the same memo: the watch writes the page a browser shows before
    the others (build.py). None when ``path`` is not a report's page."""
    rid = path.removeprefix("reports/").removesuffix(".html")
    if path != f"reports/{rid}.html" or rid not in records.reports:
        return None
    page = _report_page(records, metrics, names, _names_digest(names), rid, partial(kept_report_views(records, metrics, names, _, memo), rid)).page()
    own = records.paths[("report", rid)]
    mine = [p for p in problems if p.path == own]
    if not mine:  # locating takes a pass over every record: a page without problems needs none
        return page
    on_page = problems_by_page(located_problems(records, _, mine))
    return replace(page, problems=on_page[page.path]) if page.path in on_page else page


def page_plans(records: TeamRecords, metrics: Metrics, problems: list[Problem], gettext: Gettext, private: bool,
               memo: dict | None = None, archive: tuple[str, ...] = (), names: Names | None = None) -> list[PagePlan]:
    """Every page of the site in one language, each with how its view is made (``PagePlan.page``).

    ``memo`` (a long-lived process: watch) keeps each report's view with what it was made from, so
    a save remakes the views of the reports that changed, not of all of them (the largest share of
    the pages). It is emptied whenever a name any report shows has changed. ``names``: the
    language's names, when the caller keeps them (watch: text_edits.py)."""
    _ = gettext
    located = located_problems(records, _, problems)
    names = names or Names(records, metrics, _)
    labels = chart_labels(_)
    capability_names = names.capabilities
    periodic = sorted((p for owed in metrics.periodic.values() for p in owed), key=lambda p: (p.end, p.kind, p.member), reverse=True)
    reports = _MadeWhenAsked(kept_report_views(records, metrics, names, _, memo) if memo is not None
                             else partial(report_view, records, metrics, names, _))
    meetings = MeetingViews(records, metrics, names, _, reports)
    day_of = {rid: day for day, filed in meetings.reports.items() for _mid, rid in filed}  # the meeting page showing each report
    names_shown = _names_digest(names)
    reports_known = partial(report_known, records, metrics, names_shown)
    pages = [
        PagePlan("index.html", "index.html", records.config.title, "home", partial(home_view, records, metrics, names, _)),
        PagePlan("customers/index.html", "customers.html", _("Customers"), "customers", partial(customers_view, records, metrics, names, _, labels)),
        *(PagePlan(f"customers/{cid}.html", "customer.html", state.name, "customers",
                   partial(customer_view, records, metrics, names, _, cid, private)) for cid, state in metrics.customers.customers.items()),
        *(PagePlan(f"goals/{goal.period.key}.html", "goal.html", _(msg("Goal {period}", period=goal.period.key)), "goals",
                   partial(goal_view, records, goal, names, _, labels, periodic, metrics.forecasts.get(gid)))
          for gid, goal in metrics.goals.items()),
        PagePlan("goals/index.html", "goals.html", _("Goals"), "goals", partial(goals_view, metrics, names, _, archive)),
        PagePlan("goals/next.html", "goal-setting.html", _(msg("Setting the goal for {period}", period=metrics.goal_setting.period.key)),
                 "goals", partial(goal_setting_view, metrics, names, _)),
        *(PagePlan(f"plans/{pid}.html", "plan.html", plan_title(summary, names), "plans", partial(plan_view, summary, names, _))
          for pid, summary in metrics.plans.plans.items()),
        PagePlan("plans/index.html", "plans.html", _("Plans"), "plans", partial(plans_view, metrics, names, _)),
        PagePlan("activity.html", "activity.html", _("Activity"), "activity", partial(activity_view, records, metrics, names, _, labels)),
        *(PagePlan(f"daily/{day.isoformat()}.html", "daily.html", _(msg("Daily meeting {day}", day=day.isoformat())), "daily",
                   partial(meetings.view, day), f"day {day}", known=partial(meetings.known, day, lambda rid: reports_known(rid).inputs))
          for day in meetings.days),
        PagePlan("daily/index.html", "dailies.html", _("Daily meetings"), "daily", partial(dailies_view, metrics)),
        *(_report_page(records, metrics, names, names_shown, rid, partial(reports.take, rid), f"day {day_of.get(rid, rid)}")
          for rid in records.reports),
        *(PagePlan(f"reports/{rid}.html", "review.html", _(msg("Review: {member}, {date}", member=names.members.get(r.member, r.member), date=r.date.isoformat())), "members",
                   partial(review_view, records, names, _, rid)) for rid, r in records.reviews.items()),
        *(PagePlan(f"reports/{rid}.html", "coaching.html", _(msg("Coaching, {date}", date=c.date.isoformat())), "capability",
                   partial(coaching_view, records, names, _, rid, capability_names)) for rid, c in records.coachings.items()),
        PagePlan("reviews.html", "reviews.html", _("Reviews"), "members", lambda: ReviewsView(reviews_table(records, names, _))),
        *(PagePlan(f"members/{m.id}.html", "member.html", m.name, "members", partial(member_view, records, metrics, names, _, m.id))
          for m in records.team.members),
        PagePlan("members/index.html", "members.html", _("Members"), "members", partial(members_view, records, metrics, names, _)),
        PagePlan("capability.html", "capability.html", _("Capability"), "capability", partial(capability_view, records, metrics, names, _)),
        PagePlan("standards.html", "standards.html", _("Standards"), "standards", partial(standards_view, records, _)),
        PagePlan("problems.html", "problems.html", _("Problems"), "problems", partial(problems_view, names, _, problems, located)),
        PagePlan("search.html", "search.html", _("Search"), "search", EmptyView),
    ]
    on_page = problems_by_page(located)  # each record's page says what is wrong with it, where a reader sees it
    return [replace(page, problems=on_page[page.path]) if page.path in on_page else page for page in pages]
