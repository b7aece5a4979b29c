"""Operations: refresh after ingest, nightly safety-net schedule, report refresh schedule, failure alerts."""

import os

import dagster as dg

from pipelines.defs.jobs import ingest_partition_job, refresh_job
from pipelines.defs.partitions import partition_key, register_periods
from pipelines.defs.resources import LandscapeSettings
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import partitions_with_packages
from pipelines.ops.alerts import raise_alert

NIGHTLY_CRON = os.environ.get("LANDSCAPE_NIGHTLY_CRON", "0 2 * * *")
REPORT_CRON = os.environ.get("LANDSCAPE_REPORT_CRON", "0 6 * * *")
TIMEZONE = os.environ.get("LANDSCAPE_TIMEZONE", "America/New_York")

_UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_partition_job],
    request_job=refresh_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After partitions load, refresh marts, the published copy and the reports once.",
)
def refresh_after_ingest(context: dg.RunStatusSensorContext):
    pending = context.instance.get_runs(
        dg.RunsFilter(job_name=refresh_job.name, statuses=_UNFINISHED), limit=1
    )
    if pending:
        return dg.SkipReason("a refresh is already queued or running; it will include this load")
    return dg.RunRequest(run_key=f"refresh-after-{context.dagster_run.run_id}")


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


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes an alert file for every failed run and emails it when SMTP is set.",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext, settings: LandscapeSettings):
    run = context.dagster_run
    if run.tags.get("landscape/trigger") == "landscape run":
        return  # `landscape run` raised this run's alert itself, with the partition's own error
    alert, path = raise_alert(
        run.run_id,
        run.job_name,
        run.tags.get("dagster/partition"),
        context.failure_event.message or "run failed",
        settings.layout.alerts,
    )
    context.log.error(f"{alert.subject}: {path}")
