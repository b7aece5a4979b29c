"""Validate group: every new version of a partition read and validated against the contract, as one batch."""

from datetime import date

import dagster as dg

from pipelines.defs.partitions import SINGLE_RUN, WRITER_POOL, run_partitions, state_period_partitions
from pipelines.defs.resources import WarehouseResource
from pipelines.intake import PartitionIntake, ReceivedPartition, validate_partitions
from pipelines.package_status import STATUSES
from pipelines.warehouse.history import previous_funding


@dg.asset(
    partitions_def=state_period_partitions,
    backfill_policy=SINGLE_RUN,
    kinds={"polars", "duckdb"},
    group_name="validate",
    pool=WRITER_POOL,
    description="Every new version of each partition read and validated against the contract, as one batch.",
)
def validated_packages(
    context: dg.AssetExecutionContext,
    package_versions: dict[str, ReceivedPartition],
    warehouse: WarehouseResource,
) -> dict[str, PartitionIntake]:
    today = date.today()
    partitions = run_partitions(context)
    with warehouse.connect() as con:
        inputs = [
            (
                package_versions[key],
                previous_funding(
                    con, sorted({v.grantee_id for v in package_versions[key].new}), state, period
                ),
            )
            for key, state, period in partitions
        ]
    # One batch for the whole run: validation's fixed costs are paid once, not once per partition.
    validated = validate_partitions(inputs, today)
    intakes = {key: intake for (key, _, _), intake in zip(partitions, validated, strict=True)}
    totals = {status: sum(i.counts[status] for i in intakes.values()) for status in STATUSES}
    context.add_output_metadata(
        {**totals, "findings": sum(i.batch.findings.height for i in intakes.values())}
    )
    return intakes
