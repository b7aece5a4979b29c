"""The national page and each state page, composed from the sections (pipelines/reports/sections/).

Every people count comes from the suppressed cells (pipelines.reports.cells); nothing here or in a section
reads an exact people count for display. Organizations, programs, staff and money are public and read from
the marts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.reports.data import Landscape
from pipelines.reports.sections.base import Headline, Section
from pipelines.reports.sections.classes import classes_section
from pipelines.reports.sections.context import Context, States
from pipelines.reports.sections.counties import counties_section
from pipelines.reports.sections.funding import funding_sections
from pipelines.reports.sections.grantees import grantees_table
from pipelines.reports.sections.headline import headline_table, headlines
from pipelines.reports.sections.outcomes import outcomes_section
from pipelines.reports.sections.program_types import types_section
from pipelines.reports.sections.regions import regions_section
from pipelines.reports.sections.states import states_section
from pipelines.reports.sections.status import status_table
from pipelines.reports.sections.trend import trend_section
from pipelines.reports.sections.urbanicity import urbanicity_section
from pipelines.reports.sections.workforce import workforce_section
from pipelines.reports.suppression import Suppressed
from pipelines.reports.tables import PublishedTable


@dataclass
class Page:
    kind: str  # national | state
    key: str  # "US" or the state code
    title: str
    period: str
    previous_period: str | None
    headlines: list[Headline]
    headline_table: PublishedTable
    sections: list[Section]
    packages: int
    as_of: str
    extra_tables: list[PublishedTable] = field(default_factory=list)

    @property
    def tables(self) -> list[PublishedTable]:
        return [self.headline_table, *(s.table for s in self.sections), *self.extra_tables]


def _previous(periods: list[str], period: str) -> str | None:
    i = periods.index(period)
    return periods[i - 1] if i > 0 else None


class _StateParts(dict):
    """Each state's part of the landscape (Landscape.of_state), split off when its page is first built: a
    render that takes most state pages over builds only a few of them."""

    def __init__(self, land: Landscape) -> None:
        super().__init__()
        self.land = land

    def __missing__(self, state: str) -> Landscape:
        self[state] = part = self.land.of_state(state)
        return part


class PageBuilder:
    """Builds the national page and each state page from the landscape and its suppressed counts."""

    def __init__(self, land: Landscape, counts: Suppressed) -> None:
        self.land = land
        self.counts = counts
        self.states = States.of(land)
        self.by_state = _StateParts(land)

    def _context(self, land: Landscape, periods: list[str], state: str | None) -> Context:
        period = periods[-1]
        return Context(land, self.counts, self.states, period, _previous(periods, period), state)

    def _page(self, ctx: Context, key: str, sections: list[Section], extra: list[PublishedTable]) -> Page:
        return Page(
            "national" if ctx.state is None else "state",
            key,
            f"Peer-support landscape, {'United States' if ctx.state is None else ctx.place}, {ctx.period}",
            ctx.period,
            ctx.previous,
            headlines(ctx),
            headline_table(ctx),
            sections,
            ctx.land.package_count(ctx.state),
            ctx.land.as_of(ctx.state),
            extra,
        )

    def national(self) -> Page:
        ctx = self._context(self.land, self.land.periods, None)
        sections = [
            states_section(ctx),
            classes_section(ctx),
            types_section(ctx),
            *funding_sections(ctx),
            regions_section(ctx),
            urbanicity_section(ctx),
            workforce_section(ctx),
            outcomes_section(ctx),
            trend_section(ctx),
        ]
        return self._page(ctx, "US", sections, [])

    def state(self, state: str) -> Page:
        land = self.by_state[state]
        ctx = self._context(land, land.state_periods(state), state)
        sections = [
            classes_section(ctx),
            counties_section(ctx),
            urbanicity_section(ctx),
            types_section(ctx),
            *funding_sections(ctx),
            workforce_section(ctx),
            outcomes_section(ctx),
            trend_section(ctx),
        ]
        return self._page(ctx, state, sections, [grantees_table(ctx), status_table(ctx)])
