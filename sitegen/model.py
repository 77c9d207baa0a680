"""The records format: one declarative definition per record kind.

These pydantic models are the single source of truth for what a record may contain: validation,
the JSON Schemas editors use (``sitegen schema``) and the documentation test all read them. The
loader hands every scalar over as the text written, so the scalar types below decide, strictly,
what counts as a number, a date or a boolean: ``12k``, ``1,000``, ``inf``, ``2026-02-30`` and
``yes`` are refused with a hint instead of being guessed at. This module imports nothing of ours but the message type (i18n).
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from . import i18n
from .i18n import N_, msg
from .periods import FIRST_DAY, LAST_DAY

# ---------------------------------------------------------------------------------------------
# scalar types


def describe(value: Any) -> i18n.Text:
    """What was written, in words: a mapping, a list, nothing, or the text itself in quotes."""
    if isinstance(value, dict):
        return msg("a mapping")
    if isinstance(value, list):
        return msg("a list")
    if value is None:
        return msg("nothing")
    return msg("'{value}'", value=str(value))


def _fail(message: i18n.Text, hint: i18n.Text = i18n.NO_TEXT) -> PydanticCustomError:
    """A located problem from a field's validator; the message stays a Text until it is shown."""
    return PydanticCustomError("sitegen", "{message}", {"message": message, "hint": hint})


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Limits every record value stays within, so that sums stay finite and calendars computable
#: (docs/records.md, "Limits"). A trillion is far beyond any team's deal; 1900–2100 covers any
#: record a team keeps.
MAX_AMOUNT = 10**12
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def parse_number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise _fail(msg("expected a number, got {found}", found=describe(value)))
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        number = float(text) if any(c in text for c in ".eE") else int(text)
    else:
        hint = msg("write digits only, e.g. 12000")
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"[\d.]+\s*[kK萬万千]", text):
                hint = msg("write the full number, e.g. 12000 — no units; the currency is set in sitegen.yaml")
            elif re.fullmatch(r"[\d,，]+(\.\d+)?", text):
                hint = msg("write the number without thousands separators, e.g. 12000")
            elif re.fullmatch(r"(?i)[+-]?(\.?inf(inity)?|\.?nan)", text):
                hint = msg("infinity and NaN are not amounts; write a finite number")
            elif re.search(r"[０-９]", text):
                hint = msg("full-width digits were typed; switch the input method to half-width")
        raise _fail(msg("expected a number, got {found}", found=describe(value)), hint)
    if isinstance(number, float) and not math.isfinite(number):
        raise _fail(msg("expected a finite number, got {found}", found=describe(value)))
    if number < 0:
        raise _fail(msg("expected a number of zero or more, got {found}", found=describe(value)))
    if number > MAX_AMOUNT:
        raise _fail(msg("{found} is larger than sitegen accepts ({limit:,})", found=describe(value), limit=MAX_AMOUNT),
                    msg("check for extra digits; amounts and counts are at most a trillion"))
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        number = int(number)
    return number


def parse_count(value: Any) -> int:
    number = parse_number(value)
    if not isinstance(number, int):
        raise _fail(msg("expected a whole number, got {found}", found=describe(value)), msg("counts are whole numbers, e.g. 3"))
    return number


def _range_parser(low: int, high: int, what: i18n.Text):
    def parse(value: Any) -> int:
        try:
            number = parse_count(value)
        except PydanticCustomError:
            number = None
        if number is None or not low <= number <= high:
            raise _fail(msg("expected {what} from {low} to {high}, got {found}", what=what, low=low, high=high, found=describe(value)))
        return number
    return parse


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return check_day(value)
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        hint = msg("write dates as YYYY-MM-DD, e.g. 2026-11-05")
        if isinstance(value, str) and re.fullmatch(r"\d{4}[/.]\d{1,2}[/.]\d{1,2}", value.strip()):
            hint = msg("write dates with hyphens: {date}", date="-".join(p.zfill(2) for p in re.split(r"[/.]", value.strip())))
        raise _fail(msg("expected a date (YYYY-MM-DD), got {found}", found=describe(value)), hint)
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(msg("'{value}' is not a real date", value=value), msg("check the month and the day of the month")) from None
    return check_day(day, value)


