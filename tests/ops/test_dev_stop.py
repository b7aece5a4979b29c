"""`make dev` stops on Ctrl-C within ten seconds, whatever its services do, and no run stays in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import dagster as dg
import pytest

from pipelines.commands.dev import STOP_SECONDS
from pipelines.paths import PROJECT_ROOT

# Stands in for `dagster dev`: ignores Ctrl-C and leaves a worker behind (as a run worker would be).
STUBBORN = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(300)"])
    open(sys.argv[1], "w").write(str(worker.pid))
    time.sleep(300)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split()[2] != "Z"


@pytest.mark.slow
def test_ctrl_c_stops_everything_within_ten_seconds_and_cancels_runs_in_flight(tmp_path):
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    instance = dg.DagsterInstance.from_config(str(home))
    started = instance.add_run(
        dg.DagsterRun(job_name="ingest", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED)
    )
    done = instance.add_run(
        dg.DagsterRun(job_name="ingest", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.SUCCESS)
    )
    pid_file = tmp_path / "worker.pid"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "pipelines.commands.dev", sys.executable, "-c", STUBBORN, str(pid_file)],
        cwd=PROJECT_ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline and supervisor.poll() is None, supervisor.stderr.read()
        time.sleep(0.2)
    worker = int(pid_file.read_text())
    pressed = time.monotonic()
    supervisor.send_signal(signal.SIGINT)
    code = supervisor.wait(timeout=30)
    took = time.monotonic() - pressed
    assert code == 130 and took <= STOP_SECONDS, (code, took)
    assert not _alive(worker)
    assert "Marked 1 run(s) in flight as canceled" in supervisor.stderr.read()
    assert instance.get_run_by_id(started.run_id).status == dg.DagsterRunStatus.CANCELED
    assert instance.get_run_by_id(done.run_id).status == dg.DagsterRunStatus.SUCCESS
    instance.dispose()
