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
PARTITIONS_FILE = "marts-partitions.parquet"  # beside it: the partitions' fingerprints they were built from
PERIODS_FILE = "marts-periods.parquet"  # beside it: each mart's fingerprint per period, as the build left it
INPUT_TABLE = re.compile(r"\b(core|raw|staging|marts)\.([a-z_]+)\b")
CODE_INPUTS = ("sql/marts", "sql/marts_refresh", "sql/warehouse", "reference", "pipelines/contract")
PERIOD_PRINTS = pa.schema(
    [
        ("mart", pa.string()),
        ("period", pa.string()),
        ("rows", pa.int64()),
        ("fingerprint", pa.decimal128(38, 0)),
    ]
)


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
    """Each partition's fingerprint of its version records, as the loads keep them (core.partition_versions),
    kept in Arrow (and compared in SQL): thousands of partitions in a long history, none made a Python object."""
    return run_sql(con, "warehouse/partition_fingerprints").to_arrow_table()


def _roster(con: duckdb.DuckDBPyConnection) -> list:
    roster = query(con, "marts_refresh/roster_fingerprint").row(0)
    return [int(roster[0]), str(roster[1])]


def _record_files(state_file: Path) -> dict[str, Path]:
    """The Parquet files the record keeps beside marts-state.json, by the key naming their contents there."""
    return {
        "partitions": state_file.with_name(PARTITIONS_FILE),
        "periods": state_file.with_name(PERIODS_FILE),
    }


def _file_records(state_file: Path) -> dict[str, list]:
    """The count and fingerprint of each record file as it is now (sql/marts_refresh/file_record.sql)."""
    reader = duckdb.connect()
    try:
        records = {}
        for key, path in _record_files(state_file).items():
            count, digest = run_sql(reader, "marts_refresh/file_record", path=str(path)).fetchone()
            records[key] = [int(count), str(digest)]
        return records
    finally:
        reader.close()


def _read_state(path: Path) -> dict | None:
    """The record of the last build, or None when it is missing, unreadable, or a file beside it is not the one
    it describes."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if any(state.get(key) != record for key, record in _file_records(path).items()):
            return None
    except (OSError, ValueError, duckdb.Error):
        return None
    return state


def _write_state(path: Path, tables: dict[str, pa.Table], state: dict) -> None:
    """The partitions' and the marts' periods' fingerprints to their Parquet files, then the small record naming
    those files' contents: a crash between them leaves a record that no longer matches, and the next refresh
    rebuilds."""
    files = _record_files(path)
    for key, table in tables.items():
        temporary = files[key].with_name(files[key].name + ".tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, files[key])
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({**state, **_file_records(path)}, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _inputs(name: str) -> list[str]:
    return sorted({f"{s}.{t}" for s, t in INPUT_TABLE.findall(load_sql(f"marts/{name}"))} - {f"marts.{name}"})


def _compute_for_periods(
    con: duckdb.DuckDBPyConnection, periods: dict[str, list[str]]
) -> dict[str, pa.Table]:
    """Each mart's rows computed in one scratch database that shows its inputs' rows of the periods asked for
    (and of the year before each, for a mart that looks back) and nothing else; the caller keeps only each
    mart's own periods. Every mart's rows of a period follow from that period's rows alone (trend: and the
    year before's), so the other periods in the scratch database change none of them.

    The scratch database is attached in memory to the writer's connection and holds views of the writer's
    tables, filtered to those periods: DuckDB reads the rows where they are (nothing is copied), and the marts'
    own SQL runs there unchanged (its schema names resolve in the scratch database while in use)."""
    wanted: set[str] = set()
    for name, own in periods.items():
        wanted |= set(own)
        if name in LOOKS_BACK_ONE_YEAR:
            wanted |= {_fiscal_year_shift(p, -1) for p in own}
    computed = {f"marts.{name}" for name in periods}
    inputs = sorted({table for name in periods for table in _inputs(name)} - computed)
    (catalog,) = run_sql(con, "warehouse/current_catalog").fetchone()
    run_sql(con, "marts_refresh/attach_scratch")
    try:
        run_sql(con, "marts_refresh/scratch_periods", periods=sorted(wanted))
        for table in inputs:
            names = {"table": table, "catalog": catalog}
            run_sql(con, "marts_refresh/create_schema", {"schema": table.split(".")[0]})
            if "period" in con.table(table).columns:
                run_sql(con, "marts_refresh/period_view", names)
            else:
                run_sql(con, "marts_refresh/whole_view", names)
        run_sql(con, "marts_refresh/create_schema", {"schema": "marts"})
        run_sql(con, "warehouse/use_catalog", {"catalog": "marts_scratch"})
        try:
            for name in (m for m in MARTS if m in periods):  # build order: trend reads state_summary
                run_sql(con, f"marts/{name}")
            return {name: con.table(f"marts_scratch.marts.{name}").to_arrow_table() for name in periods}
        finally:
            run_sql(con, "warehouse/use_catalog", {"catalog": catalog})
    finally:
        run_sql(con, "marts_refresh/detach_scratch")


def _period_prints(con: duckdb.DuckDBPyConnection, name: str, table: str, periods: list[str]) -> pa.Table:
    """The mart's fingerprint of each period asked for, as held in `table` (sql/marts_refresh/period_fingerprints)."""
    return run_sql(
        con, "marts_refresh/period_fingerprints", {"table": table}, mart=name, periods=periods
    ).to_arrow_table()


def _mart_prints(con: duckdb.DuckDBPyConnection, name: str) -> pa.Table:
    """The mart's fingerprint of every period it holds: after the mart is built whole."""
    return run_sql(
        con, "marts_refresh/mart_fingerprints", {"table": f"marts.{name}"}, mart=name
    ).to_arrow_table()


