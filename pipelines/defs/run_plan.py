"""Which partitions have something new, and how they are grouped into runs: one plan for `landscape run`,
the nightly schedule and the landing sensor's first tick.

Each period is cut into as few runs as possible: contiguous ranges of its partitions, earliest period first
(W04 looks back at the previous period), at most MAX_PACKAGES_PER_RUN packages each, never spanning a state
whose roster cannot be used (that state runs alone, so it fails alone, naming the roster's problem).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipelines.ingest.archive import archived_partitions, archived_versions
from pipelines.ingest.landing import LandingScan
from pipelines.ingest.pending import partitions_with_packages, pending_partitions
from pipelines.intake import planning_history, recorded_identities, unloaded_versions
from pipelines.validate.roster import RosterError, read_roster
from pipelines.warehouse.connection import connect
from pipelines.warehouse.history import package_history

# Packages per run: large enough that the per-run cost is paid rarely, small enough that a national
# rebuild's memory does not grow with the number of packages.
MAX_PACKAGES_PER_RUN = 1500
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def pending_partitions_of(
    scan: LandingScan, archive: Path, warehouse: Path, wanted: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Partitions with new or changed packages in the landing tree, or with archived versions the warehouse
    has not recorded (a run that died after archiving, or a rebuild from the archive).

    `warehouse` may be the writer's file or the analysts' copy; raises duckdb.Error when it cannot be opened
    (another process holds DuckDB's write lock)."""
    in_archive = [
        (period, state) for period, state in archived_partitions(archive) if not wanted or state in wanted
    ]
    if not warehouse.exists():
        return sorted(set(partitions_with_packages(scan, wanted)) | set(in_archive))
    with connect(warehouse, read_only=True) as con:
        # Each partition's manifests and warehouse history are read once per plan.
        archived_of = cache(lambda state, period: archived_versions(archive, state, period))
        loaded_of = cache(lambda state, period: package_history(con, state, period))
        history_of = cache(
            lambda state, period: planning_history(archived_of(state, period), loaded_of(state, period))
        )

        def recorded_of(state: str, period: str) -> dict[str, tuple[str, str]]:
            return recorded_identities(archived_of(state, period), history_of(state, period))

        changed = pending_partitions(scan, history_of, wanted, recorded_of)
        unloaded = [
            (period, state)
            for period, state in in_archive
            if unloaded_versions(archived_of(state, period), loaded_of(state, period))
        ]
    return sorted(set(changed) | set(unloaded))


def unusable_rosters(scan: LandingScan) -> set[str]:
    blocked = set()
    for state, path in scan.rosters.items():
        try:
            read_roster(path)
        except RosterError:
            blocked.add(state)
    return blocked


def package_weights(scan: LandingScan) -> dict[tuple[str, str], int]:
    """Packages in each (period, state) of the landing tree."""
    weights: dict[tuple[str, str], int] = {}
    for ref in scan.packages:
        weights[(ref.period, ref.state)] = weights.get((ref.period, ref.state), 0) + 1
    return weights


def run_weights(
    scan: LandingScan, archive: Path, pending: list[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Packages in each pending partition: the landing tree's, else (a rebuild, or versions archived but
    never loaded) the partition's archived versions."""
    weights = package_weights(scan)
    for period, state in pending:
        if (period, state) not in weights:
            weights[(period, state)] = len(archived_versions(archive, state, period))
    return weights


def plan_runs(
    pending: list[tuple[str, str]],
    blocked: set[str],
    keys: list[str],
    weights: dict[tuple[str, str], int] | None = None,
    max_weight: int = MAX_PACKAGES_PER_RUN,
) -> list[tuple[str, str]]:
    """(first key, last key) ranges covering the pending partitions, period by period, never spanning a
    blocked state and holding at most `max_weight` packages (so memory stays bounded at any scale); each
    blocked pending partition is a range of its own. `keys` is the partitions' order."""
    weights = weights or {}
    position = {key: i for i, key in enumerate(keys)}
    runs: list[tuple[str, str]] = []
    for period in sorted({period for period, _ in pending}):
        wanted = sorted((position[f"{period}|{state}"], state) for p, state in pending if p == period)
        segment: list[str] = []
        weight = 0
        for _, state in wanted:
            key = f"{period}|{state}"
            own = weights.get((period, state), 1)
            crosses_blocked = segment and any(
                keys[i].split("|")[1] in blocked for i in range(position[segment[-1]] + 1, position[key] + 1)
            )
            if segment and (crosses_blocked or weight + own > max_weight):
                runs.append((segment[0], segment[-1]))
                segment, weight = [], 0
            if state in blocked:
                runs.append((key, key))
            else:
                segment.append(key)
                weight += own
        if segment:
            runs.append((segment[0], segment[-1]))
    return runs
