"""The analysts' copy: analyst/warehouse.duckdb, analyst/parquet/<mart>.parquet and the data dictionary
(analyst/data_dictionary.md and .html), each replaced atomically.

These are exact figures (no small-cell suppression), so they are restricted, not published: the folder is
created without access for other users and sits outside the report site, which is the only publication.

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

ANALYST_COPY_NAME = "warehouse.duckdb"
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
RESTRICTED_DIR_MODE = stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP


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


def _write_dictionary(copy: Path, analyst_dir: Path) -> tuple[Path, Path]:
    # Documented from the copy itself, so the dictionary lists exactly the tables analysts can query.
    copy_con = duckdb.connect(str(copy), read_only=True)
    try:
        return write_dictionary(analyst_dir, copy_con)
    finally:
        copy_con.close()


def _restrict(folder: Path) -> None:
    """Owner and group only: exact figures are for analysts, never for the public (see README)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, RESTRICTED_DIR_MODE)


def remove_legacy_copies(legacy_dir: Path) -> list[Path]:
    """Delete the exact copies earlier releases wrote to published/ (a name that said they were public).

    Only the files this module wrote there are removed, and the folder only when that leaves it empty.
    """
    names = [ANALYST_COPY_NAME, ANALYST_COPY_NAME + ".wal", "data_dictionary.md", "data_dictionary.html"]
    removed = [legacy_dir / n for n in names if (legacy_dir / n).is_file()]
    parquet = legacy_dir / "parquet"
    removed += sorted(parquet.glob("*.parquet")) if parquet.is_dir() else []
    for path in removed:
        path.unlink()
    for folder in (parquet, legacy_dir):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def publish(
    warehouse_path: Path,
    analyst_dir: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    legacy_dir: Path | None = None,
) -> dict:
    """Write the analysts' consistent read-only copy of the warehouse and one Parquet file per mart.

    `legacy_dir` (published/ of earlier releases) loses its exact copies once the new ones are in place.

    Opens warehouse_path itself unless `con`, an open connection to it, is given (e.g. by the writer).
    Returns the paths written and the number of tables copied.
    """
    warehouse_path, analyst_dir = Path(warehouse_path), Path(analyst_dir)
    if con is None and not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}")
    _restrict(analyst_dir)
    source = con or duckdb.connect(str(warehouse_path))
    final = analyst_dir / ANALYST_COPY_NAME
    temporary = analyst_dir / f".{ANALYST_COPY_NAME}.tmp"
    _discard(temporary)
    source.begin()
    try:
        tables = _copy_database(source, temporary)
        parquet = _write_parquet(source, analyst_dir / "parquet")
        source.commit()
        os.chmod(temporary, READ_ONLY_MODE)
        os.replace(temporary, final)
        dictionary = _write_dictionary(final, analyst_dir)
    except BaseException:
        source.rollback()
        _discard(temporary)
        raise
    finally:
        if con is None:
            source.close()
    removed = remove_legacy_copies(legacy_dir) if legacy_dir is not None else []
    return {
        "analyst_copy_path": final,
        "parquet_path": analyst_dir / "parquet",
        "tables": tables,
        "marts": len(parquet),
        "dictionary_path": dictionary[1],
        "legacy_files_removed": len(removed),
    }