def check_day(day: date, written: Any = None) -> date:
    """A date within the years records can hold (1900–2100): beyond them is a typing slip."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(msg("{found} is outside the years 1900 to 2100", found=describe(written if written is not None else day.isoformat())),
                    msg("check the year"))
    return day


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _fail(msg("expected true or false, got {found}", found=describe(value)),
                msg("write true or false (yes/no/on/off are not accepted, to avoid surprises)"))


def parse_text(value: Any) -> str:
    if isinstance(value, str):
        control = _CONTROL.search(value)
        if control:  # written as an escape ("\x1b", "\0", "\u2028") the file itself holds none
            raise _fail(msg("control character U+{code:04X} at character {position} of the text", code=ord(control.group()),
                            position=control.start() + 1), msg("remove it: it is invisible, and breaks pages and terminals"))
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _fail(msg("expected text, got {found}", found=describe(value)),
                msg("quote the text if it contains ': ' or starts with a special character") if isinstance(value, dict) else i18n.NO_TEXT)


def parse_timezone(value: Any) -> str:
    """An IANA time zone name that this machine knows (a typo used to mean UTC, silently)."""
    import difflib
    import zoneinfo

    text = parse_text(value).strip()
    try:
        zoneinfo.ZoneInfo(text)
    except (KeyError, ValueError, OSError):
        close = difflib.get_close_matches(text, sorted(zoneinfo.available_timezones()), n=1)
        raise _fail(msg("unknown time zone '{name}'", name=text), msg("did you mean '{name}'?", name=close[0]) if close else
                    msg("write an IANA name, e.g. Asia/Taipei, Asia/Shanghai, Europe/London or UTC")) from None
    return text


def parse_clock(value: Any) -> str:
    """A time of day as HH:MM (a malformed one used to mean 10:00, silently)."""
    text = parse_text(value).strip()
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise _fail(msg("expected a time of day HH:MM from 00:00 to 23:59, got {found}", found=describe(value)), msg("e.g. 10:00 or 09:30"))
    return text


RESERVED_IDS = {"con", "prn", "aux", "nul", "index", "assets", "static", "search", "feed"} | {
    f"{name}{n}" for name in ("com", "lpt") for n in range(10)}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_slug(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(msg("expected an id, got {found}", found=describe(value)))
    if not _SLUG.fullmatch(value) or len(value) > 64:
        from .problems import hidden_characters, reveal

        hidden = hidden_characters(value)
        if hidden:
            position, name = hidden[0]
            raise _fail(msg("'{value}' is not a valid id: character {position} is an invisible {name}", value=reveal(value),
                            position=position, name=name),
                        msg("delete it (it usually comes with copy-and-paste); ids are lowercase letters, digits and hyphens"))
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:64]
        hint = msg("ids use lowercase ASCII letters, digits and single hyphens (they become file names and URLs)")
        if suggestion and _SLUG.fullmatch(suggestion):
            hint = msg("ids use lowercase ASCII letters, digits and single hyphens (they become file names and URLs), e.g. '{id}'",
                       id=suggestion)
        raise _fail(msg("'{value}' is not a valid id", value=value), hint)
    if value in RESERVED_IDS:
        raise _fail(msg("'{value}' is a reserved name and cannot be an id", value=value), msg("add a word, e.g. '{value}-1'", value=value))
    return value


Number = Annotated[float, BeforeValidator(parse_number), Field(ge=0)]
Count = Annotated[int, BeforeValidator(parse_count), Field(ge=0)]
Day = Annotated[date, BeforeValidator(parse_date)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Text = Annotated[str, BeforeValidator(parse_text)]
TimeZone = Annotated[str, BeforeValidator(parse_timezone)]
Clock = Annotated[str, BeforeValidator(parse_clock)]
Id = Annotated[str, BeforeValidator(parse_slug), Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
StarLevel = Annotated[int, BeforeValidator(_range_parser(1, 5, msg("a star level"))), Field(ge=1, le=5)]
Effect = Annotated[int, BeforeValidator(_range_parser(1, 5, msg("an effect score"))), Field(ge=1, le=5)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PersonalField = Literal["phone", "email", "wechat", "line"]
Locale = Literal["en", "zh-Hant", "zh-Hans"]
InOtherLanguages = dict[Locale, Text]  # the same words for the site's other languages: {en: Visit, zh-Hans: 拜访}


class Record(BaseModel):
    """Base of every record part: unknown fields are errors, never silently ignored."""

    # a string right under a field is its description: in the field reference and the editors' schemas
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, use_attribute_docstrings=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_list_means_none(cls, data: Any) -> Any:
        """`touchpoints:` with nothing after it (or only comments) means no touchpoints, as people
        write it when they fill a record in later; other fields left empty stay an error."""
        if isinstance(data, dict):
            empty = [key for key in _list_keys(cls) if key in data and data[key] is None]
            if empty:
                data = {k: v for k, v in data.items() if k not in empty}
        return data

    def model_post_init(self, context: Any, /) -> None:
        """Records given the same fields share one frozen set of their names. Pydantic keeps a set
        per record (216-728 bytes): three fifths of the records' memory, for a question (which
        fields were written?) that nothing here asks of a frozen record."""
        object.__setattr__(self, "__pydantic_fields_set__", _shared_names(frozenset(self.__pydantic_fields_set__)))


@cache
def _list_keys(model: type[Record]) -> tuple[str, ...]:
    """The keys (names and aliases) of a model's fields that default to an empty list or mapping,
    found once per model: asked of every record part, they took a fifth of loading from the cache."""
    return tuple(sorted({key for name, f in model.model_fields.items() if f.default_factory in (list, dict)
                         for key in (name, f.alias or name)}))


@cache
def _shared_names(names: frozenset[str]) -> frozenset[str]:
    """The first set equal to ``names``, kept: every later one is replaced by it."""
    return names


# ---------------------------------------------------------------------------------------------
# sitegen.yaml


class Channel(Record):
    """A contact channel (phone, visit/面談, store/入店, flyer/傳單, wechat, event, …)."""

    id: Id
    """The channel's id, used in reports (`activity:` and touchpoints)."""
    name: Text
    """The channel's name as the site shows it."""
    name_in: InOtherLanguages = Field(default_factory=dict)
    """The name in the site's other languages, e.g. {en: Visit, zh-Hans: 拜访}."""
    daily_target: Count = Field(0, description="Default number of contacts per member per working day.")
    funnel: Literal["contact", "meeting", "other"] = Field(
        "contact", description="Where the channel sits in the funnel: first contacts, or meetings face to face.")


