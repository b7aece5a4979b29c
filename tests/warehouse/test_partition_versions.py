"""core.partition_versions: every load keeps its partitions' version fingerprints, which the marts' refresh and
the analysts' copy read instead of hashing core.packages whole; they always equal the fingerprints computed
from the version records, and a warehouse made before the table existed gets them when it is opened."""

from __future__ import annotations

from tests.warehouse.conftest import Pkg, connect, error, full_package, load
from tests.warehouse.partition_versions_check import kept_partition_versions as _kept
from tests.warehouse.partition_versions_check import recomputed_partition_versions as _computed


def _row(con, state: str, period: str) -> tuple | None:
    return next((r for r in _kept(con) if r[:2] == (state, period)), None)


def test_every_kind_of_load_keeps_the_fingerprints_of_the_version_records(wh):
    steps = [
        (dict(), [full_package("NY-0001", 1, participants=10)]),
        (dict(), [full_package("NY-0001", 2, participants=20)]),  # a resubmission: another current version
        (dict(), [full_package("NY-0001", 3, status="rejected", findings=[error()])]),
        (dict(), [Pkg("NY-0001", 4, status="duplicate", sha256="sha-NY-0001-2", duplicate_of=2)]),
        (dict(state="NJ"), [full_package("NJ-0001", 1, state="NJ", org=None)]),
        (dict(period="FY2024"), [full_package("NY-0001", 1, period="FY2024")]),
        (dict(), []),  # nothing new: the partition's facts are rebuilt, its versions stay as they were
    ]
    seen = []
    for where, pkgs in steps:
        loaded = (where.get("state", "NY"), where.get("period", "FY2025"))
        others = [r for r in _kept(wh) if r[:2] != loaded]
        load(wh, pkgs, **where)
        assert _kept(wh) == _computed(wh)
        assert [r for r in _kept(wh) if r[:2] != loaded] == others  # only the loaded partition's row changes
        seen.append(_row(wh, "NY", "FY2025"))
    assert [row[2] for row in seen[:4]] == [1, 2, 3, 4]  # versions of every outcome are counted
    assert len({row[3] for row in seen[:4]}) == 4  # each new version record changes the fingerprint
    assert seen[-1] == seen[-2]
    assert [r[:3] for r in _kept(wh)] == [("NJ", "FY2025", 1), ("NY", "FY2024", 1), ("NY", "FY2025", 4)]


def test_a_current_flag_that_moves_changes_the_fingerprint(wh):
    load(wh, [full_package("NY-0001", 1), full_package("NY-0001", 2)])
    both = _row(wh, "NY", "FY2025")
    wh.execute("UPDATE core.packages SET is_current = NOT is_current")
    assert _computed(wh) != _kept(wh)  # the formula sees the flag: a load that moves it must record it
    load(wh, [])
    assert _row(wh, "NY", "FY2025") == both and _kept(wh) == _computed(wh)


def test_a_warehouse_made_before_the_table_gets_its_rows_when_opened(tmp_path):
    path = tmp_path / "landscape.duckdb"
    con = connect(path)
    load(con, [full_package("NY-0001", 1)])
    load(con, [full_package("VT-0001", 1, state="VT")], state="VT")
    expected = _kept(con)
    con.execute("DELETE FROM core.partition_versions")
    con.close()
    reopened = connect(path)
    assert _kept(reopened) == expected == _computed(reopened)
    reopened.close()


def test_an_empty_warehouse_has_no_rows_to_fill_in(tmp_path):
    con = connect(tmp_path / "landscape.duckdb")
    assert _kept(con) == [] == _computed(con)
    con.close()
