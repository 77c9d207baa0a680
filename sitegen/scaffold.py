"""Creating files for people: ``sitegen init`` (a new team repository) and ``sitegen new`` (one
record, pre-filled from what the records already say).

Record templates live in ``templates/new/`` and can be overridden by the team's own
``templates/new/`` like every other template. Nothing here ever overwrites an existing file.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from . import __version__
from .i18n import Text, language, msg
from .periods import REPORT_CADENCES, report_period
from .resources import builtin_templates

LOCALES = ("en", "zh-Hant", "zh-Hans")


class ScaffoldError(Exception):
    """A request that cannot be carried out (a file exists, a member is unknown): shown as is,
    in the reader's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def _environment(root: Path, locale: str) -> jinja2.Environment:
    search = [str(root / "templates")] if (root / "templates").is_dir() else []
    search.append(str(builtin_templates()))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(search), autoescape=False, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["_"] = language(locale)
    # every value typed by a person goes into YAML as a JSON string: quoted, escaped, one line
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    env.filters["yaml_comment"] = lambda value: " ".join(str(value).split())
    return env


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(msg("{path} already exists; sitegen never overwrites a record", path=str(path))) from None
    return path


def add_to_list(path: Path, key: str, entries: list[dict]) -> None:
    """Add ``entries`` at the end of the top-level list ``key`` of a YAML file a person keeps,
    changing no other byte: comments, order and layout stay as they were. Each entry is written
    on one line in flow style (JSON is valid YAML). A list that is not found, or not written as a
    block list, is an error that shows the lines to add by hand: the file is never rewritten."""
    from .loader import load_yaml_text

    if not entries:
        return
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.fullmatch(rf"{re.escape(key)}:\s*(#.*)?", line.rstrip("\r\n"))), None)
    rendered = [json.dumps(entry, ensure_ascii=False, default=str) for entry in entries]
    if start is None and not any(re.match(rf"{re.escape(key)}\s*:", line) for line in lines):
        tail = "" if not text or text.endswith(("\n", "\r")) else newline
        new_text = text + tail + f"{key}:{newline}" + "".join(f"  - {item}{newline}" for item in rendered)
    elif start is None:
        raise ScaffoldError(msg("{path}: '{key}' is not written as a list of '- ' lines; add these yourself:\n{items}", path=str(path),
                                key=key, items="\n".join(f"  - {item}" for item in rendered)))
    else:
        last, indent = start, "  "
        for i in range(start + 1, len(lines)):
            stripped = lines[i].strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not lines[i][0].isspace() and not stripped.startswith("- "):
                break  # the next top-level key
            if stripped.startswith("- "):
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            last = i
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += newline
        lines[last + 1:last + 1] = [f"{indent}- {item}{newline}" for item in rendered]
        new_text = "".join(lines)
    document, problems = load_yaml_text(new_text.encode("utf-8"), path.name)
    added = document.data.get(key) if isinstance(document.data, dict) else None
    if problems or not isinstance(added, list) or len(added) < len(entries):
        raise ScaffoldError(msg("{path}: could not add to '{key}' without rewriting the file; add these yourself:\n{items}", path=str(path),
                                key=key, items="\n".join(f"  - {item}" for item in rendered)))
    path.write_bytes(new_text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# sitegen new


@dataclass
class NewRequest:
    kind: str  # report, customer, plan, goal, review, coaching
    member: str | None = None
    day: date | None = None
    half: str | None = None
    name: str | None = None  # customer name
    record_id: str | None = None
    period: str | None = None  # plan: day/week/month/quarter/year; goal: a period key such as 2026-12
    reviewer: str | None = None
    capabilities: tuple[str, ...] = ()


def new_record(root: Path, request: NewRequest) -> Path:
    """Write one new record and return its path. Pre-filling reads the records as they are; a
    team whose records have errors still gets its file, just with less filled in."""
    from .build import validate

    day = request.day or date.today()
    result = validate(root, day, cache=True)
    records, metrics = result.team_records, result.metrics
    if records is None:
        raise ScaffoldError(msg("{root} has no valid sitegen.yaml and records/team.yaml: run 'sitegen init' first", root=str(root)))
    env = _environment(root, records.config.locale)
    members = {m.id: m for m in records.team.members}
    member = request.member
    if request.kind in ("report", "customer", "plan", "review") or (request.kind == "coaching" and member):
        if member is None:
            reps = [m.id for m in records.team.members if m.role == "rep"]
            if len(reps) != 1:
                raise ScaffoldError(msg("say whose record it is with --member (one of: {members})", members=", ".join(sorted(members))))
            member = reps[0]
        if member not in members:
            raise ScaffoldError(msg("unknown member '{member}' (one of: {members})", member=member, members=", ".join(sorted(members))))
    who = member or ""  # set above for every kind that needs a member

    if request.kind == "report" and request.period:
        return _new_periodic_report(root, env, records, metrics, who, day, request.period)
    if request.kind == "report":
        return _new_report(root, env, records, metrics, who, day, request.half)
    if request.kind == "customer":
        name = request.name or ""
        record_id = request.record_id or slug(name)
        if not name or not record_id:
            raise ScaffoldError(msg("give the customer's name, and --id when the name has no Latin letters "
                                "(the id is the file name, e.g. --id wang-tea)"))
        text = env.get_template("new/customer.yaml").render(name=name, member=member, date=day)
        return _write_new(root / "records" / "customers" / f"{record_id}.yaml", text)
    if request.kind == "plan":
        return _new_plan(root, env, records, metrics, who, day, request.period or "week")
    if request.kind == "goal":
        return _new_goal(root, env, records, metrics, day, request.period)
    if request.kind == "review":
        reviewer = request.reviewer or members[who].reports_to
        if reviewer is None:
            raise ScaffoldError(msg("say who reviews with --reviewer"))
        text = env.get_template("new/review.md").render(member=member, reviewer=reviewer, date=day)
        return _write_new(_report_path(root, day, f"{member}-review"), text)
    if request.kind == "coaching":
        coach = request.reviewer or (members[member].reports_to if member else None)
        if coach is None:
            raise ScaffoldError(msg("say who coaches with --reviewer"))
        coached = [member] if member else [m.id for m in records.team.members if m.role == "rep"]
        capabilities = list(request.capabilities) or sorted({c for s in (metrics.capability.signals if metrics else [])
                                                             if s.member in coached for c in s.capabilities})[:2] or ["planning"]
        text = env.get_template("new/coaching.md").render(coach=coach, members=coached, date=day, capabilities=capabilities,
                                                          follow_up=day + timedelta(days=14))
        return _write_new(_report_path(root, day, f"coaching-{member or 'team'}"), text)
    raise ScaffoldError(msg("unknown record kind '{kind}'", kind=request.kind))


def _report_path(root: Path, day: date, suffix: str) -> Path:
    return root / "records" / "reports" / f"{day:%Y}" / f"{day:%m}" / f"{day.isoformat()}-{suffix}.md"


def _new_periodic_report(root, env, records, metrics, member: str, day: date, cadence: str) -> Path:
    """A weekly, monthly, quarterly, half-yearly or yearly report, dated the period's last day, with
    the period's figures from the records as comments to start from."""
    if cadence not in REPORT_CADENCES:
        raise ScaffoldError(msg("unknown report period '{period}' (week, month, quarter, half-year or year)", period=cadence))
    from .metrics.facts import gather_facts
    from .metrics.goals import counted

    start, end = report_period(cadence, day)
    kind = REPORT_CADENCES[cadence]
    facts = metrics.facts if metrics else gather_facts(records, day)
    so_far = min(end, day)
    figures = {measure: round(counted(records, facts, member, start, so_far, measure) or 0)
               for measure in ("contacts", "meetings", "deals", "revenue")}
    figures["reports"] = sum(1 for r in records.reports.values() if r.member == member and r.kind == "daily" and start <= r.date <= so_far)
    text = env.get_template("new/periodic-report.md").render(kind=kind, member=member, date=end, start=start, figures=figures)
    return _write_new(_report_path(root, end, f"{member}-{kind}"), text)


def _new_report(root, env, records, metrics, member: str, day: date, half: str | None) -> Path:
    from .metrics.facts import gather_facts

    facts = metrics.facts if metrics else gather_facts(records, day)
    if half is None and member in facts.half_day_members:
        # a member who reports by half-day files the morning's report first, then the afternoon's
        half = "pm" if _report_path(root, day, f"{member}-am").exists() else "am"
    channels = [{"id": c.id, "target": facts.target(member, c.id, day)} for c in records.config.channels]
    # yesterday's "tomorrow": the member's latest earlier report that planned contacts
    planned = []
    for rid in sorted(records.reports, key=lambda r: (records.reports[r].date, r), reverse=True):
        report = records.reports[rid]
        if report.member == member and report.date < day and report.kind == "daily":
            planned = list(report.tomorrow)
            if planned or report.half != "am":
                break
    if half == "pm":  # the morning's own plan for the afternoon
        morning = records.reports.get(f"{day.isoformat()}-{member}-am")
        planned = list(morning.tomorrow) if morning else planned
    due = []
    if metrics:
        due = sorted((s for s in metrics.customers.customers.values()
                      if s.owner == member and s.next_contact and s.next_contact <= day),
                     key=lambda s: (s.next_contact, s.id))
    plan_items = []
    if metrics:
        for summary in metrics.plans.plans.values():
            if summary.plan.member == member and summary.plan.start <= day <= summary.plan.end + timedelta(days=7):
                for status in summary.items:
                    deadline = status.item.due or summary.plan.end
                    if status.status in ("open", "overdue", "partial", "not-done") and deadline <= day:
                        plan_items.append({"plan": summary.id, "id": status.item.id, "what": status.item.what,
                                           "due": status.item.due})
    # the team's requests for help this member owes an answer to, oldest first
    names = {m.id: m.name for m in records.team.members}
    to_answer = [{"report": h.report, "member": names.get(h.member, h.member), "help": h.text} for h in reversed(metrics.support)
                 if h.owner == member and h.is_open] if metrics else []
    text = env.get_template("new/report.md").render(member=member, date=day, half=half, channels=channels,
                                                    planned=planned, due=due, plan_items=plan_items, to_answer=to_answer)
    suffix = f"{member}-{half}" if half else member
    return _write_new(_report_path(root, day, suffix), text)


def _new_plan(root, env, records, metrics, member: str, day: date, period: str) -> Path:
    from .periods import period_containing

    if period == "day":
        start = end = day
    elif period == "week":
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
    elif period in ("month", "quarter", "year"):
        span = period_containing(day, period)
        start, end = span.start, span.end
    else:
        raise ScaffoldError(msg("unknown plan period '{period}' (day, week, month, quarter or year)", period=period))
    share = None
    customers = []
    if metrics:
        goal = metrics.goals.get(metrics.current_goal) if metrics.current_goal else None
        row = next((r for r in goal.members if r.member == member), None) if goal else None
        share = int(row.must) if row and period == "month" else None
        for s in sorted(metrics.customers.customers.values(), key=lambda s: (s.next_contact or date.max, s.id)):
            if s.owner == member and s.category == "unclosed" and s.next_contact and s.next_contact <= end:
                customers.append({"id": s.id, "what": s.name, "due": max(start, min(s.next_contact, end))})
    text = env.get_template("new/plan.yaml").render(member=member, period=period, start=start, end=end, share=share,
                                                    customers=customers[:8])
    return _write_new(root / "records" / "plans" / f"{start.isoformat()}-{member}-{period}.yaml", text)


def _new_goal(root, env, records, metrics, day: date, period_key: str | None) -> Path:
    from .periods import parse_period, period_containing

    config = records.config
    period = parse_period(period_key) if period_key else period_containing(day, config.goal_period)
    if period is None:
        raise ScaffoldError(msg("'{period}' is not a period (e.g. 2026-12, 2026-Q4, 2026)", period=period_key or ""))
    reps = [m for m in records.team.members if m.role != "manager"]
    # each member's share starts from their history: what they won in the previous period
    previous = period_containing(period.start - timedelta(days=1), config.goal_period)
    history = {m.id: 0.0 for m in reps}
    if metrics:
        for deal in metrics.facts.deals:
            if previous.start <= deal.date <= previous.end and deal.member in history:
                history[deal.member] += deal.amount
    members = [{"id": m.id, "must": int(history[m.id]) or 100000, "challenge": int((history[m.id] or 100000) * 1.2)}
               for m in reps]
    total = sum(m["must"] for m in members)
    must = int(total * 0.9)  # the shares add up to more than the team's target, as the method asks
    text = env.get_template("new/goal.yaml").render(period=period.key, must=must, challenge=int(total * 1.1), members=members)
    return _write_new(root / "records" / "plans" / f"{period.key}-team-goal.yaml", text)


def slug(text: str) -> str:
    """A record id from a name in Latin letters ('' when there are none)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


# ---------------------------------------------------------------------------------------------
# sitegen init


DISTRIBUTION = "sitegen-sales"  # sitegen's name on the package index (the command and package are `sitegen`)
TIMEZONES = {"en": "UTC", "zh-Hant": "Asia/Taipei", "zh-Hans": "Asia/Shanghai"}  # a new team's default zone
MORNING = time(6, 30)  # when the scheduled CI build runs, in the team's zone: before the morning meeting


def morning_schedule(zone: str, day: date) -> tuple[str, str]:
    """The morning build's local time ("06:30") and its cron line in UTC, which CI schedulers use.
    The offset is the zone's on ``day``: a zone with summer time runs an hour off half the year."""
    local = datetime.combine(day, MORNING, tzinfo=ZoneInfo(zone))
    utc = local.astimezone(UTC)
    return f"{MORNING:%H:%M}", f"{utc.minute} {utc.hour} * * *"


def pinned_requirements(_: Callable[[str], str]) -> str:
    """requirements.txt for a new team: this exact sitegen and the exact packages it runs with, so
    the team's CI builds the same site from the same commit months later. Upgrading is a change to
    this file, made on purpose."""
    lines = [f"{DISTRIBUTION}=={__version__}"]
    try:
        pins = _installed_dependencies(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:  # running from a source tree that was never installed
        pins = {}
    lines += [f"{name}=={version}" for name, version in sorted(pins.items(), key=lambda item: item[0].lower())]
    header = "# " + _("sitegen and the exact packages it was tested with. To upgrade, change the versions here on purpose.")
    return header + "\n" + "\n".join(lines) + "\n"


def _installed_dependencies(distribution: str) -> dict[str, str]:
    """Every package ``distribution`` needs at run time, as installed here: name -> version."""
    from packaging.requirements import Requirement

    found: dict[str, str] = {}
    pending = [distribution]
    while pending:
        name = pending.pop()
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue  # test extras, other platforms
            key = requirement.name
            if key.lower() in (k.lower() for k in found):
                continue
            try:
                found[key] = importlib.metadata.version(key)
            except importlib.metadata.PackageNotFoundError:
                continue
            pending.append(key)
    return found


def init_team(directory: Path, locale: str = "en", title: str | None = None, today: date | None = None) -> list[Path]:
    """A new team repository with one example of every record kind, CI for GitHub and GitLab, and
    editor settings. Refuses to write into a folder that already has a sitegen.yaml."""
    from .schema import write_json_schemas

    if locale not in LOCALES:
        raise ScaffoldError(msg("unknown locale '{locale}' (one of: {choices})", locale=locale, choices=", ".join(LOCALES)))
    if (directory / "sitegen.yaml").exists():
        raise ScaffoldError(msg("{file} already exists; sitegen never overwrites a team's files", file=str(directory / "sitegen.yaml")))
    today = today or date.today()
    env = _environment(directory, locale)
    _ = language(locale)

    written = []
    zone = TIMEZONES[locale]
    morning_local, morning_cron = morning_schedule(zone, today)
    context = {"title": title or _("Sales team dashboard"), "locale": locale, "version": __version__, "today": today,
               "timezone": zone, "morning_local": morning_local, "morning_cron": morning_cron, "distribution": DISTRIBUTION}
    written.append(_write_new(directory / "requirements.txt", pinned_requirements(_)))
    for source, target in (("scaffold/sitegen.yaml", "sitegen.yaml"), ("scaffold/team.yaml", "records/team.yaml"),
                           ("scaffold/gitignore", ".gitignore"), ("scaffold/github-workflow.yml", ".github/workflows/sitegen.yml"),
                           ("scaffold/gitlab-ci.yml", ".gitlab-ci.yml"), ("scaffold/vscode-settings.json", ".vscode/settings.json"),
                           ("scaffold/pre-commit-config.yaml", ".pre-commit-config.yaml"), ("scaffold/README.md", "README.md")):
        written.append(_write_new(directory / target, env.get_template(source).render(**context)))
    written += write_json_schemas(directory / ".vscode" / "schemas")
    # one example of each record, made the way a user makes them
    written.append(new_record(directory, NewRequest("customer", member="alex", day=today, name=_("Example Coffee House"),
                                                    record_id="example-coffee-house")))
    written.append(new_record(directory, NewRequest("goal", day=today)))
    written.append(new_record(directory, NewRequest("plan", member="alex", day=today, period="week")))
    yesterday = today - timedelta(days=1)
    written.append(new_record(directory, NewRequest("report", member="alex", day=yesterday)))
    written.append(new_record(directory, NewRequest("review", member="alex", day=yesterday)))
    written.append(new_record(directory, NewRequest("coaching", member="alex", day=yesterday, capabilities=("planning",))))
    return written
