"""A persistent cache of parsed and validated record files, in ``.sitegen-cache/`` at the team's root.

Reading and validating thousands of files is most of what a rebuild does; a file's result depends
only on its bytes, its path and the sitegen version. So results are stored under the hash of the
file's content and reused while the content is unchanged. The cache is never trusted blindly:

- it is data, never code: results are JSON (the record's fields, its body, the problems), decoded
  by sitegen's own models, with the file's bytes beside them (parsed again for the values'
  positions, in the rare case a check or the watch needs them); nothing in it is executed, so a cache
  file planted in a repository can at worst cost a re-parse;
- every entry is looked up by (path, content hash), so an edit, a rename or a revert is a miss;
- a different sitegen version or cache format empties it;
- a corrupt, unreadable, oversized, wrongly shaped or linked cache is discarded and rebuilt, or
  the build runs without it; a cache problem never fails a build and never changes its output.

What the last build wrote is not kept here but in the site itself (``SiteManifest``), so that it
always describes the folder it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .i18n import text_from_data, text_to_data
from .loader import MAX_FILE_BYTES, read_bytes
from .problems import Problem
from .site import MARKER_NOTE, SITE_MARKER

if TYPE_CHECKING:  # the models (pydantic, 0.15 s to import) are imported only when a result is decoded
    from . import model

CACHE_DIR = ".sitegen-cache"
FORMAT = 4  # 4: the file's bytes, not its document as JSON (3: problems' messages as Text data; 2: as English strings; 1 held pickles)
MAX_ENTRY_BYTES = 8 << 20  # a cached result larger than this is not read (record files are capped smaller)


@functools.cache
def record_models() -> dict[str, type[model.Record]]:
    """Each record model by its name, as cached results name them."""
    from . import model

    return {cls.__name__: cls for cls in (model.Customer, model.Goal, model.Plan, model.Report, model.Review, model.Coaching,
                                          model.ImportLog)}


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
    folder = root / CACHE_DIR
    file = folder / "records.sqlite"
    if any(p.is_symlink() for p in (folder, file, Path(f"{file}-wal"), Path(f"{file}-shm"))) or (folder.exists() and not folder.is_dir()):
        return None  # a link could make the cache read or write outside the team's folder
    for _attempt in range(2):
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
        connection.execute("CREATE TABLE IF NOT EXISTS records (path TEXT PRIMARY KEY, digest BLOB, result TEXT, source BLOB)")
        # fail now, not halfway through a build, if the table has the wrong shape
        connection.execute("SELECT path, digest, result, source FROM records LIMIT 1").fetchall()
        connection.commit()
    except BaseException:
        connection.close()
        raise
    return connection


def encode_result(body: str | None, value: model.Record | None, found: list[Problem]) -> str | None:
    """One file's cached result as JSON; None for what JSON cannot hold exactly (it is then not cached).

    The document (every value with its line and column) is not in it: writing it as JSON was a
    third of what parsing cost a cold build, and it is needed for a handful of files (a problem
    located, a watched save compared), which parse the file's bytes again (``CachedFile``)."""
    try:
        return json.dumps({"body": body, "model": type(value).__name__ if value is not None else None,
                           "value": value.model_dump(mode="json", by_alias=True) if value is not None else None,
                           "found": [problem_to_json(p) for p in found]}, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):  # a key that is not a string, a value JSON cannot hold
        return None


def problem_to_json(problem: Problem) -> dict:
    return {"path": problem.path, "line": problem.line, "column": problem.column, "severity": problem.severity,
            "field": problem.field, "message": text_to_data(problem.message), "hint": text_to_data(problem.hint)}


def problem_from_json(raw: dict) -> Problem:
    """A problem stored as JSON (``problem_to_json``), each field coerced to its type: stored data is never trusted."""
    return Problem(str(raw["path"]), int(raw["line"]), int(raw["column"]), "error" if raw["severity"] == "error" else "warning",
                   str(raw["field"]), text_from_data(raw["message"]), text_from_data(raw["hint"]))


def decode_result(text: str) -> tuple[str | None, model.Record | None, list[Problem]]:
    """The inverse of ``encode_result``: the record is rebuilt by its own model, so a planted
    entry can only ever become a record sitegen would have accepted from a file (or fail)."""
    raw = json.loads(text)
    found = [problem_from_json(p) for p in raw["found"]]
    value = record_models()[raw["model"]].model_validate(raw["value"]) if raw["model"] is not None else None
    return raw["body"] if isinstance(raw["body"], str) else None, value, found


CachedFile = tuple[bytes, "str | None", "model.Record | None", list[Problem]]  # a file's bytes, body, record (None if invalid), problems


