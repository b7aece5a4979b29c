"""`landscape demo`: sample landing (generated once), the whole pipeline, then where everything is."""

from __future__ import annotations

from rich.console import Console

from pipelines.commands.console import print_summary
from pipelines.commands.parser import Parser
from pipelines.commands.session import execute, guarded, hold_writer
from pipelines.paths import HomeLayout
from pipelines.runtime.run_log import RunLog

DEMO_SEED = 7
DEMO_PERIODS = ["FY2025", "FY2026"]
DEMO_SCALE = 0.05
DEMO_STATES = None  # every state + DC


def main(argv: list[str]) -> int:
    parser = Parser(
        prog="landscape demo",
        description="Generate a small national sample landing (if absent), "
        "run the whole pipeline in-process and print where the warehouse and reports are.",
    )
    parser.add_argument(
        "--scale", type=float, default=DEMO_SCALE, help="grantees relative to ~4,000 nationally"
    )
    args = parser.parse_args(argv)
    console = Console()
    return guarded("demo", lambda run_log: _demo(console, args.scale, run_log), console)


def _demo(console: Console, scale: float, run_log: RunLog) -> int:
    with hold_writer(console, "demo", wait=True) as layout:
        return _demo_in(console, layout, scale, run_log)


def _demo_in(console: Console, layout: HomeLayout, scale: float, run_log: RunLog) -> int:
    fresh = not layout.landing.exists() or not any(layout.landing.iterdir())
    if fresh:
        from pipelines.generate import generate_landing

        console.print(f"Generating sample packages in {layout.landing} ...")
        generate_landing(layout.landing, seed=DEMO_SEED, periods=DEMO_PERIODS, scale=scale)
    summary = execute(console, run_log)
    print_summary(summary, console, run_log)
    if fresh and summary.success:
        from pipelines.generate import generate_resubmissions

        console.print(
            "Grantees resubmit: corrected, revised and identical packages replace some in place ..."
        )
        generate_resubmissions(layout.landing, seed=DEMO_SEED, periods=DEMO_PERIODS, scale=scale)
        summary = execute(console, run_log)
        print_summary(summary, console, run_log)
    console.print()
    console.print(f"Warehouse (writer):      {layout.warehouse}")
    console.print(
        f'Warehouse (read-only):   {layout.analyst_warehouse}  (query: landscape sql "SELECT * FROM marts.state_summary")'
    )
    console.print(f"Parquet marts:           {layout.analyst / 'parquet'}")
    console.print(f"National report:         {layout.reports / 'index.html'}")
    console.print(f"Grantee feedback:        {layout.feedback}")
    console.print(f"Intake log:              {layout.intake_log}")
    console.print("Dagster UI:              make dev  (then open http://127.0.0.1:3000)")
    return 0 if summary.success else 1
