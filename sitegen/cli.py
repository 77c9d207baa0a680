"""The command line: one function per verb, each a thin edge around the pipeline.

Exit codes: 0 success, 1 problems in the records (or a failed build), 2 wrong usage.
What a command prints for a person is in the team's language (``locale`` in sitegen.yaml), or
the one ``--lang`` asks for.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date
from functools import partial
from pathlib import Path

from . import __version__
from .i18n import LABEL, N_, English, Language, Text, joined, msg, terminal_language
from .problems import count_summary, format_github, format_json, format_text, sort_problems


def _as_of(words: Language, text: str) -> date:
    from .periods import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words(msg("'{text}' is not a date (YYYY-MM-DD)", text=text))) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(words(msg("'{text}' is outside the years 1900 to 2100", text=text)))
    return day


def _jobs(words: Language, text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words(msg("'{text}' is not a number of processes", text=text))) from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(words(msg("'{text}': at least 1 process renders the pages", text=text)))
    return jobs


# argparse's own words (its usage line, headings and errors), which it looks up through its
# module's `_` when it builds a parser and reports a mistake: sitegen's catalogs translate them
# (_argparse_speaking). Listed here for extraction.
ARGPARSE_WORDS = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
                  N_("unrecognized arguments: %s"), N_("the following arguments are required: %s"),
                  N_("expected one argument"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
                  N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
                  N_("ignored explicit argument %r"))


@contextmanager
def _argparse_speaking(words: Language) -> Iterator[None]:
    """argparse's own words in the reader's language while a parser is built and used."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]  # argparse's gettext, not in its stubs
    argparse._, argparse.ngettext = words.translations.gettext, words.translations.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Help(argparse.HelpFormatter):
    """argparse's help with each section's heading labelled as the reader's language labels
    ("選項："): argparse writes the heading's colon itself, an ASCII one, outside its gettext."""

    def __init__(self, prog: str, words: Language = English) -> None:
        super().__init__(prog)
        self._words = words
        self._headings: set[str] = set()

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.add(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        if not self._headings:
            return text
        labels = {heading: self._words(LABEL).format(label=heading).rstrip() for heading in self._headings}
        heading_line = re.compile(r"^( *)(" + "|".join(map(re.escape, labels)) + r"):$", re.M)
        return heading_line.sub(lambda found: found.group(1) + labels[found.group(2)], text)


def _early_language(argv: list[str]) -> Language:
    """The language of the command line itself (its help and usage errors), known before it is
    parsed: ``--lang``, else SITEGEN_LANG, else the locale of the team here, else the environment's.
    Once parsed, a command speaks its own team's language (_words)."""
    requested = None
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            requested = argv[index + 1]
        elif word.startswith("--lang="):
            requested = word.partition("=")[2]
    return terminal_language(requested, _team_setting(Path("."), "locale"))


def _parser(words: Language = English) -> argparse.ArgumentParser:
    """The command line, its help in ``words`` (argparse's own words too, under _argparse_speaking)."""
    _ = words
    as_of, jobs = partial(_as_of, words), partial(_jobs, words)
    here = _("the team's repository (default: here)")
    help_format = partial(_Help, words=words)
    parser = argparse.ArgumentParser(prog="sitegen", description=_("Turn a sales team's records into a static dashboard site."),
                                     formatter_class=help_format)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}", help=_("show the version and exit"))
    verbs = parser.add_subparsers(dest="verb", required=True, metavar=_("COMMAND"))
    speaks = argparse.ArgumentParser(add_help=False)
    speaks.add_argument("--lang", choices=["en", "zh-Hant", "zh-Hans"],
                        help=_("the language of messages (default: the team's locale in sitegen.yaml)"))

    check = verbs.add_parser("check", parents=[speaks], help=_("validate the records and report every problem"))
    check.add_argument("root", nargs="?", default=".", type=Path, metavar=_("ROOT"), help=here)
    check.add_argument("--format", choices=["text", "github", "json"], default="text", help=_("how problems are written"))
    check.add_argument("--strict", action="store_true", help=_("warnings fail too"))
    check.add_argument("--as-of", type=as_of, metavar=_("DAY"), help=_("judge dates as of this day (default: today in the team's time zone)"))
    check.add_argument("--no-cache", action="store_true", help=_("read every file again instead of using .sitegen-cache/"))

    build = verbs.add_parser("build", parents=[speaks], help=_("validate, then write the site"))
    build.add_argument("root", nargs="?", default=".", type=Path, metavar=_("ROOT"), help=here)
    build.add_argument("-o", "--output", type=Path, metavar=_("FOLDER"), help=_("output folder (default: ROOT/site)"))
    build.add_argument("--as-of", type=as_of, metavar=_("DAY"), help=_("compute as of this day (default: today in the team's time zone)"))
    build.add_argument("--private", action="store_true", help=_("show personal data unmasked (internal hosting only)"))
    build.add_argument("--strict", action="store_true", help=_("warnings fail the build too"))
    build.add_argument("-v", "--verbose", action="store_true", help=_("print every warning, not just their count"))
    build.add_argument("--no-cache", action="store_true", help=_("read every file again instead of using .sitegen-cache/"))
    build.add_argument("-j", "--jobs", type=jobs, metavar="N",
                       help=_("processes parsing files and rendering pages (default: one per core, at most 8); 1 uses the least memory"))
    build.add_argument("--no-fsync", action="store_true",
                       help=_("do not flush the site to disk before swapping it in (faster; for throwaway machines and tests)"))
    build.add_argument("--archive", action="store_true",
                       help=_("also keep the site as it stood at each month's end under archive/ (built once from that month's last commit)"))
    build.add_argument("--at", metavar=_("COMMIT"),
                       help=_("build the site as it was at a commit (as of that commit's day unless --as-of is given): "
                              "the records, settings and history of that commit, checked out aside"))

    for name in ("watch", "serve"):
        watch = verbs.add_parser(name, parents=[speaks], help=_("build, serve on localhost, rebuild on save with live reload"))
        watch.add_argument("root", nargs="?", default=".", type=Path, metavar=_("ROOT"), help=here)
        watch.add_argument("-o", "--output", type=Path, metavar=_("FOLDER"), help=_("output folder (default: ROOT/site)"))
        watch.add_argument("--as-of", type=as_of, metavar=_("DAY"), help=_("compute as of this day (default: today in the team's time zone)"))
        watch.add_argument("--host", default="127.0.0.1", help=_("the address to serve on (default: this machine only)"))
        watch.add_argument("--port", type=int, default=8000, help=_("the port to serve on (default: 8000)"))
        watch.add_argument("--private", action="store_true", help=_("show personal data unmasked (internal hosting only)"))
        watch.add_argument("--poll", action="store_true", help=_("poll for changes (network drives, WSL)"))

    schema = verbs.add_parser("schema", help=_("write JSON Schemas of the records for editors"))
    schema.add_argument("-o", "--output", type=Path, default=Path("schemas"), metavar=_("FOLDER"),
                        help=_("where the schemas go (default: schemas)"))

    init = verbs.add_parser("init", help=_("start a new team repository with examples, CI and editor settings"))
    init.add_argument("directory", type=Path, nargs="?", default=Path("."), metavar=_("FOLDER"), help=_("where to start it (default: here)"))
    init.add_argument("--locale", choices=["en", "zh-Hant", "zh-Hans"], default="en", help=_("the team's language (default: en)"))
    init.add_argument("--title", help=_("the dashboard's title"))

    new = verbs.add_parser("new", parents=[speaks], help=_("create a record, pre-filled from the records (never overwrites)"))
    new.add_argument("kind", choices=["report", "customer", "plan", "goal", "review", "coaching"], help=_("what kind of record"))
    new.add_argument("name", nargs="?", metavar=_("NAME"), help=_("customer: the customer's name"))
    new.add_argument("--root", type=Path, default=Path("."), metavar=_("ROOT"), help=here)
    new.add_argument("--member", default=os.environ.get("SITEGEN_MEMBER"), metavar=_("MEMBER"),
                     help=_("whose record (default: $SITEGEN_MEMBER)"))
    new.add_argument("--date", type=as_of, metavar=_("DAY"), help=_("the day (default: today)"))
    new.add_argument("--half", choices=["am", "pm"], help=_("report: half-day report"))
    new.add_argument("--id", dest="record_id", metavar="ID", help=_("customer: the id (file name), when the name is not in Latin letters"))
    new.add_argument("--period", metavar=_("PERIOD"), help=_("plan: day, week, month, quarter or year; goal: e.g. 2026-12; "
                                                            "report: week, month, quarter, half-year or year (a periodic report)"))
    new.add_argument("--reviewer", metavar=_("MEMBER"), help=_("review: the reviewer; coaching: the coach (default: who the member reports to)"))
    new.add_argument("--capability", action="append", default=[], metavar="ID", help=_("coaching: a capability id (repeatable)"))

    importer = verbs.add_parser("import", parents=[speaks], help=_("turn another CRM's CSV export into records, driven by a mapping"))
    importer.add_argument("mapping", metavar=_("MAPPING"), help=_("a mapping file (YAML), or a ready one: maven-crm, salesforce, hubspot"))
    importer.add_argument("source", type=Path, metavar=_("FOLDER"), help=_("the folder holding the CSV files"))
    importer.add_argument("--into", type=Path, default=Path("."), metavar=_("ROOT"), help=here)

    demo = verbs.add_parser("demo", help=_("write a synthetic team of any size"))
    demo.add_argument("directory", type=Path, metavar=_("FOLDER"), help=_("where to write it"))
    demo.add_argument("--members", type=int, default=8, metavar="N", help=_("how many members (default: 8)"))
    demo.add_argument("--days", type=int, default=40, metavar="N", help=_("working days of reports (default: 40)"))
    demo.add_argument("--seed", type=int, default=1, metavar="N", help=_("the same seed writes the same team (default: 1)"))
    demo.add_argument("--end", type=as_of, default=date(2026, 11, 30), metavar=_("DAY"), help=_("last day of reports"))
    demo.add_argument("--locale", choices=["en", "zh-Hant", "zh-Hans"], default="zh-Hant", help=_("the team's language (default: zh-Hant)"))
    demo.add_argument("--calendar", choices=["tw", "cn"], default="tw",
                      help=_("Taiwan's holidays, or mainland China's with make-up working weekend days"))
    for command in verbs.choices.values():  # each command's help is formatted as the main one's
        command.formatter_class = help_format
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    words = _early_language(argv)
    with _argparse_speaking(words):
        args = _parser(words).parse_args(argv)
    handler = {"check": cmd_check, "build": cmd_build, "watch": cmd_watch, "serve": cmd_watch,
               "schema": cmd_schema, "demo": cmd_demo, "init": cmd_init, "new": cmd_new,
               "import": cmd_import}[args.verb]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


