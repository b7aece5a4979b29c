"""Refreshing the marts period by period gives exactly the rows of a whole rebuild, and the same rows in the
same order wherever the order is published (each mart's Parquet file, written from its ordered read)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.sql import load_sql
from pipelines.warehouse import marts as marts_module
from pipelines.warehouse.connection import connect, run_sql
from pipelines.warehouse.copy_fingerprints import fingerprints, table_kinds
from pipelines.warehouse.load import load_roster
from pipelines.warehouse.mart_parquet import write_parquet
from pipelines.warehouse.marts import MARTS, STATE_FILE, build_marts, refresh_marts
from pipelines.warehouse.spare import table_columns
from tests.warehouse.conftest import full_package, load


def _rows(con) -> dict[str, list[tuple]]:
    """Each mart's rows, as a multiset: a mart's table keeps no order of its own."""
    return {name: sorted(con.table(f"marts.{name}").fetchall(), key=repr) for name in MARTS}


def _ordered(con) -> dict[str, list[tuple]]:
    """Each mart's rows in the order its Parquet file is written in."""
    return {name: con.sql(load_sql(f"publish/generated/ordered_{name}")).fetchall() for name in MARTS}


def _in_table_order(con) -> dict[str, list[tuple]]:
    return {name: con.table(f"marts.{name}").fetchall() for name in MARTS}


def _rebuild_copy(con, path: Path, folder: Path) -> duckdb.DuckDBPyConnection:
    """A copy of the warehouse whose marts are rebuilt whole from the same facts."""
    run_sql(con, "warehouse/checkpoint")
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "whole.duckdb"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    whole = connect(copy)
    build_marts(whole)
    return whole


def _assert_as_rebuilt(con, path: Path, folder: Path) -> None:
    whole = _rebuild_copy(con, path, folder)
    try:
        assert _rows(con) == _rows(whole)
        # The ordered read gives the order a whole rebuild writes its table in (the Parquet files' order before
        # refreshes stopped rewriting whole marts), after a refresh as after a rebuild.
        assert _ordered(con) == _in_table_order(whole)
        assert _ordered(whole) == _in_table_order(whole)
    finally:
        whole.close()


def _rebuilt_elsewhere(con, path, tmp_path) -> dict[str, list[tuple]]:
    whole = _rebuild_copy(con, path, tmp_path / "whole")
    try:
        return _rows(whole)
    finally:
        whole.close()


