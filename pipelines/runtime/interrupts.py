"""SIGTERM and SIGINT end a command within seconds, whatever it is doing.

Both raise KeyboardInterrupt in the main thread (Dagster turns that into a failed, interrupted run). A
watchdog hears every signal through the interpreter's wake-up fd (whatever handler Dagster has installed
at that moment) and, should the graceful path not finish within the grace period, ends the process. That
is safe because everything the pipeline writes is written whole or not at all (DuckDB transactions,
temporary names renamed into place), and the next run recovers the run it leaves behind.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

GRACE_SECONDS = 8.0
_received: list[int] = []


def _raise_interrupt(signum: int, frame) -> None:
    raise KeyboardInterrupt


def _watch(read_fd: int, grace_s: float) -> None:
    while True:
        data = os.read(read_fd, 1)
        if not data:
            return
        signum = data[0]
        if signum not in (signal.SIGINT, signal.SIGTERM) or _received:
            continue
        _received.append(signum)
        timer = threading.Timer(grace_s, _hard_exit, args=(signum,))
        timer.daemon = True
        timer.start()


def _hard_exit(signum: int) -> None:
    sys.stderr.write(f"stopped by {signal.Signals(signum).name}; the next run recovers what this one left\n")
    sys.stderr.flush()
    os._exit(128 + signum)


def install(grace_s: float = GRACE_SECONDS) -> None:
    """Call once, from the main thread, before any work starts."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=_watch, args=(read_fd, grace_s), daemon=True, name="signal-watchdog").start()


def received() -> int | None:
    """The signal that asked this process to stop, if any."""
    return _received[0] if _received else None
