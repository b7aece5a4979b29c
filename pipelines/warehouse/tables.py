"""The warehouse's per-table columns, derived from the contract.

raw.<table> and staging.<table> carry the package key columns first and then the contract's columns. The
organization table has contract columns named like two key columns (grantee_id, state); those keep the
value as written in the package under a `reported_` prefix, so the key always means the package path.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.contract import load_contract

# (name, DuckDB type) of the columns that say which package version a row belongs to.
KEY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("grantee_id", "VARCHAR"),
    ("state", "VARCHAR"),
    ("period", "VARCHAR"),
    ("version", "INTEGER"),
    ("row_number", "BIGINT"),
)
KEY_NAMES = tuple(name for name, _ in KEY_COLUMNS)
REPORTED_PREFIX = "reported_"

DUCKDB_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "int": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "bool": "BOOLEAN",
}

# The contract tables whose current rows become a core fact table of the same name (organization becomes
# core.grantees, which adds the peer-run classification and is written by hand).
FACT_TABLES = ("programs", "funding", "workforce", "outcomes")


@dataclass(frozen=True)
class WarehouseColumn:
    name: str  # name in the warehouse
    contract_name: str  # name in the contract and in reader / validation frames
    type: str  # DuckDB type when typed (staging, core)


def contract_tables() -> tuple[str, ...]:
    return tuple(load_contract().tables)


def warehouse_name(column_name: str) -> str:
    return REPORTED_PREFIX + column_name if column_name in KEY_NAMES else column_name


def contract_columns(table: str) -> tuple[WarehouseColumn, ...]:
    """The contract's columns of a table as the warehouse names and types them."""
    return tuple(
        WarehouseColumn(warehouse_name(c.name), c.name, DUCKDB_TYPES[c.type])
        for c in load_contract().tables[table].columns
    )
