"""From header and records, as a CSV file or a sheet gives them, to the contract's all-text table frame.

Shared by both readers so that header matching, cell cleaning, empty rows and the P03/W05 findings
mean exactly the same thing for a workbook and for a CSV folder.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

import polars as pl

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.model import ROW_COLUMN


@dataclass(frozen=True)
class HeaderPlan:
    """What a table's header says: where each contract column is, and the header's own findings."""

    table: str
    header: list[str]  # header cells as read
    columns: dict[str, int]  # contract column -> its (first) header position, in contract order
    blank: frozenset[int]  # positions whose header name is empty
    findings: list[Finding]  # P03 for a repeated name, W05 for an unknown one

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def positions(self) -> list[int]:
        return list(self.columns.values())


@dataclass
class RawTable:
    """A table as read, before cleaning: only the cells the frame needs, so memory follows the rows
    kept and the contract's columns, never the width a header claims."""

    plan: HeaderPlan
    rows: list[tuple[str, ...]] = field(default_factory=list)  # cells at plan.positions, one per kept row
    row_numbers: list[int] = field(default_factory=list)  # the grantee's row number of each kept row
    extras: list[tuple[int, str]] = field(default_factory=list)  # (row number, first value beyond the header)
    valued_blank: set[int] = field(default_factory=set)  # blank-named positions that hold a value
    uncached_formulas: list[tuple[int, str]] = field(default_factory=list)  # (row, column): formula, no value

    @property
    def name(self) -> str:
        return self.plan.table


# What "trimmed" removes: every character Python counts as white space, spelled out so that the
# per-cell and the vectorised paths trim exactly the same characters.
SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
SMALL_TABLE_ROWS = 2_000


def clean_name(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip(SPACES)).lower()


def is_blank(text: str) -> bool:
    return not text.strip(SPACES)


def has_header(header: list[str]) -> bool:
    """A header line whose cells are all empty is no header at all."""
    return not all(is_blank(h) for h in header)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA): how a grantee finds a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """0-based index of spreadsheet column letters (A -> 0)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _clean_cells(values: tuple[str, ...]) -> list[str | None]:
    normalize = unicodedata.normalize
    return [normalize("NFC", v.strip(SPACES)) or None for v in values]


def _clean_frame(columns: dict[str, tuple[str, ...]], row_numbers: list[int]) -> pl.DataFrame:
    """Trim, NFC-normalise and turn empty into missing: per cell in Python for a small table (a query
    costs more than its cells there), vectorised in polars for a large one. Both give the same cells."""
    schema = {name: pl.Utf8 for name in columns} | {ROW_COLUMN: pl.Int64}
    if len(row_numbers) <= SMALL_TABLE_ROWS:
        data = {name: _clean_cells(values) for name, values in columns.items()}
        return pl.DataFrame(data | {ROW_COLUMN: row_numbers}, schema=schema)
    frame = pl.DataFrame(dict(columns) | {ROW_COLUMN: row_numbers}, schema=schema)
    return frame.with_columns(
        pl.col(name).str.strip_chars(SPACES).str.normalize("NFC").replace("", None) for name in columns
    )


def plan_header(table_name: str, header: list[str]) -> HeaderPlan:
    table = load_contract().tables[table_name]
    names = [clean_name(h) for h in header]
    found: dict[str, int] = {}
    findings: list[Finding] = []
    for i, name in enumerate(names):
        if not name:
            continue
        if name in found:
            if names.index(name, found[name] + 1) == i:  # report a repeated name once, at its second use
                findings.append(
                    finding(
                        "P03",
                        table=table_name,
                        row=1,
                        column=name,
                        value=header[i].strip(SPACES),
                        case="repeated_name",
                    )
                )
            continue
        found[name] = i
        if name not in table.column_names:
            findings.append(finding("W05", table=table_name, row=1, value=header[i].strip(SPACES)))
    columns = {c: found[c] for c in table.column_names if c in found}
    blank = frozenset(i for i, name in enumerate(names) if not name)
    return HeaderPlan(table_name, list(header), columns, blank, findings)


def picker(plan: HeaderPlan) -> Callable[[list[str]], tuple[str, ...]]:
    """A function taking a record's cells at the plan's positions; a short record reads as empty cells."""
    positions = plan.positions
    if not positions:
        return lambda record: ()
    last = max(positions)
    fast = itemgetter(*positions)
    one = len(positions) == 1

    def pick(record: list[str]) -> tuple[str, ...]:
        if len(record) > last:
            return (fast(record),) if one else fast(record)
        return tuple(record[i] if i < len(record) else "" for i in positions)

    return pick


def build_frame(raw: RawTable) -> tuple[pl.DataFrame, list[Finding]]:
    """The table's frame (known columns in contract order, then ROW_COLUMN) and the header/row findings."""
    plan = raw.plan
    findings = list(plan.findings)
    for i in sorted(raw.valued_blank):
        findings.append(
            finding("W05", table=plan.table, row=1, value=f"column {column_letter(i)} (no header name)")
        )
    for row, value in raw.extras:
        findings.append(finding("P03", table=plan.table, row=row, value=value, case="beyond_header"))
    values = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in plan.columns]
    return _clean_frame(dict(zip(plan.columns, values, strict=True)), raw.row_numbers), findings
