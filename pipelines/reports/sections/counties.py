"""A state page's counties: grantees, programs and people served where the programs are delivered."""

from __future__ import annotations

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


def counties_section(ctx: Context) -> Section:
    frame = ctx.frame("county_mix").sort("county_fips", maintain_order=True)
    rows = [
        [
            r["county_name"] if isinstance(r["county_name"], str) else r["county_fips"],
            r["county_fips"],
            URBANICITY_LABELS.get(r["urbanicity"], r["urbanicity"] or ""),
            count(r["grantees"]),
            count(r["programs"]),
            shown_or(
                ctx.counts.get((SERVED, ctx.period, "county", ctx.state, r["county_fips"])), NOT_REPORTED
            ),
        ]
        for r in frame.iter_rows(named=True)
    ]
    totals = [
        TOTAL_LABEL,
        "",
        "",
        None,
        count(total(frame["programs"])),
        shown_or(ctx.served(), NOT_REPORTED),
    ]
    lead = min(rows, key=lambda r: (-r[4], r[1])) if rows else None
    summary = (
        f"In {ctx.period}, programs in {ctx.place} were delivered in {len(rows)} counties; "
        f"{lead[0]} had the most ({fmt_int(lead[4])} programs)."
        if lead
        else f"No programs in {ctx.period}."
    )
    table = published_table(
        "counties",
        title="Counties",
        summary=summary,
        units="counts",
        rows=rows,
        total=totals,
        note="Grantees are not totalled: one grantee can run programs in several counties.",
    )
    return Section("counties", "Counties", table, [bar(rows, 4, "Programs")])
