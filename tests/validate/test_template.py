"""The Excel template: generated from the contract, and a correctly filled copy passes `landscape check`."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from pipelines.commands.check import main
from pipelines.contract import load_contract
from pipelines.validate.template import CODES, INSTRUCTIONS, write_template
from tests.validate.helpers import valid_tables


def _fill(path, tables):
    """Type the valid package into the template as a person would: numbers as numbers, text as text."""
    contract = load_contract()
    book = load_workbook(path)
    for name, rows in tables.items():
        sheet = book[name]
        columns = [c.value for c in sheet[1]]
        for r, row in enumerate(rows, start=2):
            for i, column in enumerate(columns, start=1):
                value = row.get(column)
                kind = contract.tables[name].column(column).type
                if value is not None and kind == "int":
                    value = int(value)
                elif value is not None and kind == "decimal":
                    value = float(value)
                sheet.cell(row=r, column=i, value=value)
    book.save(path)


def test_template_has_sheets_headers_dropdowns_and_messages(tmp_path):
    path = write_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    contract = load_contract()
    assert book.sheetnames == [INSTRUCTIONS, *contract.tables, CODES]
    programs = book["programs"]
    assert [c.value for c in programs[1]] == list(contract.tables["programs"].column_names)
    validations = {str(v.sqref).split(":")[0][:-1]: v for v in programs.data_validations.dataValidation}
    setting = validations["F"]  # setting: a code column
    assert setting.type == "list" and setting.formula1.startswith("codes!$B$")
    assert validations["G"].type == "whole" and (validations["G"].formula1, validations["G"].formula2) == (
        "0",
        "1000000",
    )
    assert validations["J"].type == "decimal"
    assert validations["K"].type == "list"  # emotional_support: a bool
    assert "emotional support" in validations["K"].prompt
    assert programs.column_dimensions["E"].number_format == "@"  # county_fips keeps leading zeros
    codes = [(r[0], r[1]) for r in book[CODES].iter_rows(min_row=2, values_only=True)]
    assert ("setting", "rural") in codes and ("state", "NY") in codes


def test_filled_template_passes_check(tmp_path, capsys):
    path = write_template(tmp_path / "NY-0042.xlsx")
    tables = valid_tables()
    tables["programs"][0]["county_fips"] = "06037"  # leading zero must survive: swap to a CA package
    for row in tables["programs"]:
        row["county_fips"] = "06037"
    tables["organization"][0].update(grantee_id="CA-0042", state="CA", county_fips="06001")
    filled = tmp_path / "CA-0042.xlsx"
    path.rename(filled)
    _fill(filled, tables)
    code = main([str(filled), "--today", "2025-06-01", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    errors = [f for f in out["findings"] if f["severity"] == "error"]
    assert errors == [] and code == 0
    # the reader names the instructions and codes sheets as ignored (W05), nothing else
    assert sorted(f["value"] for f in out["findings"]) == sorted([INSTRUCTIONS, CODES])


def test_row_numbers_are_the_sheets_own_rows(tmp_path, capsys):
    path = write_template(tmp_path / "NY-0042.xlsx")
    tables = valid_tables()
    tables["programs"][1]["setting"] = "downtown"
    tables["programs"].insert(1, {})  # a blank row 3: ignored, but the next program is on row 4
    _fill(path, tables)
    assert main([str(path), "--today", "2025-06-01", "--format", "json"]) == 1
    errors = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["severity"] == "error"]
    assert [(f["rule_id"], f["table_name"], f["row_number"], f["column_name"]) for f in errors] == [
        ("F03", "programs", 4, "setting")
    ]
