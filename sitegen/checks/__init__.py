"""The rules, in one place: checks on records (``records``: what makes a record unusable) and
business findings on the metrics (``findings``: what the method asks, never blocking a build)."""

from __future__ import annotations

from ..problems import Problem
from ..records import TeamRecords
from .findings import check_findings, report_counts
from .records import Reporter, body_too_deep, check_answers, check_records, check_report, known_to_reports, report_ties


def report_problems(records: TeamRecords, rid: str) -> list[Problem]:
    """What the checks and findings say of one report: its references, file name, fields,
    contact counts, body and answers. When no other record changed since a build without errors
    and the report keeps its ``report_ties``, these are all the problems the whole build locates
    in its file (the one check left out, a second report of the same day, is an error, and ties
    the report to another). The watch writes a saved report's page from them before the whole
    build (text_edits.show_saved_report)."""
    r = Reporter(records)
    report = records.reports[rid]
    check_report(records, r, known_to_reports(records), rid, report)
    check_answers(records, r, "report", rid, report.answers)
    report_counts(records, r, rid, report)
    body = records.bodies.get(rid)
    too_deep = body_too_deep(records, rid, body) if body is not None else None
    return r.problems + ([too_deep] if too_deep else [])


__all__ = ["check_findings", "check_records", "report_problems", "report_ties"]
