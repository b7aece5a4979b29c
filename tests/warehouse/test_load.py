"""Partition loads: the version sequence, isolation between partitions, idempotency and atomicity."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.warehouse import load as load_module
from pipelines.warehouse.history import package_history, previous_funding
from pipelines.warehouse.incoming import PartitionLoad
from pipelines.warehouse.load import load_partitions, load_roster, load_rosters
from tests.warehouse.conftest import Pkg, connect, error, full_package, load, partition_input, snapshot


def _packages(con, grantee_id="NY-0001"):
    return con.execute(
        "SELECT version, status, is_current FROM core.packages WHERE grantee_id = ? ORDER BY version",
        [grantee_id],
    ).fetchall()


def _participants(con, grantee_id="NY-0001"):
    return con.execute(
        "SELECT version, participants_served FROM core.programs WHERE grantee_id = ?", [grantee_id]
    ).fetchall()


def test_version_sequence(wh):
    load(wh, [full_package("NY-0001", 1, participants=10)])
    assert _packages(wh) == [(1, "accepted", True)]
    assert _participants(wh) == [(1, 10)]

    load(wh, [full_package("NY-0001", 2, participants=20)])
    assert _packages(wh) == [(1, "accepted", False), (2, "accepted", True)]
    assert _participants(wh) == [(2, 20)]

    rejected = full_package("NY-0001", 3, status="rejected", participants=30, findings=[error()])
    counts = load(wh, [rejected])
    assert counts["rejected"] == 1 and counts["findings"] == 1
    assert _packages(wh) == [(1, "accepted", False), (2, "accepted", True), (3, "rejected", False)]
    assert _participants(wh) == [(2, 20)]
    # The rejected version's rows are kept as received, never typed into staging.
    assert wh.execute("SELECT participants_served FROM raw.programs WHERE version = 3").fetchall() == [
        ("30",)
    ]
    assert wh.execute("SELECT count(*) FROM staging.programs WHERE version = 3").fetchone() == (0,)
    assert wh.execute("SELECT rule_id, version, row_number FROM core.findings").fetchall() == [("F01", 3, 2)]

    before = snapshot(wh)
    duplicate = Pkg("NY-0001", 4, status="duplicate", sha256="sha-NY-0001-2", duplicate_of=2)
    load(wh, [duplicate])
    after = snapshot(wh)
    assert _packages(wh)[-1] == (4, "duplicate", False)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"core.packages", "core.partition_versions"}  # its version records, nothing else
    assert wh.execute("SELECT duplicate_of FROM core.packages WHERE version = 4").fetchone() == (2,)


def test_several_versions_in_one_load_latest_accepted_is_current(wh):
    load(
        wh,
        [
            full_package("NY-0001", 1, participants=1),
            full_package("NY-0001", 2, participants=2),
            full_package("NY-0001", 3, status="rejected", findings=[error()]),
        ],
    )
    assert _packages(wh) == [(1, "accepted", False), (2, "accepted", True), (3, "rejected", False)]
    assert _participants(wh) == [(2, 2)]


def test_other_partition_untouched(wh):
    load(wh, [full_package("NY-0001", 1)])
    load(wh, [full_package("NJ-0001", 1, state="NJ", org=None)], state="NJ")
    load(wh, [full_package("NY-0001", 1, period="FY2024")], period="FY2024")
    before = {t: rows for t, rows in snapshot(wh).items()}
    load(wh, [full_package("NY-0001", 2, participants=55)])
    after = snapshot(wh)
    for table, rows in after.items():
        if not table.startswith(("core.", "raw.", "staging.")) or "dim_" in table:
            continue
        other = [r for r in rows if "NY" not in r or "FY2025" not in r]
        other_before = [r for r in before[table] if "NY" not in r or "FY2025" not in r]
        assert other == other_before, table
    assert wh.execute(
        "SELECT grantee_id, state, period, version FROM core.grantees ORDER BY ALL"
    ).fetchall() == [
        ("NJ-0001", "NJ", "FY2025", 1),
        ("NY-0001", "NY", "FY2024", 1),
        ("NY-0001", "NY", "FY2025", 2),
    ]


def test_rerun_gives_identical_tables(wh):
    pkgs = [full_package("NY-0001", 1), full_package("NY-0002", 1, status="rejected", findings=[error()])]
    first = load(wh, pkgs)
    once = snapshot(wh)
    second = load(wh, pkgs)
    assert snapshot(wh) == once
    assert first == second
    assert wh.execute("SELECT count(*) FROM core.packages").fetchone() == (2,)


@pytest.mark.parametrize("step", ["_record_findings", "_record_rows", "_mark_current", "_rebuild_facts"])
def test_failure_mid_load_changes_nothing(wh, monkeypatch, step):
    load(wh, [full_package("NY-0001", 1, participants=10)])
    before = snapshot(wh)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load_module, step, boom)
    with pytest.raises(RuntimeError, match="disk full"):
        load(wh, [full_package("NY-0001", 2, participants=20), full_package("NY-0002", 1)])
    assert snapshot(wh) == before
    monkeypatch.undo()
    load(wh, [full_package("NY-0001", 2, participants=20)])
    assert _participants(wh) == [(2, 20)]


def test_failure_inside_a_sql_step_rolls_back(wh, monkeypatch):
    load(wh, [full_package("NY-0001", 1)])
    before = snapshot(wh)
    real = load_module.run_sql

    def failing(con, name, **params):
        if name == "warehouse/generated/facts_funding":
            raise RuntimeError("killed")
        return real(con, name, **params)

    monkeypatch.setattr(load_module, "run_sql", failing)
    with pytest.raises(RuntimeError):
        load(wh, [full_package("NY-0001", 2, participants=99)])
    assert snapshot(wh) == before


def test_rejects_input_of_another_partition(wh):
    with pytest.raises(ValueError, match="outside"):
        load(wh, [full_package("NJ-0001", 1, state="NJ")], state="NY")
    assert wh.execute("SELECT count(*) FROM core.packages").fetchone() == (0,)


def test_raw_keeps_text_and_reported_ids(wh):
    pkg = full_package("NY-0001", 1)
    load(wh, [pkg])
    row = wh.execute(
        "SELECT grantee_id, state, reported_grantee_id, reported_state, board_members_total, "
        "autonomous, row_number FROM raw.organization"
    ).fetchone()
    assert row == ("NY-0001", "NY", "NY-0001", "ny", "10", "true", 2)
    typed = wh.execute("SELECT board_members_total, autonomous FROM staging.organization").fetchone()
    assert typed == (10, True)


def test_raw_frames_keyed_by_grantee_and_version(wh):
    new_versions, batch, raw = partition_input([full_package("NY-0001", 1)])
    keyed = {
        t: f.with_columns(
            pl.lit("NY-0001").alias("grantee_id"),
            pl.lit("NY").alias("state"),
            pl.lit("FY2025").alias("period"),
            pl.lit(1).alias("version"),
        ).drop("package_key")
        for t, f in raw.items()
    }
    load_module.load_partition(wh, "NY", "FY2025", new_versions, batch, keyed)
    assert wh.execute("SELECT count(*) FROM raw.programs").fetchone() == (1,)
    assert wh.execute("SELECT organization_name FROM raw.organization").fetchone() == ("Org NY-0001",)


def test_package_history(wh):
    load(wh, [full_package("NY-0001", 1), full_package("NY-0001", 2, status="rejected", findings=[error()])])
    history = package_history(wh, "NY", "FY2025")
    assert history.select("grantee_id", "version", "status", "is_current").rows() == [
        ("NY-0001", 1, "accepted", True),
        ("NY-0001", 2, "rejected", False),
    ]
    assert history.get_column("sha256").to_list() == ["sha-NY-0001-1", "sha-NY-0001-2"]
    empty = package_history(wh, "TX", "FY2025")
    assert empty.height == 0 and empty.schema == history.schema


def test_previous_funding_most_recent_earlier_accepted_period(wh):
    load(wh, [full_package("NY-0001", 1, period="FY2023", amount="100.00")], period="FY2023")
    load(wh, [full_package("NY-0001", 1, period="FY2024", amount="250.50")], period="FY2024")
    # FY2024's newer version is rejected: the accepted current one still counts.
    load(
        wh,
        [full_package("NY-0001", 2, period="FY2024", status="rejected", findings=[error()], amount="9.00")],
        period="FY2024",
    )
    load(wh, [full_package("NY-0002", 1, period="FY2026", amount="5.00")], period="FY2026")
    result = previous_funding(wh, ["NY-0001", "NY-0002", "NY-0003"], "NY", "FY2025")
    assert result.rows() == [("NY-0001", "FY2024", 250.5)]
    assert previous_funding(wh, ["NY-0001"], "NY", "FY2024").rows() == [("NY-0001", "FY2023", 100.0)]
    assert previous_funding(wh, [], "NY", "FY2025").height == 0


def test_load_roster_replaces_state_roster(wh):
    roster = pl.DataFrame(
        {
            "grantee_id": ["NY-0001", "NY-0002"],
            "organization_name": ["A", "B"],
            "first_period": ["FY2024", "FY2024"],
            "last_period": ["", "FY2025"],
        }
    )
    assert load_roster(wh, "NY", roster) == 2
    load_roster(wh, "NJ", roster.with_columns(pl.col("grantee_id").str.replace("NY", "NJ")))
    load_roster(wh, "NY", roster.head(1))
    assert wh.execute("SELECT state, grantee_id, last_period FROM core.roster ORDER BY ALL").fetchall() == [
        ("NJ", "NJ-0001", None),
        ("NJ", "NJ-0002", "FY2025"),
        ("NY", "NY-0001", None),
    ]
    assert wh.execute("SELECT period FROM core.dim_period").fetchall() == [("FY2024",), ("FY2025",)]


def test_rosters_loaded_together_replace_only_the_states_given(wh):
    roster = pl.DataFrame(
        {
            "grantee_id": ["NY-0001", "NY-0002"],
            "organization_name": ["A", "B"],
            "first_period": ["FY2023", "FY2024"],
            "last_period": ["", None],
        }
    )
    load_roster(wh, "VT", roster.with_columns(pl.col("grantee_id").str.replace("NY", "VT")))
    load_roster(wh, "NY", roster)
    nj = roster.with_columns(pl.col("grantee_id").str.replace("NY", "NJ")).drop("last_period")
    assert load_rosters(wh, {"NY": roster.head(1), "NJ": nj, "PR": roster.clear()}) == 3
    assert wh.execute("SELECT state, grantee_id, last_period FROM core.roster ORDER BY ALL").fetchall() == [
        ("NJ", "NJ-0001", None),
        ("NJ", "NJ-0002", None),
        ("NY", "NY-0001", None),
        ("VT", "VT-0001", None),
        ("VT", "VT-0002", None),
    ]
    assert wh.execute("SELECT period FROM core.dim_period ORDER BY ALL").fetchall() == [
        ("FY2023",),
        ("FY2024",),
    ]


def test_nothing_new_still_rebuilds_facts_and_changes_nothing(wh):
    load(wh, [full_package("NY-0001", 1)])
    before = snapshot(wh)
    counts = load_module.load_partition(wh, "NY", "FY2025", pl.DataFrame(), None, {})
    assert counts["packages"] == 0 and counts["grantees"] == 1
    assert snapshot(wh) == before


def test_received_at_stored_as_utc(wh):
    from datetime import datetime, timedelta, timezone

    new_versions, batch, raw = partition_input([full_package("NY-0001", 1)])
    eastern = timezone(timedelta(hours=-5))
    new_versions = new_versions.with_columns(
        pl.lit(datetime(2025, 11, 1, 7, 0, tzinfo=eastern)).alias("received_at")
    )
    load_module.load_partition(wh, "NY", "FY2025", new_versions, batch, raw)
    assert wh.execute("SELECT received_at FROM core.packages").fetchone() == (datetime(2025, 11, 1, 12, 0),)


def _partitions() -> dict[tuple[str, str], list[Pkg]]:
    # NY-0001 v1 also sits in VT's folder (rejected on its path): same package_key, another partition.
    misplaced = Pkg("NY-0001", 1, status="rejected", state="VT", findings=[error("P05", "organization")])
    return {
        ("NY", "FY2025"): [
            full_package("NY-0001", 1, participants=10),
            full_package("NY-0002", 1, status="rejected", findings=[error()]),
        ],
        ("VT", "FY2025"): [full_package("VT-0001", 2, state="VT"), misplaced],
        ("NJ", "FY2025"): [],  # nothing new: its facts are rebuilt all the same
        ("NY", "FY2026"): [full_package("NY-0001", 1, period="FY2026", participants=30)],
    }


def _load_input(state: str, period: str, pkgs: list[Pkg]) -> PartitionLoad:
    new_versions, batch, raw = partition_input(pkgs) if pkgs else (pl.DataFrame(), None, {})
    return PartitionLoad(state, period, new_versions, batch, raw)


def test_partitions_loaded_together_give_what_loading_them_one_by_one_gives(tmp_path):
    together, one_by_one = connect(tmp_path / "a.duckdb"), connect(tmp_path / "b.duckdb")
    for con in (together, one_by_one):
        load(con, [full_package("VT-0001", 1, state="VT", participants=5)], state="VT")
    loads = [_load_input(state, period, pkgs) for (state, period), pkgs in _partitions().items()]
    counts = load_partitions(together, loads)
    alone = [load_partitions(one_by_one, [partition])[0] for partition in loads]
    assert counts == alone
    assert snapshot(together) == snapshot(one_by_one)
    assert together.execute(
        "SELECT state, period, grantee_id, version, is_current FROM core.packages ORDER BY ALL"
    ).fetchall() == [
        ("NY", "FY2025", "NY-0001", 1, True),
        ("NY", "FY2025", "NY-0002", 1, False),
        ("NY", "FY2026", "NY-0001", 1, True),
        ("VT", "FY2025", "NY-0001", 1, False),
        ("VT", "FY2025", "VT-0001", 1, False),
        ("VT", "FY2025", "VT-0001", 2, True),
    ]
    assert together.execute("SELECT count(*) FROM core.findings WHERE grantee_id = 'NY-0001'").fetchone() == (
        1,
    )
    together.close()
    one_by_one.close()


def test_a_bad_partition_in_a_joint_load_loads_none(wh):
    load(wh, [full_package("NY-0001", 1)])
    before = snapshot(wh)
    loads = [
        _load_input("NY", "FY2025", [full_package("NY-0001", 2)]),
        _load_input("VT", "FY2025", [full_package("NJ-0001", 1, state="NJ")]),  # outside its partition
    ]
    with pytest.raises(ValueError, match="outside"):
        load_partitions(wh, loads)
    assert snapshot(wh) == before
