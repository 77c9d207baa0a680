"""A persistent cache of parsed and validated record files, in ``.sitegen-cache/`` at the team's root.

Reading and validating thousands of files is most of what a rebuild does; a file's result depends
only on its bytes, its path and the sitegen version. So results are stored under the hash of the
file's content and reused while the content is unchanged. The cache is never trusted blindly:

- every entry is looked up by (path, content hash), so an edit, a rename or a revert is a miss;
- a different sitegen version or cache format empties it;
- a corrupt, unreadable or locked database is discarded and rebuilt, or the build runs without
  it; a cache problem never fails a build and never changes its output.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".sitegen-cache"
FORMAT = 1


def content_hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


def _stamp() -> str:
    """sitegen's version and the source of every module a file's result depends on: a changed
    parser or schema (even in a development checkout, same version number) empties the cache."""
    digest = hashlib.blake2b(f"{__version__}/{FORMAT}".encode(), digest_size=16)
    for name in ("loader.py", "model.py", "schema.py", "records.py", "problems.py", "cache.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


class RecordCache:
    """(path, content hash) → pickled result of reading and validating that file."""

    def __init__(self, root: Path) -> None:
        self.file = root / CACHE_DIR / "records.sqlite"
        self.connection: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        self._pending: list[tuple[str, bytes, bytes]] = []
        self._seen: set[str] = set()
        try:
            self._open()
        except (sqlite3.Error, OSError):
            self._discard()
            try:
                self._open()
            except (sqlite3.Error, OSError):
                self.connection = None  # run without a cache: slower, never wrong

    def _open(self) -> None:
        self.file.parent.mkdir(exist_ok=True)
        gitignore = self.file.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")  # the cache never belongs in the team's repository
        connection = sqlite3.connect(self.file, timeout=2)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")  # losing the cache on a crash only costs time
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("CREATE TABLE IF NOT EXISTS records (path TEXT PRIMARY KEY, digest BLOB, result BLOB)")
        stamp = _stamp()
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != stamp:
            connection.execute("DELETE FROM records")
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (stamp,))
            connection.commit()
        self.connection = connection
        self._rows = dict(((path, (digest, result)) for path, digest, result in
                           connection.execute("SELECT path, digest, result FROM records")))

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.file) + suffix).unlink()
            except OSError:
                pass

    def get(self, path: str, digest: bytes) -> Any | None:
        self._seen.add(path)
        if self.connection is None:
            return None
        row = self._rows.get(path)
        if row is None or row[0] != digest:
            self.misses += 1
            return None
        try:
            value = pickle.loads(row[1])
        except Exception:  # a damaged entry is a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, path: str, digest: bytes, value: Any) -> None:
        if self.connection is not None:
            self._pending.append((path, digest, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def close(self) -> None:
        """Store new results and forget files that no longer exist."""
        if self.connection is None:
            return
        try:
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", self._pending)
                gone = [(p,) for p in self._rows if p not in self._seen]
                self.connection.executemany("DELETE FROM records WHERE path = ?", gone)
            self.connection.close()
        except sqlite3.Error:
            self._discard()
        self.connection = None
