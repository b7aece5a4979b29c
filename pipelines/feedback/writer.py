"""Per-package feedback for the grantee: findings.html (readable) and findings.csv (machine- and spreadsheet-safe)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import polars as pl
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from pipelines.contract import load_contract
from pipelines.findings import FINDING_SCHEMA
from pipelines.paths import REPORTS_TEMPLATE_DIR
from pipelines.published_text import neutralise_frame
from pipelines.validate.batch import SUMMARY_PATTERN

TEMPLATE = "findings.html.j2"
FEEDBACK_FILES = ("findings.html", "findings.csv")
FIRST_FIXES = 5  # how many findings the "what to fix first" list shows


@cache
def _template() -> Template:
    # Loaded once per process: compiling costs more than rendering one package's feedback, and looking it up
    # per package would check the file's date every time.
    return Environment(
        loader=FileSystemLoader(REPORTS_TEMPLATE_DIR / "feedback"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    ).get_template(TEMPLATE)


def priority_order(findings: pl.DataFrame, within: tuple[str, ...] = ()) -> pl.DataFrame:
    """Errors before warnings, package- and table-level findings before cells, then table, row, column order.

    A cap's summary ("N more ... findings") goes after the findings it continues. `within` names columns sorted
    on first (a batch's package key): the sort is stable, so each package's rows come out in the order sorting
    that package alone gives, and contiguous."""
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
            [*within, "__warning", "__cell", "__summary", "__t", "row_number"],
            nulls_last=False,
            maintain_order=True,
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
    return render_rows(package, list(priority_order(findings).iter_rows(named=True)))


def render_rows(package: dict, ordered: list[dict]) -> str:
    """findings.html of one package from its findings as dicts, already in priority order."""
    rows = [r | {"where": _where(r)} for r in ordered]
    tables = load_contract().tables
    groups = []
    for table in [None, *tables]:
        members = [r for r in rows if r["table_name"] == table]
        if members:
            title = "The package as a whole" if table is None else f"Table {table}"
            groups.append({"title": title, "findings": members})
    unknown = [r for r in rows if r["table_name"] is not None and r["table_name"] not in tables]
    if unknown:
        groups.append({"title": "Other files and sheets", "findings": unknown})
    errors = [r for r in rows if r["severity"] == "error"]
    return _template().render(
        package=package,
        error_count=package.get("error_count") or len(errors),
        first=errors[:FIRST_FIXES],
        warnings=[r for r in rows if r["severity"] == "warning"],
        groups=groups,
    )


def write_feedback(out_dir: Path, package: dict, findings: pl.DataFrame) -> tuple[Path, Path]:
    """Write findings.html and findings.csv for one package version; returns (html, csv).

    The reference for the batch writer (pipelines/feedback/batch.py), which must give the same bytes."""
    columns = list(FINDING_SCHEMA)
    findings = findings.select(columns).cast(FINDING_SCHEMA)
    html = render_html(package, findings).encode("utf-8")
    return write_files(out_dir, html, neutralise_frame(priority_order(findings)).write_csv().encode("utf-8"))


def write_files(out_dir: Path, html: bytes, csv: bytes, *, make_dir: bool = True) -> tuple[Path, Path]:
    """Write one version's findings.html and findings.csv into out_dir (made unless make_dir is False: the
    caller made it); returns (html, csv).

    Each file is written under a temporary name (<name>.partial) and renamed, so an interrupted run leaves
    a file whole or absent (and an absent one is written by the next run)."""
    if make_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    paths = (out_dir.joinpath(FEEDBACK_FILES[0]), out_dir.joinpath(FEEDBACK_FILES[1]))
    for path, content in zip(paths, (html, csv), strict=True):
        partial = f"{path}.partial"
        with open(partial, "wb") as fh:
            fh.write(content)
        os.replace(partial, path)
    return paths
