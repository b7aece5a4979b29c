"""What the benchmark runs on: scale, periods and where it writes, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.generate import DEFAULT_PERIODS
from pipelines.generate.periods import parse_periods
from pipelines.paths import PROJECT_ROOT

DEFAULT_WORK = PROJECT_ROOT / "bench" / "work"
DEFAULT_RESULTS = PROJECT_ROOT / "bench" / "results.json"


@dataclass(frozen=True)
class BenchConfig:
    work: Path
    results: Path
    scale: float = 1.0
    periods: tuple[str, ...] = DEFAULT_PERIODS
    seed: int = 7
    states: tuple[str, ...] = ()  # empty = every state (the national benchmark)
    warehouse_multiple: int = 4  # the larger warehouse holds this many times the landing's periods

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
    def home_large(self) -> Path:
        return self.work / f"home_{self.warehouse_multiple}x"

    @property
    def baseline_db(self) -> Path:
        return self.work / "baseline.duckdb"
