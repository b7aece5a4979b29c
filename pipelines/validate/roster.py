"""A state's roster.csv: the grantees it expects, with the periods they are funded for."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import polars as pl

from pipelines.contract import load_contract, period_year


class RosterError(ValueError):
    """The roster cannot be read or breaks its own columns; the message names the problem for the state."""


def _cells(text: str) -> list[list[str]]:
    return [
        [unicodedata.normalize("NFC", cell).strip() for cell in row] for row in csv.reader(io.StringIO(text))
    ]


def _decode(data: bytes) -> str:
    """The contract's CSV encodings: UTF-8 with or without a byte-order mark, else strict Windows-1252 (a
    roster saved by a spreadsheet program on Windows). A UTF-16 byte-order mark is neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeDecodeError("utf-16", data[:2], 0, 2, "a UTF-16 byte-order mark")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _problems(rows: list[dict[str, str | None]]) -> list[str]:
    contract, problems = load_contract(), []
    for line, row in enumerate(rows, start=2):
        for column in contract.roster_columns:
            value = row.get(column.name)
            if value is None:
                if column.required:
                    problems.append(f"row {line}: {column.name} is empty")
                continue
            if column.pattern and not re.fullmatch(contract.identifiers[column.pattern]["pattern"], value):
                problems.append(
                    f"row {line}: {column.name} '{value}' is not like {contract.identifiers[column.pattern]['example']}"
                )
            elif column.max_length is not None and len(value) > column.max_length:
                problems.append(f"row {line}: {column.name} is longer than {column.max_length} characters")
        first, last = row.get("first_period"), row.get("last_period")
        if first and last and not problems and period_year(last) < period_year(first):
            problems.append(f"row {line}: last_period {last} is before first_period {first}")
    return problems


def read_roster(path: Path) -> pl.DataFrame:
    """The roster as text columns (grantee_id, organization_name, first_period, last_period; empty -> null).

    Raises RosterError naming the file and what is wrong with it.
    """
    names = [c.name for c in load_contract().roster_columns]
    try:
        table = _cells(_decode(path.read_bytes()))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot be read as a UTF-8 or Windows-1252 CSV file ({exc})") from exc
    if not table:
        raise RosterError(f"{path}: is empty; it needs a header row with {', '.join(names)}")
    header = [h.lower() for h in table[0]]
    missing = [n for c in load_contract().roster_columns if c.required and (n := c.name) not in header]
    if missing:
        raise RosterError(f"{path}: the header lacks {', '.join(missing)}")
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise RosterError(f"{path}: the header names {', '.join(doubled)} more than once")
    rows = []
    for cells in table[1:]:
        if not any(cells):
            continue
        record = {h: (cells[i] or None) if i < len(cells) else None for i, h in enumerate(header)}
        rows.append({n: record.get(n) for n in names})
    problems = _problems(rows)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise RosterError(f"{path}: {shown}")
    return pl.DataFrame(rows, schema={n: pl.Utf8 for n in names})


def is_on_roster(roster: pl.DataFrame, grantee_id: str, period: str) -> bool:
    """first_period <= period <= last_period, both inclusive; an empty last_period is still open."""
    year = period_year(period)
    rows = roster.filter(pl.col("grantee_id") == grantee_id)
    for first, last in rows.select("first_period", "last_period").iter_rows():
        if period_year(first) <= year and (last is None or year <= period_year(last)):
            return True
    return False
