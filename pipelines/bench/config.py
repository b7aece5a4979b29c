"""What the benchmark runs on: scale, periods and where it writes, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.generate.periods import parse_periods
from pipelines.generate.population import default_states
from pipelines.paths import PROJECT_ROOT

DEFAULT_WORK = PROJECT_ROOT / "bench" / "work"
DEFAULT_RESULTS = PROJECT_ROOT / "bench" / "results.json"
# A national office keeps a decade of history: the benchmark's landing spans ten fiscal years.
DEFAULT_PERIODS = tuple(f"FY{year}" for year in range(2017, 2027))


@dataclass(frozen=True)
class BenchConfig:
    work: Path
    results: Path
    scale: float = 1.0
    periods: tuple[str, ...] = DEFAULT_PERIODS
    seed: int = 7
    states: tuple[str, ...] = ()  # empty = every state, DC and PR (the national benchmark)
    warehouse_multiples: tuple[int, ...] = (4, 10)  # the larger warehouses hold this many times the rows
    profile_periods: int = 1  # the profiled rebuild (not timed) takes this many of the last periods

    @classmethod
    def from_env(cls) -> BenchConfig:
        periods = os.environ.get("BENCH_PERIODS", "").strip()
        states = os.environ.get("BENCH_STATES", "").strip()
        return cls(
            work=Path(os.environ.get("BENCH_WORK", DEFAULT_WORK)),
            results=Path(os.environ.get("BENCH_RESULTS", DEFAULT_RESULTS)),
            scale=float(os.environ.get("BENCH_SCALE", "1") or 1),
            periods=tuple(parse_periods(periods)) if periods else DEFAULT_PERIODS,
            states=tuple(s.strip().upper() for s in states.split(",") if s.strip()),
        )

    @property
    def landing(self) -> Path:
        return self.work / "landing"

    @property
    def home(self) -> Path:
        return self.work / "home"

    @property
    def generated_states(self) -> list[str]:
        return list(self.states) or list(default_states())  # the 50 states, DC and PR

    def home_of(self, multiple: int) -> Path:
        return self.home if multiple == 1 else self.work / f"home_{multiple}x"

    @property
    def profile_home(self) -> Path:
        return self.work / "home_profiled"

    @property
    def profile_landing(self) -> Path:
        return self.work / "landing_profiled"

    @property
    def baseline_db(self) -> Path:
        return self.work / "baseline.duckdb"
