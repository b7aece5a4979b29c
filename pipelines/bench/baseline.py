"""The floor: read everything the pipeline reads with the fastest readers available, into a DuckDB file.

CSV files (package folders and rosters): DuckDB's own bulk read_csv, one read per table name over all its
files. Workbooks (.xlsx): fastexcel (Rust calamine), every sheet of every workbook as text, one table per sheet
name. Listing the files is part of the time, as the pipeline's landing scan is part of its own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import fastexcel
import polars as pl

from pipelines.sql import load_sql

WORKBOOK_TABLE_PREFIX = "workbook_"


@dataclass(frozen=True)
class BaselineResult:
    seconds: float
    csv_seconds: float
    workbook_seconds: float
    files: int
    workbooks: int
    rows: dict[str, int]
    seconds_by_table: dict[str, float]
    read_leniently: list[str]


def landing_files(landing: Path) -> tuple[dict[str, list[str]], list[Path]]:
    """Every CSV of the landing tree grouped by table (file name without extension, case folded), and
    every workbook."""
    groups: dict[str, list[str]] = defaultdict(list)
    workbooks: list[Path] = []
    for path in sorted(landing.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix.lower() == ".csv":
            groups[path.stem.lower()].append(str(path))
        elif path.suffix.lower() == ".xlsx":
            workbooks.append(path)
    return dict(groups), workbooks


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


def _read_workbooks(con: duckdb.DuckDBPyConnection, workbooks: list[Path]) -> dict[str, int]:
    """Every sheet of every workbook as text, gathered per sheet name into one table each."""
    sheets: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for path in workbooks:
        try:
            reader = fastexcel.read_excel(path)
            for name in reader.sheet_names:
                sheets[name.strip().lower()].append(reader.load_sheet(name, dtypes="string").to_polars())
        except Exception:  # noqa: BLE001 - a deliberately broken workbook is skipped, as a plain script would
            continue
    rows = {}
    for name, frames in sheets.items():
        table = WORKBOOK_TABLE_PREFIX + name
        combined = pl.concat(frames, how="diagonal_relaxed")
        con.register("workbook_sheet", combined)
        con.table("workbook_sheet").create(table)
        con.unregister("workbook_sheet")
        rows[table] = combined.height
    return rows


def bulk_read(landing: Path, database: Path) -> BaselineResult:
    """Time reading every landing CSV and workbook into a fresh DuckDB file."""
    for stale in (database, database.with_suffix(database.suffix + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    groups, workbooks = landing_files(landing)
    with duckdb.connect(str(database)) as con:
        con.execute(load_sql("bench/no_progress_bar"))
        seconds_by_table, lenient = {}, []
        for name, files in groups.items():
            table_started = time.perf_counter()
            if _read_table(con, name, files):
                lenient.append(name)
            seconds_by_table[name] = round(time.perf_counter() - table_started, 3)
        rows = {name: con.table(name).shape[0] for name in groups}
        csv_done = time.perf_counter()
        rows |= _read_workbooks(con, workbooks)
        con.execute(load_sql("warehouse/checkpoint"))
    finished = time.perf_counter()
    return BaselineResult(
        seconds=finished - started,
        csv_seconds=csv_done - started,
        workbook_seconds=finished - csv_done,
        files=sum(len(f) for f in groups.values()),
        workbooks=len(workbooks),
        rows=rows,
        seconds_by_table=seconds_by_table,
        read_leniently=lenient,
    )
