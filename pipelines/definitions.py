"""The Dagster code location: assets, checks, jobs, sensors, schedules and resources, grouped by domain."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import checks, ingest_assets, report_assets, warehouse_assets
from pipelines.defs.jobs import ingest_partition_job, refresh_job
from pipelines.defs.landing_sensor import landing_sensor
from pipelines.defs.operations import (
    alert_on_run_failure,
    nightly_ingest,
    refresh_after_ingest,
    report_refresh,
)
from pipelines.defs.resources import build_resources

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest_assets, warehouse_assets, report_assets]),
    asset_checks=dg.load_asset_checks_from_modules([checks]),
    jobs=[ingest_partition_job, refresh_job],
    sensors=[landing_sensor, refresh_after_ingest, alert_on_run_failure],
    schedules=[nightly_ingest, report_refresh],
    resources=build_resources(),
    # A run's steps follow one another through the one-slot writer pool, so a process per step (Dagster's
    # default for launched runs) adds nothing but a Python start-up per step while the slot is held.
    executor=dg.in_process_executor,
)
