"""Per-package feedback for the grantee: findings.html (readable) and findings.csv (machine- and spreadsheet-safe)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import polars as pl
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.contract import load_contract
from pipelines.findings import FINDING_SCHEMA
from pipelines.paths import REPORTS_TEMPLATE_DIR
from pipelines.published_text import neutralise_frame
from pipelines.validate.batch import SUMMARY_PATTERN

TEMPLATE = "findings.html.j2"
FEEDBACK_FILES = ("findings.html", "findings.csv")
FIRST_FIXES = 5  # how many findings the "what to fix first" list shows


@cache
def _environment() -> Environment:
    # Built once per process: compiling the template costs more than rendering one package's feedback.
    return Environment(
        loader=FileSystemLoader(REPORTS_TEMPLATE_DIR / "feedback"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def priority_order(findings: pl.DataFrame) -> pl.DataFrame:
    """Errors before warnings, package- and table-level findings before cells, then table, row, column order.

    A cap's summary ("N more ... findings") goes after the findings it continues."""
    contract = load_contract()
    tables = list(contract.tables)
    return (
        findings.with_columns(
            (pl.col("severity") != "error").alias("__warning"),
            (pl.col("row_number").is_not_null() | pl.col("message").str.contains(SUMMARY_PATTERN)).alias(
                "__cell"
            ),
            pl.col("table_name").replace_strict(tables, list(range(len(tables))), default=-1).alias("__t"),
        )
        .with_columns(pl.col("message").str.contains(SUMMARY_PATTERN).alias("__summary"))
        .sort(
            ["__warning", "__cell", "__summary", "__t", "row_number"], nulls_last=False, maintain_order=True
        )
        .drop("__warning", "__cell", "__summary", "__t")
    )


def _where(row: dict) -> str:
    parts = [f"{row['table_name']} table" if row["table_name"] else "Whole package"]
    if row["row_number"] is not None:
        parts.append(f"row {row['row_number']}")
    if row["column_name"]:
        parts.append(row["column_name"])
    return ", ".join(parts)


def render_html(package: dict, findings: pl.DataFrame) -> str:
    ordered = priority_order(findings)
    rows = [r | {"where": _where(r)} for r in ordered.iter_rows(named=True)]
    groups = []
    for table in [None, *load_contract().tables]:
        members = [r for r in rows if r["table_name"] == table]
        if members:
            title = "The package as a whole" if table is None else f"Table {table}"
            groups.append({"title": title, "findings": members})
    unknown = [
        r for r in rows if r["table_name"] is not None and r["table_name"] not in load_contract().tables
    ]
    if unknown:
        groups.append({"title": "Other files and sheets", "findings": unknown})
    errors = [r for r in rows if r["severity"] == "error"]
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            package=package,
            error_count=package.get("error_count") or len(errors),
            first=errors[:FIRST_FIXES],
            warnings=[r for r in rows if r["severity"] == "warning"],
            groups=groups,
        )
    )


def write_feedback(out_dir: Path, package: dict, findings: pl.DataFrame) -> tuple[Path, Path]:
    """Write findings.html and findings.csv for one package version; returns (html, csv).

    Each file is written under a temporary name and renamed, so an interrupted run leaves a file whole
    or absent (and an absent one is written by the next run)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = list(FINDING_SCHEMA)
    findings = findings.select(columns).cast(FINDING_SCHEMA)
    html_path, csv_path = (out_dir / name for name in FEEDBACK_FILES)
    html_partial, csv_partial = html_path.with_suffix(".html.partial"), csv_path.with_suffix(".csv.partial")
    html_partial.write_text(render_html(package, findings), encoding="utf-8")
    neutralise_frame(priority_order(findings)).write_csv(csv_partial)
    os.replace(html_partial, html_path)
    os.replace(csv_partial, csv_path)
    return html_path, csv_path
