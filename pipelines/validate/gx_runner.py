"""A thin wrapper around an ephemeral Great Expectations context (dagster-ge does not support GX 1.x).

The whole batch goes to GX as one pandas frame per table (GX has no polars support); every unexpected row
comes back as (package_key, rule_id, table, row_number, column). GX checks each expectation on its own, so a
cell can fail several; as in the engine, only the first rule in the contract's cell order counts.
"""

from __future__ import annotations

import os
from datetime import date
from functools import cache

import polars as pl

from pipelines.contract import load_contract
from pipelines.ingest.model import ROW_COLUMN, PackageRead
from pipelines.package_status import PackageStatus
from pipelines.validate.cell_rules import CURRENT_FY, DECIMAL_PATTERN, INT_PATTERN, PERIOD_YEAR
from pipelines.validate.gx_configurations import derived_once
from pipelines.validate.gx_suites import CODE_SUFFIX, NUMBER_SUFFIX, YEAR_SUFFIX, load_suite
from pipelines.validate.model import PACKAGE_KEY, PackageContext, ValidatedBatch
from pipelines.validate.structure import batch_frame

FAILURE_SCHEMA = {
    PACKAGE_KEY: pl.Utf8,
    "rule_id": pl.Utf8,
    "table_name": pl.Utf8,
    "row_number": pl.Int64,
    "column_name": pl.Utf8,
    "value": pl.Utf8,
}
VERDICT_ONLY = {"result_format": "BOOLEAN_ONLY"}
UNEXPECTED_ROWS = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [PACKAGE_KEY, ROW_COLUMN],
    "return_unexpected_index_query": False,
}


def gx_frame(table_name: str, raw: pl.DataFrame) -> pl.DataFrame:
    """The text of a table plus the companion columns the suite names (numbers, lower-case codes, years)."""
    contract = load_contract()
    extra = []
    for column in contract.tables[table_name].columns:
        text = pl.col(column.name)
        if column.type in ("int", "decimal"):
            spelled = text.str.contains(INT_PATTERN if column.type == "int" else DECIMAL_PATTERN)
            extra.append(
                pl.when(spelled).then(text.cast(pl.Float64, strict=False)).alias(column.name + NUMBER_SUFFIX)
            )
        if column.codes:
            extra.append(text.str.to_lowercase().alias(column.name + CODE_SUFFIX))
        if column.max_rule == "current_fiscal_year":
            valid = text.str.contains(contract.identifiers[column.pattern]["pattern"])
            extra.append(
                pl.when(valid)
                .then(text.str.slice(2).cast(pl.Int64, strict=False))
                .alias(column.name + YEAR_SUFFIX)
            )
    names = [PACKAGE_KEY, ROW_COLUMN, PERIOD_YEAR, CURRENT_FY, *contract.tables[table_name].column_names]
    return raw.select(*names, *extra)


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # never phone home, even if a build has analytics
    import great_expectations as gx  # imported here: it takes seconds
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


@cache
def _batch_definitions():
    """One ephemeral context per process, with a whole-frame batch definition per table: registering them costs
    GX about a tenth of a second, and every batch hands its own frame in (`get_batch`)."""
    gx, context = _context()
    source = context.data_sources.add_pandas("batch")
    definitions = {
        name: source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole_batch")
        for name in load_contract().tables
    }
    return gx, definitions


def _suite(gx, table_name: str):
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = load_suite(table_name)
    expectations = [
        ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e["meta"]).to_domain_obj()
        for e in spec["expectations"]
    ]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)


def _checked(result, table_name: str):
    for outcome in result.results:
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"GX could not run {outcome.expectation_config.type} on {table_name}: "
                f"{outcome.exception_info.get('exception_message')}"
            )
    return result


def _unexpected_rows(gx, batch, table_name: str) -> list[dict]:
    """Every (package, row, rule, column) a suite's expectations reject. GX's cost is per expectation, and
    listing unexpected rows costs several times more than a pass/fail verdict: the whole suite is judged
    first, then only the expectations that failed are run again to list their rows."""
    verdicts = _checked(batch.validate(_suite(gx, table_name), result_format=VERDICT_ONLY), table_name)
    failed = [outcome.expectation_config for outcome in verdicts.results if not outcome.success]
    if not failed:
        return []
    suite = gx.ExpectationSuite(name=f"{table_name}_failed", expectations=[e.to_domain_obj() for e in failed])
    result = _checked(batch.validate(suite, result_format=UNEXPECTED_ROWS), table_name)
    return [
        {
            PACKAGE_KEY: index[PACKAGE_KEY],
            "rule_id": outcome.expectation_config.meta["rule_id"],
            "table_name": table_name,
            "row_number": int(index[ROW_COLUMN]),
            "column_name": outcome.expectation_config.meta["column"],
        }
        for outcome in result.results
        for index in outcome.result.get("unexpected_index_list") or []
    ]


def gx_failures(raw_tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every cell a suite rejects, one row per cell (the first rule in cell order), with the value as read."""
    gx, definitions = _batch_definitions()
    rows: list[dict] = []
    with derived_once():
        for table_name, raw in raw_tables.items():
            if raw.height == 0:
                continue
            frame = gx_frame(table_name, raw).to_pandas()
            batch = definitions[table_name].get_batch(batch_parameters={"dataframe": frame})
            rows += _unexpected_rows(gx, batch, table_name)
    found = pl.DataFrame(rows, schema={k: v for k, v in FAILURE_SCHEMA.items() if k != "value"})
    return _first_per_cell(found, raw_tables)


def _first_per_cell(found: pl.DataFrame, raw_tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    order = list(load_contract().cell_rule_order)
    cell = [PACKAGE_KEY, "table_name", "row_number", "column_name"]
    first = (
        found.with_columns(pl.col("rule_id").replace_strict(order, list(range(len(order)))).alias("__order"))
        .sort([*cell, "__order"])
        .unique(subset=cell, keep="first", maintain_order=True)
        .drop("__order")
    )
    values = [
        raw.unpivot(
            index=[PACKAGE_KEY, ROW_COLUMN],
            on=list(load_contract().tables[name].column_names),
            variable_name="column_name",
            value_name="value",
        ).select(
            PACKAGE_KEY,
            pl.lit(name).alias("table_name"),
            pl.col(ROW_COLUMN).alias("row_number"),
            "column_name",
            pl.col("value").cast(pl.Utf8),
        )
        for name, raw in raw_tables.items()
    ]
    return first.join(pl.concat(values), on=cell, how="left").select(list(FAILURE_SCHEMA))


def raw_batch_tables(
    packages: list[tuple[PackageContext, PackageRead]], today: date
) -> dict[str, pl.DataFrame]:
    return {name: batch_frame(name, packages, today) for name in load_contract().tables}


def run_gx_column_checks(
    packages: list[tuple[PackageContext, PackageRead]], today: date, validated: ValidatedBatch
) -> list[dict]:
    """GX failures the engine let through: cells a column expectation rejects in a package the engine accepted.

    An empty list means GX and the engine agree that no accepted package breaks a column rule. Every
    expectation judges one row at a time, so only the accepted packages' rows are given to GX (none: no GX).
    """
    accepted = validated.packages.filter(pl.col("status") == PackageStatus.ACCEPTED.value).select(PACKAGE_KEY)
    keys = set(accepted.get_column(PACKAGE_KEY).to_list())
    checked = [(context, read) for context, read in packages if context.key in keys]
    if not checked:
        return []
    failures = gx_failures(raw_batch_tables(checked, today))
    return failures.join(accepted, on=PACKAGE_KEY, how="semi").to_dicts()
