"""`landscape run` on the PostgreSQL instance: runs and events land in PostgreSQL, and the warehouse is the one
the embedded default (SQLite instance, root dagster.yaml) builds from the same landing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from pipelines.warehouse.connection import query
from tests.deploy.conftest import BIN, instance_for, small_landing
from tests.faults.drill import HASHES_OF_HOME

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def landscape_runs(*envs: dict[str, str]) -> list[subprocess.CompletedProcess]:
    """`landscape run` in each environment, side by side (separate homes and instances, one landing)."""
    processes = [
        subprocess.Popen(
            [str(BIN / "landscape"), "run"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for env in envs
    ]
    outputs = [process.communicate(timeout=900)[0] for process in processes]
    return [
        subprocess.CompletedProcess(process.args, process.returncode, output)
        for process, output in zip(processes, outputs, strict=True)
    ]


def warehouse_content(home: Path) -> dict[str, list[tuple]]:
    """Every warehouse table's rows, sorted; the home's own path and receipt times are what may differ."""
    out = {}
    with duckdb.connect(str(home / "warehouse" / "landscape.duckdb"), read_only=True) as con:
        for schema, table in query(con, "warehouse/list_tables").rows():
            relation = con.table(f"{schema}.{table}")
            kept = [
                c
                for c, t in zip(relation.columns, relation.types, strict=True)
                if "TIMESTAMP" not in str(t) and c not in HASHES_OF_HOME.get((schema, table), ())
            ]
            rows = relation.select(*kept).fetchall() if kept else []
            out[f"{schema}.{table}"] = sorted(
                (
                    tuple(v.replace(str(home), "<home>") if isinstance(v, str) else v for v in row)
                    for row in rows
                ),
                key=repr,
            )
    return out


def test_landscape_run_on_postgres_stores_runs_there_and_builds_the_default_warehouse(deployment, tmp_path):
    packages = small_landing(Path(deployment["LANDSCAPE_LANDING"]), ["VT", "NH"], ["FY2025", "FY2026"])
    assert packages > 4

    embedded = {
        **deployment,
        "DAGSTER_HOME": str(tmp_path / "embedded-dagster"),  # created from the root dagster.yaml
        "LANDSCAPE_HOME": str(tmp_path / "embedded-home"),
    }
    on_postgres, by_default = landscape_runs(deployment, embedded)
    assert on_postgres.returncode == 0, on_postgres.stdout
    assert by_default.returncode == 0, by_default.stdout

    instance = instance_for(deployment)
    assert isinstance(instance.run_storage, PostgresRunStorage)
    assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
    runs = instance.get_runs()
    assert len(runs) >= 2  # at least one ingest range and the refresh
    assert {run.status for run in runs} == {dg.DagsterRunStatus.SUCCESS}
    materialized = {
        event.dagster_event.asset_key.path[-1]
        for run in runs
        for event in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    }
    assert {"package_versions", "warehouse_partition", "marts", "landscape_reports"} <= materialized
    assert instance.get_dynamic_partitions("period") == ["FY2025", "FY2026"]
    # Nothing of the run history went to SQLite files beside dagster.yaml; the default really is SQLite.
    assert not list(Path(deployment["DAGSTER_HOME"]).rglob("*.db"))
    assert list(Path(embedded["DAGSTER_HOME"]).rglob("*.db"))

    on_pg, default = (warehouse_content(Path(env["LANDSCAPE_HOME"])) for env in (deployment, embedded))
    assert on_pg["core.packages"]  # not two empty warehouses
    assert on_pg == default
