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

import functools
import hashlib
import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".sitegen-cache"
FORMAT = 1


def content_hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


@functools.cache
def _source_digest(*names: str) -> bytes:
    """Of sitegen's own modules as this process loaded them (they cannot change under it)."""
    digest = hashlib.blake2b(digest_size=20)
    for name in names:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    return digest.digest()


def _stamp() -> str:
    """sitegen's version and the source of every module a file's result depends on: a changed
    parser or schema (even in a development checkout, same version number) empties the cache."""
    digest = hashlib.blake2b(f"{__version__}/{FORMAT}".encode(), digest_size=16)
    digest.update(_source_digest("loader.py", "model.py", "schema.py", "records.py", "problems.py", "cache.py"))
    return digest.hexdigest()


def connect(root: Path) -> sqlite3.Connection | None:
    """Open the team's cache database, creating or repairing it; None if that is impossible
    (read-only folder, locked file): the build then runs without a cache, slower but the same."""
    file = root / CACHE_DIR / "records.sqlite"
    for attempt in range(2):
        try:
            return _open(file)
        except (sqlite3.Error, OSError):
            for suffix in ("", "-wal", "-shm"):  # damaged: start afresh
                try:
                    Path(str(file) + suffix).unlink()
                except OSError:
                    pass
    return None


def _open(file: Path) -> sqlite3.Connection:
    file.parent.mkdir(exist_ok=True)
    gitignore = file.parent / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n")  # the cache never belongs in the team's repository
    connection = sqlite3.connect(file, timeout=2)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")  # losing the cache on a crash only costs time
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        stamp = _stamp()
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != stamp:
            for table in ("records", "builds", "pages"):
                connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (stamp,))
        connection.execute("CREATE TABLE IF NOT EXISTS records (path TEXT PRIMARY KEY, digest BLOB, result BLOB)")
        connection.execute("CREATE TABLE IF NOT EXISTS builds (output TEXT PRIMARY KEY, fingerprint BLOB, "
                           "files INTEGER, bytes INTEGER, pages INTEGER, problems BLOB)")
        connection.execute("CREATE TABLE IF NOT EXISTS pages (output TEXT, path TEXT, key BLOB, PRIMARY KEY (output, path))")
        # fail now, not halfway through a build, if a table has the wrong shape
        connection.execute("SELECT path, digest, result FROM records LIMIT 1").fetchall()
        connection.execute("SELECT output, fingerprint, files, bytes, pages, problems FROM builds LIMIT 1").fetchall()
        connection.execute("SELECT output, path, key FROM pages LIMIT 1").fetchall()
        connection.commit()
    except BaseException:
        connection.close()
        raise
    return connection


_IN_MEMORY: dict[str, dict[str, tuple[bytes, Any]]] = {}  # root -> path -> (digest, result): long-lived processes (watch)


class RecordCache:
    """(path, content hash) → pickled result of reading and validating that file.

    Results are also kept in memory for the life of the process, so ``sitegen watch`` does not
    even unpickle what has not changed since its last rebuild."""

    def __init__(self, root: Path) -> None:
        self.connection = connect(root)
        self.memory = _IN_MEMORY.setdefault(str(root.resolve()), {})
        self.hits = self.misses = 0
        self._pending: list[tuple[str, bytes, bytes]] = []
        self._seen: set[str] = set()
        self._rows: dict[str, bytes] = {}  # path -> digest; results are read one by one, when they match
        if self.connection is not None:
            try:
                self._rows = dict(self.connection.execute("SELECT path, digest FROM records"))
            except sqlite3.Error:
                self.connection = None

    def get(self, path: str, digest: bytes) -> Any | None:
        self._seen.add(path)
        remembered = self.memory.get(path)
        if remembered is not None and remembered[0] == digest:
            self.hits += 1
            return remembered[1]
        if self.connection is None:
            return None
        if self._rows.get(path) != digest:
            self.misses += 1
            return None
        try:
            (blob,) = self.connection.execute("SELECT result FROM records WHERE path = ?", (path,)).fetchone()
            value = pickle.loads(blob)
        except Exception:  # a damaged entry is a miss
            self.misses += 1
            return None
        self.hits += 1
        self.memory[path] = (digest, value)
        return value

    def put(self, path: str, digest: bytes, value: Any) -> None:
        self.memory[path] = (digest, value)
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
                for path in [p for p in self.memory if p not in self._seen]:
                    del self.memory[path]
                self.connection.executemany("DELETE FROM records WHERE path = ?", gone)
        except sqlite3.Error:
            pass  # not stored: the next build parses these files again
        self.connection.close()
        self.connection = None