def _seeded(path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    for period in ("FY2024", "FY2025", "FY2026"):
        load(con, [full_package("NY-0001", period=period, participants=10)], period=period)
        load(
            con,
            [full_package("VT-0001", state="VT", period=period, participants=5)],
            state="VT",
            period=period,
        )
    return con


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse" / "landscape.duckdb"
    con = _seeded(path)
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


def _no_whole_rebuild(monkeypatch) -> None:
    def refused(_con):
        raise AssertionError("the refresh rebuilt every mart whole")

    monkeypatch.setattr(marts_module, "build_marts", refused)


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
    _no_whole_rebuild(monkeypatch)
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
    _assert_as_rebuilt(con, path, tmp_path / "whole")


def _table_ids(con) -> dict[str, int]:
    return dict(
        con.execute(
            "SELECT table_name, table_oid FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchall()
    )


def test_a_refresh_replaces_periods_in_the_marts_it_holds(warehouse, tmp_path):
    """After one partition's change no mart is made anew (each is the same table, its changed periods deleted
    and inserted), and the rows are a whole rebuild's."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    tables = _table_ids(con)
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    refresh_marts(con, state_file)
    assert _table_ids(con) == tables
    _assert_as_rebuilt(con, path, tmp_path / "whole")


def _databases(con) -> tuple[str, list[str]]:
    return con.execute("SELECT current_database()").fetchone()[0], sorted(
        name
        for (name,) in con.execute(
            "SELECT database_name FROM duckdb_databases() WHERE NOT internal"
        ).fetchall()
    )


def test_the_scratch_database_is_gone_after_a_refresh_even_a_failed_one(warehouse, monkeypatch):
    """The periods are computed in a scratch database attached to the writer's connection: afterwards (and
    after a mart's SQL fails half-way) the connection names its own database again, no other is attached, and
    a failed refresh leaves the marts as they were."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    before = _databases(con)
    refresh_marts(con, state_file)
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    refresh_marts(con, state_file)
    assert _databases(con) == before
    load(con, [full_package("NY-0001", 3, period="FY2025", participants=98)], period="FY2025")
    held = _rows(con)
    run = marts_module.run_sql

    def failing(c, name, *args, **kwargs):
        if name == "marts/trend":
            raise duckdb.Error("simulated failure of a mart's SQL")
        return run(c, name, *args, **kwargs)

    monkeypatch.setattr(marts_module, "run_sql", failing)
    with pytest.raises(duckdb.Error, match="simulated"):
        refresh_marts(con, state_file)
    monkeypatch.undo()
    assert _databases(con) == before
    assert _rows(con) == held
    refresh_marts(con, state_file)  # and the next refresh goes through
    assert _databases(con) == before


def _snapshot_prints(con):
    columns = table_columns(con)
    return fingerprints(con, columns, table_kinds(columns))


def test_parquet_files_after_a_refresh_are_those_of_a_whole_rebuild(warehouse, tmp_path):
    """Byte for byte: each file is written from the mart's ordered read, whatever order the table holds."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    load(
        con,
        [full_package("VT-0001", 2, state="VT", period="FY2024", amount="7.50")],
        state="VT",
        period="FY2024",
    )
    refresh_marts(con, state_file)
    assert _in_table_order(con) != _ordered(con)  # the refresh left the table in another order
    whole = _rebuild_copy(con, path, tmp_path / "whole")
    try:
        files = {
            where: write_parquet(source, tmp_path / where, _snapshot_prints(source), None).files
            for where, source in (("refreshed", con), ("rebuilt", whole))
        }
    finally:
        whole.close()
    assert files["refreshed"].keys() == files["rebuilt"].keys()
    for name, path in files["refreshed"].items():
        assert path.read_bytes() == files["rebuilt"][name].read_bytes(), name


# Random histories of partition changes: resubmissions (accepted or rejected, with other figures), new
# grantees, new fiscal years before and after those held, roster changes. After each, the refreshed marts must
# be a whole rebuild's, without a whole rebuild.
GRANTEES = {"NY-0001": "NY", "NY-0002": "NY", "VT-0001": "VT"}
PERIODS = ("FY2023", "FY2024", "FY2025", "FY2026", "FY2027")
resubmissions = st.tuples(
    st.just("package"),
    st.sampled_from(sorted(GRANTEES)),
    st.sampled_from(PERIODS),
    st.integers(0, 500),
    st.sampled_from(["accepted", "accepted", "rejected"]),
)
roster_changes = st.tuples(st.just("roster"), st.sampled_from(PERIODS[:4]))


@pytest.fixture(scope="module")
def refreshed_once(tmp_path_factory) -> Path:
    """The seeded warehouse with a roster, its marts built and recorded: each example starts from a copy."""
    folder = tmp_path_factory.mktemp("refreshed_once") / "warehouse"
    con = _seeded(folder / "landscape.duckdb")
    try:
        load_roster(con, "NY", ROSTER)
        refresh_marts(con, folder / STATE_FILE)
    finally:
        con.close()
    return folder


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.one_of(resubmissions, roster_changes), min_size=1, max_size=4))
def test_random_partition_changes_refresh_to_a_whole_rebuild(refreshed_once, changes, monkeypatch):
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(refreshed_once, Path(folder) / "warehouse")
        path = Path(folder) / "warehouse" / "landscape.duckdb"
        state_file = path.parent / STATE_FILE
        con = connect(path)
        versions = {(g, p): 1 for g in ("NY-0001", "VT-0001") for p in ("FY2024", "FY2025", "FY2026")}
        try:
            with monkeypatch.context() as patched:
                _no_whole_rebuild(patched)
                for change in changes:
                    if change[0] == "package":
                        _, grantee, period, participants, status = change
                        version = versions[grantee, period] = versions.get((grantee, period), 0) + 1
                        state = GRANTEES[grantee]
                        package = full_package(
                            grantee,
                            version,
                            status=status,
                            state=state,
                            period=period,
                            participants=participants,
                            amount=f"{participants * 3}.25",
                        )
                        load(con, [package], state=state, period=period)
                    else:
                        load_roster(con, "NY", ROSTER.with_columns(pl.lit(change[1]).alias("first_period")))
                    refresh_marts(con, state_file)
                    _assert_as_rebuilt(con, path, Path(folder) / "whole")
        finally:
            con.close()


def test_marts_not_the_recorded_ones_are_rebuilt_whole(warehouse, tmp_path, monkeypatch):
    """Rows gone from a period no change touches: the mart no longer holds the rows the record counts."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    con.execute("DELETE FROM marts.state_summary WHERE state = 'VT'")  # e.g. a warehouse restored from backup
    load(con, [full_package("NY-0001", 2, period="FY2026", participants=42)], period="FY2026")
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls
    assert _rows(con) == _rebuilt_elsewhere(con, path, tmp_path)


def _rebuilds_whole(monkeypatch) -> list[bool]:
    calls: list[bool] = []
    real = marts_module.build_marts

    def counted(con):
        calls.append(True)
        return real(con)

    monkeypatch.setattr(marts_module, "build_marts", counted)
    return calls


def test_marts_with_values_paired_otherwise_are_rebuilt_whole(warehouse, tmp_path, monkeypatch):
    """Swapping one column's values between two rows of a period about to be recomputed keeps every column's sum
    of hashes and the row count: only a hash of whole rows tells the period apart from the recorded one."""
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    con.execute(
        "UPDATE marts.state_summary SET participants_served = CASE WHEN state = 'NY' THEN 5 ELSE 10 END "
        "WHERE period = 'FY2024'"
    )
    load(
        con,
        [full_package("VT-0001", 2, state="VT", period="FY2024", participants=5)],
        state="VT",
        period="FY2024",
    )
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls, "marts not the recorded ones were refreshed in place"
    assert _rows(con) == _rebuilt_elsewhere(con, path, tmp_path)


@pytest.mark.parametrize("file", [marts_module.PARTITIONS_FILE, marts_module.PERIODS_FILE])
@pytest.mark.parametrize("damage", ["cut short", "another build's", "missing"])
def test_a_record_file_not_the_recorded_one_means_a_whole_rebuild(
    warehouse, tmp_path, monkeypatch, damage, file
):
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    record = path.parent / file
    refresh_marts(con, state_file)
    older = record.read_bytes()
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    refresh_marts(con, state_file)
    assert record.read_bytes() != older  # the record follows the facts and the marts
    load(con, [full_package("NY-0001", 3, period="FY2025", participants=7)], period="FY2025")
    if damage == "cut short":
        record.write_bytes(record.read_bytes()[:100])
    elif damage == "another build's":
        record.write_bytes(older)  # would hide the change to FY2025 if it were trusted
    else:
        record.unlink()
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls
    assert _rows(con) == _rebuilt_elsewhere(con, path, tmp_path)


@pytest.mark.parametrize("record", ["code changed", "older format", "no record"])
def test_a_record_that_does_not_describe_this_build_means_a_whole_rebuild(
    warehouse, tmp_path, monkeypatch, record
):
    path, con = warehouse
    state_file = path.parent / STATE_FILE
    refresh_marts(con, state_file)
    load(con, [full_package("NY-0001", 2, period="FY2025", participants=99)], period="FY2025")
    if record == "code changed":
        monkeypatch.setattr(marts_module, "_code_fingerprint", lambda: "other code")
    elif (
        record == "older format"
    ):  # one whole-table fingerprint per mart, as written before the periods' file
        state = json.loads(state_file.read_text(encoding="utf-8"))
        del state["periods"]
        state_file.write_text(json.dumps({**state, "marts": {}}), encoding="utf-8")
    else:
        state_file.unlink()
    calls = _rebuilds_whole(monkeypatch)
    refresh_marts(con, state_file)
    assert calls
    assert _rows(con) == _rebuilt_elsewhere(con, path, tmp_path)
