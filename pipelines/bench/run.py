"""Run every scenario on one generated landing tree, in order, and gather the figures of bench/results.json."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import dagster as dg

from pipelines.bench.baseline import bulk_read
from pipelines.bench.config import BenchConfig
from pipelines.bench.inflate import inflate_warehouse, link_archive, warehouse_rows
from pipelines.bench.machine import machine, peak_rss_mb, reset_peak_rss, stage_peak_rss_mb
from pipelines.bench.profile import profile
from pipelines.bench.resubmit import pick_package, resubmit
from pipelines.bench.results import TARGETS, summary_lines, targets_met, write_results
from pipelines.bench.scenarios import (
    disclosure_audit,
    full_rebuild,
    incremental,
    last_periods_landing,
    refresh,
    report_site,
)
from pipelines.bench.stages import all_run_ids, step_seconds
from pipelines.generate import GenerationManifest, generate_landing
from pipelines.paths import HomeLayout
from pipelines.reports.site import pipeline_version

NOTES = [
    "baseline_s: the floor, reading everything the pipeline reads into a DuckDB file: every landing CSV "
    "(package folders and rosters) with DuckDB read_csv, one read per table name over the list of its files, "
    "union_by_name and all_varchar (baseline_read_csv_s), plus every sheet of every workbook as text with "
    "fastexcel (calamine), one table per sheet name (baseline_workbooks_s).",
    "full_rebuild_s: pipelines.orchestrate.run_everything on a fresh LANDSCAPE_HOME and an ephemeral Dagster "
    "instance: every state x period partition (intake, read, validate, load, feedback, asset checks), in runs of "
    "up to 1,500 packages, period by period, then intake_log, marts, publish and the report site. "
    "full_rebuild_ratio = full_rebuild_s / baseline_s.",
    "incremental_s: one clean CSV package of the last period, in the state with the most packages, has one people "
    "count raised by one and is rewritten in place; then that partition's ingest assets and checks, then marts, "
    "publish and the report site are materialized (what the sensor and refresh_after_ingest do).",
    "incremental sizes: 1x is the warehouse left by the full rebuild; each larger one is a copy of it in which "
    "every raw, staging and core table keyed by period holds its rows again under earlier fiscal years (the "
    "generated span shifted back), so it holds that many times the rows; its archive is the 1x home's (hard "
    "links: the archive is append-only), so intake finds the partition's recorded identities as in operation. "
    "Its tables are then written again into full row groups, in the same order (the replicating inserts leave "
    "part-filled ones, which DuckDB would merge at the first delete, billing the first resubmission for "
    "rewriting every table). Its marts, published copy and site are built once before the resubmission "
    "(untimed), as in operation.",
    "report_site_s: pipelines.reports.site.build_site alone, from the analysts' copy, into an empty folder.",
    "audit_s: the disclosure audit inside that build_site (LP/IP intervals of every hidden count, then every "
    "published file read back); disclosure_audit_ratio = audit_s / (report_site_s - audit_s), target 0.2.",
    "profile: pyinstrument over a separate, untimed rebuild of the last period(s) into a fresh home "
    "(profile.periods); top_self ranks functions by time in their own code, top_total by time including what "
    "they call. Sampling slows Python code, so no timed figure is profiled.",
    "peak_rss_mb: the largest resident set of the pipeline stages (full rebuild, report site, the incremental "
    "runs), each read as Linux VmHWM after resetting it at the stage's start (peak_rss_mb_by_stage). The "
    "baseline's memory is reported on its own; generation runs in a child process (generation_peak_rss_mb). "
    "peak_rss_process_mb is the whole process. Without /proc, peak_rss_mb falls back to ru_maxrss.",
    "order: generation, full rebuild, report site, audit, baseline, larger warehouses (built and refreshed, "
    "untimed), resubmission, incremental runs from the smallest warehouse up, profile. The baseline runs after "
    "the pipeline so its bulk-read memory does not hide the pipeline's own peak; the page cache is warm for "
    "both, since generation has just written every file. Python's garbage is collected between stages.",
]


def _generate(config: BenchConfig) -> tuple[GenerationManifest, float | None]:
    manifest = generate_landing(
        config.landing,
        seed=config.seed,
        periods=list(config.periods),
        scale=config.scale,
        states=config.generated_states,
    )
    return manifest, stage_peak_rss_mb()


def generate_in_child(config: BenchConfig) -> tuple[GenerationManifest, float | None]:
    """Generate in a child process, so the benchmark's own peak memory is the pipeline's, not the generator's."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_generate, config).result()


