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
state_period_partitions = dg.MultiPartitionsDefinition(
    {"period": period_partitions, "state": state_partitions}
)


def partition_key(state: str, period: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"state": state, "period": period})


def run_partitions(context) -> list[tuple[str, str, str]]:
    """(partition key, state, period) of every partition in the run, earlier periods first.

    One run may carry many partitions (a single-run backfill); W04 looks back at earlier periods, so they
    are always handled first.
    """
    keys = [
        (str(k), k.keys_by_dimension["state"], k.keys_by_dimension["period"]) for k in context.partition_keys
    ]
    return sorted(keys, key=lambda item: (item[2], item[1]))


# Ingest assets take all the run's partitions in one step: the per-run cost is paid once, not per partition.
SINGLE_RUN = dg.BackfillPolicy.single_run()