def _today(root: Path | None = None) -> date:
    """Today in the team's time zone (``timezone`` in sitegen.yaml), so that a CI runner on UTC
    builds the team's morning, not its own. ``SOURCE_DATE_EPOCH`` fixes the moment for reproducible
    builds."""
    from datetime import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return now.astimezone(_team_timezone(root)).date() if root is not None else now.date()


def _team_setting(root: Path | None, key: str) -> str | None:
    """One setting of ROOT/sitegen.yaml, read leniently before the records are (None when there is
    no such file or setting: check reports what is wrong with it)."""
    from .loader import early_settings

    value = early_settings(root).get(key) if root is not None else None
    return value if isinstance(value, str) else None


def _words(args, root: Path | None) -> Language:
    """The language the command speaks: --lang, else SITEGEN_LANG, else the team's locale, else the environment's."""
    return terminal_language(getattr(args, "lang", None), _team_setting(root, "locale"))


def _say(words: Language, text: Text, error: bool = False) -> None:
    print(words(text), file=sys.stderr if error else sys.stdout)


def _not_a_folder(words: Language, root: Path) -> int:
    _say(words, msg("sitegen: error: {folder} is not a folder", folder=str(root)), error=True)
    return 2


def _failed(words: Language, text: Text) -> int:
    _say(words, msg("sitegen: error: {problem}", problem=text), error=True)
    return 2


