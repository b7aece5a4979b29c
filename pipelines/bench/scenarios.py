"""The timed scenarios: full rebuild, one resubmitted package end to end, the report site alone."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.defs.automation.jobs import INGEST_ASSETS
from pipelines.defs.partitions import partition_key
from pipelines.defs.reports.assets import landscape_reports
from pipelines.defs.resources import resources_for
from pipelines.defs.warehouse.assets import marts, published_warehouse
from pipelines.orchestrate import QUIET_RUN_CONFIG, RunSummary, run_everything
from pipelines.paths import HomeLayout
from pipelines.reports.site import build_site

# A resubmission needs the current figures and the state's report: marts, the published copy and the site.
# The landing scan of intake_log is left out; it lists unrecognised entries and changes no figure.
INCREMENTAL_REFRESH = [marts, published_warehouse, landscape_reports]
TAGS = {"landscape/trigger": "benchmark"}


@dataclass
class Timed:
    seconds: float
    success: bool
    run_ids: list[str] = field(default_factory=list)
    detail: dict = field(default_factory=dict)


def _all_assets(defs: dg.Definitions) -> list:
    return list(defs.assets or []) + list(defs.asset_checks or [])


def full_rebuild(defs: dg.Definitions, instance: dg.DagsterInstance, home: Path, landing: Path) -> Timed:
    started = time.perf_counter()
    summary: RunSummary = run_everything(defs, instance, resources_for(home, landing))
    seconds = time.perf_counter() - started
    failed = [f"{p.state} {p.period}: {p.error}" for p in summary.partitions if not p.success]
    return Timed(
        seconds,
        summary.success,
        detail={
            "partitions": len(summary.partitions),
            "failed_partitions": failed[:10],
            "refresh_error": summary.refresh_error,
            "accepted": sum(p.counts.get("accepted", 0) for p in summary.partitions),
            "rejected": sum(p.counts.get("rejected", 0) for p in summary.partitions),
            "duplicate": sum(p.counts.get("duplicate", 0) for p in summary.partitions),
        },
    )


def _partition_counts(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path[-1] == "warehouse_partition":
            return {
                k: int(v.value)
                for k, v in materialization.metadata.items()
                if k in ("new", "accepted", "rejected", "duplicate")
            }
    return {}


def _refresh(
    defs: dg.Definitions, instance: dg.DagsterInstance, resources: dict
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        _all_assets(defs),
        selection=dg.AssetSelection.assets(*INCREMENTAL_REFRESH),
        instance=instance,
        resources=resources,
        raise_on_error=False,
        run_config=QUIET_RUN_CONFIG,
        tags=TAGS,
    )


def refresh(defs: dg.Definitions, instance: dg.DagsterInstance, home: Path, landing: Path) -> bool:
    """Marts, the published copy and the site of a home, as a scheduled refresh would leave them."""
    return _refresh(defs, instance, resources_for(home, landing)).success


def incremental(
    defs: dg.Definitions, instance: dg.DagsterInstance, home: Path, landing: Path, state: str, period: str
) -> Timed:
    """One partition's ingest (detect, validate, load, feedback), then marts, publish and the report site."""
    resources = resources_for(home, landing)
    if period not in instance.get_dynamic_partitions("period"):
        instance.add_dynamic_partitions("period", [period])
    keys = list(INGEST_ASSETS)
    selection = dg.AssetSelection.assets(*keys) | dg.AssetSelection.checks_for_assets(*keys)
    state_page = HomeLayout(home, landing).reports / "states" / f"{state}.html"
    started = time.perf_counter()
    ingest = dg.materialize(
        _all_assets(defs),
        selection=selection,
        instance=instance,
        partition_key=partition_key(state, period),
        resources=resources,
        raise_on_error=False,
        run_config=QUIET_RUN_CONFIG,
        tags=TAGS,
    )
    ingested = time.perf_counter()
    refreshed = _refresh(defs, instance, resources)
    finished = time.perf_counter()
    counts = _partition_counts(ingest)
    page_fresh = state_page.is_file() and state_page.stat().st_mtime >= time.time() - (finished - started) - 1
    return Timed(
        finished - started,
        ingest.success and refreshed.success,
        [ingest.run_id, refreshed.run_id],
        {
            "ingest_s": round(ingested - started, 3),
            "refresh_s": round(finished - ingested, 3),
            "partition_counts": counts,
            "detected": counts.get("new") == 1 and counts.get("accepted") == 1,
            "state_report_rewritten": page_fresh,
        },
    )


def report_site(published_warehouse_file: Path, out_dir: Path) -> Timed:
    started = time.perf_counter()
    result = build_site(published_warehouse_file, out_dir, run_id="benchmark")
    return Timed(
        time.perf_counter() - started,
        True,
        detail={
            "pages": len(result.pages),
            "downloads": len(result.downloads),
            "disclosure_audit_s": round(result.audit_seconds, 3),
            "hidden_cells": result.audit.hidden if result.audit else 0,
            "relations": result.audit.relations if result.audit else 0,
            "linear_programs": result.audit.lp_solves if result.audit else 0,
            "integer_programs": result.audit.ip_solves if result.audit else 0,
        },
    )


def last_periods_landing(landing: Path, target: Path, periods: list[str]) -> Path:
    """A landing tree holding only the given periods of every state (and each state's roster), for the
    profiled rebuild; file times are kept, so the packages arrive in the same order."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for state in sorted(p for p in landing.iterdir() if p.is_dir()):
        for entry in state.iterdir():
            if entry.is_dir() and entry.name in periods:
                shutil.copytree(entry, target / state.name / entry.name, copy_function=shutil.copy2)
            elif entry.is_file():
                (target / state.name).mkdir(exist_ok=True)
                shutil.copy2(entry, target / state.name / entry.name)
    return target


def disclosure_audit(site: Timed) -> Timed:
    """The disclosure audit runs inside every build_site, before the site is published (it can stop it); its
    own time is the LP/IP intervals of every hidden count plus reading every published file back."""
    keys = ("hidden_cells", "relations", "linear_programs", "integer_programs")
    return Timed(site.detail["disclosure_audit_s"], True, detail={k: site.detail[k] for k in keys})
