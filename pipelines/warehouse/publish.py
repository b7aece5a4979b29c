"""The analysts' copy: analyst/warehouse.duckdb, analyst/parquet/<mart>.parquet and the data dictionary
(analyst/data_dictionary.md and .html), each replaced atomically.

These are exact figures (no small-cell suppression), so they are restricted, not published: the folder is
created without access for other users and sits outside the report site, which is the only publication.

Every table is read inside one transaction of the writer's database (a consistent snapshot), written to a
file beside the target, and moved over the old copy with os.replace, so a reader opens either the old or the
new copy, never a half-written one, and never meets the writer's lock.

The analysts' copy changes only what changed: the copy replaced by a publish is kept (a hard link) as the spare
beside the writer's warehouse, and the next publish brings that spare up to date, partition by partition, instead
of copying the whole history again. Partitions are compared by a fingerprint of their version records
(sql/warehouse/partition_fingerprints.sql); tables not keyed by partition (dimensions, rosters, marts) are
replaced whole. Whenever the spare cannot be used (missing, still open by a reader, another schema, too many
partitions changed), the whole warehouse is copied as before; either way the copy holds the same rows.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.connection import query, registered, run_sql
from pipelines.warehouse.dictionary import write_dictionary
from pipelines.warehouse.marts import MARTS

ANALYST_COPY_NAME = "warehouse.duckdb"
SPARE_NAME = "analyst-spare.duckdb"  # beside the writer's warehouse: analysts never open it
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
WRITABLE_MODE = READ_ONLY_MODE | stat.S_IWUSR
RESTRICTED_DIR_MODE = stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP
# Beyond this many changed partitions (a rebuild), copying everything is as quick as updating the spare.
MAX_PARTITIONS_UPDATED = 64
PARTITION_COLUMNS = {"state", "period"}
LOADED_SCHEMAS = ("raw", "staging", "core")


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


def _copy_database(source: duckdb.DuckDBPyConnection, target_path: Path) -> int:
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


def spare_path(warehouse_path: Path) -> Path:
    return Path(warehouse_path).parent / SPARE_NAME


def _columns(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return query(con, "publish/table_columns").rows()


def _fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> tuple:
    return run_sql(con, "publish/table_fingerprint", {"table": table}).fetchone()


def _comments(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    """Every table's and column's comment: the writer's are the dictionary's (set when its schema is ensured and
    when marts are built)."""
    return query(con, "warehouse/table_comments").rows(), query(con, "warehouse/list_columns").rows()


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


def _bring_up_to_date(source: duckdb.DuckDBPyConnection, spare: duckdb.DuckDBPyConnection) -> int | None:
    """Apply the writer's snapshot to the spare in one transaction; partitions replaced, or None when the spare
    is not a copy of this warehouse's schema or too much changed."""
    columns = _columns(source)
    if _columns(spare) != columns:
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
            if _fingerprint(source, table) == _fingerprint(spare, table):
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


def _update_spare(source: duckdb.DuckDBPyConnection, spare_file: Path) -> int | None:
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
        return _bring_up_to_date(source, spare)
    except duckdb.Error:
        return None
    finally:
        spare.close()


def _next_spare(spare_file: Path, whole_copy: Path | None, final: Path) -> Path | None:
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


def _parquet_holds(
    source: duckdb.DuckDBPyConnection, reader: duckdb.DuckDBPyConnection, mart: str, path: Path
) -> bool:
    """True when the mart's Parquet file already holds the mart: same columns, types and rows. The file is read
    by its own connection, so an unreadable one cannot abort the writer's transaction."""
    if not path.is_file():
        return False
    try:
        held = run_sql(reader, "publish/parquet_fingerprint", path=str(path)).fetchone()
    except duckdb.Error:  # unreadable (e.g. cut short): written again
        return False
    return held == _fingerprint(source, f"marts.{mart}")


def _write_parquet(source: duckdb.DuckDBPyConnection, parquet_dir: Path) -> dict[str, Path]:
    """One Parquet file per mart; only the marts that changed since the files were written are written."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    reader = duckdb.connect()
    try:
        current = {
            mart: _parquet_holds(source, reader, mart, parquet_dir / f"{mart}.parquet") for mart in MARTS
        }
    finally:
        reader.close()
    for mart in MARTS:
        final = parquet_dir / f"{mart}.parquet"
        if not current[mart]:
            temporary = parquet_dir / f".{mart}.parquet.tmp"
            source.table(f"marts.{mart}").write_parquet(str(temporary))
            os.replace(temporary, final)
        files[mart] = final
    return files


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
    spare = spare_path(warehouse_path)
    _discard(temporary)
    source.begin()
    try:
        updated = _update_spare(source, spare)
        built = spare if updated is not None else temporary
        if updated is None:
            _discard(spare)  # unusable: the copy replaced below becomes the next spare
            tables = _copy_database(source, temporary)
        else:
            tables = len({(schema, table) for schema, table, _, _ in _columns(source)})
        parquet = _write_parquet(source, analyst_dir / "parquet")
        source.commit()
        os.chmod(built, READ_ONLY_MODE)
        kept = _next_spare(spare, temporary if updated is None else None, final)
        os.replace(built, final)
        if kept is not None:
            os.replace(kept, spare)
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
        "partitions_updated": updated,  # None: the whole warehouse was copied
        "marts": len(parquet),
        "dictionary_path": dictionary[1],
        "legacy_files_removed": len(removed),
    }