def _team_timezone(root: Path):
    """The zone named in ROOT/sitegen.yaml; UTC when there is none (check reports a bad one)."""
    from zoneinfo import ZoneInfo

    name = _team_setting(root, "timezone")
    try:
        return ZoneInfo(name) if name else UTC
    except (ValueError, KeyError, OSError):  # unknown or malformed zone (ZoneInfoNotFoundError is a KeyError)
        return UTC


def _print_problems(problems, output_format: str, words: Language) -> None:
    stream = sys.stdout
    if output_format == "json":
        print(format_json(problems, words), file=stream)
    elif output_format == "github":
        print(format_github(problems, words), file=stream)
    else:
        print(format_text(problems, words), file=stream)


def cmd_check(args) -> int:
    from .build import broken_templates, validate

    words = _words(args, args.root)
    if not args.root.is_dir():
        return _not_a_folder(words, args.root)
    result = validate(args.root, args.as_of or _today(args.root), cache=not args.no_cache)
    problems = result.problems
    if result.team_records is not None:  # the team's own templates, whose syntax a build would stop at
        config = result.team_records.config
        problems = sort_problems(problems + broken_templates(args.root.resolve(), config, [str(config.locale)]))
    _print_problems(problems, args.format, words)
    failed = any(p.is_error for p in problems) or (args.strict and problems)
    return 1 if failed else 0


