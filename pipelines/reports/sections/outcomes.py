"""Outcome measures: respondents, those who improved and the share improved (people counts: suppressed)."""

from __future__ import annotations

from pipelines.reports.cells import IMPROVED, RESPONDENTS
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Chart, Section
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import NO_RESPONDENTS, hidden_or, labels, or_missing, ratio


def outcomes_section(ctx: Context) -> Section:
    names = labels("measure")
    reported = set(ctx.frame("outcomes_summary")["measure"])
    rows = []
    for measure in [m for m in names if m in reported]:
        scope = ("outcome", measure) if ctx.state is None else ("state_outcome", ctx.state, measure)
        resp = ctx.counts.get((RESPONDENTS, ctx.period, *scope))
        imp = ctx.counts.get((IMPROVED, ctx.period, *scope))
        if resp is None or imp is None:
            continue
        share = hidden_or((resp, imp), or_missing(ratio(imp.value, resp.value), NO_RESPONDENTS))
        rows.append([names[measure], measure, resp.shown(), imp.shown(), share])
    shown = [r for r in rows if isinstance(r[4], float)]
    if not rows:
        summary = f"In {ctx.period}, no outcome measure was reported in {ctx.place}."
    elif shown:
        best = max(shown, key=lambda r: (r[4], r[1]))
        summary = (
            f"In {ctx.period}, {len(rows)} outcome measures were reported in {ctx.place}; the highest "
            f"published share improving was {best[0]} ({best[4] * 100:.1f}%)."
        )
    else:
        summary = f"In {ctx.period}, no outcome share in {ctx.place} is large enough to publish."
    table = published_table(
        "outcomes",
        title="Outcomes",
        summary=summary,
        units="people: counts; share of respondents who improved",
        rows=rows,
        note="Measures overlap (one person can answer several), so they are not totalled.",
    )
    chart = Chart("bar", [r[0] for r in shown], [r[4] * 100 for r in shown], "Share improved (%)")
    return Section("outcomes", "Outcomes", table, [chart])
