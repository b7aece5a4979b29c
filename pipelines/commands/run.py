"""`landscape run`: everything in the landing tree, one partition at a time, then marts, publish, reports.

What the operator sees: labelled phases (ingest, marts, publish, reports) with progress and elapsed time,
one line per failure with its whole reason, the output paths at the end. Stack traces go to a log file
under $LANDSCAPE_HOME/logs/ whose path is printed; a failed run raises the same alert as a daemon run.
"""

from __future__ import annotations

import sys

from rich.console import Console

from pipelines.commands.console import say
from pipelines.commands.session import (
    EXIT_NO_LANDING,
    EXIT_USAGE,
    execute,
    finish,
    hold_writer,
    writer_main,
)
from pipelines.paths import HomeLayout
from pipelines.runtime.run_log import RunLog


def _run(console: Console, wait: bool, run_log: RunLog) -> int:
    from pipelines.ingest.archive import has_versions
    from pipelines.ingest.landing import landing_problem

    layout = HomeLayout.from_env()
    if problem := landing_problem(layout.landing):  # checked before anything is created under the home
        say(console, f"landscape run: {problem}; nothing was changed", "red")
        return EXIT_NO_LANDING
    with hold_writer(console, "run", wait) as layout:
        if problem := landing_problem(layout.landing):
            say(console, f"landscape run: {problem}; nothing was changed", "red")
            return EXIT_NO_LANDING
        if not layout.warehouse.exists() and has_versions(layout.archive):
            say(
                console,
                f"landscape run: the warehouse {layout.warehouse} is missing but the archive holds versions; "
                "nothing was changed: run `landscape rebuild` to recreate it from the archive",
                "red",
            )
            return EXIT_USAGE
        summary = execute(console, run_log)
        return finish(console, summary, run_log, layout)


def main(argv: list[str]) -> int:
    return writer_main(
        argv,
        "run",
        "Ingest every package in LANDSCAPE_LANDING into the warehouse under LANDSCAPE_HOME, then refresh "
        "marts, the analysts' copy and the reports.",
        _run,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
