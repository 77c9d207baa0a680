"""Find a team's record files, load them and validate each against its schema.

``load_records(root)`` is the pipeline's first stage: it returns every record that is valid on its
own, plus the problems of those that are not. Checks across records (references, configured
channels) come next, in ``checks``.
"""

from __future__ import annotations

import dataclasses
import difflib
import multiprocessing
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from pydantic import BaseModel

from . import model
from .cache import RecordCache, content_hash, decode_result, encode_result
from .i18n import NO_TEXT, Text, msg
from .loader import CONFIG_FILE, Document, load_markdown_text, load_yaml_file, load_yaml_text, read_bytes, require_mapping
from .problems import Problem, cap_per_file, error, warning
from .schema import validate_by_kind, validate_document

RECORDS_DIR = "records"
TEAM_FILE = "records/team.yaml"
YAML_SUFFIXES = {".yaml", ".yml"}

# Each folder of records: the record kind, the file suffixes it holds, how it is read.
FOLDERS = {
    "customers": (YAML_SUFFIXES, "customer"),
    "plans": (YAML_SUFFIXES, "plan"),
    "reports": ({".md"}, "report"),
    "imports": (YAML_SUFFIXES, "import"),  # written by `sitegen import`: what it left out
}
RECORD_SUFFIXES = YAML_SUFFIXES | {".md"}
TEXT_KINDS = ("report", "review", "coaching")  # the records with a Markdown body (Records.bodies)


@dataclass
class Records:
    """Every valid record of a team, by kind and id, with the document each came from."""

    root: Path
    config: model.Config | None = None
    team: model.Team | None = None
    customers: dict[str, model.Customer] = field(default_factory=dict)
    goals: dict[str, model.Goal] = field(default_factory=dict)
    plans: dict[str, model.Plan] = field(default_factory=dict)
    reports: dict[str, model.Report] = field(default_factory=dict)
    reviews: dict[str, model.Review] = field(default_factory=dict)
    coachings: dict[str, model.Coaching] = field(default_factory=dict)
    imports: dict[str, model.ImportLog] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)  # report/review/coaching id -> Markdown body
    documents: dict[tuple[str, str], Document | bytes] = field(default_factory=dict)  # (kind, id) -> source (or the file's bytes)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> relative path of the file
    digests: dict[str, bytes] = field(default_factory=dict)  # relative path -> content hash, for every file read
    broken_ids: dict[str, set[str]] = field(default_factory=dict)  # ids of files that failed validation
    paths_by_id: dict[tuple[str, str], str] = field(default_factory=dict)  # (folder, id) -> first file
    files: int = 0

    def document(self, kind: str, record_id: str) -> Document:
        """The source of a record, for locating problems. A watch keeps each file's bytes, parsed
        again when a check or a save needs one: most never are, and thousands of marks in memory
        are not free. A one-shot build keeps none (load_records): its file is read again."""
        document = self.documents.get((kind, record_id))
        rel = self.paths[(kind, record_id)]
        if document is None:
            document = self._read_again(rel)
        elif isinstance(document, bytes):
            document = read_document(document, rel, rel.split("/")[1])[0]
        self.documents[(kind, record_id)] = document
        return document

    def _read_again(self, rel: str) -> Document:
        """A record's document from its file, as the build read it (20,000 reports' documents held
        160 MB of a build's peak, and checks locate problems in a few hundred). A file changed since
        is located at its first line: the next build reads it anew."""
        raw, _found = read_bytes(self.root / rel, rel)
        if raw is None or content_hash(raw) != self.digests.get(rel):
            return Document(rel, None)
        return read_document(raw, rel, rel.split("/")[1])[0]

    def source_path(self, kind: str, record_id: str) -> str:
        return self.paths[(kind, record_id)]

    def known_ids(self, kind: str) -> set[str]:
        """Valid ids plus those of broken files, so one bad file does not cascade into many errors."""
        stores: dict[str, Mapping[str, object]] = {"customer": self.customers, "goal": self.goals, "plan": self.plans}
        return set(stores.get(kind, {})) | self.broken_ids.get(kind, set())


@dataclass
class TeamRecords(Records):
    """Records whose configuration and team are valid: what checks, metrics and pages work on.
    (``Records`` is what loading gives, where either may be missing.)"""

    config: model.Config
    team: model.Team


def with_team(records: Records) -> TeamRecords | None:
    """The same records as ``TeamRecords``, or None when sitegen.yaml or team.yaml is not valid."""
    if records.config is None or records.team is None:
        return None
    return TeamRecords(**{f.name: getattr(records, f.name) for f in dataclasses.fields(records)})


