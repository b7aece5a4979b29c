"""An analysts' copy brought up to date from the records beside the warehouse equals a whole copy, table by
table and Parquet file by Parquet file, and reads only what changed."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipelines.warehouse.connection as connection_module
import pipelines.warehouse.copy_fingerprints as fingerprints_module
import pipelines.warehouse.spare as spare_module
from pipelines.warehouse.connection import connect
from pipelines.warehouse.marts import MARTS, build_marts
from pipelines.warehouse.publish import COPY_RECORD_NAME, SPARE_RECORD_NAME, publish
from tests.warehouse.conftest import full_package, load

GRANTEES = {"NY-0001": "NY", "NY-0002": "NY", "VT-0001": "VT"}
PERIODS = ("FY2024", "FY2025", "FY2026")
FINGERPRINT_SQL = {
    "warehouse/partition_fingerprints",
    "publish/period_fingerprints",
    "publish/table_fingerprint",
}

PACKAGE = st.tuples(
    st.sampled_from(sorted(GRANTEES)),
    st.sampled_from(PERIODS),
    st.integers(1, 60),
    st.sampled_from(["accepted", "accepted", "rejected"]),
)
STEP = st.tuples(
    st.lists(PACKAGE, max_size=3),  # resubmissions between two publishes (none: nothing changed)
    st.booleans(),  # a dimension changed without a partition
    st.sampled_from(["none", "spare touched", "records gone", "parquet touched"]),
)


class Writer:
    """The writer's warehouse with packages loaded and marts rebuilt, a version number kept per grantee/period."""

    def __init__(self, home: Path) -> None:
        self.path = home / "warehouse" / "landscape.duckdb"
        self.versions: Counter = Counter()

    def change(self, packages, rename_state: bool = False) -> None:
        con = connect(self.path)
        try:
            for grantee, period, participants, status in packages:
                self.versions[(grantee, period)] += 1
                state = GRANTEES[grantee]
                version = self.versions[(grantee, period)]
                package = full_package(
                    grantee, version, status, state=state, period=period, participants=participants
                )
                load(con, [package], state=state, period=period)
            build_marts(con)
            if rename_state:  # after the marts: their reload of the dimensions would undo it
                name = f"Vermont {sum(self.versions.values())}"
                con.execute("UPDATE core.dim_state SET state_name = $name WHERE state = 'VT'", {"name": name})
        finally:
            con.close()


def _tables(copy: Path) -> dict[str, object]:
    """Every table's rows (sorted), columns, types and comments."""
    con = duckdb.connect(str(copy), read_only=True)
    try:
        listed = "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        described = "SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() ORDER BY ALL"
        tables = {
            f"{schema}.{table}": sorted(con.table(f"{schema}.{table}").fetchall(), key=repr)
            for schema, table in con.execute(listed).fetchall()
        }
        comments = "SELECT schema_name, table_name, comment FROM duckdb_tables() ORDER BY ALL"
        return {
            **tables,
            "columns": con.execute(described).fetchall(),
            "comments": con.execute(comments).fetchall(),
        }
    finally:
        con.close()


def _whole_publish(writer: Writer, where: Path) -> Path:
    """A publish of a copy of the writer's file with nothing beside it: a whole copy, every Parquet file written."""
    if where.exists():
        shutil.rmtree(where)
    alone = where / "warehouse" / "landscape.duckdb"
    alone.parent.mkdir(parents=True)
    shutil.copyfile(writer.path, alone)
    result = publish(alone, where / "analyst")
    assert result["partitions_updated"] is None
    assert result["parquet_written"] == result["parquet_files"] >= len(MARTS)
    return where / "analyst"


def _assert_same_as_a_whole_copy(writer: Writer, analyst: Path, scratch: Path) -> None:
    whole = _whole_publish(writer, scratch)
    assert _tables(analyst / "warehouse.duckdb") == _tables(whole / "warehouse.duckdb")
    files = _parquet_files(analyst)
    assert files == _parquet_files(whole), "the marts' folders hold other periods"
    for name in files:
        assert (analyst / name).read_bytes() == (whole / name).read_bytes(), name
    assert (analyst / "data_dictionary.md").read_bytes() == (whole / "data_dictionary.md").read_bytes()
    assert not [p for p in analyst.rglob(".*")], "temporary files left behind"


def _parquet_files(analyst: Path) -> list[str]:
    """Every file under parquet/, dot files included (a temporary left behind would show here)."""
    return sorted(str(p.relative_to(analyst)) for p in (analyst / "parquet").rglob("*") if p.is_file())


def _disturb(writer: Writer, analyst: Path, how: str) -> None:
    beside = writer.path.parent
    if how == "spare touched":  # e.g. opened for writing by hand: the record no longer describes it
        spare = beside / spare_module.SPARE_NAME
        if spare.exists():
            os.utime(spare, ns=(spare.stat().st_atime_ns, spare.stat().st_mtime_ns + 1_000))
    elif how == "records gone":
        for name in (COPY_RECORD_NAME, SPARE_RECORD_NAME):
            (beside / name).unlink(missing_ok=True)
    elif how == "parquet touched":  # rewritten by someone: written again from the writer
        for file in sorted((analyst / "parquet" / "trend").glob("*.parquet"))[:1]:
            file.write_bytes(b"not the mart")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LANDSCAPE_LANDING", raising=False)
    return tmp_path / "home"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(STEP, min_size=2, max_size=3))
