"""`landscape check PATH`: validate one package offline, before sending it (pipelines/validate/package_check.py),
and print its findings as a table, JSON or CSV."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from pipelines.commands.parser import Parser
from pipelines.findings import FINDING_SCHEMA
from pipelines.package_status import PackageStatus
from pipelines.published_text import neutralise_frame
from pipelines.validate.model import ValidatedBatch
from pipelines.validate.package_check import check_package, matches_identifier
from pipelines.validate.roster import RosterError

FORMATS = ("table", "json", "csv")


def _parser() -> Parser:
    parser = Parser(
        prog="landscape check",
        description="Validate one package (a folder of CSV files or an "
        ".xlsx workbook) offline with the same rules the state's pipeline applies.",
    )
    parser.add_argument("path", type=Path, help="the package: NY-0042.xlsx or a folder NY-0042/ of CSV files")
    parser.add_argument(
        "--roster", type=Path, help="the state's roster.csv, to check the grantee is on it (P06)"
    )
    parser.add_argument(
        "--period", help="reporting period, e.g. FY2026 (default: from the folders or the organization table)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output: table (default), json or csv"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="validate as on this day, YYYY-MM-DD (default: today)",
    )
    return parser


def _print_table(batch: ValidatedBatch) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=sys.stdout, width=140)
    package = batch.packages.row(0, named=True)
    verdict = (
        "[green]accepted[/green]"
        if package["status"] == PackageStatus.ACCEPTED
        else "[red]would be rejected[/red]"
    )
    console.print(
        f"{package['grantee_id']} {package['period']}: {verdict} "
        f"({package['error_count']} errors, {package['warning_count']} warnings)"
    )
    if batch.findings.height == 0:
        console.print("Nothing to fix.")
        return
    table = Table(show_lines=False)
    for title in ("Severity", "Rule", "Table", "Row", "Column", "Value", "What to change"):
        table.add_column(title, overflow="fold")
    for f in batch.findings.iter_rows(named=True):
        style = "red" if f["severity"] == "error" else "yellow"
        cells = [
            f["severity"],
            f["rule_id"],
            f["table_name"],
            f["row_number"],
            f["column_name"],
            f["value"],
            f["message"],
        ]
        # Text, not str: a grantee's value like "[red]" must be shown, not read as rich markup
        table.add_row(*[Text("" if c is None else str(c)) for c in cells], style=style)
    console.print(table)


def _emit(batch: ValidatedBatch, fmt: str) -> None:
    findings = batch.findings.select(list(FINDING_SCHEMA))
    if fmt == "json":
        payload = {"package": batch.packages.row(0, named=True), "findings": findings.to_dicts()}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(neutralise_frame(findings).write_csv())
    else:
        _print_table(batch)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.path.exists() and not args.path.is_symlink():
        parser.error(f"no package at {args.path}")
    if args.period is not None and not matches_identifier("reporting_period", args.period.upper()):
        parser.error(f"--period must look like FY2026, not '{args.period}'")
    today = args.today or date.today()
    try:
        batch = check_package(args.path, today, args.period.upper() if args.period else None, args.roster)
    except RosterError as exc:
        parser.error(f"the roster cannot be used: {exc}")
    _emit(batch, args.format)
    return 1 if batch.packages["error_count"][0] > 0 else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
