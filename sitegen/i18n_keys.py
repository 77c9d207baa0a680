"""Values that templates translate with ``_(value)``: enums and names from the records format.

Listed here so the message catalogs cover them (tools/update_translations.py reads this list and
refuses to write catalogs while one of them has no translation, in Chinese or in English words).
"""

from typing import get_args

from . import model

DYNAMIC_MESSAGES = sorted(
    set(get_args(model.Customer.model_fields["status"].annotation))
    | {"done", "done-late", "partial", "not-done", "open", "overdue"}
    | set(get_args(model.Measure.model_fields["status"].annotation))
    | set(get_args(model.Plan.model_fields["period"].annotation))
    | set(get_args(model.Report.model_fields["kind"].annotation)) | {"am", "pm"}
    | set(get_args(model.Member.model_fields["role"].annotation))
    | {"periodic", "spot", "one-to-one", "group"}
    | {"history", "self-declared", "customers", "equal-split"}
    | {"contact", "meeting", "other"}
    | {"expected_close_within_days", "min_expected_value", "min_touchpoints", "min_deal_total", "max_days_since_deal"}
    | set(get_args(model.SignalName))
    | {"%(num)s deal", "%(num)s deals"}  # ngettext's two forms
)
