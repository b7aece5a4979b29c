"""`dagster-daemon` on the PostgreSQL instance: the landing sensor's runs go through the run queue and hold the
writer pool one at a time; a run killed with SIGKILL is marked failed, alerted, and its writer slot given back."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.partitions import WRITER_POOL
from tests.deploy.conftest import daemon_args, instance_for, small_landing, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WRITER_STEPS = {
    "package_versions",
    "validated_packages",
    "warehouse_partition",
    "marts",
    "published_warehouse",
}


def finished(instance: dg.DagsterInstance, job_name: str, count: int) -> list[dg.DagsterRun] | None:
    runs = instance.get_runs(dg.RunsFilter(job_name=job_name))
    done = [run for run in runs if run.is_finished]
    return done if len(runs) >= count and len(done) == len(runs) else None


def step_spans(instance: dg.DagsterInstance, run_id: str) -> list[tuple[float, float, str]]:
    """(start, end, step) of every writer-pool step of a run, from its event log in PostgreSQL."""
    starts: dict[str, float] = {}
    spans = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key not in WRITER_STEPS:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            spans.append((starts[event.step_key], entry.timestamp, f"{run_id[:8]}:{event.step_key}"))
    return spans


def test_sensor_runs_of_two_states_are_queued_at_once_and_write_one_at_a_time(deployment, start_process):
    landing = Path(deployment["LANDSCAPE_LANDING"])
    small_landing(landing, ["VT", "NH"], ["FY2026"])
    start_process(daemon_args(), deployment, "daemon")
    instance = instance_for(deployment)

    ingests = wait_for(lambda: finished(instance, "ingest_partition", 2), 900, "two ingest runs finished")
    assert {run.status for run in ingests} == {dg.DagsterRunStatus.SUCCESS}
    assert {run.tags.get("dagster/sensor_name") for run in ingests} == {"landing_sensor"}
    assert sorted(run.tags["dagster/partition"] for run in ingests) == ["FY2026|NH", "FY2026|VT"]
    # Both were queued by the one sensor tick and started before either ended: only the pool kept the
    # writers apart.
    records = instance.get_run_records(dg.RunsFilter(run_ids=[run.run_id for run in ingests]))
    first, second = sorted(records, key=lambda r: r.start_time)
    assert second.start_time < first.end_time
    spans = sorted(span for run in ingests for span in step_spans(instance, run.run_id))
    assert len(spans) == 2 * 3  # package_versions, validated_packages, warehouse_partition per run
    for (_, end, step), (start, _, later) in zip(spans, spans[1:], strict=False):
        assert end <= start, f"{step} still held the writer slot when {later} started"

    refreshes = wait_for(lambda: finished(instance, "refresh_reports", 1), 900, "the refresh after ingest")
    assert refreshes[0].status == dg.DagsterRunStatus.SUCCESS
    warehouse = Path(deployment["LANDSCAPE_HOME"]) / "analyst" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        states = con.sql("SELECT DISTINCT state FROM core.packages ORDER BY state").fetchall()
    assert states == [("NH",), ("VT",)]
    assert not instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots


def _process_tree(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return [pid] + [p for child in children for p in _process_tree(child)]


def _run_worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        metadata = entry.dagster_event.engine_event_data.metadata
        if entry.message.startswith("Started process for run") and "pid" in metadata:
            return int(metadata["pid"].text)
    return None


def test_run_killed_with_sigkill_is_failed_alerted_and_gives_its_writer_slot_back(deployment, start_process):
    small_landing(Path(deployment["LANDSCAPE_LANDING"]), ["VT"], ["FY2026"], scale=0.6)
    start_process(daemon_args(), deployment, "daemon")
    instance = instance_for(deployment)

    def holder():
        claimed = instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots
        return claimed[0].run_id if claimed else None

    run_id = wait_for(holder, 600, "an ingest run holding the writer slot", interval=0.1)
    pid = wait_for(lambda: _run_worker_pid(instance, run_id), 30, "the run worker's pid", interval=0.1)
    tree = _process_tree(pid)  # the run worker and any process it started: the whole run dies
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
    for process in tree:
        with contextlib.suppress(ProcessLookupError):  # a child may end between listing and kill
            os.kill(process, signal.SIGKILL)
    killed_at = time.monotonic()

    wait_for(
        lambda: instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE, 60, "run marked failed"
    )
    wait_for(lambda: holder() is None, 60 - (time.monotonic() - killed_at), "writer slot freed")
    alerts = Path(deployment["LANDSCAPE_HOME"]) / "alerts"
    wait_for(
        lambda: any(json.loads(p.read_text())["run_id"] == run_id for p in alerts.glob("*.json")),
        60,
        "failure alert written",
    )
