"""Read the published warehouse into the frames the reports need (every query is a file in sql/reports/)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.sql import load_sql


@dataclass(frozen=True)
class Landscape:
    """Exact figures as the warehouse holds them; nothing here is publishable before suppression."""

    state_summary: pd.DataFrame
    programs_by_type: pd.DataFrame
    funding_by_source: pd.DataFrame
    workforce_summary: pd.DataFrame
    outcomes_summary: pd.DataFrame
    county_mix: pd.DataFrame
    grantee_programs: pd.DataFrame
    program_groups: pd.DataFrame
    packages: pd.DataFrame
    submission_status: pd.DataFrame
    dim_state: pd.DataFrame

    @property
    def periods(self) -> list[str]:
        return sorted(self.state_summary["period"].unique().tolist())

    @property
    def states(self) -> list[str]:
        return sorted(self.state_summary["state"].unique().tolist())

    def state_periods(self, state: str) -> list[str]:
        frame = self.state_summary
        return sorted(frame.loc[frame["state"] == state, "period"].unique().tolist())


def read_landscape(warehouse_path: Path) -> Landscape:
    """Open the warehouse read-only and run each report query."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        frames = {f.name: con.execute(load_sql(f"reports/{f.name}")).df() for f in fields(Landscape)}
    finally:
        con.close()
    return Landscape(**frames)
