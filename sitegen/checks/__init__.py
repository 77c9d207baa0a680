"""The rules, in one place: checks on records (``records``: what makes a record unusable) and
business findings on the metrics (``findings``: what the method asks, never blocking a build)."""

from .findings import check_findings
from .records import check_records

__all__ = ["check_findings", "check_records"]
