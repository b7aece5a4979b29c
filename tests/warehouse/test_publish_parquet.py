"""The marts' Parquet files in the analysts' folder: one per mart and period (parquet/<mart>/<period>.parquet),
written again only for the periods that changed, and read back whole as a folder by DuckDB, Polars and pandas."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from pipelines.warehouse.connection import connect
from pipelines.warehouse.marts import MARTS, build_marts
from pipelines.warehouse.publish import publish
from tests.warehouse.conftest import full_package, load

EMPTY = "outcomes_summary"  # full_package reports no outcomes


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LANDSCAPE_LANDING", raising=False)
    return tmp_path / "home"


def _change(path: Path, *packages) -> None:
    con = connect(path)
    for package in packages:
        load(con, [package], state=package.state, period=package.period)
    build_marts(con)
    con.close()


def _history(home: Path) -> Path:
    """Two states over three fiscal years, published once."""
    path = home / "warehouse" / "landscape.duckdb"
    _change(
        path,
        *[
            full_package(grantee, state=grantee[:2], period=period, participants=10)
            for grantee in ("NY-0001", "VT-0001")
            for period in ("FY2024", "FY2025", "FY2026")
        ],
    )
    publish(path, home / "analyst")
    return path


def _files(home: Path) -> dict[str, int]:
    """Every file under analyst/parquet/ (dot files included) and its inode."""
    parquet = home / "analyst" / "parquet"
    return {str(p.relative_to(parquet)): p.stat().st_ino for p in sorted(parquet.rglob("*")) if p.is_file()}


def _rows(rows: list[tuple]) -> Counter:
    return Counter(rows)


def _assert_folders_hold_the_copy(home: Path) -> None:
    """Every mart read back from its folder, by each reader the README names, is the copy's table (as a
    multiset of rows, with its columns)."""
    parquet = home / "analyst" / "parquet"
    with duckdb.connect(str(home / "analyst" / "warehouse.duckdb"), read_only=True) as copy:
        for mart in MARTS:
            table = copy.table(f"marts.{mart}")
            expected = _rows(table.fetchall())
            from_duckdb = copy.read_parquet(str(parquet / mart / "*.parquet"))
            assert from_duckdb.columns == table.columns and _rows(from_duckdb.fetchall()) == expected, mart
            from_polars = pl.read_parquet(parquet / mart / "*.parquet")
            assert from_polars.columns == table.columns and _rows(from_polars.rows()) == expected, mart
            from_pandas = pd.read_parquet(parquet / mart)
            assert list(from_pandas.columns) == table.columns, mart
            assert len(from_pandas) == sum(expected.values()), mart


def test_after_one_partition_changes_only_that_periods_files_are_written(home):
    path = _history(home)
    before = _files(home)
    # The packages report no outcomes: that mart has no rows, so no periods, and one file with its columns.
    assert set(before) == {
        f"{mart}/{fy}.parquet" for mart in MARTS if mart != EMPTY for fy in ("FY2024", "FY2025", "FY2026")
    } | {f"{EMPTY}/all.parquet"}
    _change(path, full_package("NY-0001", 2, state="NY", period="FY2025", participants=25))
    result = publish(path, home / "analyst")
    after = _files(home)
    assert set(after) == set(before)
    rewritten = {name for name in after if after[name] != before[name]}
    # FY2025 changed; trend's FY2026 compares with FY2025, so it changes with it. Nothing else is written.
    assert {"state_summary/FY2025.parquet", "trend/FY2025.parquet", "trend/FY2026.parquet"} <= rewritten
    assert {name for name in rewritten if not name.endswith("FY2025.parquet")} <= {"trend/FY2026.parquet"}
    assert result["parquet_written"] == len(rewritten) and result["parquet_removed"] == 0
    _assert_folders_hold_the_copy(home)


def test_a_period_the_mart_no_longer_has_loses_its_file(home):
    path = _history(home)
    # No partition load removes a period today, so the writer's marts lose one directly.
    con = duckdb.connect(str(path))
    for mart in MARTS:
        con.execute(f"DELETE FROM marts.{mart} WHERE period = 'FY2024'")
    con.close()
    result = publish(path, home / "analyst")
    assert not [name for name in _files(home) if "FY2024" in name]
    assert result["parquet_removed"] == len(MARTS) - 1  # outcomes_summary (EMPTY) had no FY2024
    _assert_folders_hold_the_copy(home)


def test_a_tampered_period_file_is_written_again(home):
    path = _history(home)
    tampered = home / "analyst" / "parquet" / "state_summary" / "FY2024.parquet"
    original = tampered.read_bytes()
    tampered.write_bytes(b"not the mart")
    before = _files(home)
    result = publish(path, home / "analyst")  # nothing changed in the writer
    assert result["parquet_written"] == 1
    assert tampered.read_bytes() == original
    assert {name for name, inode in _files(home).items() if before[name] != inode} == {
        "state_summary/FY2024.parquet"
    }


def test_the_single_files_of_earlier_releases_are_removed(home):
    path = _history(home)
    parquet = home / "analyst" / "parquet"
    for mart in MARTS:  # as an earlier release left them
        (parquet / f"{mart}.parquet").write_bytes(b"a whole mart")
    result = publish(path, home / "analyst")
    assert not list(parquet.glob("*.parquet"))
    assert result["parquet_removed"] == len(MARTS) and result["parquet_written"] == 0
    assert sorted(p.name for p in parquet.iterdir()) == sorted(MARTS)
    _assert_folders_hold_the_copy(home)


def test_a_mart_without_periods_is_one_file_until_it_has_some(home):
    path = home / "warehouse" / "landscape.duckdb"
    con = connect(path)
    build_marts(con)  # nothing loaded: every mart is empty, its file still carries its columns
    con.close()
    publish(path, home / "analyst")
    assert set(_files(home)) == {f"{mart}/all.parquet" for mart in MARTS}
    _assert_folders_hold_the_copy(home)
    _change(path, full_package("NY-0001", state="NY", period="FY2025"))
    publish(path, home / "analyst")
    assert set(_files(home)) == {f"{mart}/FY2025.parquet" for mart in MARTS if mart != EMPTY} | {
        f"{EMPTY}/all.parquet"
    }
    _assert_folders_hold_the_copy(home)
