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


def clean_name(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).lower()


def has_header(header: list[str]) -> bool:
    """A header line whose cells are all empty is no header at all."""
    return any(h.strip() for h in header)


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


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim, NFC-normalise and turn empty into missing, for every cell at once."""
    return frame.with_columns(pl.all().str.strip_chars().str.normalize("NFC").replace("", None))


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
                findings.append(finding("P03", table=raw.name, row=1, column=name, value=raw.header[i].strip()))
            continue
        first_index[name] = i
        if name not in known:
            findings.append(finding("W05", table=raw.name, row=1, value=raw.header[i].strip()))

    width = len(names)
    slots = [f"c{i}" for i in range(width)]
    columns = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in slots]
    frame = _clean(pl.DataFrame(dict(zip(slots, columns, strict=True)), schema={s: pl.Utf8 for s in slots}))
    extra_rows = {row for row, _ in raw.extras}
    frame = frame.with_columns(pl.Series(ROW_COLUMN, raw.row_numbers, dtype=pl.Int64))
    has_value = pl.any_horizontal([pl.col(s).is_not_null() for s in slots]) if slots else pl.lit(False)
    frame = frame.filter(has_value | pl.col(ROW_COLUMN).is_in(list(extra_rows)))

    for i, name in enumerate(names):
        if not name and frame.get_column(slots[i]).null_count() < frame.height:
            findings.append(finding("W05", table=raw.name, row=1, value=f"column {column_letter(i)} (no header name)"))
    for row, value in raw.extras:
        findings.append(finding("P03", table=raw.name, row=row, value=value))

    present = [c for c in table.column_names if c in first_index]
    frame = frame.select([pl.col(slots[first_index[c]]).alias(c) for c in present] + [pl.col(ROW_COLUMN)])
    return frame, findings

