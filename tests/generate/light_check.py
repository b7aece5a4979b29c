"""An independent, deliberately small reading of the contract to check generated packages from disk.

It reads the written files (csv module / openpyxl), not the generator's objects, and reports the rule ids
it can see: missing tables and columns, cell types, codes, patterns, ranges, keys, references, counties,
part-whole, `other` descriptions, path mismatches and unknown columns. It does not replace the
validation engine; it keeps the generator honest on its own.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR

INT = re.compile(r"^-?\d+(\.0+)?$")
DECIMAL = re.compile(r"^-?\d+(\.\d{1,2})?$")


def counties() -> dict[str, tuple[str, str]]:
    """county_fips -> (state, urbanicity), FIPS read as text."""
    with (REFERENCE_DIR / "counties.csv").open(newline="", encoding="utf-8") as fh:
        return {r["county_fips"]: (r["state"], r["urbanicity"]) for r in csv.DictReader(fh)}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """table name (lower case) -> rows as {header (lower case): text}; header-only tables are empty lists."""
    grids: dict[str, list[list]] = {}
    if path.is_dir():
        for file in sorted(path.iterdir()):
            with file.open(newline="", encoding="utf-8-sig") as fh:
                grids[file.stem.lower()] = list(csv.reader(fh))
    else:
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            grids[ws.title.lower()] = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
    tables = {}
    for name, grid in grids.items():
        header = [_text(h).lower() for h in grid[0]]
        # Workbooks drop trailing empty cells; pad so every row has every header column.
        tables[name] = [
            dict(zip(header, [_text(v) for v in row] + [""] * (len(header) - len(row)), strict=False))
            for row in grid[1:]
            if any(_text(v) for v in row)
        ]
        tables[name].insert(0, {"__header__": header})  # type: ignore[dict-item]
    return tables


def check(path: Path, state: str, period: str, grantee_id: str) -> set[str]:
    """Rule ids this checker finds in the package at path (empty = clean as far as it can tell)."""
    contract = load_contract()
    county_state = counties()
    found: set[str] = set()
    tables = read_tables(path)
    bools = {*contract.bool_values[True], *contract.bool_values[False]}
    for table in contract.tables.values():
        if table.name not in tables:
            found |= {"P02"} if table.required else {"W06"}
            continue
        header, *rows = tables[table.name]
        header = header["__header__"]
        found |= {"W05"} if set(header) - set(table.column_names) else set()
        found |= {"P03"} if set(table.required_columns) - set(header) else set()
        if table.rows == "exactly_one" and len(rows) != 1:
            found.add("X01")
        if table.rows == "at_least_one" and not rows:
            found.add("X02")
        for row in rows:
            found |= _cells(table, row, contract, bools)
        for key in table.unique:
            keys = [tuple(r.get(k, "") for k in key) for r in rows]
            found |= {"X03"} if len(keys) != len(set(keys)) else set()
    programs = {r.get("program_id") for r in tables.get("programs", [{}])[1:]}
    for name in ("funding", "outcomes"):
        for row in tables.get(name, [{}])[1:]:
            if row.get("program_id") and row["program_id"] not in programs:
                found.add("X04")
    for name in ("organization", "programs"):
        for row in tables.get(name, [{}])[1:]:
            fips = row.get("county_fips", "")
            if re.fullmatch(r"\d{5}", fips) and county_state.get(fips, ("",))[0] != state:
                found.add("X05")
    org = (tables.get("organization") or [{}, {}])[1:2]
    if org:
        paths = {"grantee_id": grantee_id, "state": state, "reporting_period": period}
        if any(org[0].get(k) and org[0][k].upper() != v for k, v in paths.items()):
            found.add("P05")
    return found


def _cells(table, row: dict[str, str], contract, bools: set[str]) -> set[str]:
    found = set()
    for col in table.columns:
        value = row.get(col.name, "")
        if not value:
            if col.required:
                found.add("F01")
            elif col.required_when and all(row.get(k, "").lower() == v for k, v in col.required_when.items()):
                found.add("X07")
            continue
        if col.type == "int" and not INT.match(value) or col.type == "decimal" and not DECIMAL.match(value):
            found.add("F02")
            continue
        if col.type == "bool" and value.lower() not in bools:
            found.add("F02")
        if col.pattern and not contract.pattern(col.pattern).fullmatch(value):
            found.add("F05")
            continue
        if col.codes and value.lower() not in contract.code_values(col.codes):
            found.add("F03")
        if col.type in ("int", "decimal"):
            number = float(value)
            if col.min is not None and number < col.min or col.max is not None and number > col.max:
                found.add("F04")
            whole = row.get(col.max_column or "", "")
            if col.max_column and INT.match(whole or "x") and number > float(whole):
                found.add("X06")
        if col.max_length is not None and len(value) > col.max_length:
            found.add("F04")
    return found
