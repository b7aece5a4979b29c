"""Writes small, contract-valid CSV-folder packages for orchestration tests; tweaks make them invalid."""

from __future__ import annotations

import csv
import os
from pathlib import Path

ORGANIZATION = {
    "grantee_id": "{gid}",
    "organization_name": "Hope Peer Center",
    "state": "{state}",
    "reporting_period": "{period}",
    "county_fips": "{county}",
    "year_founded": "1998",
    "legal_status": "independent_nonprofit",
    "autonomous": "yes",
    "accountable": "yes",
    "board_members_total": "9",
    "board_members_lived_experience": "7",
    "director_lived_experience": "true",
    "cultural_focus": "",
}
PROGRAMS = [
    {
        "program_id": "DIC-1",
        "program_name": "Drop-in center",
        "program_type": "drop_in_center",
        "program_type_other": "",
        "county_fips": "{county}",
        "setting": "rural",
        "participants_served": "240",
        "new_participants": "60",
        "contacts": "3100",
        "hours_per_week": "40",
        "emotional_support": "y",
        "informational_support": "y",
        "instrumental_support": "n",
        "affiliational_support": "y",
    }
]
FUNDING = [
    {"funding_source": "mh_authority", "amount_usd": "{amount}", "program_id": ""},
    {"funding_source": "mhbg", "amount_usd": "50000", "program_id": "DIC-1"},
]
WORKFORCE = [
    {
        "role": "executive_director",
        "headcount": "1",
        "fte": "1",
        "lived_experience_count": "1",
        "certified_count": "1",
    },
    {
        "role": "peer_specialist",
        "headcount": "6",
        "fte": "4.5",
        "lived_experience_count": "6",
        "certified_count": "4",
    },
]
OUTCOMES = [{"measure": "hope", "program_id": "DIC-1", "respondents": "80", "improved": "52"}]


def _fill(rows: list[dict], values: dict) -> list[dict]:
    return [{k: v.format(**values) for k, v in row.items()} for row in rows]


def write_package(
    landing: Path,
    gid: str,
    period: str = "FY2026",
    county: str = "50007",
    amount: str = "150000",
    overrides: dict[str, list[dict]] | None = None,
    mtime_s: int | None = None,
) -> Path:
    """<landing>/<STATE>/<FY>/<gid>/ with one CSV per table; overrides replace a table's rows."""
    state = gid[:2]
    values = {"gid": gid, "state": state, "period": period, "county": county, "amount": amount}
    tables = {
        "organization": _fill([ORGANIZATION], values),
        "programs": _fill(PROGRAMS, values),
        "funding": _fill(FUNDING, values),
        "workforce": _fill(WORKFORCE, values),
        "outcomes": _fill(OUTCOMES, values),
    }
    tables.update(overrides or {})
    folder = landing / state / period / gid
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    if mtime_s is not None:
        for path in [*folder.iterdir(), folder]:
            os.utime(path, (mtime_s, mtime_s))
    return folder


def organization_with(**changes: str) -> list[dict]:
    return [{**ORGANIZATION, **changes}]