def package_stamp() -> bytes:
    """Everything of sitegen's own that shapes a page: its code, built-in templates, translations."""
    from .render import builtin_templates

    package = Path(__file__).parent
    modules = tuple(sorted(p.relative_to(package).as_posix() for p in package.glob("**/*.py")))
    digest = hashlib.blake2b(__version__.encode() + _source_digest(*modules), digest_size=20)
    digest.update(tree_digest(builtin_templates()))  # read each time: a checkout's templates can be edited while watching
    return digest.digest()


def tree_digest(folder: Path, files: dict[str, bytes] | None = None, prefix: str = "") -> bytes:
    """The names and contents of every file under a folder (hidden ones skipped); each file's
    content hash also goes into ``files`` (prefix + relative path), when given."""
    digest = hashlib.blake2b(digest_size=20)
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            rel = file.relative_to(folder)
            if file.is_file() and not any(part.startswith(".") for part in rel.parts):
                one = content_hash(file.read_bytes())
                if files is not None:
                    files[prefix + rel.as_posix()] = one
                digest.update(rel.as_posix().encode() + b"\0" + one)
    return digest.digest()


class SiteManifest:
    """What the last good build wrote to an output folder: the fingerprint of all its inputs, its
    problems, and the key of every page that can be reused, so the next build can skip work.

    Kept in the same database as the records; as unforgiving of damage as RecordCache."""

    def __init__(self, root: Path, output: Path) -> None:
        self.output = str(output.absolute())
        self.connection = connect(root)

    def last_build(self) -> tuple[bytes, int, int, int, list] | None:
        if self.connection is None:
            return None
        try:
            row = self.connection.execute("SELECT fingerprint, files, bytes, pages, problems FROM builds WHERE output = ?",
                                          (self.output,)).fetchone()
            return None if row is None else (row[0], row[1], row[2], row[3], pickle.loads(row[4]))
        except Exception:
            return None

    def page_keys(self) -> dict[str, bytes]:
        if self.connection is None:
            return {}
        try:
            return dict(self.connection.execute("SELECT path, key FROM pages WHERE output = ?", (self.output,)))
        except sqlite3.Error:
            return {}

    def save(self, fingerprint: bytes, files: int, size: int, pages: int, problems: list, keys: dict[str, bytes]) -> None:
        if self.connection is None:
            return
        try:
            with self.connection:
                self.connection.execute("DELETE FROM pages WHERE output = ?", (self.output,))
                self.connection.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                                            [(self.output, path, key) for path, key in keys.items()])
                self.connection.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?, ?, ?, ?)",
                                        (self.output, fingerprint, files, size, pages, pickle.dumps(problems)))
        except sqlite3.Error:
            pass

    def forget(self) -> None:
        """A build that did not finish: the folder's contents are no longer what the manifest says."""
        if self.connection is None:
            return
        try:
            with self.connection:
                self.connection.execute("DELETE FROM builds WHERE output = ?", (self.output,))
                self.connection.execute("DELETE FROM pages WHERE output = ?", (self.output,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under a folder: a cheap check that a published site was not altered."""
    files = size = 0
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            return -1, -1
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                files += 1
                size += entry.stat(follow_symlinks=False).st_size
    return files, size
