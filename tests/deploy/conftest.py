"""The production deployment against a real PostgreSQL: each test gets a database of its own, made and dropped
here, on the server DAGSTER_POSTGRES_URL names (`make test` starts one when none answers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dagster as dg
import pytest
import yaml

from pipelines.generate.landing import generate_landing
from pipelines.paths import PROJECT_ROOT

ADMIN_URL = os.environ.get("DAGSTER_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
POSTGRES_YAML = PROJECT_ROOT / "deploy" / "postgres" / "dagster.yaml"
BIN = Path(sys.executable).parent


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    import psycopg2

    try:
        con = psycopg2.connect(url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        # Never a skip: CI must run these tests, and a missing server is a broken machine, not a pass.
        pytest.fail(
            f"PostgreSQL at {url} (DAGSTER_POSTGRES_URL) does not answer: {error}\n"
            "`make test` starts one (.ci/install-postgres); or point DAGSTER_POSTGRES_URL at a running server."
        )
    con.autocommit = True
    return con


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a new, empty database on the test server, dropped (with its connections) afterwards."""
    name = f"landscape_test_{uuid.uuid4().hex[:12]}"
    con = _admin(ADMIN_URL)
    with con.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(ADMIN_URL, name)
    finally:
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.close()


def postgres_dagster_home(path: Path, **run_monitoring: int) -> Path:
    """A DAGSTER_HOME holding deploy/postgres/dagster.yaml as shipped (run monitoring overrides, if any, named)."""
    path.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load(POSTGRES_YAML.read_text())
    config["run_monitoring"].update(run_monitoring)
    (path / "dagster.yaml").write_text(yaml.safe_dump(config))
    return path


@pytest.fixture
def deployment(tmp_path: Path, postgres_url: str) -> dict[str, str]:
    """Environment of a PostgreSQL deployment: its own DAGSTER_HOME, LANDSCAPE_HOME and landing folder."""
    landing = tmp_path / "landing"
    landing.mkdir()
    return {
        **os.environ,
        "DAGSTER_POSTGRES_URL": postgres_url,
        "DAGSTER_HOME": str(postgres_dagster_home(tmp_path / "dagster")),
        "LANDSCAPE_HOME": str(tmp_path / "home"),
        "LANDSCAPE_LANDING": str(landing),
        "LANDSCAPE_QUIET_SECONDS": "0",
    }


def small_landing(landing: Path, states: list[str], periods: list[str], scale: float = 0.3) -> int:
    """A generated landing tree (files dated in the past, so the sensor's quiet period is over); packages."""
    manifest = generate_landing(landing, seed=11, periods=periods, scale=scale, states=states)
    return len(manifest.packages)


def instance_for(env: dict[str, str]) -> dg.DagsterInstance:
    """The deployment's instance, opened from its dagster.yaml the way every Dagster process opens it."""
    os.environ["DAGSTER_POSTGRES_URL"] = env["DAGSTER_POSTGRES_URL"]
    return dg.DagsterInstance.from_config(env["DAGSTER_HOME"])


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    pytest.fail(f"not within {timeout:.0f} s: {what}")


@pytest.fixture
def start_process(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts long-running Dagster processes in their own process groups; all are stopped afterwards."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], env: dict[str, str], name: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process below
        process = subprocess.Popen(
            args, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        _signal_group(process, signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        # The daemon's code server and the run workers it spawned share the group and may outlive the daemon
        # (a code server waits for its runs): nothing the test started is left behind.
        _signal_group(process, signal.SIGKILL)
        process.wait()
        process.log.close()  # type: ignore[attr-defined]


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def daemon_args() -> list[str]:
    return [str(BIN / "dagster-daemon"), "run", "-w", str(PROJECT_ROOT / "workspace.yaml")]
