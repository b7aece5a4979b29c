"""Loading state x period partitions, and a state's roster, each in one transaction.

A load records the new versions, their findings, their rows as received (raw) and typed (staging, accepted
versions only), decides which version of each grantee is current, then deletes the partitions' core facts and
inserts them again from staging. Any exception rolls the whole load back, so the warehouse is either fully
updated or unchanged. Every step replaces what the same versions wrote before, so a rerun with the same input
leaves identical tables.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.contract import load_contract
from pipelines.package_status import STATUSES, PackageStatus
from pipelines.validate.model import PACKAGE_KEY, ValidatedBatch
from pipelines.warehouse.connection import registered, run_sql
from pipelines.warehouse.incoming import IncomingPartition, PartitionLoad, incoming_partition, table_rows
from pipelines.warehouse.tables import FACT_TABLES, contract_tables

ROSTER_SCHEMA: dict[str, pl.DataType] = {
    "grantee_id": pl.Utf8,
    "organization_name": pl.Utf8,
    "first_period": pl.Utf8,
    "last_period": pl.Utf8,
}


def _record_packages(con: duckdb.DuckDBPyConnection, partitions: dict) -> None:
    run_sql(con, "warehouse/load_packages", **partitions)


def _record_findings(con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, partitions: dict) -> None:
    with registered(con, {"incoming_findings": findings}):
        run_sql(con, "warehouse/load_findings", **partitions)


def _record_rows(
    con: duckdb.DuckDBPyConnection,
    raw: dict[str, pl.DataFrame],
    typed: dict[str, pl.DataFrame],
    partitions: dict,
) -> None:
    # Every contract table is visited, with an empty frame when absent, so a rerun also clears rows that a
    # previous attempt at the same versions wrote.
    for table in contract_tables():
        empty = table_rows(table, pl.DataFrame(schema={PACKAGE_KEY: pl.Utf8}), as_text=True)
        with registered(con, {"incoming_rows": raw.get(table, empty)}):
            run_sql(con, f"warehouse/generated/load_raw_{table}", **partitions)
        with registered(con, {"incoming_typed": typed.get(table, empty)}):
            run_sql(con, f"warehouse/generated/load_staging_{table}", **partitions)


def _mark_current(con: duckdb.DuckDBPyConnection, partitions: dict) -> None:
    run_sql(con, "warehouse/current_versions", **partitions)
    # The fingerprints the marts' refresh and the analysts' copy compare, kept with the versions they describe.
    run_sql(con, "warehouse/record_partition_versions", **partitions)


def _rebuild_facts(con: duckdb.DuckDBPyConnection, partitions: dict) -> None:
    shares = load_contract().peer_run["criteria"]
    board_share = next(c["board_share"] for c in shares if "board_share" in c)
    staff_share = next(c["staff_share"] for c in shares if "staff_share" in c)
    run_sql(
        con,
        "warehouse/facts_grantees",
        board_share=str(board_share),
        staff_share=str(staff_share),
        **partitions,
    )
    for table in FACT_TABLES:
        run_sql(con, f"warehouse/generated/facts_{table}", **partitions)


def _partition_counts(con: duckdb.DuckDBPyConnection, partitions: dict) -> dict[str, dict[str, int]]:
    rows = run_sql(con, "warehouse/partition_counts", **partitions).pl().iter_rows(named=True)
    return {row.pop("state"): {k: int(v or 0) for k, v in row.items()} for row in rows}


def _groups(
    incoming: dict[tuple[str, str], IncomingPartition],
) -> list[tuple[str, list[IncomingPartition]]]:
    """The partitions by period, earlier periods first (W04 looks back), split where a package_key (grantee,
    period, version: no state) would repeat, so that every group's rows join their own versions only."""
    groups: list[tuple[str, list[IncomingPartition], set[str]]] = []
    for (period, _), part in sorted(incoming.items()):
        keys = set(part.packages.get_column(PACKAGE_KEY).to_list())
        if groups and groups[-1][0] == period and not keys & groups[-1][2]:
            groups[-1][1].append(part)
            groups[-1][2].update(keys)
        else:
            groups.append((period, [part], keys))
    return [(period, parts) for period, parts, _ in groups]