def test_an_updated_copy_equals_a_whole_copy_after_any_changes(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("publish")
    writer, analyst = Writer(root / "home"), root / "home" / "analyst"
    writer.change([("NY-0001", "FY2025", 10, "accepted"), ("VT-0001", "FY2024", 5, "accepted")])
    publish(writer.path, analyst)
    for packages, rename_state, disturbance in steps:
        writer.change(packages, rename_state)
        _disturb(writer, analyst, disturbance)
        result = publish(writer.path, analyst)
        assert result["partitions_updated"] is not None, "the spare was not used"
        _assert_same_as_a_whole_copy(writer, analyst, root / "whole")


def test_the_changes_of_consecutive_publishes_all_reach_the_copy(home):
    """The spare is the copy before the last: it is behind by the changes of two publishes, and its record
    (the record of that copy, moved with it) says so."""
    writer, analyst = Writer(home), home / "analyst"
    writer.change([("NY-0001", "FY2025", 10, "accepted"), ("VT-0001", "FY2024", 5, "accepted")])
    publish(writer.path, analyst)
    for packages in (
        [("NY-0001", "FY2025", 11, "accepted")],
        [("VT-0001", "FY2025", 6, "accepted")],
        [("NY-0002", "FY2024", 7, "rejected")],
    ):
        writer.change(packages)
        assert publish(writer.path, analyst)["partitions_updated"] is not None
        _assert_same_as_a_whole_copy(writer, analyst, home.parent / "whole")


def _spied(monkeypatch) -> list[tuple]:
    """Every SQL file run by the publish modules: (connection, name, identifiers, parameters)."""
    calls: list[tuple] = []
    real = connection_module.run_sql

    def spy(con, name, identifiers=None, **params):
        calls.append((con, name, identifiers or {}, params))
        return real(con, name, identifiers, **params)

    for module in (connection_module, fingerprints_module, spare_module):
        monkeypatch.setattr(module, "run_sql", spy)
    return calls


def _history(home: Path) -> Writer:
    """Three fiscal years of two states and a change, each published, then published again: the spare (the copy
    before the last) holds the writer's rows, and both have a record."""
    writer = Writer(home)
    writer.change(
        [(grantee, period, 10, "accepted") for grantee in ("NY-0001", "VT-0001") for period in PERIODS]
    )
    publish(writer.path, home / "analyst")
    writer.change([("NY-0002", "FY2024", 3, "accepted")])
    publish(writer.path, home / "analyst")
    assert (
        publish(writer.path, home / "analyst")["partitions_updated"] == 1
    )  # the spare was one change behind
    return writer


def test_a_publish_reads_only_the_changed_partition_and_periods(home, monkeypatch):
    writer = _history(home)
    writer.change([("NY-0001", "FY2025", 25, "accepted")])
    calls = _spied(monkeypatch)
    source = connect(writer.path)
    try:
        result = publish(writer.path, home / "analyst", con=source)
    finally:
        source.close()
    assert result["partitions_updated"] == 1
    hashed = [(con, name) for con, name, _, _ in calls if name in FINGERPRINT_SQL]
    assert hashed and all(con is source for con, _ in hashed), "the spare was hashed: its record was not used"
    partitions = {(p["state"], p["period"]) for _, name, _, p in calls if name == "publish/carry_partition"}
    assert partitions == {("NY", "FY2025")}, "an unchanged partition's rows were read"
    periods = {
        period for _, name, _, p in calls if name == "publish/carry_periods" for period in p["periods"]
    }
    assert periods <= {"FY2025", "FY2026"}  # FY2026: trend compares with the year before
    assert not [c for c in calls if c[1] == "publish/carry_table"], "a whole table was copied"
    assert 0 < result["parquet_written"] < result["parquet_files"]
    _assert_same_as_a_whole_copy(writer, home / "analyst", home.parent / "whole")


def test_a_spare_its_record_does_not_describe_is_hashed_itself(home, monkeypatch):
    writer = _history(home)
    spare = writer.path.parent / spare_module.SPARE_NAME
    os.utime(spare, ns=(spare.stat().st_atime_ns, spare.stat().st_mtime_ns + 1_000))
    writer.change([("VT-0001", "FY2026", 8, "accepted")])
    calls = _spied(monkeypatch)
    assert publish(writer.path, home / "analyst")["partitions_updated"] == 1
    assert Counter(name for _, name, _, _ in calls)["warehouse/partition_fingerprints"] == 2
    _assert_same_as_a_whole_copy(writer, home / "analyst", home.parent / "whole")


def test_a_parquet_file_is_taken_from_its_record_not_read_back(home):
    writer = _history(home)
    parquet = home / "analyst" / "parquet"
    workforce = parquet / "workforce_summary" / "FY2025.parquet"
    funding = parquet / "funding_by_source" / "FY2025.parquet"
    # Bytes changed behind the record's back, same size and time: the record still names the file, which is
    # therefore not read (it would be written again if it were).
    status = workforce.stat()
    forged = bytes(reversed(workforce.read_bytes()))
    with open(workforce, "r+b") as handle:
        handle.write(forged)
    os.utime(workforce, ns=(status.st_atime_ns, status.st_mtime_ns))
    funding.write_bytes(b"cut short")  # written since: no longer the file recorded
    writer.change([("NY-0001", "FY2024", 31, "accepted")])  # people served: no workforce or funding figure
    result = publish(writer.path, home / "analyst")
    assert workforce.read_bytes() == forged
    whole = _whole_publish(writer, home.parent / "whole")
    assert funding.read_bytes() == (whole / "parquet" / "funding_by_source" / "FY2025.parquet").read_bytes()
    assert result["parquet_written"] < result["parquet_files"]
