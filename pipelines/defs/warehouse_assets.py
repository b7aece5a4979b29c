"""Warehouse domain: partition loads, marts, the published read-only copy, grantee feedback."""


from pathlib import Path

import dagster as dg

from pipelines.defs.ingest_assets import validated_packages
from pipelines.defs.partitions import WRITER_POOL, state_period_partitions
from pipelines.defs.resources import LandscapeSettings, WarehouseResource
from pipelines.feedback.partition_feedback import write_partition_feedback
from pipelines.ingest.partition import PartitionIntake
from pipelines.warehouse.load import load_partition, load_roster
from pipelines.warehouse.marts import build_marts
from pipelines.warehouse.publish import publish


@dg.asset(partitions_def=state_period_partitions, group_name="warehouse", pool=WRITER_POOL,
          deps=[validated_packages],
          description="The partition's versions, findings, raw rows and current facts: delete-then-insert in "
                      "one transaction, so a failed load leaves the previous data intact.")
def warehouse_partition(context: dg.AssetExecutionContext, validated_packages: PartitionIntake,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    intake = validated_packages
    with warehouse.connect() as con:
        if intake.roster is not None:
            load_roster(con, intake.state, intake.roster)
        counts = load_partition(con, intake.state, intake.period, intake.new_versions, intake.batch,
                                intake.raw_tables)
    return dg.MaterializeResult(metadata={**intake.counts, **{f"rows_{k}": v for k, v in counts.items()}})


@dg.asset(partitions_def=state_period_partitions, group_name="validate", deps=[warehouse_partition],
          description="findings.html and findings.csv for every new package version, for the grantee.")
def grantee_feedback(context: dg.AssetExecutionContext, validated_packages: PartitionIntake,
                     settings: LandscapeSettings) -> dg.MaterializeResult:
    written = write_partition_feedback(settings.layout.feedback, validated_packages)
    return dg.MaterializeResult(metadata={"feedback_files": len(written),
                                          "feedback_dir": dg.MetadataValue.path(str(settings.layout.feedback))})


@dg.asset(group_name="warehouse", pool=WRITER_POOL, deps=[warehouse_partition],
          description="Marts by state, program type, region and funding source, rebuilt from the core facts.")
def marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        rows = build_marts(con)
    return dg.MaterializeResult(metadata={f"rows_{name}": count for name, count in rows.items()})


@dg.asset(group_name="warehouse", pool=WRITER_POOL, deps=[marts],
          description="Read-only copy of the warehouse and one Parquet file per mart, atomically replaced.")
def published_warehouse(context: dg.AssetExecutionContext, settings: LandscapeSettings,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    result = publish(Path(warehouse.path), settings.layout.published)
    return dg.MaterializeResult(metadata={k: (dg.MetadataValue.path(str(v)) if "path" in k else v)
                                          for k, v in result.items()})
