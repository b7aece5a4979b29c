"""The marts as Parquet files in the analysts' folder: one file per mart and period,
parquet/<mart>/<period>.parquet, each written again only when that period of the mart changed.

A resubmission changes one period (trend: the period after it too), so a publish writes the files of that
period, not the mart's whole history. Each file holds every column of the mart, period included, in the mart's
own order, so the files of a mart read together (`read_parquet('parquet/<mart>/*.parquet')`) are the mart.
A mart whose rows have no period (no period column, or no rows yet: its file still carries its columns) is one
file, parquet/<mart>/all.parquet. Files of periods the mart no longer has are deleted, and so are the single
files parquet/<mart>.parquet of earlier releases once the folders are in place.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.connection import query
from pipelines.warehouse.copy_fingerprints import (
    PERIOD,
    names_as_it_is,
    recorded_files,
    same_periods,
    same_table,
)
from pipelines.warehouse.marts import MARTS

WHOLE = "all"  # the file of a mart whose rows have no period; never a period's name (FYnnnn)
# A period names a file: periods are validated at intake (FYnnnn), so anything else is a fault, not data.
PERIOD_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ParquetFiles:
    files: dict[str, Path]  # every file the marts' folders hold, by the name a record gives it (parquet_name)
    written: list[str]  # the names of the files written by this publish
    removed: list[Path]  # files of periods no mart has any more, and the single files of earlier releases


def parquet_name(mart: str, part: str) -> str:
    """The name a record of the copy gives a mart's file of one period (or WHOLE)."""
    return f"parquet/{mart}/{part}.parquet"


def _periods(now: pl.DataFrame, mart: str) -> list[str]:
    """The mart's periods in the writer's snapshot (its fingerprints), each checked to be a safe file name."""
    table = f"marts.{mart}"
    periods = now.filter((pl.col("part") == PERIOD) & (pl.col("table") == table)).get_column("period")
    bad = [p for p in periods.to_list() if p is None or p == WHOLE or not PERIOD_FILE_NAME.fullmatch(p)]
    if bad:
        raise ValueError(f"{table} has periods that cannot name a Parquet file: {bad[:5]}")
    return sorted(periods.to_list())


def _write(frame: pl.DataFrame, target: Path) -> None:
    """Write beside the target (a dot file: no reader's glob or dataset takes it) and move it into place."""
    temporary = target.with_name(f".{target.name}.tmp")
    frame.write_parquet(temporary)
    os.replace(temporary, target)


def _write_mart(
    source: duckdb.DuckDBPyConnection, folder: Path, mart: str, now: pl.DataFrame, record: pl.DataFrame | None
) -> ParquetFiles:
    """The mart's files: a file is kept when the record names it as it is on disk (not written since) and
    holds the writer's fingerprint of its period and the mart's columns; it is not read back. The others are
    read from the writer in one query, in the mart's own order (the table keeps none once a refresh replaced
    some of its periods), and cut into files by period."""
    folder.mkdir(exist_ok=True)
    table, periods = f"marts.{mart}", _periods(now, mart)
    if periods:
        parts, held = periods, same_periods(now, record, table)
    else:
        parts = [WHOLE]
        held = {WHOLE} if record is not None and same_table(now, record, table) else set()
    recorded = recorded_files(record)
    paths = {part: folder / f"{part}.parquet" for part in parts}
    stale = [
        part
        for part in parts
        if part not in held or not names_as_it_is(recorded, parquet_name(mart, part), paths[part])
    ]
    if stale == [WHOLE]:
        _write(query(source, f"publish/generated/ordered_{mart}"), paths[WHOLE])
    elif stale:
        rows = query(source, f"publish/generated/ordered_{mart}_periods", periods=stale)
        for (period,), frame in rows.group_by("period", maintain_order=True):
            _write(frame, paths[period])
    removed = [p for p in sorted(folder.glob("*.parquet")) if p.stem not in paths]
    for path in removed + sorted(folder.glob(".*.tmp")):  # .tmp: left by a publish that stopped half-way
        path.unlink()
    files = {parquet_name(mart, part): path for part, path in paths.items()}
    return ParquetFiles(files, [parquet_name(mart, part) for part in stale], removed)


def write_parquet(
    source: duckdb.DuckDBPyConnection, parquet_dir: Path, now: pl.DataFrame, record: pl.DataFrame | None
) -> ParquetFiles:
    """Every mart's folder of files, written from the writer where the files differ from what they held when
    `record` (the record of the last publish) was written. `now` holds the fingerprints of the source's
    snapshot (pipelines.warehouse.copy_fingerprints)."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    files, written, removed = {}, [], []
    for mart in MARTS:
        mart_files = _write_mart(source, parquet_dir / mart, mart, now, record)
        files.update(mart_files.files)
        written += mart_files.written
        removed += mart_files.removed
    # Earlier releases wrote one file per mart: gone once every folder is in place.
    legacy = [
        parquet_dir / f"{mart}.parquet" for mart in MARTS if (parquet_dir / f"{mart}.parquet").is_file()
    ]
    for path in legacy:
        path.unlink()
    return ParquetFiles(files, written, removed + legacy)
