"""downloads/packages.csv, written by polars, is the text Python's csv writer gives the same rows."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime

import polars as pl

from pipelines.reports.data import Landscape
from pipelines.reports.render import PACKAGE_COLUMNS, write_packages
from pipelines.reports.tables import neutralise


def _by_row(packages: pl.DataFrame, path) -> str:
    """The writer before polars: one row at a time through csv.writer."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(PACKAGE_COLUMNS)
        for r in packages.iter_rows(named=True):
            accepted = "" if r["received_at"] is None else r["received_at"].isoformat()
            row = (r["grantee_id"], r["state"], r["period"], int(r["version"]), r["sha256"], accepted)
            writer.writerow([neutralise(v) for v in row])
    return path.read_text(encoding="utf-8")


def test_packages_csv_is_the_text_the_csv_writer_gives(tmp_path):
    packages = pl.DataFrame(
        {
            "grantee_id": ["NY-0001", "=HYPERLINK(1)", 'quo"te, comma', "line\nbreak", "-12", None],
            "state": ["NY", "NY", "VT", "VT", "@x", "PR"],
            "period": ["FY2025"] * 6,
            "version": pl.Series([1, 2, 3, 4, 5, 6], dtype=pl.Int32),
            "sha256": ["ab" * 32, "", "+1", "cd", " ef ", "01"],
            "received_at": [
                datetime(2026, 1, 2, 3, 4, 5),
                datetime(2026, 1, 2, 3, 4, 5, 120),
                datetime(1999, 12, 31, 23, 59, 59, 999999),
                None,
                datetime(2026, 1, 2, 0, 0, 0, 1),
                datetime(2026, 6, 7, 8, 9, 10, 500000),
            ],
        },
        schema_overrides={"received_at": pl.Datetime("us")},
    )
    land = replace(_empty_landscape(), packages=packages)
    written = write_packages(land, tmp_path / "site").read_text(encoding="utf-8")
    assert written == _by_row(packages, tmp_path / "by_row.csv")
    assert "'=HYPERLINK(1)" in written and "2026-01-02T03:04:05\n" in written
    # A carriage return (left unquoted by csv.writer, quoted by polars) takes the row-by-row writer.
    carriage = packages.with_columns(pl.Series("sha256", ["ab", "", "+1", "c\rd", " ef ", "01"]))
    written = write_packages(replace(land, packages=carriage), tmp_path / "cr").read_text(encoding="utf-8")
    assert written == _by_row(carriage, tmp_path / "by_row_cr.csv")


def _empty_landscape() -> Landscape:
    frame = pl.DataFrame({"state": pl.Series([], dtype=pl.String)})
    return Landscape(**{name: frame for name in Landscape.__dataclass_fields__})
