"""When each report was first committed, for judging lateness.

Rule (docs/records.md): a report is late when the commit that added its file is later than the
configured deadline. Commits that add many reports at once (an import, or history committed in
bulk) say nothing about when each was written, so those files are not judged; outside a git
repository nothing is judged.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

BULK_COMMIT_FILES = 20


def report_commit_times(root: Path) -> dict[str, datetime]:
    """Relative report path -> when the commit that added it was made (timezone-aware, UTC)."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10)
        if top.returncode != 0:
            return {}
        log = subprocess.run(["git", "-C", str(root), "log", "--diff-filter=A", "--name-only", "--format=%x00%ct",
                              "--no-renames", "--", "records/reports"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:
        return {}
    base = Path(top.stdout.strip()).resolve()
    prefix = root.resolve().relative_to(base).as_posix() if root.resolve() != base else ""
    times: dict[str, datetime] = {}
    for chunk in log.stdout.split("\x00")[1:]:
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
