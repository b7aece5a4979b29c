"""Validate a whole batch of packages at once: structure, cell rules, SQL rules, cap, status.

What is reported when part of a package cannot be read, so that each problem is said once:
- the reader could not open the package (P01/P04 without a table): only the reader's finding (and P06);
- the reader dropped a table (P01/P04/P03 naming it): no P02 for it, no W06 for outcomes;
- a table lacks a required column: one P03 per missing column, no F01 for its cells, and rules that need
  the table as a reference (X04 against programs) are not applied to that package;
- everything else in the package is still validated, so the grantee gets every other finding at once.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from pipelines.contract import load_contract
from pipelines.findings import FINDING_SCHEMA, Finding
from pipelines.ingest.model import PackageRead
from pipelines.package_status import PackageStatus
from pipelines.validate.cell_rules import check_table
from pipelines.validate.cross import RESULT_SCHEMA, run_cross_rules
from pipelines.validate.messages import message
from pipelines.validate.model import PACKAGE_KEY, PackageContext, ValidatedBatch
from pipelines.validate.structure import TABLE_STATUS_SCHEMA, batch_frame, structure_findings, table_status

FINDINGS_PER_RULE = 100  # per rule and package; the rest is counted in one summary finding
SUMMARY_PATTERN = (
    r"^[0-9]+ more [A-Z][0-9]{2} findings are not listed"  # how a summary finding's message starts
)
LONG_SCHEMA = {**RESULT_SCHEMA, "message": pl.Utf8}
UNCACHED_FORMULA_ARGS = json.dumps({"case": "uncached_formula"})
PACKAGES_SCHEMA = {
    PACKAGE_KEY: pl.Utf8,
    "grantee_id": pl.Utf8,
    "state": pl.Utf8,
    "period": pl.Utf8,
    "version": pl.Int64,
    "status": pl.Utf8,
    "error_count": pl.Int64,
    "warning_count": pl.Int64,
}


def _as_long(key: str, findings: list[Finding]) -> pl.DataFrame:
    rows = [
        {
            PACKAGE_KEY: key,
            "rule_id": f.rule_id,
            "table_name": f.table_name,
            "row_number": f.row_number,
            "column_name": f.column_name,
            "value": f.value,
            "args": None,
            "message": f.message or None,
        }
        for f in findings
    ]
    return pl.DataFrame(rows, schema=LONG_SCHEMA)


def _with_message(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("message")) if "message" not in frame else frame
    )


def _ordered(long: pl.DataFrame) -> pl.DataFrame:
    """Package-level findings first, then by table, row and column in contract order."""
    contract = load_contract()
    tables = list(contract.tables)
    positions = pl.DataFrame(
        [(t, c.name, i) for t in tables for i, c in enumerate(contract.tables[t].columns)],
        schema={"table_name": pl.Utf8, "column_name": pl.Utf8, "__c": pl.Int64},
        orient="row",
    )
    rules = {r: i for i, r in enumerate(contract.rules)}
    return (
        long.join(positions, on=["table_name", "column_name"], how="left", maintain_order="left")
        .with_columns(
            pl.col("table_name").replace_strict(tables, list(range(len(tables))), default=-1).alias("__t"),
            pl.col("rule_id").replace_strict(rules, default=len(rules)).alias("__r"),
        )
        .sort([PACKAGE_KEY, "__t", "row_number", "__c", "__r"], nulls_last=False, maintain_order=True)
        .drop("__t", "__c", "__r")
    )


def cap(long: pl.DataFrame, limit: int = FINDINGS_PER_RULE) -> pl.DataFrame:
    """Keep the first `limit` findings of each rule in each package and one summary of the rest."""
    numbered = long.with_columns(pl.int_range(pl.len()).over(PACKAGE_KEY, "rule_id").alias("__n"))
    kept = numbered.filter(pl.col("__n") < limit).drop("__n")
    rest = (
        numbered.filter(pl.col("__n") >= limit)
        .group_by(PACKAGE_KEY, "rule_id", maintain_order=True)
        .agg(pl.len().alias("count"))
        .select(
            PACKAGE_KEY,
            "rule_id",
            pl.lit(None, dtype=pl.Utf8).alias("table_name"),
            pl.lit(None, dtype=pl.Int64).alias("row_number"),
            pl.lit(None, dtype=pl.Utf8).alias("column_name"),
            pl.col("count").cast(pl.Utf8).alias("value"),
            pl.lit(None, dtype=pl.Utf8).alias("args"),
            pl.format(
                "{} more {} findings are not listed; fix the ones shown, then check the package again.",
                pl.col("count"),
                pl.col("rule_id"),
            ).alias("message"),
        )
    )
    return pl.concat([kept, rest], how="vertical")


def _messages(long: pl.DataFrame) -> pl.DataFrame:
    filled = [
        m or message(r, t, c, v, a)
        for r, t, c, v, a, m in long.select(
            "rule_id", "table_name", "column_name", "value", "args", "message"
        ).iter_rows()
    ]
    severity = {rid: rule.severity for rid, rule in load_contract().rules.items()}
    return long.with_columns(
        pl.Series("message", filled, dtype=pl.Utf8),
        pl.col("rule_id").replace_strict(severity, return_dtype=pl.Utf8).alias("severity"),
    ).select(PACKAGE_KEY, *FINDING_SCHEMA)


def _packages(contexts: list[PackageContext], long: pl.DataFrame) -> pl.DataFrame:
    severity = {rid: rule.severity for rid, rule in load_contract().rules.items()}
    counts = (
        long.with_columns(pl.col("rule_id").replace_strict(severity, return_dtype=pl.Utf8).alias("severity"))
        .group_by(PACKAGE_KEY)
        .agg(
            (pl.col("severity") == "error").sum().cast(pl.Int64).alias("error_count"),
            (pl.col("severity") == "warning").sum().cast(pl.Int64).alias("warning_count"),
        )
    )
    base = pl.DataFrame(
        [
            {
                PACKAGE_KEY: c.key,
                "grantee_id": c.grantee_id,
                "state": c.state,
                "period": c.period,
                "version": c.version,
            }
            for c in contexts
        ],
        schema={k: PACKAGES_SCHEMA[k] for k in (PACKAGE_KEY, "grantee_id", "state", "period", "version")},
    )
    return (
        base.join(counts, on=PACKAGE_KEY, how="left")
        .with_columns(pl.col("error_count", "warning_count").fill_null(0))
        .with_columns(
            pl.when(pl.col("error_count") > 0)
            .then(pl.lit(PackageStatus.REJECTED.value))
            .otherwise(pl.lit(PackageStatus.ACCEPTED.value))
            .alias("status")
        )
        .select(list(PACKAGES_SCHEMA))
    )


def _mark_uncached_formulas(
    long: pl.DataFrame, packages: list[tuple[PackageContext, PackageRead]]
) -> pl.DataFrame:
    """An F01 on a workbook cell that holds a formula with no saved value gets the sentence for that case."""
    cells = [
        {PACKAGE_KEY: ctx.key, "table_name": table, "row_number": row, "column_name": column}
        for ctx, read in packages
        for table, row, column in read.uncached_formulas
    ]
    if not cells:
        return long
    keys = [PACKAGE_KEY, "table_name", "row_number", "column_name"]
    marks = (
        pl.DataFrame(cells, schema={k: LONG_SCHEMA[k] for k in keys})
        .unique()
        .with_columns(pl.lit(True).alias("__formula"))
    )
    return (
        long.join(marks, on=keys, how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("__formula") & (pl.col("rule_id") == "F01") & pl.col("args").is_null())
            .then(pl.lit(UNCACHED_FORMULA_ARGS))
            .otherwise(pl.col("args"))
            .alias("args")
        )
        .drop("__formula")
    )


def unopened_batch(ctx: PackageContext, findings: list[Finding]) -> ValidatedBatch:
    """A package rejected on its name alone (F05 or P05 of the path): it is never opened, so these are its only
    findings, as the contract's *Paths* rule says."""
    long = _as_long(ctx.key, findings)
    return ValidatedBatch(packages=_packages([ctx], long), findings=_messages(cap(long)), tables={})


