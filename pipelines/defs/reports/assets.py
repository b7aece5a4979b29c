"""Reports domain: the static landscape site, read from the analysts' copy (never the writer's file)."""

import dagster as dg

from pipelines.defs.resources import LandscapeSettings
from pipelines.reports.site import build_site


@dg.asset(
    kinds={"plotly", "html"},
    group_name="reports",
    deps=[dg.AssetKey("published_warehouse")],
    description="National and per-state landscape reports, methodology and downloads (static, offline).",
)
def landscape_reports(context: dg.AssetExecutionContext, settings: LandscapeSettings) -> dg.MaterializeResult:
    layout = settings.layout
    result = build_site(layout.analyst_warehouse, layout.reports, run_id=context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(layout.reports / "index.html")),
            "pages": len(getattr(result, "pages", []) or []),
            "rendered": ", ".join(result.rendered) or "none",
            "reused": len(result.reused),
        }
    )