LeadField = Literal["name", "owner", "source", "industry", "address", "created",
                    "contact.name", "contact.role", "contact.phone", "contact.email", "contact.wechat", "contact.line"]
# each lead field in words, for pages and messages (N_: in the catalogs)
LEAD_FIELD_WORDS = {
    "name": N_("customer name"), "owner": N_("owner"), "source": N_("source"), "industry": N_("industry"),
    "address": N_("address"), "created": N_("date created"), "contact.name": N_("contact's name"),
    "contact.role": N_("contact's role"), "contact.phone": N_("contact's phone"), "contact.email": N_("contact's email"),
    "contact.wechat": N_("contact's WeChat"), "contact.line": N_("contact's LINE"),
}
FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
TeamFieldRef = Annotated[str, Field(pattern=r"^fields\.[a-z][a-z0-9_]*$", max_length=71)]


def parse_scalar(value: Any) -> bool | int | float | str:
    """A team-defined field's value: true/false, a number or text — never a list or a mapping.
    (Records' scalars arrive as written: true and false become yes-no values, digits numbers.)"""
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        text = parse_text(value).strip()
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        if _NUMBER.fullmatch(text):
            return parse_number(text)
        return text
    raise _fail(msg("expected true/false, a number or text, got {found}", found=describe(value)),
                msg("a team-defined field holds one value"))


Scalar = Annotated[bool | int | float | str, BeforeValidator(parse_scalar)]


class CustomerField(Record):
    """A fact the team records about its customers beyond sitegen's own fields — a budget confirmed,
    the decision maker met — for its lead standard and star criteria to test."""

    id: FieldName
    """Its key under a customer's `fields:`, e.g. budget_confirmed."""
    name: Text
    """How the site names it, e.g. Budget confirmed."""
    name_in: InOtherLanguages = Field(default_factory=dict)
    """The name in the site's other languages."""
    kind: Literal["yes-no", "number", "text"] = "yes-no"
    """yes-no (true or false), number, or text."""


class LeadStandard(Record):
    """What a record must have to count as a raw lead (客戶原始資料)."""

    description: Text
    """The standard in a sentence, shown on the standards page."""
    description_in: InOtherLanguages = Field(default_factory=dict)
    """The sentence in the site's other languages."""
    required: list[LeadField | TeamFieldRef] = Field(default_factory=list)
    """Fields a lead must have: name, owner, source, industry, address, created, contact.name, contact.role, contact.phone, contact.email, contact.wechat, contact.line, or fields.<id> of a customer_fields entry (true, non-zero or non-empty)."""


class StarCriteria(Record):
    """Machine-checkable criteria for a star level; a declared star that fails them is flagged."""

    expected_close_within_days: Count | None = Field(None, description="Expected close date at most this many days after the as-of date.")
    min_expected_value: Number | None = Field(None, description="Expected close value at least this much.")
    min_touchpoints: Count | None = Field(None, description="At least this many touchpoints in the last `within_days` days.")
    within_days: Count = 30
    """The window, in days before the as-of day, for min_touchpoints."""
    min_deal_total: Number | None = Field(None, description="Closed customers: deals worth at least this much in the last 365 days.")
    max_days_since_deal: Count | None = Field(None, description="Closed customers: last deal at most this many days ago.")
    fields: dict[FieldName, Scalar] = Field(default_factory=dict)
    """Team-defined customer fields the level asks for (customer_fields): a yes-no or text field must
    have this value, a number field at least this one. E.g. {budget_confirmed: true, decision_maker_met: true}."""


class StarDefinition(Record):
    stars: StarLevel
    """The level, 1 to 5."""
    label: Text
    """A short name for the level (本月成交, 重點客戶…)."""
    label_in: InOtherLanguages = Field(default_factory=dict)
    """The short name in the site's other languages."""
    description: Text
    """What a customer at this level is like."""
    description_in: InOtherLanguages = Field(default_factory=dict)
    """The description in the site's other languages."""
    contact_every_days: Count | None = Field(None, description="Contact frequency: a customer at this level must be contacted at least this often.")
    criteria: StarCriteria | None = None
    """Conditions the records must meet for this rating; a rating they contradict is a finding."""


