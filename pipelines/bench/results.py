"""Targets of issue 16, which of them a run met, and the results file and printout."""

from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "full_rebuild_ratio": 1.5,
    "incremental_s": 3,
    "report_site_s": 15,
    "peak_rss_mb": 1536,
    "disclosure_audit_ratio": 0.2,
}
# "flat across sizes": the largest warehouse may cost at most this much more than the smallest one.
FLAT_TOLERANCE = 1.25


def targets_met(results: dict) -> dict[str, bool | None]:
    def at_most(key: str) -> bool | None:
        value = results.get(key)
        return None if value is None else value <= TARGETS[key]

    incremental = [v for v in (results.get("incremental_s") or {}).values() if v is not None]
    sizes = list((results.get("incremental_s") or {}).values())
    flat = None
    if len(sizes) >= 2 and all(v is not None for v in sizes):
        flat = sizes[-1] <= sizes[0] * FLAT_TOLERANCE
    return {
        "full_rebuild_ratio": at_most("full_rebuild_ratio"),
        "incremental_s": bool(incremental) and all(v <= TARGETS["incremental_s"] for v in incremental),
        "incremental_flat": flat,
        "report_site_s": at_most("report_site_s"),
        "peak_rss_mb": at_most("peak_rss_mb"),
        "disclosure_audit_ratio": at_most("disclosure_audit_ratio"),
    }


def write_results(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def _figure(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:,.2f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"


def summary_lines(results: dict) -> list[str]:
    met = results.get("met", {})
    incremental = results.get("incremental_s") or {}

    def mark(key: str) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[met.get(key)]

    lines = [
        f"grantees {_figure(results.get('grantees'))}, packages {_figure(results.get('packages'))}, "
        f"periods {', '.join(results.get('periods', []))}, scale {results.get('scale')}",
        f"generation (not in ratios)     {_figure(results.get('generation_s'), ' s')}",
        f"baseline (CSV + workbooks)     {_figure(results.get('baseline_s'), ' s')}  "
        f"(read_csv {_figure(results.get('baseline_read_csv_s'), ' s')}, "
        f"fastexcel {_figure(results.get('baseline_workbooks_s'), ' s')})",
        f"full rebuild                   {_figure(results.get('full_rebuild_s'), ' s')}",
        f"full rebuild / baseline        {_figure(results.get('full_rebuild_ratio'), 'x')}  "
        f"(target <= {TARGETS['full_rebuild_ratio']}x: {mark('full_rebuild_ratio')})",
    ]
    for size, seconds in incremental.items():
        lines.append(
            f"incremental, {size:<4} warehouse     {_figure(seconds, ' s')}  "
            f"(target <= {TARGETS['incremental_s']} s: {mark('incremental_s')})"
        )
    lines += [
        f"incremental flat across sizes  {mark('incremental_flat')}",
        f"report site (build_site)       {_figure(results.get('report_site_s'), ' s')}  "
        f"(target <= {TARGETS['report_site_s']} s: {mark('report_site_s')})",
        f"disclosure audit               {_figure(results.get('audit_s'), ' s')}  "
        f"(audit / rest of render {_figure(results.get('disclosure_audit_ratio'))}, target <= "
        f"{TARGETS['disclosure_audit_ratio']}: {mark('disclosure_audit_ratio')})",
        f"peak RSS                       {_figure(results.get('peak_rss_mb'), ' MB')}  "
        f"(target <= {TARGETS['peak_rss_mb']} MB: {mark('peak_rss_mb')})",
    ]
    return lines
