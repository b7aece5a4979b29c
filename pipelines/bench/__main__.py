"""`python -m pipelines.bench` (`make bench`): the national-scale benchmark; see pipelines/bench/__init__.py."""

from __future__ import annotations

import sys

from pipelines.bench import BenchConfig, run_benchmark


def main() -> int:
    results = run_benchmark(BenchConfig.from_env(), log=lambda line: print(line, flush=True))
    return 0 if results.get("full_rebuild_ok") else 1


if __name__ == "__main__":
    sys.exit(main())
