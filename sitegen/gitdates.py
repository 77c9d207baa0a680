"""When each report was first committed, for judging lateness.

Rule (docs/records.md): a report is late when the commit that added its file is later than the
configured deadline. Commits that add many reports at once (an import, or history committed in
bulk) say nothing about when each was written, so those files are not judged; outside a git
repository nothing is judged.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from .i18n import Text, msg

T = TypeVar("T")

BULK_COMMIT_FILES = 20


def _git_log(root: Path, *arguments: str) -> tuple[str, str] | None:
    """``git log`` of the team's repository (its output, and the team's folder within the
    repository), or None outside one. git reads the history only: nothing in it runs."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10)
        if top.returncode != 0:
            return None
        log = subprocess.run(["git", "-C", str(root), "log", *arguments], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if log.returncode != 0:
        return None
    base = Path(top.stdout.strip()).resolve()
    return log.stdout, (root.resolve().relative_to(base).as_posix() if root.resolve() != base else "")


def head(root: Path) -> str | None:
    """The commit the team's repository is at (None outside git): what every history read here
    depends on, so a long-lived process (watch) reads the history again only when it moves."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


@dataclass(frozen=True)
class Version:
    """One commit that changed a file: when, which, and what its author said of it."""

    when: datetime  # the commit's time, UTC
    commit: str  # its hash, abbreviated
    subject: str


def file_versions(root: Path, folder: str) -> dict[str, list[Version]]:
    """Relative path -> the commits that changed each file under ``folder``, oldest first (empty
    outside a git repository). One ``git log`` for the whole folder."""
    found = _git_log(root, "--name-only", "--no-renames", "--format=%x00%h%x09%ct%x09%s", "--", folder)
    if found is None:
        return {}
    out, prefix = found
    versions: dict[str, list[Version]] = {}
    for chunk in out.split("\x00")[1:]:
        lines = [line for line in chunk.strip().splitlines() if line]
        if not lines or lines[0].count("\t") < 2:
            continue
        commit, stamp, subject = lines[0].split("\t", 2)
        version = Version(datetime.fromtimestamp(int(stamp), tz=UTC), commit, subject)
        for name in lines[1:]:
            rel = name[len(prefix) + 1:] if prefix and name.startswith(prefix + "/") else name
            versions.setdefault(rel, []).insert(0, version)  # git log lists newest first
    return versions


UNTRUSTED = datetime(9999, 1, 1, tzinfo=UTC)  # the time of a report whose commit is not signed as required: after any deadline


def report_commit_times(root: Path, signed: bool = False, cache: Path | None = None) -> dict[str, datetime]:
    """Relative report path -> when the commit that added it was made (timezone-aware, UTC).

    ``signed`` (``reports.signed`` in sitegen.yaml): a commit's time is trusted only when git verifies
    its signature as good (%G? = G: an SSH key in gpg.ssh.allowedSignersFile, or a trusted GPG key);
    the reports it added get UNTRUSTED, so they count as late. Each commit is verified once: the
    verdicts are kept by commit in ``cache``."""
    found = _git_log(root, "--diff-filter=A", "--name-only", "--format=%x00%H%x09%ct", "--no-renames", "--", "records/reports")
    if found is None:
        return {}
    out, prefix = found
    chunks = [[line for line in chunk.strip().splitlines() if line] for chunk in out.split("\x00")[1:]]
    chunks = [lines for lines in chunks if lines and "\t" in lines[0]]
    good = _good_signatures(root, [lines[0].split("\t")[0] for lines in chunks], cache) if signed else set()
    times: dict[str, datetime] = {}
    for lines in chunks:
        (commit, stamp), files = lines[0].split("\t", 1), lines[1:]
        if len(files) > BULK_COMMIT_FILES:
            continue
        when = datetime.fromtimestamp(int(stamp), tz=UTC) if not signed or commit in good else UNTRUSTED
        for name in files:
            rel = name[len(prefix) + 1:] if prefix and name.startswith(prefix + "/") else name
            times[rel] = when  # git log lists newest first, so the first addition wins last
    return times


class CheckoutFailed(Exception):
    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def checkout(root: Path, commit: str, into: Path) -> tuple[Path, datetime]:
    """The team's repository as it was at ``commit``, checked out into the empty folder ``into``
    (a local clone sharing the repository's objects: nothing is written into the repository, and
    the history up to that commit comes along, so lateness and plan versions are as they were).
    Returns the team's folder within it and the commit's time. No hook, filter or other program
    from the repository runs: hooks are not cloned and are switched off."""
    if not commit or commit.startswith("-") or any(c.isspace() for c in commit):
        raise CheckoutFailed(msg("'{commit}' is not a commit", commit=commit))
    safe = ["-c", "core.hooksPath=/dev/null"]
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10)
        if top.returncode != 0:
            raise CheckoutFailed(msg("{root} is not in a git repository: --at needs the team's history", root=str(root)))
        base = Path(top.stdout.strip()).resolve()
        found = subprocess.run(["git", "-C", str(base), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{commit}^{{commit}}"],
                               capture_output=True, text=True, timeout=10)
        if found.returncode != 0:
            raise CheckoutFailed(msg("'{commit}' is not a commit of {root}", commit=commit, root=str(base)))
        sha = found.stdout.strip()
        for command in (["git", *safe, "clone", "--quiet", "--shared", "--no-checkout", "--", str(base), str(into)],
                        ["git", *safe, "-C", str(into), "checkout", "--quiet", "--detach", sha]):
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise CheckoutFailed(msg("git could not check out {commit}: {error}", commit=commit, error=done.stderr.strip()))
        stamp = subprocess.run(["git", "-C", str(into), "show", "-s", "--format=%ct", sha], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CheckoutFailed(msg("git could not check out {commit}: {error}", commit=commit, error=str(exc))) from exc
    where = root.resolve().relative_to(base) if root.resolve() != base else Path()
    return into / where, datetime.fromtimestamp(int(stamp.stdout.strip()), tz=UTC)


@dataclass(frozen=True)
class RecordChange:
    """A change to the records that a day's meeting should hear of, read from one commit: a new
    customer, a customer's stars or status changed, an expected close date moved later, a new deal
    reported, a new or changed plan."""

    when: datetime  # the commit's time, UTC
    commit: str  # abbreviated hash
    kind: str  # new-customer | stars | status | close-slipped | new-deal | new-plan | plan-changed | new-goal | goal-changed
    record: str  # the customer's, plan's or report's id
    customer: str | None = None  # the customer concerned (deals)
    before: str | None = None  # the old value (stars as a digit, a status, an ISO date)
    after: str | None = None
    amount: float | None = None  # a new deal's


def record_changes(root: Path, cache: Path | None = None) -> list[RecordChange]:
    """Every change the day's meetings should hear of, oldest first, from the team's git history.

    Commits that touch more than BULK_COMMIT_FILES record files (an import, a history committed at
    once) are not day-to-day work and are left out, as for lateness. Each remaining commit's changed
    files are read from git before and after it and compared as records (sitegen's own parser: data
    only, nothing runs)."""
    found = _git_log(root, "--reverse", "--no-renames", "--name-status", "--format=%x00%h%x09%ct",
                     "--", "records/customers", "records/plans", "records/reports")
    if found is None:
        return []
    out, prefix = found
    known = _read_by_commit(cache, _change_from_data)  # commit -> its changes: a rebuild reads only new commits
    changes: list[RecordChange] = []
    wanted: list[tuple[str, datetime, str, str]] = []  # (commit, time, status, path in the repository)
    for chunk in out.split("\x00")[1:]:
        lines = [line for line in chunk.strip().splitlines() if line]
        if not lines or "\t" not in lines[0]:
            continue
        commit, stamp = lines[0].split("\t", 1)
        files = [line.split("\t", 1) for line in lines[1:] if "\t" in line]
        if len(files) > BULK_COMMIT_FILES:
            continue
        when = datetime.fromtimestamp(int(stamp), tz=UTC)
        if commit in known:
            changes += known[commit]
            continue
        known[commit] = []
        wanted += [(commit, when, status[:1], name) for status, name in files if status[:1] in "AM"]
    if not wanted:  # every commit read before (the cache): no record to parse, nor the models to import
        return sorted(changes, key=lambda c: c.when)
    from .records import read_record  # the load stage parses; this module only reads git

    blobs = _blobs(root, [f"{commit}^:{name}" for commit, _, status, name in wanted if status == "M"]
                   + [f"{commit}:{name}" for commit, _, _, name in wanted])
    for commit, when, status, name in wanted:
        rel = name[len(prefix) + 1:] if prefix and name.startswith(prefix + "/") else name
        folder = rel.split("/")[1] if rel.count("/") >= 2 else ""
        if folder not in ("customers", "plans", "reports"):
            continue
        record_id = Path(rel).stem
        after = _record(read_record, blobs.get(f"{commit}:{name}"), rel, folder)
        before = _record(read_record, blobs.get(f"{commit}^:{name}"), rel, folder) if status == "M" else None
        found_here = _compare(when, commit, record_id, before, after, status)
        known[commit] += found_here
        changes += found_here
    _write_by_commit(cache, {commit: [{**asdict(c), "when": c.when.isoformat()} for c in items] for commit, items in known.items()})
    return sorted(changes, key=lambda c: c.when)


CACHE_FORMAT = 1


def _good_signatures(root: Path, commits: list[str], cache: Path | None) -> set[str]:
    """The commits whose signature git verifies as good. Verifying starts a program per signed
    commit (ssh-keygen or gpg), so each verdict is kept by commit; only new commits are verified."""
    known = _read_by_commit(cache, lambda verdict: verdict is True)
    new = [c for c in commits if c not in known]
    if new:
        try:
            done = subprocess.run(["git", "-C", str(root), "log", "--no-walk=unsorted", "--format=%H %G?", "--stdin"],
                                  input="\n".join(new) + "\n", capture_output=True, text=True, timeout=600)
            for line in done.stdout.splitlines():
                commit, _, verdict = line.partition(" ")
                known[commit] = verdict == "G"
        except (OSError, subprocess.SubprocessError):
            pass  # unverified stays untrusted
        _write_by_commit(cache, known)
    return {c for c in commits if known.get(c)}


def _read_by_commit(cache: Path | None, decode: Callable[[Any], T]) -> dict[str, T]:
    """What an earlier build read from git, by commit (changes.json, signatures.json,
    pipelines.json): JSON data, each entry rebuilt by ``decode``; a cache that is missing, linked,
    damaged, of another format or another sitegen is ignored, and git is read again."""
    from . import __version__

    if cache is None or cache.is_symlink() or not cache.is_file():
        return {}
    try:
        raw = json.loads(cache.read_bytes())
        if raw.get("format") != CACHE_FORMAT or raw.get("sitegen") != __version__:
            return {}
        return {str(commit): decode(value) for commit, value in raw["commits"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def _write_by_commit(cache: Path | None, known: dict[str, Any]) -> None:
    """Keep what was read from git by commit, replacing the file whole (never through a link)."""
    from . import __version__

    if cache is None or cache.is_symlink() or not cache.parent.is_dir() or cache.parent.is_symlink():
        return
    try:
        temporary = cache.with_name(cache.name + ".tmp")
        temporary.write_text(json.dumps({"format": CACHE_FORMAT, "sitegen": __version__, "commits": known}, ensure_ascii=False),
                             encoding="utf-8")
        temporary.replace(cache)
    except OSError:
        pass  # a cache that cannot be written costs the next build a re-read, nothing else


def _change_from_data(items: Any) -> list[RecordChange]:
    return [RecordChange(datetime.fromisoformat(c["when"]), str(c["commit"]), str(c["kind"]), str(c["record"]),
                         c.get("customer"), c.get("before"), c.get("after"), c.get("amount")) for c in items]


def _blobs(root: Path, names: list[str]) -> dict[str, bytes]:
    """Files as they were at commits (``commit:path``), all through one ``git cat-file --batch``."""
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(names).encode() + b"\n",
                              capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return {}
    found, data, at = {}, done.stdout, 0
    for name in names:
        end = data.find(b"\n", at)
        if end < 0:
            break
        header = data[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[name] = data[at:at + size]
            at += size + 1
    return found


def _record(read_record, raw: bytes | None, rel: str, folder: str):
    if raw is None:
        return None
    try:
        return read_record(raw, rel, folder)[1]
    except Exception:  # a version that does not parse is no change to speak of
        return None


def _compare(when: datetime, commit: str, record_id: str, before, after, status: str) -> list[RecordChange]:
    from . import model

    def change(kind: str, record: str = record_id, **details) -> RecordChange:
        return RecordChange(when, commit, kind, record, **details)

    if isinstance(after, model.Customer):
        if status == "A" or not isinstance(before, model.Customer):
            return [change("new-customer")]
        found = []
        if before.stars != after.stars:
            found.append(change("stars", before=str(before.stars or ""), after=str(after.stars or "")))
        if before.status != after.status:
            found.append(change("status", before=before.status, after=after.status))
        old, new = before.expected_close, after.expected_close
        if old is not None and new is not None and new.date > old.date:
            found.append(change("close-slipped", before=old.date.isoformat(), after=new.date.isoformat()))
        return found
    if isinstance(after, model.Plan):
        return [change("new-plan" if status == "A" or not isinstance(before, model.Plan) else "plan-changed")]
    if isinstance(after, model.Goal):
        return [change("new-goal" if status == "A" or not isinstance(before, model.Goal) else "goal-changed", record=after.period)]
    if isinstance(after, model.Report) and status == "A":
        return [change("new-deal", customer=deal.customer, amount=deal.amount) for deal in after.deals]
    return []


def first_commit_day(root: Path, zone: tzinfo) -> date | None:
    """The day of the history's first commit, in the team's time zone (None outside git)."""
    try:
        first = subprocess.run(["git", "-C", str(root), "log", "--reverse", "--format=%ct", "--max-parents=0", "HEAD"],
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    stamps = first.stdout.split()
    if first.returncode != 0 or not stamps:
        return None
    return datetime.fromtimestamp(int(stamps[0]), tz=UTC).astimezone(zone).date()


def month_end_commits(root: Path, zone: tzinfo, as_of: date) -> list[tuple[str, date, str]]:
    """(month, its last day, the last commit made by the end of that day in the team's time zone) for
    every month over before the as-of day's, from the first month the history has a commit in."""
    first = first_commit_day(root, zone)
    if first is None:
        return []
    start = first.replace(day=1)
    ends: list[date] = []
    month = start
    while (following := date(month.year + month.month // 12, month.month % 12 + 1, 1)) <= as_of.replace(day=1):
        ends.append(following - timedelta(days=1))
        month = following
    commits = last_commits(root, ends, zone)
    return [(f"{last:%Y-%m}", last, commits[last]) for last in ends if last in commits]


@dataclass(frozen=True)
class PipelineAt:
    """What the forecast reads of a customer as a commit held it."""

    customer: str
    status: str
    stars: int | None
    close: date | None  # its expected close date then
    value: float  # its expected value then


def pipelines_at(root: Path, days: list[date], zone: tzinfo, cache: Path | None = None) -> dict[date, list[PipelineAt]]:
    """Day -> the customers as the last commit by the end of that day (team's time zone) held them,
    for the forecast as it stood then. Each commit's customers are read once and kept by commit in
    ``cache`` (JSON data); a day before the first commit has none."""
    known = _read_by_commit(cache, lambda items: [PipelineAt(str(i[0]), str(i[1]), i[2], date.fromisoformat(i[3]) if i[3] else None,
                                                             float(i[4])) for i in items])
    found: dict[date, list[PipelineAt]] = {}
    fresh = False
    for day, commit in last_commits(root, days, zone).items():
        if commit not in known:
            known[commit], fresh = _customers_at(root, commit), True
        found[day] = known[commit]
    if fresh:
        _write_by_commit(cache, {c: [[p.customer, p.status, p.stars, p.close.isoformat() if p.close else None, p.value]
                                     for p in items] for c, items in known.items()})
    return found


def last_commits(root: Path, days: list[date], zone: tzinfo) -> dict[date, str]:
    """Day -> the last commit made by the end of it in the team's time zone (what
    ``git rev-list -1 --before=…`` names), for all the days from one ``git log``."""
    if not days:
        return {}
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "--format=%ct %H", "HEAD"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    commits = [(int(stamp), commit) for stamp, _, commit in (line.partition(" ") for line in done.stdout.splitlines())]
    found = {}
    for day in days:
        end = datetime.combine(day, time(23, 59, 59), tzinfo=zone).timestamp()
        # git log's order, as rev-list --before walks it: the first commit made by then
        commit = next((c for stamp, c in commits if stamp <= end), None)
        if commit is not None:
            found[day] = commit
    return found


def _customers_at(root: Path, commit: str) -> list[PipelineAt]:
    from . import model
    from .records import read_record

    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", commit, "--", "records/customers"],
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    entries = [line.split("\t", 1) for line in listed.stdout.splitlines() if "\t" in line]
    paths = {info.split()[2]: path for info, path in entries if info.split()[1] == "blob"}
    blobs = _blobs(root, list(paths))
    found = []
    for sha, path in sorted(paths.items(), key=lambda item: item[1]):
        customer = _record(read_record, blobs.get(sha), path, "customers")
        if isinstance(customer, model.Customer):
            close = customer.expected_close
            found.append(PipelineAt(Path(path).stem, customer.status, customer.stars, close.date if close else None,
                                    float(close.value) if close else 0.0))
    return found