def cmd_build(args) -> int:
    from .build import build_site
    from .site import UnsafeOutput

    words = _words(args, args.root)
    if not args.root.is_dir():
        return _not_a_folder(words, args.root)
    output = args.output or args.root / "site"
    if args.at is not None:
        return _build_at(args, words, output)
    try:
        outcome = build_site(args.root, output, args.as_of or _today(args.root), private=args.private,
                             cache=not args.no_cache, durable=not args.no_fsync, archive=args.archive, jobs=args.jobs)
    except UnsafeOutput as exc:
        return _failed(words, exc.text)
    return _built(args, words, output, outcome)


def _build_at(args, words: Language, output: Path) -> int:
    """``build --at COMMIT``: the team's repository as it was at the commit, checked out into a
    temporary folder (nothing in the repository changes), built as of the commit's day in the
    team's time zone of then. The same commit gives the same site, byte for byte."""
    import tempfile

    from .build import build_site
    from .gitdates import CheckoutFailed, checkout
    from .site import UnsafeOutput, check_output_folder

    try:
        check_output_folder(args.root, output)  # the output is beside today's repository, whatever the commit holds
    except UnsafeOutput as exc:
        return _failed(words, exc.text)
    with tempfile.TemporaryDirectory(prefix="sitegen-at-") as folder:
        try:
            then, committed = checkout(args.root, args.at, Path(folder) / "repository")
        except CheckoutFailed as exc:
            return _failed(words, exc.text)
        as_of = args.as_of or committed.astimezone(_team_timezone(then)).date()
        try:
            outcome = build_site(then, output, as_of, private=args.private, cache=False, durable=not args.no_fsync, jobs=args.jobs)
        except UnsafeOutput as exc:
            return _failed(words, exc.text)
        return _built(args, words, output, outcome)


def _built(args, words: Language, output: Path, outcome) -> int:
    """What a build says when it is done, and its exit code."""
    if not outcome.ok or args.verbose:
        print(format_text(outcome.problems, words), file=sys.stderr)
    elif outcome.problems:
        _say(words, msg("{summary}: see {page} (or run sitegen check)", summary=count_summary(outcome.problems),
                        page=str(output / "problems.html")), error=True)
    if not outcome.ok or (args.strict and outcome.problems):
        _say(words, msg("build failed: {output} was left as it was", output=str(output)), error=True)
        return 1
    if outcome.up_to_date:
        _say(words, msg("{output} is up to date: nothing changed since the last build ({seconds:.2f} s)", output=str(output),
                        seconds=outcome.seconds))
    else:
        _say(words, msg("built {pages} pages into {output} in {seconds:.2f} s", pages=outcome.pages, output=str(output),
                        seconds=outcome.seconds) if not outcome.reused else
             msg("built {pages} pages into {output} in {seconds:.2f} s, {reused} unchanged", pages=outcome.pages, output=str(output),
                 seconds=outcome.seconds, reused=outcome.reused))
        if args.verbose:
            print("  " + words(joined([msg("{stage} {seconds:.2f} s", stage=Text(STAGES.get(stage, stage)), seconds=seconds)
                                       for stage, seconds in outcome.timings.items()])))
    return 0


