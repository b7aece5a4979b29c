"""The analysts' copy: analyst/warehouse.duckdb, analyst/parquet/<mart>/<period>.parquet and the data dictionary
(analyst/data_dictionary.md and .html), each file replaced atomically.

These are exact figures (no small-cell suppression), so they are restricted, not published: the folder is
created without access for other users and sits outside the report site, which is the only publication.

Every table is read inside one transaction of the writer's database (a consistent snapshot), written to a
file beside the target, and moved over the old copy with os.replace, so a reader opens either the old or the
new copy, never a half-written one, and never meets the writer's lock. The copy itself is made, or the spare
brought up to date, by pipelines.warehouse.spare; the Parquet files (one per mart and period, written only
for the periods that changed) by pipelines.warehouse.mart_parquet.

What the copy (with its Parquet files) and the spare hold is recorded beside the warehouse
(pipelines.warehouse.copy_fingerprints): the copy's record becomes the spare's when the copy becomes the spare,
so the next publish compares the writer with the record instead of hashing the spare or reading the Parquet
files back. The records can be deleted at any time: the spare is then hashed, every Parquet file written.

Each file is replaced atomically, not the set: a reader that lists a mart's folder while a publish writes it may
meet some periods old and some new. The database copy is the consistent snapshot.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.copy_fingerprints import (
    COPY_FILE,
    fingerprints,
    read_record,
    table_kinds,
    write_record,
)
from pipelines.warehouse.dictionary import write_dictionary
from pipelines.warehouse.mart_parquet import write_parquet
from pipelines.warehouse.marts import MARTS
from pipelines.warehouse.spare import (
    READ_ONLY_MODE,
    copy_database,
    next_spare,
    spare_path,
    table_columns,
    update_spare,
)

ANALYST_COPY_NAME = "warehouse.duckdb"
# Beside the writer's warehouse: what the analysts' copy and its Parquet files hold, and what the spare holds.
COPY_RECORD_NAME = "analyst-copy-fingerprints.parquet"
SPARE_RECORD_NAME = "analyst-spare-fingerprints.parquet"
RESTRICTED_DIR_MODE = stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


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


def _record(
    copy_record: Path,
    spare_record: Path,
    now: pl.DataFrame,
    final: Path,
    parquet: dict[str, Path],  # the Parquet files, by the names the record gives them
    spare: Path | None,
    spare_updated: int | None,
) -> None:
    """Record what the new copy and its Parquet files hold (the writer's snapshot) and what the next spare
    holds: the copy just replaced (its record, which names that very file) or, after a whole copy, a copy of
    the new one. Each record names its files, so one that no longer describes them is not used."""
    if spare is None:
        spare_record.unlink(missing_ok=True)
    elif spare_updated is None:
        write_record(spare_record, now, {COPY_FILE: spare})
    elif copy_record.is_file():
        os.replace(copy_record, spare_record)
    else:
        spare_record.unlink(missing_ok=True)
    files = {COPY_FILE: final, **parquet}
    write_record(copy_record, now, files)


def publish(
    warehouse_path: Path,
    analyst_dir: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    legacy_dir: Path | None = None,
) -> dict:
    """Write the analysts' consistent read-only copy of the warehouse and one Parquet file per mart and period.

    `legacy_dir` (published/ of earlier releases) loses its exact copies once the new ones are in place.

    Opens warehouse_path itself unless `con`, an open connection to it, is given (e.g. by the writer).
    Returns the paths written, the number of tables copied and the Parquet files written and removed.
    """
    warehouse_path, analyst_dir = Path(warehouse_path), Path(analyst_dir)
    if con is None and not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}")
    _restrict(analyst_dir)
    source = con or duckdb.connect(str(warehouse_path))
    final = analyst_dir / ANALYST_COPY_NAME
    temporary = analyst_dir / f".{ANALYST_COPY_NAME}.tmp"
    spare = spare_path(warehouse_path)
    copy_record, spare_record = spare.with_name(COPY_RECORD_NAME), spare.with_name(SPARE_RECORD_NAME)
    _discard(temporary)
    source.begin()
    try:
        columns = table_columns(source)
        now = fingerprints(source, columns, table_kinds(columns))
        published = read_record(copy_record)  # what the copy and the Parquet files held when last published
        updated = update_spare(source, spare, columns, now, read_record(spare_record))
        built = spare if updated is not None else temporary
        if updated is None:
            _discard(spare)  # unusable: the copy replaced below becomes the next spare
            tables = copy_database(source, temporary)
        else:
            tables = len({(schema, table) for schema, table, _, _ in columns})
        parquet = write_parquet(source, analyst_dir / "parquet", now, published)
        # Documented from the snapshot the copy holds (the same tables, columns and comments), so the copy
        # need not be opened again; files whose text is unchanged are left as they are.
        dictionary = write_dictionary(analyst_dir, source)
        source.commit()
        os.chmod(built, READ_ONLY_MODE)
        kept = next_spare(spare, temporary if updated is None else None, final)
        os.replace(built, final)
        if kept is not None:
            os.replace(kept, spare)
    except BaseException:
        source.rollback()
        _discard(temporary)
        raise
    finally:
        if con is None:
            source.close()
    _record(
        copy_record, spare_record, now, final, parquet.files, spare if kept is not None else None, updated
    )
    removed = remove_legacy_copies(legacy_dir) if legacy_dir is not None else []
    return {
        "analyst_copy_path": final,
        "parquet_path": analyst_dir / "parquet",
        "tables": tables,
        "partitions_updated": updated,  # None: the whole warehouse was copied
        "marts": len(MARTS),
        "parquet_files": len(parquet.files),
        "parquet_written": len(parquet.written),
        "parquet_removed": len(parquet.removed),
        "dictionary_path": dictionary[1],
        "legacy_files_removed": len(removed),
    }
