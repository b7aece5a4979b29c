"""Read the published warehouse into the frames the reports need (every query is a file in sql/reports/)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path

import duckdb
import polars as pl

from pipelines.reports.packages_csv import FramePackages, Identity, WarehousePackages
from pipelines.sql import load_sql

# Frames a state page reads every fiscal year of (package_counts: summed over them); of the others, only its
# latest years.
HISTORY_FRAMES = ("state_summary", "package_counts", "reported")


@dataclass(frozen=True)
class Landscape:
    """Exact figures as the warehouse holds them; nothing here is publishable before suppression.

    The frames not in HISTORY_FRAMES (or dim_state) may hold only the (state, period) pairs of
    `_page_periods`: no page, chart, download or protected count reads any other year of them."""

    state_summary: pl.DataFrame
    programs_by_type: pl.DataFrame
    funding_by_source: pl.DataFrame
    workforce_summary: pl.DataFrame
    outcomes_summary: pl.DataFrame
    county_mix: pl.DataFrame
    grantee_programs: pl.DataFrame
    program_groups: pl.DataFrame
    package_counts: pl.DataFrame  # per state: its current accepted packages and when the latest was received
    submission_status: pl.DataFrame
    reported: pl.DataFrame  # (state, period) of every year a state reported in: summary or submission status
    dim_state: pl.DataFrame
    # The rows of downloads/packages.csv: at hand (FramePackages), or fingerprinted by fiscal year in the
    # warehouse and read only where the live site's file is not up to date (packages_csv.py). No page reads them.
    packages: FramePackages | WarehousePackages

    @classmethod
    def from_frames(cls, *, packages: pl.DataFrame | WarehousePackages, **frames: pl.DataFrame) -> Landscape:
        """The landscape of these frames; `packages` the package rows (their counts are taken from them when
        package_counts is not given) or a warehouse's (read_landscape)."""
        if isinstance(packages, pl.DataFrame):
            packages = plain_missing(packages)
            frames.setdefault("package_counts", package_counts(packages))
            packages = FramePackages(packages)
        return cls(**{name: plain_missing(frame) for name, frame in frames.items()}, packages=packages)

    @property
    def periods(self) -> list[str]:
        return sorted(self.state_summary["period"].unique().to_list())

    @cached_property
    def states(self) -> list[str]:
        """States with an accepted package, and states whose grantees sent only rejected ones or none
        (their page says so and carries the submission status)."""
        return self.reported["state"].unique().sort().to_list()

    def state_periods(self, state: str) -> list[str]:
        return self.reported.filter(pl.col("state") == state)["period"].unique().sort().to_list()

    def latest_periods(self) -> dict[str, str]:
        """Each state's latest fiscal year (its last of `state_periods`), for every state at once."""
        return dict(self.reported.group_by("state").agg(pl.col("period").max()).iter_rows())

    def of_state(self, state: str) -> Landscape:
        """The state's rows of what its page reads (the reference data whole): a state page shows every fiscal
        year of the frames in HISTORY_FRAMES (the trend, the count of packages behind it, the years it reported)
        and, of every other frame, only its latest year (and the year before, which a comparison may read):
        those rows are all it is given, so a page is built from exactly the rows its fingerprint covers
        (page_inputs.py), however long the history."""
        return replace(
            self,
            **{
                name: self.page_rows(name).filter(pl.col("state") == state)
                for name in FRAMES
                if name != "dim_state"
            },
        )

    def page_rows(self, name: str) -> pl.DataFrame:
        """The rows of a frame that state pages read, every state's at once (`of_state` takes one's): every
        fiscal year of HISTORY_FRAMES, each state's latest two of the others."""
        frame = getattr(self, name)
        if name in HISTORY_FRAMES:
            return frame
        return frame.join(self._shown_pairs, on=["state", "period"], how="semi", maintain_order="left")

    @cached_property
    def _shown_pairs(self) -> pl.DataFrame:
        return self._page_periods()

    def _page_periods(self) -> pl.DataFrame:
        """(state, period) of each state's latest fiscal year and the one before (of `state_periods`)."""
        return self.reported.unique().sort("state", "period").group_by("state", maintain_order=True).tail(2)

    def _counts_of(self, state: str | None) -> pl.DataFrame:
        counts = self.package_counts
        return counts if state is None else counts.filter(pl.col("state") == state)

    def package_count(self, state: str | None = None) -> int:
        """How many current accepted packages are behind a page (every one for the national page)."""
        return int(self._counts_of(state)["packages"].sum())

    def as_of(self, state: str | None) -> str:
        """The day the latest package behind a page was received."""
        counts = self._counts_of(state)
        if counts.is_empty():
            return "no accepted package"
        return counts["latest_received_at"].max().strftime("%Y-%m-%d")


# The frames of a landscape (every field but the package rows), each read by sql/reports/<name>.sql.
FRAMES = tuple(f.name for f in fields(Landscape) if f.name != "packages")


def package_counts(packages: pl.DataFrame) -> pl.DataFrame:
    """What sql/reports/package_counts.sql gives, of package rows at hand."""
    return (
        packages.group_by("state")
        .agg(
            pl.len().cast(pl.Int64).alias("packages"), pl.col("received_at").max().alias("latest_received_at")
        )
        .sort("state")
    )


def plain_missing(frame: pl.DataFrame) -> pl.DataFrame:
    """Missing figures as null only, and whole numbers as integers.

    A NaN (a float column built outside DuckDB) means no figure, as NULL does; DuckDB hands a SUM of
    integers over as DECIMAL(38,0), which becomes Int64. Money stays DECIMAL, so sums by group are exact."""
    return frame.with_columns(
        *(pl.col(name).fill_nan(None) for name, dtype in frame.schema.items() if dtype.is_float()),
        *(
            pl.col(name).cast(pl.Int64)
            for name, dtype in frame.schema.items()
            if isinstance(dtype, pl.Decimal) and dtype.scale == 0
        ),
    )


def read_landscape(warehouse_path: Path) -> Landscape:
    """Open the warehouse read-only and run each report query: every fiscal year of the frames a page shows
    whole (HISTORY_FRAMES, and the reference data), and of every other frame only the years pages show
    (sql/reports/shown_pairs.sql, the pairs of `Landscape._page_periods`), so the memory and time of a render
    follow what is published, not the length of the history. Of the package rows it reads only each fiscal
    year's fingerprint (packages_csv.py)."""
    source = Identity.of(Path(warehouse_path))  # before connecting: see WarehousePackages.rows
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        con.execute(load_sql("reports/shown_pairs"))
        frames = {name: con.execute(load_sql(f"reports/{name}")).pl() for name in FRAMES}
        packages = WarehousePackages.read(con, Path(warehouse_path), source)
    finally:
        con.close()
    return Landscape.from_frames(packages=packages, **frames)
