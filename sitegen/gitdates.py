"""When each report was first committed, for judging lateness.

Rule (docs/records.md): a report is late when the commit that added its file is later than the
configured deadline. Commits that add many reports at once (an import, or history committed in
bulk) say nothing about when each was written, so those files are not judged; outside a git
repository nothing is judged.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .i18n import Text, msg

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


def report_commit_times(root: Path) -> dict[str, datetime]:
    """Relative report path -> when the commit that added it was made (timezone-aware, UTC)."""
    found = _git_log(root, "--diff-filter=A", "--name-only", "--format=%x00%ct", "--no-renames", "--", "records/reports")
    if found is None:
        return {}
    out, prefix = found
    times: dict[str, datetime] = {}
    for chunk in out.split("\x00")[1:]:
        lines = [line for line in chunk.strip().splitlines() if line]
        if not lines:
            continue
        stamp, files = lines[0], lines[1:]
        if len(files) > BULK_COMMIT_FILES:
            continue
        when = datetime.fromtimestamp(int(stamp), tz=UTC)
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
