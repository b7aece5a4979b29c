"""Stage timings from the Dagster instance: seconds per step (asset), summed over the runs asked about."""

from __future__ import annotations

import dagster as dg


def step_seconds(instance: dg.DagsterInstance, run_ids: list[str]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for run_id in run_ids:
        for stat in instance.get_run_step_stats(run_id):
            if stat.start_time is not None and stat.end_time is not None:
                totals[stat.step_key] = totals.get(stat.step_key, 0.0) + stat.end_time - stat.start_time
    return {key: round(value, 3) for key, value in sorted(totals.items(), key=lambda kv: -kv[1])}


def all_run_ids(instance: dg.DagsterInstance) -> list[str]:
    return [record.dagster_run.run_id for record in instance.get_run_records()]
