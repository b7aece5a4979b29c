"""The peer workforce by role: headcount, lived experience, certification and FTE (staff counts: public)."""

from __future__ import annotations

import polars as pl

from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NO_STAFF,
    count,
    fmt_int,
    group_total,
    labels,
    num,
    or_missing,
    ratio,
    total,
)
from pipelines.reports.tables import TOTAL_LABEL


def workforce_section(ctx: Context) -> Section:
    names = labels("role")
    sums = {
        r["role"]: r
        for r in ctx.frame("workforce_summary")
        .group_by("role")
        .agg(
            pl.col("headcount").sum(),
            pl.col("lived_experience_count").sum().alias("lived"),
            pl.col("certified_count").sum().alias("certified"),
            pl.col("fte"),
        )
        .iter_rows(named=True)
    }
    roles = [sums[role] for role in names if role in sums]
    rows = [
        [
            names[r["role"]],
            r["role"],
            count(r["headcount"]),
            count(r["lived"]),
            or_missing(ratio(r["lived"], r["headcount"]), NO_STAFF),
            count(r["certified"]),
            round(group_total(r["fte"]), 2),
        ]
        for r in roles
    ]
    head = count(total(r["headcount"] for r in roles))
    lived = count(total(r["lived"] for r in roles))
    share = ratio(lived, head)
    totals = [
        TOTAL_LABEL,
        "",
        head,
        lived,
        or_missing(share, NO_STAFF),
        count(total(r["certified"] for r in roles)),
        round(num(total(group_total(r["fte"]) for r in roles)), 2),
    ]
    summary = (
        f"In {ctx.period}, {fmt_int(lived)} of {fmt_int(head)} staff and volunteers in {ctx.place} "
        f"({share * 100:.1f}%) have lived experience of mental health services."
        if share is not None
        else f"In {ctx.period}, no staff or volunteers were reported in {ctx.place}."
    )
    table = published_table(
        "workforce",
        title="Peer workforce",
        summary=summary,
        units="staff counts (public: not people served); share of headcount; full-time equivalents",
        rows=rows,
        total=totals,
    )
    return Section("workforce", "Peer workforce", table, [bar(rows, 2, "Headcount")])
