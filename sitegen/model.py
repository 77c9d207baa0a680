"""The records format: one declarative definition per record kind.

These pydantic models are the single source of truth for what a record may contain: validation,
the JSON Schemas editors use (``sitegen schema``) and the documentation test all read them. The
loader hands every scalar over as the text written, so the scalar types below decide, strictly,
what counts as a number, a date or a boolean: ``12k``, ``1,000``, ``inf``, ``2026-02-30`` and
``yes`` are refused with a hint instead of being guessed at. This module imports nothing of ours.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

# ---------------------------------------------------------------------------------------------
# scalar types


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _fail(message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError("sitegen", "{message}", {"message": message, "hint": hint})


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Limits every record value stays within, so that sums stay finite and calendars computable
#: (docs/records.md, "Limits"). A trillion is far beyond any team's deal; 1900–2100 covers any
#: record a team keeps.
MAX_AMOUNT = 10**12
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def parse_number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise _fail(f"expected a number, got {_describe(value)}")
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        number = float(text) if any(c in text for c in ".eE") else int(text)
    else:
        hint = "write digits only, e.g. 12000"
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"[\d.]+\s*[kK萬万千]", text):
                hint = "write the full number, e.g. 12000 — no units; the currency is set in sitegen.yaml"
            elif re.fullmatch(r"[\d,，]+(\.\d+)?", text):
                hint = "write the number without thousands separators, e.g. 12000"
            elif re.fullmatch(r"(?i)[+-]?(\.?inf(inity)?|\.?nan)", text):
                hint = "infinity and NaN are not amounts; write a finite number"
            elif re.search(r"[０-９]", text):
                hint = "full-width digits were typed; switch the input method to half-width"
        raise _fail(f"expected a number, got {_describe(value)}", hint)
    if isinstance(number, float) and not math.isfinite(number):
        raise _fail(f"expected a finite number, got {_describe(value)}")
    if number < 0:
        raise _fail(f"expected a number of zero or more, got {_describe(value)}")
    if number > MAX_AMOUNT:
        raise _fail(f"{_describe(value)} is larger than sitegen accepts ({MAX_AMOUNT:,})",
                    "check for extra digits; amounts and counts are at most a trillion")
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        number = int(number)
    return number


def parse_count(value: Any) -> int:
    number = parse_number(value)
    if not isinstance(number, int):
        raise _fail(f"expected a whole number, got {_describe(value)}", "counts are whole numbers, e.g. 3")
    return number


def _range_parser(low: int, high: int, what: str):
    def parse(value: Any) -> int:
        try:
            number = parse_count(value)
        except PydanticCustomError:
            number = None
        if number is None or not low <= number <= high:
            raise _fail(f"expected {what} from {low} to {high}, got {_describe(value)}")
        return number
    return parse


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return check_day(value)
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        hint = "write dates as YYYY-MM-DD, e.g. 2026-11-05"
        if isinstance(value, str) and re.fullmatch(r"\d{4}[/.]\d{1,2}[/.]\d{1,2}", value.strip()):
            hint = f"write dates with hyphens: {'-'.join(p.zfill(2) for p in re.split(r'[/.]', value.strip()))}"
        raise _fail(f"expected a date (YYYY-MM-DD), got {_describe(value)}", hint)
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(f"'{value}' is not a real date", "check the month and the day of the month") from None
    return check_day(day, value)


def check_day(day: date, written: Any = None) -> date:
    """A date within the years records can hold (1900–2100): beyond them is a typing slip."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(f"{_describe(written if written is not None else day.isoformat())} is outside the years 1900 to 2100",
                    "check the year")
    return day


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _fail(f"expected true or false, got {_describe(value)}",
                "write true or false (yes/no/on/off are not accepted, to avoid surprises)")


def parse_text(value: Any) -> str:
    if isinstance(value, str):
        control = _CONTROL.search(value)
        if control:  # written as an escape ("\x1b", "\0", "\u2028") the file itself holds none
            raise _fail(f"control character U+{ord(control.group()):04X} at character {control.start() + 1} of the text",
                        "remove it: it is invisible, and breaks pages and terminals")
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _fail(f"expected text, got {_describe(value)}",
                "quote the text if it contains ': ' or starts with a special character" if isinstance(value, dict) else "")


