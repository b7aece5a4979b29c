"""The published read-only copy, the Parquet files per mart, and `landscape sql` on them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import duckdb
import polars as pl
import pytest

from pipelines.commands import sql as sql_command
from pipelines.sql import load_sql
from pipelines.warehouse.connection import connect
from pipelines.warehouse.dictionary import write_dictionary
from pipelines.warehouse.marts import MARTS, build_marts
from pipelines.warehouse.publish import publish
from tests.warehouse.conftest import full_package, load


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LANDSCAPE_LANDING", raising=False)
    return tmp_path / "home"


def _warehouse(home, participants=10):
    path = home / "warehouse" / "landscape.duckdb"
    con = connect(path)
    load(con, [full_package("NY-0001", participants=participants)])
    build_marts(con)
    con.close()
    return path


def test_publish_copies_every_table_with_comments_and_a_parquet_per_mart(home):
    path = _warehouse(home)
    result = publish(path, home / "analyst")
    copy = home / "analyst" / "warehouse.duckdb"
    assert result["analyst_copy_path"] == copy and result["marts"] == len(MARTS)
    source = duckdb.connect(str(path), read_only=True)
    published = duckdb.connect(str(copy), read_only=True)
    tables = "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
    assert published.execute(tables).fetchall() == source.execute(tables).fetchall()
    for schema, table in source.execute(tables).fetchall():
        assert sorted(published.table(f"{schema}.{table}").fetchall(), key=repr) == sorted(
            source.table(f"{schema}.{table}").fetchall(), key=repr
        )
    comment = (
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'state_summary' AND column_name = 'programs'"
    )
    assert published.execute(comment).fetchone()[0] == "Number of programs."
    for mart in MARTS:  # one period (FY2025): one file per mart; a mart with no rows has no period
        names = [p.name for p in (home / "analyst" / "parquet" / mart).iterdir()]
        assert names == (["FY2025.parquet"] if mart != "outcomes_summary" else ["all.parquet"]), mart
        frame = pl.read_parquet(home / "analyst" / "parquet" / mart / "*.parquet")
        assert frame.columns == published.table(f"marts.{mart}").columns
        assert frame.height == published.table(f"marts.{mart}").shape[0]
    assert pl.read_parquet(home / "analyst" / "parquet" / "state_summary" / "FY2025.parquet")[
        "participants_served"
    ].to_list() == [10]
    assert not [p for p in (home / "analyst").rglob(".*")], "temporary files left behind"
    assert result["dictionary_path"] == home / "analyst" / "data_dictionary.html"
    assert "marts.state_summary" in (home / "analyst" / "data_dictionary.md").read_text(encoding="utf-8")
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(copy))  # the copy is read-only on disk too


def test_republish_replaces_atomically(home):
    path = _warehouse(home, participants=10)
    publish(path, home / "analyst")
    copy = home / "analyst" / "warehouse.duckdb"
    reader = duckdb.connect(str(copy), read_only=True)
    con = connect(path)
    load(con, [full_package("NY-0001", 2, participants=25)])
    build_marts(con)
    # The writer publishes through its own open connection.
    publish(path, home / "analyst", con=con)
    con.close()
    # A reader that opened the old copy keeps a consistent view of it; a new reader sees the new one.
    assert reader.execute("SELECT participants_served FROM marts.state_summary").fetchall() == [(10,)]
    reader.close()  # DuckDB reuses an open database for the same path within one process
    fresh = duckdb.connect(str(copy), read_only=True)
    assert fresh.execute("SELECT participants_served FROM marts.state_summary").fetchall() == [(25,)]


WRITER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.begin()
    con.execute("DELETE FROM core.grantees")
    print("ready", flush=True)
    sys.stdin.readline()
    con.rollback()
    con.close()
""")


def test_published_copy_readable_while_a_writer_holds_the_warehouse(home, capsys):
    path = _warehouse(home)
    publish(path, home / "analyst")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        with pytest.raises(duckdb.Error):  # the writer's lock is really held
            duckdb.connect(str(path), read_only=True)
        code = sql_command.main(["SELECT grantee_id, peer_run_class FROM core.grantees", "--format", "json"])
        assert code == 0
        assert json.loads(capsys.readouterr().out) == [
            {"grantee_id": "NY-0001", "peer_run_class": "peer_run"}
        ]
    finally:
        writer.communicate("done\n", timeout=60)
    assert writer.returncode == 0