def _fresh(config: BenchConfig) -> None:
    if config.work.exists():
        shutil.rmtree(config.work)
    config.work.mkdir(parents=True)


def run_benchmark(config: BenchConfig, log: Callable[[str], None] = print) -> dict:
    from pipelines.definitions import defs

    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "complete": False,
        "pipeline_version": pipeline_version(),  # the git commit measured (uncommitted edits are not shown)
        "machine": machine(),
        "scale": config.scale,
        "periods": list(config.periods),
        "states": list(config.states) or "all",
        "targets": TARGETS,
        "notes": NOTES,
        "peak_rss_mb_by_stage": {},
    }

    def stage_done(name: str) -> None:
        results["peak_rss_mb_by_stage"][name] = stage_peak_rss_mb()
        write_results(results, config.results)
        # Each stage starts without the previous one's garbage: its collection is not billed to the next stage.
        gc.collect()
        reset_peak_rss()

    _fresh(config)
    reset_peak_rss()
    log(f"generating scale {config.scale}, periods {', '.join(config.periods)} into {config.landing} ...")
    started = time.perf_counter()
    manifest, results["generation_peak_rss_mb"] = generate_in_child(config)
    results["generation_s"] = round(time.perf_counter() - started, 3)
    results["packages"] = len(manifest.packages)
    results["grantees"] = len({p.grantee_id for p in manifest.packages})
    results["states_generated"] = len(config.generated_states)
    results["packages_by_kind"] = {k: sum(p.kind == k for p in manifest.packages) for k in ("csv", "xlsx")}
    log(
        f"  {results['packages']:,} packages from {results['grantees']:,} grantees in {results['generation_s']} s"
    )
    stage_done("generation")

    log("full rebuild: run_everything on a fresh home and Dagster instance ...")
    instance = dg.DagsterInstance.ephemeral()
    rebuild = full_rebuild(defs, instance, config.home, config.landing)
    results["full_rebuild_s"] = round(rebuild.seconds, 3)
    results["full_rebuild_ok"] = rebuild.success
    results["full_rebuild"] = rebuild.detail
    results["stage_seconds"] = {"full_rebuild": step_seconds(instance, all_run_ids(instance))}
    log(f"  {rebuild.seconds:.2f} s, success={rebuild.success}")
    stage_done("full_rebuild")

    layout = HomeLayout(config.home, config.landing)
    log("report site: build_site alone from the analysts' copy ...")
    site = report_site(layout.analyst_warehouse, config.work / "site_alone")
    results["report_site_s"] = round(site.seconds, 3)
    results["report_site"] = site.detail
    log(f"  {site.seconds:.2f} s, {site.detail['pages']} pages")
    stage_done("report_site")

    audit = disclosure_audit(site)
    results["audit_s"] = round(audit.seconds, 3) if audit else None
    results["audit"] = audit.detail if audit else None
    # Issue 14: the audit may cost at most a fifth of the rest of the site's render.
    results["disclosure_audit_ratio"] = round(audit.seconds / max(site.seconds - audit.seconds, 1e-9), 3)
    log(f"disclosure audit: {f'{audit.seconds:.2f} s' if audit else 'not part of this pipeline version'}")

    log("baseline: DuckDB read_csv of every landing CSV and fastexcel of every workbook ...")
    baseline = bulk_read(config.landing, config.baseline_db)
    results["baseline_s"] = round(baseline.seconds, 3)
    results["baseline_read_csv_s"] = round(baseline.csv_seconds, 3)
    results["baseline_workbooks_s"] = round(baseline.workbook_seconds, 3)
    results["baseline"] = {
        "csv_files": baseline.files,
        "workbooks": baseline.workbooks,
        "rows": baseline.rows,
        "seconds_by_table": baseline.seconds_by_table,
        "read_leniently": baseline.read_leniently,
    }
    log(
        f"  {baseline.seconds:.2f} s ({baseline.csv_seconds:.2f} s for {baseline.files:,} CSV files, "
        f"{baseline.workbook_seconds:.2f} s for {baseline.workbooks:,} workbooks)"
    )
    stage_done("baseline")
    results["full_rebuild_ratio"] = round(rebuild.seconds / baseline.seconds, 2) if baseline.seconds else None
    log(f"  full rebuild / baseline = {results['full_rebuild_ratio']}x")

    sizes = [(1, instance)]
    results["warehouse_rows"] = {"1x": warehouse_rows(layout.warehouse)}
    for multiple in config.warehouse_multiples:
        log(f"building the {multiple}x warehouse and its marts, copy and site (not timed) ...")
        large = HomeLayout(config.home_of(multiple), config.landing)
        inflate_warehouse(layout.warehouse, large.warehouse, list(config.periods), multiple)
        link_archive(layout.archive, large.archive)
        results["warehouse_rows"][f"{multiple}x"] = warehouse_rows(large.warehouse)
        large_instance = dg.DagsterInstance.ephemeral()
        refresh(defs, large_instance, large.home, config.landing)
        sizes.append((multiple, large_instance))
        stage_done(f"inflate_{multiple}x")

    package = pick_package(manifest)
    change = resubmit(config.landing, package)
    results["resubmitted"] = {
        "path": package.path,
        "state": package.state,
        "period": package.period,
        "file": change.file.name,
        "column": change.column,
        "before": change.before,
        "after": change.after,
    }
    log(f"resubmitted {package.path}: {change.file.name} {change.column} {change.before} -> {change.after}")

    results["incremental_s"], results["incremental"] = {}, {}
    for multiple, inst in sizes:
        size = f"{multiple}x"
        log(f"incremental, {size} warehouse ...")
        timed = incremental(
            defs, inst, config.home_of(multiple), config.landing, package.state, package.period
        )
        results["incremental_s"][size] = round(timed.seconds, 3)
        results["incremental"][size] = {
            **timed.detail,
            "success": timed.success,
            "stage_seconds": step_seconds(inst, timed.run_ids),
        }
        log(
            f"  {timed.seconds:.2f} s (ingest {timed.detail['ingest_s']} s, refresh {timed.detail['refresh_s']} s), "
            f"detected={timed.detail['detected']}, success={timed.success}"
        )
        stage_done(f"incremental_{size}")

    profiled_periods = list(config.periods[-config.profile_periods :])
    log(f"profile: pyinstrument over an untimed rebuild of {', '.join(profiled_periods)} ...")
    landing = last_periods_landing(config.landing, config.profile_landing, profiled_periods)
    profiled = profile(
        lambda: full_rebuild(defs, dg.DagsterInstance.ephemeral(), config.profile_home, landing)
    )
    results["profile"] = {
        "periods": profiled_periods,
        "seconds": round(profiled.seconds, 3),
        "top_self": profiled.top_self,
        "top_total": profiled.top_total,
    }
    stage_done("profile")

    rss = peak_rss_mb()
    pipeline_stages = [
        "full_rebuild",
        "report_site",
        *(f"incremental_{size}" for size in results["incremental_s"]),
    ]
    stage_peaks = [results["peak_rss_mb_by_stage"].get(stage) for stage in pipeline_stages]
    results["peak_rss_mb"] = max(stage_peaks) if all(p is not None for p in stage_peaks) else rss["self"]
    # ru_maxrss restarts with each VmHWM reset on Linux, so the whole process's peak is the largest stage peak.
    every_stage = [p for p in results["peak_rss_mb_by_stage"].values() if p is not None]
    results["peak_rss_process_mb"] = max([rss["self"], *every_stage])
    results["machine"]["load_average_1m_at_end"] = (
        round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    )
    results["met"] = targets_met(results)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["complete"] = True
    write_results(results, config.results)
    for line in summary_lines(results):
        log(line)
    log(f"wrote {config.results}")
    return results
