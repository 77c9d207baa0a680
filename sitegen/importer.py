"""``sitegen import``: CSV exports of another CRM into records, driven by a mapping file.

A mapping (YAML) names the CSV files and which column means what; ready ones for common layouts
ship in ``templates/import/`` (``sitegen import maven-crm DIR`` uses ``maven-crm.yaml``). The rule
is that nothing is lost or quietly changed:

- every CSV row lands in a record, or is reported with its file and line and the reason;
- values are kept as written — a product or sector that does not match its list is reported with
  a did-you-mean, never corrected (a mapping may correct values explicitly, under ``values:``);
- won deals keep their date, amount, product and agent; every opportunity (won, lost or open)
  becomes a touchpoint in the customer's history on its engage date; open ones with no date are
  listed in the customer's notes with everything the row had.

Into a team that exists (``sitegen init`` first), an import only adds: new members and groups at
the end of the lists in records/team.yaml, its channel to sitegen.yaml, new customer files; a
customer already there (by name) is left as it was and reported. Nothing is overwritten.

The problems are data (``Problem``), printed by the command, written to ``import-report.txt`` and
kept in ``records/imports/`` so that the site's problems page lists them too.
"""

from __future__ import annotations

import csv
import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from . import model
from .i18n import NO_TEXT, English, Text, msg
from .problems import Problem, Severity
from .resources import builtin_templates
from .scaffold import ScaffoldError, _environment, _write_new, add_to_list, slug


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str | None) -> str:
        return (self.values.get(column) or "").strip() if column else ""


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def builtin_mappings() -> dict[str, Path]:
    return {p.stem: p for p in sorted((builtin_templates() / "import").glob("*.yaml"))}


