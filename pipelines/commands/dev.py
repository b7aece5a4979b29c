"""`make dev`: the Dagster UI and daemon (`dagster dev`), stopped by Ctrl-C within STOP_SECONDS.

`dagster dev` alone waits up to a minute for each of its services on Ctrl-C, and a run that was in flight
stays STARTED in the instance for ever (its worker dies with the services). Here `dagster dev` runs in a
process group of its own: on Ctrl-C the group is interrupted and, while it stops, every run in flight is
marked canceling (so a worker that gets to stop reports itself canceled); after GRACE_SECONDS the group is
killed with whatever it left behind (code servers, run workers), and any run still in flight is recorded as
canceled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import dagster as dg

from pipelines.instance import project_instance

STOP_SECONDS = 10
GRACE_SECONDS = 5.0  # the rest of STOP_SECONDS is for killing the group and recording the runs
DEFAULT_COMMAND = ["dagster", "dev", "-w", "workspace.yaml"]
IN_FLIGHT = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
STOPPED_MESSAGE = "make dev was stopped (Ctrl-C) while this run was in flight"


def in_flight_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(statuses=IN_FLIGHT)))


def mark_canceling(instance: dg.DagsterInstance) -> None:
    for run in in_flight_runs(instance):
        if run.status != dg.DagsterRunStatus.CANCELING:
            instance.report_run_canceling(run, message=STOPPED_MESSAGE)


def record_canceled(instance: dg.DagsterInstance) -> list[str]:
    """Every run still in flight once the services are gone is canceled; returns their ids."""
    runs = in_flight_runs(instance)
    for run in runs:
        instance.report_run_canceled(run, message=STOPPED_MESSAGE)
    return [run.run_id for run in runs]


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass  # the whole group is already gone


def stop_group(process: subprocess.Popen, deadline: float) -> None:
    """Wait for the interrupted process group until `deadline` (monotonic), then kill what is left of it."""
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    # Also when dagster dev itself has exited: its code servers and run workers may still be running.
    _signal_group(process, signal.SIGKILL)
    process.wait()


def main(argv: list[str] | None = None) -> int:
    command = argv or DEFAULT_COMMAND
    # A parent that ignores SIGINT (a shell job, a test runner) would pass that on and Ctrl-C would do nothing.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    instance = project_instance()
    process = subprocess.Popen(command, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        deadline = time.monotonic() + GRACE_SECONDS
        _signal_group(process, signal.SIGINT)
        print(f"\nStopping Dagster (at most {STOP_SECONDS} s)...", file=sys.stderr, flush=True)
        mark_canceling(instance)  # while the services stop
        stop_group(process, deadline)
        canceled = record_canceled(instance)
        if canceled:
            print(f"Marked {len(canceled)} run(s) in flight as canceled.", file=sys.stderr)
        print("Dagster stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
