"""Customer management (part 1 of the method): standards, counts by star, touchpoint health."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from .. import model
from ..i18n import Text, msg
from ..periods import Period, period_containing
from ..records import TeamRecords
from .facts import DealFact, Facts, TouchFact

CATEGORY_OF_STATUS = {"lead": "lead", "prospect": "unclosed", "customer": "closed", "lost": "lost", "dormant": "dormant"}


@dataclass
class CustomerState:
    id: str
    name: str
    owner: str
    status: str
    category: str  # lead | unclosed | closed | lost | dormant
    stars: int | None
    missing_for_lead: list[str]
    touches: list[TouchFact]
    deals: list[DealFact]
    last_touch: TouchFact | None
    next_contact: date | None
    overdue_days: int  # > 0 when the next contact date has passed without a contact
    days_since_contact: int | None
    contact_every_days: int | None
    churn_risk: bool  # quiet_days past the contact frequency of its star
    quiet_days: int | None  # days since the last contact (or since it was created, never contacted); None: unknown
    contradictions: list[Text]
    expected_in_period: bool
    expected_value: float
    deal_total: float

    @property
    def meets_lead_standard(self) -> bool:
        return not self.missing_for_lead


@dataclass
class CustomerCounts:
    """One row of the members × categories matrix (or the team's total)."""

    raw_leads: int = 0  # leads meeting the lead standard
    failing_lead_standard: int = 0  # leads below it (raw_leads + failing_lead_standard == leads)
    leads: int = 0  # every customer whose status is lead, meeting the standard or not
    unclosed_by_star: list[int] = field(default_factory=lambda: [0] * 5)
    closed_by_star: list[int] = field(default_factory=lambda: [0] * 5)
    unrated_unclosed: int = 0  # prospects with no star yet (an import's, or a new one)
    unrated_closed: int = 0
    expected_count: int = 0
    expected_value: float = 0
    overdue: int = 0
    churn_risk: int = 0
    contradictions: int = 0
    lost: int = 0
    dormant: int = 0

    @property
    def unclosed(self) -> int:
        return sum(self.unclosed_by_star) + self.unrated_unclosed

    @property
    def closed(self) -> int:
        return sum(self.closed_by_star) + self.unrated_closed

    @property
    def total(self) -> int:
        """Every customer counted once: leads + not yet closed + closed + lost + dormant."""
        return self.leads + self.unclosed + self.closed + self.lost + self.dormant


@dataclass(frozen=True)
class ChurnPeriod:
    """Closed customers lost or gone dormant in one period, against those the period started with."""

    key: str
    lost: int  # closed customers (with a deal before) whose status turned lost in the period
    dormant: int  # … dormant
    base: int  # customers with a deal before the period began, not churned before it
    undated: int  # lost or dormant customers with no status_since: not counted in any period

    @property
    def rate(self) -> float | None:
        return (self.lost + self.dormant) / self.base if self.base else None


def churn_by_period(records: TeamRecords, facts: Facts, granularity: str) -> list[ChurnPeriod]:
    """Churn of closed customers per goal period, from the first deal on record to the as-of day.
    A customer counts as closed from its first deal; as churned on its status_since day."""
    first_deal = {cid: min(d.date for d in deals) for cid, deals in facts.deals_by_customer.items() if deals}
    churned = {cid: (c.status, c.status_since) for cid, c in records.customers.items()
               if c.status in ("lost", "dormant") and cid in first_deal}
    undated = sum(1 for status, since in churned.values() if since is None)
    if not first_deal:
        return []
    periods = []
    period = period_containing(min(first_deal.values()), granularity)
    churned_on = {cid: since for cid, (_status, since) in churned.items() if since is not None}
    while period.start <= facts.as_of:
        start = period.start
        base = sum(1 for cid, day in first_deal.items() if day < start and not (cid in churned_on and churned_on[cid] < start))
        counts = {status: sum(1 for s, since in churned.values() if s == status and since is not None and since in period)
                  for status in ("lost", "dormant")}
        periods.append(ChurnPeriod(period.key, counts["lost"], counts["dormant"], base, undated))
        period = period_containing(period.end + timedelta(days=1), granularity)
    return periods


@dataclass
class CustomerMetrics:
    customers: dict[str, CustomerState]
    by_member: dict[str, CustomerCounts]
    team: CustomerCounts
    channel_mix: dict[str, Counter]  # member -> channel -> touches in the period
    effect_mix: dict[str, Counter]  # member -> effect score -> touches in the period

    @cached_property
    def by_owner(self) -> dict[str, list[CustomerState]]:
        """Each member's customers, in the order of ``customers``."""
        found: dict[str, list[CustomerState]] = {}
        for state in self.customers.values():
            found.setdefault(state.owner, []).append(state)
        return found


def missing_lead_fields(customer: model.Customer, required: list[str]) -> list[str]:
    missing = []
    for token in required:
        if token.startswith("fields."):
            if not customer.fields.get(token.split(".", 1)[1]):  # false, 0, empty or absent
                missing.append(token)
        elif token.startswith("contact."):
            attribute = token.split(".", 1)[1]
            if not any(getattr(c, attribute) for c in customer.contacts):
                missing.append(token)
        elif not getattr(customer, token, None):
            missing.append(token)
    return missing


def star_contradictions(customer: model.Customer, definition: model.StarDefinition | None, touches: list[TouchFact],
                        deals: list[DealFact], as_of: date) -> list[Text]:
    """Which of the declared star's machine-checkable criteria the customer fails."""
    if definition is None or definition.criteria is None:
        return []
    c = definition.criteria
    found: list[Text] = []
    if c.expected_close_within_days is not None:
        close = customer.expected_close
        if close is None:
            found.append(msg("no expected close date"))
        elif close.date < as_of:
            found.append(msg("expected close date {date} has passed", date=close.date.isoformat()))
        elif (close.date - as_of).days > c.expected_close_within_days:
            found.append(msg("expected close {date} is more than {days} days away", date=close.date.isoformat(), days=c.expected_close_within_days))
    if c.min_expected_value is not None:
        value = customer.expected_close.value if customer.expected_close else 0
        if value < c.min_expected_value:
            found.append(msg("expected value {value:,.0f} is below {minimum:,.0f}", value=value, minimum=c.min_expected_value))
    if c.min_touchpoints is not None:
        since = as_of - timedelta(days=c.within_days)
        recent = sum(1 for t in touches if t.date > since)
        if recent < c.min_touchpoints:
            found.append(msg("{count} touchpoints in the last {days} days, fewer than {minimum}", count=recent, days=c.within_days, minimum=c.min_touchpoints))
    if c.min_deal_total is not None:
        year_ago = as_of - timedelta(days=365)
        total = sum(d.amount for d in deals if d.date > year_ago)
        if total < c.min_deal_total:
            found.append(msg("deals of the last 365 days total {total:,.0f}, below {minimum:,.0f}", total=total, minimum=c.min_deal_total))
    if c.max_days_since_deal is not None:
        last = max((d.date for d in deals), default=None)
        if last is None or (as_of - last).days > c.max_days_since_deal:
            found.append(msg("no deal in the last {days} days", days=c.max_days_since_deal))
    for name, wanted in c.fields.items():
        found += team_field_shortfall(name, wanted, customer.fields.get(name))
    return found


def team_field_shortfall(name: str, wanted: bool | int | float | str, value: bool | int | float | str | None) -> list[Text]:
    """How a customer's own field falls short of a star's criterion: a number must reach it, a
    yes-no or text field must equal it."""
    if value is None:
        return [msg("{field} is not recorded", field=name)]
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < wanted:
            return [msg("{field} is {value}, below {wanted}", field=name, value=_shown(value), wanted=_shown(wanted))]
        return []
    if isinstance(wanted, bool) or isinstance(value, bool):
        return [] if value is wanted else [msg("{field} is {value}, not {wanted}", field=name, value=_shown(value), wanted=_shown(wanted))]
    return [] if str(value) == str(wanted) else [msg("{field} is {value}, not {wanted}", field=name, value=_shown(value), wanted=_shown(wanted))]


def _shown(value: bool | int | float | str) -> Text | str:
    if isinstance(value, bool):
        return msg("yes") if value else msg("no")
    return f"{value:,.0f}" if isinstance(value, (int, float)) else repr(value)


def compute_customers(records: TeamRecords, facts: Facts, period: Period) -> CustomerMetrics:
    config = records.config
    as_of = facts.as_of
    definitions = {("unclosed", d.stars): d for d in config.stars.unclosed} | {("closed", d.stars): d for d in config.stars.closed}
    states: dict[str, CustomerState] = {}
    for cid in sorted(records.customers):
        customer = records.customers[cid]
        category = CATEGORY_OF_STATUS[customer.status]
        touches = facts.touches_by_customer.get(cid, [])
        deals = facts.deals_by_customer.get(cid, [])
        last = touches[-1] if touches else None
        next_contact = last.next_contact if last else None
        overdue_days = (as_of - next_contact).days if next_contact and next_contact < as_of and category in ("unclosed", "closed", "lead") else 0
        definition = definitions.get((category, customer.stars)) if customer.stars else None
        frequency = definition.contact_every_days if definition else None
        since = (as_of - last.date).days if last else None
        reference_day = last.date if last else customer.created
        quiet = (as_of - reference_day).days if reference_day is not None else None
        churn = bool(frequency and category in ("unclosed", "closed") and quiet is not None and quiet > frequency)
        contradictions = star_contradictions(customer, definition, touches, deals, as_of) if category in ("unclosed", "closed") else []
        expected = customer.expected_close
        expected_in_period = bool(category == "unclosed" and expected and period.start <= expected.date <= period.end)
        # the lead standard is what a raw lead needs to count as one: judged on leads only
        missing = missing_lead_fields(customer, list(config.lead_standard.required)) if category == "lead" else []
        states[cid] = CustomerState(
            id=cid, name=customer.name, owner=customer.owner, status=customer.status, category=category,
            stars=customer.stars, missing_for_lead=missing, touches=touches, deals=deals, last_touch=last,
            next_contact=next_contact, overdue_days=overdue_days, days_since_contact=since, contact_every_days=frequency,
            churn_risk=churn, quiet_days=quiet, contradictions=contradictions, expected_in_period=expected_in_period,
            expected_value=expected.value if expected is not None and expected_in_period else 0, deal_total=sum(d.amount for d in deals))

    members = [m.id for m in records.team.members]
    by_member = {m: CustomerCounts() for m in members}
    team = CustomerCounts()
    for state in states.values():
        for counts in (by_member.setdefault(state.owner, CustomerCounts()), team):
            _count(counts, state)
    period_touches = [t for t in facts.touches if t.date in period]
    channel_mix: dict[str, Counter] = {m: Counter() for m in members} | {"": Counter()}
    effect_mix: dict[str, Counter] = {m: Counter() for m in members} | {"": Counter()}
    for t in period_touches:
        for key in (t.member, ""):
            channel_mix.setdefault(key, Counter())[t.channel] += 1
            if t.effect:
                effect_mix.setdefault(key, Counter())[t.effect] += 1
    return CustomerMetrics(states, by_member, team, channel_mix, effect_mix)


def _count(counts: CustomerCounts, state: CustomerState) -> None:
    if state.category == "lead":  # raw_leads + failing_lead_standard == leads: one population
        counts.leads += 1
        if state.meets_lead_standard:
            counts.raw_leads += 1
        else:
            counts.failing_lead_standard += 1
    if state.category in ("unclosed", "closed"):
        if state.stars:
            (counts.unclosed_by_star if state.category == "unclosed" else counts.closed_by_star)[state.stars - 1] += 1
        elif state.category == "unclosed":
            counts.unrated_unclosed += 1
        else:
            counts.unrated_closed += 1
    if state.category == "lost":
        counts.lost += 1
    if state.category == "dormant":
        counts.dormant += 1
    if state.expected_in_period:
        counts.expected_count += 1
        counts.expected_value += state.expected_value
    if state.overdue_days > 0:
        counts.overdue += 1
    if state.churn_risk:
        counts.churn_risk += 1
    if state.contradictions:
        counts.contradictions += 1