class StarStandards(Record):
    """Star definitions for not-yet-closed (未成交) and closed (已成交) customers."""

    unclosed: list[StarDefinition]
    """The five star levels for customers not yet closed."""
    closed: list[StarDefinition]
    """The five star levels for customers who have bought."""


SignalName = Literal["low_meeting_rate", "low_proposal_rate", "low_close_rate", "low_activity",
                     "overdue_followups", "missed_reports", "late_reports", "low_plan_adherence",
                     "star_contradictions", "closed_churn", "unclosed_churn", "top_customer_lapsed"]


class Capability(Record):
    """A named capability and the signals that point to it (capability management, part 4)."""

    id: Id
    """The capability's id, used in coaching notes."""
    name: Text
    """The capability's name as the site shows it."""
    name_in: InOtherLanguages = Field(default_factory=dict)
    """The name in the site's other languages."""
    description: Text = ""
    """What the capability is about."""
    description_in: InOtherLanguages = Field(default_factory=dict)
    """The description in the site's other languages."""
    signals: list[SignalName]
    """The signals that point at a gap in this capability (low_meeting_rate, overdue_followups…)."""


class Holiday(Record):
    date: Day
    """The day off."""
    name: Text
    """What the day is (國慶日…)."""


class ExtraWorkingDay(Record):
    """A day that is worked although its weekday is not (a make-up day: 補班, 调休上班)."""

    date: Day
    """The day worked."""
    name: Text = ""
    """Why (國慶調休…)."""


class Privacy(Record):
    """How personal data (contact people's phone, email, WeChat, …) appears in the published site."""

    personal_fields: list[PersonalField] = Field(default_factory=lambda: list(get_args(PersonalField)))
    """Contact fields treated as personal data: phone, email, wechat, line."""
    mode: Literal["mask", "omit", "show"] = "mask"
    """mask (0912-***-678), omit, or show them on the site; `build --private` shows all."""


Severity = Literal["error", "warning"]


class CheckSeverities(Record):
    """How seriously `sitegen check` takes each business finding: an error fails check (and so a CI
    check), never the build, which publishes the site with every finding on its problems page."""

    members_sum: Severity = "warning"
    """Members' must shares not adding up to more than the team's must target."""
    stages_cover: Severity = "warning"
    """Stages with gaps or overlaps, or adding up to less than the must target."""
    pipeline_coverage: Severity = "warning"
    """A member's pipeline below pipeline_coverage_floor of their must share."""
    events: Severity = Field("warning", description="Event targets not decomposed to members, or an event past its date that fell short.")
    measures: Severity = "warning"
    """A supplementary measure past its due date and still planned or in progress."""
    star_criteria: Severity = "warning"
    """A star rating the customer's records contradict."""
    lead_standard: Severity = "warning"
    """A lead that does not meet the lead standard."""
    activity_counts: Severity = "warning"
    """A report with more touchpoints on a channel than the contacts it counts on that channel."""
    plan_cadence: Severity = "warning"
    """A member without a current plan at the cadence their role needs (plan_cadence)."""


class ReportRules(Record):
    """When a report counts as late, judged by the time its file was first committed."""

    late_after_days: Count = Field(1, description="A daily report is late when first committed more than this many days after its date.")
    late_after_time: Clock = Field("10:00", description="…at or after this time of day (HH:MM) on that last day.")
    signed: Flag = Field(False, description=(
        "Trust a report's time only when the commit that added it is signed and git verifies the signature "
        "(gpg.ssh.allowedSignersFile, or the GPG keyring): a report added in an unsigned or unverified commit counts as late."))
    periodic: dict[Literal["rep", "supervisor", "manager"], list[Literal["weekly", "monthly", "quarterly", "half-yearly", "yearly"]]] = Field(
        default_factory=dict, description=(
            "The periodic reports each role owes, e.g. {rep: [weekly, monthly]}: one for each week (month…) that has "
            "ended, dated within it, and late by the same rule counted from the period's last day."))


class Recognition(Record):
    """What the site celebrates (激勵), each on the daily meeting page of its day and the member's page."""

    first_deal: Flag = True
    """A member's first deal ever."""
    record_month: Flag = True
    """A member's best goal period yet, in won revenue (with at least two earlier periods to beat)."""
    report_streak: Count = 20
    """Reports filed on this many working days in a row (0: not celebrated)."""
    target_streak: Count = 5
    """Activity at or above target on this many working days in a row (0: not celebrated)."""


