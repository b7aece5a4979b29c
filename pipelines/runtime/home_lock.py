"""One writer per LANDSCAPE_HOME: an exclusive OS file lock, released by the kernel when its process dies.

`landscape run`, `landscape rebuild` and every Dagster run that writes (the warehouse resource takes it)
hold `$LANDSCAPE_HOME/.landscape.lock` for as long as they write. The lock file also says who holds it
(run id, pid, start time), so a second writer waiting for it can tell the operator.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".landscape.lock"
HEARTBEAT_SECONDS = 5.0  # a waiting writer says who holds the lock at least this often
EXIT_BUSY = 75  # EX_TEMPFAIL: `--no-wait` found the home in use; try again later

# Homes whose lock this process holds (flock is per open file: a second open in the same process would
# wait for itself, so nested holders in one process share the first one's lock).
_held: dict[Path, int] = {}


@dataclass(frozen=True)
class Holder:
    command: str
    run_id: str
    pid: int
    host: str
    started_at: str

    def describe(self) -> str:
        return f"{self.command} (run {self.run_id}, pid {self.pid} on {self.host}, started {self.started_at})"


class HomeBusy(Exception):
    """The home is locked by another writer and the caller chose not to wait."""

    def __init__(self, home: Path, holder: Holder | None):
        self.home, self.holder = home, holder
        super().__init__(busy_line(home, holder))


def busy_line(home: Path, holder: Holder | None) -> str:
    who = holder.describe() if holder else "another writer (it has not said who yet)"
    return f"{home} is in use by {who}"


def lock_path(home: Path) -> Path:
    return Path(home) / LOCK_NAME


def read_holder(home: Path) -> Holder | None:
    try:
        data = json.loads(lock_path(home).read_text(encoding="utf-8") or "null")
        return Holder(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def holds_lock(home: Path) -> bool:
    return Path(home).resolve() in _held


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _announce(fd: int, holder: Holder) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(asdict(holder)).encode("utf-8"), 0)


@contextmanager
def hold_home(
    home: Path,
    command: str,
    run_id: str,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
    heartbeat_s: float = HEARTBEAT_SECONDS,
) -> Iterator[Holder]:
    """Hold the home's writer lock for the duration of the block.

    Waits while another process holds it, calling on_wait with one line naming the holder at once and then
    every heartbeat_s; with wait=False raises HomeBusy instead. Re-entrant within one process.
    """
    home = Path(home).resolve()
    holder = Holder(command, run_id, os.getpid(), socket.gethostname(), _now())
    if home in _held:
        yield read_holder(home) or holder
        return
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(home), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, home, wait, on_wait, heartbeat_s)
        _announce(fd, holder)
        _held[home] = fd
        try:
            yield holder
        finally:
            del _held[home]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the file releases the lock (the kernel does the same when the process dies)


def _acquire(
    fd: int, home: Path, wait: bool, on_wait: Callable[[str], None] | None, heartbeat_s: float
) -> None:
    if _try_lock(fd):
        return
    if not wait:
        raise HomeBusy(home, read_holder(home))
    next_line = 0.0
    while not _try_lock(fd):
        now = time.monotonic()
        if on_wait and now >= next_line:
            on_wait(f"waiting: {busy_line(home, read_holder(home))}")
            next_line = now + heartbeat_s
        time.sleep(0.2)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
