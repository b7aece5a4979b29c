"""Build PackageRead objects the way the reader does (all text, trimmed, empty -> null, __row from 2)."""

from __future__ import annotations

import copy
from datetime import date

import polars as pl

from pipelines.contract import load_contract
from pipelines.ingest.model import ROW_COLUMN, PackageRead
from pipelines.validate.batch import validate_batch
from pipelines.validate.model import PackageContext

TODAY = date(2025, 6, 1)  # fiscal year 2025

VALID = {
    "organization": [
        {
            "grantee_id": "NY-0042",
            "organization_name": "Hudson Peer Center",
            "state": "NY",
            "reporting_period": "FY2025",
            "county_fips": "36061",
            "year_founded": "1998",
            "legal_status": "independent_nonprofit",
            "autonomous": "yes",
            "accountable": "TRUE",
            "board_members_total": "9",
            "board_members_lived_experience": "6",
            "director_lived_experience": "y",
            "cultural_focus": None,
        }
    ],
    "programs": [
        {
            "program_id": "DIC-1",
            "program_name": "Drop-in center",
            "program_type": "drop_in_center",
            "program_type_other": None,
            "county_fips": "36061",
            "setting": "urban",
            "participants_served": "240",
            "new_participants": "80",
            "contacts": "3100",
            "hours_per_week": "40.5",
            "emotional_support": "1",
            "informational_support": "0",
            "instrumental_support": None,
            "affiliational_support": "no",
        },
        {
            "program_id": "WARM",
            "program_name": "Warmline",
            "program_type": "Warmline",
            "program_type_other": None,
            "county_fips": "36047",
            "setting": "virtual",
            "participants_served": "120",
            "new_participants": None,
            "contacts": None,
            "hours_per_week": None,
            "emotional_support": None,
            "informational_support": None,
            "instrumental_support": None,
            "affiliational_support": None,
        },
    ],
    "funding": [
        {"funding_source": "mhbg", "amount_usd": "250000.00", "program_id": None},
        {"funding_source": "foundation", "amount_usd": "40000", "program_id": "DIC-1"},
        {"funding_source": "mhbg", "amount_usd": "1000", "program_id": "DIC-1"},
    ],
    "workforce": [
        {
            "role": "executive_director",
            "headcount": "1",
            "fte": "1",
            "lived_experience_count": "1",
            "certified_count": None,
        },
        {
            "role": "peer_specialist",
            "headcount": "6",
            "fte": "4.5",
            "lived_experience_count": "6",
            "certified_count": "4",
        },
    ],
    "outcomes": [
        {"measure": "hope", "program_id": "DIC-1", "respondents": "50", "improved": "31"},
        {"measure": "hope", "program_id": None, "respondents": "60", "improved": "35"},
    ],
}


def valid_tables() -> dict[str, list[dict]]:
    return copy.deepcopy(VALID)


def frame(table: str, rows: list[dict], columns: list[str] | None = None, first_row: int = 2) -> pl.DataFrame:
    contract_columns = load_contract().tables[table].column_names
    names = (
        columns
        if columns is not None
        else [c for c in contract_columns if any(c in r for r in rows)] or list(contract_columns)
    )
    data = {name: [r.get(name) for r in rows] for name in names}
    data[ROW_COLUMN] = list(range(first_row, first_row + len(rows)))
    schema = {name: pl.Utf8 for name in names} | {ROW_COLUMN: pl.Int64}
    return pl.DataFrame(data, schema=schema)


def read_of(tables: dict[str, list[dict]], findings=None) -> PackageRead:
    return PackageRead(
        tables={t: frame(t, rows) for t, rows in tables.items()}, findings=list(findings or [])
    )


def context(grantee_id="NY-0042", state="NY", period="FY2025", version=1, **kw) -> PackageContext:
    return PackageContext(grantee_id=grantee_id, state=state, period=period, version=version, **kw)


def validate_one(tables=None, ctx=None, read=None, today=TODAY):
    read = read if read is not None else read_of(tables if tables is not None else valid_tables())
    return validate_batch([(ctx or context(), read)], today)


def finding_keys(batch) -> list[tuple]:
    return [
        (r["rule_id"], r["table_name"], r["row_number"], r["column_name"])
        for r in batch.findings.iter_rows(named=True)
    ]