def parse_timezone(value: Any) -> str:
    """An IANA time zone name that this machine knows (a typo used to mean UTC, silently)."""
    import difflib
    import zoneinfo

    text = parse_text(value).strip()
    try:
        zoneinfo.ZoneInfo(text)
    except (KeyError, ValueError, OSError):
        close = difflib.get_close_matches(text, sorted(zoneinfo.available_timezones()), n=1)
        raise _fail(f"unknown time zone '{text}'", f"did you mean '{close[0]}'?" if close else
                    "write an IANA name, e.g. Asia/Taipei, Asia/Shanghai, Europe/London or UTC") from None
    return text


def parse_clock(value: Any) -> str:
    """A time of day as HH:MM (a malformed one used to mean 10:00, silently)."""
    text = parse_text(value).strip()
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise _fail(f"expected a time of day HH:MM from 00:00 to 23:59, got {_describe(value)}", "e.g. 10:00 or 09:30")
    return text


RESERVED_IDS = {"con", "prn", "aux", "nul", "index", "assets", "static", "search", "feed"} | {
    f"{name}{n}" for name in ("com", "lpt") for n in range(10)}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_slug(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(f"expected an id, got {_describe(value)}")
    if not _SLUG.fullmatch(value) or len(value) > 64:
        from .problems import hidden_characters, reveal

        hidden = hidden_characters(value)
        if hidden:
            position, name = hidden[0]
            raise _fail(f"'{reveal(value)}' is not a valid id: character {position} is an invisible {name}",
                        "delete it (it usually comes with copy-and-paste); ids are lowercase letters, digits and hyphens")
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:64]
        hint = "ids use lowercase ASCII letters, digits and single hyphens (they become file names and URLs)"
        if suggestion and _SLUG.fullmatch(suggestion):
            hint += f", e.g. '{suggestion}'"
        raise _fail(f"'{value}' is not a valid id", hint)
    if value in RESERVED_IDS:
        raise _fail(f"'{value}' is a reserved name and cannot be an id", f"add a word, e.g. '{value}-1'")
    return value


