"""Cross-table and cross-package rules: the SQL files in sql/rules/ over the batch's typed frames in DuckDB.

The contract-driven parts (which keys are unique, which columns reference, sit in a state, or are parts of a
whole) are turned here into long helper frames, so each SQL file states its rule once for every table.
"""

from __future__ import annotations

from functools import cache

import duckdb
import polars as pl

from pipelines.contract import load_contract
from pipelines.ingest.model import ROW_COLUMN
from pipelines.paths import REFERENCE_DIR, SQL_DIR
from pipelines.sql import load_sql
from pipelines.validate.model import PACKAGE_KEY, PackageContext

# One file per cross-table rule; adding a rule is adding its file (findings are ordered later, by contract).
RULE_FILES = tuple(sorted(path.stem for path in (SQL_DIR / "rules").glob("*.sql")))
RESULT_SCHEMA = {
    PACKAGE_KEY: pl.Utf8,
    "rule_id": pl.Utf8,
    "table_name": pl.Utf8,
    "row_number": pl.Int64,
    "column_name": pl.Utf8,
    "value": pl.Utf8,
    "args": pl.Utf8,
}
EMPTY_KEY = "(empty)"
KEY_SEPARATOR = " + "


@cache
def counties() -> pl.DataFrame:
    return pl.read_csv(REFERENCE_DIR / "counties.csv", schema_overrides={"county_fips": pl.Utf8}).select(
        "county_fips", "state"
    )


@cache
def states() -> pl.DataFrame:
    return pl.read_csv(REFERENCE_DIR / "states.csv", schema_overrides={"state_fips": pl.Utf8}).select(
        "state", "state_name"
    )


def packages_frame(contexts: list[PackageContext]) -> pl.DataFrame:
    ratio = load_contract().limits["w04_ratio"]
    return pl.DataFrame(
        [
            {
                PACKAGE_KEY: c.key,
                "grantee_id": c.grantee_id,
                "state": c.state,
                "period": c.period,
                "version": c.version,
                "on_roster": c.on_roster,
                "previous_period": c.previous_period,
                "previous_funding_total": c.previous_funding_total,
                "w04_ratio": ratio,
            }
            for c in contexts
        ],
        schema={
            PACKAGE_KEY: pl.Utf8,
            "grantee_id": pl.Utf8,
            "state": pl.Utf8,
            "period": pl.Utf8,
            "version": pl.Int64,
            "on_roster": pl.Boolean,
            "previous_period": pl.Utf8,
            "previous_funding_total": pl.Float64,
            "w04_ratio": pl.Float64,
        },
    )


def _base(frame: pl.DataFrame, table: str) -> list[pl.Expr]:
    return [pl.col(PACKAGE_KEY), pl.lit(table).alias("table_name"), pl.col("row_number")]


