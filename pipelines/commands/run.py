"""`landscape run`: everything in the landing tree, one partition at a time, then marts and reports."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipelines.commands.parser import Parser
from pipelines.orchestrate import PartitionOutcome, RunSummary, run_everything
from pipelines.paths import HomeLayout


def execute(console: Console) -> RunSummary:
    from pipelines.definitions import defs
    from pipelines.defs.resources import default_environment, resources_for
    from pipelines.instance import project_instance

    default_environment()
    layout = HomeLayout.from_env()
    resources = resources_for(layout.home, layout.landing, os.environ.get("LANDSCAPE_STATES", ""))
    instance = project_instance()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting partitions", total=None)

        def advance(outcome: PartitionOutcome, index: int, total: int) -> None:
            progress.update(
                task, total=total, completed=index, description=f"ingesting {outcome.state} {outcome.period}"
            )

        summary = run_everything(defs, instance, resources, on_partition=advance)
    return summary


def print_summary(summary: RunSummary, console: Console) -> None:
    table = Table(title="Packages by partition (this run)")
    for column in ("state", "period", "new", "accepted", "rejected", "duplicate", "result"):
        table.add_column(column, justify="right" if column not in ("state", "period", "result") else "left")
    for p in summary.partitions:
        table.add_row(
            p.state,
            p.period,
            *(str(p.counts.get(k, 0)) for k in ("new", "accepted", "rejected", "duplicate")),
            "ok" if p.success else f"[red]FAILED[/red]: {p.error}",
        )
    console.print(table)
    if not summary.refresh_ok:
        console.print(f"[red]Refresh of marts/reports failed:[/red] {summary.refresh_error}")


def main(argv: list[str]) -> int:
    Parser(
        prog="landscape run",
        description="Ingest every package in LANDSCAPE_LANDING into the warehouse "
        "under LANDSCAPE_HOME, then refresh marts, the published copy and the reports.",
    ).parse_args(argv)
    console = Console()
    summary = execute(console)
    print_summary(summary, console)
    if not summary.partitions:
        console.print("No packages found in the landing tree.")
    return 0 if summary.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
