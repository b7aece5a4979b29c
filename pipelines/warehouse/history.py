"""What intake and validation need to know about versions already in the warehouse."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from pipelines.warehouse.connection import query

HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "grantee_id": pl.Utf8,
    "version": pl.Int64,
    "sha256": pl.Utf8,
    "source_path": pl.Utf8,
    "status": pl.Utf8,
    "is_current": pl.Boolean,
    "received_at": pl.Datetime("us"),
}
PREVIOUS_FUNDING_SCHEMA: dict[str, pl.DataType] = {
    "grantee_id": pl.Utf8,
    "previous_period": pl.Utf8,
    "previous_funding_total": pl.Float64,
}


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # An empty result still has the documented columns and types, so callers never special-case it.
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def package_history(con: duckdb.DuckDBPyConnection, state: str, period: str) -> pl.DataFrame:
    """Every version recorded for a state x period: grantee_id, version, sha256, source_path, status,
    is_current, received_at; ordered by grantee and version."""
    return _typed(query(con, "warehouse/package_history", state=state, period=period), HISTORY_SCHEMA)


def previous_funding(
    con: duckdb.DuckDBPyConnection, grantee_ids: Iterable[str], state: str, period: str
) -> pl.DataFrame:
    """For W04: per grantee of the state, the most recent earlier period with an accepted current version and
    its total funding (grantee_id, previous_period, previous_funding_total). Grantees without one get no row.

    A grantee's accepted versions are all in its own state (an id whose prefix is not the state folder is
    rejected unopened, P05), so only the state's rows are read."""
    ids = sorted(set(grantee_ids))
    return _typed(
        query(con, "warehouse/previous_funding", grantee_ids=ids, state=state, period=period),
        PREVIOUS_FUNDING_SCHEMA,
    )


def recorded_versions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every recorded package version: grantee_id, state, period, version, status, counts, duplicate_of."""
    return query(con, "warehouse/recorded_versions")


def version_findings(con: duckdb.DuckDBPyConnection, package_keys: list[str]) -> pl.DataFrame:
    """The findings of the given versions ('grantee_id|period|version'), keyed by package_key."""
    return query(con, "warehouse/version_findings", keys=package_keys).cast({"row_number": pl.Int64})
