"""Great Expectations suites generated from the contract: one per table, checked in under expectations/.

Each expectation mirrors one cell rule and carries {rule_id, column} in its meta so that every unexpected
row maps back to a contract rule. GX sees text as the reader delivers it plus a few companion columns the
runner derives the same way the engine does (COMPANIONS), because GX compares numbers, not number spellings.

    python -m pipelines.validate.gx_suites      rewrites expectations/<table>.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipelines.contract import Column, Table, load_contract
from pipelines.paths import EXPECTATIONS_DIR
from pipelines.validate.cell_rules import CURRENT_FY, DECIMAL_PATTERN, INT_PATTERN, PERIOD_YEAR

NUMBER_SUFFIX = "__number"  # the value of an int/decimal cell whose spelling is valid
CODE_SUFFIX = "__code"  # a code cell in lower case (codes are case-insensitive)
YEAR_SUFFIX = "__year"  # the year of a period cell whose spelling is valid


def _expect(kind: str, rule_id: str, source: Column, **kwargs) -> dict:
    return {"type": f"expect_{kind}", "kwargs": kwargs, "meta": {"rule_id": rule_id, "column": source.name}}


def _bool_regex() -> str:
    values = load_contract().bool_values
    return "(?i)^(?:" + "|".join([*values[True], *values[False]]) + ")$"


def column_expectations(column: Column) -> list[dict]:
    contract, name, out = load_contract(), column.name, []
    if column.required:
        out.append(_expect("column_values_to_not_be_null", "F01", column, column=name))
    if column.type in ("int", "decimal"):
        regex = INT_PATTERN if column.type == "int" else DECIMAL_PATTERN
        out.append(_expect("column_values_to_match_regex", "F02", column, column=name, regex=regex))
    if column.type == "bool":
        out.append(_expect("column_values_to_match_regex", "F02", column, column=name, regex=_bool_regex()))
    if column.pattern:
        regex = contract.identifiers[column.pattern]["pattern"]
        out.append(_expect("column_values_to_match_regex", "F05", column, column=name, regex=regex))
    if column.codes:
        codes = list(contract.code_values(column.codes))
        out.append(
            _expect("column_values_to_be_in_set", "F03", column, column=name + CODE_SUFFIX, value_set=codes)
        )
    if column.type in ("int", "decimal") and (column.min is not None or column.max is not None):
        bounds = {k: v for k, v in (("min_value", column.min), ("max_value", column.max)) if v is not None}
        out.append(
            _expect("column_values_to_be_between", "F04", column, column=name + NUMBER_SUFFIX, **bounds)
        )
    if column.max_rule == "period_year":
        out.append(_pair(column, PERIOD_YEAR, name + NUMBER_SUFFIX))
    if column.max_rule == "current_fiscal_year":
        out.append(_pair(column, CURRENT_FY, name + YEAR_SUFFIX))
    if column.min_length is not None or column.max_length is not None:
        bounds = {
            k: v
            for k, v in (("min_value", column.min_length), ("max_value", column.max_length))
            if v is not None
        }
        out.append(_expect("column_value_lengths_to_be_between", "F04", column, column=name, **bounds))
    return out


def _pair(column: Column, limit: str, value: str) -> dict:
    return _expect(
        "column_pair_values_a_to_be_greater_than_b",
        "F04",
        column,
        column_A=limit,
        column_B=value,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def build_suite(table: Table) -> dict:
    return {
        "name": table.name,
        "meta": {
            "contract_version": load_contract().version,
            "generated_by": "python -m pipelines.validate.gx_suites (do not edit by hand)",
        },
        "expectations": [e for column in table.columns for e in column_expectations(column)],
    }


def suite_text(table: Table) -> str:
    return json.dumps(build_suite(table), indent=2, ensure_ascii=False) + "\n"


def write_suites(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in load_contract().tables.values():
        path = directory / f"{table.name}.json"
        path.write_text(suite_text(table), encoding="utf-8")
        paths.append(path)
    return paths


def load_suite(table: str, directory: Path = EXPECTATIONS_DIR) -> dict:
    return json.loads((directory / f"{table}.json").read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    for path in write_suites():
        print(f"wrote {path}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
