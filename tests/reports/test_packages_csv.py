"""downloads/packages.csv, written by polars, is the text Python's csv writer gives the same rows; read from a
warehouse, it is put together from one part per fiscal year, and only the parts whose rows changed are written
again (pipelines/reports/packages_csv.py)."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.reports.data import read_landscape
from pipelines.reports.packages_csv import (
    PACKAGE_COLUMNS,
    PACKAGES_CSV,
    PARTS_DIR,
    PARTS_INDEX,
    WarehousePackages,
    part_name,
    write_packages,
)
from pipelines.reports.site import build_site, render_site
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
    written = write_packages(packages, tmp_path / "site").read_text(encoding="utf-8")
    assert written == _by_row(packages, tmp_path / "by_row.csv")
    assert "'=HYPERLINK(1)" in written and "2026-01-02T03:04:05\n" in written
    # A carriage return (left unquoted by csv.writer, quoted by polars) takes the row-by-row writer.
    carriage = packages.with_columns(pl.Series("sha256", ["ab", "", "+1", "c\rd", " ef ", "01"]))
    written = write_packages(carriage, tmp_path / "cr").read_text(encoding="utf-8")
    assert written == _by_row(carriage, tmp_path / "by_row_cr.csv")
    assert write_packages(packages.clear(), tmp_path / "none").read_text() == ",".join(PACKAGE_COLUMNS) + "\n"


# --- The file kept in parts, read from a warehouse ---------------------------------------------------------

LATEST, EARLIER = "FY2025", "FY2024"
WHOLE = Path(__file__).with_name("packages_whole.sql")
RESUBMIT = Path(__file__).with_name("resubmit_package.sql")


@pytest.fixture
def warehouse(fixture_warehouse, tmp_path) -> Path:
    """A writable copy of the fixture's warehouse (two fiscal years)."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_warehouse.path, path)
    return path


@pytest.fixture
def asked(monkeypatch) -> list[list]:
    """The fiscal years whose rows each render reads."""
    calls: list[list] = []
    rows = WarehousePackages.rows

    def recording(self, periods):
        calls.append(list(periods))
        return rows(self, periods)

    monkeypatch.setattr(WarehousePackages, "rows", recording)
    return calls


def _whole(warehouse: Path, tmp_path: Path) -> bytes:
    """packages.csv written whole from every current accepted package, as before parts."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(WHOLE.read_text(encoding="utf-8")).pl()
    finally:
        con.close()
    return write_packages(rows, tmp_path / "whole").read_bytes()


def _resubmit(warehouse: Path, period: str) -> None:
    """One grantee's package of `period` received a second later."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(RESUBMIT.read_text(encoding="utf-8"), {"period": period})
    finally:
        con.close()


def _inode(site: Path, name: Path) -> int:
    return (site / name).stat().st_ino


def test_the_file_put_together_from_parts_is_the_file_written_whole(warehouse, tmp_path, asked):
    site = build_site(warehouse, tmp_path / "site", run_id="a").out_dir
    assert (site / PACKAGES_CSV).read_bytes() == _whole(warehouse, tmp_path)
    assert asked == [[EARLIER, LATEST]]  # a new site: every fiscal year's rows
    parts = sorted(p.name for p in (site / PARTS_DIR).glob("*.part"))
    assert parts == [part_name(EARLIER), part_name(LATEST)]
    header = ",".join(PACKAGE_COLUMNS) + "\n"
    together = header.encode() + b"".join((site / PARTS_DIR / p).read_bytes() for p in parts)
    assert together == (site / PACKAGES_CSV).read_bytes()


def test_an_unchanged_site_takes_the_file_over_without_reading_a_row(warehouse, tmp_path, asked):
    live = tmp_path / "site"
    build_site(warehouse, live, run_id="a")
    before = _inode(live, PACKAGES_CSV)
    build_site(warehouse, live, run_id="b")
    assert asked == [[EARLIER, LATEST]]  # the first render only
    assert _inode(live, PACKAGES_CSV) == before  # the live file itself, linked: nothing written
    assert (live / PACKAGES_CSV).read_bytes() == _whole(warehouse, tmp_path)


def test_a_changed_fiscal_year_writes_only_its_part(warehouse, tmp_path, asked):
    live = tmp_path / "site"
    build_site(warehouse, live, run_id="a")
    earlier = _inode(live, PARTS_DIR / part_name(EARLIER))
    latest = (live / PARTS_DIR / part_name(LATEST)).read_bytes()
    _resubmit(warehouse, LATEST)
    build_site(warehouse, live, run_id="b")
    assert asked[1:] == [[LATEST]]
    assert _inode(live, PARTS_DIR / part_name(EARLIER)) == earlier  # taken over
    assert (live / PARTS_DIR / part_name(LATEST)).read_bytes() != latest  # written again
    assert (live / PACKAGES_CSV).read_bytes() == _whole(warehouse, tmp_path)


@pytest.mark.parametrize("damage", ["edited part", "missing part", "edited file", "missing index"])
def test_a_damaged_live_site_writes_what_is_in_doubt(warehouse, tmp_path, asked, damage):
    live = tmp_path / "site"
    build_site(warehouse, live, run_id="a")
    part = live / PARTS_DIR / part_name(LATEST)
    if damage == "edited part":
        part.write_bytes(part.read_bytes().replace(b"FY2025", b"FY2052", 1))  # same size, a new mtime
    elif damage == "missing part":
        part.unlink()
    elif damage == "edited file":
        (live / PACKAGES_CSV).write_text("grantee_id\nforged\n", encoding="utf-8")
    else:
        (live / PARTS_INDEX).unlink()
    build_site(warehouse, live, run_id="b")
    expected = {
        "edited part": [[LATEST]],
        "missing part": [[LATEST]],
        "edited file": [],  # put together again from the parts
        "missing index": [[EARLIER, LATEST]],
    }[damage]
    assert asked[1:] == expected
    assert (live / PACKAGES_CSV).read_bytes() == _whole(warehouse, tmp_path)
    assert part.is_file()


def test_a_copied_site_takes_over_the_parts_that_hash_as_recorded(warehouse, tmp_path, asked):
    first = tmp_path / "first"
    build_site(warehouse, first, run_id="a")
    copy = tmp_path / "copy"
    shutil.copytree(first, copy)  # new files: other inodes
    build_site(warehouse, copy, run_id="b")
    assert asked[1:] == []
    assert (copy / PACKAGES_CSV).read_bytes() == _whole(warehouse, tmp_path)


def test_a_warehouse_changed_during_the_render_is_refused(warehouse, tmp_path):
    live = tmp_path / "site"
    build_site(warehouse, live, run_id="a")
    _resubmit(warehouse, LATEST)
    land = read_landscape(warehouse)
    _resubmit(warehouse, LATEST)  # a publish between reading the fingerprints and reading the rows
    before = (live / PACKAGES_CSV).read_bytes()
    with pytest.raises(RuntimeError, match="changed during the render"):
        render_site(land, live, run_id="b")
    assert (live / PACKAGES_CSV).read_bytes() == before  # the live site as it was
