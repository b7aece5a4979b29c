"""Schedules: the nightly safety-net ingest and the report refresh on a calendar."""

import os

import dagster as dg

from pipelines.defs.automation.jobs import ingest_partition_job, refresh_job
from pipelines.defs.partitions import partition_key, register_periods
from pipelines.defs.resources import LandscapeSettings
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import partitions_with_packages

NIGHTLY_CRON = os.environ.get("LANDSCAPE_NIGHTLY_CRON", "0 2 * * *")
REPORT_CRON = os.environ.get("LANDSCAPE_REPORT_CRON", "0 6 * * *")
TIMEZONE = os.environ.get("LANDSCAPE_TIMEZONE", "America/New_York")


@dg.schedule(
    cron_schedule=NIGHTLY_CRON,
    job=ingest_partition_job,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Safety net for the landing sensor: every partition with packages, nightly.",
)
def nightly_ingest(context: dg.ScheduleEvaluationContext, settings: LandscapeSettings):
    scan = scan_landing(settings.layout.landing)
    partitions = partitions_with_packages(scan, settings.state_filter)
    register_periods(context.instance, {period for period, _ in partitions})
    stamp = context.scheduled_execution_time.strftime("%Y%m%d")
    return [
        dg.RunRequest(run_key=f"nightly-{stamp}-{state}-{period}", partition_key=partition_key(state, period))
        for period, state in partitions
    ]


@dg.schedule(
    cron_schedule=REPORT_CRON,
    job=refresh_job,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refreshes marts, the published copy and the landscape reports on a calendar.",
)
def report_refresh(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest(run_key=f"report-refresh-{context.scheduled_execution_time:%Y%m%d%H%M}")
