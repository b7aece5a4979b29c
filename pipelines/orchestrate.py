"""`landscape run`: materialize everything for the configured landing, in-process, partition by partition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from pipelines.defs.jobs import INGEST_ASSETS, REFRESH_ASSETS
from pipelines.defs.partitions import partition_key
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import pending_partitions
from pipelines.warehouse.connection import connect
from pipelines.warehouse.history import package_history


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
            return event.step_failure_data.error.message.strip()
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if failed_checks:
        return f"asset check {failed_checks[0].check_name} failed"
    return "run failed"


def _warehouse_counts(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path[-1] == "warehouse_partition":
            return {k: int(v.value) for k, v in materialization.metadata.items()
                    if k in ("new", "accepted", "rejected", "duplicate")}
    return {}


def _pending(scan, settings, wanted: frozenset[str]) -> list[tuple[str, str]]:
    """Partitions with new or changed packages; all of them when the warehouse does not exist yet."""
    warehouse = settings.layout.warehouse
    if not warehouse.exists():
        return sorted({(p.period, p.state) for p in scan.packages if not wanted or p.state in wanted})
    with connect(warehouse, read_only=True) as con:
        return pending_partitions(scan, lambda state, period: package_history(con, state, period), wanted)


# In-process runs log to the console at DEBUG by default; operators read the summary table instead, and the
# full event log stays in the Dagster instance for the UI.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def run_everything(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    resources: dict,
    on_partition: Callable[[PartitionOutcome, int, int], None] | None = None,
) -> RunSummary:
    """Scan the landing tree, ingest every state x period with new or changed packages (earlier periods first,
    since W04 looks back), then refresh marts, the published copy and the reports. A partition whose roster
    cannot be used fails and keeps failing, untouched, until the roster is fixed."""
    settings = resources["settings"]
    scan = scan_landing(settings.layout.landing)
    wanted = settings.state_filter
    partitions = _pending(scan, settings, wanted)
    known = set(instance.get_dynamic_partitions("period"))
    if new_periods := sorted({period for period, _ in partitions} - known):
        instance.add_dynamic_partitions("period", new_periods)

    all_assets = list(defs.assets or []) + list(defs.asset_checks or [])
    ingest_keys = [a.key for a in INGEST_ASSETS]
    ingest_selection = dg.AssetSelection.assets(*ingest_keys) | dg.AssetSelection.checks_for_assets(*ingest_keys)
    outcomes: list[PartitionOutcome] = []
    for index, (period, state) in enumerate(partitions, start=1):
        result = dg.materialize(all_assets, selection=ingest_selection, instance=instance,
                                partition_key=partition_key(state, period), resources=resources,
                                raise_on_error=False, run_config=QUIET_RUN_CONFIG, tags={"landscape/trigger": "landscape run"})
        outcome = PartitionOutcome(state, period, result.success, _warehouse_counts(result),
                                   "" if result.success else _failure_message(result))
        outcomes.append(outcome)
        if on_partition:
            on_partition(outcome, index, len(partitions))

    refresh_keys = [a.key for a in REFRESH_ASSETS]
    refresh = dg.materialize(all_assets, selection=dg.AssetSelection.assets(*refresh_keys), instance=instance,
                             resources=resources, raise_on_error=False, run_config=QUIET_RUN_CONFIG,
                             tags={"landscape/trigger": "landscape run"})
    return RunSummary(outcomes, refresh.success, "" if refresh.success else _failure_message(refresh))
