"""One Parquet file per mart in the analysts' folder, written again only for the marts that changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.sql import load_sql
from pipelines.warehouse.connection import run_sql
from pipelines.warehouse.marts import MARTS


def _parquet_holds(reader: duckdb.DuckDBPyConnection, path: Path, held: tuple) -> bool:
    """True when the mart's Parquet file already holds the mart (`held`: its columns, types and row
    fingerprint, sql/publish/table_fingerprint.sql). The file is read by its own connection, so an unreadable
    one cannot abort the writer's transaction."""
    if not path.is_file():
        return False
    try:
        return run_sql(reader, "publish/parquet_fingerprint", path=str(path)).fetchone() == held
    except duckdb.Error:  # unreadable (e.g. cut short): written again
        return False


def write_parquet(
    source: duckdb.DuckDBPyConnection, parquet_dir: Path, prints: Callable[[str], tuple]
) -> dict[str, Path]:
    """One Parquet file per mart; only the marts that changed since the files were written are written.
    `prints` gives the fingerprint of a table of the source's snapshot."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    reader = duckdb.connect()
    try:
        current = {
            mart: _parquet_holds(reader, parquet_dir / f"{mart}.parquet", prints(f"marts.{mart}"))
            for mart in MARTS
        }
    finally:
        reader.close()
    for mart in MARTS:
        final = parquet_dir / f"{mart}.parquet"
        if not current[mart]:
            temporary = parquet_dir / f".{mart}.parquet.tmp"
            # In the mart's own order: the table keeps none once a refresh replaced some of its periods.
            source.sql(load_sql(f"publish/generated/ordered_{mart}")).write_parquet(str(temporary))
            os.replace(temporary, final)
        files[mart] = final
    return files
