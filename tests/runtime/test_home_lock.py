"""One writer per home: an OS lock the kernel releases, a holder line, --no-wait, re-entrance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipelines.paths import PROJECT_ROOT
from pipelines.runtime.home_lock import HomeBusy, hold_home, holds_lock, read_holder

HOLD = """
import sys, time
from pipelines.runtime.home_lock import hold_home
with hold_home(sys.argv[1], "landscape run", "run-abc123"):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path):
    """Another process holding the home's lock."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_no_wait_names_the_holder(tmp_path, holder):
    with pytest.raises(HomeBusy) as busy:
        with hold_home(tmp_path, "landscape run", "run-2", wait=False):
            pass
    line = str(busy.value)
    assert f"pid {holder.pid}" in line and "run run-abc123" in line and "landscape run" in line
    assert "\n" not in line


def test_a_waiting_writer_says_who_holds_the_lock_and_gets_it_when_the_holder_is_killed(tmp_path, holder):
    lines: list[str] = []
    got = threading.Event()

    def wait_for_it():
        with hold_home(tmp_path, "landscape run", "run-2", on_wait=lines.append, heartbeat_s=0.2):
            got.set()

    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    time.sleep(1.0)
    assert not got.is_set()
    assert len(lines) >= 3 and all(f"pid {holder.pid}" in line for line in lines)
    os.kill(holder.pid, signal.SIGKILL)  # no clean-up at all: the kernel releases the lock
    holder.wait()
    waiter.join(timeout=10)
    assert got.is_set()


def test_the_lock_is_reentrant_within_a_process_and_released_after(tmp_path):
    with hold_home(tmp_path, "landscape run", "run-1") as outer:
        assert holds_lock(tmp_path)
        assert read_holder(tmp_path) == outer
        with hold_home(tmp_path, "run of ingest_partition", "run-2", wait=False):
            assert holds_lock(tmp_path)
        assert holds_lock(tmp_path)
    assert not holds_lock(tmp_path)
    with hold_home(tmp_path, "landscape run", "run-3", wait=False):
        pass
