"""Every people count the site publishes, and every relation a reader can use between them, as one system.

This is the single place the publishing rule is applied: `publishable_counts(landscape)` returns the suppressed
form of every people count any page, chart or download shows, protected jointly (see suppression.py).

Published cells (keys), for the national detail period P (the latest) and each state's own latest period:

    (measure, period, "nation")                      (measure, period, "state", ST)
    (measure, period, "hhs", region)                 national page, P only
    (measure, period, "type", program_type)          national page, P only
    (measure, period, "state_type", ST, program_type)    (measure, period, "state_urb", ST, urbanicity)
    (measure, period, "county", ST, county_fips)         state pages
    (measure, period, "outcome", outcome_measure)    (measure, period, "state_outcome", ST, outcome_measure)

`nation` and `state` totals are also published for every earlier period (the trend tables). National people
served by urbanicity is not published: it is the one table that would cross the state and program-type
hierarchies (see the methodology page), and without it the whole system is a network.

Beyond the cells, a reader knows *atoms*: each state page lists every program with its county and type, so
the people served by the programs of one type in one county, ("atom", period, ST, county_fips, program_type),
is a quantity they can name (never published, at least 0). Outcomes add ("slack", period, ST, measure) =
respondents - improved (at least 0: the contract's X06).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import polars as pl

from pipelines.reports.data import Landscape
from pipelines.reports.suppression import Relation, SmallCellRule, Suppressed, suppress

SERVED = "participants_served"
RESPONDENTS = "respondents"
IMPROVED = "improved"
URBANICITIES = ("urban", "suburban", "rural")
# Orientation of a relation in the network (each unknown appears with +1 in one relation and -1 in another).
GEOGRAPHY, CROSS = 1, -1


@dataclass
class Publication:
    """Exact values of the published cells and the atoms, and the relations that tie them together."""

    values: dict[Hashable, int] = field(default_factory=dict)
    atoms: dict[Hashable, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def cell(self, key: tuple, value) -> tuple:
        self.values[key] = 0 if value is None or value != value else int(value)
        return key

    def relate(self, total: tuple, parts: list, side: int) -> None:
        if parts:
            self.relations.append(Relation(total, tuple(parts), side))


def _int(value) -> int:
    return 0 if value is None or value != value else int(value)


def detail_periods(land: Landscape) -> dict[str, str]:
    """The period each state page details: the state's latest (the national page details the latest overall)."""
    latest = land.latest_periods()
    return {s: latest[s] for s in land.states}


def _by_state_period(frame: pl.DataFrame, order: str, detail: dict[str, str]) -> dict[tuple, list[dict]]:
    """The frame's rows of each state's detailed period, sorted by `order`: one pass, not one filter per
    state, and only the detailed periods (the history's rows are not published in detail)."""
    out: dict[tuple, list] = defaultdict(list)
    detailed = frame.filter(pl.col("period") == pl.col("state").replace_strict(detail, default=None))
    for row in detailed.sort(order, maintain_order=True).iter_rows(named=True):
        out[(row["state"], row["period"])].append(row)
    return out


def _state_detail(pub: Publication, rows: dict[str, dict], state: str, period: str) -> None:
    """A detailed state's cells, each the sum of the program groups below it (so every relation holds by
    construction, whatever the marts say)."""
    m = SERVED
    here = (state, period)
    atoms = {
        ("atom", period, state, r["county_fips"], r["program_type"]): _int(r["participants_served"])
        for r in rows["program_groups"].get(here, [])
    }
    pub.atoms.update(atoms)
    by_county, by_type = defaultdict(list), defaultdict(list)
    for key in sorted(atoms):
        by_county[key[3]].append(key)
        by_type[key[4]].append(key)
    urbanicity = {r["county_fips"]: r["urbanicity"] for r in rows["county_mix"].get(here, [])}
    by_urb = defaultdict(list)
    for fips in sorted({*urbanicity, *by_county}):
        key = pub.cell((m, period, "county", state, fips), sum(pub.atoms[a] for a in by_county.get(fips, [])))
        pub.relate(key, by_county.get(fips, []), GEOGRAPHY)
        by_urb[urbanicity.get(fips) if urbanicity.get(fips) in URBANICITIES else None].append(key)
    parts = []
    for urb in URBANICITIES:
        key = pub.cell((m, period, "state_urb", state, urb), sum(pub.values[c] for c in by_urb.get(urb, [])))
        pub.relate(key, by_urb.get(urb, []), GEOGRAPHY)
        parts.append(key)
    parts += by_urb.get(None, [])  # counties of unknown urbanicity: only in the state's own sum
    pub.cell((m, period, "state", state), sum(pub.values[k] for k in parts))
    pub.relate((m, period, "state", state), parts, GEOGRAPHY)
    for ptype in sorted({*by_type, *(r["program_type"] for r in rows["programs_by_type"].get(here, []))}):
        key = pub.cell(
            (m, period, "state_type", state, ptype), sum(pub.atoms[a] for a in by_type.get(ptype, []))
        )
        pub.relate(key, by_type.get(ptype, []), CROSS)
    _state_outcomes(pub, rows["outcomes_summary"].get(here, []), state, period)


