"""Programs (and, on state pages, people served) by the urbanicity of the county where they are delivered.

Nationally only programs: people served by urbanicity across states would cross the state and program-type
tables (see the methodology page, "Small cells")."""

from __future__ import annotations

import polars as pl

from pipelines.reports.cells import SERVED
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NOT_REPORTED,
    URBANICITY_LABELS,
    count,
    fmt_int,
    shown_or,
    total,
)
from pipelines.reports.tables import TOTAL_LABEL

NATIONAL_NOTE = (
    "People served by urbanicity are on each state page; nationally they are not published "
    "(see the methodology page)."
)


def urbanicity_section(ctx: Context) -> Section:
    people = ctx.state is not None
    programs_by = dict(
        ctx.frame("county_mix").group_by("urbanicity").agg(pl.col("programs").sum()).iter_rows()
    )
    rows = []
    for urb, label in URBANICITY_LABELS.items():
        row = [label, urb, count(programs_by.get(urb, 0))]
        if people:
            cell = ctx.counts.get((SERVED, ctx.period, "state_urb", ctx.state, urb))
            row.append(0 if cell is None else cell.shown())
        rows.append(row)
    programs = count(total(programs_by.get(urb, 0) for urb in URBANICITY_LABELS))
    totals = [TOTAL_LABEL, "", programs]
    if people:
        totals.append(shown_or(ctx.served(), NOT_REPORTED))
    rural = next(r for r in rows if r[1] == "rural")
    summary = (
        f"In {ctx.period}, {rural[2] / max(programs, 1) * 100:.0f}% of programs in {ctx.place} "
        f"({fmt_int(rural[2])} of {fmt_int(programs)}) were delivered in rural counties."
    )
    table = published_table(
        "urbanicity",
        omit=() if people else (SERVED,),
        title="Urban, suburban and rural mix",
        summary=summary,
        units=(
            f"{'programs and people' if people else 'programs'}: counts "
            "(by the urbanicity of the county where the program is delivered)"
        ),
        rows=rows,
        total=totals,
        note="" if people else NATIONAL_NOTE,
    )
    return Section("urbanicity", "Urban, suburban and rural mix", table, [bar(rows, 2, "Programs")])
