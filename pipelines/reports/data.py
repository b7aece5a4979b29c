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

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Landscape:
        return cls(**{name: plain_missing(frame) for name, frame in frames.items()})

    @property
    def periods(self) -> list[str]:
        return sorted(self.state_summary["period"].unique().tolist())

    @property
    def states(self) -> list[str]:
        """States with an accepted package, and states whose grantees sent only rejected ones or none
        (their page says so and carries the submission status)."""
        present = {*self.state_summary["state"], *self.submission_status["state"]}
        return sorted(present)

    def state_periods(self, state: str) -> list[str]:
        present = {
            *self.state_summary.loc[self.state_summary["state"] == state, "period"],
            *self.submission_status.loc[self.submission_status["state"] == state, "period"],
        }
        return sorted(present)


def plain_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as NaN (numbers) or None (everything else), never pandas' NA.

    DuckDB hands a nullable integer or boolean column over as Int64/boolean with pd.NA, whose truth value
    raises; the page builder compares and divides plain floats and tests missing values with pd.isna."""
    frame = frame.copy()
    for name, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and not isinstance(
            dtype, pd.DatetimeTZDtype | pd.CategoricalDtype
        ):
            column = frame[name]
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                frame[name] = column.astype("float64")
            else:
                frame[name] = column.astype(object).where(column.notna(), None)
    return frame


def read_landscape(warehouse_path: Path) -> Landscape:
    """Open the warehouse read-only and run each report query."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        frames = {f.name: con.execute(load_sql(f"reports/{f.name}")).df() for f in fields(Landscape)}
    finally:
        con.close()
    return Landscape.from_frames(**frames)