class Config(Record):
    """The team configuration: sitegen.yaml at the root of the team's repository."""

    title: Text
    """The dashboard's title, on every page."""
    locale: Locale = "en"
    """The site's language: en, zh-Hant or zh-Hans."""
    locales: list[Locale] = Field(default_factory=list, description="Extra locales the site is also built in (a language switch links them).")
    timezone: TimeZone = Field("UTC", description="The team's time zone (an IANA name): what 'today' is, and when reports are late.")
    currency: Text = "TWD"
    """The currency of every amount (ISO code: TWD, CNY, HKD, USD…)."""
    week_start: Literal["monday", "sunday"] | None = Field(None, description="Not used; accepted so old files still load (a warning says to delete it).")
    working_days: list[Weekday] = Field(default_factory=lambda: list(get_args(Weekday))[:5])
    """Weekdays on which reports are owed: mon … sun."""
    holidays: list[Holiday] = Field(default_factory=list)
    """Days off on working weekdays: no report is owed."""
    extra_working_days: list[ExtraWorkingDay] = Field(default_factory=list)
    """Make-up days worked on a weekend or other day off: reports are owed as on any working day."""
    goal_period: Literal["month", "quarter"] = "month"
    """How long a goal runs: month or quarter."""
    stages: Literal["weeks", "ten-day"] | None = Field(None, description="Not used (a goal's stages are written in the goal); accepted so old files still load, with a warning.")
    channels: list[Channel] = Field(min_length=1)
    """The ways members contact customers, each with a daily target."""
    lead_standard: LeadStandard
    """What a customer record must hold to count as a lead (原始資料)."""
    customer_fields: list[CustomerField] = Field(default_factory=list)
    """The team's own customer fields, for the lead standard and star criteria to test."""
    stars: StarStandards
    """What each star rating means, for customers not yet closed and closed."""
    capabilities: list[Capability] = Field(default_factory=list, description="Empty: the built-in capability model.")
    forecast_weights: list[Number] = Field(
        default_factory=lambda: [0.1, 0.2, 0.4, 0.6, 0.8], min_length=5, max_length=5,
        description="Probability of closing in the period for 1★…5★ not-yet-closed customers, for the forecast.")
    pipeline_coverage_floor: Number = Field(1.0, description="Warn when a member's pipeline covers less than this multiple of their must share.")
    privacy: Privacy = Field(default_factory=Privacy)
    """How contact details appear on the published site."""
    checks: CheckSeverities = Field(default_factory=CheckSeverities)
    """How seriously `sitegen check` takes each business finding."""
    reports: ReportRules = Field(default_factory=ReportRules)
    """When a report counts as late."""
    recognition: Recognition = Field(default_factory=Recognition)
    """What the site celebrates: first deals, record periods, streaks; each may be turned off."""
    plan_cadence: dict[Literal["rep", "supervisor", "manager"], Literal["day", "week", "month", "quarter", "year"]] = Field(
        default_factory=dict, description=(
            "The plan each role keeps current, e.g. {rep: week, supervisor: month} (週計劃日管控, 月計劃週管控): "
            "a member without a plan of that period covering the day is a finding."))


DEFAULT_CAPABILITIES = [  # in English; the pages show them in the reader's language (N_: in the catalogs)
    Capability(id="invitation", name=N_("Invitation"), description=N_("Turning first contacts into meetings."),
               signals=["low_meeting_rate"]),
    Capability(id="closing", name=N_("Closing"), description=N_("Turning meetings and proposals into deals."),
               signals=["low_proposal_rate", "low_close_rate"]),
    Capability(id="planning", name=N_("Planning and time management"), description=N_("Following up on time and working the plan."),
               signals=["overdue_followups", "top_customer_lapsed", "unclosed_churn", "low_plan_adherence", "low_activity"]),
    Capability(id="reporting", name=N_("Reporting discipline"), description=N_("Reporting every working day, on time."),
               signals=["missed_reports", "late_reports"]),
    Capability(id="customer-judgement", name=N_("Customer judgement"),
               description=N_("Rating customers by the team's standards and keeping closed customers."),
               signals=["star_contradictions", "closed_churn"]),
]


def lead_field_word(token: str, config: Config) -> i18n.Text:
    """A lead-standard field as a reader reads it: the built-in ones in words, the team's own
    (``fields.<id>``) by the name the team gave them."""
    if token.startswith("fields."):
        names = {f"fields.{f.id}": f.name for f in config.customer_fields}
        return i18n.verbatim(names.get(token, token.split(".", 1)[1]))
    return i18n.Text(LEAD_FIELD_WORDS.get(token, token))


def capabilities(config: Config) -> list[Capability]:
    """The team's capability model: its own, or the built-in one."""
    return list(config.capabilities) or DEFAULT_CAPABILITIES


# ---------------------------------------------------------------------------------------------
# records/team.yaml


class Group(Record):
    id: Id
    """The group's id, used in members' `group:`."""
    name: Text
    """The group's name as the site shows it."""
    supervisor: Id | None = None
    """The member who supervises the group."""
    reporting: Literal["daily", "half-day"] = "daily"
    """How often the group's members report: daily, or half-day (am and pm)."""


