"""Opening the warehouse and running its SQL files.

Every statement lives in sql/; `run_sql` executes each statement of a file with the named parameters that
statement uses, so one file can hold a whole step (e.g. delete then insert).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR, SQL_DIR
from pipelines.sql import load_sql

DIMENSIONS = ("dim_state", "dim_county", "dim_program_type", "dim_funding_source", "dim_code")


def run_sql(
    con: duckdb.DuckDBPyConnection, name: str, identifiers: dict[str, str] | None = None, **params
) -> duckdb.DuckDBPyConnection:
    """Run every statement of sql/<name>.sql; returns the connection holding the last statement's result.

    identifiers fills the file's {placeholders} with table names (identifiers cannot be parameters); they must
    come from the warehouse's own catalog, never from input."""
    result = con
    text = load_sql(name) if identifiers is None else load_sql(name).format(**identifiers)
    for statement in con.extract_statements(text):
        wanted = {k: v for k, v in params.items() if k in statement.named_parameters}
        missing = set(statement.named_parameters) - set(wanted)
        if missing:
            raise ValueError(f"sql/{name}.sql needs parameters {sorted(missing)}")
        result = con.execute(statement, wanted or None)
    return result


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    """Result of the (last) statement of sql/<name>.sql as a Polars frame."""
    return run_sql(con, name, **params).pl()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, views: dict[str, pl.DataFrame]) -> Iterator[None]:
    """Make Polars frames visible to SQL under fixed names for the duration of a step."""
    for name, frame in views.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in views:
            con.unregister(name)


def ddl_names() -> list[str]:
    """Every DDL file of the warehouse, hand-written and generated (sql/warehouse/**/ddl_*.sql), ordered by
    file name so a table is created in the same order wherever its file lives."""
    files = sorted((SQL_DIR / "warehouse").rglob("ddl_*.sql"), key=lambda p: p.stem)
    return [p.relative_to(SQL_DIR).with_suffix("").as_posix() for p in files]


def _contract_code_frames() -> dict[str, pl.DataFrame]:
    contract = load_contract()
    categories = {c.code: c.label for c in contract.funding_categories}
    program_types = pl.DataFrame(
        [
            {"code": c.code, "label": c.label, "field_term": c.field_term}
            for c in contract.codes["program_type"]
        ],
        schema={"code": pl.Utf8, "label": pl.Utf8, "field_term": pl.Utf8},
    )
    funding_sources = pl.DataFrame(
        [
            {
                "code": c.code,
                "label": c.label,
                "category": c.category,
                "category_label": categories.get(c.category),
            }
            for c in contract.codes["funding_source"]
        ],
        schema={"code": pl.Utf8, "label": pl.Utf8, "category": pl.Utf8, "category_label": pl.Utf8},
    )
    codes = pl.DataFrame(
        [
            {"code_list": name, "code": c.code, "label": c.label}
            for name, items in contract.codes.items()
            for c in items
        ]
        + [
            {"code_list": "funding_category", "code": c.code, "label": c.label}
            for c in contract.funding_categories
        ],
        schema={"code_list": pl.Utf8, "code": pl.Utf8, "label": pl.Utf8},
    )
    return {
        "contract_program_types": program_types,
        "contract_funding_sources": funding_sources,
        "contract_codes": codes,
    }


def refresh_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    """Reload the reference and contract dimensions (deterministic: same files, same rows)."""
    with registered(con, _contract_code_frames()):
        for name in DIMENSIONS:
            run_sql(
                con,
                f"warehouse/{name}",
                states_csv=str(REFERENCE_DIR / "states.csv"),
                counties_csv=str(REFERENCE_DIR / "counties.csv"),
            )


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Schemas and every table of raw, staging and core (idempotent; no data, no comments)."""
    run_sql(con, "warehouse/schemas")
    for name in ddl_names():
        run_sql(con, name)


def _loaded_comments(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return query(con, "warehouse/loaded_comments").rows()


@cache
def _dictionary_comments() -> list[tuple]:
    """The comments comments_tables.sql gives raw, staging and core, read once per process from an empty
    in-memory warehouse."""
    con = duckdb.connect()
    try:
        create_tables(con)
        run_sql(con, "warehouse/generated/comments_tables")
        return _loaded_comments(con)
    finally:
        con.close()


def record_all_partition_versions(con: duckdb.DuckDBPyConnection) -> None:
    """core.partition_versions computed from every version record, period by period, by the statement each
    load runs for its own partitions: for a warehouse made before the table existed."""
    for period, states in run_sql(con, "warehouse/package_partitions").fetchall():
        run_sql(
            con,
            "warehouse/record_partition_versions",
            period=period,
            states=states,
            first_state=states[0],
            last_state=states[-1],
        )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create whatever is missing, comment every table, and load the dimensions the first time. When every
    table and column already carries the dictionary's comment, nothing is missing and nothing is written (so
    an open does not rewrite the catalog)."""
    con.begin()
    try:
        run_sql(con, "warehouse/schemas")
        if _loaded_comments(con) != _dictionary_comments():
            create_tables(con)
            run_sql(con, "warehouse/generated/comments_tables")
        if con.execute(load_sql("warehouse/count_dim_county")).fetchone()[0] == 0:
            refresh_dimensions(con)
        if run_sql(con, "warehouse/partition_versions_missing").fetchone()[0]:
            record_all_partition_versions(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer's connection also gets every schema and table ensured."""
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    run_sql(con, "warehouse/checkpoint_at_commit")
    ensure_schema(con)
    return con
