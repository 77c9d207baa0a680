"""The customers section: counts by member and star, the customer list, one page per customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from .. import model
from ..charts import chart_spec
from ..i18n import CLAUSES, joined, msg
from ..metrics import Metrics
from ..metrics.customers import CustomerCounts, CustomerState
from ..records import TeamRecords
from .action import news_table
from .common import Gettext, Names
from .tables import Column, Named, Row, Table, row

STATUSES = ("lead", "prospect", "customer", "lost", "dormant")

Date = date  # for the fields declared after one called "date"


def counts_columns(_: Gettext) -> tuple[Column, ...]:
    leads, unclosed, closed, expected = (_("Raw leads"), _("Not yet closed, by star"), _("Closed, by star"),
                                         _("Expected to close this period"))
    by_star = [(f"{side}.{s}", f"{s}★") for side in ("unclosed", "closed") for s in (5, 4, 3, 2, 1)]
    return (Column("member", _("Member"), "ref"),
            Column("raw_leads.meet", _("Meet standard"), "number", leads),
            Column("raw_leads.fail", _("Fail standard"), "number", leads),
            *(Column(key, label, "number", unclosed) for key, label in by_star[:5]),
            Column("unclosed.none", _("No star"), "number", unclosed),
            *(Column(key, label, "number", closed) for key, label in by_star[5:]),
            Column("closed.none", _("No star"), "number", closed),
            Column("lost", _("Lost"), "number"), Column("dormant", _("Dormant"), "number"),
            Column("expected.count", _("Count"), "number", expected), Column("expected.value", _("Value"), "money", expected),
            Column("overdue", _("Overdue follow-ups"), "number"), Column("churn_risk", _("Churn risk"), "number"),
            Column("contradictions", _("Star contradictions"), "number"))


def counts_row(who: Named, counts: CustomerCounts, total: bool = False) -> Row:
    warn = tuple(key for key, value in (("raw_leads.fail", counts.failing_lead_standard), ("unclosed.none", counts.unrated_unclosed),
                                        ("closed.none", counts.unrated_closed), ("overdue", counts.overdue),
                                        ("churn_risk", counts.churn_risk), ("contradictions", counts.contradictions)) if value)
    return row(who, counts.raw_leads, counts.failing_lead_standard, *reversed(counts.unclosed_by_star), counts.unrated_unclosed,
               *reversed(counts.closed_by_star), counts.unrated_closed, counts.lost, counts.dormant, counts.expected_count,
               counts.expected_value, counts.overdue, counts.churn_risk, counts.contradictions,
               warn=warn, data=(("member", who.id),), total=total, links=counts_links(who.id, counts))


def counts_links(member: str, counts: CustomerCounts) -> tuple[tuple[str, str], ...]:
    """Each non-zero count of the matrix opens the customer list filtered to those customers."""
    wanted = [(f"{side}.{stars}", f"status={status}&stars={stars}", by_star[stars - 1])
              for side, status, by_star in (("unclosed", "prospect", counts.unclosed_by_star), ("closed", "customer", counts.closed_by_star))
              for stars in range(1, 6)]
    wanted += [("lost", "status=lost", counts.lost), ("dormant", "status=dormant", counts.dormant),
               ("overdue", "attention=overdue", counts.overdue), ("churn_risk", "attention=churn", counts.churn_risk)]
    who = f"member={member}&" if member else ""
    return tuple((key, f"customers/index.html?{who}{query}#customer-list") for key, query, count in wanted if count)


@dataclass(frozen=True)
class CustomersView:
    counts: Table
    star_chart: dict
    members: tuple[Named, ...]  # the list's filter choices
    statuses: tuple[Named, ...]
    customers: Table
    churn: Table | None  # per period, newest first
    churn_undated: int  # lost or dormant customers without status_since, counted in no period


def customers_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, chart_labels: dict) -> CustomersView:
    customers = metrics.customers
    roles = {m.id: m.role for m in records.team.members}
    star_rows = []
    for mid, counts in customers.by_member.items():
        for category, values in ((_("Not yet closed"), counts.unclosed_by_star), (_("Closed"), counts.closed_by_star)):
            for level, count in enumerate(values, start=1):
                if count:
                    star_rows.append({"name": names.members.get(mid, mid), "category": category, "stars": level, "count": count})
    shown = [mid for mid, c in customers.by_member.items()
             if mid in roles and (c.unclosed or c.closed or c.raw_leads or c.failing_lead_standard or roles[mid] != "manager")]
    matrix = Table("customer-matrix", counts_columns(_),
                   tuple(counts_row(names.member(mid), customers.by_member[mid]) for mid in shown)
                   + (counts_row(Named("", _("Team")), customers.team, total=True),))
    listed = sorted(customers.customers.values(), key=lambda s: (s.owner, -(s.stars or 0), s.id))
    customer_list = Table("customer-list", (
        Column("customer", _("Customer"), "ref"), Column("lead_standard", _("Lead standard")), Column("owner", _("Owner"), "ref"),
        Column("status", _("Status"), "status"), Column("stars", _("Stars"), "stars"), Column("last_contact", _("Last contact"), "date"),
        Column("next_contact", _("Next contact"), "date"), Column("overdue_days", _("Days overdue"), "number"),
        Column("expected_value", _("Expected to close"), "money")),
        tuple(_customer_row(s, names, _) for s in listed))
    churn = None
    if metrics.churn:
        churn = Table("churn", (Column("period", _("Period")), Column("lost", _("Lost"), "number"),
                                Column("dormant", _("Dormant"), "number"),
                                Column("base", _("Closed customers at the start"), "number"),
                                Column("rate", _("Churn rate"), "percent")),
                      tuple(row(c.key, c.lost, c.dormant, c.base, c.rate) for c in reversed(metrics.churn)))
    return CustomersView(matrix, chart_spec("stars", star_rows, chart_labels),
                         tuple(names.member(m.id) for m in records.team.members), tuple(names.label(s) for s in STATUSES),
                         customer_list, churn, metrics.churn[0].undated if metrics.churn else 0)


def _customer_row(s: CustomerState, names: Names, _: Gettext) -> Row:
    warn = (("lead_standard",) if s.missing_for_lead else ()) + (("next_contact", "overdue_days") if s.overdue_days else ())
    below = _("below lead standard") if s.missing_for_lead else None
    return row(names.customer(s.id), below, names.member(s.owner), names.label(s.status), s.stars,
               s.last_touch.date if s.last_touch else None, s.next_contact, s.overdue_days or None,
               s.expected_value if s.expected_in_period else None,
               warn=warn, data=(("member", s.owner), ("status", s.status), ("stars", str(s.stars or "")),
                                ("attention", " ".join(k for k, on in (("overdue", s.overdue_days), ("churn", s.churn_risk)) if on))))


# ---------------------------------------------------------------------------------------------
# one customer


def mask_value(kind: str, value: str | None) -> str | None:
    """0912-345-678 → 0912-***-678; wang@example.com → w***@example.com; others keep one character."""
    if not value:
        return value
    if kind == "phone":
        digits = [i for i, ch in enumerate(value) if ch.isdigit()]
        keep = set(digits[:4] + digits[-3:]) if len(digits) > 7 else set(digits[:2])
        return "".join(ch if (not ch.isdigit() or i in keep) else "*" for i, ch in enumerate(value))
    if kind == "email" and "@" in value:
        user, _, domain = value.partition("@")
        return f"{user[:1]}***@{domain}"
    return value[:1] + "***"


def contact_cells(contact: model.Contact, privacy: model.Privacy, private: bool) -> tuple[str | None, ...]:
    """A contact person's name, role and details, each personal detail masked or left out as the
    team's privacy settings say (``private``: a build for the team's eyes only, unmasked)."""
    cells: list[str | None] = [contact.name, contact.role]
    for kind in ("phone", "email", "wechat", "line"):
        value = getattr(contact, kind)
        if value and kind in privacy.personal_fields and not private:
            if privacy.mode == "omit":
                value = None
            elif privacy.mode == "mask":
                value = mask_value(kind, value)
        cells.append(value)
    return tuple(cells)


@dataclass(frozen=True)
class Touch:
    date: date
    channel: str
    member: str
    with_: str | None
    purpose: str
    result: str | None
    effect: int | None
    next_contact: Date | None
    report: str | None  # the report's page, relative to the base


@dataclass(frozen=True)
class CustomerView:
    owner: Named
    status: Named
    stars: int | None
    source: str | None
    industry: str | None
    created: date | None
    expected_close: date | None
    expected_value: float | None
    next_contact: date | None
    overdue_days: int
    contact_every_days: int | None
    churn_risk: bool
    lead_shortfall: str  # "Does not meet the lead standard; missing: …", or empty
    contradictions: str  # "The declared stars contradict the criteria: …", or empty
    fields: tuple[tuple[str, str | int | float], ...]  # the team's own fields: its name for each, the value (yes/no in words)
    contacts: Table
    last_contact: date | None
    touches: tuple[tuple[str, tuple[Touch, ...]], ...]  # by month (2026-11), newest first
    deals: Table
    notes: str | None
    history: Table | None = None  # its stars, status and close dates as they changed, from git (None outside git)


def customer_view(records: TeamRecords, metrics: Metrics, names: Names, _: Gettext, customer_id: str, private: bool) -> CustomerView:
    customer, state = records.customers[customer_id], metrics.customers.customers[customer_id]
    privacy = records.config.privacy
    contacts = Table("contacts", (Column("name", _("Name")), Column("role", _("Role")), Column("phone", _("Phone")),
                                  Column("email", _("Email")), Column("wechat", "WeChat"), Column("line", "LINE")),
                     tuple(Row(contact_cells(c, privacy, private)) for c in customer.contacts), download=False)
    by_month: dict[str, list[Touch]] = {}
    for t in reversed(state.touches):
        by_month.setdefault(f"{t.date:%Y-%m}", []).append(
            Touch(t.date, names.channel(t.channel), names.members.get(t.member, t.member), t.with_, t.purpose, t.result,
                  t.effect, t.next_contact, f"reports/{t.report}.html" if t.report else None))
    touches = tuple((month, tuple(items)) for month, items in by_month.items())
    deals = Table("deals", (Column("date", _("Date"), "date"), Column("product", _("Product")), Column("member", _("Member"), "ref"),
                            Column("amount", _("Amount"), "money")),
                  tuple(row(d.date, d.product, names.member(d.member), d.amount) for d in reversed(state.deals))
                  + (row(_("Total"), None, None, state.deal_total, total=True),), download=False)
    close = customer.expected_close
    fields = tuple((names.fields.get(name, name), field_value(value, _)) for name, value in customer.fields.items())
    return CustomerView(names.member(customer.owner), names.label(customer.status), customer.stars, customer.source,
                        customer.industry, customer.created, close.date if close else None, close.value if close else None,
                        state.next_contact, state.overdue_days, state.contact_every_days, state.churn_risk,
                        _(msg("Does not meet the lead standard; missing: {fields}",
                              fields=joined([model.lead_field_word(t, records.config) for t in state.missing_for_lead])))
                        if state.missing_for_lead else "",
                        _(msg("The declared stars contradict the criteria: {contradictions}",
                              contradictions=joined(state.contradictions, CLAUSES))) if state.contradictions else "",
                        fields, contacts,
                        state.last_touch.date if state.last_touch else None, touches, deals, customer.notes,
                        news_table(metrics.customer_history.get(customer_id, []), names, _, ZoneInfo(records.config.timezone), "history",
                                   _("No change to its stars, status or close date in git yet."))
                        if metrics.customer_history else None)


def field_value(value: bool | int | float | str, _: Gettext) -> str | int | float:
    """A team-defined field's value as a reader reads it: yes or no in words, numbers as numbers."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
