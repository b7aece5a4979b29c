"""`landscape sql "SELECT ..."`: query the analysts' copy of the warehouse, read-only.

The analysts' copy (never the writer's file) is opened, so an analyst's query can run while the pipeline
writes. Exit 0 on success, 2 when there is no analysts' copy or the SQL fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.paths import HomeLayout


def analyst_copy_path() -> Path:
    return HomeLayout.from_env().analyst_warehouse


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _print_table(columns: list[str], rows: list[tuple]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)
    print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def _print_csv(columns: list[str], rows: list[tuple]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


def _print_json(columns: list[str], rows: list[tuple]) -> None:
    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    print(json.dumps(records, indent=2, default=str))


PRINTERS = {"table": _print_table, "csv": _print_csv, "json": _print_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="landscape sql", description="Query the analysts' warehouse copy (read-only)."
    )
    parser.add_argument("query", help='SQL to run, e.g. "SELECT * FROM marts.state_summary"')
    parser.add_argument("--format", choices=sorted(PRINTERS), default="table")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    path = analyst_copy_path()
    if not path.exists():
        print(
            f"No analysts' warehouse copy at {path}. Run the pipeline (landscape run) to write one.",
            file=sys.stderr,
        )
        return 2
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        print(f"Cannot open the analysts' warehouse copy {path}: {error}", file=sys.stderr)
        return 2
    try:
        result = con.execute(args.query)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchall() if columns else []
    except duckdb.Error as error:
        print(f"SQL error: {error}", file=sys.stderr)
        return 2
    finally:
        con.close()
    PRINTERS[args.format](columns, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
