"""Loading one state x period partition, and a state's roster, each in one transaction.

A partition load records the new versions, their findings, their rows as received (raw) and typed (staging,
accepted versions only), decides which version of each grantee is current, then deletes the partition's core
facts and inserts them again from staging. Any exception rolls the whole load back, so the warehouse is
either fully updated or unchanged. Every step replaces what the same versions wrote before, so a rerun with
the same input leaves identical tables.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.contract import load_contract
from pipelines.findings import FINDING_SCHEMA
from pipelines.ingest.model import PACKAGE_RECORD_SCHEMA, ROW_COLUMN
from pipelines.package_status import STATUSES, PackageStatus
from pipelines.validate.model import PACKAGE_KEY, ValidatedBatch
from pipelines.warehouse.connection import registered, run_sql
from pipelines.warehouse.tables import FACT_TABLES, KEY_NAMES, contract_columns, contract_tables

PACKAGE_SCHEMA = PACKAGE_RECORD_SCHEMA
ROSTER_SCHEMA: dict[str, pl.DataType] = {
    "grantee_id": pl.Utf8,
    "organization_name": pl.Utf8,
    "first_period": pl.Utf8,
    "last_period": pl.Utf8,
}


def _key_expr() -> pl.Expr:
    return pl.concat_str(
        [pl.col("grantee_id"), pl.col("period"), pl.col("version").cast(pl.Utf8)], separator="|"
    )


def _utc(name: str, dtype: pl.Datetime) -> pl.Expr:
    """received_at as naive UTC (the warehouse's TIMESTAMP), whatever zone the caller used."""
    column = pl.col(name)
    if dtype.time_zone is not None:
        column = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return column.cast(pl.Datetime("us"))


def incoming_packages(state: str, period: str, new_versions: pl.DataFrame) -> pl.DataFrame:
    """new_versions with every package column (missing optional ones null) and its package_key."""
    if new_versions.width == 0:
        new_versions = pl.DataFrame(schema=PACKAGE_SCHEMA)
    required = {"grantee_id", "state", "period", "version", "status"}
    if missing := required - set(new_versions.columns):
        raise ValueError(f"new_versions lacks {sorted(missing)}")
    frame = new_versions.with_columns(
        [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in PACKAGE_SCHEMA.items()
            if name not in new_versions.columns
        ]
    )
    frame = frame.select(
        [
            _utc(name, frame.schema[name])
            if isinstance(frame.schema[name], pl.Datetime)
            else pl.col(name).cast(dtype)
            for name, dtype in PACKAGE_SCHEMA.items()
        ]
    )
    if frame.height:
        elsewhere = frame.filter((pl.col("state") != state) | (pl.col("period") != period))
        if elsewhere.height:
            raise ValueError(
                f"new_versions holds versions outside {state} {period}: "
                f"{elsewhere.select('state', 'period').unique().rows()}"
            )
        unknown = set(frame.get_column("status").to_list()) - set(STATUSES)
        if unknown:
            raise ValueError(f"unknown package status {sorted(map(str, unknown))}")
    frame = frame.with_columns(_key_expr().alias(PACKAGE_KEY))
    if frame.get_column(PACKAGE_KEY).is_duplicated().any():
        raise ValueError("new_versions names the same grantee, period and version twice")
    return frame


def _require_known(keys: pl.Series, packages: pl.DataFrame, what: str) -> None:
    unknown = set(keys.unique().to_list()) - set(packages.get_column(PACKAGE_KEY).to_list())
    if unknown:
        raise ValueError(f"{what} of versions not in new_versions: {sorted(map(str, unknown))[:5]}")


def incoming_findings(batch: ValidatedBatch | None, packages: pl.DataFrame) -> pl.DataFrame:
    schema = {PACKAGE_KEY: pl.Utf8, **FINDING_SCHEMA}
    if batch is None or batch.findings.height == 0:
        return pl.DataFrame(schema={**schema, "finding_order": pl.Int64})
    frame = batch.findings.with_columns(
        [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in schema.items()
            if name not in batch.findings.columns
        ]
    ).select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
    _require_known(frame.get_column(PACKAGE_KEY), packages, "findings")
    return frame.with_row_index("finding_order").with_columns(pl.col("finding_order").cast(pl.Int64))


def _row_numbers(frame: pl.DataFrame) -> pl.Expr:
    if "row_number" in frame.columns:
        return pl.col("row_number").cast(pl.Int64)
    if ROW_COLUMN in frame.columns:
        return pl.col(ROW_COLUMN).cast(pl.Int64)
    return pl.lit(None, dtype=pl.Int64)


def _table_rows(table: str, frame: pl.DataFrame, as_text: bool) -> pl.DataFrame:
    """package_key, row_number and the table's contract columns under their warehouse names.

    A frame with package_key holds the contract's columns under their own names (reader / validation
    frames). A frame keyed by grantee_id, state, period and version instead cannot also hold the
    organization's own grantee_id and state: those are read from reported_grantee_id / reported_state.
    """
    keyed_by_package = PACKAGE_KEY in frame.columns
    key = pl.col(PACKAGE_KEY) if keyed_by_package else _key_expr()
    columns = [key.alias(PACKAGE_KEY), _row_numbers(frame).alias("row_number")]
    for column in contract_columns(table):
        if column.name in frame.columns:
            source = pl.col(column.name)
        elif column.contract_name in frame.columns and (
            keyed_by_package or column.contract_name not in KEY_NAMES
        ):
            source = pl.col(column.contract_name)
        else:
            source = pl.lit(None, dtype=pl.Utf8)
        columns.append((source.cast(pl.Utf8) if as_text else source).alias(column.name))
    return frame.select(columns)


def _check_tables(names, what: str) -> None:
    unknown = set(names) - set(contract_tables())
    if unknown:
        raise ValueError(f"{what} names tables the contract does not have: {sorted(unknown)}")


def _record_packages(con: duckdb.DuckDBPyConnection, partition: dict[str, str]) -> None:
    run_sql(con, "warehouse/load_packages", **partition)


def _record_findings(
    con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, partition: dict[str, str]
) -> None:
    with registered(con, {"incoming_findings": findings}):
        run_sql(con, "warehouse/load_findings", **partition)


def _record_rows(
    con: duckdb.DuckDBPyConnection,
    raw: dict[str, pl.DataFrame],
    typed: dict[str, pl.DataFrame],
    partition: dict[str, str],
) -> None:
    # Every contract table is visited, with an empty frame when absent, so a rerun also clears rows that a
    # previous attempt at the same versions wrote.
    for table in contract_tables():
        empty = _table_rows(table, pl.DataFrame(schema={PACKAGE_KEY: pl.Utf8}), as_text=True)
        with registered(con, {"incoming_rows": raw.get(table, empty)}):
            run_sql(con, f"warehouse/generated/load_raw_{table}", **partition)
        with registered(con, {"incoming_typed": typed.get(table, empty)}):
            run_sql(con, f"warehouse/generated/load_staging_{table}", **partition)


def _mark_current(con: duckdb.DuckDBPyConnection, state: str, period: str) -> None:
    run_sql(con, "warehouse/current_versions", state=state, period=period)


def _rebuild_facts(con: duckdb.DuckDBPyConnection, state: str, period: str) -> None:
    shares = load_contract().peer_run["criteria"]
    board_share = next(c["board_share"] for c in shares if "board_share" in c)
    staff_share = next(c["staff_share"] for c in shares if "staff_share" in c)
    run_sql(
        con,
        "warehouse/facts_grantees",
        state=state,
        period=period,
        board_share=str(board_share),
        staff_share=str(staff_share),
    )
    for table in FACT_TABLES:
        run_sql(con, f"warehouse/generated/facts_{table}", state=state, period=period)


def _partition_counts(con: duckdb.DuckDBPyConnection, state: str, period: str) -> dict[str, int]:
    row = run_sql(con, "warehouse/partition_counts", state=state, period=period).pl().row(0, named=True)
    return {k: int(v or 0) for k, v in row.items()}


def load_partition(
    con: duckdb.DuckDBPyConnection,
    state: str,
    period: str,
    new_versions: pl.DataFrame,
    batch: ValidatedBatch | None,
    raw_tables: dict[str, pl.DataFrame],
) -> dict:
    """Load one partition's new versions in one transaction; returns counts for run metadata.

    new_versions: one row per new version with the core.packages columns except is_current (status already
    decided). batch: validation of the opened versions (findings keyed by package_key, typed tables).
    raw_tables: table -> rows as received, keyed by package_key (or grantee_id, period, version).
    """
    packages = incoming_packages(state, period, new_versions)
    findings = incoming_findings(batch, packages)
    _check_tables(raw_tables, "raw_tables")
    raw = {t: _table_rows(t, f, as_text=True) for t, f in raw_tables.items()}
    typed_tables = batch.tables if batch is not None else {}
    _check_tables(typed_tables, "batch.tables")
    typed = {t: _table_rows(t, f, as_text=False) for t, f in typed_tables.items()}
    for name, frame in [*raw.items(), *typed.items()]:
        _require_known(frame.get_column(PACKAGE_KEY), packages, f"{name} rows")

    # Every delete names the partition as constants, so DuckDB skips other partitions' row groups: the cost of
    # a load follows the partition, not the warehouse.
    partition = {"state": state, "period": period}
    con.begin()
    try:
        with registered(con, {"incoming_packages": packages}):
            _record_packages(con, partition)
            _record_findings(con, findings, partition)
            _record_rows(con, raw, typed, partition)
        _mark_current(con, state, period)
        _rebuild_facts(con, state, period)
        run_sql(con, "warehouse/dim_period")
        counts = _partition_counts(con, state, period)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    statuses = packages.get_column("status").to_list()
    accepted = packages.filter(pl.col("status") == PackageStatus.ACCEPTED.value).select(PACKAGE_KEY)
    return {
        "packages": packages.height,
        **{status: statuses.count(status) for status in STATUSES},
        "findings": findings.height,
        "raw_rows": sum(f.height for f in raw.values()),
        "staging_rows": sum(f.join(accepted, on=PACKAGE_KEY).height for f in typed.values()),
        **counts,
    }


def load_roster(con: duckdb.DuckDBPyConnection, state: str, roster_frame: pl.DataFrame) -> int:
    """Replace one state's roster (grantee_id, organization_name, first_period, last_period) in one transaction."""
    frame = roster_frame.with_columns(
        [pl.lit(None, dtype=pl.Utf8).alias(c) for c in ROSTER_SCHEMA if c not in roster_frame.columns]
    ).select([pl.col(c).cast(t) for c, t in ROSTER_SCHEMA.items()])
    con.begin()
    try:
        with registered(con, {"incoming_roster": frame}):
            run_sql(con, "warehouse/load_roster", state=state)
        run_sql(con, "warehouse/dim_period")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return frame.height
