"""One Parquet file per mart in the analysts' folder, written again only for the marts that changed."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sql import load_sql
from pipelines.warehouse.copy_fingerprints import describes, same_table
from pipelines.warehouse.marts import MARTS


def parquet_name(mart: str) -> str:
    """The name a record of the copy gives a mart's Parquet file."""
    return f"parquet/{mart}.parquet"


def _holds(path: Path, mart: str, now: pl.DataFrame, record: pl.DataFrame | None) -> bool:
    """True when the file is the one the record describes (not written since) and the record holds the
    writer's fingerprints of every period and the columns of the mart: the file is not read back."""
    return describes(record, parquet_name(mart), path) and same_table(now, record, f"marts.{mart}")


def write_parquet(
    source: duckdb.DuckDBPyConnection, parquet_dir: Path, now: pl.DataFrame, record: pl.DataFrame | None
) -> tuple[dict[str, Path], list[str]]:
    """One Parquet file per mart, and the marts written; only the marts whose rows differ from what the files held when `record` (the
    record of the last publish) was written are written, whole, from the writer. `now` holds the fingerprints
    of the source's snapshot (pipelines.warehouse.copy_fingerprints)."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    files, written = {}, []
    for mart in MARTS:
        final = parquet_dir / f"{mart}.parquet"
        if not _holds(final, mart, now, record):
            temporary = parquet_dir / f".{mart}.parquet.tmp"
            # In the mart's own order: the table keeps none once a refresh replaced some of its periods.
            source.sql(load_sql(f"publish/generated/ordered_{mart}")).write_parquet(str(temporary))
            os.replace(temporary, final)
            written.append(mart)
        files[mart] = final
    return files, written
