"""Cell rules F01-F05 for one table over a whole batch, vectorised in polars.

Each cell gets at most one finding, the first of the contract's cell_rule_order that applies, and a typed
value that is null whenever the cell failed. Part-whole maxima are left to X06.
"""

from __future__ import annotations

import polars as pl

from pipelines.contract import Column, Table, load_contract
from pipelines.ingest.model import ROW_COLUMN
from pipelines.validate.model import PACKAGE_KEY

INT_PATTERN = r"^-?[0-9]+(?:\.0+)?$"
DECIMAL_PATTERN = r"^-?[0-9]+(?:\.[0-9]{1,2})?$"
DECIMAL_TYPE = pl.Decimal(18, 2)
PERIOD_YEAR = "__period_year"  # the year of the period in the package path
CURRENT_FY = "__current_fy"  # fiscal year of the validation day


def present_flag(column: str) -> str:
    return f"__present__{column}"


def rule_column(column: str) -> str:
    return f"__rule__{column}"


def typed_dtype(column: Column) -> pl.DataType:
    return {"int": pl.Int64, "decimal": DECIMAL_TYPE, "bool": pl.Boolean}.get(column.type, pl.Utf8)


def _bool_spellings() -> tuple[list[str], list[str]]:
    values = load_contract().bool_values
    return list(values[True]), list(values[False])


def parsed(column: Column) -> pl.Expr:
    """The cell's value in its contract type, or null when it does not parse."""
    raw = pl.col(column.name)
    if column.type == "int":
        return raw.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    if column.type == "decimal":
        return raw.cast(DECIMAL_TYPE, strict=False)
    if column.type == "bool":
        true, false = _bool_spellings()
        low = raw.str.to_lowercase()
        return pl.when(low.is_in(true)).then(True).when(low.is_in(false)).then(False).otherwise(None)
    if column.type == "code":
        return raw.str.to_lowercase()
    return raw


def _wrong_type(column: Column) -> pl.Expr:
    raw = pl.col(column.name)
    if column.type == "int":
        return ~raw.str.contains(INT_PATTERN)
    if column.type == "decimal":
        return ~raw.str.contains(DECIMAL_PATTERN)
    if column.type == "bool":
        true, false = _bool_spellings()
        return ~raw.str.to_lowercase().is_in(true + false)
    return pl.lit(False)


def _wrong_pattern(column: Column) -> pl.Expr:
    if not column.pattern:
        return pl.lit(False)
    return ~pl.col(column.name).str.contains(load_contract().identifiers[column.pattern]["pattern"])


def _unknown_code(column: Column) -> pl.Expr:
    if not column.codes:
        return pl.lit(False)
    return ~pl.col(column.name).str.to_lowercase().is_in(list(load_contract().code_values(column.codes)))


def _out_of_range(column: Column) -> pl.Expr:
    raw = pl.col(column.name)
    checks: list[pl.Expr] = []
    if column.type in ("int", "decimal"):
        value = parsed(column)
        # the type matched but the number does not fit its storage: far outside any range
        checks.append(value.is_null())
        number = value.cast(pl.Float64)
        if column.min is not None:
            checks.append(number < column.min)
        if column.max is not None:
            checks.append(number > column.max)
        if column.max_rule == "period_year":
            checks.append(number > pl.col(PERIOD_YEAR))
    if column.min_length is not None:
        checks.append(raw.str.len_chars() < column.min_length)
    if column.max_length is not None:
        checks.append(raw.str.len_chars() > column.max_length)
    if column.max_rule == "current_fiscal_year":
        checks.append(raw.str.slice(2).cast(pl.Int64, strict=False) > pl.col(CURRENT_FY))
    if not checks:
        return pl.lit(False)
    return pl.any_horizontal(checks).fill_null(False)


def cell_rule(column: Column) -> pl.Expr:
    """The first cell rule the value breaks, in the contract's order, or null."""
    raw = pl.col(column.name)
    conditions = {
        "F01": raw.is_null() & pl.lit(column.required) & pl.col(present_flag(column.name)),
        "F02": raw.is_not_null() & _wrong_type(column),
        "F05": raw.is_not_null() & _wrong_pattern(column),
        "F03": raw.is_not_null() & _unknown_code(column),
        "F04": raw.is_not_null() & _out_of_range(column),
    }
    expr: pl.Expr | None = None
    for rule_id in load_contract().cell_rule_order:
        cond = conditions[rule_id]
        expr = pl.when(cond).then(pl.lit(rule_id)) if expr is None else expr.when(cond).then(pl.lit(rule_id))
    return expr.otherwise(pl.lit(None, dtype=pl.Utf8))


def _f04_args(column: Column) -> pl.Expr:
    """Per-package maxima that the contract states as a rule, not a number."""
    if column.max_rule == "period_year":
        return pl.concat_str([pl.lit('{"max": "'), pl.col(PERIOD_YEAR).cast(pl.Utf8), pl.lit('"}')])
    if column.max_rule == "current_fiscal_year":
        return pl.concat_str(
            [
                pl.lit(
                    f'{{"message": "Use a value for {column.name} no later than the current fiscal year, FY'
                ),
                pl.col(CURRENT_FY).cast(pl.Utf8),
                pl.lit('."}'),
            ]
        )
    return pl.lit(None, dtype=pl.Utf8)


def check_table(table: Table, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(typed frame, findings) for one table of a whole batch.

    `frame` holds package_key, ROW_COLUMN, PERIOD_YEAR, CURRENT_FY, every contract column as text (null
    where empty or absent) and a present_flag() column per contract column.
    """
    ruled = frame.with_columns(cell_rule(c).alias(rule_column(c.name)) for c in table.columns)
    typed = ruled.select(
        pl.col(PACKAGE_KEY),
        pl.col(ROW_COLUMN).alias("row_number"),
        *[
            pl.when(pl.col(rule_column(c.name)).is_null()).then(parsed(c)).cast(typed_dtype(c)).alias(c.name)
            for c in table.columns
        ],
    )
    parts = [
        ruled.filter(pl.col(rule_column(c.name)).is_not_null()).select(
            pl.col(PACKAGE_KEY),
            pl.col(rule_column(c.name)).alias("rule_id"),
            pl.lit(table.name).alias("table_name"),
            pl.col(ROW_COLUMN).cast(pl.Int64).alias("row_number"),
            pl.lit(c.name).alias("column_name"),
            pl.col(c.name).alias("value"),
            pl.when(pl.col(rule_column(c.name)) == "F04").then(_f04_args(c)).alias("args"),
        )
        for c in table.columns
    ]
    return typed, pl.concat(parts, how="vertical") if parts else pl.DataFrame()
