"""Analysts' marts: sql/marts/<name>.sql each rebuild one table of the marts schema from the core facts."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.paths import PROJECT_ROOT, SQL_DIR
from pipelines.sql import load_sql
from pipelines.warehouse.connection import query, refresh_dimensions, registered, run_sql

# Build order: trend reads state_summary; every other mart reads core only.
MARTS = (
    "state_summary",
    "programs_by_type",
    "funding_by_source",
    "region_summary",
    "workforce_summary",
    "outcomes_summary",
    "trend",
    "submission_status",
)


def mart_files() -> set[str]:
    return {p.stem for p in (SQL_DIR / "marts").glob("*.sql")}


def rebuild_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every mart and its comments (inside the caller's transaction)."""
    refresh_dimensions(con)
    run_sql(con, "warehouse/dim_period")
    for name in MARTS:
        run_sql(con, f"marts/{name}")
    run_sql(con, "warehouse/generated/comments_marts")


def build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild every mart whole, in one transaction; returns the row count of each."""
    con.begin()
    try:
        rebuild_marts(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return {name: con.table(f"marts.{name}").shape[0] for name in MARTS}


# Marts whose rows for a period are computed from that period's facts alone; trend also reads the year before,
# and submission_status also reads the rosters and the set of periods collected.
LOOKS_BACK_ONE_YEAR = {"trend"}
READS_ROSTERS = {"submission_status"}
STATE_FILE = "marts-state.json"  # beside the warehouse: what the marts were last built from
PARTITIONS_FILE = "marts-partitions.parquet"  # beside it: the partitions' fingerprints it was built from
INPUT_TABLE = re.compile(r"\b(core|raw|staging|marts)\.([a-z_]+)\b")
CODE_INPUTS = ("sql/marts", "sql/marts_refresh", "sql/warehouse", "reference", "pipelines/contract")


def _fiscal_year_shift(period: str, years: int) -> str:
    return f"FY{int(period[2:]) + years}"


def _code_fingerprint() -> str:
    """What, besides the facts, decides the marts' rows: their SQL, the dimensions' files, the contract."""
    digest = hashlib.sha256()
    for folder in CODE_INPUTS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".sql", ".csv", ".yaml", ".json"):
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _partitions(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each partition's fingerprint of its version records, kept in Arrow (and compared in SQL): thousands of
    partitions in a long history, none of them made a Python object."""
    return run_sql(con, "warehouse/partition_fingerprints").to_arrow_table()


def _roster(con: duckdb.DuckDBPyConnection) -> list:
    roster = query(con, "marts_refresh/roster_fingerprint").row(0)
    return [int(roster[0]), str(roster[1])]


def _marts_state(con: duckdb.DuckDBPyConnection, names=MARTS) -> dict[str, list]:
    return {
        name: [str(v) for v in run_sql(con, "marts_refresh/mart_fingerprint", {"mart": name}).fetchone()]
        for name in names
    }


def _partitions_file(state_file: Path) -> Path:
    return state_file.with_name(PARTITIONS_FILE)


def _recorded_partitions(state_file: Path) -> list:
    """The count and fingerprint of the partitions file as it is now (sql/marts_refresh/partitions_record.sql)."""
    reader = duckdb.connect()
    try:
        row = run_sql(reader, "marts_refresh/partitions_record", state_file=str(_partitions_file(state_file)))
        count, digest = row.fetchone()
        return [int(count), str(digest)]
    finally:
        reader.close()


def _read_state(path: Path) -> dict | None:
    """The record of the last build, or None when it is missing, unreadable, or its partitions file is not the
    one it describes."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("partitions") != _recorded_partitions(path):
            return None
    except (OSError, ValueError, duckdb.Error):
        return None
    return state


def _write_state(path: Path, partitions: pa.Table, state: dict) -> None:
    """The partitions' fingerprints to marts-partitions.parquet, then the small record naming that file's
    contents: a crash between the two leaves a record that no longer matches, and the next refresh rebuilds."""
    parquet = _partitions_file(path)
    temporary = parquet.with_name(parquet.name + ".tmp")
    pq.write_table(partitions, temporary)
    os.replace(temporary, parquet)
    temporary = path.with_name(path.name + ".tmp")
    state = {**state, "partitions": _recorded_partitions(path)}
    temporary.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _inputs(name: str) -> list[str]:
    return sorted({f"{s}.{t}" for s, t in INPUT_TABLE.findall(load_sql(f"marts/{name}"))} - {f"marts.{name}"})


def _compute_for_periods(
    con: duckdb.DuckDBPyConnection, periods: dict[str, list[str]]
) -> dict[str, pa.Table]:
    """Each mart's rows computed in one scratch database that holds its inputs' rows of the periods asked for
    (and of the year before each, for a mart that looks back) and nothing else; the caller keeps only each
    mart's own periods. Every mart's rows of a period follow from that period's rows alone (trend: and the
    year before's), so the other periods in the scratch database change none of them."""
    wanted: set[str] = set()
    for name, own in periods.items():
        wanted |= set(own)
        if name in LOOKS_BACK_ONE_YEAR:
            wanted |= {_fiscal_year_shift(p, -1) for p in own}
    computed = {f"marts.{name}" for name in periods}
    inputs = sorted({table for name in periods for table in _inputs(name)} - computed)
    scratch = duckdb.connect()
    try:
        for table in inputs:
            schema = table.split(".")[0]
            has_period = "period" in con.table(table).columns
            rows = (
                run_sql(con, "marts_refresh/period_rows", {"table": table}, periods=sorted(wanted))
                if has_period
                else run_sql(con, "marts_refresh/whole_rows", {"table": table})
            ).to_arrow_table()
            scratch.execute(load_sql("marts_refresh/create_schema").format(schema=schema))
            scratch.from_arrow(rows).create(table)
        scratch.execute(load_sql("marts_refresh/create_schema").format(schema="marts"))
        for name in (m for m in MARTS if m in periods):  # build order: trend reads state_summary
            run_sql(scratch, f"marts/{name}")
        return {name: scratch.table(f"marts.{name}").to_arrow_table() for name in periods}
    finally:
        scratch.close()