class Member(Record):
    id: Id
    """The member's id, used in every record (owner, member, reviewer…)."""
    name: Text
    """The member's name as the site shows it."""
    role: Literal["rep", "supervisor", "manager"] = "rep"
    """manager, supervisor or rep."""
    group: Id | None = None
    """The group the member belongs to."""
    reports_to: Id | None = None
    """The member this one reports to."""
    joined: Day | None = None
    """The first day the member owes reports."""
    left: Day | None = None
    """The last day the member owes reports."""
    reporting: Literal["daily", "half-day", "none"] | None = Field(None, description="Overrides the group's reporting cadence; 'none' for members who do not file daily reports.")
    targets: dict[str, Count] = Field(default_factory=dict, description="Daily targets per channel id, overriding the channel defaults.")
    working_days: list[Weekday] | None = None
    """A part-timer's own weekdays (e.g. [mon, wed, fri]): reports and targets are owed only on the team's
    working days that fall on them. Empty: the team's calendar."""


class Team(Record):
    groups: list[Group] = Field(default_factory=list)
    """The team's groups, each with a supervisor."""
    members: list[Member] = Field(min_length=1)
    """Everyone on the team: manager, supervisors and reps."""


# ---------------------------------------------------------------------------------------------
# records/customers/<id>.yaml


class Contact(Record):
    name: Text
    """The person's name."""
    role: Text | None = None
    """Their role (owner, buyer, 店長…)."""
    phone: Text | None = None
    """Phone number, kept as written (personal data: masked on the site by default)."""
    email: Text | None = None
    """E-mail address (personal data)."""
    wechat: Text | None = None
    """WeChat id (personal data)."""
    line: Text | None = None
    """LINE id (personal data)."""


class Deal(Record):
    date: Day
    """The day the deal was won."""
    amount: Number
    """Its value, in the team's currency."""
    product: Text | None = None
    """What was sold."""
    member: Id | None = Field(None, description="Who closed it; the customer's owner when absent.")
    note: Text | None = None
    """A remark (an imported deal keeps its CRM id here)."""


class ExpectedClose(Record):
    date: Day
    """The day the deal is expected to close."""
    value: Number
    """Its expected value."""


class PastTouchpoint(Record):
    """A touchpoint from before the team used sitegen (for imports); new ones go in reports."""

    date: Day
    """The day of the contact."""
    member: Id
    """Who made it."""
    channel: Id
    """The channel's id."""
    with_: Text | None = Field(None, alias="with")
    """Whom they met or spoke to."""
    purpose: Text
    """What the contact was for."""
    result: Text | None = None
    """What came of it."""
    effect: Effect | None = None
    """How well it went, 1 to 5."""
    next_contact: Day | None = None
    """When to follow up."""


class Customer(Record):
    name: Text
    """The customer's name as the site shows it."""
    owner: Id
    """The member responsible for the customer."""
    status: Literal["lead", "prospect", "customer", "lost", "dormant"]
    """lead, prospect (not yet closed), customer (closed), lost or dormant."""
    stars: StarLevel | None = None
    """The star rating by the team's standards (needed for prospects and customers)."""
    source: Text | None = None
    """Where the customer came from (referral, fair, walk-in…)."""
    industry: Text | None = None
    """The customer's industry."""
    address: Text | None = None
    """The customer's address."""
    created: Day | None = None
    """The day the customer was entered."""
    status_since: Day | None = None
    """The day the customer took its current status: for a lost or dormant one, the day it was lost or
    went quiet (churn per period counts by it)."""
    expected_close: ExpectedClose | None = None
    """When the next deal is expected, and its value: feeds the forecast."""
    deals: list[Deal] = Field(default_factory=list)
    """Deals won before reports recorded them, or imported."""
    contacts: list[Contact] = Field(default_factory=list)
    """The people to talk to."""
    history: list[PastTouchpoint] = Field(default_factory=list)
    """Touchpoints from before reports recorded them, or imported."""
    tags: list[Text] = Field(default_factory=list)
    """Free labels for filtering."""
    fields: dict[FieldName, Scalar] = Field(default_factory=dict)
    """The team's own customer fields (customer_fields in sitegen.yaml), e.g. {budget_confirmed: true}."""
    notes: Text | None = None
    """Anything else worth knowing."""


# ---------------------------------------------------------------------------------------------
# records/plans/*.yaml: team goals and member plans


class MemberShare(Record):
    member: Id
    """The member."""
    must: Number
    """Their must-achieve share."""
    challenge: Number | None = None
    """Their challenge share (default: their must share)."""
    basis: Literal["history", "self-declared", "customers", "equal-split"] | None = Field(
        None, description="Why this share: history, the member's own figure, the customers behind it. 'equal-split' is flagged.")
    note: Text | None = None
    """How the share was agreed: the notes of the goal conversation."""
    customers: list[Id] = Field(default_factory=list, description="The customers whose expected deals back this share.")
    declared: Number | None = None
    """The member's own figure, given before the goal conversation (先讓成員自己報，再進行調整)."""
    agreed_on: Day | None = None
    """When the share was agreed with the member, in the goal conversation (深入的目標溝通)."""


