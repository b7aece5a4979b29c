"""The benchmark harness at a tiny scale: it runs end to end and writes every figure results.json promises."""

from __future__ import annotations

import json
import math

import duckdb
import pytest

from pipelines.bench import BenchConfig, run_benchmark
from pipelines.bench.inflate import inflate_warehouse, link_archive, warehouse_rows
from pipelines.bench.resubmit import pick_package, resubmit
from pipelines.bench.results import TARGETS, targets_met
from pipelines.generate import generate_landing

NUMBER = (int, float)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    config = BenchConfig(
        work=root / "work", results=root / "results.json", scale=0.01, periods=("FY2026",), states=("VT",)
    )
    results = run_benchmark(config, log=lambda _line: None)
    return config, results


def test_results_file_has_every_required_figure(tiny):
    config, returned = tiny
    results = json.loads(config.results.read_text(encoding="utf-8"))
    assert results == json.loads(json.dumps(returned))
    assert results["complete"] is True
    machine = results["machine"]
    assert isinstance(machine["cpu_count"], int) and machine["cpu_count"] >= 1
    assert isinstance(machine["memory_gb"], NUMBER) and machine["memory_gb"] > 0
    assert isinstance(machine["python"], str) and isinstance(machine["platform"], str)
    assert isinstance(results["grantees"], int) and results["grantees"] >= 1
    assert isinstance(results["packages"], int) and results["packages"] >= results["grantees"]
    for key in (
        "baseline_s",
        "baseline_read_csv_s",
        "full_rebuild_s",
        "full_rebuild_ratio",
        "report_site_s",
        "peak_rss_mb",
    ):
        assert isinstance(results[key], NUMBER) and results[key] > 0, key
    assert (
        0
        < results["disclosure_audit_ratio"]
        == pytest.approx(
            results["report_site"]["disclosure_audit_s"]
            / (results["report_site_s"] - results["report_site"]["disclosure_audit_s"]),
            abs=0.002,  # both figures are rounded to milliseconds
        )
    )
    assert results["full_rebuild_ratio"] == pytest.approx(
        results["full_rebuild_s"] / results["baseline_s"], rel=0.01
    )
    assert results["baseline_s"] == pytest.approx(
        results["baseline_read_csv_s"] + results["baseline_workbooks_s"], abs=0.01
    )
    assert results["periods"] == ["FY2026"]
    assert results["audit_s"] == results["report_site"]["disclosure_audit_s"]
    assert set(results["incremental_s"]) == {"1x", "4x", "10x"}
    assert all(isinstance(v, NUMBER) and v > 0 for v in results["incremental_s"].values())
    assert isinstance(results["pipeline_version"], str) and results["pipeline_version"]
    assert results["peak_rss_process_mb"] >= results["peak_rss_mb"]
    assert isinstance(results["generation_peak_rss_mb"], NUMBER) and results["generation_peak_rss_mb"] > 0
    assert results["targets"] == TARGETS
    assert set(results["met"]) >= set(TARGETS)
    assert all(v in (True, False) for v in results["met"].values())


def test_pipeline_succeeded_and_the_resubmission_was_taken_at_both_sizes(tiny):
    _, results = tiny
    assert results["full_rebuild_ok"] is True
    assert results["full_rebuild"]["accepted"] + results["full_rebuild"]["rejected"] == results["packages"]
    for size in ("1x", "4x", "10x"):
        run = results["incremental"][size]
        assert run["success"] is True
        assert run["partition_counts"] == {"new": 1, "accepted": 1, "rejected": 0, "duplicate": 0}
        assert run["state_report_rewritten"] is True
    # Rows whose period is not one of the generated ones (none, or a misfiled package's) are not copied.
    one = results["warehouse_rows"]["1x"]
    assert 3 * one < results["warehouse_rows"]["4x"] <= 4 * one
    assert 9 * one < results["warehouse_rows"]["10x"] <= 10 * one
    assert results["baseline"]["csv_files"] > 0
    # Workbook packages are read by the baseline too: every workbook's sheets land in tables of their own.
    workbook_rows = {k: v for k, v in results["baseline"]["rows"].items() if k.startswith("workbook_")}
    assert (results["baseline"]["workbooks"] > 0) == bool(workbook_rows)
    assert "validated_packages" in results["stage_seconds"]["full_rebuild"]
    by_stage = results["peak_rss_mb_by_stage"]
    timed = ("full_rebuild", "report_site", "incremental_1x", "incremental_4x", "incremental_10x")
    assert {"baseline", *timed} <= set(by_stage)
    assert results["peak_rss_mb"] == max(by_stage[s] for s in timed)


def test_profile_names_the_functions_that_took_the_time(tiny):
    _, results = tiny
    profile = results["profile"]
    assert profile["periods"] == ["FY2026"] and profile["seconds"] > 0
    for ranking in ("top_self", "top_total"):
        entries = profile[ranking]
        assert entries and all(e["function"] and e["seconds"] >= 0 for e in entries)
        assert [e["seconds"] for e in entries] == sorted((e["seconds"] for e in entries), reverse=True)
    # Inclusive time: the rebuild itself holds (nearly) all of the profiled time.
    assert any("run_everything" in e["function"] for e in profile["top_total"])