def relative(root: Path, file: Path) -> str:
    """A file's path from the team's root, with forward slashes (by string: pathlib's way costs a
    large team's rebuild a tenth of a second)."""
    text, top = str(file), str(root)
    if text.startswith(top + os.sep):
        return text[len(top) + 1:].replace(os.sep, "/")
    return file.relative_to(root).as_posix()


def load_records(root: Path, cache: RecordCache | None = None, digests: dict[str, bytes] | None = None,
                 shape: bytes | None = None, found: dict[bytes, tuple[dict[str, list[Path]], list[Problem]]] | None = None,
                 keep_sources: bool = True, workers: int | None = None,
                 sources: dict[str, bytes] | None = None) -> tuple[Records, list[Problem]]:
    """Every record under ``root`` and every problem reading them. ``found`` (watch) keeps which
    files are records, with the problems of the others, by ``shape``: the hash of each entry's path
    and kind under records/, taken by the build's fingerprint (cache.tree_digest). A save that
    changes no entry's name or kind is not followed by a walk of every folder again.
    Without ``keep_sources`` (a one-shot build) the records' documents are not kept: the few a
    problem is found in are read again (``Records.document``). Where many files are not in the
    cache, a second process parses half of them (``Parser``; ``workers=1``: none). ``sources``: the
    bytes of files already read (by the fingerprint, whose hashes are ``digests``), taken from there
    instead of read again: a file is read and hashed once."""
    root = root.resolve()
    records = Records(root=root)
    problems: list[Problem] = []

    config_file = root / CONFIG_FILE
    refused = _not_a_plain_file(config_file, CONFIG_FILE)
    if refused == "missing":
        problems.append(error(CONFIG_FILE, 1, 1, "", msg("no {file} in {folder}", file=CONFIG_FILE, folder=str(root)),
                              msg("run sitegen in the team's repository, or create one with 'sitegen init'")))
    elif isinstance(refused, Problem):
        problems.append(refused)
    else:
        records.config = _load_single(records, "config", config_file, model.Config, msg("the configuration"), problems)
        records.files += 1

    team_file = root / TEAM_FILE
    refused = _not_a_plain_file(team_file, TEAM_FILE)
    if refused == "missing":
        problems.append(error(TEAM_FILE, 1, 1, "", msg("the team file is missing"),
                              msg("list the team's members in records/team.yaml (see docs/records.md)")))
    elif isinstance(refused, Problem):
        problems.append(refused)
    else:
        records.team = _load_single(records, "team", team_file, model.Team, msg("the team file"), problems)
        records.files += 1

    known = found.get(shape) if found is not None and shape is not None else None
    if known is None:
        odd: list[Problem] = []
        known = (_discover(root, odd), odd)
        if found is not None and shape is not None:
            found.clear()  # only the latest shape is worth keeping
            found[shape] = known
    discovered, odd = known
    problems += odd
    order = [(folder, file, relative(root, file)) for folder, files in discovered.items() for file in files]
    sources = sources if sources is not None and digests else {}
    with Parser.start(order, cache, digests, workers, sources) as parser:
        for folder, file, rel in order:
            records.files += 1
            _load_record(records, folder, file, rel, problems, cache, digests, keep_sources, parser.take(rel), sources.pop(rel, None))
    return records, problems


Parsed = tuple[bytes, bytes, str]  # a file's bytes, their content hash, its result as the cache holds it (encode_result)

PARSE_ELSEWHERE_MIN_FILES = 400  # fewer files to parse are not worth a process


