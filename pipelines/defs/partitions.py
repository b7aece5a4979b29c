"""State x period partitions. Periods are dynamic: a new FY folder in the landing tree adds one."""

import dagster as dg

from pipelines.ingest.landing import landing_states

WRITER_POOL = "duckdb_writer"


period_partitions = dg.DynamicPartitionsDefinition(name="period")
state_partitions = dg.StaticPartitionsDefinition(sorted(landing_states()))
state_period_partitions = dg.MultiPartitionsDefinition(
    {"period": period_partitions, "state": state_partitions}
)


def register_periods(instance: dg.DagsterInstance, periods) -> list[str]:
    """Add the period partitions the instance does not know yet; returns the ones added."""
    new = sorted(set(periods) - set(instance.get_dynamic_partitions(period_partitions.name)))
    if new:
        instance.add_dynamic_partitions(period_partitions.name, new)
    return new


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