class Stage(Record):
    name: Text
    """The stage's name (上旬…)."""
    start: Day
    """Its first day."""
    end: Day
    """Its last day."""
    target: Number
    """What the team must have reached by its end, counted within the stage."""


class EventMemberTarget(Record):
    member: Id
    """The member."""
    invitations: Count = 0
    """Their invitations target."""
    attendance: Count = 0
    """Their attendance target."""
    deals: Count = 0
    """Their deals target."""
    amount: Number = 0.0
    """Their revenue target."""


class SalesEvent(Record):
    id: Id
    """The event's id, used in reports' `events:`."""
    name: Text
    """The event's name."""
    date: Day
    """The day of the event."""
    invitations: Count = 0
    """People to invite."""
    attendance: Count = 0
    """People expected to attend."""
    deals: Count = 0
    """Deals expected from it."""
    amount: Number = 0.0
    """Revenue expected from it."""
    members: list[EventMemberTarget] = Field(default_factory=list)
    """Each member's share of those targets."""


class Measure(Record):
    """A supplementary measure (補充措施) that secures the must-achieve goal."""

    what: Text
    """The measure."""
    owner: Id | None = None
    """Who carries it out."""
    due: Day | None = None
    """By when."""
    status: Literal["planned", "in-progress", "done", "dropped"] = "planned"
    """Where it stands."""
    note: Text | None = None
    """Anything else about it."""


class Goal(Record):
    kind: Literal["goal"]
    """Always goal."""
    period: Text = Field(description="The goal period: a month (2026-11) or a quarter (2026-Q4).")
    metric: Literal["revenue", "deals"] = "revenue"
    """What the goal counts: revenue or deals."""
    must: Number
    """The must-achieve target (必達目標)."""
    challenge: Number
    """The challenge target (挑戰目標), at least the must target."""
    measures: list[Measure] = Field(default_factory=list)
    """Supplementary measures that secure the must target (補充措施)."""
    members: list[MemberShare] = Field(default_factory=list)
    """Each member's share of the goal."""
    stages: list[Stage] = Field(default_factory=list)
    """The period's stages (上旬/中旬/下旬, weeks), each with a target."""
    events: list[SalesEvent] = Field(default_factory=list)
    """Sales events of the period, with their funnel targets."""
    note: Text | None = None
    """Anything else about the goal."""


PLAN_MEASURES = ("contacts", "meetings", "proposals", "deals", "revenue")


class PlanTarget(Record):
    what: Text
    """What is counted."""
    value: Number | None = None
    """The target."""
    measure: Id | None = None
    """How the actual is counted from the reports over the plan's days: contacts or meetings (the
    activity on the channels of that funnel step), proposals, deals, revenue, or a channel's id."""


class PlanItem(Record):
    id: Id
    """The item's id, used in reports' `progress:`."""
    what: Text
    """What will be done."""
    due: Day | None = None
    """By when (default: the plan's end)."""
    customer: Id | None = None
    """The customer it concerns."""
    expected: Text | None = None
    """The expected outcome."""


class PlanRevision(Record):
    """A change to a plan after it was agreed (git keeps every version too; the plan's page shows both)."""

    date: Day
    """When it was changed."""
    change: Text
    """What changed."""
    reason: Text | None = None
    """Why."""


class Plan(Record):
    kind: Literal["plan"]
    """Always plan."""
    member: Id
    """Whose plan it is."""
    period: Literal["day", "week", "month", "quarter", "year"]
    """day, week, month, quarter or year."""
    start: Day
    """Its first day."""
    end: Day
    """Its last day."""
    targets: list[PlanTarget] = Field(default_factory=list)
    """Outcome targets (面談 12, 成交金額 80,000…)."""
    activity: dict[str, Count] = Field(default_factory=dict, description=(
        "Daily activity targets per channel id while this plan runs, overriding the member's and the channel's "
        "(the shortest plan covering a day wins)."))
    items: list[PlanItem] = Field(default_factory=list)
    """What the member will do, each with an id reports refer to."""
    revisions: list[PlanRevision] = Field(default_factory=list)
    """How the plan was adjusted after it was agreed (需要做調整), each with its date and reason."""
    note: Text | None = None
    """Anything else about the plan."""


# ---------------------------------------------------------------------------------------------
# records/reports/**/*.md: front matter of reports, reviews and coaching notes


class Touchpoint(Record):
    customer: Id
    """The customer's id."""
    channel: Id
    """The channel's id."""
    with_: Text | None = Field(None, alias="with")
    """Whom they met or spoke to."""
    purpose: Text
    """What the contact was for."""
    result: Text | None = None
    """What came of it."""
    effect: Effect | None = None
    """How well it went, 1 to 5."""
    proposal: Flag = Field(False, description="A proposal or quotation was made (the funnel's third step).")
    next_contact: Day | None = None
    """When to follow up."""


