"""The larger warehouse: the loaded periods replicated under earlier fiscal years, so it holds N times the rows.

Every raw, staging and core table keyed by period gets N-1 copies of its rows with the period shifted back by
whole spans of the generated periods (FY2024-FY2026 at 4x adds FY2015-FY2023). The landing tree is not touched,
so a resubmission in the original periods meets a warehouse N times as large. The larger home carries the
archive of the generated periods too (`link_archive`), as a home with that history would: without it, intake
finds no recorded identity and copies and hashes every package of the resubmitted partition again.

Each table is then written again into full row groups (`sql/bench/compact_table.sql`), rows in the same order:
the replicating inserts leave part-filled row groups, which DuckDB merges at the first checkpoint after a
delete. The first resubmission would otherwise pay for rewriting every table (about a second at 4x): a cost of
how the benchmark builds the larger warehouse, not of its size.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipelines.sql import load_sql


def period_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"{schema}.{table}" for schema, table in con.execute(load_sql("bench/period_tables")).fetchall()]


def warehouse_rows(warehouse: Path) -> int:
    """Rows in all period-keyed tables: the size the incremental figure is compared across."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sum(
            con.execute(load_sql("bench/count_rows").format(table=t)).fetchone()[0]
            for t in period_tables(con)
        )


def inflate_warehouse(source: Path, target: Path, periods: list[str], multiple: int) -> None:
    """Copy the warehouse file to target and replicate its periods' rows multiple-1 times under earlier years."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    span = int(max(periods)[2:]) - int(min(periods)[2:]) + 1
    with duckdb.connect(str(target)) as con:
        con.execute(load_sql("bench/no_progress_bar"))
        tables = period_tables(con)
        for table in tables:
            statement = load_sql("bench/replicate_periods").format(table=table)
            for copy in range(1, multiple):
                con.execute(statement, {"shift": span * copy, "periods": list(periods)})
        # Compacted from the checkpointed tables: rows still being inserted keep the row groups they came in.
        con.execute(load_sql("warehouse/checkpoint"))
        for table in tables:
            con.execute(load_sql("bench/compact_table").format(table=table))
        con.execute(load_sql("warehouse/checkpoint"))


def link_archive(source: Path, target: Path) -> None:
    """The archive folder of one home as the archive of another, file by file as hard links: the archive is
    append-only (a version is written under a new name and renamed into place, never rewritten), so the two
    homes never write into one another's files."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, copy_function=os.link)
