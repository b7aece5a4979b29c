"""The national page's HHS-region comparison."""

from __future__ import annotations

import polars as pl

from pipelines.reports.cells import SERVED
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NOT_REPORTED,
    count,
    fmt_int,
    group_total,
    num,
    or_missing,
    shown_or,
    total,
    value,
)
from pipelines.reports.tables import TOTAL_LABEL


def _order(region: str) -> float:
    """Regions in numeric order (1..10); one that is not a number (or is 0) goes last."""
    try:
        number = value(float(region))
    except ValueError:
        number = None
    return number or 99


def regions_section(ctx: Context) -> Section:
    frame = ctx.frame("state_summary")
    agg = (
        frame.filter(pl.col("hhs_region").is_not_null())
        .group_by("hhs_region")
        .agg(
            pl.col("state").drop_nulls().n_unique().alias("states"),
            pl.col("grantees").sum(),
            pl.col("programs").sum(),
            pl.col("funding_usd"),
        )
    )
    funding = [group_total(values) for values in agg["funding_usd"]]
    order = [_order(r) for r in agg["hhs_region"]]
    agg = agg.with_columns(
        pl.Series("funding_usd", funding, dtype=pl.Float64), pl.Series("order", order, dtype=pl.Float64)
    ).sort(["order", "hhs_region"], maintain_order=True)
    rows = [
        [
            f"Region {r['hhs_region']}",
            r["hhs_region"],
            count(r["states"]),
            count(r["grantees"]),
            count(r["programs"]),
            shown_or(ctx.counts.get((SERVED, ctx.period, "hhs", r["hhs_region"])), NOT_REPORTED),
            num(r["funding_usd"]),
        ]
        for r in agg.iter_rows(named=True)
    ]
    totals = [
        TOTAL_LABEL,
        "",
        count(total(agg["states"])),
        count(total(agg["grantees"])),
        count(total(agg["programs"])),
        shown_or(ctx.served(), NOT_REPORTED),
        or_missing(total(frame["funding_usd"]), NOT_REPORTED),
    ]
    lead = min(rows, key=lambda r: (-r[3], r[1])) if rows else None
    summary = (
        f"In {ctx.period}, grantees reported from {len(rows)} HHS regions; {lead[0]} had the most "
        f"({fmt_int(lead[3])} grantees)."
        if lead
        else f"In {ctx.period}, no grantee reported from a known HHS region."
    )
    table = published_table(
        "hhs_regions",
        title="HHS-region comparison",
        summary=summary,
        units="counts; US dollars",
        rows=rows,
        total=totals,
    )
    return Section("hhs-regions", "HHS-region comparison", table, [bar(rows, 3, "Grantees")])
