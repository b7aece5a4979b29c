"""Run every scenario on one generated landing tree, in order, and gather the figures of bench/results.json."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import dagster as dg

from pipelines.bench.baseline import bulk_read_csv
from pipelines.bench.config import BenchConfig
from pipelines.bench.inflate import inflate_warehouse, warehouse_rows
from pipelines.bench.machine import machine, peak_rss_mb, reset_peak_rss, stage_peak_rss_mb
from pipelines.bench.resubmit import pick_package, resubmit
from pipelines.bench.results import TARGETS, summary_lines, targets_met, write_results
from pipelines.bench.scenarios import full_rebuild, incremental, report_site
from pipelines.bench.stages import all_run_ids, step_seconds
from pipelines.generate import GenerationManifest, generate_landing
from pipelines.paths import HomeLayout
from pipelines.reports.site import pipeline_version

NOTES = [
    "baseline_read_csv_s: DuckDB read_csv of every landing CSV (package folders and rosters), one read per table "
    "name over the list of its files, union_by_name and all_varchar, into a DuckDB file. Workbook (.xlsx) "
    "packages are not CSV and are not read by the baseline (see baseline.workbooks_not_read); the pipeline reads "
    "them, so the ratio slightly flatters the baseline.",
    "full_rebuild_s: pipelines.orchestrate.run_everything on a fresh LANDSCAPE_HOME and an ephemeral Dagster "
    "instance: every state x period partition (intake, read, validate, load, feedback, asset checks) one "
    "in-process run at a time, then intake_log, marts, publish and the report site.",
    "incremental_s: one clean CSV package of the last period, in the state with the most packages, has one people "
    "count raised by one and is rewritten in place; then that partition's ingest assets and checks, then marts, "
    "publish and the report site are materialized. The reports code renders the whole site (build_site has no "
    "single-state mode), so the incremental figure includes the whole site refresh: a limit of pipelines/reports.",
    "incremental sizes: 1x is the warehouse left by the full rebuild; the larger one is a copy of it in which every "
    "raw, staging and core table keyed by period holds its rows again under earlier fiscal years (the generated "
    "span shifted back), so it holds that many times the rows; marts, published copy and site are rebuilt from it "
    "by the incremental run itself.",
    "report_site_s: pipelines.reports.site.build_site alone, from the analysts' copy, into an empty folder.",
    "disclosure_audit_ratio: the disclosure audit inside that build_site (LP/IP intervals of every hidden count "
    "plus reading every published file back) divided by the rest of the render.",
    "peak_rss_mb: the largest resident set of the pipeline stages (full rebuild, report site, both incremental "
    "runs), each read as Linux VmHWM after resetting it at the stage's start (peak_rss_mb_by_stage). The "
    "baseline's DuckDB memory is reported on its own; generation runs in a child process (generation_peak_rss_mb, "
    "its own VmHWM). "
    "peak_rss_process_mb is the whole process, baseline and 4x build included. Without /proc, peak_rss_mb "
    "falls back to ru_maxrss of the whole process.",
    "order: generation, full rebuild, report site, baseline, 4x warehouse, resubmission, incremental 1x and 4x. "
    "The baseline runs after the pipeline so DuckDB's bulk-read memory does not hide the pipeline's own peak; the "
    "page cache is warm for both, since generation has just written every file.",
]


def _generate(config: BenchConfig) -> tuple[GenerationManifest, float | None]:
    manifest = generate_landing(
        config.landing,
        seed=config.seed,
        periods=list(config.periods),
        scale=config.scale,
        states=list(config.states) or None,
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
        reset_peak_rss()

    _fresh(config)
    reset_peak_rss()
    log(f"generating scale {config.scale}, periods {', '.join(config.periods)} into {config.landing} ...")
    started = time.perf_counter()
    manifest, results["generation_peak_rss_mb"] = generate_in_child(config)
    results["generation_s"] = round(time.perf_counter() - started, 3)
    results["packages"] = len(manifest.packages)
    results["grantees"] = len({p.grantee_id for p in manifest.packages})
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
    log("report site: build_site alone from the published copy ...")
    site = report_site(layout.analyst_warehouse, config.work / "site_alone")
    results["report_site_s"] = round(site.seconds, 3)
    results["report_site"] = site.detail
    # The audit runs inside build_site: its cost against the rest of the render (issue 14: at most a fifth).
    audit = site.detail["disclosure_audit_s"]
    results["disclosure_audit_ratio"] = round(audit / max(site.seconds - audit, 1e-9), 3)
    log(f"  {site.seconds:.2f} s, {site.detail['pages']} pages")
    stage_done("report_site")

    log("baseline: DuckDB bulk read_csv of every landing CSV ...")
    baseline = bulk_read_csv(config.landing, config.baseline_db)
    results["baseline_read_csv_s"] = round(baseline.seconds, 3)
    results["baseline"] = {
        "csv_files": baseline.files,
        "rows": baseline.rows,
        "workbooks_not_read": baseline.workbooks_not_read,
        "seconds_by_table": baseline.seconds_by_table,
        "read_leniently": baseline.read_leniently,
    }
    log(f"  {baseline.seconds:.2f} s for {baseline.files:,} files")
    stage_done("baseline")
    results["full_rebuild_ratio"] = round(rebuild.seconds / baseline.seconds, 2) if baseline.seconds else None
    log(f"  full rebuild / baseline = {results['full_rebuild_ratio']}x")

    large = f"{config.warehouse_multiple}x"
    log(f"building the {large} warehouse (not timed) ...")
    large_layout = HomeLayout(config.home_large, config.landing)
    inflate_warehouse(
        layout.warehouse, large_layout.warehouse, list(config.periods), config.warehouse_multiple
    )
    results["warehouse_rows"] = {
        "1x": warehouse_rows(layout.warehouse),
        large: warehouse_rows(large_layout.warehouse),
    }
    stage_done("inflate")

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
    for size, home, inst in [
        ("1x", config.home, instance),
        (large, config.home_large, dg.DagsterInstance.ephemeral()),
    ]:
        log(f"incremental, {size} warehouse ...")
        timed = incremental(defs, inst, home, config.landing, package.state, package.period)
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
