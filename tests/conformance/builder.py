"""Adversarial packages built from the contract alone: a fully valid package, then one change per test.

Packages are written under tmp_path in a landing-like tree <tmp>/NY/FY2026/NY-0042(.xlsx) and checked with
the pipeline's own `check_package`, validated as on TODAY (26 November 2026, so the current fiscal year
is FY2027).
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from pipelines.validate.package_check import check_package

TODAY = date(2026, 11, 26)
GRANTEE = "NY-0042"
STATE = "NY"
PERIOD = "FY2026"

# Every table as (header, rows); each row lists its cells in header order, all as text.
VALID: dict[str, tuple[list[str], list[list[str]]]] = {
    "organization": (
        [
            "grantee_id",
            "organization_name",
            "state",
            "reporting_period",
            "county_fips",
            "year_founded",
            "legal_status",
            "autonomous",
            "accountable",
            "board_members_total",
            "board_members_lived_experience",
            "director_lived_experience",
            "cultural_focus",
        ],
        [
            [
                GRANTEE,
                "Hudson Peer Center",
                STATE,
                PERIOD,
                "36061",
                "1998",
                "independent_nonprofit",
                "yes",
                "true",
                "9",
                "6",
                "y",
                "",
            ]
        ],
    ),
    "programs": (
        [
            "program_id",
            "program_name",
            "program_type",
            "program_type_other",
            "county_fips",
            "setting",
            "participants_served",
            "new_participants",
            "contacts",
            "hours_per_week",
            "emotional_support",
            "informational_support",
            "instrumental_support",
            "affiliational_support",
        ],
        [
            [
                "DIC-1",
                "Drop-in center",
                "drop_in_center",
                "",
                "36061",
                "urban",
                "240",
                "80",
                "3100",
                "40.5",
                "1",
                "0",
                "",
                "no",
            ],
            ["WARM", "Warmline", "warmline", "", "36047", "virtual", "120", "", "", "", "", "", "", ""],
        ],
    ),
    "funding": (
        ["funding_source", "amount_usd", "program_id"],
        [["mhbg", "250000.00", ""], ["foundation", "40000", "DIC-1"], ["mhbg", "1000", "DIC-1"]],
    ),
    "workforce": (
        ["role", "headcount", "fte", "lived_experience_count", "certified_count"],
        [["executive_director", "1", "1", "1", ""], ["peer_specialist", "6", "4.5", "6", "4"]],
    ),
    "outcomes": (
        ["measure", "program_id", "respondents", "improved"],
        [["hope", "DIC-1", "50", "31"], ["hope", "", "60", "35"]],
    ),
}


def valid() -> dict[str, tuple[list[str], list[list[str]]]]:
    return copy.deepcopy(VALID)


def with_cell(tables, table: str, row: int, column: str, value: str):
    """The tables with one cell changed; row is the grantee's row number (first data row = 2)."""
    header, rows = tables[table]
    rows[row - 2][header.index(column)] = value
    return tables


def csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\r\n") -> str:
    lines = [",".join(csv_field(h) for h in header)] + [",".join(csv_field(c) for c in r) for r in rows]
    return newline.join(lines) + newline


def package_folder(tmp_path: Path, name: str = GRANTEE, state: str = STATE, period: str = PERIOD) -> Path:
    return tmp_path / state / period / name


def write_csv_package(
    tmp_path: Path,
    tables=None,
    raw: dict[str, bytes | str] | None = None,
    drop: tuple[str, ...] = (),
    **where,
) -> Path:
    """A CSV-folder package: tables as (header, rows), `raw` file name -> exact content, `drop` tables left out."""
    folder = package_folder(tmp_path, **where)
    folder.mkdir(parents=True, exist_ok=True)
    tables = valid() if tables is None else tables
    for name, (header, rows) in tables.items():
        if name not in drop:
            (folder / f"{name}.csv").write_bytes(csv_text(header, rows).encode("utf-8"))
    for name, content in (raw or {}).items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def write_xlsx_package(tmp_path: Path, sheets: dict[str, list[list]] | None = None, **where) -> Path:
    """A workbook package written by openpyxl: sheet name -> rows of Python values (None = no cell)."""
    from openpyxl import Workbook

    if sheets is None:
        sheets = {name: [header, *rows] for name, (header, rows) in valid().items()}
    folder = package_folder(tmp_path, **where).parent
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{where.get('name', GRANTEE)}.xlsx"
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def xlsx_sheets(tables=None) -> dict[str, list[list]]:
    tables = valid() if tables is None else tables
    return {name: [header, *rows] for name, (header, rows) in tables.items()}


def check(path: Path, today: date = TODAY, **kw) -> list[dict]:
    """Every finding of the package as dicts (rule_id, table_name, row_number, column_name, value, ...)."""
    return check_package(path, today, **kw).findings.to_dicts()


def keys(findings: list[dict]) -> list[tuple]:
    return [(f["rule_id"], f["table_name"], f["row_number"], f["column_name"], f["value"]) for f in findings]


def errors(findings: list[dict]) -> list[tuple]:
    return [k for k, f in zip(keys(findings), findings, strict=True) if f["severity"] == "error"]
