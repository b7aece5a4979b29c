"""`landscape run`: materialize everything for the configured landing, in-process.

New or changed partitions are ingested one period at a time, earliest first (W04 looks back at the previous
period), each period in as few runs as possible: one run per contiguous range of its partitions. A state
whose roster cannot be used is kept out of the ranges and run on its own, so it fails alone, naming the
roster's problem, while every other state loads. Then marts, the published copy and the reports refresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import dagster as dg

from pipelines.defs.automation.jobs import INGEST_ASSETS
from pipelines.defs.feedback.assets import missing_feedback
from pipelines.defs.ingest.assets import intake_log
from pipelines.defs.partitions import register_periods, state_period_partitions
from pipelines.defs.reports.assets import landscape_reports
from pipelines.defs.run_plan import RANGE_END, RANGE_START, pending_partitions_of, plan_runs, run_weights
from pipelines.defs.run_plan import unusable_rosters as _unusable_rosters
from pipelines.defs.warehouse.assets import marts, partition_counts, published_warehouse
from pipelines.ingest.landing import LandingScan, scan_landing
from pipelines.paths import HomeLayout
from pipelines.runtime.recovery import process_tags
from pipelines.runtime.run_log import RunLog

# In-process runs log to the console at DEBUG by default; operators read one line per failure instead (the
# stack traces go to the run's log file), and the full event log stays in the Dagster instance for the UI.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class PartitionOutcome:
    state: str
    period: str
    success: bool
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""


@dataclass
class PhaseOutcome:
    name: str  # marts, publish, reports
    success: bool
    seconds: float = 0.0
    error: str = ""
    skipped: bool = False


@dataclass
class RunSummary:
    partitions: list[PartitionOutcome]
    phases: list[PhaseOutcome] = field(default_factory=list)
    unchanged_packages: int = 0

    @property
    def refresh_ok(self) -> bool:
        return all(p.success for p in self.phases)

    @property
    def refresh_error(self) -> str:
        return "; ".join(f"{p.name}: {p.error}" for p in self.phases if not p.success and not p.skipped)

    @property
    def success(self) -> bool:
        return self.refresh_ok and all(p.success for p in self.partitions)


class Progress(Protocol):
    """What a caller hears while `run_everything` works (the CLI prints it; tests may ignore it)."""

    def phase_started(self, name: str, total: int | None = None, unchanged: int = 0) -> None: ...

    def partition_done(self, outcome: PartitionOutcome, index: int, total: int) -> None: ...

    def phase_done(self, outcome: PhaseOutcome) -> None: ...


class _Silent:
    def phase_started(self, name: str, total: int | None = None, unchanged: int = 0) -> None:
        pass

    def partition_done(self, outcome: PartitionOutcome, index: int, total: int) -> None:
        pass

    def phase_done(self, outcome: PhaseOutcome) -> None:
        pass


FailureHook = Callable[[dg.ExecuteInProcessResult, str | None, str], None]


def failure_details(result: dg.ExecuteInProcessResult) -> str:
    """Everything the run's failures say, stack traces included (for the run's log file, never the screen)."""
    parts = [
        f"step {event.step_key}:\n{event.step_failure_data.error.to_string()}"
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
    ]
    return "\n".join(parts) or _failure_message(result)


def _operator_message(error) -> str:
    """What the step raised, in one line: a dg.Failure's own description (it is written for the operator),
    else the innermost error with its type (Dagster wraps what the step raised)."""
    while error.cause is not None and error.cls_name != "Failure":
        error = error.cause
    text = error.message.strip()
    if error.cls_name == "Failure":
        text = text.split(": ", 1)[-1] if text.split(": ", 1)[0].endswith("Failure") else text
    else:
        text = text.split(": ", 1)[-1] if ": " in text else text
        text = f"{error.cls_name}: {text}"
    return " ".join(text.split())


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            return f"{event.step_key}: {_operator_message(event.step_failure_data.error)}"
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


def _pending(
    scan: LandingScan, settings, warehouse_path: str, wanted: frozenset[str]
) -> list[tuple[str, str]]:
    return pending_partitions_of(scan, settings.layout.archive, Path(warehouse_path), wanted)


REFRESH_PHASES = {
    "marts": [intake_log, missing_feedback, marts],
    "publish": [published_warehouse],
    "reports": [landscape_reports],
}


def run_everything(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    resources: dict,
    progress: Progress | None = None,
    on_failure: FailureHook | None = None,
    tags: dict[str, str] | None = None,
    interrupted: Callable[[], bool] = lambda: False,
    refresh_after_failures: bool = True,
) -> RunSummary:
    """Ingest every state x period with new or changed packages (or archived versions not yet loaded), then
    refresh marts, the published copy and the reports, each phase a run of its own: a failed report leaves
    the marts and the published copy refreshed. With settings.archive_only (a rebuild) the landing tree is
    not read and everything archived is loaded.

    on_failure(result, partition, message) hears every failed run; `interrupted` is asked between runs.
    With refresh_after_failures=False, a failed partition leaves marts, publish and reports unrun.
    """
    progress = progress or _Silent()
    settings = resources["settings"]
    scan = LandingScan() if settings.archive_only else scan_landing(settings.layout.landing)
    pending = _pending(scan, settings, resources["warehouse"].path, settings.state_filter)
    register_periods(instance, {period for period, _ in pending})
    keys = [str(k) for k in state_period_partitions.get_partition_keys(dynamic_partitions_store=instance)]
    pending_set = set(pending)
    unchanged = sum(
        1
        for ref in scan.packages
        if (ref.period, ref.state) not in pending_set
        and (not settings.state_filter or ref.state in settings.state_filter)
    )

    all_assets = list(defs.assets or []) + list(defs.asset_checks or [])
    ingest_keys = list(INGEST_ASSETS)
    ingest_selection = dg.AssetSelection.assets(*ingest_keys) | dg.AssetSelection.checks_for_assets(
        *ingest_keys
    )
    run_tags = {"landscape/trigger": "landscape run", **process_tags(), **(tags or {})}

    def materialize(selection: dg.AssetSelection, extra: dict[str, str]) -> dg.ExecuteInProcessResult:
        result = dg.materialize(
            all_assets,
            selection=selection,
            instance=instance,
            resources=resources,
            raise_on_error=False,
            run_config=QUIET_RUN_CONFIG,
            tags={**run_tags, **extra},
        )
        if interrupted():
            raise KeyboardInterrupt
        return result

    outcomes: list[PartitionOutcome] = []

    def ingest(first: str, last: str) -> dg.ExecuteInProcessResult:
        result = materialize(ingest_selection, {RANGE_START: first, RANGE_END: last})
        if not result.success and on_failure:
            on_failure(result, first if first == last else f"{first}...{last}", _failure_message(result))
        return result

    def record(key: str, result: dg.ExecuteInProcessResult) -> None:
        period, state = key.split("|")
        error = "" if result.success else _failure_message(result)
        outcome = PartitionOutcome(state, period, result.success, _loaded_counts(result).get(key, {}), error)
        outcomes.append(outcome)
        progress.partition_done(outcome, len(outcomes), len(pending))

    progress.phase_started("ingest", len(pending), unchanged)
    weights = run_weights(scan, settings.layout.archive, pending)
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

    phases: list[PhaseOutcome] = []
    loaded = all(p.success for p in outcomes)
    for name, assets in REFRESH_PHASES.items():
        if not loaded and not refresh_after_failures:
            phases.append(PhaseOutcome(name, False, error="not run: a partition failed", skipped=True))
            continue
        if phases and not phases[-1].success:
            phases.append(PhaseOutcome(name, False, error=f"not run: {phases[-1].name} failed", skipped=True))
            continue
        progress.phase_started(name)
        started = time.monotonic()
        result = materialize(dg.AssetSelection.assets(*(a.key for a in assets)), {})
        error = "" if result.success else _failure_message(result)
        if error and on_failure:
            on_failure(result, None, error)
        phases.append(PhaseOutcome(name, result.success, time.monotonic() - started, error))
        progress.phase_done(phases[-1])
    return RunSummary(outcomes, phases, unchanged)


def alert_on_failure(layout: HomeLayout, run_log: RunLog) -> FailureHook:
    """The failure hook of a CLI run: the same alert as a daemon run's, the stack traces in the log file."""
    from pipelines.alerts import raise_alert

    def on_failure(result, partition: str | None, message: str) -> None:
        run = result.dagster_run
        run_log.write(
            f"run {run.run_id} ({partition or 'refresh'}) failed: {message}\n{failure_details(result)}"
        )
        try:
            raise_alert(run.run_id, "landscape run", partition, message, layout.alerts)
        except OSError as error:  # an unreachable mail server must not hide the failure itself
            run_log.write(f"alert for run {run.run_id} could not be sent: {error}")

    return on_failure
