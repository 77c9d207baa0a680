"""What every view shares: the page it belongs to, and the names behind the ids records use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..i18n import Language
from ..metrics import Metrics
from ..model import capabilities
from ..records import TeamRecords
from .tables import Named

Gettext = Language  # a view's `_`: translates a message or a Text


@dataclass(frozen=True)
class Known:
    """What a page's view is made from, known without making the view: a report's file, the
    answer to its request for help and the plans it reports on; a meeting day's own figures and
    that of each of its reports. Its ``repr`` stands for the view in the page's reuse key
    (build.page_key), so an unchanged page is reused without its view being made."""

    inputs: object
    downloads: object = None  # the part of the view its downloadable tables are in (exports.download_paths); None: it has none


@dataclass(frozen=True)
class Page:
    """One page to render: where it goes, its template, and its view — everything the template
    shows, as one value (its ``repr`` is the page's reuse key, see build.page_key, unless
    ``known`` says what the view is made from)."""

    path: str  # relative to the site root of its language, POSIX slashes
    template: str
    title: str
    section: str  # which navigation entry is current
    view: object
    problems: tuple = ()  # what is wrong with the record the page shows (standards.ProblemLine), at its top
    known: Callable[[], Known] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PagePlan:
    """A page before its view is made: where it goes, its template, its title, and how to make
    its view. A build shared among processes makes each page's view in the process that renders
    the page (build.py): no view is made twice, or copied from one process to another. Pages
    whose views share work (a meeting day's page and its reports' pages) have the same ``group``."""

    path: str
    template: str
    title: str
    section: str
    make: Callable[[], object]
    group: str = ""
    problems: tuple = ()
    known: Callable[[], Known] | None = None  # what the view is made from, where that is cheaper to know than the view

    def page(self) -> Page:
        return Page(self.path, self.template, self.title, self.section, self.make(), self.problems, self.known)


@dataclass(frozen=True)
class SiteView:
    """What the frame of every page shows."""

    title: str
    as_of: date


def in_language(words: str, others: Mapping[Any, str], _: Gettext, ours: bool = False) -> str:
    """Words a team wrote (a channel's name, a star's description), in the reader's language: the
    team's own translation (``name_in`` and the like in sitegen.yaml), else as the team wrote them.
    ``ours``: words sitegen supplies (the built-in capability model), translated by the catalogs."""
    return others.get(_.code) or (_(words) if ours else words)


class Names:
    """Ids turned into what a person reads, with the page each links to. Built once per language
    from the records and metrics; an id with no record behind it is shown as written."""

    def __init__(self, records: TeamRecords, metrics: Metrics, gettext: Gettext) -> None:
        self._ = gettext
        self.members = {m.id: m.name for m in records.team.members}
        self.customers = {cid: s.name for cid, s in metrics.customers.customers.items()}
        self.channels = {c.id: in_language(c.name, c.name_in, gettext) for c in records.config.channels}
        self.fields = {f.id: in_language(f.name, f.name_in, gettext) for f in records.config.customer_fields}
        built_in = not records.config.capabilities  # sitegen's own capability model: its words are in the catalogs
        self.capabilities = {c.id: in_language(c.name, c.name_in, gettext, ours=built_in) for c in capabilities(records.config)}
        # a large team's pages name the same people and customers hundreds of thousands of times
        self._named_members: dict[str, Named] = {}
        self._named_customers: dict[str, Named] = {}
        # what a member's page looks back on, gathered in one pass (not one pass over all reports per member)
        self.reports_by_member: dict[str, list[str]] = {}
        for rid, report in records.reports.items():
            self.reports_by_member.setdefault(report.member, []).append(rid)

    def member(self, member: str) -> Named:
        named = self._named_members.get(member)
        if named is None:
            named = self._named_members[member] = Named(member, self.members.get(member, member), f"members/{member}.html", written=True)
        return named

    def customer(self, customer: str) -> Named:
        named = self._named_customers.get(customer)
        if named is None:
            named = self._named_customers[customer] = Named(customer, self.customers.get(customer, customer),
                                                            f"customers/{customer}.html", written=True)
        return named

    def channel(self, channel: str) -> str:
        return self.channels.get(channel, channel)

    def label(self, code: str) -> Named:
        """A code the method defines (a status, a role, a period kind), in the reader's language."""
        return Named(code, self._(code))

    def plan(self, plan: str, text: str | date) -> Named:
        return Named(plan, text, f"plans/{plan}.html")

    def report(self, report: str, text: str | date) -> Named:
        return Named(report, text, f"reports/{report}.html")
