"""What every writing command shares (run, rebuild, demo): the run session behind the console.

A busy home, an interrupt or an unexpected error ends a command with one line and an exit code, never a
traceback (that goes to the command's log file); a run of the pipeline recovers dead runs first, reports
its progress on the console and alerts on failure like a daemon run.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from rich.console import Console

from pipelines.commands.console import ConsoleProgress, print_paths, print_summary, say
from pipelines.commands.parser import Parser
from pipelines.orchestrate import RunSummary, alert_on_failure, run_everything
from pipelines.paths import HomeLayout
from pipelines.runtime import interrupts
from pipelines.runtime.home_lock import EXIT_BUSY, HomeBusy
from pipelines.runtime.run_log import RunLog
from pipelines.runtime.writer_session import writer_session
from pipelines.settings import setting

EXIT_FAILED = 1
EXIT_USAGE = 2  # also: the warehouse is gone while the archive holds versions (run `landscape rebuild`)
EXIT_NO_LANDING = 66  # EX_NOINPUT: the landing root is missing, unreadable or empty


def hold_writer(console: Console, command: str, wait: bool) -> AbstractContextManager[HomeLayout]:
    """The home's writer lock, waiting with a line naming the holder (or HomeBusy with --no-wait)."""
    return writer_session(command, wait, on_wait=lambda line: say(console, line))


def execute(
    console: Console,
    run_log: RunLog | None = None,
    archive_only: bool = False,
    warehouse: Path | None = None,
    refresh_after_failures: bool = True,
) -> RunSummary:
    from pipelines.definitions import defs
    from pipelines.defs.partitions import WRITER_POOL
    from pipelines.defs.resources import LandscapeSettings, WarehouseResource, resources_for
    from pipelines.instance import project_instance
    from pipelines.runtime.recovery import recover_dead_runs

    layout = HomeLayout.from_env()
    run_log = run_log or RunLog(layout, "run")
    states = setting("LANDSCAPE_STATES")
    resources = resources_for(layout.home, layout.landing, states)
    if archive_only:
        resources["settings"] = LandscapeSettings(
            home=str(layout.home), landing=str(layout.landing), states=states, archive_only=True
        )
    if warehouse is not None:
        resources["warehouse"] = WarehouseResource(path=str(warehouse))
    instance = project_instance()
    for line in recover_dead_runs(instance, WRITER_POOL):
        say(console, line, "yellow")
    progress = ConsoleProgress(console)
    try:
        return run_everything(
            defs,
            instance,
            resources,
            progress=progress,
            on_failure=alert_on_failure(layout, run_log),
            interrupted=lambda: interrupts.received() is not None,
            refresh_after_failures=refresh_after_failures,
        )
    finally:
        progress.close()


def finish(console: Console, summary: RunSummary, run_log: RunLog, layout: HomeLayout) -> int:
    """The run's summary and output paths on the console; the command's exit code."""
    print_summary(summary, console, run_log)
    print_paths(layout, console)
    return 0 if summary.success else EXIT_FAILED


def guarded(command: str, body: Callable[[RunLog], int], console: Console) -> int:
    """Run a command body: a busy home, an interrupt or an unexpected error is one line, never a traceback."""
    interrupts.install()
    layout = HomeLayout.from_env()
    run_log = RunLog(layout, command)
    try:
        return body(run_log)
    except HomeBusy as busy:
        say(console, str(busy))
        return EXIT_BUSY
    except KeyboardInterrupt:
        time.sleep(0.2)  # let the watchdog name the signal
        signum = interrupts.received() or 2
        say(
            console,
            f"landscape {command} stopped by signal {signum}; nothing half-written, the next run completes it",
        )
        return 128 + signum
    except Exception as error:  # noqa: BLE001 - the operator gets one line, the log gets the traceback
        run_log.write(traceback.format_exc())
        say(
            console,
            f"landscape {command} failed: {type(error).__name__}: {error} (details: {run_log.path})",
            "red",
        )
        return EXIT_FAILED


def writer_main(
    argv: list[str], command: str, description: str, body: Callable[[Console, bool, RunLog], int]
) -> int:
    """A command that writes the home: `--no-wait`, then body(console, wait, run_log) under `guarded`."""
    parser = Parser(prog=f"landscape {command}", description=description)
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help=f"when another writer holds LANDSCAPE_HOME, say who and exit {EXIT_BUSY} instead of waiting",
    )
    args = parser.parse_args(argv)
    console = Console()
    return guarded(command, lambda run_log: body(console, not args.no_wait, run_log), console)
