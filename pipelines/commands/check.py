"""`landscape check PATH`: validate one package offline, before sending it, with the pipeline's own rules.

Where the package sits in <STATE>/<FY>/ folders those give state and period, as in the landing tree.
Otherwise (a grantee checking ./NY-0042/ or NY-0042.xlsx) the grantee id is the package name, the state its
prefix and the period --period or the organization table's reporting_period. Rules that need a roster (P06)
run only with --roster FILE; rules that need history (W04) do not run.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

from pipelines.commands.parser import Parser
from pipelines.contract import fiscal_year, load_contract
from pipelines.findings import FINDING_SCHEMA, finding
from pipelines.ingest.landing import landing_states
from pipelines.package_status import PackageStatus
from pipelines.published_text import neutralise_frame
from pipelines.validate.batch import unopened_batch, validate_batch
from pipelines.validate.model import PackageContext, ValidatedBatch
from pipelines.validate.roster import RosterError, is_on_roster, read_roster

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


def _matches(identifier: str, text: str | None) -> bool:
    return bool(text) and re.fullmatch(load_contract().identifiers[identifier]["pattern"], text) is not None


def _package_name(path: Path) -> str:
    """The claimed grantee id: a folder's name, a file's stem (NY-0042.xlsm claims NY-0042 and is answered
    with P01 for its content, as in the landing tree, not with F05 for its name)."""
    return path.name if path.is_dir() else path.stem


def _organization_value(read, column: str) -> str | None:
    frame = None if read is None else read.tables.get("organization")
    if frame is None or column not in frame.columns or frame.height == 0:
        return None
    return frame[column][0]


def derive_context(path: Path, read, period: str | None, today: date) -> tuple[PackageContext, list]:
    """The package's context as the pipeline would see it, and findings about its name and place (read may be
    None: the package is not opened yet)."""
    name, findings = _package_name(path), []
    folder_period, folder_state = path.parent.name.upper(), path.parent.parent.name.upper()
    in_tree = _matches("reporting_period", folder_period) and folder_state in landing_states()
    if not _matches("grantee_id", name):
        findings.append(
            finding(
                "F05",
                table="organization",
                column="grantee_id",
                value=name,
                pattern_hint=_pattern_hint("grantee_id"),
            )
        )
        grantee = _organization_value(read, "grantee_id") or name
    else:
        grantee = name
    if in_tree:
        state, period = folder_state, period or folder_period
        if _matches("grantee_id", name) and name[:2] != state:
            findings.append(
                finding("P05", table="organization", column="grantee_id", value=name, path_value=state)
            )
    else:
        state = grantee[:2].upper()
        written = (_organization_value(read, "reporting_period") or "").upper()
        period = period or (written if _matches("reporting_period", written) else f"FY{fiscal_year(today)}")
    return PackageContext(grantee_id=grantee, state=state, period=period, version=1), findings


def _pattern_hint(identifier: str) -> str:
    ident = load_contract().identifiers[identifier]
    return f"{ident['example']} ({ident['description']})"


def check_package(
    path: Path, today: date, period: str | None = None, roster: Path | None = None
) -> ValidatedBatch:
    """Validate one package as the pipeline would; raises RosterError for an unusable roster."""
    from pipelines.ingest.readers import read_package

    # Read first even when the name alone rejects the package: outside <STATE>/<FY>/ folders its period is
    # the one its organization table gives, whatever its name.
    read = read_package(path)
    ctx, place = derive_context(path, read, period, today)
    if place:
        # As in the landing tree: a package whose name is not a grantee id, or names another state, is
        # rejected on its name alone.
        return unopened_batch(ctx, place)
    if roster is not None:
        on_roster = is_on_roster(read_roster(roster), ctx.grantee_id, ctx.period)
        ctx = PackageContext(ctx.grantee_id, ctx.state, ctx.period, ctx.version, on_roster=on_roster)
    read.findings = place + read.findings
    return validate_batch([(ctx, read)], today)


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
    if args.period is not None and not _matches("reporting_period", args.period.upper()):
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
