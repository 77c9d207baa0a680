"""Find a team's record files, load them and validate each against its schema.

``load_records(root)`` is the pipeline's first stage: it returns every record that is valid on its
own, plus the problems of those that are not. Checks across records (references, configured
channels) come next, in ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .cache import RecordCache, content_hash, decode_document, encode_document
from .loader import Document, load_markdown_text, load_yaml_file, load_yaml_text, read_bytes, require_mapping
from .problems import Problem, error, warning
from .schema import validate_by_kind, validate_document

CONFIG_FILE = "sitegen.yaml"
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
    documents: dict[tuple[str, str], Document | str] = field(default_factory=dict)  # (kind, id) -> source (or its JSON)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> relative path of the file
    digests: dict[str, bytes] = field(default_factory=dict)  # relative path -> content hash, for every file read
    broken_ids: dict[str, set[str]] = field(default_factory=dict)  # ids of files that failed validation
    paths_by_id: dict[tuple[str, str], str] = field(default_factory=dict)  # (folder, id) -> first file
    files: int = 0

    def document(self, kind: str, record_id: str) -> Document:
        """The source of a record, for locating problems. Documents stay encoded (JSON, as the
        cache holds them) until a check needs one: most never do, and thousands of marks in
        memory are not free."""
        document = self.documents[(kind, record_id)]
        if isinstance(document, str):
            document = self.documents[(kind, record_id)] = decode_document(document)
        return document

    def source_path(self, kind: str, record_id: str) -> str:
        return self.paths[(kind, record_id)]

    def known_ids(self, kind: str) -> set[str]:
        """Valid ids plus those of broken files, so one bad file does not cascade into many errors."""
        valid = {"customer": self.customers, "goal": self.goals, "plan": self.plans}.get(kind, {})
        return set(valid) | self.broken_ids.get(kind, set())


def relative(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def load_records(root: Path, cache: RecordCache | None = None, digests: dict[str, bytes] | None = None
                 ) -> tuple[Records, list[Problem]]:
    root = root.resolve()
    records = Records(root=root)
    problems: list[Problem] = []

    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        problems.append(error(CONFIG_FILE, 1, 1, "", f"no {CONFIG_FILE} in {root}",
                              "run sitegen in the team's repository, or create one with 'sitegen init'"))
    else:
        records.config = _load_single(records, "config", config_file, model.Config, "the configuration", problems)
        records.files += 1

    team_file = root / TEAM_FILE
    if not team_file.is_file():
        problems.append(error(TEAM_FILE, 1, 1, "", "the team file is missing",
                              "list the team's members in records/team.yaml (see docs/records.md)"))
    else:
        records.team = _load_single(records, "team", team_file, model.Team, "the team file", problems)
        records.files += 1

    for folder, files in _discover(root, problems).items():
        for file in files:
            records.files += 1
            _load_record(records, folder, file, problems, cache, digests)
    return records, problems


def _load_single(records: Records, kind: str, file: Path, model_class, what: str, problems: list[Problem]):
    document, found = load_yaml_file(file, relative(records.root, file))
    records.documents[(kind, kind)] = document
    records.paths[(kind, kind)] = document.path
    problems += found
    if found:
        return None
    found = require_mapping(document, what)
    if not found:
        value, found = validate_document(document, model_class)
        if value is not None:
            return value
    problems += found
    return None


def _discover(root: Path, problems: list[Problem]) -> dict[str, list[Path]]:
    """Every record file under records/, in a stable order; strays and unsafe links reported."""
    records_dir = root / RECORDS_DIR
    found: dict[str, list[Path]] = {name: [] for name in FOLDERS}
    if not records_dir.is_dir():
        return found
    real_records = records_dir.resolve()
    for file in sorted(records_dir.rglob("*")):
        rel = relative(root, file)
        if any(part.startswith(".") for part in file.relative_to(records_dir).parts):
            continue
        if file.is_symlink():
            target = file.resolve()
            if not target.is_relative_to(real_records):
                problems.append(error(rel, 1, 1, "", "symbolic link points outside the records folder",
                                      "copy the file into records/ instead of linking to it"))
                continue
        if not file.is_file() or rel == TEAM_FILE:
            continue
        parts = file.relative_to(records_dir).parts
        folder = parts[0] if len(parts) > 1 else None
        if folder not in FOLDERS:
            if file.name.lower() != "readme.md":
                problems.append(warning(rel, 1, 1, "", "file is not in a records folder and is ignored",
                                        "records go in records/customers, records/plans or records/reports"))
            continue
        suffixes, _ = FOLDERS[folder]
        if file.suffix.lower() not in suffixes:
            if file.name.lower() != "readme.md":
                problems.append(warning(rel, 1, 1, "", f"'{file.suffix}' files are not read in records/{folder}",
                                        f"name it with {' or '.join(sorted(suffixes))}"))
            continue
        found[folder].append(file)
    return found


def _load_record(records: Records, folder: str, file: Path, problems: list[Problem], cache: RecordCache | None,
                 digests: dict[str, bytes] | None) -> None:
    rel = relative(records.root, file)
    record_id = file.stem
    kind = FOLDERS[folder][1]
    try:
        model.parse_slug(record_id)
    except Exception as exc:  # PydanticCustomError: a bad file name is a located problem
        ctx = getattr(exc, "context", None) or {}
        problems.append(error(rel, 1, 1, "", f"file name: {ctx.get('message', 'not a valid id')}",
                              (ctx.get("hint") or "") + " — the file name is the record's id"))
        return
    first = records.paths_by_id.setdefault((folder, record_id), rel)
    if first != rel:
        problems.append(error(rel, 1, 1, "", f"duplicate id '{record_id}': {first} has the same file name",
                              "ids are file names and must be unique across folders; rename one of the files"))
        return
    # a hash taken earlier in this build (the build's fingerprint) saves reading an unchanged file
    digest = digests.get(rel) if digests else None
    cached = cache.get(rel, digest) if cache is not None and digest is not None else None
    if cached is None:
        raw, found = read_bytes(file, rel)
        if raw is None:
            problems += found
            records.broken_ids.setdefault(kind, set()).add(record_id)
            return
        digest = content_hash(raw)
        cached = cache.get(rel, digest) if cache is not None else None
    records.digests[rel] = digest
    if cached is not None:
        document, body, value, found = cached
    else:
        document, value, found = read_record(raw, rel, folder)
        body = document.body
        if cache is not None:
            # kept encoded from here on, as when it comes from the cache: a document's marks take
            # more memory than its record (54 MB of 230 at 5,000 reports) and are rarely needed
            try:
                document = encode_document(document)
            except (TypeError, ValueError):  # values JSON cannot hold (a complex key): kept as it is
                pass
            cache.put(rel, digest, (document, body, value, found))
    if found or value is None:
        problems += found
        records.broken_ids.setdefault(kind, set()).add(record_id)
        if folder == "plans":
            records.broken_ids.setdefault("goal", set()).add(record_id)
        return
    store, store_kind = _store_for(records, value)
    store[record_id] = value
    records.documents[(store_kind, record_id)] = document
    records.paths[(store_kind, record_id)] = rel
    if body is not None:
        records.bodies[record_id] = body


def read_record(raw: bytes, rel: str, folder: str) -> tuple[Document, object | None, list[Problem]]:
    """One file's bytes → its document, its validated record (None if invalid) and its problems.
    Depends on nothing but the bytes, the path and sitegen itself, which is what makes it cacheable."""
    if folder == "reports":
        document, found = load_markdown_text(raw, rel)
    else:
        document, found = load_yaml_text(raw, rel)
    if not found:
        found = require_mapping(document, "a record")
    if found:
        return document, None, found
    if folder == "customers":
        value, found = validate_document(document, model.Customer)
    elif folder == "plans":
        value, found = validate_by_kind(document, model.PLAN_KINDS)
    elif folder == "imports":
        value, found = validate_document(document, model.ImportLog)
    else:
        value, found = validate_by_kind(document, model.REPORT_KINDS, default="daily")
    return document, (None if found else value), found


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
