"""What every view shares: the page it belongs to, and the names behind the ids records use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import Language
from ..metrics import Metrics
from ..records import TeamRecords
from .tables import Named

Gettext = Language  # a view's `_`: translates a message or a Text


@dataclass(frozen=True)
class Page:
    """One page to render: where it goes, its template, and its view — everything the template
    shows, as one value (its ``repr`` is the page's reuse key, see build.page_keys)."""

    path: str  # relative to the site root of its language, POSIX slashes
    template: str
    title: str
    section: str  # which navigation entry is current
    view: object


@dataclass(frozen=True)
class SiteView:
    """What the frame of every page shows."""

    title: str
    as_of: date


class Names:
    """Ids turned into what a person reads, with the page each links to. Built once per language
    from the records and metrics; an id with no record behind it is shown as written."""

    def __init__(self, records: TeamRecords, metrics: Metrics, gettext: Gettext) -> None:
        self._ = gettext
        self.members = {m.id: m.name for m in records.team.members}
        self.customers = {cid: s.name for cid, s in metrics.customers.customers.items()}
        self.channels = {c.id: c.name for c in records.config.channels}

    def member(self, member: str) -> Named:
        return Named(member, self.members.get(member, member), f"members/{member}.html", written=True)

    def customer(self, customer: str) -> Named:
        return Named(customer, self.customers.get(customer, customer), f"customers/{customer}.html", written=True)

    def channel(self, channel: str) -> str:
        return self.channels.get(channel, channel)

    def label(self, code: str) -> Named:
        """A code the method defines (a status, a role, a period kind), in the reader's language."""
        return Named(code, self._(code))

    def report(self, report: str, text: str | date) -> Named:
        return Named(report, text, f"reports/{report}.html")
