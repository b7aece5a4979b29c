"""Asset checks: Great Expectations column suites over each validated batch (blocking)."""


import dagster as dg

from pipelines.defs.ingest_assets import validated_packages
from pipelines.defs.partitions import state_period_partitions
from pipelines.ingest.partition import PartitionIntake


@dg.asset_check(asset=validated_packages, blocking=True, partitions_def=state_period_partitions,
                description="Runs the GX suites of expectations/ over the whole batch and blocks the load "
                            "when GX finds a column-rule violation the engine did not report as an error.")
def column_rules_hold_in_gx(context: dg.AssetCheckExecutionContext,
                            validated_packages: PartitionIntake) -> dg.AssetCheckResult:
    from pipelines.validate.gx_runner import run_gx_column_checks

    intake = validated_packages
    disagreements = (run_gx_column_checks(intake.opened, intake.validated_on, intake.batch)
                     if intake.opened else [])
    return dg.AssetCheckResult(
        passed=not disagreements,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"packages_checked": len(intake.opened), "disagreements": len(disagreements),
                  "examples": dg.MetadataValue.json([d for d in disagreements[:20]])},
    )
