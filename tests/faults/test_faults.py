"""Faults as operators meet them, on real `landscape` processes: kill -9 at step boundaries, two runs at
once, a missing landing, a lost warehouse, an unreadable file. Each home ends as a clean run's does."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.faults.drill import (
    Home,
    archive_bytes,
    assert_same,
    build_landing,
    finish,
    kill_when,
    landscape,
    partition_versions_agree,
    snapshot,
    start,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

STEP = dg.DagsterEventType.STEP_SUCCESS


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    return build_landing(tmp_path_factory.mktemp("landing") / "landing")


@pytest.fixture(scope="module")
def clean(tmp_path_factory, landing) -> tuple[Home, dict]:
    """One uninterrupted run of the landing: the reference every drill is compared with."""
    home = Home(tmp_path_factory.mktemp("clean") / "home", landing).prepare()
    code, output = landscape(home, "run")
    assert code == 0, output
    return home, snapshot(home)


@pytest.fixture
def home(tmp_path, landing) -> Home:
    return Home(tmp_path / "home", landing).prepare()


def _rows(home: Home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _stop_with_sigterm_inside(home: Home, step: str) -> None:
    """Ctrl-C's cousin from a service manager: the run ends within ten seconds, without a traceback."""
    process = start(home, "run")
    wait_for(home, process, step, dg.DagsterEventType.STEP_START)
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGTERM)
    code, output = finish(process, 30)
    assert time.monotonic() - sent < 10
    assert code == 128 + signal.SIGTERM, output
    assert "Traceback" not in output


def test_kill_at_every_step_boundary_in_turn_then_rerun(home, clean):
    """A run stopped by SIGTERM inside validation, then each rerun killed (SIGKILL of its process group) at
    the next point: after archiving, inside the load, after the load (no feedback yet), after the marts,
    after the published copy. Every kill leaves a state the next run recovers from: the last rerun ends
    with the clean run's tables, archive, feedback and reports, and no run is left marked as running."""
    _stop_with_sigterm_inside(home, "validated_packages")
    assert list((home.root / "archive").rglob("manifest.json"))  # archived, not loaded
    kill_when(home, "package_versions")
    kill_when(home, "warehouse_partition", dg.DagsterEventType.STEP_START)
    kill_when(home, "warehouse_partition")
    assert _rows(home, "SELECT count(*) FROM core.packages") != [(0,)]
    kill_when(home, "marts")
    kill_when(home, "published_warehouse")
    code, output = landscape(home, "run")
    assert code == 0, output
    assert_same(snapshot(home), clean[1])
    assert partition_versions_agree(home.warehouse)
    with dg.DagsterInstance.from_config(str(home.dagster)) as instance:
        running = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert running == []  # every killed run was marked failed


def test_kill_after_the_load_then_one_rerun_completes_everything(home, clean):
    kill_when(home, "warehouse_partition")
    assert not list((home.root / "feedback").rglob("findings.csv"))
    code, output = landscape(home, "run")
    assert code == 0, output
    assert "recovered run" in output  # the killed run held the writer slot: marked failed, slot freed
    assert_same(snapshot(home), clean[1])


def test_two_runs_at_once(home, clean):
    first = start(home, "run")
    lock = home.root / ".landscape.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text()):
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    holder = json.loads(lock.read_text())
    code, output = landscape(home, "run", "--no-wait")
    assert code == 75
    [line] = output.strip().splitlines()
    assert f"pid {holder['pid']}" in line and holder["run_id"] in line and "Traceback" not in line
    waiting = start(home, "run")
    code, output = finish(first)
    assert code == 0, output
    code, output = finish(waiting)
    assert code == 0, output
    assert f"waiting: {home.root.resolve()} is in use by landscape run" in output
    assert "nothing new: 4 package(s) unchanged" in output and "No packages found" not in output
    assert_same(snapshot(home), clean[1])


@pytest.mark.parametrize("problem", ["missing", "empty"])
def test_missing_or_empty_landing_changes_nothing(tmp_path, problem):
    landing = tmp_path / "share"
    if problem == "empty":
        landing.mkdir()
    home = Home(tmp_path / "home", landing)
    home.root.mkdir()
    code, output = landscape(home, "run")
    assert code == 66
    [line] = output.strip().splitlines()
    assert str(landing) in line and "nothing was changed" in line
    assert sorted(p.name for p in home.root.iterdir()) == []


def test_lost_warehouse_is_rebuilt_from_the_archive(tmp_path, clean):
    source, expected = clean
    home = Home(tmp_path / "home", source.landing)
    shutil.copytree(source.root, home.root, symlinks=True)
    archive_before = archive_bytes(home.root)
    home.warehouse.unlink()
    code, output = landscape(home, "run")
    assert code == 2
    [line] = output.strip().splitlines()
    assert "landscape rebuild" in line
    assert not home.warehouse.exists() and archive_bytes(home.root) == archive_before
    code, output = landscape(home, "rebuild")
    assert code == 0, output
    keep = ("core.packages.received_at",)  # the manifests give the original received times back
    assert_same(snapshot(home, keep), snapshot(source, keep))
    assert_same(snapshot(home), expected)
    assert partition_versions_agree(home.warehouse)


def _dac_dropped() -> tuple[str, ...]:
    """Root reads every file; without the DAC capabilities it obeys permissions like anyone else."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: a file cannot be made unreadable")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def test_an_unreadable_file_rejects_its_own_package_only(tmp_path, landing):
    own = tmp_path / "landing"
    shutil.copytree(landing, own)
    unreadable = own / "VT" / "FY2026" / "VT-0001" / "funding.csv"
    unreadable.chmod(0)
    home = Home(tmp_path / "home", own).prepare()
    try:
        code, output = landscape(home, "run", prefix=_dac_dropped())
    finally:
        unreadable.chmod(0o644)
    assert code == 0, output
    statuses = dict(_rows(home, "SELECT grantee_id || ' ' || period, status FROM core.packages"))
    assert statuses == {
        "VT-0001 FY2025": "accepted",
        "VT-0001 FY2026": "rejected",
        "VT-0002 FY2026": "rejected",
        "DE-0001 FY2026": "accepted",
    }
    [(rule, message)] = _rows(
        home, "SELECT rule_id, message FROM core.findings WHERE grantee_id = 'VT-0001' AND period = 'FY2026'"
    )
    assert rule == "P01" and "funding.csv" in message and "Permission denied" in message
