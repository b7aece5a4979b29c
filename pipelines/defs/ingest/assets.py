"""Ingest group: the landing tree and the new package versions of each state x period.

Partitioned assets return {partition key: value}: a run may carry one partition (the landing sensor) or
many (`landscape run`, a single-run backfill), and each partition is handled on its own inside it.
"""

import csv

import dagster as dg

from pipelines.defs.partitions import (
    SINGLE_RUN,
    WRITER_POOL,
    register_periods,
    run_partitions,
    state_period_partitions,
)
from pipelines.defs.resources import LandscapeSettings, WarehouseResource
from pipelines.ingest.landing import landing_problem, scan_landing
from pipelines.intake import ReceivedPartition, receive_partition
from pipelines.validate.roster import RosterError
from pipelines.warehouse.history import package_history


@dg.asset(
    kinds={"csv"},
    group_name="ingest",
    description="Scan of the whole landing tree: registers period partitions and "
    "writes the intake log of everything that is not a roster, state, period or package.",
)
def intake_log(context: dg.AssetExecutionContext, settings: LandscapeSettings) -> dg.MaterializeResult:
    layout = settings.layout
    if settings.archive_only:
        return dg.MaterializeResult(metadata={"skipped": "rebuild from the archive: the landing is not read"})
    if problem := landing_problem(layout.landing):
        raise dg.Failure(description=f"{problem}; the intake log was left as it was")
    scan = scan_landing(layout.landing)
    periods = sorted({p.period for p in scan.packages})
    register_periods(context.instance, periods)
    layout.intake_log.parent.mkdir(parents=True, exist_ok=True)
    with layout.intake_log.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "reason"])
        writer.writerows([entry.path, entry.reason] for entry in scan.log)
    return dg.MaterializeResult(
        metadata={
            "packages_in_landing": len(scan.packages),
            "unrecognised_entries": len(scan.log),
            "periods": ", ".join(periods),
            "intake_log": dg.MetadataValue.path(str(layout.intake_log)),
        }
    )


@dg.asset(
    partitions_def=state_period_partitions,
    backfill_policy=SINGLE_RUN,
    kinds={"python"},
    group_name="ingest",
    pool=WRITER_POOL,
    description="New package versions of each partition: numbered, identified by SHA-256, archived.",
)
def package_versions(
    context: dg.AssetExecutionContext, settings: LandscapeSettings, warehouse: WarehouseResource
) -> dict[str, ReceivedPartition]:
    partitions = run_partitions(context)
    scan = scan_landing(settings.layout.landing, [(state, period) for _, state, period in partitions])
    received: dict[str, ReceivedPartition] = {}
    with warehouse.connect() as con:
        for key, state, period in partitions:
            try:
                received[key] = receive_partition(
                    scan,
                    state,
                    period,
                    package_history(con, state, period),
                    settings.layout,
                    archive_only=settings.archive_only,
                )
            except RosterError as error:
                raise dg.Failure(
                    description=f"{state} roster.csv cannot be used, so {state}'s new packages "
                    f"were left in the landing tree untouched: {error}"
                ) from error
    new = [v for r in received.values() for v in r.new]
    context.add_output_metadata(
        {
            "partitions": len(received),
            "packages_seen": sum(
                1 for p in scan.packages if (p.state, p.period) in {(s, f) for _, s, f in partitions}
            ),
            "new_versions": len(new),
            "duplicates": sum(v.is_duplicate for v in new),
        }
    )
    return received
