"""The national page's map and table of states: grantees, programs, people served and funding, with rates
per resident."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.landing import landing_states
from pipelines.reports.cells import SERVED
from pipelines.reports.columns import published_table
from pipelines.reports.sections.base import Chart, Section
from pipelines.reports.sections.context import Context
from pipelines.reports.sections.figures import (
    NO_GRANTEES,
    NO_POPULATION,
    NOBODY_SERVED,
    NOT_REPORTED,
    RATES_LEAVE_OUT,
    count,
    hidden_or,
    or_missing,
    ratio,
    shown_or,
    total,
    value,
)
from pipelines.reports.tables import TOTAL_LABEL


def _without(locations: list[str], values: list) -> list[str]:
    """Every jurisdiction a landing tree may hold (50 states, DC, PR) that has no value on a map."""
    valued = {loc for loc, v in zip(locations, values, strict=True) if v is not None}
    return [state for state in sorted(landing_states()) if state not in valued]


def _per_served(funding, served) -> object:
    """Funding per person served: withheld with the count, missing when nobody was served."""
    served_value = None if served is None else served.value
    return hidden_or(
        (served,) if served is not None else (), or_missing(ratio(funding, served_value), NOBODY_SERVED)
    )


def states_section(ctx: Context) -> Section:
    population = ctx.states.population
    frame = ctx.frame("state_summary")
    frame = frame.with_columns(
        pl.Series("sort_name", [ctx.states.name(s) for s in frame["state"]], dtype=pl.String)
    ).sort(["sort_name", "state"], maintain_order=True)
    rows, links, locs, per_100k, per_resident = [], {}, [], [], []
    for i, r in enumerate(frame.iter_rows(named=True)):
        pop = value(population.get(r["state"]))
        no_rate = NO_POPULATION if pop is None or pop == 0 else NOT_REPORTED
        g100k = ratio(count(r["grantees"]) * 100_000, pop)
        fpr = ratio(r["funding_usd"], pop)
        rows.append(
            [
                r["sort_name"],
                r["state"],
                count(r["grantees"]),
                or_missing(ratio(r["peer_run"], r["grantees"]), NO_GRANTEES),
                or_missing(g100k, no_rate),
                count(r["programs"]),
                shown_or(ctx.counts.get((SERVED, ctx.period, "state", r["state"])), NOT_REPORTED),
                or_missing(value(r["funding_usd"]), NOT_REPORTED),
                or_missing(fpr, no_rate),
                _per_served(r["funding_usd"], ctx.counts.get((SERVED, ctx.period, "state", r["state"]))),
            ]
        )
        links[i] = f"states/{r['state']}.html"
        locs.append(r["state"])
        per_100k.append(g100k)
        per_resident.append(fpr)
    nation = ctx.served()
    with_population = frame.filter(
        pl.Series([value(population.get(s)) not in (None, 0) for s in frame["state"]], dtype=pl.Boolean)
    )
    pop_total = total([population.get(s) for s in with_population["state"]])
    grantees_total = total(frame["grantees"])
    funding_total = total(frame["funding_usd"])
    totals = [
        TOTAL_LABEL,
        "",
        count(grantees_total),
        or_missing(ratio(total(frame["peer_run"]), grantees_total), NO_GRANTEES),
        or_missing(ratio(count(total(with_population["grantees"])) * 100_000, pop_total), NO_POPULATION),
        count(total(frame["programs"])),
        shown_or(nation, NOT_REPORTED),
        or_missing(funding_total, NOT_REPORTED),
        or_missing(ratio(total(with_population["funding_usd"]), pop_total), NO_POPULATION),
        _per_served(funding_total, nation),
    ]
    rated = sorted((-rate, ctx.states.name(st)) for st, rate in zip(locs, per_100k, strict=True) if rate)
    summary = f"In {ctx.period}, {frame.height} states and territories reported grantees" + (
        f"; {rated[0][1]} had the most per resident ({-rated[0][0]:.2f} grantees per 100,000 residents)."
        if rated
        else "."
    )
    table = published_table(
        "states",
        title="Grantees, programs, people served and funding by state",
        summary=summary,
        units="counts; grantees per 100,000 residents; US dollars; dollars per resident; dollars per person served",
        rows=rows,
        total=totals,
        links=links,
        note=RATES_LEAVE_OUT if with_population.height < frame.height else "",
    )
    charts = [
        Chart("choropleth", [], values, label, locations=locs, no_data=_without(locs, values))
        for values, label in (
            (per_100k, "Grantees per 100,000 residents"),
            (per_resident, "Funding per resident (USD)"),
        )
    ]
    return Section("states", "State map and table of states", table, charts)
