"""Support (給支持): every request for help a report makes, who owes it an answer, and whether and
when it got one.

A request is a report's ``help:``. Its owner is whoever the member reports to (their own
``reports_to``, else their group's supervisor). It is answered by an ``answers:`` entry naming the
report, in a later report, review or coaching note — by anyone; the first answer dated on or
before the as-of day counts. Until then it is open, and its age counts the days since it was asked.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from ..records import TeamRecords


@dataclass(frozen=True)
class HelpRequest:
    report: str  # the asking report's id
    member: str
    asked_on: date
    text: str
    owner: str | None  # who is expected to answer: the member's supervisor
    answered_on: date | None = None
    answered_in: str | None = None  # the record that answered (a report, review or coaching id)
    answered_by: str | None = None
    answer: str | None = None

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    def days_open(self, as_of: date) -> int:
        """Days from the request to its answer, or to the as-of day while it is open."""
        return ((self.answered_on or as_of) - self.asked_on).days


def open_on(requests: list[HelpRequest], days: list[date]) -> dict[date, int]:
    """How many requests were open on each of the (sorted) days: asked before it and not answered
    by it. One pass: a request counts on the days strictly between its asking and its answer."""
    starts = [0] * (len(days) + 1)
    for h in requests:
        first = bisect_right(days, h.asked_on)
        end = bisect_left(days, h.answered_on) if h.answered_on is not None else len(days)
        if first < end:
            starts[first] += 1
            starts[end] -= 1
    counts, running = {}, 0
    for day, change in zip(days, starts, strict=False):
        running += change
        counts[day] = running
    return counts


def compute_support(records: TeamRecords, as_of: date) -> list[HelpRequest]:
    """Every request for help up to the as-of day, newest first, each with its first answer."""
    members = {m.id: m for m in records.team.members}
    supervisors = {g.id: g.supervisor for g in records.team.groups}
    answers: dict[str, list[tuple[date, str, str, str]]] = {}  # asking report -> (day, record, who, answer)
    sources = ([(rid, r.date, r.member, r.answers) for rid, r in records.reports.items()]
               + [(rid, r.date, r.reviewer, r.answers) for rid, r in records.reviews.items()]
               + [(rid, c.date, c.coach, c.answers) for rid, c in records.coachings.items()])
    for rid, day, who, given in sources:
        if day <= as_of:
            for a in given:
                answers.setdefault(a.report, []).append((day, rid, who, a.answer))
    requests = []
    for rid, report in records.reports.items():
        if not report.help or report.date > as_of:
            continue
        member = members.get(report.member)
        owner = (member.reports_to or supervisors.get(member.group or "")) if member else None
        first = min((a for a in answers.get(rid, []) if a[0] >= report.date), default=None)
        requests.append(HelpRequest(rid, report.member, report.date, report.help, owner if owner != report.member else None,
                                    *(first if first else (None, None, None, None))))
    return sorted(requests, key=lambda h: (h.asked_on, h.report), reverse=True)
