"""Dead runs: a run whose process is gone is marked failed and its writer slot freed; live ones are left."""

from __future__ import annotations

import subprocess

import dagster as dg
from dagster._core.test_utils import create_run_for_test

from pipelines.defs.partitions import WRITER_POOL
from pipelines.runtime.recovery import process_alive, process_tags, recover_dead_runs


def _gone_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _instance(tmp_path) -> dg.DagsterInstance:
    (tmp_path / "dagster.yaml").write_text("concurrency:\n  pools:\n    default_limit: 1\n")
    return dg.DagsterInstance.from_config(str(tmp_path))


def test_a_run_whose_process_is_gone_is_failed_and_its_slot_freed(tmp_path):
    with _instance(tmp_path) as instance:
        dead = create_run_for_test(
            instance,
            job_name="ingest_partition",
            status=dg.DagsterRunStatus.STARTED,
            tags=process_tags(_gone_pid()),
        )
        alive = create_run_for_test(
            instance, job_name="refresh_reports", status=dg.DagsterRunStatus.STARTED, tags=process_tags()
        )
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default(WRITER_POOL)
        assert storage.claim_concurrency_slot(WRITER_POOL, dead.run_id, "warehouse_partition").is_claimed
        lines = recover_dead_runs(instance, WRITER_POOL)
        assert len(lines) == 1 and dead.run_id[:8] in lines[0] and "1 pool slot(s) freed" in lines[0]
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
        assert storage.get_concurrency_info(WRITER_POOL).claimed_slots == []
        assert recover_dead_runs(instance, WRITER_POOL) == []


def test_a_slot_held_by_a_run_that_ended_is_freed(tmp_path):
    with _instance(tmp_path) as instance:
        ended = create_run_for_test(instance, job_name="ingest_partition", status=dg.DagsterRunStatus.FAILURE)
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default(WRITER_POOL)
        storage.claim_concurrency_slot(WRITER_POOL, ended.run_id, "warehouse_partition")
        [line] = recover_dead_runs(instance, WRITER_POOL)
        assert ended.run_id[:8] in line and storage.get_concurrency_info(WRITER_POOL).claimed_slots == []


def test_a_reused_pid_is_not_the_process_that_was_recorded():
    tags = process_tags()
    assert process_alive(int(tags["landscape/pid"]), tags["landscape/pid_start"])
    assert not process_alive(int(tags["landscape/pid"]), str(int(tags["landscape/pid_start"]) + 1))
    assert not process_alive(_gone_pid())
