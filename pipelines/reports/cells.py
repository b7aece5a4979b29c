"""Every people count the site publishes, as cells and the sums that tie them together.

This is the single place the publishing rule is applied: `publishable_counts(landscape)` returns the suppressed
form of every people count any page, chart or download shows. Keys:

    (measure, period, "nation")                      (measure, period, "state", ST)
    (measure, period, "hhs", region)
    (measure, period, "type", program_type)          (measure, period, "state_type", ST, program_type)
    (measure, period, "urb", urbanicity)             (measure, period, "state_urb", ST, urbanicity)
    (measure, period, "county", ST, county_fips)
    (measure, period, "outcome", outcome_measure)    (measure, period, "state_outcome", ST, outcome_measure)
"""

from __future__ import annotations

from collections import defaultdict

from pipelines.reports.data import Landscape
from pipelines.reports.suppression import Constraint, SmallCellRule, Suppressed, suppress

SERVED = "participants_served"
RESPONDENTS = "respondents"
IMPROVED = "improved"


class _Cells:
    def __init__(self) -> None:
        self.values: dict[tuple, int] = {}
        self.constraints: list[Constraint] = []

    def add(self, key: tuple, value) -> None:
        self.values[key] = int(value) if value == value and value is not None else 0

    def total_of(self, total: tuple, parts: list[tuple]) -> None:
        """Publish `total` as the sum of `parts` (and record that a reader can use that sum)."""
        if total not in self.values:
            self.values[total] = sum(self.values[p] for p in parts)
        self.constraints.append(Constraint(total, tuple(parts)))


def _served_cells(cells: _Cells, land: Landscape) -> None:
    m = SERVED
    regions = dict(zip(land.dim_state["state"], land.dim_state["hhs_region"], strict=True))
    for period in land.periods:
        summary = land.state_summary[land.state_summary["period"] == period]
        states = summary["state"].tolist()
        for row in summary.itertuples():
            cells.add((m, period, "state", row.state), row.participants_served)
        nation = (m, period, "nation")
        cells.total_of(nation, [(m, period, "state", s) for s in states])
        by_region = defaultdict(list)
        for s in states:
            by_region[regions[s]].append((m, period, "state", s))
        for region, parts in by_region.items():
            cells.total_of((m, period, "hhs", region), parts)
        cells.total_of(nation, [(m, period, "hhs", r) for r in by_region])

        types = land.programs_by_type[land.programs_by_type["period"] == period]
        by_type = defaultdict(list)
        for row in types.itertuples():
            key = (m, period, "state_type", row.state, row.program_type)
            cells.add(key, row.participants_served)
            by_type[row.program_type].append(key)
        for s in states:
            cells.total_of(
                (m, period, "state", s),
                [k for k in cells.values if k[:3] == (m, period, "state_type") and k[3] == s],
            )
        for program_type, parts in by_type.items():
            cells.total_of((m, period, "type", program_type), parts)
        cells.total_of(nation, [(m, period, "type", t) for t in by_type])

        counties = land.county_mix[land.county_mix["period"] == period]
        state_urb = defaultdict(list)
        for row in counties.itertuples():
            key = (m, period, "county", row.state, row.county_fips)
            cells.add(key, row.participants_served)
            state_urb[(row.state, row.urbanicity)].append(key)
        for s in states:
            cells.total_of(
                (m, period, "state", s),
                [k for k in cells.values if k[:3] == (m, period, "county") and k[3] == s],
            )
        by_urb = defaultdict(list)
        for (s, urb), parts in state_urb.items():
            cells.total_of((m, period, "state_urb", s, urb), parts)
            by_urb[urb].append((m, period, "state_urb", s, urb))
        for s in states:
            cells.total_of(
                (m, period, "state", s), [(m, period, "state_urb", s2, u) for (s2, u) in state_urb if s2 == s]
            )
        for urb, parts in by_urb.items():
            cells.total_of((m, period, "urb", urb), parts)
        cells.total_of(nation, [(m, period, "urb", u) for u in by_urb])


def _outcome_cells(cells: _Cells, land: Landscape) -> None:
    for m in (RESPONDENTS, IMPROVED):
        for period in land.periods:
            frame = land.outcomes_summary[land.outcomes_summary["period"] == period]
            by_measure = defaultdict(list)
            for row in frame.itertuples():
                key = (m, period, "state_outcome", row.state, row.measure)
                cells.add(key, getattr(row, m))
                by_measure[row.measure].append(key)
            for measure, parts in by_measure.items():
                cells.total_of((m, period, "outcome", measure), parts)


def count_cells(land: Landscape) -> tuple[dict[tuple, int], list[Constraint]]:
    """Exact value of every people count the site shows, and the sums a reader could use."""
    cells = _Cells()
    _served_cells(cells, land)
    _outcome_cells(cells, land)
    return cells.values, cells.constraints


def publishable_counts(land: Landscape, rule: SmallCellRule | None = None) -> Suppressed:
    """The suppressed form of every people count the site shows."""
    values, constraints = count_cells(land)
    return suppress(values, constraints, rule or SmallCellRule.from_contract())
