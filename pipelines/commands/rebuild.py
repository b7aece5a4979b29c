"""`landscape rebuild`: the warehouse recreated from the archive alone, then marts, publish, feedback, reports.

Every archived version is loaded again, partition by partition in period order, with the received time,
source path and roster its manifest records, so the tables are those of the runs that built them. The new
warehouse is built beside the old one and renamed into place once its versions are loaded; the landing
tree is not read.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console

from pipelines.commands.console import say
from pipelines.commands.session import EXIT_USAGE, execute, finish, hold_writer, writer_main
from pipelines.runtime.run_log import RunLog

REBUILD_NAME = "landscape.rebuild.duckdb"


def _swap_into_place(rebuilt, warehouse) -> None:
    # A write-ahead log left by the old file must not be replayed onto the new one.
    for leftover in (warehouse.with_name(warehouse.name + ".wal"),):
        leftover.unlink(missing_ok=True)
    os.replace(rebuilt, warehouse)


def _rebuild(console: Console, wait: bool, run_log: RunLog) -> int:
    from pipelines.ingest.archive import has_versions

    with hold_writer(console, "rebuild", wait) as layout:
        if not has_versions(layout.archive):
            say(
                console,
                f"landscape rebuild: the archive {layout.archive} holds no versions; nothing to rebuild",
                "red",
            )
            return EXIT_USAGE
        rebuilt = layout.warehouse.with_name(REBUILD_NAME)
        for leftover in (rebuilt, rebuilt.with_name(rebuilt.name + ".wal")):
            leftover.unlink(missing_ok=True)  # a rebuild that died: never a record, the archive is
        say(console, f"rebuilding {layout.warehouse} from {layout.archive}")
        # With a warehouse still in place, a rebuild that did not load everything publishes nothing.
        summary = execute(
            console,
            run_log,
            archive_only=True,
            warehouse=rebuilt,
            refresh_after_failures=not layout.warehouse.exists(),
        )
        loaded = all(p.success for p in summary.partitions)
        if loaded or not layout.warehouse.exists():
            _swap_into_place(rebuilt, layout.warehouse)
        else:
            say(console, f"the previous warehouse was kept; the partial rebuild is at {rebuilt}", "red")
        return finish(console, summary, run_log, layout)


def main(argv: list[str]) -> int:
    return writer_main(
        argv,
        "rebuild",
        "Recreate the warehouse under LANDSCAPE_HOME from the archive alone (every version ever received), "
        "then refresh marts, the analysts' copy, feedback and the reports.",
        _rebuild,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
