"""Builders for warehouse tests: packages as typed rows, turned into what load_partition receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import polars as pl
import pytest

from pipelines.contract import load_contract
from pipelines.findings import FINDING_SCHEMA
from pipelines.validate.model import PACKAGE_KEY, ValidatedBatch
from pipelines.warehouse.connection import connect

POLARS_TYPES = {
    "text": pl.Utf8,
    "code": pl.Utf8,
    "int": pl.Int64,
    "decimal": pl.Decimal(18, 2),
    "bool": pl.Boolean,
}


def organization(grantee_id: str, state: str = "NY", period: str = "FY2025", **overrides) -> dict:
    """A peer-run organization row (all five criteria hold) unless overridden."""
    row = {
        "grantee_id": grantee_id,
        "organization_name": f"Org {grantee_id}",
        "state": state.lower(),
        "reporting_period": period,
        "county_fips": "36061",
        "year_founded": 1990,
        "legal_status": "independent_nonprofit",
        "autonomous": True,
        "accountable": True,
        "board_members_total": 10,
        "board_members_lived_experience": 6,
        "director_lived_experience": True,
        "cultural_focus": None,
    }
    return {**row, **overrides}


def program(
    program_id: str,
    participants: int,
    program_type: str = "drop_in_center",
    county_fips: str = "36061",
    **overrides,
) -> dict:
    return {
        "program_id": program_id,
        "program_name": f"Program {program_id}",
        "program_type": program_type,
        "program_type_other": None,
        "county_fips": county_fips,
        "setting": "urban",
        "participants_served": participants,
        **overrides,
    }


def funding(source: str, amount: str, program_id: str | None = None) -> dict:
    return {"funding_source": source, "amount_usd": Decimal(amount), "program_id": program_id}


def role(name: str, headcount: int, lived: int, certified: int | None = None, fte: str | None = None) -> dict:
    return {
        "role": name,
        "headcount": headcount,
        "lived_experience_count": lived,
        "certified_count": certified,
        "fte": Decimal(fte) if fte is not None else None,
    }


def outcome(measure: str, respondents: int, improved: int, program_id: str | None = None) -> dict:
    return {"measure": measure, "program_id": program_id, "respondents": respondents, "improved": improved}


def staff(ed_lived: bool = True, peers: int = 4, peers_lived: int = 3) -> list[dict]:
    return [
        role("executive_director", 1, 1 if ed_lived else 0),
        role("peer_specialist", peers, peers_lived, 2),
    ]


@dataclass
class Pkg:
    grantee_id: str
    version: int
    status: str = "accepted"
    state: str = "NY"
    period: str = "FY2025"
    sha256: str | None = None
    tables: dict[str, list[dict]] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)
    duplicate_of: int | None = None

    @property
    def key(self) -> str:
        return f"{self.grantee_id}|{self.period}|{self.version}"


def full_package(
    grantee_id: str,
    version: int = 1,
    status: str = "accepted",
    state: str = "NY",
    period: str = "FY2025",
    participants: int = 100,
    amount: str = "1000.00",
    org: dict | None = None,
    workforce: list[dict] | None = None,
    **kw,
) -> Pkg:
    return Pkg(
        grantee_id,
        version,
        status,
        state,
        period,
        tables={
            "organization": [org or organization(grantee_id, state, period)],
            "programs": [program("P1", participants)],
            "funding": [funding("mhbg", amount)],
            "workforce": staff() if workforce is None else workforce,
        },
        **kw,
    )


def _typed_frame(table: str, pkgs: list[Pkg]) -> pl.DataFrame:
    spec = load_contract().tables[table]
    schema = {
        PACKAGE_KEY: pl.Utf8,
        "row_number": pl.Int64,
        **{c.name: POLARS_TYPES[c.type] for c in spec.columns},
    }
    rows = []
    for pkg in pkgs:
        for i, row in enumerate(pkg.tables.get(table, [])):
            rows.append(
                {PACKAGE_KEY: pkg.key, "row_number": i + 2, **{c: row.get(c) for c in spec.column_names}}
            )
    return pl.DataFrame(rows, schema=schema)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def partition_input(pkgs: list[Pkg]) -> tuple[pl.DataFrame, ValidatedBatch, dict[str, pl.DataFrame]]:
    """new_versions, the validated batch and raw tables, as intake and validation hand them over."""
    new_versions = pl.DataFrame(
        [
            {
                "grantee_id": p.grantee_id,
                "state": p.state,
                "period": p.period,
                "version": p.version,
                "sha256": p.sha256 or f"sha-{p.grantee_id}-{p.version}",
                "received_at": datetime(2025, 11, 1, 12, 0, p.version),
                "source_path": f"/landing/{p.grantee_id}",
                "archive_path": f"/archive/{p.grantee_id}/v{p.version}",
                "package_kind": "csv_folder",
                "status": p.status,
                "error_count": sum(f["severity"] == "error" for f in p.findings),
                "warning_count": sum(f["severity"] == "warning" for f in p.findings),
                "duplicate_of": p.duplicate_of,
            }
            for p in pkgs
        ]
    )
    opened = [p for p in pkgs if p.status != "duplicate"]
    tables = {
        t: _typed_frame(t, opened) for t in load_contract().tables if any(t in p.tables for p in opened)
    }
    raw = {
        t: f.with_columns(
            [
                pl.col(c).map_elements(_text, return_dtype=pl.Utf8)
                for c in f.columns
                if c not in (PACKAGE_KEY, "row_number")
            ]
        )
        for t, f in tables.items()
    }
    findings = pl.DataFrame(
        [{PACKAGE_KEY: p.key, **{k: None for k in FINDING_SCHEMA}, **f} for p in opened for f in p.findings],
        schema={PACKAGE_KEY: pl.Utf8, **FINDING_SCHEMA},
    )
    packages = pl.DataFrame(
        [{PACKAGE_KEY: p.key, "status": p.status} for p in opened],
        schema={PACKAGE_KEY: pl.Utf8, "status": pl.Utf8},
    )
    return new_versions, ValidatedBatch(packages=packages, findings=findings, tables=tables), raw


def error(rule_id: str = "F01", table: str = "programs", row: int = 2, column: str = "program_name") -> dict:
    return {
        "rule_id": rule_id,
        "severity": "error",
        "table_name": table,
        "row_number": row,
        "column_name": column,
        "value": None,
        "message": "Fill in program_name; it is required.",
    }


@pytest.fixture
def wh(tmp_path):
    con = connect(tmp_path / "warehouse" / "landscape.duckdb")
    yield con
    con.close()


def load(con, pkgs: list[Pkg], state: str = "NY", period: str = "FY2025") -> dict:
    from pipelines.warehouse.load import load_partition

    new_versions, batch, raw = partition_input(pkgs)
    return load_partition(con, state, period, new_versions, batch, raw)


def snapshot(con) -> dict[str, list[tuple]]:
    """Every warehouse table's rows, sorted, for before/after comparisons."""
    from pipelines.warehouse.connection import query

    out = {}
    for schema, table in query(con, "warehouse/list_tables").rows():
        out[f"{schema}.{table}"] = sorted(con.table(f"{schema}.{table}").fetchall(), key=repr)
    return out