PENDING_ROWS = 500  # results handed to SQLite at a time


class RecordCache:
    """(path, content hash) → the result of reading and validating that file, as JSON, with its bytes.

    Results are also kept in memory for the life of the process (``memory``, owned by the
    caller: ``sitegen watch`` passes one dict to every rebuild), so a long-lived process does not
    even decode what has not changed since its last rebuild. Without one, nothing is kept: a
    one-shot build holds each result only as long as its records need it."""

    def __init__(self, root: Path, memory: dict[str, tuple[bytes, CachedFile]] | None = None) -> None:
        self.connection = connect(root)
        self.remember = memory is not None
        self.memory = memory if memory is not None else {}
        self.hits = self.misses = 0
        self._pending: list[tuple[str, bytes, str, bytes]] = []
        self._seen: set[str] = set()
        self._rows: dict[str, bytes] = {}  # path -> digest; results are read one by one, when they match
        if self.connection is not None:
            try:
                self._rows = dict(self.connection.execute("SELECT path, digest FROM records"))
            except sqlite3.Error:
                self.connection = None

    def get(self, path: str, digest: bytes) -> CachedFile | None:
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
            row = self.connection.execute("SELECT result, source FROM records WHERE path = ? AND length(result) <= ?"
                                          " AND length(source) <= ?", (path, MAX_ENTRY_BYTES, MAX_FILE_BYTES)).fetchone()
            if not isinstance(row[1], bytes) or content_hash(row[1]) != digest:
                raise ValueError("not the file's bytes")
            value: CachedFile = (row[1], *decode_result(row[0]))
        except Exception:  # damaged, oversized, or not what sitegen writes: a miss, never a failure
            self.misses += 1
            return None
        self.hits += 1
        if self.remember:
            self.memory[path] = (digest, value)
        return value

    def holds(self, path: str, digest: bytes | None) -> bool:
        """Whether ``get`` will likely find this file's result (it may still find it damaged);
        with no ``digest`` (the file not hashed yet), whether it holds one for the path."""
        remembered = self.memory.get(path)
        if digest is None:
            return remembered is not None or path in self._rows
        return (remembered is not None and remembered[0] == digest) or self._rows.get(path) == digest

    def put(self, path: str, digest: bytes, value: CachedFile, text: str | None = None) -> None:
        """Keep a file's result; ``text``: its ``encode_result``, when already made (records.Parser)."""
        if self.remember:
            self.memory[path] = (digest, value)
        if self.connection is not None:
            text = text if text is not None else encode_result(*value[1:])
            if text is not None:
                self._pending.append((path, digest, text, value[0]))
            if len(self._pending) >= PENDING_ROWS:
                self._store_pending()

    def _store_pending(self) -> None:
        """Hand what is pending to SQLite (in the transaction ``close`` commits): a cold build of
        20,000 files held 200 MB of them until the end."""
        connection, pending, self._pending = self.connection, self._pending, []
        if connection is None:
            return
        try:
            connection.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", pending)
        except sqlite3.Error:  # not stored (rolled back): the next build parses these files again
            connection.close()
            self.connection = None

    def close(self) -> None:
        """Store new results and forget files that no longer exist."""
        self._store_pending()  # the last of them, in the transaction committed below
        if self.connection is None:
            return
        try:
            with self.connection:
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
    from .resources import builtin_templates

    package = Path(__file__).parent
    modules = tuple(sorted(p.relative_to(package).as_posix() for p in package.glob("**/*.py")))
    digest = hashlib.blake2b(__version__.encode() + _source_digest(*modules), digest_size=20)
    digest.update(tree_digest(builtin_templates()))  # read each time: a checkout's templates can be edited while watching
    return digest.digest()


FileMemo = dict[str, tuple[tuple[int, int, int, int], bytes]]  # path -> (device, inode, size, mtime), content hash


