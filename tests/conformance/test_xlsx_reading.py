"""Contract, *Workbooks*, *Links*, *Size*, *Row numbers* for an .xlsx package: workbooks written by openpyxl
(as a spreadsheet program would) or part by part (for cached formula values and unsafe content)."""

from __future__ import annotations

import os
import zipfile

import pytest

from pipelines.validate.package_check import check_package
from tests.conformance.builder import (
    TODAY,
    check,
    keys,
    package_folder,
    write_xlsx_package,
    xlsx_sheets,
)
from tests.ingest.builders import Cell, xlsx_parts, zip_bytes


def sheets_with(table: str, row: int, column: str, value) -> dict[str, list[list]]:
    sheets = xlsx_sheets()
    header = sheets[table][0]
    sheets[table][row - 1][header.index(column)] = value
    return sheets


def check_xlsx(tmp_path, sheets) -> list[tuple]:
    return keys(check(write_xlsx_package(tmp_path, sheets)))


def workbook_path(tmp_path):
    path = package_folder(tmp_path).with_suffix(".xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_valid_workbook_with_numbers_as_numbers(tmp_path):
    sheets = xlsx_sheets()
    for name, rows in sheets.items():
        for row in rows[1:]:
            for i, value in enumerate(row):
                if (
                    value
                    and value.replace(".", "", 1).isdigit()
                    and name != "organization"
                    or (name == "organization" and i in (5, 9, 10))
                ):
                    row[i] = float(value) if "." in value else int(value)
    assert check_xlsx(tmp_path, sheets) == []


def test_fips_as_number_keeps_its_digits(tmp_path):
    assert check_xlsx(tmp_path, sheets_with("programs", 2, "county_fips", 36061)) == []


def test_fips_that_lost_its_leading_zero_f05(tmp_path):
    sheets = sheets_with("programs", 2, "county_fips", 4013)
    assert check_xlsx(tmp_path, sheets) == [("F05", "programs", 2, "county_fips", "4013")]


def test_float_whole_number_in_int_column(tmp_path):
    path = write_xlsx_package(tmp_path, sheets_with("programs", 2, "participants_served", 240.0))
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["participants_served"][0] == 240


def test_floating_point_noise_rounded_to_15_significant_digits(tmp_path):
    path = write_xlsx_package(tmp_path, sheets_with("programs", 2, "hours_per_week", 0.1 + 0.2))
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert str(batch.tables["programs"]["hours_per_week"][0]) == "0.30"


def test_number_with_a_third_decimal_f02(tmp_path):
    assert check_xlsx(tmp_path, sheets_with("funding", 3, "amount_usd", 12.345)) == [
        ("F02", "funding", 3, "amount_usd", "12.345")
    ]


@pytest.mark.parametrize("column,value", [("amount_usd", 1e15), ("amount_usd", 2.5e18)])
def test_huge_number_cell_in_decimal_column_is_out_of_range_f04(tmp_path, column, value):
    found = check_xlsx(tmp_path, sheets_with("funding", 3, column, value))
    assert [(r, t, n, c) for r, t, n, c, _ in found] == [("F04", "funding", 3, column)]


def test_huge_number_cell_in_int_column_is_out_of_range_f04(tmp_path):
    found = check_xlsx(tmp_path, sheets_with("programs", 2, "contacts", 123456789012345678))
    assert [(r, t, n, c) for r, t, n, c, _ in found] == [("F04", "programs", 2, "contacts")]


def test_number_in_text_column_reads_as_general_format(tmp_path):
    path = write_xlsx_package(tmp_path, sheets_with("programs", 3, "program_id", 7.0))
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["program_id"][1] == "7"


def test_boolean_cells(tmp_path):
    sheets = sheets_with("programs", 2, "emotional_support", True)
    sheets["programs"][1][sheets["programs"][0].index("informational_support")] = False
    path = write_xlsx_package(tmp_path, sheets)
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["emotional_support"][0] is True
    assert batch.tables["programs"]["informational_support"][0] is False


def _raw_workbook(tmp_path, table: str, row: int, column: str, cell: Cell, **kw):
    sheets = xlsx_sheets()
    header = sheets[table][0]
    sheets[table][row - 1][header.index(column)] = cell
    sheets = {name: [[None if v == "" else v for v in r] for r in rows] for name, rows in sheets.items()}
    path = workbook_path(tmp_path)
    path.write_bytes(zip_bytes(xlsx_parts(sheets, **kw)))
    return path


def test_formula_reads_its_cached_value(tmp_path):
    path = _raw_workbook(tmp_path, "programs", 2, "participants_served", Cell(f="SUM(A1:A3)", v="240"))
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["participants_served"][0] == 240


def test_text_formula_reads_its_cached_value(tmp_path):
    path = _raw_workbook(tmp_path, "programs", 2, "setting", Cell(t="str", f='LOWER("URBAN")', v="urban"))
    assert keys(check(path)) == []


def test_formula_without_cached_value_is_empty_f01(tmp_path):
    path = _raw_workbook(tmp_path, "programs", 2, "participants_served", Cell(f="SUM(A1:A3)"))
    assert keys(check(path)) == [("F01", "programs", 2, "participants_served", None)]


def test_openpyxl_formula_without_cache_f01(tmp_path):
    found = check_xlsx(tmp_path, sheets_with("programs", 2, "participants_served", "=1+1"))
    assert found == [("F01", "programs", 2, "participants_served", None)]


# --- sheets -----------------------------------------------------------------------------------------------------------
def test_sheet_names_case_insensitive(tmp_path):
    sheets = {
        name.upper() if i % 2 else name.title(): rows for i, (name, rows) in enumerate(xlsx_sheets().items())
    }
    assert check_xlsx(tmp_path, sheets) == []


def test_unknown_sheet_w05(tmp_path):
    sheets = xlsx_sheets() | {"Notes": [["anything"], ["x"]]}
    assert check_xlsx(tmp_path, sheets) == [("W05", None, None, None, "Notes")]


def test_two_sheets_for_one_table_p01(tmp_path):
    # A spreadsheet program refuses two sheet names differing only in case; a hand-made workbook can have them.
    sheets = {n: [[None if v == "" else v for v in r] for r in rows] for n, rows in xlsx_sheets().items()}
    sheets["PROGRAMS"] = sheets["programs"]
    path = workbook_path(tmp_path)
    path.write_bytes(zip_bytes(xlsx_parts(sheets)))
    found = keys(check(path))
    assert [(r, t) for r, t, *_ in found] == [("P01", "programs")]


def test_header_names_trimmed_and_case_insensitive(tmp_path):
    sheets = xlsx_sheets()
    sheets["programs"][0] = [f" {h.upper()}  " for h in sheets["programs"][0]]
    assert check_xlsx(tmp_path, sheets) == []


def test_empty_rows_keep_sheet_row_numbers(tmp_path):
    sheets = xlsx_sheets()
    header, row2, row3 = sheets["programs"]
    row3 = list(row3)
    row3[header.index("setting")] = "downtown"
    sheets["programs"] = [header, [], row2, [" ", None], [], row3, []]
    assert check_xlsx(tmp_path, sheets) == [("F03", "programs", 6, "setting", "downtown")]


def test_value_beyond_header_p03_and_empty_header_w05(tmp_path):
    sheets = xlsx_sheets()
    header = sheets["funding"][0]
    sheets["funding"][0] = [*header, None, "note"]
    sheets["funding"][1] = [*sheets["funding"][1], "x", "y"]  # under the empty name: W05
    sheets["funding"][2] = [*sheets["funding"][2], None, None, "beyond"]  # past the last name: P03
    found = check_xlsx(tmp_path, sheets)
    assert sorted((r, t, n, v) for r, t, n, _, v in found) == [
        ("P03", "funding", 3, "beyond"),
        ("W05", "funding", 1, "column D (no header name)"),
        ("W05", "funding", 1, "note"),
    ]


# --- unsafe workbooks -----------------------------------------------------------------------------------------------------
def test_macro_enabled_extension_p01(tmp_path):
    path = write_xlsx_package(tmp_path)
    target = path.with_suffix(".xlsm")
    path.rename(target)
    assert [f[0] for f in keys(check(target))] == ["P01"]


def test_encrypted_workbook_p01(tmp_path):
    path = workbook_path(tmp_path)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert [f[0] for f in keys(check(path))] == ["P01"]


def test_vba_project_part_p01(tmp_path):
    sheets = {n: [[None if v == "" else v for v in r] for r in rows] for n, rows in xlsx_sheets().items()}
    path = workbook_path(tmp_path)
    path.write_bytes(zip_bytes(xlsx_parts(sheets, extra_parts={"xl/vbaProject.bin": b"\0" * 64})))
    assert [f[0] for f in keys(check(path))] == ["P01"]


@pytest.mark.parametrize("part", ["docProps/app.xml", "xl/worksheets/sheet9.xml", "customXml/item1.xml"])
def test_dtd_in_any_part_p01(tmp_path, part):
    sheets = {n: [[None if v == "" else v for v in r] for r in rows] for n, rows in xlsx_sheets().items()}
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    path = workbook_path(tmp_path)
    path.write_bytes(zip_bytes(xlsx_parts(sheets, extra_parts={part: dtd})))
    assert [f[0] for f in keys(check(path))] == ["P01"]


def test_symlinked_workbook_p01(tmp_path):
    real = write_xlsx_package(tmp_path / "real")
    link = workbook_path(tmp_path)
    os.symlink(real, link)
    assert [f[0] for f in keys(check(link))] == ["P01"]


def test_workbook_over_20_000_000_bytes_p04(tmp_path):
    path = write_xlsx_package(tmp_path)
    with path.open("r+b") as fh:
        fh.truncate(20_000_001)
    assert [f[0] for f in keys(check(path))] == ["P04"]


def test_truncated_workbook_p01(tmp_path):
    path = write_xlsx_package(tmp_path)
    path.write_bytes(path.read_bytes()[:-200])
    assert [f[0] for f in keys(check(path))] == ["P01"]


def test_not_a_zip_p01(tmp_path):
    path = workbook_path(tmp_path)
    path.write_text("grantee_id,organization_name\n")
    assert [f[0] for f in keys(check(path))] == ["P01"]


def test_compression_ratio_over_100_p04(tmp_path):
    sheets = {n: [[None if v == "" else v for v in r] for r in rows] for n, rows in xlsx_sheets().items()}
    path = workbook_path(tmp_path)
    path.write_bytes(
        zip_bytes(xlsx_parts(sheets, extra_parts={"docProps/big.xml": "<a>" + " " * 500_000 + "</a>"}))
    )
    assert [f[0] for f in keys(check(path))] == ["P04"]
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("docProps/big.xml").file_size > 100 * zf.getinfo("docProps/big.xml").compress_size


# --- tables present, empty or without a header ---------------------------------------------------------------------
def test_empty_sheet_is_a_table_without_header_p02(tmp_path):
    sheets = xlsx_sheets()
    sheets["workforce"] = []
    assert check_xlsx(tmp_path, sheets) == [("P02", "workforce", None, None, None)]


def test_empty_outcomes_sheet_is_missing_w06(tmp_path):
    sheets = xlsx_sheets()
    sheets["outcomes"] = []
    assert check_xlsx(tmp_path, sheets) == [("W06", "outcomes", None, None, None)]


def test_outcomes_sheet_with_header_only_is_present(tmp_path):
    sheets = xlsx_sheets()
    sheets["outcomes"] = sheets["outcomes"][:1]
    assert check_xlsx(tmp_path, sheets) == []


def test_blank_cell_in_required_column_f01(tmp_path):
    assert check_xlsx(tmp_path, sheets_with("programs", 2, "program_name", "   ")) == [
        ("F01", "programs", 2, "program_name", None)
    ]


def test_cell_text_trimmed_and_nfc(tmp_path):
    path = write_xlsx_package(
        tmp_path, sheets_with("programs", 2, "program_name", "  Cafe\u0301 \u201cpeer\u201d ")
    )
    batch = check_package(path, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["program_name"][0] == "Caf\u00e9 \u201cpeer\u201d"
