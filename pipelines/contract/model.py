"""Typed view of contract.yaml: the one machine-readable copy of the submission guide."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from pipelines.paths import REFERENCE_DIR

CONTRACT_FILE = Path(__file__).with_name("contract.yaml")


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    category: str | None = None
    field_term: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | int | decimal | bool | code
    required: bool
    meaning: str = ""
    min: float | None = None
    max: float | None = None
    max_column: str | None = None  # part-whole rule (X06): value <= this column
    max_rule: str | None = None  # period_year | current_fiscal_year
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None  # name of an identifiers entry
    codes: str | None = None  # name of a code list
    references: str | None = None  # "programs.program_id"
    required_when: dict | None = None
    must_match_path: bool = False
    in_state: bool = False
    people_count: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    rows: str  # exactly_one | at_least_one | any
    description: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # error | warning
    summary: str
    fix: str
    # Sharper sentences for particular cases of the rule (a named missing column, a formula with no saved
    # value, a likely intended code); `fix` is the rule's general sentence.
    cases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Contract:
    version: str
    identifiers: dict[str, dict]
    limits: dict[str, int]
    bool_values: dict[bool, tuple[str, ...]]
    tables: dict[str, Table]
    roster_columns: tuple[Column, ...]
    codes: dict[str, tuple[Code, ...]]
    funding_categories: tuple[Code, ...]
    rules: dict[str, Rule]
    cell_rule_order: tuple[str, ...]
    peer_run: dict
    small_cells: dict
    raw: dict = field(repr=False, default_factory=dict)

    def pattern(self, name: str) -> re.Pattern[str]:
        return re.compile(self.identifiers[name]["pattern"])

    def code_values(self, name: str) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes[name])

    @property
    def required_tables(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables.values() if t.required)


def _column(spec: dict) -> Column:
    spec = dict(spec)
    max_value = spec.pop("max", None)
    if isinstance(max_value, str):
        spec["max_column"] = max_value
    elif max_value is not None:
        spec["max"] = max_value
    return Column(**spec)


def _codes(name: str, spec) -> tuple[Code, ...]:
    if isinstance(spec, dict) and "source" in spec:
        with (REFERENCE_DIR / Path(spec["source"]).name).open(newline="", encoding="utf-8") as fh:
            return tuple(
                Code(code=row[spec["column"]].lower(), label=row["state_name"]) for row in csv.DictReader(fh)
            )
    return tuple(Code(**item) for item in spec)


@cache
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = {
        name: Table(
            name=name,
            required=spec["required"],
            rows=spec["rows"],
            description=spec["description"],
            columns=tuple(_column(c) for c in spec["columns"]),
            unique=tuple(tuple(k) for k in spec.get("unique", [])),
        )
        for name, spec in raw["tables"].items()
    }
    return Contract(
        version=str(raw["contract_version"]),
        identifiers=raw["identifiers"],
        limits=raw["limits"],
        bool_values={True: tuple(raw["bool_values"]["true"]), False: tuple(raw["bool_values"]["false"])},
        tables=tables,
        roster_columns=tuple(_column(c) for c in raw["roster"]["columns"]),
        codes={name: _codes(name, spec) for name, spec in raw["codes"].items()},
        funding_categories=tuple(Code(**c) for c in raw["funding_categories"]),
        rules={rid: Rule(id=rid, **spec) for rid, spec in raw["rules"].items()},
        cell_rule_order=tuple(raw["cell_rule_order"]),
        peer_run=raw["peer_run_classification"],
        small_cells=raw["small_cells"],
        raw=raw,
    )


def fiscal_year(day: date) -> int:
    """Federal fiscal year of a date: FY2026 runs 2025-10-01 .. 2026-09-30."""
    return day.year + 1 if day.month >= 10 else day.year


def period_year(period: str) -> int:
    return int(period[2:])
