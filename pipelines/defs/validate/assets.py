"""Validate group: every new version of a partition read and validated against the contract, as one batch."""

from datetime import date

import dagster as dg

from pipelines.defs.partitions import SINGLE_RUN, WRITER_POOL, run_partitions, state_period_partitions
from pipelines.defs.resources import WarehouseResource
from pipelines.intake import PartitionIntake, ReceivedPartition, validate_partition
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
    intakes: dict[str, PartitionIntake] = {}
    with warehouse.connect() as con:
        for key, state, period in run_partitions(context):
            received = package_versions[key]
            grantees = sorted({v.grantee_id for v in received.new})
            intakes[key] = validate_partition(received, previous_funding(con, grantees, state, period), today)
    totals = {status: sum(i.counts[status] for i in intakes.values()) for status in STATUSES}
    context.add_output_metadata(
        {**totals, "findings": sum(i.batch.findings.height for i in intakes.values())}
    )
    return intakes
