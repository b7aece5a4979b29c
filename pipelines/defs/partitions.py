"""State x period partitions. Periods are dynamic: a new FY folder in the landing tree adds one."""


import csv

import dagster as dg

from pipelines.paths import REFERENCE_DIR

WRITER_POOL = "duckdb_writer"


def landing_states() -> list[str]:
    """The 50 states, DC and PR: the jurisdictions with county reference data."""
    with (REFERENCE_DIR / "counties.csv").open(newline="", encoding="utf-8") as fh:
        return sorted({row["state"] for row in csv.DictReader(fh)})


period_partitions = dg.DynamicPartitionsDefinition(name="period")
state_partitions = dg.StaticPartitionsDefinition(landing_states())
state_period_partitions = dg.MultiPartitionsDefinition({"period": period_partitions, "state": state_partitions})


def partition_key(state: str, period: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"state": state, "period": period})


def state_and_period(context: dg.AssetExecutionContext) -> tuple[str, str]:
    keys = context.partition_key.keys_by_dimension
    return keys["state"], keys["period"]