def test_sql_formats(home, capsys):
    publish(_warehouse(home), home / "analyst")
    assert (
        sql_command.main(["SELECT state, period, funding_usd FROM marts.state_summary", "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["state,period,funding_usd", "NY,FY2025,1000.00"]
    assert sql_command.main(["SELECT state, grantees FROM marts.state_summary"]) == 0
    out = capsys.readouterr().out
    assert "NY" in out and "grantees" in out and "1 row" in out


def test_sql_without_analyst_copy_exits_2(home, capsys):
    assert sql_command.main(["SELECT 1"]) == 2
    assert "No analysts' warehouse copy" in capsys.readouterr().err


def test_sql_error_exits_2(home, capsys):
    publish(_warehouse(home), home / "analyst")
    assert sql_command.main(["SELECT nope FROM marts.state_summary"]) == 2
    assert "SQL error" in capsys.readouterr().err
    assert sql_command.main(["CREATE TABLE marts.x (a INTEGER)"]) == 2  # read-only


def test_sql_usage_error_exits_2(home, capsys):
    assert sql_command.main(["SELECT 1", "--format", "xml"]) == 2


def _same_tables(copy, path) -> None:
    """The published copy holds exactly the writer's tables and rows (order aside)."""
    source = duckdb.connect(str(path), read_only=True)
    published = duckdb.connect(str(copy), read_only=True)
    try:
        tables = "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        assert published.execute(tables).fetchall() == source.execute(tables).fetchall()
        for schema, table in source.execute(tables).fetchall():
            assert sorted(published.table(f"{schema}.{table}").fetchall(), key=repr) == sorted(
                source.table(f"{schema}.{table}").fetchall(), key=repr
            ), f"{schema}.{table}"
        comment = "SELECT comment FROM duckdb_columns() WHERE table_name = 'programs' AND column_name = 'program_id'"
        assert published.execute(comment).fetchall() == source.execute(comment).fetchall()
    finally:
        published.close()
        source.close()


def _change(path, *packages) -> None:
    con = connect(path)
    for package in packages:
        load(con, [package], state=package.state, period=package.period)
    build_marts(con)
    con.close()


def test_republish_updates_only_the_changed_partitions_of_the_spare(home):
    path = _warehouse(home)
    _change(path, full_package("VT-0001", state="VT", period="FY2025"))
    first = publish(path, home / "analyst")
    assert first["partitions_updated"] is None  # nothing to start from: a whole copy
    _change(path, full_package("NY-0001", 2, participants=25))
    second = publish(path, home / "analyst")  # the spare is a copy of the first, one partition behind
    assert second["partitions_updated"] == 1
    copy = home / "analyst" / "warehouse.duckdb"
    _same_tables(copy, path)
    # The spare is now the first copy again (replaced by the second): NY changed twice and VT once since.
    _change(path, full_package("NY-0001", 3, participants=30))
    _change(path, full_package("VT-0001", 2, state="VT", period="FY2025", participants=7))
    third = publish(path, home / "analyst")
    assert third["partitions_updated"] == 2
    _same_tables(copy, path)
    with duckdb.connect(str(copy), read_only=True) as reader:
        assert reader.execute(
            "SELECT state, participants_served FROM marts.state_summary ORDER BY state"
        ).fetchall() == [("NY", 30), ("VT", 7)]
    assert not [p for p in (home / "analyst").rglob(".*")], "temporary files left behind"
    assert not (path.parent / "analyst-spare.duckdb.wal").exists()
    assert copy.stat().st_mode & 0o777 == 0o444  # an updated copy is read-only on disk too


READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM core.packages").fetchone()[0], flush=True)
    sys.stdin.readline()
    con.close()
""")


def test_republish_copies_everything_while_an_analyst_still_reads_the_older_copy(home):
    path = _warehouse(home)
    publish(path, home / "analyst")
    copy = home / "analyst" / "warehouse.duckdb"
    # The analyst opens the copy that the next publish replaces, and so keeps it as the spare.
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(copy)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        _change(path, full_package("NY-0001", 2, participants=25))
        assert publish(path, home / "analyst")["partitions_updated"] == 1
        _change(path, full_package("NY-0001", 3, participants=30))
        result = publish(path, home / "analyst")  # the spare is the analyst's open copy: not touched
        assert result["partitions_updated"] is None
        _same_tables(copy, path)
    finally:
        reader.communicate("done\n", timeout=60)
    assert reader.returncode == 0


def test_an_updated_copy_carries_marts_that_depend_on_other_partitions(home):
    path = _warehouse(home)  # NY FY2025
    _change(path, full_package("NY-0001", period="FY2024", participants=4))
    publish(path, home / "analyst")
    _change(path, full_package("NY-0001", 2, period="FY2024", participants=5))
    assert publish(path, home / "analyst")["partitions_updated"] == 1
    # FY2024 changed: the trend rows of FY2025 (which compare with FY2024) change with it.
    _same_tables(home / "analyst" / "warehouse.duckdb", path)


def test_an_updated_copy_follows_whole_tables_and_comments_that_changed_without_a_partition(home):
    path = _warehouse(home)
    publish(path, home / "analyst")
    publish(path, home / "analyst")  # the spare is now a copy of this very warehouse
    con = duckdb.connect(str(path))
    con.execute("UPDATE core.dim_state SET state_name = 'The Empire State' WHERE state = 'NY'")
    con.close()
    spare = path.parent / "analyst-spare.duckdb"  # as an older release's dictionary described it
    spare.chmod(0o644)
    with duckdb.connect(str(spare)) as older:
        older.execute("COMMENT ON COLUMN core.programs.program_id IS 'An older description'")
    assert publish(path, home / "analyst")["partitions_updated"] == 0
    _same_tables(home / "analyst" / "warehouse.duckdb", path)
    with duckdb.connect(str(home / "analyst" / "warehouse.duckdb"), read_only=True) as reader:
        assert reader.execute("SELECT state_name FROM core.dim_state WHERE state = 'NY'").fetchone() == (
            "The Empire State",
        )


def test_parquet_files_are_written_again_only_for_marts_that_changed(home):
    path = _warehouse(home)
    publish(path, home / "analyst")
    parquet = home / "analyst" / "parquet"
    files = {mart: next((parquet / mart).glob("*.parquet")) for mart in MARTS}  # one period, or none
    inode = {mart: file.stat().st_ino for mart, file in files.items()}
    files["outcomes_summary"].write_bytes(b"cut short")  # no outcomes reported: all.parquet, no rows
    _change(path, full_package("NY-0001", 2, participants=25))  # people served: no workforce figure
    publish(path, home / "analyst")
    rewritten = {mart for mart, file in files.items() if file.stat().st_ino != inode[mart]}
    assert {"state_summary", "programs_by_type", "outcomes_summary"} <= rewritten
    assert "workforce_summary" not in rewritten
    with duckdb.connect(str(home / "analyst" / "warehouse.duckdb"), read_only=True) as copy:
        for mart, file in files.items():  # one period, so the file holds the mart in its own order
            assert (
                pl.read_parquet(file).rows()
                == copy.sql(load_sql(f"publish/generated/ordered_{mart}")).fetchall()
            )


def test_analyst_copy_is_restricted_and_replaces_the_legacy_published_folder(home):
    legacy = home / "published"
    (legacy / "parquet").mkdir(parents=True)
    (legacy / "warehouse.duckdb").write_bytes(b"old exact copy")
    (legacy / "parquet" / "state_summary.parquet").write_bytes(b"old")
    (legacy / "notes.txt").write_text("an operator's own file")
    result = publish(_warehouse(home), home / "analyst", legacy_dir=legacy)
    assert (home / "analyst").stat().st_mode & 0o007 == 0, "other users must not reach exact figures"
    assert result["legacy_files_removed"] == 2
    assert not (legacy / "warehouse.duckdb").exists() and not (legacy / "parquet").exists()
    assert (legacy / "notes.txt").read_text() == "an operator's own file"
    (legacy / "notes.txt").unlink()
    publish(_warehouse(home), home / "analyst", legacy_dir=legacy)
    assert not legacy.exists()


def test_dictionary_documents_the_copy_and_is_written_only_when_its_text_changes(home, tmp_path):
    path = _warehouse(home)
    publish(path, home / "analyst")
    markdown = home / "analyst" / "data_dictionary.md"
    inode = markdown.stat().st_ino
    _change(path, full_package("NY-0001", 2, participants=25))  # rows change, tables and comments do not
    publish(path, home / "analyst")
    assert markdown.stat().st_ino == inode, "an unchanged dictionary was written again"
    with duckdb.connect(str(home / "analyst" / "warehouse.duckdb"), read_only=True) as copy:
        from_copy = write_dictionary(tmp_path / "from-copy", copy)
    assert markdown.read_text(encoding="utf-8") == from_copy[0].read_text(encoding="utf-8")
    assert (home / "analyst" / "data_dictionary.html").read_text(encoding="utf-8") == from_copy[1].read_text(
        encoding="utf-8"
    )
