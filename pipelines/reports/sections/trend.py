"""Grantees, programs, people served and funding in every fiscal year, with the change from the year before."""

from __future__ import annotations

from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Chart, Section
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NOT_REPORTED,
    chartable,
    difference,
    fmt_int,
    fmt_usd,
    or_missing,
    shown_or,
)
from pipelines.reports.suppression import COMPLEMENTARY_MARK, Published
from pipelines.reports.tables import Missing


def _served_change(now: Published | None, before: Published | None):
    # Withheld before missing: a change beside a hidden count stays marked as withheld, never blank.
    if any(cell.hidden for cell in (now, before) if cell is not None):
        return COMPLEMENTARY_MARK
    if now is None or before is None:
        return Missing(NOT_REPORTED)
    return now.value - before.value


def trend_section(ctx: Context) -> Section:
    rows, prev = [], None
    for period in ctx.periods:
        t = ctx.totals(period)
        row = [
            period,
            t["grantees"],
            t["programs"],
            shown_or(t["served"], NOT_REPORTED),
            or_missing(t["funding"], NOT_REPORTED),
        ]
        if prev is None:
            row += [None, None, None, None]
        else:
            row += [
                t["grantees"] - prev["grantees"],
                t["programs"] - prev["programs"],
                _served_change(t["served"], prev["served"]),
                or_missing(difference(t["funding"], prev["funding"]), NOT_REPORTED),
            ]
        rows.append(row)
        prev = t
    first, last = rows[0], rows[-1]
    summary = (
        f"From {first[0]} to {last[0]}, grantees in {ctx.place} went from {fmt_int(first[1])} to "
        f"{fmt_int(last[1])} and funding from {fmt_usd(chartable(first[4]))} to "
        f"{fmt_usd(chartable(last[4]))}."
    )
    table = published_table(
        "trend",
        title="Trend across fiscal years",
        summary=summary,
        units="counts; US dollars; change from the previous FY",
        rows=rows,
    )
    series = {"Grantees": [r[1] for r in rows], "Programs": [r[2] for r in rows]}
    chart = Chart("line", [r[0] for r in rows], [], "Count", series=series)
    return Section("trend", "Trend across fiscal years", table, [chart])
