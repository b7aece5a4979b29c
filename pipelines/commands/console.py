"""What the writing commands print: one line at a time, labelled phases with progress, the run's summary."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from pipelines.orchestrate import PartitionOutcome, PhaseOutcome, RunSummary
from pipelines.paths import HomeLayout
from pipelines.runtime.run_log import RunLog


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
