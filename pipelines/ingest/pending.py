"""Which state x period partitions have something new, decided without opening a package."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import polars as pl

from pipelines.ingest.identity import landed_identity
from pipelines.ingest.landing import LandingScan
from pipelines.ingest.versions import plan_versions


def partitions_with_packages(
    scan: LandingScan, states: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(period, state) pairs, earliest period first, that hold at least one package (of `states`, if given)."""
    return sorted({(ref.period, ref.state) for ref in scan.packages if not states or ref.state in states})


def pending_partitions(
    scan: LandingScan,
    history_of: Callable[[str, str], pl.DataFrame],
    states: frozenset[str] = frozenset(),
    recorded_of: Callable[[str, str], Mapping[str, tuple[str, str]]] = lambda state, period: {},
) -> list[tuple[str, str]]:
    """(period, state) pairs, earliest period first, whose landing content differs from what was received.

    recorded_of(state, period): source path -> (stat key, sha256) of the last version received from it; a
    package with that stat key is not hashed again."""
    by_partition: dict[tuple[str, str], list] = {}
    for ref in scan.packages:
        if not states or ref.state in states:
            by_partition.setdefault((ref.period, ref.state), []).append(ref)
    pending = []
    for (period, state), refs in sorted(by_partition.items()):
        refs.sort(key=lambda r: (r.mtime_ns, str(r.path)))
        history, recorded = history_of(state, period), recorded_of(state, period)
        planned = plan_versions([(r, landed_identity(r, recorded)) for r in refs], history, datetime.now(UTC))
        if planned:
            pending.append((period, state))
    return pending
