"""`landscape run`: materialize everything for the configured landing, in-process.

New or changed partitions are ingested one period at a time, earliest first (W04 looks back at the previous
period), each period in as few runs as possible: one run per contiguous range of its partitions. A state
whose roster cannot be used is kept out of the ranges and run on its own, so it fails alone, naming the
roster's problem, while every other state loads. Then marts, the published copy and the reports refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from pipelines.defs.automation.jobs import INGEST_ASSETS, REFRESH_ASSETS
from pipelines.defs.partitions import register_periods, state_period_partitions
from pipelines.defs.run_plan import RANGE_END, RANGE_START, pending_in_warehouse, plan_runs
from pipelines.defs.run_plan import unusable_rosters as _unusable_rosters
from pipelines.defs.warehouse.assets import partition_counts
from pipelines.ingest.landing import LandingScan, scan_landing
from pipelines.ingest.pending import partitions_with_packages

# In-process runs log to the console at DEBUG by default; operators read the summary table instead, and the
# full event log stays in the Dagster instance for the UI.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class PartitionOutcome:
    state: str
    period: str
    success: bool
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""


@dataclass
class RunSummary:
    partitions: list[PartitionOutcome]
    refresh_ok: bool
    refresh_error: str = ""

    @property
    def success(self) -> bool:
        return self.refresh_ok and all(p.success for p in self.partitions)


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None:  # Dagster wraps what the step raised; the operator needs that
                error = error.cause
            return f"{event.step_key}: {error.message.strip()}"
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if failed_checks:
        return f"asset check {failed_checks[0].check_name} failed"
    return "run failed"


def _loaded_counts(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, int]]:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path[-1] == "warehouse_partition":
            return partition_counts(materialization.metadata)
    return {}


def _pending(scan: LandingScan, settings, wanted: frozenset[str]) -> list[tuple[str, str]]:
    """Partitions with new or changed packages; all of them when the warehouse does not exist yet."""
    warehouse = settings.layout.warehouse
    if not warehouse.exists():
        return partitions_with_packages(scan, wanted)
    return pending_in_warehouse(warehouse, scan, wanted)


def run_everything(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    resources: dict,
    on_partition: Callable[[PartitionOutcome, int, int], None] | None = None,
) -> RunSummary:
    """Ingest every state x period with new or changed packages, then refresh marts, published copy, reports."""
    settings = resources["settings"]
    scan = scan_landing(settings.layout.landing)
    pending = _pending(scan, settings, settings.state_filter)
    register_periods(instance, {period for period, _ in pending})
    keys = [str(k) for k in state_period_partitions.get_partition_keys(dynamic_partitions_store=instance)]

    all_assets = list(defs.assets or []) + list(defs.asset_checks or [])
    ingest_keys = [a.key for a in INGEST_ASSETS]
    ingest_selection = dg.AssetSelection.assets(*ingest_keys) | dg.AssetSelection.checks_for_assets(
        *ingest_keys
    )
    pending_set = set(pending)
    outcomes: list[PartitionOutcome] = []
    weights: dict[tuple[str, str], int] = {}
    for ref in scan.packages:
        weights[(ref.period, ref.state)] = weights.get((ref.period, ref.state), 0) + 1

    def ingest(first: str, last: str) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            all_assets,
            selection=ingest_selection,
            instance=instance,
            resources=resources,
            raise_on_error=False,
            run_config=QUIET_RUN_CONFIG,
            tags={RANGE_START: first, RANGE_END: last, "landscape/trigger": "landscape run"},
        )

    def record(key: str, result: dg.ExecuteInProcessResult) -> None:
        period, state = key.split("|")
        error = "" if result.success else _failure_message(result)
        outcome = PartitionOutcome(state, period, result.success, _loaded_counts(result).get(key, {}), error)
        outcomes.append(outcome)
        if on_partition:
            on_partition(outcome, len(outcomes), len(pending))

    for first, last in plan_runs(pending, _unusable_rosters(scan), keys, weights):
        # Partitions swept along by a range have nothing new; they are neither reported nor retried.
        wanted = [
            k for k in keys[keys.index(first) : keys.index(last) + 1] if tuple(k.split("|")) in pending_set
        ]
        result = ingest(first, last)
        if result.success or len(wanted) == 1:
            for key in wanted:
                record(key, result)
            continue
        # A failed range loaded nothing: retry its partitions one by one, so a failure stays with its own
        # partition and every other one still loads.
        for key in wanted:
            record(key, ingest(key, key))

    refresh_keys = [a.key for a in REFRESH_ASSETS]
    refresh = dg.materialize(
        all_assets,
        selection=dg.AssetSelection.assets(*refresh_keys),
        instance=instance,
        resources=resources,
        raise_on_error=False,
        run_config=QUIET_RUN_CONFIG,
        tags={"landscape/trigger": "landscape run"},
    )
    return RunSummary(outcomes, refresh.success, "" if refresh.success else _failure_message(refresh))
