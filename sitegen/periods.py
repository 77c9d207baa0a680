"""Calendar arithmetic the method needs: goal periods, their stages, and working days."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TEN_DAY_NAMES = ("上旬", "中旬", "下旬")


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11" or "2026-Q4": also the page's file name
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years records can hold (docs/records.md, "Limits")
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def parse_period(text: str) -> Period | None:
    """A month ("2026-11") or a quarter ("2026-Q4") within the years records can hold; else None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if match and not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        return None
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        return None
    match = re.fullmatch(r"(\d{4})-Q([1-4])", text.strip())
    if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        year, quarter = int(match[1]), int(match[2])
        first = 3 * (quarter - 1) + 1
        return Period(f"{year:04d}-Q{quarter}", date(year, first, 1),
                      date(year, first + 2, calendar.monthrange(year, first + 2)[1]))
    return None


def period_containing(day: date, goal_period: str) -> Period:
    if goal_period == "quarter":
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")  # type: ignore[return-value]
    return parse_period(f"{day.year}-{day.month:02d}")  # type: ignore[return-value]


def default_stages(period: Period, kind: str, week_start: str = "monday") -> list[tuple[str, date, date]]:
    """Ten-day stages (上旬/中旬/下旬) per month, or weeks cut at the team's week start."""
    stages = []
    if kind == "ten-day":
        month_start = period.start
        while month_start <= period.end:
            last = date(month_start.year, month_start.month, calendar.monthrange(month_start.year, month_start.month)[1])
            bounds = [(1, 10), (11, 20), (21, last.day)]
            prefix = f"{month_start.month}月" if period.start.month != period.end.month else ""
            for name, (first_day, last_day) in zip(TEN_DAY_NAMES, bounds, strict=True):
                stages.append((prefix + name, month_start.replace(day=first_day), month_start.replace(day=last_day)))
            month_start = last + timedelta(days=1)
        return stages
    first_weekday = 0 if week_start == "monday" else 6
    start = period.start
    number = 1
    while start <= period.end:
        end = start
        while end < period.end and (end + timedelta(days=1)).weekday() != first_weekday:
            end += timedelta(days=1)
        stages.append((f"W{number}", start, end))
        start, number = end + timedelta(days=1), number + 1
    return stages


class WorkCalendar:
    """Which days are working days for the team: the configured weekdays, less holidays, plus
    make-up days (a Saturday worked in exchange for a holiday, as mainland China's calendar has)."""

    def __init__(self, working_days: list[str], holidays: set[date], extra_days: set[date] | None = None) -> None:
        self.weekdays = {WEEKDAYS.index(d) for d in working_days}
        self.holidays = holidays
        self.extra_days = extra_days or set()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkCalendar) and (self.weekdays, self.holidays, self.extra_days) == (
            other.weekdays, other.holidays, other.extra_days)

    __hash__ = None  # type: ignore[assignment]  # mutable sets inside: equal by value, not hashable

    def is_working_day(self, day: date) -> bool:
        return day in self.extra_days or (day.weekday() in self.weekdays and day not in self.holidays)

    def working_days(self, start: date, end: date) -> list[date]:
        days = []
        day = start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days


# a periodic report's kind for each period it covers (sitegen new report --period week writes a weekly one)
REPORT_CADENCES = {"week": "weekly", "month": "monthly", "quarter": "quarterly", "half-year": "half-yearly", "year": "yearly"}


def report_period(cadence: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday), month, quarter, half-year or year a periodic report covers."""
    if cadence == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}[cadence]
    first = (day.month - 1) // months * months + 1
    last = first + months - 1
    return date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1])


def forecast_days(first: date, as_of: date, goal_period: str) -> list[date]:
    """The days the forecast is looked back on: in every goal period over by the as-of day (from the
    one holding ``first``), its first day and each week after it."""
    days = []
    period = period_containing(first, goal_period)
    while period.end < as_of:
        day = period.start
        while day < period.end:
            days.append(day)
            day += timedelta(days=7)
        period = period_containing(period.end + timedelta(days=1), goal_period)
    return days
