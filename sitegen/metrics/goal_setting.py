"""Setting the next period's goal (充分盤點分析): for each member, what past periods brought in, what
the pipeline promises for the next period, and what activity at target could bring; from these a
suggested must-achieve and challenge figure, with the figure that set each.

The rule, in one place:
- history: the median of the member's won revenue over the last three goal periods that are over
  and that the records cover whole (begun on or after the team's first daily report): a period
  before the team kept records is not a period of zero sales;
- pipeline: not-yet-closed customers expected to close in the next period, their expected value
  weighted by stars (``forecast_weights``, as the forecast weighs them);
- capacity: revenue per meeting over the last 90 days × the member's daily meeting target (the
  meeting channels' targets) × the next period's working days — what the activity the method asks
  for would bring at the member's own conversion;
- suggested must-achieve: the higher of history and weighted pipeline, rounded up to 10,000;
  challenge: 1.2 × must, or more where activity at target could bring more — up to 1.5 × must (a
  few lucky meetings make a conversion no one should plan a period on); rounded up alike.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import timedelta

from ..periods import Period, period_containing
from ..records import TeamRecords
from .customers import CustomerMetrics
from .facts import Facts
from .goals import counted

HISTORY_PERIODS = 3
CONVERSION_DAYS = 90
CHALLENGE_STRETCH = 1.2
CHALLENGE_CAP = 1.5
ROUND_TO = 10_000


@dataclass(frozen=True)
class GoalSuggestion:
    member: str
    past: tuple[float, ...]  # won revenue in each of the periods over, oldest first (GoalSetting.past)
    history: float  # their median
    pipeline: float  # expected value of customers expected to close next period, unweighted
    weighted: float  # the same, weighted by stars
    by_star: tuple[int, ...]  # how many of those customers have 1★ … 5★
    capacity: float | None  # None without meetings in the last 90 days to judge conversion by
    must: float
    challenge: float
    must_from: str  # history | pipeline
    challenge_from: str  # stretch | capacity


@dataclass(frozen=True)
class GoalSetting:
    period: Period  # the period the goal is being set for
    past: tuple[Period, ...]  # the periods over whose results are the history, oldest first
    members: tuple[GoalSuggestion, ...]


def _round_up(value: float) -> float:
    return float(math.ceil(value / ROUND_TO) * ROUND_TO) if value > 0 else 0.0


def compute_goal_setting(records: TeamRecords, facts: Facts, customers: CustomerMetrics, current: Period) -> GoalSetting:
    kind = records.config.goal_period
    following = period_containing(current.end + timedelta(days=1), kind)
    first = min((day for (_, day) in facts.daily_reports), default=current.start)
    past: list[Period] = []
    start = current.start
    while len(past) < HISTORY_PERIODS:
        start = period_containing(start - timedelta(days=1), kind).start
        if start < first:
            break
        past.insert(0, period_containing(start, kind))
    weights = records.config.forecast_weights
    working_next = len(facts.calendar.working_days(following.start, following.end))
    meeting_channels = [c.id for c in records.config.channels if c.funnel == "meeting"]
    window_start = facts.as_of - timedelta(days=CONVERSION_DAYS - 1)
    suggestions = []
    for member in sorted(records.team.members, key=lambda m: m.id):
        if member.id not in facts.reporting_members or (member.left and member.left < facts.as_of):
            continue
        won = tuple(counted(records, facts, member.id, p.start, p.end, "revenue") or 0.0 for p in past)
        history = float(statistics.median(won)) if won else 0.0
        expected = [(records.customers[s.id].expected_close, s.stars or 1) for s in customers.customers.values()
                    if s.owner == member.id and s.category == "unclosed"]
        closing = [(close.value, stars) for close, stars in expected if close is not None and close.date in following]
        pipeline = float(sum(value for value, _ in closing))
        weighted = float(sum(value * weights[stars - 1] for value, stars in closing))
        by_star = tuple(sum(1 for _, stars in closing if stars == n) for n in range(1, 6))
        meetings = counted(records, facts, member.id, window_start, facts.as_of, "meetings") or 0.0
        revenue = counted(records, facts, member.id, window_start, facts.as_of, "revenue") or 0.0
        daily_meetings = sum(facts.target(member.id, c, following.start) for c in meeting_channels)
        capacity = revenue / meetings * daily_meetings * working_next if meetings else None
        must = _round_up(max(history, weighted))
        stretch = _round_up(must * CHALLENGE_STRETCH)
        reach = _round_up(min(capacity, must * CHALLENGE_CAP)) if capacity is not None else 0.0
        suggestions.append(GoalSuggestion(member.id, won, history, pipeline, weighted, by_star, capacity, must, max(stretch, reach),
                                          "history" if history >= weighted else "pipeline",
                                          "capacity" if reach > stretch else "stretch"))
    return GoalSetting(following, tuple(past), tuple(suggestions))