def table_rows(typed: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return pl.concat([f.select(_base(f, name)) for name, f in typed.items()])


def unique_keys(typed: dict[str, pl.DataFrame], failed: pl.DataFrame) -> pl.DataFrame:
    """Key of every row whose key cells passed; `failed` lists cells (package_key, table_name, row_number,
    column_name) that broke a cell rule. A required key cell that is empty without a finding belongs to a
    column the table lacks (P03), so the row is left out as well."""
    contract, parts = load_contract(), []
    for name, table in contract.tables.items():
        for key in table.unique:
            bad_rows = failed.filter((pl.col("table_name") == name) & pl.col("column_name").is_in(list(key)))
            frame = typed[name].join(
                bad_rows.select(PACKAGE_KEY, "row_number").unique(),
                on=[PACKAGE_KEY, "row_number"],
                how="anti",
                maintain_order="left",
            )
            required = [c for c in key if table.column(c).required]
            shown = [pl.col(c).cast(pl.Utf8).fill_null(EMPTY_KEY) for c in key]
            # the group key keeps an empty cell apart from any text, the display shows it as (empty)
            grouped = [pl.col(c).cast(pl.Utf8).fill_null("\x00") for c in key]
            parts.append(
                frame.filter(
                    pl.all_horizontal([pl.col(c).is_not_null() for c in required] or [pl.lit(True)])
                ).select(
                    *_base(frame, name),
                    pl.lit(KEY_SEPARATOR.join(key)).alias("key_columns"),
                    pl.concat_str(grouped, separator="\x1f").alias("key_group"),
                    pl.concat_str(shown, separator=KEY_SEPARATOR).alias("key_display"),
                )
            )
    schema = {PACKAGE_KEY: pl.Utf8, "table_name": pl.Utf8, "row_number": pl.Int64}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _column_cells(typed: dict[str, pl.DataFrame], wanted) -> list[tuple[str, str, pl.DataFrame]]:
    return [
        (name, column, typed[name])
        for name, table in load_contract().tables.items()
        for column in table.columns
        if wanted(column)
    ]


def reference_cells(typed: dict[str, pl.DataFrame]) -> pl.DataFrame:
    parts = []
    for name, column, frame in _column_cells(typed, lambda c: c.references):
        ref_table, ref_column = column.references.split(".")
        parts.append(
            frame.filter(pl.col(column.name).is_not_null()).select(
                *_base(frame, name),
                pl.lit(column.name).alias("column_name"),
                pl.col(column.name).cast(pl.Utf8).alias("value"),
                pl.lit(ref_table).alias("ref_table"),
                pl.lit(ref_column).alias("ref_column"),
            )
        )
    return pl.concat(parts)


def reference_values(raw: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every value the referenced columns hold as written, valid or not: a reference to a program whose
    own id broke a cell rule is that cell's finding, not an X04 as well."""
    targets = {c.references for t in load_contract().tables.values() for c in t.columns if c.references}
    parts = []
    for target in sorted(targets):
        ref_table, ref_column = target.split(".")
        frame = raw[ref_table]
        parts.append(
            frame.filter(pl.col(ref_column).is_not_null()).select(
                pl.col(PACKAGE_KEY),
                pl.lit(ref_table).alias("ref_table"),
                pl.lit(ref_column).alias("ref_column"),
                pl.col(ref_column).alias("value"),
            )
        )
    return pl.concat(parts)


def county_cells(typed: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(
        frame.filter(pl.col(column.name).is_not_null()).select(
            *_base(frame, name), pl.lit(column.name).alias("column_name"), pl.col(column.name).alias("value")
        )
        for name, column, frame in _column_cells(typed, lambda c: c.in_state)
    )


def part_whole(typed: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(
        frame.filter(pl.col(column.name).is_not_null() & pl.col(column.max_column).is_not_null()).select(
            *_base(frame, name),
            pl.lit(column.name).alias("column_name"),
            pl.col(column.name).cast(pl.Float64).alias("value"),
            pl.col(column.name).cast(pl.Utf8).alias("value_text"),
            pl.lit(column.max_column).alias("other_column"),
            pl.col(column.max_column).cast(pl.Float64).alias("other_value"),
        )
        for name, column, frame in _column_cells(typed, lambda c: c.max_column)
    )


def required_when(typed: dict[str, pl.DataFrame]) -> pl.DataFrame:
    parts = []
    for name, column, frame in _column_cells(typed, lambda c: c.required_when):
        (cond_column, cond_value), *_ = column.required_when.items()
        parts.append(
            frame.filter(pl.col(cond_column) == str(cond_value).lower()).select(
                *_base(frame, name),
                pl.lit(column.name).alias("column_name"),
                pl.col(column.name).cast(pl.Utf8).alias("value"),
            )
        )
    return pl.concat(parts)


def run_cross_rules(
    contexts: list[PackageContext],
    typed: dict[str, pl.DataFrame],
    raw: dict[str, pl.DataFrame],
    status: pl.DataFrame,
    failed: pl.DataFrame,
) -> pl.DataFrame:
    """Findings of every SQL rule file, as package_key + RESULT_SCHEMA columns."""
    views = {
        **typed,
        "packages": packages_frame(contexts),
        "table_status": status,
        "table_rows": table_rows(typed),
        "unique_keys": unique_keys(typed, failed),
        "reference_cells": reference_cells(typed),
        "reference_values": reference_values(raw),
        "county_cells": county_cells(typed),
        "part_whole": part_whole(typed),
        "required_when": required_when(typed),
        "counties": counties(),
        "states": states(),
    }
    con = duckdb.connect()
    try:
        for view, frame in views.items():
            con.register(view, frame.to_arrow())
        results = [pl.from_arrow(con.sql(load_sql(f"rules/{name}")).to_arrow_table()) for name in RULE_FILES]
    finally:
        con.close()
    found = pl.concat(
        [r.rename(dict(zip(r.columns, RESULT_SCHEMA, strict=True))).cast(RESULT_SCHEMA) for r in results],
        how="vertical",
    )
    return as_written(found, raw)


def as_written(found: pl.DataFrame, raw: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """A finding on one cell shows the value as the grantee wrote it (trimmed), not as it was typed: `6.5`,
    not `6.50`; `nj`, not `NJ`. Only the cells findings name are looked up, so the cost follows the findings."""
    key = [PACKAGE_KEY, "table_name", "row_number", "column_name"]
    written = []
    for name, frame in raw.items():
        columns = load_contract().tables[name].column_names
        cells = found.filter(
            (pl.col("table_name") == name)
            & pl.col("row_number").is_not_null()
            & pl.col("column_name").is_in(columns)
        )
        if cells.height == 0:
            continue
        rows = frame.rename({ROW_COLUMN: "row_number"}).join(
            cells.select(PACKAGE_KEY, "row_number").unique(), on=[PACKAGE_KEY, "row_number"], how="semi"
        )
        written.append(
            rows.select(PACKAGE_KEY, "row_number", *columns)
            .unpivot(index=[PACKAGE_KEY, "row_number"], variable_name="column_name", value_name="__written")
            .with_columns(pl.lit(name).alias("table_name"))
            .select(*key, "__written")
        )
    if not written:
        return found
    return (
        found.join(pl.concat(written), on=key, how="left", maintain_order="left")
        .with_columns(pl.coalesce("__written", "value").alias("value"))
        .drop("__written")
    )
