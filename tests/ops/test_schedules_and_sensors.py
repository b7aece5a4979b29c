"""Sensors and schedules evaluated in-process against a real (ephemeral) Dagster instance."""

from __future__ import annotations

import json
import time
from datetime import datetime

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.automation.landing_sensor import landing_sensor
from pipelines.defs.automation.run_sensors import alert_on_run_failure, refresh_after_ingest
from pipelines.defs.automation.schedules import nightly_ingest, report_refresh
from pipelines.defs.resources import LandscapeSettings, resources_for
from pipelines.defs.run_plan import RANGE_END, RANGE_START
from pipelines.orchestrate import run_everything
from tests.orchestration.package_builder import write_package

OLD = int(time.time()) - 3600  # written an hour ago: past the quiet period


@pytest.fixture
def instance(tmp_path):
    # A local instance of its own, not instance_for_test(): the latter leaves a dead global instance behind
    # that later Definitions loads in the same process trip over.
    (tmp_path / "dagster").mkdir()
    instance = dg.DagsterInstance.local_temp(str(tmp_path / "dagster"))
    yield instance
    instance.dispose()


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "landing").mkdir()
    return LandscapeSettings(home=str(tmp_path / "home"), landing=str(tmp_path / "landing"))


def _evaluate(instance, settings, cursor=None) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings})
    return landing_sensor(context)


def test_landing_sensor_requests_each_changed_partition_once(instance, settings):
    landing = settings.layout.landing
    write_package(landing, "VT-0001", period="FY2025", mtime_s=OLD)
    write_package(landing, "VT-0002", period="FY2026", mtime_s=OLD)
    write_package(landing, "DE-0001", period="FY2026", county="10001", mtime_s=OLD)
    first = _evaluate(instance, settings)
    keys = [r.partition_key for r in first.run_requests]
    assert [(k.keys_by_dimension["period"], k.keys_by_dimension["state"]) for k in keys] == [
        ("FY2025", "VT"),
        ("FY2026", "DE"),
        ("FY2026", "VT"),
    ]  # earlier periods first
    assert first.dynamic_partitions_requests[0].partition_keys == ["FY2025", "FY2026"]
    assert _evaluate(instance, settings, first.cursor).run_requests == []  # no new files, no run


def test_landing_sensor_waits_for_quiet_period_and_sees_changes(instance, settings):
    landing = settings.layout.landing
    write_package(landing, "VT-0001", mtime_s=OLD)
    cursor = _evaluate(instance, settings).cursor
    write_package(landing, "VT-0001", amount="99", mtime_s=int(time.time()))  # still being written
    waiting = _evaluate(instance, settings, cursor)
    assert waiting.run_requests == [] and json.loads(waiting.cursor) == json.loads(cursor)
    write_package(landing, "VT-0001", amount="99", mtime_s=OLD + 60)
    [request] = _evaluate(instance, settings, cursor).run_requests
    assert request.partition_key.keys_by_dimension == {"state": "VT", "period": "FY2026"}


def test_single_state_deployment_ignores_other_states(instance, tmp_path):
    settings = LandscapeSettings(home=str(tmp_path / "h"), landing=str(tmp_path / "l"), states="VT")
    write_package(settings.layout.landing, "VT-0001", mtime_s=OLD)
    write_package(settings.layout.landing, "DE-0001", county="10001", mtime_s=OLD)
    assert {
        r.partition_key.keys_by_dimension["state"] for r in _evaluate(instance, settings).run_requests
    } == {"VT"}


def test_nightly_schedule_requests_the_grouped_runs_landscape_run_makes(instance, settings):
    write_package(settings.layout.landing, "VT-0001", mtime_s=OLD)
    write_package(settings.layout.landing, "VT-0001", period="FY2025", mtime_s=OLD)
    write_package(settings.layout.landing, "DE-0001", county="10001", mtime_s=OLD)
    context = dg.build_schedule_context(
        instance=instance,
        resources={"settings": settings},
        scheduled_execution_time=datetime(2026, 11, 26, 2, 0),
    )
    requests = nightly_ingest(context)
    # One run per range of a period's partitions (not one per partition), earlier periods first.
    assert [(r.tags[RANGE_START], r.tags[RANGE_END]) for r in requests] == [
        ("FY2025|VT", "FY2025|VT"),
        ("FY2026|DE", "FY2026|VT"),
    ]
    assert [r.run_key for r in requests] == [
        "nightly-20261126-FY2025|VT-FY2025|VT",
        "nightly-20261126-FY2026|DE-FY2026|VT",
    ]
    assert set(instance.get_dynamic_partitions("period")) == {"FY2025", "FY2026"}


@pytest.mark.slow
def test_first_sensor_tick_starts_from_what_is_already_ingested(instance, tmp_path):
    home, landing = tmp_path / "home", tmp_path / "landing"
    write_package(landing, "VT-0001", mtime_s=OLD)
    write_package(landing, "DE-0001", county="10001", mtime_s=OLD)
    summary = run_everything(defs, dg.DagsterInstance.ephemeral(), resources_for(home, landing))
    assert summary.success
    write_package(landing, "VT-0001", period="FY2025", mtime_s=OLD)  # arrived after the run
    settings = LandscapeSettings(home=str(home), landing=str(landing))
    first = _evaluate(instance, settings)
    assert [r.partition_key.keys_by_dimension for r in first.run_requests] == [
        {"state": "VT", "period": "FY2025"}
    ]  # not the two partitions the run already took
    assert len(json.loads(first.cursor)) == 3
    assert _evaluate(instance, settings, first.cursor).run_requests == []


def test_first_sensor_tick_waits_while_no_warehouse_copy_can_be_read(instance, settings):
    write_package(settings.layout.landing, "VT-0001", mtime_s=OLD)
    settings.layout.warehouse.parent.mkdir(parents=True)
    settings.layout.warehouse.write_bytes(b"not a duckdb file")
    result = _evaluate(instance, settings)
    assert isinstance(result, dg.SkipReason)


def test_report_refresh_schedule_requests_the_refresh_job(instance):
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=datetime(2026, 11, 26, 6, 0)
    )
    request = report_refresh(context)
    assert request.run_key == "report-refresh-202611260600"


def _failed_run(instance):
    @dg.asset
    def always_fails():
        raise RuntimeError("disk full")

    result = dg.materialize([always_fails], instance=instance, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    return result.dagster_run, failure


def test_run_failure_sensor_writes_an_alert_file(instance, settings):
    run, failure = _failed_run(instance)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_run_failure",
        dagster_event=failure,
        dagster_instance=instance,
        dagster_run=run,
        resources={"settings": settings},
    ).for_run_failure()
    alert_on_run_failure(context)
    [alert] = list((settings.layout.alerts).glob("*.json"))
    data = json.loads(alert.read_text())
    assert data["run_id"] == run.run_id and data["job_name"] == run.job_name


def test_refresh_after_ingest_requests_one_refresh(instance):
    run, _ = _failed_run(instance)  # any finished run will do as the trigger
    success = dg.DagsterEvent(
        event_type_value=dg.DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name, message="ok"
    )
    context = dg.build_run_status_sensor_context(
        sensor_name="refresh_after_ingest", dagster_event=success, dagster_instance=instance, dagster_run=run
    )
    request = refresh_after_ingest(context)
    assert isinstance(request, dg.RunRequest) and request.run_key == f"refresh-after-{run.run_id}"
