"""A partition's input to a load in the warehouse's shape: version records, findings, rows as received and
typed rows, each keyed by package_key and checked against the partition before anything is written."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.findings import FINDING_SCHEMA
from pipelines.ingest.model import PACKAGE_RECORD_SCHEMA, ROW_COLUMN
from pipelines.package_status import STATUSES
from pipelines.validate.model import PACKAGE_KEY, ValidatedBatch, package_key_expr
from pipelines.warehouse.tables import KEY_NAMES, contract_columns, contract_tables

PACKAGE_SCHEMA = PACKAGE_RECORD_SCHEMA


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
    frame = frame.with_columns(package_key_expr().alias(PACKAGE_KEY))
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


def table_rows(table: str, frame: pl.DataFrame, as_text: bool) -> pl.DataFrame:
    """package_key, row_number and the table's contract columns under their warehouse names.

    A frame with package_key holds the contract's columns under their own names (reader / validation
    frames). A frame keyed by grantee_id, state, period and version instead cannot also hold the
    organization's own grantee_id and state: those are read from reported_grantee_id / reported_state.
    """
    keyed_by_package = PACKAGE_KEY in frame.columns
    key = pl.col(PACKAGE_KEY) if keyed_by_package else package_key_expr()
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


@dataclass(frozen=True)
class PartitionLoad:
    """What one partition's load receives. new_versions: one row per new version with the core.packages columns
    except is_current (status already decided). batch: validation of the opened versions (findings keyed by
    package_key, typed tables). raw_tables: table -> rows as received, keyed by package_key (or grantee_id,
    period, version)."""

    state: str
    period: str
    new_versions: pl.DataFrame
    batch: ValidatedBatch | None
    raw_tables: dict[str, pl.DataFrame]


@dataclass
class IncomingPartition:
    state: str
    packages: pl.DataFrame
    findings: pl.DataFrame
    raw: dict[str, pl.DataFrame]
    typed: dict[str, pl.DataFrame]


def incoming_partition(load: PartitionLoad) -> IncomingPartition:
    """One partition's input in the warehouse's shape, checked before anything is written."""
    packages = incoming_packages(load.state, load.period, load.new_versions)
    findings = incoming_findings(load.batch, packages)
    _check_tables(load.raw_tables, "raw_tables")
    raw = {t: table_rows(t, f, as_text=True) for t, f in load.raw_tables.items()}
    typed_tables = load.batch.tables if load.batch is not None else {}
    _check_tables(typed_tables, "batch.tables")
    typed = {t: table_rows(t, f, as_text=False) for t, f in typed_tables.items()}
    for name, frame in [*raw.items(), *typed.items()]:
        _require_known(frame.get_column(PACKAGE_KEY), packages, f"{name} rows")
    return IncomingPartition(load.state, packages, findings, raw, typed)
