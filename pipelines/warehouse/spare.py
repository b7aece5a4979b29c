"""The analysts' copy as a database file: a whole copy of the writer's snapshot, or the spare brought up to it.

The copy replaced by a publish is kept (a hard link) as the spare beside the writer's warehouse, and the next
publish brings that spare up to date, partition by partition, instead of copying the whole history again.
Partitions are compared by a fingerprint of their version records (sql/warehouse/partition_fingerprints.sql);
tables not keyed by partition (dimensions, rosters, marts) are replaced whole when their fingerprint differs.
Whenever the spare cannot be used (missing, still open by a reader, another schema, too many partitions
changed), the whole warehouse is copied; either way the copy holds the same rows.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.connection import query, registered, run_sql

SPARE_NAME = "analyst-spare.duckdb"  # beside the writer's warehouse: analysts never open it
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
WRITABLE_MODE = READ_ONLY_MODE | stat.S_IWUSR
# Beyond this many changed partitions (a rebuild), copying everything is as quick as updating the spare.
MAX_PARTITIONS_UPDATED = 64
PARTITION_COLUMNS = {"state", "period"}
LOADED_SCHEMAS = ("raw", "staging", "core")


def spare_path(warehouse_path: Path) -> Path:
    return Path(warehouse_path).parent / SPARE_NAME


def table_columns(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return query(con, "publish/table_columns").rows()


def fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> tuple:
    return run_sql(con, "publish/table_fingerprint", {"table": table}).fetchone()


class SnapshotFingerprints:
    """Fingerprints of the writer's whole tables in the snapshot a publish reads, each table hashed once
    though both the spare and the Parquet files are compared with it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._held: dict[str, tuple] = {}

    def __call__(self, table: str) -> tuple:
        if table not in self._held:
            self._held[table] = fingerprint(self.con, table)
        return self._held[table]


def _comments(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    """Every table's and column's comment: the writer's are the dictionary's (set when its schema is ensured and
    when marts are built)."""
    return query(con, "warehouse/table_comments").rows(), query(con, "warehouse/list_columns").rows()


def copy_database(source: duckdb.DuckDBPyConnection, target_path: Path) -> int:
    """Copy every warehouse table (with comments) from source's current snapshot into a new file."""
    tables = query(source, "warehouse/list_tables").rows()
    target = duckdb.connect(str(target_path))
    try:
        run_sql(target, "warehouse/checkpoint_at_commit")
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


def _changed_partitions(source: duckdb.DuckDBPyConnection, spare: duckdb.DuckDBPyConnection) -> list[tuple]:
    """State x period partitions whose version records differ between the two (or exist in one only)."""
    key = ["state", "period"]
    ours, theirs = (
        query(source, "warehouse/partition_fingerprints"),
        query(spare, "warehouse/partition_fingerprints"),
    )
    both = ours.join(theirs, on=key, how="full", coalesce=True, suffix="_spare")
    differ = (pl.col("versions") != pl.col("versions_spare")) | (
        pl.col("fingerprint") != pl.col("fingerprint_spare")
    )
    changed = both.filter(differ.fill_null(True))
    return sorted(changed.select(key).rows())


def _tables_by_kind(columns: list[tuple]) -> tuple[list[str], list[str]]:
    """(tables a partition load writes, keyed by state and period; every other table), schema-qualified.
    Marts are never keyed: a mart row may depend on other partitions (trend reads the year before)."""
    names: dict[str, set[str]] = {}
    for schema, table, column, _ in columns:
        names.setdefault(f"{schema}.{table}", set()).add(column)
    keyed = [
        t for t, cols in names.items() if PARTITION_COLUMNS <= cols and t.split(".")[0] in LOADED_SCHEMAS
    ]
    return keyed, [t for t in names if t not in keyed]


def _bring_up_to_date(
    source: duckdb.DuckDBPyConnection, spare: duckdb.DuckDBPyConnection, prints: SnapshotFingerprints
) -> int | None:
    """Apply the writer's snapshot to the spare in one transaction; partitions replaced, or None when the spare
    is not a copy of this warehouse's schema or too much changed."""
    columns = table_columns(source)
    if table_columns(spare) != columns:
        return None
    changed = _changed_partitions(source, spare)
    if len(changed) > MAX_PARTITIONS_UPDATED:
        return None
    keyed, whole = _tables_by_kind(columns)
    spare.begin()
    try:
        for state, period in changed:
            for table in keyed:
                rows = run_sql(
                    source, "publish/partition_rows", {"table": table}, state=state, period=period
                ).to_arrow_table()
                with registered(spare, {"incoming_rows": rows}):
                    run_sql(spare, "publish/replace_partition", {"table": table}, state=state, period=period)
        for table in whole:
            if prints(table) == fingerprint(spare, table):
                continue  # unchanged: rewriting it would only add to what the commit and checkpoint write
            with registered(spare, {"incoming_rows": source.table(table).to_arrow_table()}):
                run_sql(spare, "publish/replace_table", {"table": table})
        if _comments(spare) != _comments(source):
            run_sql(spare, "warehouse/generated/comments_tables")
            run_sql(spare, "warehouse/generated/comments_marts")
        spare.commit()
    except BaseException:
        spare.rollback()
        raise
    run_sql(spare, "warehouse/checkpoint")
    return len(changed)


def update_spare(
    source: duckdb.DuckDBPyConnection, spare_file: Path, prints: SnapshotFingerprints
) -> int | None:
    """The spare brought up to the writer's snapshot (partitions replaced), or None when it cannot be used:
    the caller then copies the whole warehouse."""
    if not spare_file.is_file() or Path(str(spare_file) + ".wal").exists():
        return None
    try:
        os.chmod(spare_file, WRITABLE_MODE)
        # Fails while a reader still has this (older) copy open: DuckDB locks the file.
        spare = duckdb.connect(str(spare_file))
    except (OSError, duckdb.Error):
        return None
    try:
        run_sql(spare, "warehouse/checkpoint_at_commit")
        return _bring_up_to_date(source, spare, prints)
    except duckdb.Error:
        return None
    finally:
        spare.close()


def next_spare(spare_file: Path, whole_copy: Path | None, final: Path) -> Path | None:
    """The next spare, written beside the spare: a file copy of a whole new copy, else a hard link to the copy
    about to be replaced (it is one publish behind). None when neither can be made: the next publish copies
    everything."""
    keep = spare_file.with_name(spare_file.name + ".next")
    keep.unlink(missing_ok=True)
    try:
        if whole_copy is not None:
            shutil.copyfile(whole_copy, keep)
        elif final.is_file():
            os.link(final, keep)
        else:
            return None
    except OSError:  # e.g. another file system, no hard links, no space
        keep.unlink(missing_ok=True)
        return None
    return keep