class MappingError(Exception):
    """A mapping file that cannot be used, with every problem located in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the mapping")
        self.problems = problems


def load_mapping(name_or_path: str) -> dict:
    """A ready mapping by name, or a mapping file, validated by ``model.ImportMapping``: a bad
    one raises MappingError with located problems, never a KeyError halfway through an import."""
    from .loader import load_yaml_file, require_mapping
    from .schema import validate_document

    path = builtin_mappings().get(name_or_path) or Path(name_or_path)
    if not path.is_file():
        raise ScaffoldError(msg("no mapping '{name}': give a mapping file, or one of: {choices}", name=name_or_path, choices=", ".join(builtin_mappings())))
    document, problems = load_yaml_file(path, str(path))
    if not problems:
        problems = require_mapping(document, msg("a mapping"))
    if not problems:
        value, problems = validate_document(document, model.ImportMapping)
    if problems or value is None:
        raise MappingError(problems)
    mapping = value.model_dump(exclude_none=True)
    mapping["name"] = path.stem
    return mapping


def read_csv(source: Path, spec: dict | None, problems: list[Problem]) -> list[Row]:
    if not spec:
        return []
    path = source / spec["file"]
    if not path.is_file():
        problems.append(Problem(spec["file"], 1, 1, "error", "", msg("{file} not found in {source}", file=spec['file'], source=str(source)), msg("check the mapping's file names")))
        return []
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.DictReader(text.splitlines(keepends=True))
    rows = []
    for values in reader:
        rows.append(Row(spec["file"], reader.line_num, values))
    missing = [c for key, c in spec.items() if key not in ("file", "known", "won", "lost", "open", "notes") and isinstance(c, str)
               and c not in (reader.fieldnames or [])]
    for column in missing:
        problems.append(Problem(spec["file"], 1, 1, "error", column, msg("column '{column}' is not in {file}", column=column, file=spec['file']),
                                msg("its columns are: {columns}", columns=', '.join(reader.fieldnames or []))))
    return rows


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value == int(value) else value


def _day(text: str, date_format: str) -> date | None:
    try:
        return datetime.strptime(text, date_format).date()
    except ValueError:
        return None


def import_csv(mapping: dict[str, Any], source: Path, root: Path) -> ImportResult:
    """Read the CSV files the mapping names from ``source``; write records under ``root``."""
    result = ImportResult()
    problems = result.problems
    date_format = mapping.get("date_format", "%Y-%m-%d")

    def report(row: Row, column: str, message: Text, hint: Text = NO_TEXT, severity: Severity = "warning") -> None:
        problems.append(Problem(row.file, row.line, 1, severity, column or "", message, hint))

    # a part the mapping leaves out is an empty spec: no file is read for it
    specs: dict[str, dict[str, Any]] = {k: mapping.get(k) or {} for k in ("team", "accounts", "products", "deals", "contacts")}
    team_spec, account_spec, product_spec, deal_spec, contact_spec = (specs[k] for k in specs)
    team_rows = read_csv(source, team_spec, problems)
    account_rows = read_csv(source, account_spec, problems)
    product_rows = read_csv(source, product_spec, problems)
    deal_rows = read_csv(source, deal_spec, problems)
    contact_rows = read_csv(source, contact_spec, problems)
    if any(p.is_error for p in problems):
        return result
    corrections: dict[str, dict[str, str]] = mapping.get("values") or {}

    def value(row: Row, spec: dict, key: str) -> str:
        text = row.get(spec.get(key))
        return corrections.get(key, {}).get(text, text)

    # --- members ------------------------------------------------------------------------------
    members: dict[str, dict] = {}  # name -> member entry
    groups: dict[str, dict] = {}
    existing = _existing_team(root)  # an initialised team: its people are kept, never replaced
    existing_by_name = {m["name"]: m["id"] for m in existing.members}
    used_ids: set[str] = {m["id"] for m in existing.members}
    group_ids: set[str] = set(existing.groups)

    def member_id(name: str) -> str:
        if name in existing_by_name:  # the same person, already in the team
            return existing_by_name[name]
        base = candidate = slug(name) or "member"
        n = 2
        while candidate in used_ids:
            candidate = f"{base}-{n}"
            n += 1
        used_ids.add(candidate)
        return candidate

    agent_rows: dict[str, Row] = {}
    managers = {value(r, team_spec, "manager") for r in team_rows} - {""}
    for name in sorted(managers):
        members[name] = {"id": member_id(name), "name": name, "role": "manager", "reporting": "none"}
    for row in team_rows:
        name, manager, office = value(row, team_spec, "member"), value(row, team_spec, "manager"), value(row, team_spec, "group")
        if not name:
            report(row, team_spec["member"], msg("a sales-team row without a name is skipped"))
            continue
        if name in members:
            report(row, team_spec["member"], msg("'{name}' is listed twice; the first row is used", name=name))
            continue
        entry = {"id": member_id(name), "name": name, "role": "rep", "reporting": "none"}
        if manager:
            group_key = f"{office} · {manager}" if office else manager
            if group_key not in groups:
                gid = base = slug(group_key) or "group"
                n = 2
                while gid in group_ids:
                    gid, n = f"{base}-{n}", n + 1
                group_ids.add(gid)
                groups[group_key] = {"id": gid, "name": group_key, "supervisor": members[manager]["id"]}
            entry["group"] = groups[group_key]["id"]
            entry["reports_to"] = members[manager]["id"]
        members[name] = entry
        agent_rows[name] = row
        result.counts["members"] += 1

    # --- products: the list deals are checked against ----------------------------------------
    products = {value(r, product_spec, "name") for r in product_rows} - {""}

    # --- accounts ------------------------------------------------------------------------------
    accounts: dict[str, dict[str, Any]] = {}
    customers_dir = root / "records" / "customers"
    account_ids: set[str] = {f.stem for f in customers_dir.glob("*.y*ml")} if customers_dir.is_dir() else set()
    existing_customers = _existing_customer_names(customers_dir)
    known = (account_spec or {}).get("known") or {}
    for row in account_rows:
        name = value(row, account_spec, "name")
        if not name:
            report(row, account_spec["name"], msg("an account without a name is skipped"), msg("give it a name in the CRM and export again"))
            continue
        if name in accounts:
            report(row, account_spec["name"], msg("account '{name}' is listed twice; the first row is used", name=name))
            continue
        if name in existing_customers:
            report(row, account_spec["name"], msg("account '{name}' is already a customer in {file}: left as it was, and its deals and contacts are not imported", name=name, file=existing_customers[name]), msg("merge them into that file by hand if they are new"))
            continue
        cid = base = slug(name) or "customer"
        n = 2
        while cid in account_ids:
            cid, n = f"{base}-{n}", n + 1
        account_ids.add(cid)
        industry = value(row, account_spec, "industry")
        for key, allowed in known.items():
            found = value(row, account_spec, key)
            if found and found not in allowed:
                close = difflib.get_close_matches(found, allowed, n=1)
                report(row, account_spec.get(key, key), msg("{key} '{found}' is not one of the known values; kept as written", key=key, found=found),
                       msg("did you mean '{name}'?", name=close[0]) if close else msg("add it to the mapping's known values if it is right"))
        notes = [f"{column}: {row.get(column)}" for column in account_spec.get("notes", []) if row.get(column)]
        accounts[name] = {"id": cid, "row": row, "industry": industry, "notes": notes, "won": [], "history": [],
                          "undated": [], "contacts": []}
        result.counts["accounts"] += 1

    for row in contact_rows:
        account = value(row, contact_spec, "account")
        if account not in accounts:
            report(row, contact_spec["account"], msg("contact for unknown account '{account}' is not imported", account=account),
                   msg("add the account to the accounts file"))
            continue
        contact = {k: value(row, contact_spec, k) for k in ("name", "role", "phone", "email") if value(row, contact_spec, k)}
        if "name" not in contact:
            report(row, contact_spec.get("name", "name"), msg("a contact without a name is not imported"))
            continue
        accounts[account]["contacts"].append(contact)
        result.counts["contacts"] += 1

    # --- deals ---------------------------------------------------------------------------------
    stage_kind = {s: kind for kind in ("won", "lost", "open") for s in (deal_spec or {}).get(kind, [])}
    unknown_products: dict[str, list[Row]] = defaultdict(list)
    for row in deal_rows:
        account, agent = value(row, deal_spec, "account"), value(row, deal_spec, "member")
        product, stage = value(row, deal_spec, "product"), value(row, deal_spec, "stage")
        ref = value(row, deal_spec, "id")
        kind = stage_kind.get(stage)
        if kind is None:
            report(row, deal_spec["stage"], msg("unknown stage '{stage}': the deal is not imported", stage=stage),
                   msg("list it under won, lost or open in the mapping"), "error")
            continue
        if not account:
            report(row, deal_spec["account"], msg("{stage} deal {ref} has no account: not imported", stage=stage, ref=ref),
                   msg("a deal needs a customer; fill in the account in the CRM and export again"))
            continue
        if account in existing_customers:
            report(row, deal_spec["account"], msg("deal {ref} of '{account}', already a customer in {file}: not imported", ref=ref, account=account, file=existing_customers[account]), msg("add it to that file by hand if it is new"))
            continue
        if account not in accounts:
            report(row, deal_spec["account"], msg("deal {ref} names account '{account}', which is not in the accounts file: not imported", ref=ref, account=account),
                   msg("export the accounts again, or add the account"))
            continue
        if not agent:
            report(row, deal_spec["member"], msg("deal {ref} has no sales agent: not imported", ref=ref), msg("fill in the owner in the CRM"))
            continue
        if agent not in members:
            members[agent] = {"id": member_id(agent), "name": agent, "role": "rep", "reporting": "none"}
            report(row, deal_spec["member"], msg("sales agent '{agent}' is not in the sales team file; added without a group", agent=agent),
                   msg("add them to the sales team export"))
        if product and products and product not in products:
            unknown_products[product].append(row)
        opened, closed = _day(value(row, deal_spec, "opened"), date_format), _day(value(row, deal_spec, "closed"), date_format)
        amount = _number(value(row, deal_spec, "amount")) if value(row, deal_spec, "amount") else None
        account_entry = accounts[account]
        who = members[agent]["id"]
        if kind == "won":
            if closed is None or amount is None:
                report(row, deal_spec["closed"] if closed is None else deal_spec["amount"],
                       msg("won deal {ref} has no valid close date or amount: not imported", ref=ref), NO_TEXT, "error")
                continue
            account_entry["won"].append({"date": closed, "amount": amount, "product": product or None, "member": who,
                                 "note": f"{ref} (engaged {opened})" if opened else ref})
        when = opened or closed
        outcome = {"won": f"won {amount:,} on {closed}" if kind == "won" else None,
                   "lost": f"lost on {closed}" + (f" ({amount:,})" if amount else "") if kind == "lost" else None,
                   "open": f"open ({stage})"}[kind]
        if when is None:
            account_entry["undated"].append(f"{ref}: {product or '—'}, {agent}, {stage}")
        else:
            account_entry["history"].append({"date": when, "member": who, "channel": mapping.get("channel", "crm"),
                                     "purpose": f"{stage_label(kind)} {ref}: {product or '—'}", "result": outcome})
        result.counts[f"deals {kind}"] += 1
    for product, rows in sorted(unknown_products.items()):
        close = difflib.get_close_matches(product, sorted(products), n=1)
        for row in rows:
            report(row, deal_spec["product"], msg("product '{product}' is not in {file}; kept as written", product=product, file=product_spec['file']),
                   msg("did you mean '{name}'? To correct it, add it under values: product: in the mapping", name=close[0]) if close
                   else msg("to correct it, add it under values: product: in the mapping"))

    with_deals = {d["member"] for a in accounts.values() for d in a["history"]}
    for name, row in agent_rows.items():
        if members[name]["id"] not in with_deals:
            report(row, team_spec["member"], msg("{name} has no deals", name=name), msg("kept in the team; remove them there if they have left"))

    result.written += _write_records(root, mapping, members, groups, accounts, result, existing)
    result.written.append(_write_log(root, mapping, source, result.problems))
    return result


@dataclass
class ExistingTeam:
    """What records/team.yaml already holds, when an import goes into an initialised team."""

    members: list[dict[str, str]]  # id and name of each
    groups: list[str]  # ids
    file: Path | None  # None: there is no team yet


def _existing_team(root: Path) -> ExistingTeam:
    """The members and groups of the team file already in ``root`` (none when there is none)."""
    from .loader import load_yaml_file

    team_file = root / "records" / "team.yaml"
    if not team_file.is_file():
        return ExistingTeam([], [], None)
    document, problems = load_yaml_file(team_file, "records/team.yaml")
    data = document.data if isinstance(document.data, dict) else None
    if problems or data is None:
        raise ScaffoldError(msg("{file} cannot be read; run 'sitegen check' and fix it before importing", file=str(team_file)))
    people = [m for m in data.get("members") or [] if isinstance(m, dict) and "id" in m]
    return ExistingTeam([{"id": str(m["id"]), "name": str(m.get("name", m["id"]))} for m in people],
                        [str(g["id"]) for g in data.get("groups") or [] if isinstance(g, dict) and "id" in g], team_file)


def _existing_customer_names(folder: Path) -> dict[str, str]:
    """Name -> relative path of every customer record already there, so none is imported twice."""
    from .loader import load_yaml_file

    names: dict[str, str] = {}
    for file in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        document, _ = load_yaml_file(file, file.name)
        if isinstance(document.data, dict) and document.data.get("name"):
            names.setdefault(str(document.data["name"]), f"records/customers/{file.name}")
    return names


def _write_log(root: Path, mapping: dict, source: Path, problems: list[Problem]) -> Path:
    """records/imports/<day>-<mapping>.yaml: what was left out, for the site's problems page."""
    name = slug(str(mapping.get("name") or mapping.get("title") or "import")) or "import"
    day = date.today()
    log = {"kind": "import", "mapping": str(mapping.get("name") or mapping.get("title") or "import"),
           "source": source.name, "date": day.isoformat(),
           "left_out": [{"file": p.path, "line": p.line, "column": p.field, "message": English(p.message), "hint": English(p.hint)}
                        for p in problems]}
    folder = root / "records" / "imports"
    path, n = folder / f"{day.isoformat()}-{name}.yaml", 2
    while path.exists():
        path, n = folder / f"{day.isoformat()}-{name}-{n}.yaml", n + 1
    header = "# written by sitegen import: every row it left out. Delete this file once they are dealt with.\n"
    return _write_new(path, header + _dump(log))