def _state_outcomes(pub: Publication, outcomes: list, state: str, period: str) -> None:
    for r in outcomes:
        resp = pub.cell((RESPONDENTS, period, "state_outcome", state, r["measure"]), r["respondents"])
        imp = pub.cell((IMPROVED, period, "state_outcome", state, r["measure"]), r["improved"])
        if pub.values[imp] <= pub.values[resp]:  # the contract's X06; a reader relies on it
            slack = ("slack", period, state, r["measure"])
            pub.atoms[slack] = pub.values[resp] - pub.values[imp]
            pub.relate(resp, [imp, slack], GEOGRAPHY)


def _national(pub: Publication, land: Landscape, period: str, states: list[str]) -> None:
    m = SERVED
    nation = (m, period, "nation")
    regions = dict(zip(land.dim_state["state"], land.dim_state["hhs_region"], strict=True))
    by_region = defaultdict(list)
    for s in states:
        by_region[regions[s]].append((m, period, "state", s))
    region_keys = []
    for region in sorted(by_region, key=str):
        key = pub.cell((m, period, "hhs", region), sum(pub.values[p] for p in by_region[region]))
        pub.relate(key, by_region[region], GEOGRAPHY)
        region_keys.append(key)
    pub.relate(nation, region_keys, GEOGRAPHY)
    state_types = defaultdict(list)
    for key in sorted(k for k in pub.values if k[:3] == (m, period, "state_type")):
        state_types[key[4]].append(key)
    type_keys = []
    for ptype, parts in sorted(state_types.items()):
        key = pub.cell((m, period, "type", ptype), sum(pub.values[p] for p in parts))
        pub.relate(key, parts, CROSS)
        type_keys.append(key)
    pub.relate(nation, type_keys, CROSS)
    # respondents(state) = improved(state) + slack is a GEOGRAPHY relation, so the two national sums take
    # opposite sides (each state's respondents and improved then appear once with each sign).
    for measure_name, side in ((RESPONDENTS, GEOGRAPHY), (IMPROVED, CROSS)):
        by_measure = defaultdict(list)
        for key in sorted(k for k in pub.values if k[:3] == (measure_name, period, "state_outcome")):
            by_measure[key[4]].append(key)
        for measure, parts in sorted(by_measure.items()):
            key = pub.cell((measure_name, period, "outcome", measure), sum(pub.values[p] for p in parts))
            pub.relate(key, parts, side)


def _check_consistent(pub: Publication) -> None:
    """The exact figures must satisfy every relation; anything else is a bug in the queries, not data."""
    exact = {**pub.values, **pub.atoms}
    for r in pub.relations:
        if exact[r.total] != sum(exact[p] for p in r.parts):
            raise ValueError(f"published total {r.total} is not the sum of its parts")


def build_publication(land: Landscape) -> Publication:
    """Every published people count with its exact value, and every relation a reader of the site can use."""
    pub = _build(land)
    _check_consistent(pub)
    return pub


def _build(land: Landscape) -> Publication:
    pub = Publication()
    if not land.periods:
        return pub
    latest = land.periods[-1]
    detail = detail_periods(land)
    rows = {
        "program_groups": _by_state_period(land.program_groups, "county_fips", detail),
        "county_mix": _by_state_period(land.county_mix, "county_fips", detail),
        "programs_by_type": _by_state_period(land.programs_by_type, "program_type", detail),
        "outcomes_summary": _by_state_period(land.outcomes_summary, "measure", detail),
    }
    for period in land.periods:
        summary = land.state_summary.filter(pl.col("period") == period)
        states = sorted(summary["state"].to_list())
        served = dict(zip(summary["state"], summary["participants_served"], strict=True))
        for s in states:
            pub.cell((SERVED, period, "state", s), served[s])
            if detail[s] == period:
                _state_detail(pub, rows, s, period)
        nation = pub.cell(
            (SERVED, period, "nation"), sum(pub.values[(SERVED, period, "state", s)] for s in states)
        )
        if period == latest:
            _national(pub, land, period, states)
        else:
            pub.relate(nation, [(SERVED, period, "state", s) for s in states], GEOGRAPHY)
    return pub


def publishable_counts(land: Landscape, rule: SmallCellRule | None = None) -> Suppressed:
    """The jointly protected form of every people count the site shows."""
    return suppress(build_publication(land), rule or SmallCellRule.from_contract())
