"""Package structure: which tables and columns a package has (P02, P03), and the batch frames built on it."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import polars as pl

from pipelines.contract import fiscal_year, load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.model import ROW_COLUMN, PackageRead
from pipelines.validate.cell_rules import CURRENT_FY, PERIOD_YEAR, present_flag
from pipelines.validate.model import PACKAGE_KEY, PackageContext

FATAL_READING_RULES = ("P01", "P04")
TABLE_STATUS_SCHEMA = {
    PACKAGE_KEY: pl.Utf8,
    "table_name": pl.Utf8,
    "present": pl.Boolean,
    "complete": pl.Boolean,
    "blocked": pl.Boolean,
    "rows_rule": pl.Utf8,
    "n_rows": pl.Int64,
}


def unreadable(read: PackageRead) -> bool:
    """The reader could not open the package as a whole: nothing about its tables can be said."""
    return any(f.rule_id in FATAL_READING_RULES and f.table_name is None for f in read.findings)


def blocked_tables(read: PackageRead) -> set[str]:
    """Tables the reader already reported an error for; their absence is not reported again."""
    return {f.table_name for f in read.findings if f.is_error and f.table_name}


def table_columns(frame: pl.DataFrame) -> set[str]:
    return {c for c in frame.columns if c != ROW_COLUMN}


def structure_findings(read: PackageRead) -> list[Finding]:
    """P02 for a required table that is missing, P03 for each required column a table lacks."""
    if unreadable(read):
        return []
    contract, blocked, out = load_contract(), blocked_tables(read), []
    for table in contract.tables.values():
        frame = read.tables.get(table.name)
        if frame is None:
            if table.required and table.name not in blocked:
                out.append(finding("P02", table=table.name))
            continue
        for name in table.required_columns:
            if name not in table_columns(frame):
                out.append(finding("P03", table=table.name, row=1, column=name, case="missing_column"))
    return out


def table_status(ctx: PackageContext, read: PackageRead) -> list[dict]:
    contract, fatal, blocked = load_contract(), unreadable(read), blocked_tables(read)
    rows = []
    for table in contract.tables.values():
        frame = read.tables.get(table.name)
        present = frame is not None
        rows.append(
            {
                PACKAGE_KEY: ctx.key,
                "table_name": table.name,
                "present": present,
                "complete": present and set(table.required_columns) <= table_columns(frame),
                "blocked": fatal or table.name in blocked,
                "rows_rule": table.rows,
                "n_rows": frame.height if present else 0,
            }
        )
    return rows


def _period_year(period: str) -> int | None:
    return (
        int(period[2:])
        if re.fullmatch(load_contract().identifiers["reporting_period"]["pattern"], period or "")
        else None
    )


@cache
def _contract_columns(table_name: str, have: frozenset[str]) -> tuple[pl.Expr, ...]:
    """The table's contract columns as text (null where the package lacks one) and their present flags, for a
    package whose table holds the columns `have`: built once per column set, not once per package."""
    columns = load_contract().tables[table_name].columns
    return (
        *[
            (pl.col(c.name).cast(pl.Utf8) if c.name in have else pl.lit(None, dtype=pl.Utf8)).alias(c.name)
            for c in columns
        ],
        *[pl.lit(c.name in have).alias(present_flag(c.name)) for c in columns],
    )


def batch_frame(
    table_name: str, packages: list[tuple[PackageContext, PackageRead]], today: date
) -> pl.DataFrame:
    """All packages' rows of one table as text, every contract column present, with per-package facts."""
    table = load_contract().tables[table_name]
    current_fy = pl.lit(fiscal_year(today), dtype=pl.Int64).alias(CURRENT_FY)
    frames = []
    for ctx, read in packages:
        frame = read.tables.get(table_name)
        if frame is None:
            continue
        frames.append(
            frame.select(
                pl.lit(ctx.key).alias(PACKAGE_KEY),
                pl.col(ROW_COLUMN).cast(pl.Int64),
                pl.lit(_period_year(ctx.period), dtype=pl.Int64).alias(PERIOD_YEAR),
                current_fy,
                *_contract_columns(table_name, frozenset(table_columns(frame))),
            )
        )
    if frames:
        return pl.concat(frames, how="vertical")
    schema = {PACKAGE_KEY: pl.Utf8, ROW_COLUMN: pl.Int64, PERIOD_YEAR: pl.Int64, CURRENT_FY: pl.Int64}
    schema |= {c.name: pl.Utf8 for c in table.columns} | {
        present_flag(c.name): pl.Boolean for c in table.columns
    }
    return pl.DataFrame(schema=schema)
