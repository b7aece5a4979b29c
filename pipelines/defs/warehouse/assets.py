"""Warehouse group: partition loads, marts and the published read-only copy."""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.defs.partitions import SINGLE_RUN, WRITER_POOL, run_partitions, state_period_partitions
from pipelines.defs.resources import LandscapeSettings, WarehouseResource
from pipelines.ingest.archive import archive_roster, latest_roster
from pipelines.ingest.landing import landing_states, scan_landing
from pipelines.intake import PartitionIntake
from pipelines.package_status import STATUSES
from pipelines.validate.roster import RosterError, read_roster
from pipelines.warehouse.incoming import PartitionLoad
from pipelines.warehouse.load import load_partitions, load_rosters
from pipelines.warehouse.marts import STATE_FILE, refresh_marts
from pipelines.warehouse.publish import publish

COUNTED = ("new", *STATUSES)


@dg.asset(
    partitions_def=state_period_partitions,
    backfill_policy=SINGLE_RUN,
    kinds={"duckdb"},
    group_name="warehouse",
    pool=WRITER_POOL,
    deps=[dg.AssetKey("validated_packages")],
    description="Each partition's versions, findings, raw rows and current facts: delete-then-insert, the "
    "run's partitions in one transaction, so a failed load leaves the warehouse as it was.",
)
def warehouse_partition(
    context: dg.AssetExecutionContext,
    validated_packages: dict[str, PartitionIntake],
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    partitions = run_partitions(context)
    intakes = [validated_packages[key] for key, _, _ in partitions]
    loads = [
        PartitionLoad(state, period, intake.new_versions, intake.batch, intake.raw_tables)
        for (_, state, period), intake in zip(partitions, intakes, strict=True)
    ]
    # The run's partitions in one transaction, one statement per step and period (not per partition).
    with warehouse.connect() as con:
        loaded = load_partitions(con, loads)
    per_partition = {key: intake.counts for (key, _, _), intake in zip(partitions, intakes, strict=True)}
    rows: dict[str, int] = {}
    for counts in loaded:
        for name, count in counts.items():
            rows[name] = rows.get(name, 0) + count
    totals = {name: sum(c[name] for c in per_partition.values()) for name in COUNTED}
    return dg.MaterializeResult(
        metadata={
            **totals,
            **{f"rows_{k}": v for k, v in rows.items()},
            "partition_counts": dg.MetadataValue.json(per_partition),
        }
    )


def _current_rosters(
    context: dg.AssetExecutionContext, settings: LandscapeSettings
) -> dict[str, pl.DataFrame]:
    """Each state's last roster read: a roster file in the landing tree is read (and archived when its
    content is new); a state whose roster file is unusable, missing or whose folder is gone keeps the last
    one archived. A roster changes only when a roster file is read."""
    layout = settings.layout
    # Each state's folder with no period named: its roster file alone, no package folder entered, so a
    # refresh costs what the rosters cost, not what the whole landing holds.
    roster_only = [(state, "") for state in landing_states()]
    files = {} if settings.archive_only else scan_landing(layout.landing, roster_only).rosters
    read: dict[str, tuple[str, pl.DataFrame]] = {}
    for state, path in sorted(files.items()):
        try:
            roster = read_roster(path)
        except RosterError as error:
            context.log.warning(f"{state} roster kept at its last good version: {error}")
            continue
        read[state] = (archive_roster(layout.archive, state, path, datetime.now(UTC)), roster)
    rosters = {}
    for state in landing_states():
        if latest := latest_roster(layout.archive, state):
            tag, copy = latest
            # The archived copy is the file just read when the archive says so: it is not parsed twice.
            rosters[state] = read[state][1] if state in read and read[state][0] == tag else read_roster(copy)
    return rosters


@dg.asset(
    kinds={"duckdb"},
    group_name="warehouse",
    pool=WRITER_POOL,
    deps=[dg.AssetKey("warehouse_partition")],
    description="Rosters as they are in the landing tree, then the marts by state, program type, region "
    "and funding source, rebuilt from the core facts.",
)
def marts(
    context: dg.AssetExecutionContext, settings: LandscapeSettings, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    rosters = _current_rosters(context, settings)
    with warehouse.connect() as con:
        load_rosters(con, rosters)
        rows = refresh_marts(con, Path(warehouse.path).parent / STATE_FILE)
    return dg.MaterializeResult(
        metadata={
            "rosters": sum(r.height > 0 for r in rosters.values()),
            **{f"rows_{name}": count for name, count in rows.items()},
        }
    )


@dg.asset(
    kinds={"duckdb", "parquet"},
    group_name="warehouse",
    pool=WRITER_POOL,
    deps=[marts],
    description="The analysts' restricted exact copy (analyst/): read-only warehouse and one Parquet file per mart and period (parquet/<mart>/<period>.parquet), each atomically replaced. Not public: the report site is the publication.",
)
def published_warehouse(
    context: dg.AssetExecutionContext, settings: LandscapeSettings, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    result = publish(
        Path(warehouse.path), settings.layout.analyst, legacy_dir=settings.layout.legacy_published
    )
    return dg.MaterializeResult(
        metadata={k: (dg.MetadataValue.path(str(v)) if "path" in k else v) for k, v in result.items()}
    )


def partition_counts(metadata: dict) -> dict[str, dict[str, int]]:
    """The per-partition counts a warehouse_partition materialization recorded."""
    value = metadata.get("partition_counts")
    data = value.value if value is not None else {}
    return json.loads(data) if isinstance(data, str) else dict(data)
