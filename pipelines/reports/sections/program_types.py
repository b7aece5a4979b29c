"""Programs of each type, most common first, with the people they served."""

from __future__ import annotations

import polars as pl

from pipelines.reports.cells import SERVED
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import NOT_REPORTED, count, fmt_int, labels, shown_or, total
from pipelines.reports.tables import TOTAL_LABEL


def types_section(ctx: Context) -> Section:
    names = labels("program_type")
    agg = (
        ctx.frame("programs_by_type")
        .filter(pl.col("program_type").is_not_null())
        .group_by("program_type")
        .agg(pl.col("programs").sum(), pl.col("grantees").sum())
        .sort(["programs", "program_type"], descending=[True, False], maintain_order=True)
    )
    rows = []
    for r in agg.iter_rows(named=True):
        code = r["program_type"]
        key = (
            (SERVED, ctx.period, "type", code)
            if ctx.state is None
            else (SERVED, ctx.period, "state_type", ctx.state, code)
        )
        rows.append(
            [names.get(code, code), code, count(r["programs"]), shown_or(ctx.counts.get(key), NOT_REPORTED)]
        )
    programs = total(agg["programs"])
    totals = [TOTAL_LABEL, "", count(programs), shown_or(ctx.served(), NOT_REPORTED)]
    summary = (
        (
            f"In {ctx.period}, {ctx.place} had {fmt_int(programs)} programs of "
            f"{agg.height} types; the most common was {rows[0][0]} ({fmt_int(agg['programs'][0])} programs)."
        )
        if rows
        else f"No programs in {ctx.period}."
    )
    table = published_table(
        "program_types",
        title="Program-type mix",
        summary=summary,
        units="programs and people: counts",
        rows=rows,
        total=totals,
    )
    return Section("program-types", "Program-type mix", table, [bar(rows, 2, "Programs")])
