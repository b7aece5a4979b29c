"""`landscape run`: everything in the landing tree, one partition at a time, then marts, publish, reports.

What the operator sees: labelled phases (ingest, marts, publish, reports) with progress and elapsed time,
one line per failure with its whole reason, the output paths at the end. Stack traces go to a log file
under $LANDSCAPE_HOME/logs/ whose path is printed; a failed run raises the same alert as a daemon run.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from pipelines.commands.parser import Parser
from pipelines.orchestrate import PartitionOutcome, PhaseOutcome, RunSummary, failure_details, run_everything
from pipelines.paths import HomeLayout
from pipelines.runtime import interrupts
from pipelines.runtime.home_lock import EXIT_BUSY, HomeBusy, hold_home
from pipelines.settings import setting

EXIT_FAILED = 1
EXIT_USAGE = 2  # also: the warehouse is gone while the archive holds versions (run `landscape rebuild`)
EXIT_NO_LANDING = 66  # EX_NOINPUT: the landing root is missing, unreadable or empty


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


def say(console: Console, text: str, style: str | None = None) -> None:
    """One line as it is: never wrapped, never read as markup."""
    console.print(Text(text, style=style), soft_wrap=True)


class ConsoleProgress:
    """Labelled phases with progress and elapsed time."""

    def __init__(self, console: Console):
        self.console = console
        self.bar: Progress | None = None
        self.task = None
        self.started = time.monotonic()

    def phase_started(self, name: str, total: int | None = None, unchanged: int = 0) -> None:
        self.started = time.monotonic()
        if name == "ingest" and not total:
            say(self.console, f"ingest   nothing new: {unchanged} package(s) unchanged")
        elif name == "ingest":
            say(
                self.console,
                f"ingest   {total} partition(s) with new packages, {unchanged} package(s) unchanged",
            )
            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=total)

    def partition_done(self, outcome: PartitionOutcome, index: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(
                self.task, completed=index, description=f"ingest {outcome.state} {outcome.period}"
            )
            if index == total:
                self.bar.stop()
                self.bar = None
                say(self.console, f"ingest   done in {time.monotonic() - self.started:.1f} s")

    def phase_done(self, outcome: PhaseOutcome) -> None:
        state = "done" if outcome.success else "FAILED"
        say(
            self.console,
            f"{outcome.name:<8} {state} in {outcome.seconds:.1f} s",
            None if outcome.success else "red",
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def alert_on_failure(layout: HomeLayout, run_log: RunLog):
    """The failure hook of a CLI run: the same alert as a daemon run's, the stack traces in the log file."""
    from pipelines.alerts import raise_alert

    def on_failure(result, partition: str | None, message: str) -> None:
        run = result.dagster_run
        run_log.write(
            f"run {run.run_id} ({partition or 'refresh'}) failed: {message}\n{failure_details(result)}"
        )
        try:
            raise_alert(run.run_id, "landscape run", partition, message, layout.alerts)
        except OSError as error:  # an unreachable mail server must not hide the failure itself
            run_log.write(f"alert for run {run.run_id} could not be sent: {error}")

    return on_failure


def execute(
    console: Console,
    run_log: RunLog | None = None,
    archive_only: bool = False,
    warehouse: Path | None = None,
    refresh_after_failures: bool = True,
) -> RunSummary:
    from pipelines.definitions import defs
    from pipelines.defs.resources import LandscapeSettings, WarehouseResource, resources_for
    from pipelines.instance import project_instance

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
    from pipelines.defs.partitions import WRITER_POOL
    from pipelines.runtime.recovery import recover_dead_runs

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


def print_summary(summary: RunSummary, console: Console, run_log: RunLog | None = None) -> None:
    if summary.partitions:
        table = Table(title="Packages by partition (this run)")
        for column in ("state", "period", "new", "accepted", "rejected", "duplicate", "result"):
            table.add_column(column, justify="left" if column in ("state", "period", "result") else "right")
        for p in summary.partitions:
            counts = (str(p.counts.get(k, 0)) for k in ("new", "accepted", "rejected", "duplicate"))
            table.add_row(p.state, p.period, *counts, "ok" if p.success else "[red]FAILED[/red] (below)")
        console.print(table)
    for p in summary.partitions:
        if not p.success:
            say(console, f"FAILED {p.state} {p.period}: {p.error}", "red")
    for phase in summary.phases:
        if not phase.success and not phase.skipped:
            say(console, f"FAILED {phase.name}: {phase.error}", "red")
    if run_log is not None and run_log.written:
        say(console, f"details (stack traces): {run_log.path}")


def print_paths(layout: HomeLayout, console: Console) -> None:
    for label, path in (
        ("warehouse (writer)", layout.warehouse),
        ("warehouse (analysts', restricted)", layout.analyst_warehouse),
        ("parquet marts (restricted)", layout.analyst / "parquet"),
        ("national report", layout.reports / "index.html"),
        ("grantee feedback", layout.feedback),
        ("intake log", layout.intake_log),
    ):
        say(console, f"{label + ':':<23}{path}")


@contextmanager
def writer_session(console: Console, command: str, wait: bool) -> Iterator[HomeLayout]:
    """Hold the home's writer lock (waiting with a line naming the holder, or HomeBusy with --no-wait)."""
    layout = HomeLayout.from_env()
    session = f"{command}-{uuid.uuid4().hex[:8]}"
    with hold_home(
        layout.home, f"landscape {command}", session, wait=wait, on_wait=lambda line: say(console, line)
    ):
        yield layout


def guarded(command: str, body, console: Console) -> int:
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


def _run(console: Console, wait: bool, run_log: RunLog) -> int:
    from pipelines.ingest.archive import has_versions
    from pipelines.ingest.landing import landing_problem

    layout = HomeLayout.from_env()
    if problem := landing_problem(layout.landing):  # checked before anything is created under the home
        say(console, f"landscape run: {problem}; nothing was changed", "red")
        return EXIT_NO_LANDING
    with writer_session(console, "run", wait) as layout:
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
        print_summary(summary, console, run_log)
        print_paths(layout, console)
        return 0 if summary.success else EXIT_FAILED


def writer_main(argv: list[str], command: str, description: str, body) -> int:
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
