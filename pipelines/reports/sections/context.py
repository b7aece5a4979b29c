"""The data one page's sections are built from: the landscape, its suppressed people counts, and the page's
place (a state, or the nation) and fiscal years."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from pipelines.reports.cells import SERVED
from pipelines.reports.data import Landscape
from pipelines.reports.sections.figures import count, ratio, total
from pipelines.reports.suppression import Published, Suppressed


@dataclass(frozen=True)
class States:
    """Name, population and HHS region of every state and territory (the reference data)."""

    names: dict[str, str]
    population: dict[str, object]
    regions: dict[str, object]

    @classmethod
    def of(cls, land: Landscape) -> States:
        dim = land.dim_state
        return cls(
            names=dict(zip(dim["state"], dim["state_name"], strict=True)),
            population=dict(zip(dim["state"], dim["population"], strict=True)),
            regions=dict(zip(dim["state"], dim["hhs_region"], strict=True)),
        )

    def name(self, state: str) -> str:
        return self.names.get(state, state)


@dataclass(frozen=True)
class Context:
    land: Landscape
    counts: Suppressed
    states: States
    period: str
    previous: str | None
    state: str | None  # None: the national page

    def frame(self, name: str, period: str | None = None) -> pl.DataFrame:
        """One landscape frame, cut to the page's state (if any) and the period (the page's by default)."""
        frame = getattr(self.land, name)
        scope = pl.col("period") == (period or self.period)
        if self.state is not None:
            scope &= pl.col("state") == self.state
        return frame.filter(scope)

    @property
    def place(self) -> str:
        return "the United States" if self.state is None else self.states.name(self.state)

    @property
    def periods(self) -> list[str]:
        """Every fiscal year the page's place reported in (the trend)."""
        return self.land.periods if self.state is None else self.land.state_periods(self.state)

    def served(self, period: str | None = None) -> Published | None:
        """People served in the page's place (suppressed form)."""
        period = period or self.period
        key = (SERVED, period, "nation") if self.state is None else (SERVED, period, "state", self.state)
        return self.counts.get(key)

    @cached_property
    def _summary_by_period(self) -> dict[str, list[dict]]:
        """The place's state summary rows of each fiscal year, split once (the trend asks for every year)."""
        frame = self.land.state_summary
        if self.state is not None:
            frame = frame.filter(pl.col("state") == self.state)
        rows: dict[str, list[dict]] = {}
        for row in frame.iter_rows(named=True):
            rows.setdefault(row["period"], []).append(row)
        return rows

    def totals(self, period: str) -> dict:
        """The headline figures of one fiscal year."""
        rows = self._summary_by_period.get(period, [])
        grantees = count(total(r["grantees"] for r in rows))
        return {
            "grantees": grantees,
            "peer_run_share": ratio(total(r["peer_run"] for r in rows), grantees),
            "programs": count(total(r["programs"] for r in rows)),
            "served": self.served(period),
            "funding": total(r["funding_usd"] for r in rows),
        }
