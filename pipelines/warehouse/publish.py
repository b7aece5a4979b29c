"""The analysts' copy: published/warehouse.duckdb, published/parquet/<mart>.parquet and the data dictionary
(published/data_dictionary.md and .html), each replaced atomically.

Every table is read inside one transaction of the writer's database (a consistent snapshot), written to a
temporary file next to the target, and moved over the old copy with os.replace, so a reader opens either the
old or the new copy, never a half-written one, and never meets the writer's lock.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb

from pipelines.warehouse.connection import query, run_sql
from pipelines.warehouse.dictionary import write_dictionary
from pipelines.warehouse.marts import MARTS

PUBLISHED_NAME = "warehouse.duckdb"
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


def _copy_database(source: duckdb.DuckDBPyConnection, target_path: Path) -> int:
    """Copy every warehouse table (with comments) from source's current snapshot into a new file."""
    tables = query(source, "warehouse/list_tables").rows()
    target = duckdb.connect(str(target_path))
    try:
        # One transaction: hundreds of COMMENT ON statements commit once instead of one by one.
        target.begin()
        run_sql(target, "warehouse/schemas")
        for schema, table in tables:
            qualified = f"{schema}.{table}"
            target.from_arrow(source.table(qualified).to_arrow_table()).create(qualified)
        run_sql(target, "warehouse/generated/comments_tables")
        run_sql(target, "warehouse/generated/comments_marts")
        target.commit()
        run_sql(target, "warehouse/checkpoint")
    finally:
        target.close()
    return len(tables)


def _write_parquet(source: duckdb.DuckDBPyConnection, parquet_dir: Path) -> dict[str, Path]:
    parquet_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for mart in MARTS:
        final = parquet_dir / f"{mart}.parquet"
        temporary = parquet_dir / f".{mart}.parquet.tmp"
        source.table(f"marts.{mart}").write_parquet(str(temporary))
        os.replace(temporary, final)
        written[mart] = final
    return written


def _write_dictionary(copy: Path, published_dir: Path) -> tuple[Path, Path]:
    # Documented from the copy itself, so the dictionary lists exactly the tables analysts can query.
    published = duckdb.connect(str(copy), read_only=True)
    try:
        return write_dictionary(published_dir, published)
    finally:
        published.close()


def publish(warehouse_path: Path, published_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """Publish a consistent read-only copy of the warehouse and one Parquet file per mart.

    Opens warehouse_path itself unless `con`, an open connection to it, is given (e.g. by the writer).
    Returns the paths written and the number of tables copied.
    """
    warehouse_path, published_dir = Path(warehouse_path), Path(published_dir)
    if con is None and not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}")
    published_dir.mkdir(parents=True, exist_ok=True)
    source = con or duckdb.connect(str(warehouse_path))
    final = published_dir / PUBLISHED_NAME
    temporary = published_dir / f".{PUBLISHED_NAME}.tmp"
    _discard(temporary)
    source.begin()
    try:
        tables = _copy_database(source, temporary)
        parquet = _write_parquet(source, published_dir / "parquet")
        source.commit()
        os.chmod(temporary, READ_ONLY_MODE)
        os.replace(temporary, final)
        dictionary = _write_dictionary(final, published_dir)
    except BaseException:
        source.rollback()
        _discard(temporary)
        raise
    finally:
        if con is None:
            source.close()
    return {
        "published_path": final,
        "parquet_path": published_dir / "parquet",
        "tables": tables,
        "marts": len(parquet),
        "dictionary_path": dictionary[1],
    }
