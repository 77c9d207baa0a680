"""The metrics a watch keeps between saves (metrics.ledger) against a full recomputation: after
each of many random edits, the metrics computed with what was kept equal, field for field, those
computed from nothing — and only what the edit touched was made again."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from sitegen.build import validate
from sitegen.demo import write_demo_team
from sitegen.metrics import Metrics
from sitegen.metrics.ledger import MetricsMemo

AS_OF = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo_team(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ledger") / "team"
    write_demo_team(root, members=4, days=20, seed=11, end=AS_OF, locale="en")
    return root


def reports(root: Path) -> list[Path]:
    return sorted(root.glob("records/reports/**/*.md"))


def daily(root: Path) -> list[Path]:
    return [p for p in reports(root) if not re.search(r"^kind:", p.read_text(encoding="utf-8"), re.M)]


def replace_first(path: Path, pattern: str, new, rng: random.Random) -> bool:
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(pattern, text, re.M))
    if not found:
        return False
    match = rng.choice(found)
    path.write_text(text[:match.start()] + new(match) + text[match.end():], encoding="utf-8")
    return True


def member_ids(root: Path) -> list[str]:
    text = (root / "records/team.yaml").read_text(encoding="utf-8")
    return re.findall(r"^- id: (\S+)\n(?:  (?!reporting: none).*\n)*?  role: (?:rep|supervisor)", text, re.M)


KINDS = ("count", "date", "member", "delete", "add", "touchpoint", "proposal", "deal",
         "plan target", "member target", "channel target", "holiday", "reporting")


def an_edit(root: Path, rng: random.Random, kind: str) -> str:
    """One random edit of a kind that reaches the members' days or the reports' facts."""
    files = daily(root)
    report = rng.choice(files)
    if kind == "count":
        replace_first(report, r"^  (phone|line|visit): \d+$", lambda m: f"  {m.group(1)}: {rng.randint(0, 40)}", rng)
    elif kind == "date":  # another day of the same month, possibly one nobody reported on
        replace_first(report, r"^date: 2026-11-\d\d$", lambda m: f"date: 2026-11-{rng.randint(2, 27):02d}", rng)
    elif kind == "member":
        replace_first(report, r"^member: \S+$", lambda m: f"member: {rng.choice(member_ids(root))}", rng)
    elif kind == "delete":
        report.unlink()
    elif kind == "add":
        copy = report.with_name(f"2026-11-{rng.randint(2, 27):02d}-added-{rng.randint(0, 10**6)}.md")
        text = report.read_text(encoding="utf-8")
        copy.write_text(re.sub(r"^date: \S+$", f"date: {copy.name[:10]}", text, count=1, flags=re.M), encoding="utf-8")
    elif kind == "touchpoint":
        customers = sorted(p.stem for p in root.glob("records/customers/*.yaml"))
        replace_first(report, r"^- customer: \S+$", lambda m: f"- customer: {rng.choice(customers)}", rng)
    elif kind == "proposal":
        replace_first(report, r"^  channel: \S+$", lambda m: f"{m.group(0)}\n  proposal: true", rng)
    elif kind == "deal":
        customers = sorted(p.stem for p in root.glob("records/customers/*.yaml"))
        text = report.read_text(encoding="utf-8")
        if "\ndeals:" not in text:
            head, _, body = text.partition("\n---\n")
            report.write_text(f"{head}\ndeals:\n- customer: {rng.choice(customers)}\n  amount: {rng.randint(1, 9) * 1000}\n---\n{body}",
                              encoding="utf-8")
    elif kind == "plan target":
        plan = rng.choice(sorted(root.glob("records/plans/**/*-week.yaml")))
        text = plan.read_text(encoding="utf-8")
        plan.write_text(re.sub(r"\nactivity:\n  phone: \d+\n", "\n", text) + f"activity:\n  phone: {rng.randint(5, 40)}\n",
                        encoding="utf-8")
    elif kind == "member target":
        team = root / "records/team.yaml"
        team.write_text(re.sub(r"\n  targets:\n    line: \d+", "", team.read_text(encoding="utf-8")), encoding="utf-8")
        replace_first(team, r"^  group: \S+$", lambda m: f"{m.group(0)}\n  targets:\n    line: {rng.randint(1, 30)}", rng)
    elif kind == "channel target":
        replace_first(root / "sitegen.yaml", r"^  daily_target: \d+$", lambda m: f"  daily_target: {rng.randint(0, 30)}", rng)
    elif kind == "holiday":
        replace_first(root / "sitegen.yaml", r"^holidays:$", lambda m: f"holidays:\n- date: 2026-11-{rng.randint(2, 27):02d}\n  name: Day off", rng)
    else:
        replace_first(root / "records/team.yaml", r"^  reporting: daily$", lambda m: "  reporting: half-day", rng)
    return kind


def test_metrics_kept_between_saves_equal_a_full_recomputation(demo_team, tmp_path):
    root = tmp_path / "team"
    shutil.copytree(demo_team, root)
    memory: dict = {}  # the watch's parsed files: an unchanged report is the same object next time
    memo = MetricsMemo()
    first = validate(root, AS_OF, cache=True, memory=memory, kept=memo).team_records
    assert first is not None
    days_in_full = memo.made["days"]
    assert days_in_full >= 60 and memo.made["reports"] == sum(1 for r in first.reports.values() if r.date <= AS_OF)
    rng = random.Random(2026)
    kinds = []
    reused_days = 0
    order = rng.sample(KINDS, len(KINDS)) + [rng.choice(("count",) * 4 + KINDS) for _ in range(30)]  # each kind, then at random
    for step, kind in enumerate(order):
        kinds.append(an_edit(root, rng, kind))
        made_before = memo.made["days"]
        kept = validate(root, AS_OF, cache=True, memory=memory, kept=memo)
        fresh = validate(root, AS_OF)
        # an edit may leave an error (two reports of a member on a day): metrics are computed all the same
        assert kept.problems == fresh.problems, (step, kinds[-1])
        assert isinstance(kept.metrics, Metrics) and isinstance(fresh.metrics, Metrics)
        for name in Metrics.__dataclass_fields__:
            assert getattr(kept.metrics, name) == getattr(fresh.metrics, name), (step, kinds[-1], name)
        made = memo.made["days"] - made_before
        if kinds[-1] in ("count", "touchpoint", "proposal", "deal"):  # one report changed: its member's day, no other
            assert made <= 1, (step, kinds[-1], made)
            reused_days += days_in_full - made
    assert reused_days > 0


def test_a_report_edit_makes_only_that_report_and_that_day_again(demo_team, tmp_path):
    root = tmp_path / "team"
    shutil.copytree(demo_team, root)
    memory: dict = {}
    memo = MetricsMemo()
    validate(root, AS_OF, cache=True, memory=memory, kept=memo)
    before = dict(memo.made)
    report = daily(root)[5]
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"^  phone: \d+$", "  phone: 99", text, count=1, flags=re.M), encoding="utf-8")
    kept = validate(root, AS_OF, cache=True, memory=memory, kept=memo).metrics
    assert memo.made == {"reports": before["reports"] + 1, "days": before["days"] + 1}
    fresh = validate(root, AS_OF).metrics
    assert kept == fresh
    member, day = re.search(r"^member: (\S+)$", text, re.M).group(1), date.fromisoformat(report.name[:10])  # type: ignore[union-attr]
    row = next(r for r in fresh.action.meetings[day] if r.member == member)  # type: ignore[union-attr]
    assert row.actual["phone"] == 99


def test_a_change_to_the_calendar_or_targets_makes_every_day_again(demo_team, tmp_path):
    root = tmp_path / "team"
    shutil.copytree(demo_team, root)
    memory: dict = {}
    memo = MetricsMemo()
    first = validate(root, AS_OF, cache=True, memory=memory, kept=memo).team_records
    assert first is not None
    full, facts = memo.made["days"], memo.made["reports"]
    config = root / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("daily_target: 20", "daily_target: 21", 1), encoding="utf-8")
    kept = validate(root, AS_OF, cache=True, memory=memory, kept=memo).metrics
    assert memo.made["days"] == 2 * full and memo.made["reports"] == facts  # the reports' facts were kept
    assert kept == validate(root, AS_OF).metrics
