"""Schedules: the nightly safety-net ingest and the report refresh on a calendar."""

import dagster as dg

from pipelines.defs.automation.jobs import ingest_partition_job, refresh_job
from pipelines.defs.partitions import register_periods, state_period_partitions
from pipelines.defs.resources import LandscapeSettings
from pipelines.defs.run_plan import RANGE_END, RANGE_START, package_weights, plan_runs, unusable_rosters
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import partitions_with_packages
from pipelines.settings import setting

NIGHTLY_CRON = setting("LANDSCAPE_NIGHTLY_CRON")
REPORT_CRON = setting("LANDSCAPE_REPORT_CRON")
TIMEZONE = setting("LANDSCAPE_TIMEZONE")


@dg.schedule(
    cron_schedule=NIGHTLY_CRON,
    job=ingest_partition_job,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Safety net for the landing sensor: every partition with packages, nightly, in the grouped "
    "runs `landscape run` makes (one per range of a period's partitions).",
)
def nightly_ingest(context: dg.ScheduleEvaluationContext, settings: LandscapeSettings):
    scan = scan_landing(settings.layout.landing)
    partitions = partitions_with_packages(scan, settings.state_filter)
    register_periods(context.instance, {period for period, _ in partitions})
    keys = [
        str(k) for k in state_period_partitions.get_partition_keys(dynamic_partitions_store=context.instance)
    ]
    stamp = context.scheduled_execution_time.strftime("%Y%m%d")
    return [
        dg.RunRequest(
            run_key=f"nightly-{stamp}-{first}-{last}",
            tags={RANGE_START: first, RANGE_END: last, "landscape/trigger": "nightly"},
        )
        for first, last in plan_runs(partitions, unusable_rosters(scan), keys, package_weights(scan))
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
