"""Run sensors: one refresh after partitions load, and an alert for every failed run."""

import dagster as dg

from pipelines.alerts import raise_alert
from pipelines.defs.automation.jobs import ingest_partition_job, refresh_job
from pipelines.defs.resources import LandscapeSettings

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
