"""Support (給支持): requests for help, their owners and answers, hand-computed on the minimal team."""

from __future__ import annotations

from datetime import date

from metrics.test_metrics import AS_OF, metrics_of

from conftest import write
from sitegen.build import validate


def _ask(root, day: str, member: str, help_text: str, extra: str = "") -> None:
    write(root, f"records/reports/2026/11/{day}-{member}.md", f"---\nmember: {member}\ndate: {day}\nhelp: {help_text}\n{extra}---\n")


def test_a_request_is_owned_by_the_supervisor_and_answered_by_a_later_record(minimal_team):
    _ask(minimal_team, "2026-11-10", "bob", "need a demo unit")
    _ask(minimal_team, "2026-11-12", "bob", "price approval")
    _ask(minimal_team, "2026-11-13", "bob", "asked on the 13th")
    # amy answers the first the next working day, in her own report; the third after the as-of day (not yet)
    write(minimal_team, "records/reports/2026/11/2026-11-11-amy.md",
          "---\nmember: amy\ndate: 2026-11-11\nanswers:\n  - {report: 2026-11-10-bob, answer: take mine on Thursday}\n---\n")
    write(minimal_team, "records/reports/2026/11/2026-11-24-amy.md",
          "---\nmember: amy\ndate: 2026-11-24\nanswers:\n  - {report: 2026-11-13-bob, answer: approved}\n---\n")
    m, problems = metrics_of(minimal_team)
    by_report = {h.report: h for h in m.support}
    assert [h.report for h in m.support] == ["2026-11-13-bob", "2026-11-12-bob", "2026-11-10-bob"]  # newest first
    first = by_report["2026-11-10-bob"]
    assert (first.owner, first.answered_on, first.answered_by, first.answered_in, first.answer) == (
        "amy", date(2026, 11, 11), "amy", "2026-11-11-amy", "take mine on Thursday")
    assert first.days_open(AS_OF) == 1 and not first.is_open
    assert by_report["2026-11-12-bob"].is_open and by_report["2026-11-12-bob"].days_open(AS_OF) == 8
    assert by_report["2026-11-13-bob"].is_open  # answered on the 24th: after the as-of day
    assert [p for p in problems if "answers" in p.field] == []


def test_a_review_answers_too(minimal_team):
    _ask(minimal_team, "2026-11-10", "bob", "need a demo unit")
    write(minimal_team, "records/reports/2026/11/2026-11-14-bob-review.md",
          "---\nkind: review\nmember: bob\nreviewer: amy\ndate: 2026-11-14\ntype: spot\nfeedback: ok\nanswers:\n"
          "  - {report: 2026-11-10-bob, answer: use the shop's unit}\n---\n")
    m, _ = metrics_of(minimal_team)
    [request] = m.support
    assert (request.answered_on, request.answered_in, request.answered_by, request.days_open(AS_OF)) == (
        date(2026, 11, 14), "2026-11-14-bob-review", "amy", 4)


def test_an_answer_must_name_a_report_that_asked(minimal_team):
    _ask(minimal_team, "2026-11-10", "bob", "need a demo unit")
    write(minimal_team, "records/reports/2026/11/2026-11-11-amy.md",
          "---\nmember: amy\ndate: 2026-11-11\nanswers:\n  - {report: 2026-11-03-bob, answer: x}\n"
          "  - {report: 2026-11-99-bob, answer: y}\n  - {report: nothing-like-it, answer: z}\n---\n")
    result = validate(minimal_team, AS_OF)
    found = [(p.line, p.severity, p.field, str(p.message), str(p.hint)) for p in result.problems if p.field.startswith("answers")]
    assert found == [
        (5, "warning", "answers[0].report", "report '2026-11-03-bob' asks for no help", "answer the report that has a help: line"),
        (6, "error", "answers[1].report", "unknown report '2026-11-99-bob'", "did you mean '2026-11-10-bob'?"),
        (7, "error", "answers[2].report", "unknown report 'nothing-like-it'",
         "name the report by its file name without .md, e.g. 2026-11-26-amy"),
    ]


def test_requests_open_on_each_day_counted_in_one_pass_as_one_by_one():
    """metrics.support.open_on: asked before the day, not answered by it — the same counts as
    checking each request on each day, whatever the order of asking and answering."""
    import random
    from datetime import timedelta

    from sitegen.metrics.support import HelpRequest, open_on

    rng = random.Random(4)
    start = date(2026, 10, 1)
    for _ in range(200):
        days = sorted({start + timedelta(days=rng.randint(0, 40)) for _ in range(rng.randint(0, 12))})
        requests = []
        for i in range(rng.randint(0, 8)):
            asked = start + timedelta(days=rng.randint(0, 40))
            answered = asked + timedelta(days=rng.randint(-2, 10)) if rng.random() < 0.7 else None  # even before: as written
            requests.append(HelpRequest(f"r{i}", "amy", asked, "help", None, answered))
        assert open_on(requests, days) == {
            d: sum(1 for h in requests if h.asked_on < d and (h.answered_on is None or h.answered_on > d)) for d in days}