def validate_batch(packages: list[tuple[PackageContext, PackageRead]], today: date) -> ValidatedBatch:
    """Every rule for every package of a batch. Counts in `packages` are before capping."""
    contract = load_contract()
    contexts = [ctx for ctx, _ in packages]
    if len({c.key for c in contexts}) != len(contexts):
        raise ValueError("package keys must be unique within a batch")
    raw = {name: batch_frame(name, packages, today) for name in contract.tables}
    checked = {name: check_table(contract.tables[name], raw[name]) for name in contract.tables}
    typed = {name: result[0] for name, result in checked.items()}
    status = pl.DataFrame(
        [row for ctx, read in packages for row in table_status(ctx, read)], schema=TABLE_STATUS_SCHEMA
    )
    parts = [_as_long(ctx.key, read.findings + structure_findings(read)) for ctx, read in packages]
    cell_findings = [
        _with_message(result[1]).cast(LONG_SCHEMA) for result in checked.values() if result[1].height
    ]
    failed = (
        pl.concat([f.select(list(LONG_SCHEMA)) for f in cell_findings])
        if cell_findings
        else pl.DataFrame(schema=LONG_SCHEMA)
    )
    parts += cell_findings
    parts.append(_with_message(run_cross_rules(contexts, typed, raw, status, failed)).cast(LONG_SCHEMA))
    long = _ordered(pl.concat([p.select(list(LONG_SCHEMA)) for p in parts], how="vertical"))
    long = _mark_uncached_formulas(long, packages)
    return ValidatedBatch(
        packages=_packages(contexts, long),
        findings=_messages(cap(long)),
        tables=typed,
    )


def split_batch(batch: ValidatedBatch, keys: list[str]) -> ValidatedBatch:
    """The part of a batch about the given packages, in the batch's order: what validating those packages alone
    gives, since every rule is judged within one package."""
    wanted = pl.col(PACKAGE_KEY).is_in(keys)
    return ValidatedBatch(
        packages=batch.packages.filter(wanted),
        findings=batch.findings.filter(wanted),
        tables={name: frame.filter(wanted) for name, frame in batch.tables.items()},
    )