STAGES = {  # build_site's stages (BuildOutcome.timings), as `build -v` names them
    "fingerprint": N_("what changed"), "validate": N_("records read and checked"), "plan": N_("pages planned"),
    "views": N_("views"), "page keys": N_("page keys"), "render": N_("pages written"), "archive": N_("archive"),
    "swap": N_("site swapped in")}


def cmd_watch(args) -> int:
    from .site import UnsafeOutput
    from .watch import watch

    words = _words(args, args.root)
    if not args.root.is_dir():
        return _not_a_folder(words, args.root)
    try:
        return watch(args.root, args.output or args.root / "site", args.as_of, host=args.host, port=args.port,
                     private=args.private, poll=args.poll, today=lambda: _today(args.root), words=words)
    except UnsafeOutput as exc:
        return _failed(words, exc.text)


def cmd_schema(args) -> int:
    from .schema import write_json_schemas

    for path in write_json_schemas(args.output):
        print(path)
    return 0


def cmd_init(args) -> int:
    from .scaffold import ScaffoldError, init_team

    words = terminal_language(args.locale, None)
    try:
        written = init_team(args.directory, args.locale, args.title, today=_today())
    except ScaffoldError as exc:
        return _failed(words, exc.text)
    for path in written:
        print(path)
    _say(words, msg("a new team in {folder}: next, 'sitegen watch {folder}' and open http://127.0.0.1:8000/", folder=str(args.directory)))
    return 0


def cmd_new(args) -> int:
    from .scaffold import NewRequest, ScaffoldError, new_record

    request = NewRequest(args.kind, member=args.member, day=args.date or _today(args.root), half=args.half, name=args.name,
                         record_id=args.record_id, period=args.period, reviewer=args.reviewer,
                         capabilities=tuple(args.capability))
    try:
        path = new_record(args.root, request)
    except ScaffoldError as exc:
        return _failed(_words(args, args.root), exc.text)
    print(path)
    return 0


def cmd_import(args) -> int:
    from .importer import MappingError, import_csv, load_mapping
    from .scaffold import ScaffoldError

    words = _words(args, args.into)
    try:
        result = import_csv(load_mapping(args.mapping), args.source, args.into)
    except ScaffoldError as exc:
        return _failed(words, exc.text)
    except MappingError as exc:
        print(format_text(exc.problems, words), file=sys.stderr)
        return 2
    report = args.into / "import-report.txt"
    if result.problems:
        args.into.mkdir(parents=True, exist_ok=True)
        report.write_text(format_text(result.problems, words) + "\n", encoding="utf-8")
    counts = ", ".join(f"{n:,} {what}" for what, n in sorted(result.counts.items()))
    _say(words, msg("wrote {count:,} files into {folder} ({counts})", count=len(result.written), folder=str(args.into), counts=counts))
    if result.problems:  # alike messages counted together: the same words once the values are masked
        by_message = Counter(re.sub(r"'[^']*'|\b[0-9A-Z]{6,}\b|[0-9][0-9,.]*", "…", words(p.message)) for p in result.problems)
        for message, n in by_message.most_common():
            print(f"  {n:>5} × {message}")
        _say(words, msg("{summary}: every one, with its CSV file and line, in {file}", summary=count_summary(result.problems),
                        file=str(report)))
    return 1 if any(p.is_error for p in result.problems) else 0


def cmd_demo(args) -> int:
    from .demo import write_demo_team

    words = terminal_language(None, None)
    if args.directory.exists() and any(args.directory.iterdir()):
        _say(words, msg("sitegen: error: {folder} is not empty", folder=str(args.directory)), error=True)
        return 2
    write_demo_team(args.directory, members=args.members, days=args.days, seed=args.seed, end=args.end, locale=args.locale,
                    calendar=args.calendar)
    _say(words, msg("wrote a demo team of {members} members and {days} working days into {folder}", members=args.members,
                    days=args.days, folder=str(args.directory)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
