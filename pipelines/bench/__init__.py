"""National-scale benchmark (`make bench`, `python -m pipelines.bench`).

    run_benchmark(config: BenchConfig, log=print) -> dict   # every figure of bench/results.json
    BenchConfig.from_env() -> BenchConfig                   # BENCH_SCALE, BENCH_PERIODS, BENCH_WORK, BENCH_RESULTS

Generates a synthetic national landing tree under bench/work/, then measures on the same files: DuckDB's own
bulk read_csv (the floor), the full pipeline rebuild, one resubmitted package end to end at two warehouse
sizes, the report site alone, and peak resident memory. Writes bench/results.json.
"""

from pipelines.bench.config import BenchConfig
from pipelines.bench.run import run_benchmark

__all__ = ["BenchConfig", "run_benchmark"]
