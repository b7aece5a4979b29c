"""A command's log file under $LANDSCAPE_HOME/logs/: where stack traces go instead of the screen."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from pipelines.paths import HomeLayout


class RunLog:
    """The command's log file: created on first write, so a clean run leaves none."""

    def __init__(self, layout: HomeLayout, command: str):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = layout.home / "logs" / f"{command}-{stamp}-{os.getpid()}.log"

    @property
    def written(self) -> bool:
        return self.path.exists()

    def write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(f"[{datetime.now(UTC).isoformat(timespec='seconds')}] {text.rstrip()}\n")
