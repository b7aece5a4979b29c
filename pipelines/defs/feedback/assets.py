"""Feedback group: the findings files each grantee is sent, per new package version."""

import dagster as dg

from pipelines.defs.partitions import SINGLE_RUN, WRITER_POOL, run_partitions, state_period_partitions
from pipelines.defs.resources import LandscapeSettings, WarehouseResource
from pipelines.feedback.completion import complete_feedback
from pipelines.feedback.partition_feedback import write_run_feedback
from pipelines.intake import PartitionIntake
from pipelines.warehouse.history import recorded_versions, version_findings


@dg.asset(
    partitions_def=state_period_partitions,
    backfill_policy=SINGLE_RUN,
    kinds={"html", "csv"},
    group_name="feedback",
    deps=[dg.AssetKey("warehouse_partition")],
    description="findings.html and findings.csv for every new package version, for the grantee.",
)
def grantee_feedback(
    context: dg.AssetExecutionContext,
    validated_packages: dict[str, PartitionIntake],
    settings: LandscapeSettings,
) -> dg.MaterializeResult:
    # One batch for the whole run: the ordering and CSV work is paid once, not per version.
    written = write_run_feedback(
        settings.layout.feedback, [validated_packages[key] for key, _, _ in run_partitions(context)]
    )
    return dg.MaterializeResult(
        metadata={
            "feedback_files": len(written),
            "feedback_dir": dg.MetadataValue.path(str(settings.layout.feedback)),
        }
    )


@dg.asset(
    kinds={"html", "csv"},
    group_name="feedback",
    pool=WRITER_POOL,
    deps=[dg.AssetKey("warehouse_partition")],
    description="Feedback files that a recorded version lacks (after an interrupted run), written from the "
    "warehouse: outputs are completed by what is missing, not by what is new.",
)
def missing_feedback(settings: LandscapeSettings, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        written = complete_feedback(
            recorded_versions(con), lambda keys: version_findings(con, keys), settings.layout.feedback
        )
    return dg.MaterializeResult(metadata={"feedback_files_written": len(written)})