def _replace_periods(con: duckdb.DuckDBPyConnection, name: str, periods: list[str], rows: pa.Table) -> bool:
    """Replace the mart's rows of the given periods with those computed for them, unless it holds them already
    (a figure that changed nothing in this mart): True when the mart was rewritten."""
    with registered(con, {"refreshed_rows": rows}):
        held, computed = (
            run_sql(con, "marts_refresh/period_fingerprint", {"table": table}, periods=periods).fetchone()
            for table in (f"marts.{name}", "refreshed_rows")
        )
        if held == computed:
            return False
        run_sql(con, f"marts_refresh/generated/replace_{name}", periods=periods)
    return True


def _changed_periods(
    con: duckdb.DuckDBPyConnection, state_file: Path, partitions: pa.Table
) -> tuple[set[str], bool]:
    """(periods with a partition that changed since the last build, whether the periods collected changed)."""
    with registered(con, {"partitions_now": partitions}):
        changed, collected_changed = run_sql(
            con, "marts_refresh/changed_periods", state_file=str(_partitions_file(state_file))
        ).fetchone()
    return set(changed), bool(collected_changed)


def _marts_exist(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a warehouse built anew (a rebuild after a loss) that a record beside it no longer describes."""
    try:
        for name in MARTS:
            con.table(f"marts.{name}")
    except duckdb.CatalogException:
        return False
    return True


def _refresh_changed(
    con: duckdb.DuckDBPyConnection, state_file: Path, partitions: pa.Table, rosters_changed: bool
) -> set[str]:
    """Recompute the periods whose partitions changed since the last build (trend: and the year after;
    submission_status whole when rosters or the periods collected changed); returns the marts rewritten."""
    changed, collected_changed = _changed_periods(con, state_file, partitions)
    rosters_changed = rosters_changed or collected_changed
    periods: dict[str, list[str]] = {}
    for name in MARTS:
        own = set(changed) | (
            {_fiscal_year_shift(p, 1) for p in changed} if name in LOOKS_BACK_ONE_YEAR else set()
        )
        if own and not (name in READS_ROSTERS and rosters_changed):
            periods[name] = sorted(own)
    rows = _compute_for_periods(con, periods) if periods else {}
    rewritten = set()
    con.begin()
    try:
        for name in MARTS:
            if name in READS_ROSTERS and rosters_changed:
                run_sql(con, f"marts/{name}")
                rewritten.add(name)
            elif name in periods and _replace_periods(con, name, periods[name], rows[name]):
                rewritten.add(name)
        if rewritten:  # a table made anew has lost its comments
            run_sql(con, "warehouse/generated/comments_marts")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return rewritten


def refresh_marts(con: duckdb.DuckDBPyConnection, state_file: Path) -> dict[str, int]:
    """Bring the marts up to date, recomputing only the periods whose partitions changed since they were last
    built. Rebuilds every mart whole when there is no record of the last build, when the marts are not the
    ones it describes, or when their SQL, the reference data or the contract changed. Same rows either way.
    """
    code = _code_fingerprint()
    partitions, roster = _partitions(con), _roster(con)
    before = _read_state(state_file)
    held = (
        _marts_state(con) if before is not None and before.get("code") == code and _marts_exist(con) else None
    )
    if held is None or before.get("marts") != held or "roster" not in before:
        counts = build_marts(con)
        held = _marts_state(con)
    else:
        rewritten = _refresh_changed(con, state_file, partitions, before["roster"] != roster)
        held |= _marts_state(con, sorted(rewritten))
        counts = {name: con.table(f"marts.{name}").shape[0] for name in MARTS}
    _write_state(state_file, partitions, {"code": code, "roster": roster, "marts": held})
    return counts
