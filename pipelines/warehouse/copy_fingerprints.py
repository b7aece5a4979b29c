"""Fingerprints of what a copy of the warehouse holds, by partition and by period, and the record of them kept
beside the warehouse for the analysts' copy (and its Parquet files) and for the spare.

A copy holds the writer's rows of a part when their fingerprints agree:
- a partition (state x period) of the tables partition loads write: the fingerprint of its version records
  (kept by every load in core.partition_versions, read by sql/warehouse/partition_fingerprints.sql, as the
  marts' refresh compares them);
- a period of a mart: its rows hashed whole (sql/publish/period_fingerprints.sql);
- any other table (dimensions, rosters): its rows hashed whole (sql/publish/table_fingerprint.sql);
- a mart's columns and types (a Parquet file written before a schema change is written again).

A mart's Parquet files are one per period (pipelines.warehouse.mart_parquet), so a period's file is written again
only when that period's fingerprint differs.

The writer's side is computed by every publish. The copy's side is read from a record written when the copy
was made, so a publish neither hashes the spare's history nor reads a Parquet file back. A record names the
files it describes by inode, size and modification time: a file written since (by a crash half-way, by hand)
is no longer the one described, and is then hashed itself (the spare) or written again (a Parquet file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.connection import query, run_sql

PARTITION, PERIOD, TABLE, COLUMNS, FILE = "partition", "period", "table", "columns", "file"
SCHEMA = {
    "part": pl.Utf8,
    "table": pl.Utf8,
    "state": pl.Utf8,
    "period": pl.Utf8,
    "rows": pl.Int64,
    "fingerprint": pl.Utf8,
}
KEY = ["table", "state", "period"]
PARTITION_COLUMNS = {"state", "period"}
LOADED_SCHEMAS = ("raw", "staging", "core")
MART_SCHEMA = "marts"
VERSION_RECORDS = "core.packages"  # the version records core.partition_versions fingerprints by partition
COPY_FILE = "warehouse.duckdb"  # the name a record gives the database file it describes


@dataclass(frozen=True)
class TableKinds:
    """The writer's tables, schema-qualified, by how a copy is compared with them."""

    partitioned: list[str]  # written by partition loads, keyed by state and period
    by_period: list[str]  # marts with a period column: a mart row may depend on other partitions
    whole: list[str]  # everything else: dimensions, rosters, marts without a period

    @property
    def marts(self) -> list[str]:
        return [t for t in self.by_period + self.whole if t.split(".")[0] == MART_SCHEMA]


def table_kinds(columns: list[tuple]) -> TableKinds:
    """Tables by kind from sql/publish/table_columns.sql rows (schema, table, column, type)."""
    names: dict[str, set[str]] = {}
    for schema, table, column, _ in columns:
        names.setdefault(f"{schema}.{table}", set()).add(column)
    partitioned = [
        t for t, cols in names.items() if PARTITION_COLUMNS <= cols and t.split(".")[0] in LOADED_SCHEMAS
    ]
    by_period = [t for t, cols in names.items() if t.split(".")[0] == MART_SCHEMA and "period" in cols]
    whole = [t for t in names if t not in partitioned and t not in by_period]
    return TableKinds(partitioned, by_period, whole)


def _rows(part: str, frame: pl.DataFrame, **constants: str | None) -> pl.DataFrame:
    """A frame of fingerprints as record rows of one part; columns it lacks are null."""
    frame = frame.with_columns(
        pl.lit(part).alias("part"),
        *[pl.lit(value, dtype=pl.Utf8).alias(name) for name, value in constants.items()],
    )
    return frame.select(
        [
            (pl.col(n) if n in frame.columns else pl.lit(None)).cast(dtype).alias(n)
            for n, dtype in SCHEMA.items()
        ]
    )


def _columns_signature(columns: list[tuple], table: str) -> str:
    return ", ".join(
        f"{column} {type_}" for schema, name, column, type_ in columns if f"{schema}.{name}" == table
    )