def test_resubmission_raises_one_count_and_changes_the_bytes(tmp_path):
    landing = tmp_path / "landing"
    manifest = generate_landing(landing, periods=["FY2026"], scale=0.01, states=["VT"])
    package = pick_package(manifest)
    before = {p.name: p.read_bytes() for p in (landing / package.path).iterdir()}
    change = resubmit(landing, package)
    assert int(change.after) == int(change.before) + 1
    changed = [name for name, data in before.items() if (landing / package.path / name).read_bytes() != data]
    assert changed == [change.file.name]


def test_inflated_warehouse_holds_the_periods_again_under_earlier_years(tmp_path):
    source = tmp_path / "small.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("CREATE SCHEMA core")
        con.execute("CREATE TABLE core.packages (grantee_id VARCHAR, period VARCHAR, amount INTEGER)")
        con.execute("INSERT INTO core.packages VALUES ('DE-0001', 'FY2025', 1), ('DE-0001', 'FY2026', 2)")
    target = tmp_path / "large.duckdb"
    inflate_warehouse(source, target, ["FY2025", "FY2026"], 3)
    assert warehouse_rows(source) == 2 and warehouse_rows(target) == 6
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute("SELECT period, amount FROM core.packages ORDER BY period").fetchall()
    assert rows == [("FY2021", 1), ("FY2022", 2), ("FY2023", 1), ("FY2024", 2), ("FY2025", 1), ("FY2026", 2)]


def test_the_larger_home_links_the_archive_and_leaves_the_original_alone(tmp_path):
    source = tmp_path / "home" / "archive"
    version = source / "VT" / "FY2026" / "VT-0001" / "v1"
    version.mkdir(parents=True)
    (version / "organization.csv").write_text("grantee_id\nVT-0001\n", encoding="utf-8")
    target = tmp_path / "home_10x" / "archive"
    (target / "stale").mkdir(parents=True)
    link_archive(source, target)
    copied = target / "VT" / "FY2026" / "VT-0001" / "v1" / "organization.csv"
    assert copied.read_text(encoding="utf-8") == "grantee_id\nVT-0001\n"
    assert copied.stat().st_ino == (version / "organization.csv").stat().st_ino
    assert not (target / "stale").exists()
    (target / "VT" / "FY2026" / "VT-0001" / "v2").mkdir()  # a new version in the larger home only
    assert sorted(p.name for p in version.parent.iterdir()) == ["v1"]


def test_targets_met_reads_each_figure_against_its_target():
    results = {
        "full_rebuild_ratio": 1.4,
        "incremental_s": {"1x": 2.0, "4x": 2.2, "10x": 2.6},
        "report_site_s": 16.0,
        "peak_rss_mb": 100.0,
        "disclosure_audit_ratio": 0.25,
    }
    assert targets_met(results) == {
        "full_rebuild_ratio": True,
        "incremental_s": True,  # every size within 3 s ...
        "incremental_flat": False,  # ... but 10x costs 30 % more than 1x
        "report_site_s": False,
        "peak_rss_mb": True,
        "disclosure_audit_ratio": False,
    }


DUCKDB_ROW_GROUP_SIZE = 122_880  # DuckDB's default rows per row group


def _row_groups(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    rows = con.execute(
        "SELECT row_group_id, max(count) FROM pragma_storage_info(?) WHERE column_id = 0 "
        "GROUP BY row_group_id ORDER BY row_group_id",
        [table],
    ).fetchall()
    return [count for _, count in rows]


def test_the_inflated_tables_are_in_full_row_groups(tmp_path):
    """Part-filled row groups left by the replicating inserts (and by parallel writers) would be merged at the
    first checkpoint after a delete: the first resubmission into the larger warehouse would pay for it."""
    source = tmp_path / "small.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("CREATE SCHEMA core")
        con.execute("CREATE TABLE core.facts (state VARCHAR, period VARCHAR, amount INTEGER, note VARCHAR)")
        con.execute(
            "INSERT INTO core.facts SELECT 'VT', CASE WHEN i < 62500 THEN 'FY2025' ELSE 'FY2026' END, i, 'n' || i "
            "FROM range(125000) t(i)"
        )
    target = tmp_path / "large.duckdb"
    inflate_warehouse(source, target, ["FY2025", "FY2026"], 10)
    with duckdb.connect(str(target), read_only=True) as con:
        groups = _row_groups(con, "core.facts")
        assert sum(groups) == 1_250_000
        # No fewer row groups could hold these rows: there is nothing left for a checkpoint to merge.
        assert len(groups) == math.ceil(sum(groups) / DUCKDB_ROW_GROUP_SIZE)
        amounts = [
            a for (a,) in con.execute("SELECT amount FROM core.facts WHERE period = 'FY2026'").fetchall()
        ]
    assert amounts == list(range(62500, 125000))  # the original rows first, in their order
