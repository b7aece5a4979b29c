"""The floor: DuckDB's own bulk read_csv of every landing CSV into tables, one read per table name.

Covers CSV files only (package folders and rosters). Workbook (.xlsx) packages are not CSV and DuckDB has no
built-in reader for them, so they are counted but not read; the pipeline does read them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.sql import load_sql


@dataclass(frozen=True)
class BaselineResult:
    seconds: float
    files: int
    rows: dict[str, int]
    workbooks_not_read: int
    seconds_by_table: dict[str, float]
    read_leniently: list[str]


def landing_csvs(landing: Path) -> dict[str, list[str]]:
    """Every CSV of the landing tree grouped by table (file name without extension, case folded)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in sorted(landing.rglob("*")):
        if path.is_file() and path.suffix.lower() == ".csv":
            groups[path.stem.lower()].append(str(path))
    return dict(groups)


def count_workbooks(landing: Path) -> int:
    return sum(1 for p in landing.rglob("*") if p.is_file() and p.suffix.lower() == ".xlsx")


def _read_table(con: duckdb.DuckDBPyConnection, name: str, files: list[str]) -> bool:
    """Read one table's files; True when the strict read failed and the lenient one was used."""
    try:
        con.read_csv(files, all_varchar=True, union_by_name=True).create(name)
        return False
    except duckdb.Error:
        # A few packages carry deliberate mistakes (Windows-1252 text, ragged rows); read them leniently
        # rather than fail the floor, as a "just load the CSVs" script would.
        con.read_csv(
            files,
            all_varchar=True,
            union_by_name=True,
            encoding="latin-1",
            ignore_errors=True,
            null_padding=True,
        ).create(name)
        return True


def bulk_read_csv(landing: Path, database: Path) -> BaselineResult:
    """Time reading every landing CSV into a fresh DuckDB file (listing the files is part of the time)."""
    for stale in (database, database.with_suffix(database.suffix + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    groups = landing_csvs(landing)
    with duckdb.connect(str(database)) as con:
        seconds_by_table, lenient = {}, []
        for name, files in groups.items():
            table_started = time.perf_counter()
            if _read_table(con, name, files):
                lenient.append(name)
            seconds_by_table[name] = round(time.perf_counter() - table_started, 3)
        con.execute(load_sql("warehouse/checkpoint"))
        rows = {name: con.table(name).shape[0] for name in groups}
    seconds = time.perf_counter() - started
    return BaselineResult(
        seconds,
        sum(len(f) for f in groups.values()),
        rows,
        count_workbooks(landing),
        seconds_by_table,
        lenient,
    )