def fingerprints(con: duckdb.DuckDBPyConnection, columns: list[tuple], kinds: TableKinds) -> pl.DataFrame:
    """What the database holds, as the rows of a record (SCHEMA): one per partition, per period of each mart,
    per other table and per mart's columns. Read within the caller's snapshot."""
    partitions = query(con, "warehouse/partition_fingerprints").rename({"versions": "rows"})
    frames = [_rows(PARTITION, partitions, table=VERSION_RECORDS)]
    for table in kinds.by_period:
        periods = run_sql(con, "publish/period_fingerprints", {"table": table}).pl()
        frames.append(_rows(PERIOD, periods, table=table))
    for table in kinds.whole:
        whole = run_sql(con, "publish/table_fingerprint", {"table": table}).pl()
        frames.append(_rows(TABLE, whole, table=table))
    signatures = pl.DataFrame(
        {"table": kinds.marts, "fingerprint": [_columns_signature(columns, t) for t in kinds.marts]},
        schema={"table": pl.Utf8, "fingerprint": pl.Utf8},
    )
    frames.append(_rows(COLUMNS, signatures))
    return pl.concat(frames, how="vertical")


def differing(now: pl.DataFrame, held: pl.DataFrame, part: str) -> pl.DataFrame:
    """Keys (table, state, period) of one part whose rows or fingerprint differ between two sets of
    fingerprints, or that only one of them has."""
    ours, theirs = (
        f.filter(pl.col("part") == part).select(KEY + ["rows", "fingerprint"]) for f in (now, held)
    )
    both = ours.join(theirs, on=KEY, how="full", coalesce=True, nulls_equal=True, suffix="_held")
    differ = pl.col("rows").ne_missing(pl.col("rows_held")) | pl.col("fingerprint").ne_missing(
        pl.col("fingerprint_held")
    )
    return both.filter(differ).select(KEY).sort(KEY, nulls_last=True)


def same_table(now: pl.DataFrame, held: pl.DataFrame, table: str) -> bool:
    """True when both hold the same fingerprints for every part of the table (its periods, columns, rows)."""
    ours, theirs = (
        f.filter((pl.col("table") == table) & (pl.col("part") != FILE)).sort(["part", *KEY], nulls_last=True)
        for f in (now, held)
    )
    return ours.equals(theirs)


def same_periods(now: pl.DataFrame, held: pl.DataFrame | None, table: str) -> set[str]:
    """The periods of a table whose rows both hold alike (count and fingerprint), provided both hold its
    columns alike: none at all when the columns differ or nothing is held."""
    if held is None:
        return set()

    def of(frame: pl.DataFrame, part: str) -> pl.DataFrame:
        return frame.filter((pl.col("part") == part) & (pl.col("table") == table))

    if not of(now, COLUMNS)["fingerprint"].equals(of(held, COLUMNS)["fingerprint"]):
        return set()
    ours, theirs = (of(f, PERIOD).select("period", "rows", "fingerprint") for f in (now, held))
    alike = ours.join(theirs, on=["period", "rows", "fingerprint"], how="semi")
    return set(alike.get_column("period").to_list())


def recorded_files(record: pl.DataFrame | None) -> dict[str, str]:
    """The identity (file_identity) the record gives each file it names."""
    if record is None:
        return {}
    named = record.filter(pl.col("part") == FILE)
    return dict(
        zip(named.get_column("table").to_list(), named.get_column("fingerprint").to_list(), strict=True)
    )


def file_identity(path: Path) -> str | None:
    """Inode, size and modification time: a file written since it was recorded no longer has the same."""
    try:
        status = path.stat()
    except OSError:
        return None
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def describes(record: pl.DataFrame | None, name: str, path: Path) -> bool:
    """True when the record was made of the file now at path (recorded under `name`)."""
    return names_as_it_is(recorded_files(record), name, path)


def names_as_it_is(recorded: dict[str, str], name: str, path: Path) -> bool:
    """True when `recorded` (recorded_files of a record) names the file now at path under `name`: not
    written since, by a crash half-way or by hand. For many files of one record, read it once."""
    identity = file_identity(path)
    return identity is not None and recorded.get(name) == identity


def read_record(path: Path) -> pl.DataFrame | None:
    """A record as written by write_record, or None when it is missing or unreadable."""
    try:
        record = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError):
        return None
    return record if dict(record.schema) == SCHEMA else None


def write_record(path: Path, prints: pl.DataFrame, files: dict[str, Path]) -> None:
    """The fingerprints and the identity of each file they describe (named as `files` names them), replaced
    atomically. A file that cannot be named (gone) is left out: nothing is taken from the record for it."""
    identities = pl.DataFrame(
        {"table": list(files), "fingerprint": [file_identity(p) for p in files.values()]},
        schema={"table": pl.Utf8, "fingerprint": pl.Utf8},
    ).filter(pl.col("fingerprint").is_not_null())
    named = _rows(FILE, identities)
    temporary = path.with_name(path.name + ".tmp")
    pl.concat([prints, named], how="vertical").write_parquet(temporary)
    os.replace(temporary, path)
