"""From header and records, as a CSV file or a sheet gives them, to the contract's all-text table frame.

Shared by both readers so that header matching, cell cleaning, empty rows and the P03/W05 findings
mean exactly the same thing for a workbook and for a CSV folder.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import polars as pl

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.model import ROW_COLUMN


@dataclass
class RawTable:
    """A table as read, before cleaning: every record cut or padded to the header's width."""

    name: str  # contract table name
    header: list[str]  # header cells as read
    rows: list[list[str]] = field(default_factory=list)  # data records, each len(header) long
    row_numbers: list[int] = field(default_factory=list)  # the grantee's row number of each record
    extras: list[tuple[int, str]] = field(default_factory=list)  # (row number, first value beyond the header)


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


def build_frame(raw: RawTable) -> tuple[pl.DataFrame, list[Finding]]:
    """The table's frame (known columns in contract order, then ROW_COLUMN) and the header/row findings."""
    table = load_contract().tables[raw.name]
    findings: list[Finding] = []
    names = [clean_name(h) for h in raw.header]
    known = set(table.column_names)

    first_index: dict[str, int] = {}
    repeated: set[str] = set()
    for i, name in enumerate(names):
        if not name:
            continue
        if name in first_index:
            if name not in repeated:
                repeated.add(name)
                findings.append(finding("P03", table=raw.name, row=1, column=name, value=raw.header[i].strip(SPACES)))
            continue
        first_index[name] = i
        if name not in known:
            findings.append(finding("W05", table=raw.name, row=1, value=raw.header[i].strip(SPACES)))

    columns = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in names]
    for i, name in enumerate(names):
        if not name and any(v.strip(SPACES) for v in columns[i]):
            findings.append(finding("W05", table=raw.name, row=1, value=f"column {column_letter(i)} (no header name)"))
    for row, value in raw.extras:
        findings.append(finding("P03", table=raw.name, row=row, value=value))

    # A row is empty when no cell has anything but spaces; NFC never empties a cell, so this is exact.
    extra_rows = {row for row, _ in raw.extras}
    keep = [i for i, (record, row) in enumerate(zip(raw.rows, raw.row_numbers, strict=True))
            if row in extra_rows or "".join(record).strip(SPACES)]
    present = {c: columns[first_index[c]] for c in table.column_names if c in first_index}
    row_numbers = raw.row_numbers
    if len(keep) < len(raw.rows):
        present = {c: tuple(values[i] for i in keep) for c, values in present.items()}
        row_numbers = [row_numbers[i] for i in keep]
    frame = _clean_frame(present, row_numbers)
    return frame, findings