def stage_label(kind: str) -> str:
    return {"won": "opportunity (won)", "lost": "opportunity (lost)", "open": "opportunity (open)"}[kind]


def _write_records(root: Path, mapping: dict, members: dict, groups: dict, accounts: dict, result: ImportResult,
                   existing: ExistingTeam) -> list[Path]:
    written = []
    fallback_owner = next((m["id"] for m in members.values() if m["role"] == "manager"), None) or next(
        (m["id"] for m in members.values()), "unassigned")
    if not (root / "sitegen.yaml").exists():
        env = _environment(root, "en")
        text = env.get_template("scaffold/sitegen.yaml").render(
            title=mapping.get("title", "Imported team"), locale="en", version="", today=date.today(), timezone="UTC",
            extra_channels=[{"id": mapping.get("channel", "crm"), "name": "CRM"}])
        text = text.replace("currency: USD", f"currency: {mapping.get('currency', 'USD')}")
        written.append(_write_new(root / "sitegen.yaml", text))
    else:
        _add_channel(root / "sitegen.yaml", mapping.get("channel", "crm"))
    if existing.file is not None:  # an initialised team: add the new people and groups, change nothing else
        known = {m["id"] for m in existing.members}
        add_to_list(existing.file, "groups", list(groups.values()))
        add_to_list(existing.file, "members", [m for m in members.values() if m["id"] not in known])
        written.append(existing.file)
    else:
        team = {"groups": list(groups.values()), "members": list(members.values())}
        written.append(_write_new(root / "records" / "team.yaml", "# imported by sitegen import\n" + _dump(team)))
    for name, entry in accounts.items():
        won_by: Counter[str] = Counter()
        for deal in entry["won"]:
            won_by[deal["member"]] += deal["amount"]
        touched = Counter(h["member"] for h in entry["history"])
        # the owner: who won the most with this account, else who worked it most (ties: by id)
        owner = (min(won_by, key=lambda m: (-won_by[m], m)) if won_by
                 else min(touched, key=lambda m: (-touched[m], m)) if touched else fallback_owner)
        status = "customer" if entry["won"] else ("prospect" if any(h["result"].startswith("open") for h in entry["history"])
                                                  or entry["undated"] else ("lost" if entry["history"] else "lead"))
        record: dict = {"name": name, "owner": owner, "status": status}
        if entry["industry"]:
            record["industry"] = entry["industry"]
        if entry["contacts"]:
            record["contacts"] = entry["contacts"]
        if entry["won"]:
            record["deals"] = sorted(entry["won"], key=lambda d: (d["date"], d["note"]))
        if entry["history"]:
            record["history"] = sorted(entry["history"], key=lambda h: (h["date"], h["purpose"]))
        notes = list(entry["notes"])
        if entry["undated"]:
            notes.append("Open opportunities with no date yet: " + "; ".join(sorted(entry["undated"])))
        if notes:
            record["notes"] = "\n".join(notes)
        path = root / "records" / "customers" / f"{entry['id']}.yaml"
        written.append(_write_new(path, f"# imported from {entry['row'].file}:{entry['row'].line}\n" + _dump(record)))
    return written


def _add_channel(config: Path, channel: str) -> None:
    """The channel imported touchpoints use, added to an existing sitegen.yaml if it lacks it."""
    from .loader import load_yaml_file

    document, _ = load_yaml_file(config, "sitegen.yaml")
    channels = document.data.get("channels") if isinstance(document.data, dict) else None
    if isinstance(channels, list) and any(isinstance(c, dict) and c.get("id") == channel for c in channels):
        return
    add_to_list(config, "channels", [{"id": channel, "name": "CRM", "daily_target": 0, "funnel": "other"}])


class _Dumper(yaml.SafeDumper):
    pass


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
