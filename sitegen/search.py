"""The site's search: an index of customers, members and reports that works offline and from file://.

Pagefind would need fetch() for its index fragments, which browsers refuse for file:// pages, so the
index is a single script the search page loads (``search-index.js``), searched in the browser by
substring on NFKC-normalised, case-folded text: Chinese needs no word segmentation that way, and a
name typed in full-width or half-width characters still matches. Only what the pages show is indexed:
no contact numbers or e-mail addresses, masked or not.
"""

from __future__ import annotations

from .metrics import Metrics
from .records import TeamRecords
from .render import inert_json

BODY_CHARS = 600  # of a report's Markdown text: enough to find it, small enough for thousands of reports
SNIPPET_CHARS = 80  # of it shown under a found report, to tell one report of a person and day from another


def search_entries(records: TeamRecords, metrics: Metrics) -> list[dict]:
    names = {m.id: m.name for m in records.team.members}
    channels = {c.id: c.name for c in records.config.channels}
    customer_names = {cid: s.name for cid, s in metrics.customers.customers.items()}
    entries = []
    for member in records.team.members:
        entries.append({"k": "member", "t": member.name, "u": f"members/{member.id}.html", "x": member.id,
                        "s": names.get(member.reports_to, "") if member.reports_to else ""})
    for cid, customer in sorted(records.customers.items()):
        words = [customer.name, cid, customer.industry or "", customer.source or "", customer.address or "",
                 names.get(customer.owner, customer.owner), *customer.tags, *(c.name for c in customer.contacts)]
        entries.append({"k": "customer", "t": customer.name, "u": f"customers/{cid}.html", "x": " ".join(w for w in words if w),
                        "s": " · ".join(w for w in (names.get(customer.owner, customer.owner), customer.industry or "") if w)})
    for rid in sorted(records.reports, reverse=True):
        report = records.reports[rid]
        words = [names.get(report.member, report.member), report.date.isoformat(), report.help or ""]
        for t in report.touchpoints:
            words += [customer_names.get(t.customer, t.customer), channels.get(t.channel, t.channel), t.with_ or "",
                      t.purpose, t.result or ""]
        for d in report.deals:
            words += [customer_names.get(d.customer, d.customer), d.product or ""]
        words.append((records.bodies.get(rid) or "")[:BODY_CHARS])
        entries.append({"k": "report", "t": f"{names.get(report.member, report.member)} · {report.date.isoformat()}",
                        "u": f"reports/{rid}.html", "x": " ".join(w for w in words if w),
                        "s": " ".join((records.bodies.get(rid) or report.help or "").split())[:SNIPPET_CHARS]})
    return entries


def search_script(entries: list[dict]) -> bytes:
    """JavaScript that cannot be broken out of, whatever the records hold."""
    return ("window.SITEGEN_SEARCH = " + inert_json(entries, separators=(",", ":")) + ";\n").encode("utf-8")
