"""Grantees in each of the contract's peer-run classes (organization counts: public)."""

from __future__ import annotations

import polars as pl

from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Section, bar
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NO_GRANTEES,
    NOT_REPORTED,
    chartable,
    class_labels,
    count,
    fmt_int,
    or_missing,
    ratio,
    total,
)
from pipelines.reports.tables import TOTAL_LABEL, Missing


def _class_column(frame: pl.DataFrame, code: str) -> str | None:
    """The state_summary column counting one peer-run class (`other` is `other_class` there)."""
    for name in (code, f"{code}_class"):
        if name in frame.columns:
            return name
    return None


def classes_section(ctx: Context) -> Section:
    frame = ctx.frame("state_summary")
    grantees = total(frame["grantees"])
    rows = []
    for code, label in class_labels().items():
        column = _class_column(frame, code)
        number = None if column is None else total(frame[column])
        rows.append(
            [label, code, or_missing(number, NOT_REPORTED), or_missing(ratio(number, grantees), NO_GRANTEES)]
        )
    known = [r for r in rows if not isinstance(r[3], Missing)]
    summary = (
        f"In {ctx.period}, of {fmt_int(grantees)} grantees in {ctx.place}, "
        + ", ".join(f"{fmt_int(r[2])} were {r[0].lower()} ({r[3] * 100:.1f}%)" for r in known)
        + "."
        if known
        else f"In {ctx.period}, no grantee in {ctx.place} could be classified."
    )
    table = published_table(
        "peer_run_classes",
        title="Peer-run classification",
        summary=summary,
        units="grantees: counts; share of grantees",
        rows=rows,
        total=[TOTAL_LABEL, "", count(grantees), 1.0 if grantees else Missing(NO_GRANTEES)],
        note="Classes follow the contract's five criteria; see the methodology page.",
    )
    chart = bar([[r[0], chartable(r[2])] for r in rows], 1, "Grantees")
    return Section("peer-run-classes", "Peer-run classification", table, [chart])
