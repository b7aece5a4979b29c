"""What the landing scan finds and what a reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from pipelines.findings import Finding

ROW_COLUMN = "__row"  # row number as the grantee sees it (header = row 1)

# One received package version, as intake decides it and core.packages records it.
PACKAGE_RECORD_SCHEMA: dict[str, pl.DataType] = {
    "grantee_id": pl.Utf8,
    "state": pl.Utf8,
    "period": pl.Utf8,
    "version": pl.Int64,
    "sha256": pl.Utf8,
    "received_at": pl.Datetime("us"),
    "source_path": pl.Utf8,
    "archive_path": pl.Utf8,
    "package_kind": pl.Utf8,
    "status": pl.Utf8,
    "error_count": pl.Int64,
    "warning_count": pl.Int64,
    "duplicate_of": pl.Int64,
}


@dataclass(frozen=True)
class PackageRef:
    """A package in the landing tree: <landing>/<STATE>/<FY>/<GRANTEE_ID>.xlsx or <GRANTEE_ID>/."""

    state: str  # upper-case USPS code taken from the state folder
    period: str  # upper-case FYnnnn taken from the period folder
    name: str  # the package's file stem or folder name, exactly as written (the claimed grantee id)
    path: Path
    kind: Literal["xlsx", "csv_folder", "other"]
    mtime_ns: int
    size_bytes: int
    # Sizes and modification times of the package (every entry of a folder): while it is the one recorded
    # with a version, the package is taken to hold that version's bytes and is not hashed again.
    stat_key: str = ""


@dataclass(frozen=True)
class IntakeLogEntry:
    """Something in the landing tree that is not a roster, state folder, period folder or package."""

    path: str
    reason: str


@dataclass
class PackageRead:
    """A package as read: one all-text frame per table plus the findings met while reading.

    Frames: columns are the header names the contract knows (lower-case), in contract order, plus
    ROW_COLUMN (Int64). Cells are trimmed, NFC-normalised, empty -> null; all-empty rows are dropped
    but keep their row numbers. A table that is absent or has no header is not in `tables`.
    """

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # (table, row, column) of workbook cells holding a formula with no cached value: they read as empty,
    # and the F01 such a cell gets says why.
    uncached_formulas: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)
