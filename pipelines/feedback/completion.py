"""Feedback files a recorded version lacks (a run interrupted between the load and the feedback), written
from the warehouse: found by what is missing, not by what is new."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines.feedback.partition_feedback import feedback_dir
from pipelines.feedback.writer import FEEDBACK_FILES, write_feedback
from pipelines.validate.model import PACKAGE_KEY
from pipelines.warehouse.connection import query


def versions_without_feedback(con: duckdb.DuckDBPyConnection, root: Path) -> list[dict]:
    def lacks(row: dict) -> bool:
        folder = feedback_dir(root, row["state"], row["period"], row["grantee_id"], row["version"])
        return not all((folder / name).is_file() for name in FEEDBACK_FILES)

    return [row for row in query(con, "warehouse/recorded_versions").iter_rows(named=True) if lacks(row)]


def complete_feedback(con: duckdb.DuckDBPyConnection, root: Path) -> list[Path]:
    """Write findings.html and findings.csv for every recorded version that lacks one of them."""
    missing = versions_without_feedback(con, root)
    if not missing:
        return []
    keys = [f"{r['grantee_id']}|{r['period']}|{r['version']}" for r in missing]
    findings = query(con, "warehouse/version_findings", keys=keys)
    by_package = findings.partition_by(PACKAGE_KEY, as_dict=True) if findings.height else {}
    empty = findings.clear().drop(PACKAGE_KEY)
    written: list[Path] = []
    for key, package in zip(keys, missing, strict=True):
        own = by_package.get((key,))
        own = empty if own is None else own.drop(PACKAGE_KEY)
        target = feedback_dir(
            root, package["state"], package["period"], package["grantee_id"], package["version"]
        )
        written.extend(write_feedback(target, package, own.cast({"row_number": pl.Int64})))
    return written