class ReportDeal(Record):
    customer: Id
    """The customer's id."""
    amount: Number
    """The deal's value."""
    product: Text | None = None
    """What was sold."""


class PlanProgress(Record):
    plan: Id
    """The plan's id."""
    item: Id
    """The item's id in that plan."""
    status: Literal["done", "partial", "not-done", "rescheduled"]
    """done, partial, not-done, or rescheduled (to new_due, with a reason)."""
    new_due: Day | None = Field(None, description="For a rescheduled item: its new date, after the report's date.")
    reason: Text | None = Field(None, description="Why not done, or why rescheduled (required unless done).")
    note: Text | None = None
    """Why, when it is not done."""


class PlannedContact(Record):
    customer: Id | None = None
    """The customer's id."""
    channel: Id
    """The channel's id."""
    purpose: Text
    """What the contact is for."""
    with_: Text | None = Field(None, alias="with")
    """Whom to meet or call."""


class EventActual(Record):
    event: Id
    """The event's id."""
    invited: Count = 0
    """People invited."""
    attended: Count = 0
    """People who came."""
    deals: Count = 0
    """Deals won."""
    amount: Number = 0.0
    """Revenue won."""


class Answer(Record):
    """An answer to a request for help made in a report (給支持)."""

    report: Id
    """The report that asked: its id, the file name without `.md` (e.g. 2026-11-26-amy)."""
    answer: Text
    """What was answered, decided or done."""


class Report(Record):
    kind: Literal["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"] = "daily"
    """daily (the default), weekly, monthly, quarterly, half-yearly or yearly: every cadence the method asks for."""
    member: Id
    """Who reports."""
    date: Day = Field(description="The day reported on; for weekly and longer reports, the period's last day.")
    half: Literal["am", "pm"] | None = None
    """am or pm, for half-day reporting."""
    activity: dict[str, Count] = Field(default_factory=dict, description="Contacts made per channel id.")
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    """Each contact made, with its result."""
    deals: list[ReportDeal] = Field(default_factory=list)
    """Deals won that day."""
    progress: list[PlanProgress] = Field(default_factory=list)
    """Progress on plan items."""
    tomorrow: list[PlannedContact] = Field(default_factory=list)
    """Contacts planned for the next working day."""
    events: list[EventActual] = Field(default_factory=list)
    """What an event brought: invited, attended, deals, amount."""
    help: Text | None = Field(None, description="Problems raised and help asked for.")
    answers: list[Answer] = Field(default_factory=list)
    """Answers to other reports' requests for help (a supervisor's report answers the team's)."""


class Review(Record):
    """A periodic or spot check (抽查) of a member's work, with findings and feedback."""

    kind: Literal["review"]
    """Always review."""
    member: Id
    """Whose work was reviewed."""
    reviewer: Id
    """Who reviewed it."""
    date: Day
    """The day of the review."""
    type: Literal["periodic", "spot"]
    """periodic or spot (抽查)."""
    findings: list[Text] = Field(default_factory=list)
    """What the review found."""
    feedback: Text
    """What the member was told."""
    answers: list[Answer] = Field(default_factory=list)
    """Answers given in the review to the member's requests for help."""


class Coaching(Record):
    """One-to-one coaching or group training on named capabilities."""

    kind: Literal["coaching"]
    """Always coaching."""
    coach: Id
    """Who coached."""
    members: list[Id] = Field(min_length=1)
    """Who was coached."""
    date: Day
    """The day of the coaching."""
    format: Literal["one-to-one", "group"]
    """one-to-one or group."""
    capabilities: list[Id] = Field(min_length=1)
    """The capabilities worked on (ids from the capability model)."""
    agreed_actions: list[Text] = Field(default_factory=list)
    """What the members agreed to do."""
    follow_up: Day | None = None
    """When to check the effect."""
    answers: list[Answer] = Field(default_factory=list)
    """Answers given in the coaching to the members' requests for help."""


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
    """Always import."""
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
    """The sales team's file and columns."""
    accounts: AccountColumns
    """The accounts' file and columns."""
    products: ProductColumns | None = None
    """The products' file and columns."""
    contacts: ContactColumns | None = None
    """The contacts' file and columns."""
    deals: DealColumns | None = None
    """The opportunities' file and columns."""
    values: dict[str, dict[str, Text]] = Field(default_factory=dict,
                                               description="Explicit corrections per field: written value -> value to import.")


REPORT_KINDS: dict[str, type[Record]] = {**{kind: Report for kind in get_args(Report.model_fields["kind"].annotation)},
                "review": Review, "coaching": Coaching}
PLAN_KINDS: dict[str, type[Record]] = {"goal": Goal, "plan": Plan}
