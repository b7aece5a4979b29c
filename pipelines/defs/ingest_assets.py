"""Ingest domain: the landing tree, new package versions and their validation, per state x period."""


import csv
from datetime import date

import dagster as dg

from pipelines.defs.partitions import WRITER_POOL, state_and_period, state_period_partitions
from pipelines.defs.resources import LandscapeSettings, WarehouseResource
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.partition import (
    PartitionIntake,
    ReceivedPartition,
    receive_partition,
    validate_partition,
)
from pipelines.validate.roster import RosterError
from pipelines.warehouse.history import package_history, previous_funding


@dg.asset(group_name="ingest", description="Scan of the whole landing tree: registers period partitions and "
          "writes the intake log of everything that is not a roster, state, period or package.")
def intake_log(context: dg.AssetExecutionContext, settings: LandscapeSettings) -> dg.MaterializeResult:
    layout = settings.layout
    scan = scan_landing(layout.landing)
    periods = sorted({p.period for p in scan.packages})
    known = set(context.instance.get_dynamic_partitions("period"))
    if new_periods := [p for p in periods if p not in known]:
        context.instance.add_dynamic_partitions("period", new_periods)
    layout.intake_log.parent.mkdir(parents=True, exist_ok=True)
    with layout.intake_log.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "reason"])
        writer.writerows([entry.path, entry.reason] for entry in scan.log)
    return dg.MaterializeResult(metadata={
        "packages_in_landing": len(scan.packages),
        "unrecognised_entries": len(scan.log),
        "periods": ", ".join(periods),
        "intake_log": dg.MetadataValue.path(str(layout.intake_log)),
    })


@dg.asset(partitions_def=state_period_partitions, group_name="ingest", pool=WRITER_POOL,
          description="New package versions of the partition: numbered, identified by SHA-256, archived.")
def package_versions(context: dg.AssetExecutionContext, settings: LandscapeSettings,
                     warehouse: WarehouseResource) -> ReceivedPartition:
    state, period = state_and_period(context)
    scan = scan_landing(settings.layout.landing)
    with warehouse.connect() as con:
        history = package_history(con, state, period)
    try:
        received = receive_partition(scan, state, period, history, settings.layout)
    except RosterError as error:
        raise dg.Failure(description=f"{state} roster.csv cannot be used, so {state}'s new packages were left "
                                     f"in the landing tree untouched: {error}") from error
    context.add_output_metadata({
        "packages_seen": sum(1 for p in scan.packages if p.state == state and p.period == period),
        "new_versions": len(received.new),
        "duplicates": sum(v.is_duplicate for v in received.new),
    })
    return received


@dg.asset(partitions_def=state_period_partitions, group_name="validate", pool=WRITER_POOL,
          description="Every new version read and validated against the contract, as one batch.")
def validated_packages(context: dg.AssetExecutionContext, package_versions: ReceivedPartition,
                       warehouse: WarehouseResource) -> PartitionIntake:
    grantees = sorted({v.grantee_id for v in package_versions.new})
    with warehouse.connect() as con:
        funding_before = previous_funding(con, grantees, package_versions.period)
    intake = validate_partition(package_versions, funding_before, date.today())
    counts = intake.counts
    context.add_output_metadata({
        "accepted": counts["accepted"], "rejected": counts["rejected"], "duplicate": counts["duplicate"],
        "findings": intake.batch.findings.height,
    })
    return intake
