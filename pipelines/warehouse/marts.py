"""Analysts' marts: sql/marts/<name>.sql each rebuild one table of the marts schema from the core facts."""

from __future__ import annotations

import duckdb

from pipelines.paths import SQL_DIR
from pipelines.warehouse.connection import refresh_dimensions, run_sql

# Build order: trend reads state_summary; every other mart reads core only.
MARTS = (
    "state_summary",
    "programs_by_type",
    "funding_by_source",
    "region_summary",
    "workforce_summary",
    "outcomes_summary",
    "trend",
    "submission_status",
)


def mart_files() -> set[str]:
    return {p.stem for p in (SQL_DIR / "marts").glob("*.sql")}


def rebuild_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every mart and its comments (inside the caller's transaction)."""
    refresh_dimensions(con)
    run_sql(con, "warehouse/dim_period")
    for name in MARTS:
        run_sql(con, f"marts/{name}")
    run_sql(con, "warehouse/generated/comments_marts")


def build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild every mart whole, in one transaction; returns the row count of each."""
    con.begin()
    try:
        rebuild_marts(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return {name: con.table(f"marts.{name}").shape[0] for name in MARTS}