def _whole_record(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return pa.concat_tables([_mart_prints(con, name).cast(PERIOD_PRINTS) for name in MARTS])


def _row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        name: run_sql(con, "marts_refresh/row_count", {"table": f"marts.{name}"}).fetchone()[0]
        for name in MARTS
    }


def _counts_as_recorded(con: duckdb.DuckDBPyConnection, state_file: Path) -> bool:
    """Each mart holds as many rows as the record's periods add up to (a count is cheap: the rows of a period
    are compared only when it is recomputed)."""
    recorded = dict(
        run_sql(con, "marts_refresh/recorded_counts", path=str(state_file.with_name(PERIODS_FILE))).fetchall()
    )
    return all(count == recorded.get(name, 0) for name, count in _row_counts(con).items())


def _like_record(con: duckdb.DuckDBPyConnection, state_file: Path, held: dict[str, pa.Table]) -> bool:
    """True when every period about to be recomputed holds the rows the record has for it."""
    if not held:
        return True
    with registered(con, {"held_periods": pa.concat_tables([t.cast(PERIOD_PRINTS) for t in held.values()])}):
        (unlike,) = run_sql(
            con, "marts_refresh/unlike_record", path=str(state_file.with_name(PERIODS_FILE))
        ).fetchone()
    return unlike == 0


def _updated_record(
    con: duckdb.DuckDBPyConnection, state_file: Path, refreshed: list[pa.Table], rebuilt: set[str]
) -> pa.Table:
    """The record's periods with those recomputed (and every period of the marts rebuilt whole) replaced."""
    prints = pa.concat_tables([PERIOD_PRINTS.empty_table(), *(t.cast(PERIOD_PRINTS) for t in refreshed)])
    with registered(con, {"refreshed_periods": prints}):
        return run_sql(
            con,
            "marts_refresh/updated_record",
            path=str(state_file.with_name(PERIODS_FILE)),
            rebuilt=sorted(rebuilt),
        ).to_arrow_table()


def _changed_periods(
    con: duckdb.DuckDBPyConnection, state_file: Path, partitions: pa.Table
) -> tuple[set[str], bool]:
    """(periods with a partition that changed since the last build, whether the periods collected changed)."""
    with registered(con, {"partitions_now": partitions}):
        changed, collected_changed = run_sql(
            con, "marts_refresh/changed_periods", state_file=str(state_file.with_name(PARTITIONS_FILE))
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


def _periods_to_recompute(changed: set[str], whole: set[str]) -> dict[str, list[str]]:
    """Each mart's periods to recompute: those changed (trend: and the year after each), none for a mart
    rebuilt whole."""
    periods: dict[str, list[str]] = {}
    for name in MARTS:
        own = set(changed) | (
            {_fiscal_year_shift(p, 1) for p in changed} if name in LOOKS_BACK_ONE_YEAR else set()
        )
        if own and name not in whole:
            periods[name] = sorted(own)
    return periods


def _refresh_changed(
    con: duckdb.DuckDBPyConnection, state_file: Path, partitions: pa.Table, rosters_changed: bool
) -> pa.Table | None:
    """Recompute the periods whose partitions changed since the last build (trend: and the year after;
    submission_status whole when rosters or the periods collected changed) and replace, in one transaction, the
    rows of those periods of each mart whose rows differ (delete then insert: the other periods are neither read
    nor written). Returns the record's periods brought up to date, or None when a period about to be
    recomputed does not hold the rows the record has for it: those marts are not the recorded ones."""
    changed, collected_changed = _changed_periods(con, state_file, partitions)
    whole = READS_ROSTERS if rosters_changed or collected_changed else set()
    periods = _periods_to_recompute(changed, whole)
    held = {name: _period_prints(con, name, f"marts.{name}", own) for name, own in periods.items()}
    if not _like_record(con, state_file, held):
        return None
    rows = _compute_for_periods(con, periods) if periods else {}
    refreshed = []
    con.begin()
    try:
        for name in MARTS:
            if name in whole:
                run_sql(con, f"marts/{name}")
                refreshed.append(_mart_prints(con, name))
            elif name in periods:
                with registered(con, {"refreshed_rows": rows[name]}):
                    computed = _period_prints(con, name, "refreshed_rows", periods[name])
                    if not computed.equals(held[name]):  # else it holds these rows already
                        run_sql(
                            con,
                            "marts_refresh/replace_periods",
                            {"table": f"marts.{name}"},
                            periods=periods[name],
                        )
                refreshed.append(computed)
        if whole:  # a table made anew has lost its comments
            run_sql(con, "warehouse/generated/comments_marts")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return _updated_record(con, state_file, refreshed, whole)


def refresh_marts(con: duckdb.DuckDBPyConnection, state_file: Path) -> dict[str, int]:
    """Bring the marts up to date, recomputing only the periods whose partitions changed since they were last
    built. Rebuilds every mart whole when there is no record of the last build, when the marts are not the
    ones it describes (another number of rows, or other rows in a period about to be recomputed), or when their
    SQL, the reference data or the contract changed. Same rows either way; the order of a mart's rows is left
    to its readers (sql/publish/generated/ordered_<mart>.sql).
    """
    code = _code_fingerprint()
    partitions, roster = _partitions(con), _roster(con)
    before = _read_state(state_file)
    record = None
    if (
        before is not None
        and before.get("code") == code
        and "roster" in before
        and _marts_exist(con)
        and _counts_as_recorded(con, state_file)
    ):
        record = _refresh_changed(con, state_file, partitions, before["roster"] != roster)
    if record is None:
        build_marts(con)
        record = _whole_record(con)
    _write_state(state_file, {"partitions": partitions, "periods": record}, {"code": code, "roster": roster})
    return _row_counts(con)