Number = Annotated[float, BeforeValidator(parse_number), Field(ge=0)]
Count = Annotated[int, BeforeValidator(parse_count), Field(ge=0)]
Day = Annotated[date, BeforeValidator(parse_date)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Text = Annotated[str, BeforeValidator(parse_text)]
TimeZone = Annotated[str, BeforeValidator(parse_timezone)]
Clock = Annotated[str, BeforeValidator(parse_clock)]
Id = Annotated[str, BeforeValidator(parse_slug), Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
StarLevel = Annotated[int, BeforeValidator(_range_parser(1, 5, "a star level")), Field(ge=1, le=5)]
Effect = Annotated[int, BeforeValidator(_range_parser(1, 5, "an effect score")), Field(ge=1, le=5)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PersonalField = Literal["phone", "email", "wechat", "line"]
Locale = Literal["en", "zh-Hant", "zh-Hans"]


class Record(BaseModel):
    """Base of every record part: unknown fields are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_list_means_none(cls, data: Any) -> Any:
        """`touchpoints:` with nothing after it (or only comments) means no touchpoints, as people
        write it when they fill a record in later; other fields left empty stay an error."""
        if isinstance(data, dict):
            empty = [key for name, f in cls.model_fields.items() for key in {name, f.alias or name}
                     if key in data and data[key] is None and f.default_factory in (list, dict)]
            if empty:
                data = {k: v for k, v in data.items() if k not in empty}
        return data


# ---------------------------------------------------------------------------------------------
# sitegen.yaml


class Channel(Record):
    """A contact channel (phone, visit/面談, store/入店, flyer/傳單, wechat, event, …)."""

    id: Id
    name: Text
    daily_target: Count = Field(0, description="Default number of contacts per member per working day.")
    funnel: Literal["contact", "meeting", "other"] = Field(
        "contact", description="Where the channel sits in the funnel: first contacts, or meetings face to face.")


LeadField = Literal["name", "owner", "source", "industry", "address", "created",
                    "contact.name", "contact.role", "contact.phone", "contact.email", "contact.wechat", "contact.line"]


class LeadStandard(Record):
    """What a record must have to count as a raw lead (客戶原始資料)."""

    description: Text
    required: list[LeadField] = Field(default_factory=list)


class StarCriteria(Record):
    """Machine-checkable criteria for a star level; a declared star that fails them is flagged."""

    expected_close_within_days: Count | None = Field(None, description="Expected close date at most this many days after the as-of date.")
    min_expected_value: Number | None = Field(None, description="Expected close value at least this much.")
    min_touchpoints: Count | None = Field(None, description="At least this many touchpoints in the last `within_days` days.")
    within_days: Count = 30
    min_deal_total: Number | None = Field(None, description="Closed customers: deals worth at least this much in the last 365 days.")
    max_days_since_deal: Count | None = Field(None, description="Closed customers: last deal at most this many days ago.")


class StarDefinition(Record):
    stars: StarLevel
    label: Text
    description: Text
    contact_every_days: Count | None = Field(None, description="Contact frequency: a customer at this level must be contacted at least this often.")
    criteria: StarCriteria | None = None


class StarStandards(Record):
    """Star definitions for not-yet-closed (未成交) and closed (已成交) customers."""

    unclosed: list[StarDefinition]
    closed: list[StarDefinition]


SignalName = Literal["low_meeting_rate", "low_proposal_rate", "low_close_rate", "low_activity",
                     "overdue_followups", "missed_reports", "late_reports", "low_plan_adherence",
                     "star_contradictions", "closed_churn"]


class Capability(Record):
    """A named capability and the signals that point to it (capability management, part 4)."""

    id: Id
    name: Text
    description: Text = ""
    signals: list[SignalName]


class Holiday(Record):
    date: Day
    name: Text


class Privacy(Record):
    """How personal data (contact people's phone, email, WeChat, …) appears in the published site."""

    personal_fields: list[PersonalField] = Field(default_factory=lambda: list(get_args(PersonalField)))
    mode: Literal["mask", "omit", "show"] = "mask"


Severity = Literal["error", "warning"]


class CheckSeverities(Record):
    """How seriously `sitegen check` takes each business finding: an error fails check (and so a CI
    check), never the build, which publishes the site with every finding on its problems page."""

    members_sum: Severity = "warning"
    stages_cover: Severity = "warning"
    pipeline_coverage: Severity = "warning"
    events: Severity = Field("warning", description="Event targets not decomposed to members, or an event past its date that fell short.")
    star_criteria: Severity = "warning"
    lead_standard: Severity = "warning"


class ReportRules(Record):
    """When a report counts as late, judged by the time its file was first committed."""

    late_after_days: Count = Field(1, description="A daily report is late when first committed more than this many days after its date.")
    late_after_time: Clock = Field("10:00", description="…at or after this time of day (HH:MM) on that last day.")


class Config(Record):
    """The team configuration: sitegen.yaml at the root of the team's repository."""

    title: Text
    locale: Locale = "en"
    locales: list[Locale] = Field(default_factory=list, description="Extra locales the site is also built in (a language switch links them).")
    timezone: TimeZone = Field("UTC", description="The team's time zone (an IANA name): what 'today' is, and when reports are late.")
    currency: Text = "TWD"
    week_start: Literal["monday", "sunday"] | None = Field(None, description="Not used; accepted so old files still load (a warning says to delete it).")
    working_days: list[Weekday] = Field(default_factory=lambda: list(get_args(Weekday))[:5])
    holidays: list[Holiday] = Field(default_factory=list)
    goal_period: Literal["month", "quarter"] = "month"
    stages: Literal["weeks", "ten-day"] | None = Field(None, description="Not used (a goal's stages are written in the goal); accepted so old files still load, with a warning.")
    channels: list[Channel] = Field(min_length=1)
    lead_standard: LeadStandard
    stars: StarStandards
    capabilities: list[Capability] = Field(default_factory=list, description="Empty: the built-in capability model.")
    forecast_weights: list[Number] = Field(
        default_factory=lambda: [0.1, 0.2, 0.4, 0.6, 0.8], min_length=5, max_length=5,
        description="Probability of closing in the period for 1★…5★ not-yet-closed customers, for the forecast.")
    pipeline_coverage_floor: Number = Field(1.0, description="Warn when a member's pipeline covers less than this multiple of their must share.")
    privacy: Privacy = Field(default_factory=Privacy)
    checks: CheckSeverities = Field(default_factory=CheckSeverities)
    reports: ReportRules = Field(default_factory=ReportRules)


DEFAULT_CAPABILITIES = [
    Capability(id="invitation", name="Invitation (邀約)", description="Turning first contacts into meetings.",
                     signals=["low_meeting_rate"]),
    Capability(id="closing", name="Closing (成交)", description="Turning meetings and proposals into deals.",
                     signals=["low_proposal_rate", "low_close_rate"]),
    Capability(id="planning", name="Planning and time management (計劃與時間管理)",
                     description="Following up on time and working the plan.",
                     signals=["overdue_followups", "low_plan_adherence", "low_activity"]),
    Capability(id="reporting", name="Reporting discipline (報告紀律)", description="Reporting every working day, on time.",
                     signals=["missed_reports", "late_reports"]),
    Capability(id="customer-judgement", name="Customer judgement (客戶判斷)",
                     description="Rating customers by the team's standards and keeping closed customers.",
                     signals=["star_contradictions", "closed_churn"]),
]


def capabilities(config: Config) -> list[Capability]:
    """The team's capability model: its own, or the built-in one."""
    return list(config.capabilities) or DEFAULT_CAPABILITIES


# ---------------------------------------------------------------------------------------------
# records/team.yaml


class Group(Record):
    id: Id
    name: Text
    supervisor: Id | None = None
    reporting: Literal["daily", "half-day"] = "daily"


class Member(Record):
    id: Id
    name: Text
    role: Literal["rep", "supervisor", "manager"] = "rep"
    group: Id | None = None
    reports_to: Id | None = None
    joined: Day | None = None
    left: Day | None = None
    reporting: Literal["daily", "half-day", "none"] | None = Field(None, description="Overrides the group's reporting cadence; 'none' for members who do not file daily reports.")
    targets: dict[str, Count] = Field(default_factory=dict, description="Daily targets per channel id, overriding the channel defaults.")


class Team(Record):
    groups: list[Group] = Field(default_factory=list)
    members: list[Member] = Field(min_length=1)


# ---------------------------------------------------------------------------------------------
# records/customers/<id>.yaml


class Contact(Record):
    name: Text
    role: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    wechat: Text | None = None
    line: Text | None = None


class Deal(Record):
    date: Day
    amount: Number
    product: Text | None = None
    member: Id | None = Field(None, description="Who closed it; the customer's owner when absent.")
    note: Text | None = None


class ExpectedClose(Record):
    date: Day
    value: Number


class PastTouchpoint(Record):
    """A touchpoint from before the team used sitegen (for imports); new ones go in reports."""

    date: Day
    member: Id
    channel: Id
    with_: Text | None = Field(None, alias="with")
    purpose: Text
    result: Text | None = None
    effect: Effect | None = None
    next_contact: Day | None = None


class Customer(Record):
    name: Text
    owner: Id
    status: Literal["lead", "prospect", "customer", "lost", "dormant"]
    stars: StarLevel | None = None
    source: Text | None = None
    industry: Text | None = None
    address: Text | None = None
    created: Day | None = None
    expected_close: ExpectedClose | None = None
    deals: list[Deal] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    history: list[PastTouchpoint] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    notes: Text | None = None


# ---------------------------------------------------------------------------------------------
# records/plans/*.yaml: team goals and member plans


class MemberShare(Record):
    member: Id
    must: Number
    challenge: Number | None = None
    basis: Literal["history", "self-declared", "customers", "equal-split"] | None = Field(
        None, description="Why this share: history, the member's own figure, the customers behind it. 'equal-split' is flagged.")
    note: Text | None = None
    customers: list[Id] = Field(default_factory=list, description="The customers whose expected deals back this share.")


class Stage(Record):
    name: Text
    start: Day
    end: Day
    target: Number


class EventMemberTarget(Record):
    member: Id
    invitations: Count = 0
    attendance: Count = 0
    deals: Count = 0
    amount: Number = 0


class SalesEvent(Record):
    id: Id
    name: Text
    date: Day
    invitations: Count = 0
    attendance: Count = 0
    deals: Count = 0
    amount: Number = 0
    members: list[EventMemberTarget] = Field(default_factory=list)


class Measure(Record):
    """A supplementary measure (補充措施) that secures the must-achieve goal."""

    what: Text
    owner: Id | None = None
    due: Day | None = None
    status: Literal["planned", "in-progress", "done", "dropped"] = "planned"
    note: Text | None = None


class Goal(Record):
    kind: Literal["goal"]
    period: Text = Field(description="The goal period: a month (2026-11) or a quarter (2026-Q4).")
    metric: Literal["revenue", "deals"] = "revenue"
    must: Number
    challenge: Number
    measures: list[Measure] = Field(default_factory=list)
    members: list[MemberShare] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    events: list[SalesEvent] = Field(default_factory=list)
    note: Text | None = None


class PlanTarget(Record):
    what: Text
    value: Number | None = None


class PlanItem(Record):
    id: Id
    what: Text
    due: Day | None = None
    customer: Id | None = None
    expected: Text | None = None


class Plan(Record):
    kind: Literal["plan"]
    member: Id
    period: Literal["day", "week", "month", "quarter", "year"]
    start: Day
    end: Day
    targets: list[PlanTarget] = Field(default_factory=list)
    activity: dict[str, Count] = Field(default_factory=dict, description=(
        "Daily activity targets per channel id while this plan runs, overriding the member's and the channel's "
        "(the shortest plan covering a day wins)."))
    items: list[PlanItem] = Field(default_factory=list)
    note: Text | None = None


# ---------------------------------------------------------------------------------------------
# records/reports/**/*.md: front matter of reports, reviews and coaching notes


class Touchpoint(Record):
    customer: Id
    channel: Id
    with_: Text | None = Field(None, alias="with")
    purpose: Text
    result: Text | None = None
    effect: Effect | None = None
    proposal: Flag = Field(False, description="A proposal or quotation was made (the funnel's third step).")
    next_contact: Day | None = None


class ReportDeal(Record):
    customer: Id
    amount: Number
    product: Text | None = None


class PlanProgress(Record):
    plan: Id
    item: Id
    status: Literal["done", "partial", "not-done"]
    reason: Text | None = Field(None, description="Why not done (required when not done).")
    note: Text | None = None


class PlannedContact(Record):
    customer: Id | None = None
    channel: Id
    purpose: Text
    with_: Text | None = Field(None, alias="with")


class EventActual(Record):
    event: Id
    invited: Count = 0
    attended: Count = 0
    deals: Count = 0
    amount: Number = 0


class Report(Record):
    kind: Literal["daily", "weekly", "monthly", "quarterly"] = "daily"
    member: Id
    date: Day = Field(description="The day reported on; for weekly and longer reports, the period's last day.")
    half: Literal["am", "pm"] | None = None
    activity: dict[str, Count] = Field(default_factory=dict, description="Contacts made per channel id.")
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    deals: list[ReportDeal] = Field(default_factory=list)
    progress: list[PlanProgress] = Field(default_factory=list)
    tomorrow: list[PlannedContact] = Field(default_factory=list)
    events: list[EventActual] = Field(default_factory=list)
    help: Text | None = Field(None, description="Problems raised and help asked for.")


class Review(Record):
    """A periodic or spot check (抽查) of a member's work, with findings and feedback."""

    kind: Literal["review"]
    member: Id
    reviewer: Id
    date: Day
    type: Literal["periodic", "spot"]
    findings: list[Text] = Field(default_factory=list)
    feedback: Text


class Coaching(Record):
    """One-to-one coaching or group training on named capabilities."""

    kind: Literal["coaching"]
    coach: Id
    members: list[Id] = Field(min_length=1)
    date: Day
    format: Literal["one-to-one", "group"]
    capabilities: list[Id] = Field(min_length=1)
    agreed_actions: list[Text] = Field(default_factory=list)
    follow_up: Day | None = None


class LeftOut(Record):
    """One CSV row (or value) an import did not land, with where it was and why."""

    file: Text = Field(description="The CSV file, as named in the mapping.")
    line: Count = Field(description="Its line in that file (the header is line 1).")
    column: Text = Field("", description="The column concerned.")
    message: Text = Field(description="What was left out or kept as written, and why.")
    hint: Text = Field("", description="What to do about it.")


class ImportLog(Record):
    """What one `sitegen import` left out, kept in records/imports/ so the site's problems page
    lists it until the team deletes the file. Written by sitegen, not by hand."""

    kind: Literal["import"]
    mapping: Text = Field(description="The mapping used (maven-crm, salesforce, hubspot or a file).")
    source: Text = Field(description="The folder the CSV files came from.")
    date: Day = Field(description="The day of the import.")
    left_out: list[LeftOut] = Field(default_factory=list, description="Every row or value not landed as written.")


# ---------------------------------------------------------------------------------------------
# sitegen import: a mapping says which CSV file holds what, and which column means what


class TeamColumns(Record):
    """The CSV file of the sales team: one row per member."""

    file: Text = Field(description="The CSV file's name in the export folder.")
    member: Text = Field(description="The column with the member's name.")
    manager: Text | None = Field(None, description="The column with the member's manager (they become supervisors).")
    group: Text | None = Field(None, description="The column with the member's office or group.")


class AccountColumns(Record):
    """The CSV file of accounts: one row per customer."""

    file: Text = Field(description="The CSV file's name in the export folder.")
    name: Text = Field(description="The column with the account's name.")
    industry: Text | None = Field(None, description="The column with the industry.")
    notes: list[Text] = Field(default_factory=list, description="Columns kept in the customer's notes, as 'column: value'.")
    known: dict[str, list[Text]] = Field(default_factory=dict,
                                         description="Per field, the values expected; others are reported with a did-you-mean.")


class ProductColumns(Record):
    """The CSV file of products, which deals' products are checked against."""

    file: Text = Field(description="The CSV file's name in the export folder.")
    name: Text = Field(description="The column with the product's name.")
    price: Text | None = Field(None, description="The column with the list price.")


class ContactColumns(Record):
    """The CSV file of contact people."""

    file: Text = Field(description="The CSV file's name in the export folder.")
    account: Text = Field(description="The column naming the contact's account.")
    name: Text = Field(description="The column with the contact's name.")
    role: Text | None = Field(None, description="The column with the contact's role or title.")
    phone: Text | None = Field(None, description="The column with the phone number.")
    email: Text | None = Field(None, description="The column with the e-mail address.")


class DealColumns(Record):
    """The CSV file of opportunities: won ones become deals, every one a touchpoint in the history."""

    file: Text = Field(description="The CSV file's name in the export folder.")
    id: Text = Field(description="The column with the opportunity's id.")
    member: Text = Field(description="The column with the owner (sales agent).")
    account: Text = Field(description="The column naming the account.")
    stage: Text = Field(description="The column with the stage.")
    product: Text | None = Field(None, description="The column with the product.")
    opened: Text | None = Field(None, description="The column with the date the opportunity was opened.")
    closed: Text | None = Field(None, description="The column with the close date.")
    amount: Text | None = Field(None, description="The column with the amount.")
    won: list[Text] = Field(min_length=1, description="Stages that mean won.")
    lost: list[Text] = Field(default_factory=list, description="Stages that mean lost.")
    open: list[Text] = Field(default_factory=list, description="Stages that mean still open.")


class ImportMapping(Record):
    """A mapping for `sitegen import`: another CRM's CSV export, file by file and column by column."""

    title: Text = Field("Imported team", description="The new team's dashboard title (when the import creates the team).")
    currency: Text = Field("USD", description="The currency of the amounts (when the import creates the team).")
    channel: Id = Field("crm", description="The contact channel imported opportunities are recorded on.")
    date_format: Text = Field("%Y-%m-%d", description="How the export writes dates (Python strptime codes).")
    team: TeamColumns | None = None
    accounts: AccountColumns
    products: ProductColumns | None = None
    contacts: ContactColumns | None = None
    deals: DealColumns | None = None
    values: dict[str, dict[str, Text]] = Field(default_factory=dict,
                                               description="Explicit corrections per field: written value -> value to import.")


REPORT_KINDS: dict[str, type[Record]] = {"daily": Report, "weekly": Report, "monthly": Report, "quarterly": Report,
                "review": Review, "coaching": Coaching}
PLAN_KINDS: dict[str, type[Record]] = {"goal": Goal, "plan": Plan}
