"""Jobs: ingest one state x period partition; refresh the marts, the published copy and the reports."""

import dagster as dg

# Transient failures (a file still being copied, a locked warehouse) deserve another try; contract
# violations never raise, they become findings, so retrying cannot repeat a rejection.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=20, backoff=dg.Backoff.EXPONENTIAL)
# One process per run (its steps run one after another anyway: they share the one-slot writer pool), so the
# home's writer lock is held for the whole run and the run's process is the one recorded for recovery.
ONE_PROCESS = dg.in_process_executor

# By key, not by object: an asset object imported here would be found twice by load_from_defs_folder.
INGEST_ASSETS = [
    dg.AssetKey(name)
    for name in ("package_versions", "validated_packages", "warehouse_partition", "grantee_feedback")
]
REFRESH_ASSETS = [
    dg.AssetKey(name)
    for name in ("intake_log", "missing_feedback", "marts", "published_warehouse", "landscape_reports")
]

ingest_partition_job = dg.define_asset_job(
    "ingest_partition",
    selection=dg.AssetSelection.assets(*INGEST_ASSETS),
    op_retry_policy=TRANSIENT_RETRY,
    executor_def=ONE_PROCESS,
    description="Receive, validate and load the new packages of one state x period.",
)

refresh_job = dg.define_asset_job(
    "refresh_reports",
    selection=dg.AssetSelection.assets(*REFRESH_ASSETS),
    op_retry_policy=TRANSIENT_RETRY,
    executor_def=ONE_PROCESS,
    description="Rebuild the marts, publish the read-only copy and render the landscape reports.",
)


@dg.definitions
def run_executor() -> dg.Definitions:
    """The same one process for every other launched run too: backfills and materializations from the UI."""
    return dg.Definitions(executor=ONE_PROCESS)
