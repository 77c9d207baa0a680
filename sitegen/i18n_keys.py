"""The ids the pages show as words: statuses, kinds, roles, signals, criteria from the records format.

Pages translate them with ``_(value)``; marked here with ``N_`` so ``pybabel extract`` puts them in
the catalogs, and English gets words for them too (``en.po``: "not-done" reads "not done").
``tests/test_i18n.py`` keeps this list in step with the model's literal values.
"""

from .i18n import N_

DYNAMIC_MESSAGES = (
    N_("am"), N_("closed_churn"), N_("contact"), N_("customer"), N_("customers"), N_("daily"), N_("day"), N_("done"),
    N_("done-late"), N_("dormant"), N_("dropped"), N_("equal-split"), N_("expected_close_within_days"), N_("group"),
    N_("half-yearly"), N_("history"), N_("in-progress"), N_("late"), N_("late_reports"), N_("lead"), N_("lost"), N_("low_activity"),
    N_("low_close_rate"), N_("low_meeting_rate"), N_("low_plan_adherence"), N_("low_proposal_rate"), N_("manager"),
    N_("max_days_since_deal"), N_("meeting"), N_("min_deal_total"), N_("min_expected_value"), N_("min_touchpoints"),
    N_("missed_reports"), N_("month"), N_("monthly"), N_("not-done"), N_("on-time"), N_("one-to-one"), N_("open"), N_("other"),
    N_("overdue"), N_("overdue_followups"), N_("capacity"), N_("stretch"), N_("pipeline"), N_("new-customer"), N_("stars"),
    N_("status"), N_("close-slipped"), N_("new-deal"), N_("new-plan"), N_("plan-changed"), N_("new-goal"),
    N_("goal-changed"), N_("partial"), N_("periodic"), N_("planned"), N_("pm"), N_("prospect"),
    N_("quarter"), N_("quarterly"), N_("rep"), N_("rescheduled"), N_("self-declared"), N_("spot"), N_("star_contradictions"),
    N_("supervisor"), N_("top_customer_lapsed"), N_("unclosed_churn"), N_("week"), N_("weekly"), N_("year"),
    N_("yearly"),
)
