"""Findings that say exactly what is wrong: a formula with no saved value, the missing column's name, the
code a grantee most likely meant. The sentences come from the contract's rule cases."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from pipelines.commands.check import main
from pipelines.contract import load_contract
from tests.validate.helpers import valid_tables
from tests.validate.test_check_command import write_csv_package

TODAY = ["--today", "2025-06-01", "--format", "json"]


def _findings(capsys) -> list[dict]:
    return json.loads(capsys.readouterr().out)["findings"]


def _workbook(path: Path, tables: dict[str, list[dict]], formulas: dict[tuple[str, int, str], str]) -> Path:
    """A package workbook; `formulas` puts a formula (written by openpyxl, so with no cached value) in a cell
    given as (table, data row index, column)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = list(load_contract().tables[name].column_names)
        sheet.append(columns)
        for i, row in enumerate(rows):
            sheet.append([formulas.get((name, i, c), row.get(c)) for c in columns])
    book.save(path)
    return path


def test_a_formula_without_a_saved_value_is_reported_as_such(tmp_path, capsys):
    package = _workbook(
        tmp_path / "NY-0042.xlsx", valid_tables(), {("funding", 0, "amount_usd"): "=1000+250"}
    )
    assert main([str(package), *TODAY]) == 1
    findings = _findings(capsys)
    assert [(f["rule_id"], f["table_name"], f["row_number"], f["column_name"]) for f in findings] == [
        ("F01", "funding", 2, "amount_usd")
    ]
    assert "formula" in findings[0]["message"] and "amount_usd" in findings[0]["message"]
    assert findings[0]["message"] != "Fill in amount_usd; it is required."


def test_an_empty_required_cell_keeps_the_plain_sentence(tmp_path, capsys):
    tables = valid_tables()
    tables["funding"][0]["amount_usd"] = None
    package = _workbook(tmp_path / "NY-0042.xlsx", tables, {})
    assert main([str(package), *TODAY]) == 1
    assert [f["message"] for f in _findings(capsys)] == ["Fill in amount_usd; it is required."]


def test_a_missing_required_column_is_named(tmp_path, capsys):
    tables = valid_tables()
    for row in tables["workforce"]:
        row.pop("lived_experience_count")
    package = write_csv_package(tmp_path / "NY-0042", tables)
    (package / "workforce.csv").write_text(
        "role,headcount,fte,certified_count\n"
        + "".join(f"{r['role']},{r['headcount']},{r.get('fte') or ''},\n" for r in tables["workforce"]),
        encoding="utf-8",
    )
    assert main([str(package), *TODAY]) == 1
    p03 = [f for f in _findings(capsys) if f["rule_id"] == "P03"]
    assert [(f["table_name"], f["column_name"]) for f in p03] == [("workforce", "lived_experience_count")]
    assert "lived_experience_count" in p03[0]["message"] and "workforce" in p03[0]["message"]


def test_an_unknown_code_names_the_likeliest_one_first(tmp_path, capsys):
    tables = valid_tables()
    tables["funding"][0]["funding_source"] = "block_grant"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY]) == 1
    (f03,) = [f for f in _findings(capsys) if f["rule_id"] == "F03"]
    message = f03["message"]
    assert message.startswith("Did you mean mhbg (Mental Health Block Grant)?")
    rest = message.split(": ", 1)[1].rstrip(".").split(", ")
    assert "mhbg" not in rest and set(rest) == set(load_contract().code_values("funding_source")) - {"mhbg"}


def test_an_unknown_code_with_no_close_code_lists_them_all(tmp_path, capsys):
    tables = valid_tables()
    tables["programs"][0]["setting"] = "zzz"
    package = write_csv_package(tmp_path / "NY-0042", tables)
    assert main([str(package), *TODAY]) == 1
    (f03,) = [f for f in _findings(capsys) if f["rule_id"] == "F03"]
    assert f03["message"] == "Use one of the codes for setting: urban, suburban, rural, virtual."