def _together(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(frames, how="diagonal_relaxed")


def _by_table(parts: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    names = sorted({name for part in parts for name in part})
    return {name: _together([part[name] for part in parts if name in part]) for name in names}


def _load_group(
    con: duckdb.DuckDBPyConnection, period: str, parts: list[IncomingPartition]
) -> dict[str, dict]:
    """Delete-then-insert every partition of the group with one statement per step (not one per partition)."""
    states = sorted(part.state for part in parts)
    partitions = {"period": period, "states": states, "first_state": states[0], "last_state": states[-1]}
    raw, typed = _by_table([p.raw for p in parts]), _by_table([p.typed for p in parts])
    with registered(con, {"incoming_packages": _together([p.packages for p in parts])}):
        _record_packages(con, partitions)
        _record_findings(con, _together([p.findings for p in parts]), partitions)
        _record_rows(con, raw, typed, partitions)
    _mark_current(con, partitions)
    _rebuild_facts(con, partitions)
    return _partition_counts(con, partitions)


def _summary(part: IncomingPartition, counts: dict[str, int]) -> dict:
    statuses = part.packages.get_column("status").to_list()
    accepted = part.packages.filter(pl.col("status") == PackageStatus.ACCEPTED.value).select(PACKAGE_KEY)
    return {
        "packages": part.packages.height,
        **{status: statuses.count(status) for status in STATUSES},
        "findings": part.findings.height,
        "raw_rows": sum(f.height for f in part.raw.values()),
        "staging_rows": sum(f.join(accepted, on=PACKAGE_KEY).height for f in part.typed.values()),
        **counts,
    }


def load_partitions(con: duckdb.DuckDBPyConnection, loads: list[PartitionLoad]) -> list[dict]:
    """Load the new versions of several partitions in one transaction, delete-then-insert; returns each
    partition's counts (for run metadata), in the order given.

    The partitions of one period are loaded together, each step one statement for all of them, so a run's
    fixed cost per statement is paid once per period rather than once per partition. Every delete names the
    period and a state range as constants, so DuckDB skips other partitions' row groups: the cost of a load
    follows the partitions loaded, not the warehouse. Any exception rolls every partition back.
    """
    incoming = {(load.period, load.state): incoming_partition(load) for load in loads}
    if len(incoming) != len(loads):
        raise ValueError("the same partition is loaded twice")
    counts: dict[tuple[str, str], dict] = {}
    con.begin()
    try:
        for period, parts in _groups(incoming):
            for state, partition_counts in _load_group(con, period, parts).items():
                counts[(period, state)] = partition_counts
        run_sql(con, "warehouse/dim_period")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return [
        _summary(incoming[(load.period, load.state)], counts[(load.period, load.state)]) for load in loads
    ]


def load_partition(
    con: duckdb.DuckDBPyConnection,
    state: str,
    period: str,
    new_versions: pl.DataFrame,
    batch: ValidatedBatch | None,
    raw_tables: dict[str, pl.DataFrame],
) -> dict:
    """Load one partition's new versions in one transaction; returns counts for run metadata."""
    return load_partitions(con, [PartitionLoad(state, period, new_versions, batch, raw_tables)])[0]


def load_rosters(con: duckdb.DuckDBPyConnection, rosters: dict[str, pl.DataFrame]) -> int:
    """Replace the given states' rosters (grantee_id, organization_name, first_period, last_period) in one
    transaction, one statement for all of them (none when they are already the warehouse's); returns the rows
    read."""
    frames = [
        roster.with_columns(
            [pl.lit(None, dtype=pl.Utf8).alias(c) for c in ROSTER_SCHEMA if c not in roster.columns]
        ).select(
            pl.lit(state, dtype=pl.Utf8).alias("state"),
            *[pl.col(c).cast(t) for c, t in ROSTER_SCHEMA.items()],
        )
        for state, roster in rosters.items()
    ]
    incoming = pl.concat(frames) if frames else pl.DataFrame(schema={"state": pl.Utf8, **ROSTER_SCHEMA})
    states = sorted(rosters)
    con.begin()
    try:
        with registered(con, {"incoming_roster": incoming}):
            held, read = (
                run_sql(con, "warehouse/roster_fingerprint", {"table": table}, states=states).fetchone()
                for table in ("core.roster", "incoming_roster")
            )
            if held != read:  # a refresh with every roster as it was writes nothing
                run_sql(con, "warehouse/load_roster", states=states)
                run_sql(con, "warehouse/dim_period")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return incoming.height


def load_roster(con: duckdb.DuckDBPyConnection, state: str, roster_frame: pl.DataFrame) -> int:
    """Replace one state's roster in one transaction."""
    return load_rosters(con, {state: roster_frame})
