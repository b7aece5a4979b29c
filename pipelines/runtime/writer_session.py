"""A command's writing session: the home's writer lock held under a session id naming the command."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pipelines.paths import HomeLayout
from pipelines.runtime.home_lock import hold_home


@contextmanager
def writer_session(command: str, wait: bool, on_wait: Callable[[str], None]) -> Iterator[HomeLayout]:
    """Hold the home's writer lock: waiting, with `on_wait` hearing a line naming the holder, or raising
    HomeBusy at once when `wait` is false."""
    layout = HomeLayout.from_env()
    session = f"{command}-{uuid.uuid4().hex[:8]}"
    with hold_home(layout.home, f"landscape {command}", session, wait=wait, on_wait=on_wait):
        yield layout