def tree_digest(folder: Path, files: dict[str, bytes] | None = None, prefix: str = "", memo: FileMemo | None = None,
                changed: AbstractSet[str] = frozenset(), shape: Any = None, sources: dict[str, bytes] | None = None) -> bytes:
    """Every entry under a folder, as a build sees it: the name and kind of each (links and
    special files included, since they are reported), and the content of each ordinary file a
    build may read. Links are never followed, hidden folders not entered, and a file over the
    record size limit is never read (its size and time stand for it). Each readable file's
    content hash also goes into ``files`` (prefix + relative path), when given.

    ``memo`` (a long-lived process: watch) keeps each file's hash with its identity, size and time,
    so an unchanged file is not read again; a file named in ``changed`` (the file watcher saw it
    change) is always read, however alike its time and size are. ``shape`` (a hashlib hash), when
    given, takes each entry's path and kind only: what finding the records depends on.
    ``sources`` keeps the bytes of each file read, as ``files`` keeps its hash: what the build then
    parses, so that a file is read and hashed once (records.load_records)."""
    digest = hashlib.blake2b(digest_size=20)
    if shape is not None:  # the folder itself: missing, a link, a folder
        shape.update(b"link" if folder.is_symlink() else b"folder" if folder.is_dir() else b"other" if folder.exists() else b"none")
    if folder.is_symlink() or not folder.is_dir():
        return digest.digest()
    top = str(folder)
    for current, folders, names in os.walk(top):
        under = current[len(top) + 1:].replace(os.sep, "/")  # strings, not Paths: tens of thousands of files
        folders.sort()
        for name in sorted(names) + [f"{f}/" for f in folders]:
            bare = name.rstrip("/")
            entry = os.path.join(current, bare)
            rel = f"{under}/{bare}" if under else bare
            try:
                info = os.lstat(entry)
            except OSError:
                continue
            hidden = any(part.startswith(".") for part in rel.split("/"))
            if stat.S_ISREG(info.st_mode) and not hidden and info.st_size <= MAX_FILE_BYTES:
                identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
                known = memo.get(prefix + rel) if memo is not None else None
                if known is not None and known[0] == identity and prefix + rel not in changed:
                    one = known[1]
                else:
                    raw, _problems = read_bytes(Path(entry), rel)  # as the records are read: never through a link
                    if raw is None:
                        continue
                    one = content_hash(raw)
                    if sources is not None:
                        sources[prefix + rel] = raw
                    if memo is not None:
                        memo[prefix + rel] = (identity, one)
                if files is not None:
                    files[prefix + rel] = one
            elif stat.S_ISLNK(info.st_mode):
                one = b"link:" + os.fsencode(os.readlink(entry))
            elif stat.S_ISDIR(info.st_mode):
                one = b"folder"  # its entries are walked; its time would make two checkouts of one commit differ
            else:
                one = f"{stat.S_IFMT(info.st_mode)}:{info.st_size}:{info.st_mtime_ns}".encode()
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + one + b"\0")
            if shape is not None:
                shape.update(rel.encode("utf-8", "surrogateescape") + f"\0{stat.S_IFMT(info.st_mode)}\0".encode())
        folders[:] = [f for f in folders if not f.startswith(".")]
    return digest.digest()


MANIFEST_FILE = SITE_MARKER  # the site's marker file holds its manifest


UNKNOWN_KEY = b""  # equal to no page's key, so the page is made again; the site still lists it among its pages


@dataclass(frozen=True)
class SiteManifest:
    """What a build wrote into an output folder: the fingerprint of all its inputs, its counts
    and problems, and the key of every page that can be reused. It is written into the new site
    before the site is swapped in, so it always describes the folder it is in, whatever flags
    built it; a folder without a readable manifest offers nothing to reuse."""

    fingerprint: bytes
    files: int
    size: int  # bytes
    pages: int
    problems: list[Problem]
    keys: dict[str, bytes]  # page path -> reuse key (UNKNOWN_KEY: the page is there, made from what no key says)

    def encode(self) -> bytes:
        return json.dumps({"sitegen": MARKER_NOTE,
                           "format": FORMAT, "fingerprint": self.fingerprint.hex(), "files": self.files, "bytes": self.size,
                           "pages": self.pages, "problems": [problem_to_json(p) for p in self.problems],
                           "keys": {path: key.hex() for path, key in sorted(self.keys.items())}},
                          ensure_ascii=False, indent=0).encode("utf-8")

    @classmethod
    def read(cls, output: Path) -> SiteManifest | None:
        """The manifest of the site at ``output``; None if there is none or it is not sitegen's."""
        file = output / MANIFEST_FILE
        try:
            if file.is_symlink() or file.stat().st_size > MAX_ENTRY_BYTES * 4:
                return None
            raw = json.loads(file.read_bytes())
            if raw.get("format") != FORMAT:
                return None
            problems = [problem_from_json(p) for p in raw["problems"]]
            keys = {str(path): bytes.fromhex(key) for path, key in raw["keys"].items()}
            return cls(bytes.fromhex(raw["fingerprint"]), int(raw["files"]), int(raw["bytes"]), int(raw["pages"]), problems, keys)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under a folder, its manifest aside: a cheap check that a site was not altered."""
    files = size = 0
    stack: list[str | Path] = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            return -1, -1
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name != MANIFEST_FILE:
                files += 1
                size += entry.stat(follow_symlinks=False).st_size
    return files, size
