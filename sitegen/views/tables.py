"""The few value types every view is made of: a name that may link somewhere, a progress bar,
and tables of raw values with column keys.

A table is written once, here, and both shown and downloaded from that one value: the page
formats its cells (render.table_html), the CSV and JSON downloads write the same cells raw
(exports.py). So a download always says what its page says, and neither parses the other.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Literal, NamedTuple, TypeAlias

from ..cache import content_hash

# how a column's cells are shown; downloads write the raw value whatever the kind
# "code": an identifier (a commit's hash); "verbatim": text in a language sitegen cannot know (a commit's message)
Kind = Literal["text", "number", "money", "percent", "date", "stars", "ref", "refs", "status", "lines", "progress", "code", "verbatim"]


class ReprOnce:
    """For a view that goes into more than one page's reuse key (a report's: its own page and its
    day's meeting page): its ``repr`` is written out once, and what is kept is its digest, which
    stands for it in every key that holds the view. (Keeping the text itself held 95 MB per
    language at 20,000 reports: a third of the views' memory.) Use with
    ``@dataclass(frozen=True, repr=False)``."""

    def __repr__(self) -> str:
        kept = self.__dict__.get("_repr")
        if kept is None:
            text = f"{type(self).__name__}({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in fields(self))})"  # type: ignore[arg-type]
            kept = f"{type(self).__name__}#{content_hash(text.encode()).hex()}"
            object.__setattr__(self, "_repr", kept)
        return kept


class Named(NamedTuple):
    """Something a person reads by name: a member, a customer, a status. ``id`` is the stable key
    (a member id, a status code), ``text`` what the reader sees, ``href`` the page it links to
    (relative to the site's base for the page's language), if any.

    Named, Column and Row are named tuples, not dataclasses: a large site makes millions of them,
    and a page's reuse key is the repr of its view — both several times faster for a tuple."""

    id: str
    text: str | date  # a date is shown in the reader's format
    href: str | None = None
    written: bool = False  # text as the team wrote it (a person's or customer's name), not in the reader's language


@dataclass(frozen=True)
class Progress:
    """A share of a target, with the bar that draws it: ``fill``, ``mark`` and ``pace`` are widths in
    percent of the challenge target (the bar's full width): the actual, must-achieve, today's pace."""

    ratio: float | None
    fill: float
    mark: float
    pace: float | None = None  # where today's pace lies, when the bar shows one


@dataclass(frozen=True)
class Trend:
    """A small line of how a figure moved, day by day: the figure, and what it is measured against
    (today's pace, or the target: 1.0 for a share of target). ``label`` names the two in the
    reader's language; the page adds the last figures to it for those who cannot see the line."""

    values: tuple[float, ...]
    reference: tuple[float, ...]
    label: str
    unit: str = "number"  # how its figures read: number, money or percent (0.85 reads 85 %)


def trend(values: list[float], reference: list[float], label: str, unit: str = "number") -> Trend:
    return Trend(tuple(round(v, 3) for v in values), tuple(round(v, 3) for v in reference), label, unit)


def progress(value: float, must: float, challenge: float, pace: float | None = None) -> Progress:
    def width(part: float) -> float:
        return round(min(100.0, part / challenge * 100), 1) if challenge else 0.0

    return Progress(value / must if must else 0.0, width(value), width(must), width(pace) if pace is not None else None)


Cell: TypeAlias = "str | int | float | date | Named | Progress | tuple[Named, ...] | tuple[str, ...] | None"


class Column(NamedTuple):
    key: str  # stable: the JSON download's key, whatever the language
    label: str  # the header, in the page's language
    kind: Kind = "text"
    group: str = ""  # a heading over this and its neighbours with the same group


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    warn: tuple[str, ...] = ()  # keys of the cells a reader should notice (below target, overdue…)
    data: tuple[tuple[str, str], ...] = ()  # data-* attributes the page's scripts filter on
    total: bool = False  # a row of totals: shown in the table's foot
    links: tuple[tuple[str, str], ...] = ()  # cells that open a page (key, href from the base): a count opens its list


@dataclass(frozen=True)
class Table:
    id: str  # unique on its page; names the downloads
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str = ""  # shown instead of the rows when there are none
    download: bool = True  # offer CSV and JSON downloads (records' own pages do not)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"table {self.id}: a row of {len(row.cells)} cells under {len(self.columns)} columns")
        totals = [row.total for row in self.rows]
        if totals != sorted(totals):
            raise ValueError(f"table {self.id}: rows of totals come last (the page shows them at the foot)")


def row(*cells: Cell, warn: tuple[str, ...] = (), data: tuple[tuple[str, str], ...] = (), total: bool = False,
        links: tuple[tuple[str, str], ...] = ()) -> Row:
    return Row(cells, warn, data, total, links)


def tables_of(view: object) -> list[Table]:
    """Every table of a view that a download may come from: its fields that are tables, or tuples
    of tables (or of tuples holding one, such as a goal's events). Tables nested in other views
    (a report's, shown on its day's meeting page) are that view's, not this one's."""
    found: list[Table] = []
    for name in getattr(view, "__dataclass_fields__", ()):
        value = getattr(view, name)
        if isinstance(value, Table):
            found.append(value)
        elif isinstance(value, tuple) and value and not isinstance(value, (Named, Row, Column)):
            for item in value:
                if isinstance(item, Table):
                    found.append(item)
                elif type(item) is tuple:
                    found += [part for part in item if isinstance(part, Table)]
    return found
