"""Fault drills: a real `landscape` process on a small landing, killed or disturbed, and its home compared.

A drill runs `python -m pipelines.cli ...` in its own process group (as an operator's shell would), times a
SIGKILL of the whole group from the run's event log in the Dagster instance, and snapshots a home in a form
that two runs of the same landing must share: every warehouse table with its timestamp columns left out
and the home's own path written as <HOME>, the archive's bytes, the feedback and report file lists.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.paths import PROJECT_ROOT
from tests.orchestration.package_builder import organization_with, write_package

RUN_TIMEOUT_S = 600
SCHEMAS = ("raw", "staging", "core", "marts")
ROSTER = "grantee_id,organization_name,first_period,last_period\nVT-0001,Hope,FY2024,\nVT-0002,Peer Works,FY2025,\n"


def build_landing(landing: Path) -> Path:
    """Two periods, two states, a roster, an accepted and a rejected package, a workbook-free CSV tree."""
    write_package(landing, "VT-0001", period="FY2025", amount="120000", mtime_s=1_700_000_000)
    write_package(landing, "VT-0001", period="FY2026", amount="150000", mtime_s=1_700_000_100)
    write_package(
        landing,
        "VT-0002",
        period="FY2026",
        overrides={
            "organization": organization_with(
                grantee_id="VT-0002",
                state="VT",
                reporting_period="FY2026",
                county_fips="50007",
                year_founded="1800",
            )
        },
        mtime_s=1_700_000_200,
    )
    write_package(landing, "DE-0001", period="FY2026", county="10001", mtime_s=1_700_000_300)
    (landing / "VT" / "roster.csv").write_text(ROSTER)
    return landing


@dataclass
class Home:
    root: Path
    landing: Path

    @property
    def dagster(self) -> Path:
        return self.root / "dagster"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "landscape.duckdb"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "LANDSCAPE_HOME": str(self.root),
            "LANDSCAPE_LANDING": str(self.landing),
            "DAGSTER_HOME": str(self.dagster),
            "LANDSCAPE_QUIET_SECONDS": "0",
            "COLUMNS": "200",
        }

    def prepare(self) -> Home:
        """The Dagster instance exists before the run, so the drill can read its event log meanwhile."""
        self.dagster.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / "dagster.yaml", self.dagster / "dagster.yaml")
        with dg.DagsterInstance.from_config(str(self.dagster)):
            pass
        return self


def start(home: Home, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "pipelines.cli", *args],
        cwd=PROJECT_ROOT,
        env=home.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a shell job
    )


def finish(process: subprocess.Popen, timeout: float = RUN_TIMEOUT_S) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def landscape(home: Home, *args: str, prefix: tuple[str, ...] = ()) -> tuple[int, str]:
    return finish(start(home, *args, prefix=prefix))


def _seen(instance: dg.DagsterInstance, step: str, event: dg.DagsterEventType) -> bool:
    for run in instance.get_runs(limit=10):
        for entry in instance.all_logs(run.run_id, of_type=event):
            if entry.step_key == step:
                return True
    return False


def wait_for(home: Home, process: subprocess.Popen, step: str, event: dg.DagsterEventType) -> None:
    """Until the run's event log shows `event` for `step` (the run must still be going)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    with dg.DagsterInstance.from_config(str(home.dagster)) as instance:
        while not _seen(instance, step, event):
            if process.poll() is not None:
                raise AssertionError(f"the run ended before {step} {event.value}:\n{process.stdout.read()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{step} {event.value} never came")
            time.sleep(0.05)


def kill_when(home: Home, step: str, event: dg.DagsterEventType = dg.DagsterEventType.STEP_SUCCESS) -> str:
    """Start `landscape run`, SIGKILL its process group as soon as the event log shows `event` for `step`
    (STEP_SUCCESS: at the boundary after it; STEP_START: inside it). Returns what the run printed."""
    process = start(home, "run")
    wait_for(home, process, step, event)
    os.killpg(process.pid, signal.SIGKILL)
    code, output = finish(process, 60)
    assert code == -signal.SIGKILL
    return output


# Snapshots -------------------------------------------------------------------------------------------


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema IN ('raw', 'staging', 'core', 'marts') AND table_type = 'BASE TABLE' ORDER BY ALL"
    ).fetchall()


def _comparable_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return [name for name, kind in rows if "TIMESTAMP" not in kind and kind != "DATE"]


def _normalise(value, home: Path):
    return value.replace(str(home), "<HOME>") if isinstance(value, str) else value


# Hashes over the receipt times and the home's paths of the packages: they differ between homes as those do.
# Whether a home's kept fingerprints are right is asked of that home alone (partition_versions_agree).
HASHES_OF_HOME = {("core", "partition_versions"): ("fingerprint",)}


def warehouse_tables(warehouse: Path, home: Path, keep: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), timestamps aside unless named in keep (schema.table.column)."""
    tables: dict[str, list[tuple]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table in _tables(con):
            dropped = HASHES_OF_HOME.get((schema, table), ())
            columns = [c for c in _comparable_columns(con, schema, table) if c not in dropped]
            columns += [c.split(".")[-1] for c in keep if c.startswith(f"{schema}.{table}.")]
            if not columns:
                continue
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"SELECT {listed} FROM {schema}.{table}").fetchall()
            tables[f"{schema}.{table}"] = sorted(
                (tuple(_normalise(v, home) for v in row) for row in rows), key=repr
            )
    return tables


def partition_versions_agree(warehouse: Path) -> bool:
    """The partition fingerprints the loads kept equal the ones computed afresh from the version records (in a
    transaction rolled back: the home's warehouse is left as it is)."""
    from tests.warehouse.partition_versions_check import (
        kept_partition_versions,
        recomputed_partition_versions,
    )

    with duckdb.connect(str(warehouse)) as con:
        kept = kept_partition_versions(con)
        return bool(kept) and recomputed_partition_versions(con) == kept


def archive_bytes(root: Path) -> dict[str, bytes]:
    """Every archived file's bytes; manifests without their received time (a clock reading)."""
    import json

    files = {}
    for path in sorted((root / "archive").rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "manifest.json":
            manifest = json.loads(data)
            manifest.pop("received_at", None)
            data = json.dumps(manifest, sort_keys=True).encode()
        files[str(path.relative_to(root))] = data
    return files


def file_list(folder: Path) -> list[str]:
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def snapshot(home: Home, keep: tuple[str, ...] = ()) -> dict:
    return {
        "tables": warehouse_tables(home.warehouse, home.root, keep),
        "archive": archive_bytes(home.root),
        "feedback": file_list(home.root / "feedback"),
        "reports": file_list(home.root / "reports"),
        "analyst_copy": (home.root / "analyst" / "warehouse.duckdb").is_file(),
    }


def assert_same(actual: dict, expected: dict) -> None:
    """Part by part, so a failure names what differs rather than dumping two homes."""
    assert actual["archive"].keys() == expected["archive"].keys()
    for name, data in expected["archive"].items():
        assert actual["archive"][name] == data, name
    assert actual["feedback"] == expected["feedback"]
    assert actual["reports"] == expected["reports"]
    assert actual["analyst_copy"] and expected["analyst_copy"]
    assert actual["tables"].keys() == expected["tables"].keys()
    for table, rows in expected["tables"].items():
        assert actual["tables"][table] == rows, table
