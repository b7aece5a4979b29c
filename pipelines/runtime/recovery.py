"""Dead runs: a run whose process is gone is marked failed and its `duckdb_writer` slots are freed.

Every run that writes records the process executing it (tags `landscape/pid`, `landscape/pid_start`,
`landscape/host`). Recovery runs only under the home's writer lock, so no live writer of this home can be
mistaken for a dead one; a process is gone when its pid no longer exists, is a zombie, or now belongs to
another process (a different start time).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg

PID_TAG, PID_START_TAG, HOST_TAG = "landscape/pid", "landscape/pid_start", "landscape/host"
_RUNNING = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags(pid: int | None = None) -> dict[str, str]:
    """The tags that let a later run tell whether this process is still alive."""
    pid = pid or os.getpid()
    return {PID_TAG: str(pid), PID_START_TAG: str(_start_time(pid) or ""), HOST_TAG: socket.gethostname()}


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # the fields after the command name


def _start_time(pid: int) -> int | None:
    fields = _proc_stat(pid)
    return int(fields[19]) if fields else None


def process_alive(pid: int, start_time: str = "") -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    fields = _proc_stat(pid)
    if fields is None:
        return True  # no /proc: trust kill(0)
    if fields[0] in ("Z", "X"):
        return False
    return not start_time or fields[19] == start_time


def _is_dead(run: dg.DagsterRun, host: str) -> bool:
    pid = run.tags.get(PID_TAG)
    if not pid or run.tags.get(HOST_TAG) != host:
        return False  # not ours to judge: the daemon's run monitoring looks after it
    return not process_alive(int(pid), run.tags.get(PID_START_TAG, ""))


def recover_dead_runs(instance: dg.DagsterInstance, pool: str, exclude: str | None = None) -> list[str]:
    """Mark this host's runs whose process is gone as failed, free every writer slot held by a run that is
    over; one line per recovered run, for the operator."""
    host = socket.gethostname()
    lines: list[str] = []
    for run in instance.get_runs(dg.RunsFilter(statuses=_RUNNING)):
        if run.run_id == exclude or not _is_dead(run, host):
            continue
        held = _slots_held(instance, pool, run.run_id)
        instance.report_run_failed(
            run, message=f"The process running this run (pid {run.tags[PID_TAG]}) is gone; marked failed."
        )
        _free_slots(instance, run.run_id)
        freed = held - _slots_held(instance, pool, run.run_id)
        lines.append(
            f"recovered run {run.run_id[:8]} ({run.job_name}): its process (pid {run.tags[PID_TAG]}) is gone; "
            f"marked failed, {freed} pool slot(s) freed"
        )
    lines.extend(_free_slots_of_ended_runs(instance, pool))
    return lines


def _slots_held(instance: dg.DagsterInstance, pool: str, run_id: str) -> int:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return 0
    return sum(slot.run_id == run_id for slot in storage.get_concurrency_info(pool).claimed_slots)


def _free_slots(instance: dg.DagsterInstance, run_id: str) -> None:
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def _free_slots_of_ended_runs(instance: dg.DagsterInstance, pool: str) -> list[str]:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    lines = []
    holders = {slot.run_id for slot in storage.get_concurrency_info(pool).claimed_slots}
    for run_id in sorted(holders):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            freed = _slots_held(instance, pool, run_id)
            _free_slots(instance, run_id)
            status = run.status.value.lower() if run else "unknown"
            lines.append(f"freed {freed} pool slot(s) still held by run {run_id[:8]} ({status})")
    return lines
