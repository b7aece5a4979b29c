"""Feedback group: the findings files each grantee is sent, per new package version."""

import dagster as dg

from pipelines.defs.partitions import SINGLE_RUN, run_partitions, state_period_partitions
from pipelines.defs.resources import LandscapeSettings
from pipelines.defs.warehouse.assets import warehouse_partition
from pipelines.feedback.partition_feedback import write_partition_feedback
from pipelines.intake import PartitionIntake


@dg.asset(
    partitions_def=state_period_partitions,
    backfill_policy=SINGLE_RUN,
    kinds={"html", "csv"},
    group_name="feedback",
    deps=[warehouse_partition],
    description="findings.html and findings.csv for every new package version, for the grantee.",
)
def grantee_feedback(
    context: dg.AssetExecutionContext,
    validated_packages: dict[str, PartitionIntake],
    settings: LandscapeSettings,
) -> dg.MaterializeResult:
    written = [
        path
        for key, _, _ in run_partitions(context)
        for path in write_partition_feedback(settings.layout.feedback, validated_packages[key])
    ]
    return dg.MaterializeResult(
        metadata={
            "feedback_files": len(written),
            "feedback_dir": dg.MetadataValue.path(str(settings.layout.feedback)),
        }
    )