class Parser:
    """Half of the record files no cache holds, read and parsed by a forked process.

    Parsing a file (YAML, then its model) costs about four times what decoding its result does,
    and a result crosses between processes as the very JSON the cache stores: so the process that
    loads the records parses one file, decodes the next one's result from the other process, and
    stores that text in the cache as it is. A cold build of 5,011 reports loads in about 0.7 of
    the time. A parse is a pure function of the file's bytes and path (``read_record``), so where
    it runs changes nothing; a file the other process could not read or encode is parsed here."""

    def __init__(self, share: set[str], reader: Connection | None, child: multiprocessing.process.BaseProcess | None) -> None:
        self.share = share
        self.reader = reader
        self.child = child
        self.results: dict[str, Parsed | None] = {}

    @classmethod
    def start(cls, order: list[tuple[str, Path, str]], cache: RecordCache | None, digests: dict[str, bytes] | None,
              workers: int | None, sources: dict[str, bytes]) -> Parser:
        if len(order) < PARSE_ELSEWHERE_MIN_FILES or (workers or os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return cls(set(), None, None)
        missing = [(folder, file, rel) for folder, file, rel in order
                   if cache is None or not cache.holds(rel, digests.get(rel) if digests else None)]
        if len(missing) < PARSE_ELSEWHERE_MIN_FILES:
            return cls(set(), None, None)
        share = missing[1::2]
        context = multiprocessing.get_context("fork")
        try:
            reader, writer = context.Pipe(duplex=False)
        except OSError:  # out of file descriptors: all parsed here
            return cls(set(), None, None)
        child = context.Process(target=_parse_share, args=(share, writer, sources), daemon=True)
        try:
            child.start()
        except (AssertionError, OSError):  # no process to be had (out of processes; this one a daemon): all parsed here
            reader.close()
            writer.close()
            return cls(set(), None, None)
        writer.close()  # this process's copy: the reader then ends when the child does
        return cls({rel for _folder, _file, rel in share}, reader, child)

    def take(self, rel: str) -> Parsed | None:
        """The other process's result for this file; None if it has none (this process parses it)."""
        if rel not in self.share:
            return None
        while rel not in self.results and self.reader is not None:
            try:
                self.results.update(self.reader.recv())
            except (EOFError, OSError):  # the other process ended early: the rest is parsed here
                self.reader = None
        return self.results.pop(rel, None)

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.child is not None:
            self.child.kill()  # done, or this process failed: either way nothing more is wanted
            self.child.join()
        if self.reader is not None:
            self.reader.close()


def _parse_share(share: list[tuple[str, Path, str]], writer: Connection, sources: dict[str, bytes]) -> None:
    """The forked process's part (Parser): each file's bytes, hash and encoded result, in order,
    sent a few dozen at a time."""
    batch: dict[str, Parsed | None] = {}
    for folder, file, rel in share:
        kept = sources.get(rel)
        raw, found = (kept, []) if kept is not None else read_bytes(file, rel)
        text = None
        if raw is not None and not found:
            document, value, found = read_record(raw, rel, folder)
            text = encode_result(document.body, value, found)
        batch[rel] = (raw, content_hash(raw), text) if raw is not None and text is not None else None
        if len(batch) >= 64:
            writer.send(batch)
            batch = {}
    writer.send(batch)
    writer.close()


def _not_a_plain_file(file: Path, rel: str) -> Problem | str | None:
    """Why ``file`` is not read: "missing", or a problem for a link, a folder or a special file
    (their content is never opened, so never echoed); None for an ordinary file."""
    try:
        mode = file.lstat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return error(rel, 1, 1, "", msg("cannot be examined ({strerror})", strerror=str(exc.strerror)))
    if stat.S_ISLNK(mode):
        return error(rel, 1, 1, "", msg("is a symbolic link, and is not read"), msg("put the file itself at {rel}", rel=rel))
    if stat.S_ISDIR(mode):
        return error(rel, 1, 1, "", msg("is a folder, not a file"), msg("{rel} must be a YAML file", rel=rel))
    if not stat.S_ISREG(mode):
        return error(rel, 1, 1, "", msg("is {file_kind}, not a file, and is not read", file_kind=_file_kind(mode)), msg("{rel} must be a YAML file", rel=rel))
    return None


def _load_single(records: Records, kind: str, file: Path, model_class, what: Text, problems: list[Problem]):
    document, found = load_yaml_file(file, relative(records.root, file))
    records.documents[(kind, kind)] = document
    records.paths[(kind, kind)] = document.path
    problems += cap_per_file(found)
    if found:
        return None
    found = require_mapping(document, what)
    if not found:
        value, found = validate_document(document, model_class)
        if value is not None:
            return value
    problems += cap_per_file(found)
    return None


HOUSEKEEPING = {".gitkeep", ".gitignore", ".ds_store", "readme.md", "readme.txt", "readme"}  # never records, never reported


def passed_over(name: str) -> bool:
    """A file under records/ that is never read and never reported: housekeeping, and what an
    editor writes beside the file being edited (vim swap, emacs lock and backup)."""
    return name.lower() in HOUSEKEEPING or name.endswith((".swp", ".swo", ".swx", "~")) or name.startswith(".#")


def _discover(root: Path, problems: list[Problem]) -> dict[str, list[Path]]:
    """Every record file under records/, in a stable order. Every other entry is accounted for:
    links, special files, hidden files and folders, folders and files where no record can be,
    files with the wrong extension — each reported once, with what to do, and never read."""
    records_dir = root / RECORDS_DIR
    found: dict[str, list[Path]] = {name: [] for name in FOLDERS}
    if records_dir.is_symlink():
        problems.append(error(RECORDS_DIR, 1, 1, "", msg("records/ is a symbolic link and is not read"),
                              msg("keep the records themselves in the repository's records/ folder")))
        return found
    if not records_dir.is_dir():
        return found
    _discover_in(str(records_dir), relative(root, records_dir), (), found, problems)
    for paths in found.values():
        paths.sort()  # by full path, whatever order the folders were walked in
    return found


def _discover_in(folder: str, rel_folder: str, depth: tuple[str, ...], found: dict[str, list[Path]], problems: list[Problem]) -> None:
    """One folder of _discover's walk (top-down, by name), then the folders kept in it. By
    directory entries and strings: a Path and a system call per file cost a large team's every
    build a fifth of a second."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # as os.walk does
    folders: list[os.DirEntry] = []
    files: list[os.DirEntry] = []
    for entry in entries:
        (folders if _is_folder(entry) else files).append(entry)
    kept = []
    for entry in folders:
        name = entry.name
        rel = f"{rel_folder}/{name}"
        if name.startswith("."):
            problems.append(warning(rel, 1, 1, "", msg("hidden folder: nothing in it is read"),
                                    msg("records in a hidden folder never reach the site; move them out or delete the folder")))
        elif entry.is_symlink():
            problems.append(warning(rel, 1, 1, "", msg("symbolic link: not read"),
                                    msg("copy the folder into records/ instead of linking to it")))
        elif not depth and name not in FOLDERS:
            close = [f for f in FOLDERS if f.lower() == name.lower()] or difflib.get_close_matches(name, list(FOLDERS), 1)
            problems.append(warning(rel, 1, 1, "", msg("'{name}' is not a records folder: nothing in it is read", name=name),
                                    msg("did you mean records/{close}/?", close=close[0]) if close else msg("records go in records/customers, records/plans or records/reports")))
        elif _suffix(name) in RECORD_SUFFIXES:
            problems.append(warning(rel, 1, 1, "", msg("a folder named like a record file: nothing in it is read"),
                                    msg("a record is a file; rename or remove the folder")))
        else:
            kept.append(entry)
    for entry in files:
        name = entry.name
        rel = f"{rel_folder}/{name}"
        if rel == TEAM_FILE or passed_over(name):
            continue
        try:
            if entry.is_symlink():
                problems.append(warning(rel, 1, 1, "", msg("symbolic link: not read"),
                                        msg("copy the file into records/ instead of linking to it")))
                continue
            if not entry.is_file(follow_symlinks=False):
                problems.append(warning(rel, 1, 1, "", msg("not a regular file ({file_kind}): not read",
                                                           file_kind=_file_kind(entry.stat(follow_symlinks=False).st_mode)),
                                        msg("records are ordinary files; replace it with one")))
                continue
        except OSError as exc:
            problems.append(warning(rel, 1, 1, "", msg("cannot be examined ({strerror}): not read", strerror=str(exc.strerror))))
            continue
        if name.startswith("."):
            problems.append(warning(rel, 1, 1, "", msg("hidden file: not read"),
                                    msg("rename it to '{name}' if it is a record, or delete it", name=name.lstrip('.'))))
            continue
        if not depth:
            problems.append(warning(rel, 1, 1, "", msg("file is not in a records folder and is not read"),
                                    msg("records go in records/customers, records/plans or records/reports")))
            continue
        suffixes, _ = FOLDERS[depth[0]]
        if _suffix(name) not in suffixes:
            problems.append(warning(rel, 1, 1, "", msg("not read: records/{folder} holds {suffixes} files", folder=depth[0], suffixes=' or '.join(sorted(suffixes))),
                                    _suffix_hint(name, suffixes)))
            continue
        found[depth[0]].append(Path(entry.path))
    for entry in kept:
        _discover_in(entry.path, f"{rel_folder}/{entry.name}", (*depth, entry.name), found, problems)


def _suffix(name: str) -> str:
    """A file name's last suffix in lower case, as PurePath.suffix finds it ("" for ".yaml" or "a.")."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _is_folder(entry: os.DirEntry) -> bool:
    """What os.walk takes for a folder: a directory, or a link to one."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _suffix_hint(name: str, suffixes: set[str]) -> Text:
    wanted = ".md" if ".md" in suffixes else ".yaml"
    if name.endswith("."):
        return msg("remove the trailing '.' from the name: '{name}'", name=name.rstrip("."))
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return msg("rename it to '{name}'", name=stem + wanted)


def _file_kind(mode: int) -> Text:
    if stat.S_ISFIFO(mode):
        return msg("a named pipe")
    if stat.S_ISSOCK(mode):
        return msg("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg("a device")
    return msg("not a file")


def _load_record(records: Records, folder: str, file: Path, rel: str, problems: list[Problem], cache: RecordCache | None,
                 digests: dict[str, bytes] | None, keep_sources: bool = True, parsed: Parsed | None = None,
                 kept: bytes | None = None) -> None:
    record_id = file.stem
    kind = FOLDERS[folder][1]
    try:
        model.parse_slug(record_id)
    except Exception as exc:  # PydanticCustomError: a bad file name is a located problem
        ctx = getattr(exc, "context", None) or {}
        problems.append(error(rel, 1, 1, "", msg("file name: {problem}", problem=ctx.get("message") or msg("not a valid id")),
                              msg("{hint} — the file name is the record's id", hint=ctx.get("hint") or NO_TEXT)))
        return
    first = records.paths_by_id.setdefault((folder, record_id), rel)
    if first != rel:
        problems.append(error(rel, 1, 1, "", msg("duplicate id '{record_id}': {first} has the same file name", record_id=record_id, first=first),
                              msg("ids are file names and must be unique across folders; rename one of the files")))
        return
    # a hash taken earlier in this build (the build's fingerprint) saves reading an unchanged file
    digest = digests.get(rel) if digests else None
    cached = cache.get(rel, digest) if cache is not None and digest is not None else None
    if cached is None and parsed is not None:  # parsed by the other process (Parser)
        raw, digest, text = parsed
        cached = (raw, *decode_result(text))
        if cache is not None:
            cache.put(rel, digest, cached, text)
    if cached is None and kept is not None and digest is not None:
        raw = kept  # as the fingerprint read and hashed it (``digest``), not found in the cache
    elif cached is None:
        read, found = read_bytes(file, rel)
        if read is None:
            problems += found
            records.broken_ids.setdefault(kind, set()).add(record_id)
            return
        raw, digest = read, content_hash(read)
        cached = cache.get(rel, digest) if cache is not None else None
    assert digest is not None  # taken for the fingerprint, or just now from the bytes
    records.digests[rel] = digest
    if cached is not None:
        source, body, value, found = cached
    else:
        document, value, found = read_record(raw, rel, folder)  # raw is read whenever nothing was cached
        # the bytes are kept, not the document, as when they come from the cache: a document's
        # marks take more memory than its record (54 MB of 230 at 5,000 reports) and are rarely needed
        source, body = raw, document.body
        if cache is not None:
            cache.put(rel, digest, (source, body, value, found))
    if found or value is None:
        problems += cap_per_file(found)
        records.broken_ids.setdefault(kind, set()).add(record_id)
        if folder == "plans":
            records.broken_ids.setdefault("goal", set()).add(record_id)
        return
    store, store_kind = _store_for(records, value)
    store[record_id] = value
    if keep_sources:
        records.documents[(store_kind, record_id)] = source
    records.paths[(store_kind, record_id)] = rel
    if body is not None:
        records.bodies[record_id] = body


def read_document(raw: bytes, rel: str, folder: str) -> tuple[Document, list[Problem]]:
    """One file's bytes → its document (values with their lines and columns), as its folder reads it."""
    return load_markdown_text(raw, rel) if folder == "reports" else load_yaml_text(raw, rel)


def read_record(raw: bytes, rel: str, folder: str) -> tuple[Document, model.Record | None, list[Problem]]:
    """One file's bytes → its document, its validated record (None if invalid) and its problems.
    Depends on nothing but the bytes, the path and sitegen itself, which is what makes it cacheable."""
    document, found = read_document(raw, rel, folder)
    if not found:
        found = require_mapping(document, msg("a record"))
    if found:
        return document, None, found
    value: BaseModel | None
    if folder == "customers":
        value, found = validate_document(document, model.Customer)
    elif folder == "plans":
        value, found = validate_by_kind(document, model.PLAN_KINDS)
    elif folder == "imports":
        value, found = validate_document(document, model.ImportLog)
    else:
        value, found = validate_by_kind(document, model.REPORT_KINDS, default="daily")
    return document, (value if isinstance(value, model.Record) and not found else None), found


def _store_for(records: Records, value) -> tuple[dict, str]:
    if isinstance(value, model.Customer):
        return records.customers, "customer"
    if isinstance(value, model.Goal):
        return records.goals, "goal"
    if isinstance(value, model.Plan):
        return records.plans, "plan"
    if isinstance(value, model.Review):
        return records.reviews, "review"
    if isinstance(value, model.Coaching):
        return records.coachings, "coaching"
    if isinstance(value, model.ImportLog):
        return records.imports, "import"
    return records.reports, "report"
