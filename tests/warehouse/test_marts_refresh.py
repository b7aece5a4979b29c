"""Refreshing the marts period by period gives exactly the rows (in the same order) of a whole rebuild."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from pipelines.warehouse import marts as marts_module
from pipelines.warehouse.connection import connect, run_sql
from pipelines.warehouse.load import load_roster
from pipelines.warehouse.marts import MARTS, STATE_FILE, build_marts, refresh_marts
from tests.warehouse.conftest import full_package, load


def _marts(con) -> dict[str, list[tuple]]:
    return {name: con.table(f"marts.{name}").fetchall() for name in MARTS}


def _rebuilt_elsewhere(con, path, tmp_path) -> dict[str, list[tuple]]:
    """The marts a whole rebuild makes from the same facts (on a copy of the warehouse)."""
    run_sql(con, "warehouse/checkpoint")
    copy = tmp_path / "whole.duckdb"
    shutil.copyfile(path, copy)
    con = connect(copy)
    try:
        build_marts(con)
        return _marts(con)
    finally:
        con.close()


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse" / "landscape.duckdb"
    con = connect(path)
    for period in ("FY2024", "FY2025", "FY2026"):
        load(con, [full_package("NY-0001", period=period, participants=10)], period=period)
        load(
            con,
            [full_package("VT-0001", state="VT", period=period, participants=5)],
            state="VT",
            period=period,
        )
    yield path, con
    con.close()


ROSTER = pl.DataFrame(
    {
        "grantee_id": ["NY-0001", "NY-0002"],
        "organization_name": ["One", "Two"],
        "first_period": ["FY2024", "FY2025"],
        "last_period": [None, None],
    }
)


@pytest.mark.parametrize(
    "change",
    [
        "resubmission",  # one partition of a middle year: trend of the year after changes too
        "rejected",  # a rejected version: submission_status changes, the facts do not
        "new period",  # FY2027 appears: submission_status expects rostered grantees there too
        "roster",  # a roster changes and nothing else
        "nothing",
    ],
)
def test_refresh_matches_a_whole_rebuild(warehouse, tmp_path, change, monkeypatch):
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    load_roster(con, "NY", ROSTER)
    assert refresh_marts(con, state_file)  # no record yet: a whole build

    def no_whole_rebuild(_con):
        raise AssertionError("the refresh rebuilt every mart whole")

    monkeypatch.setattr(marts_module, "build_marts", no_whole_rebuild)
    if change == "resubmission":
        load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    elif change == "rejected":
        load(
            con,
            [full_package("VT-0001", 2, state="VT", period="FY2026", status="rejected")],
            state="VT",
            period="FY2026",
        )
    elif change == "new period":
        load(con, [full_package("VT-0001", state="VT", period="FY2027")], state="VT", period="FY2027")
    elif change == "roster":
        load_roster(con, "NY", ROSTER.with_columns(pl.lit("FY2026").alias("first_period")))
    refresh_marts(con, state_file)
    assert _marts(con) == _rebuilt_elsewhere(con, path, tmp_path)


def test_marts_not_the_recorded_ones_are_rebuilt_whole(warehouse, tmp_path):
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    con.execute("DELETE FROM marts.state_summary WHERE state = 'VT'")  # e.g. a warehouse restored from backup
    load(con, [full_package("NY-0001", 2, period="FY2026", participants=42)], period="FY2026")
    refresh_marts(con, state_file)
    assert _marts(con) == _rebuilt_elsewhere(con, path, tmp_path)


def _rebuilds_whole(monkeypatch) -> list[bool]:
    calls: list[bool] = []
    real = marts_module.build_marts

    def counted(con):
        calls.append(True)
        return real(con)

    monkeypatch.setattr(marts_module, "build_marts", counted)
    return calls


def test_marts_with_values_paired_otherwise_are_rebuilt_whole(warehouse, tmp_path, monkeypatch):
    """Swapping one column's values between two rows keeps every column's sum of hashes: only a hash of
    whole rows tells the marts apart from the recorded ones."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    con.execute(
        "UPDATE marts.state_summary SET participants_served = CASE WHEN state = 'NY' THEN 5 ELSE 10 END "
        "WHERE period = 'FY2024'"
    )
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls, "marts not the recorded ones were refreshed in place"
    assert _marts(con) == _rebuilt_elsewhere(con, path, tmp_path)


@pytest.mark.parametrize("damage", ["cut short", "another build's", "missing"])
def test_a_partitions_file_not_the_recorded_one_means_a_whole_rebuild(
    warehouse, tmp_path, monkeypatch, damage
):
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    partitions = path.parent / marts_module.PARTITIONS_FILE
    refresh_marts(con, state_file)
    older = partitions.read_bytes()
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    refresh_marts(con, state_file)
    assert partitions.read_bytes() != older  # the record follows the facts
    load(con, [full_package("NY-0001", 3, period="FY2025", participants=7)], period="FY2025")
    if damage == "cut short":
        partitions.write_bytes(partitions.read_bytes()[:100])
    elif damage == "another build's":
        partitions.write_bytes(older)  # would hide the change to FY2025 if it were trusted
    else:
        partitions.unlink()
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls
    assert _marts(con) == _rebuilt_elsewhere(con, path, tmp_path)
