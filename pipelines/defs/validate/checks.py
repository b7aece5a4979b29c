"""Asset checks: Great Expectations column suites over each validated batch (blocking)."""

import dagster as dg
import polars as pl

from pipelines.defs.partitions import state_period_partitions
from pipelines.intake import PartitionIntake
from pipelines.validate.model import ValidatedBatch


@dg.asset_check(
    asset=dg.AssetKey("validated_packages"),
    blocking=True,
    partitions_def=state_period_partitions,
    description="Runs the GX suites of expectations/ over the whole batch and blocks the load "
    "when GX finds a column-rule violation the engine did not report as an error.",
)
def column_rules_hold_in_gx(
    context: dg.AssetCheckExecutionContext, validated_packages: dict[str, PartitionIntake]
) -> dg.AssetCheckResult:
    from pipelines.validate.gx_runner import run_gx_column_checks

    intakes = [i for i in validated_packages.values() if i.opened]
    opened = [pair for intake in intakes for pair in intake.opened]
    # One GX pass over every package the run opened: GX's cost is per call, not per row.
    combined = (
        ValidatedBatch(
            packages=pl.concat([i.batch.packages for i in intakes], how="diagonal_relaxed"),
            findings=pl.DataFrame(),
        )
        if intakes
        else None
    )
    disagreements = run_gx_column_checks(opened, intakes[0].validated_on, combined) if intakes else []
    return dg.AssetCheckResult(
        passed=not disagreements,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "packages_checked": len(opened),
            "disagreements": len(disagreements),
            "examples": dg.MetadataValue.json([d for d in disagreements[:20]]),
        },
    )
