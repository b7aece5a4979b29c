"""The analysts' copy as a database file: a whole copy of the writer's snapshot, or the spare brought up to it.

The copy replaced by a publish is kept (a hard link) as the spare beside the writer's warehouse, and the next
publish brings that spare up to date instead of copying the whole history again: the partitions whose version
records differ are replaced, a mart's periods whose rows differ, and any other table whose rows differ
(pipelines.warehouse.copy_fingerprints). The spare is attached to the writer's own database instance, so each
part is carried over by DuckDB itself, one DELETE and one INSERT ... SELECT from the writer's table
(sql/publish/carry_*.sql): no row passes through Python. What the spare holds is taken from the record of it
kept beside the warehouse, or hashed from the spare itself when the record does not describe the file. Whenever
the spare cannot be used (missing, still open by a reader, another schema, too many partitions changed), the
whole warehouse is copied; either way the copy holds the same rows.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.connection import query, run_sql
from pipelines.warehouse.copy_fingerprints import (
    COPY_FILE,
    PARTITION,
    PERIOD,
    TABLE,
    TableKinds,
    describes,
    differing,
    fingerprints,
    table_kinds,
)

SPARE_NAME = "analyst-spare.duckdb"  # beside the writer's warehouse: analysts never open it
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
WRITABLE_MODE = READ_ONLY_MODE | stat.S_IWUSR
# Beyond this many changed partitions (a rebuild), copying everything is as quick as updating the spare.
MAX_PARTITIONS_UPDATED = 64
SPARE_CATALOG = "analyst_spare"  # the spare's name while attached to the writer's connection


def spare_path(warehouse_path: Path) -> Path:
    return Path(warehouse_path).parent / SPARE_NAME


def table_columns(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return query(con, "publish/table_columns").rows()


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


def _partitions(changed: pl.DataFrame) -> list[tuple[str, str]]:
    return changed.select("state", "period").rows()


def _periods_by_table(changed: pl.DataFrame) -> dict[str, list[str | None]]:
    groups = changed.group_by("table", maintain_order=True)
    return {table: group.get_column("period").to_list() for (table,), group in groups}


def _carry_over(
    spare: duckdb.DuckDBPyConnection,
    catalog: str,
    kinds: TableKinds,
    partitions: list[tuple[str, str]],
    periods: dict[str, list[str | None]],
    tables: list[str],
) -> None:
    """Write the writer's rows (`catalog`) of the given partitions, mart periods and whole tables into the spare
    (the database `spare` uses)."""

    def carry(step: str, table: str, **params) -> None:
        run_sql(spare, f"publish/{step}", {"table": table, "catalog": catalog}, **params)

    for state, period in partitions:
        for table in kinds.partitioned:
            carry("carry_partition", table, state=state, period=period)
    for table, changed in sorted(periods.items()):
        if None in changed:  # rows without a period cannot be told apart by period: the mart is copied whole
            carry("carry_table", table)
        else:
            carry("carry_periods", table, periods=changed)
    for table in tables:
        carry("carry_table", table)


def _bring_up_to_date(
    spare: duckdb.DuckDBPyConnection,
    catalog: str,
    columns: list[tuple],
    comments: tuple[list[tuple], list[tuple]],
    now: pl.DataFrame,
    held: pl.DataFrame | None,
) -> int | None:
    """Apply the writer's snapshot (`now`: its fingerprints; `catalog`: its database; `comments`: its tables'
    and columns' comments) to the spare (the database `spare` uses) in one transaction; partitions replaced, or
    None when the spare is not a copy of this warehouse's schema or too much changed. `held` is what the spare
    holds by its record, or None: the spare is then hashed itself."""
    if table_columns(spare) != columns:
        return None
    kinds = table_kinds(columns)
    if held is None:
        held = fingerprints(spare, columns, kinds)
    partitions = _partitions(differing(now, held, PARTITION))
    if len(partitions) > MAX_PARTITIONS_UPDATED:
        return None
    periods = _periods_by_table(differing(now, held, PERIOD))
    tables = differing(now, held, TABLE).get_column("table").to_list()
    spare.begin()
    try:
        _carry_over(spare, catalog, kinds, partitions, periods, tables)
        if _comments(spare) != comments:
            run_sql(spare, "warehouse/generated/comments_tables")
            run_sql(spare, "warehouse/generated/comments_marts")
        spare.commit()
    except BaseException:
        spare.rollback()
        raise
    run_sql(spare, "warehouse/checkpoint")
    return len(partitions)


def update_spare(
    source: duckdb.DuckDBPyConnection,
    spare_file: Path,
    columns: list[tuple],
    now: pl.DataFrame,
    record: pl.DataFrame | None,
) -> int | None:
    """The spare brought up to the writer's snapshot (partitions replaced), or None when it cannot be used:
    the caller then copies the whole warehouse. `record` is what the spare held when it was recorded (used only
    if it describes the spare file as it is)."""
    if not spare_file.is_file() or Path(str(spare_file) + ".wal").exists():
        return None
    held = record if describes(record, COPY_FILE, spare_file) else None
    try:
        os.chmod(spare_file, WRITABLE_MODE)
    except OSError:
        return None
    (catalog,) = run_sql(source, "warehouse/current_catalog").fetchone()
    # Read before the spare is attached: the catalog functions list every attached database, and a transaction
    # of the caller's that touched the spare would keep its commit from being a checkpoint.
    comments = _comments(source)
    # The spare is attached to the writer's own database instance (whose commits are checkpoints), on a
    # connection of its own: its transaction is not the snapshot the caller reads the writer in.
    spare = source.cursor()
    try:
        run_sql(spare, "warehouse/checkpoint_at_commit")
        attached = {"path": str(spare_file).replace("'", "''"), "catalog": SPARE_CATALOG}
        run_sql(spare, "publish/attach_spare", attached)
        run_sql(spare, "warehouse/use_catalog", {"catalog": SPARE_CATALOG})
        return _bring_up_to_date(spare, catalog, columns, comments, now, held)
    except duckdb.Error:  # e.g. a reader still has this (older) copy open: DuckDB locks the file
        return None
    finally:
        try:
            run_sql(spare, "warehouse/use_catalog", {"catalog": catalog})
            run_sql(spare, "publish/detach_spare", {"catalog": SPARE_CATALOG})
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
