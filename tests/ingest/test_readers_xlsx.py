"""XLSX packages: cell kinds, General-format numbers, sheet rows, sheet names, and workbook safety."""

from __future__ import annotations

import os
import random
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipelines.ingest.model import ROW_COLUMN
from pipelines.ingest.readers import read_package
from pipelines.ingest.readers.xlsx_sheet import general_number
from tests.ingest.builders import (
    MAIN_NS,
    REL_NS,
    XML_DECL,
    Cell,
    column,
    only,
    patch_declared_size,
    rules,
    write_xlsx,
    xlsx_parts,
    zip_bytes,
)

ORG_HEADER = ["grantee_id", "organization_name", "county_fips", "year_founded", "autonomous"]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("4013", "4013"),
        ("4013.0", "4013"),
        ("4.013E3", "4013"),
        ("12.5", "12.5"),
        ("1E-3", "0.001"),
        ("0.30000000000000004", "0.3"),
        ("1.0000000000000002", "1"),
        ("1E-05", "1E-05"),
        ("1e20", "1E+20"),
        ("-0", "0"),
        ("-12.25", "-12.25"),
        ("123456789012345", "123456789012345"),
        ("1234567890123456789", "1.23456789012346E+18"),
        ("not a number", "not a number"),
    ],
)
def test_general_number_rounds_to_15_significant_digits(stored: str, shown: str) -> None:
    assert general_number(stored) == shown


def test_number_cells_read_as_general_format_text(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path,
        {
            "Organization": [
                ORG_HEADER,
                ["NY-0042", "Hope", 4013, 1999.0, True],
                ["NY-0043", "Sum", Cell(v="0.30000000000000004"), Cell(v="12.5"), False],
            ]
        },
    )
    read = read_package(workbook_path)
    assert read.findings == []
    assert column(read, "organization", "county_fips") == ["4013", "0.3"]
    assert column(read, "organization", "year_founded") == ["1999", "12.5"]
    assert column(read, "organization", "autonomous") == ["TRUE", "FALSE"]


def test_shared_inline_and_formula_strings(workbook_path: Path) -> None:
    rich = '<is><r><t>Peer </t></r><r><t xml:space="preserve">Power</t></r><rPh><t>PHONETIC</t></rPh></is>'
    write_xlsx(
        workbook_path,
        {
            "programs": [
                ["program_id", "program_name", "participants_served", "contacts", "hours_per_week"],
                [
                    "p1",
                    Cell(t="inlineStr", inline=rich),
                    Cell(f="SUM(1,2)", v="3"),
                    Cell(f="C2*2"),
                    Cell(t="str", f='"a"&"b"', v="ab"),
                ],
                [
                    "p2",
                    Cell(t="s", v="0"),
                    Cell(t="e", v="#N/A"),
                    None,
                    Cell(t="inlineStr", inline="<is><t>line_x000D_</t></is>"),
                ],
            ]
        },
    )
    read = read_package(workbook_path)
    assert column(read, "programs", "program_name") == ["Peer Power", "program_id"]  # shared string 0
    assert column(read, "programs", "participants_served") == ["3", "#N/A"]
    assert column(read, "programs", "contacts") == [None, None]  # formula without a cached value is empty
    assert column(read, "programs", "hours_per_week") == ["ab", "line"]  # _x000D_ is a CR, then trimmed


def test_sheet_row_numbers_with_gaps_and_cells_without_refs(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path,
        {
            "workforce": {
                1: ["role", "headcount"],
                4: ["volunteer", 3],
                5: [None, "  "],
                9: [
                    Cell(t="inlineStr", inline="<is><t>peer_specialist</t></is>", ref=False),
                    Cell(v="7", ref=False),
                ],
            }
        },
    )
    read = read_package(workbook_path)
    assert column(read, "workforce", "role") == ["volunteer", "peer_specialist"]
    assert column(read, "workforce", "headcount") == ["3", "7"]
    assert column(read, "workforce", ROW_COLUMN) == [4, 9]


def test_sheet_without_row_1_has_no_header(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path, {"programs": {2: ["program_id"], 3: ["p1"]}, "workforce": [["role"], ["volunteer"]]}
    )
    read = read_package(workbook_path)
    assert "programs" not in read.tables and "workforce" in read.tables
    assert read.findings == []


def test_sheet_names_case_insensitive_and_unknown_sheet_w05(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path,
        {" FUNDING ": [["funding_source", "Amount_USD"], ["mhbg", 1000]], "Instructions": [["read me"]]},
    )
    read = read_package(workbook_path)
    assert column(read, "funding", "amount_usd") == ["1000"]
    w05 = only(read, "W05")
    assert w05.value == "Instructions" and w05.table_name is None


def test_two_sheets_for_one_table_is_p01(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path,
        {
            "Programs": [["program_id"], ["a"]],
            "programs": [["program_id"], ["b"]],
            "workforce": [["role"], ["volunteer"]],
        },
    )
    read = read_package(workbook_path)
    p01 = only(read, "P01")
    assert p01.table_name == "programs" and "Programs" in p01.value
    assert "programs" not in read.tables and "workforce" in read.tables


def test_header_findings_match_csv_rules(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path,
        {
            "programs": [
                ["program_id", "PROGRAM_ID", None, "notes", "program_name"],
                ["p1", "x", "stray", "n", "One", None, "beyond"],
                ["p2", None, None, None, "Two", "  "],
            ]
        },
    )
    read = read_package(workbook_path)
    found = sorted((f.rule_id, f.row_number, f.column_name, f.value) for f in read.findings)
    assert found == [
        ("P03", 1, "program_id", "PROGRAM_ID"),
        ("P03", 2, None, "beyond"),
        ("W05", 1, None, "column C (no header name)"),
        ("W05", 1, None, "notes"),
    ]
    assert column(read, "programs", "program_id") == ["p1", "p2"]


def test_workbook_written_by_openpyxl(workbook_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Programs"
    sheet.append(["program_id", "county_fips", "hours_per_week", "emotional_support", "participants_served"])
    sheet.append(["DIC-1", 4013, 12.5, True, "=1+1"])
    sheet.append([])
    sheet.append(["dic-1", "04013", 0.1 + 0.2, False, 40])
    workbook_path.parent.mkdir(parents=True)
    book.save(workbook_path)
    read = read_package(workbook_path)
    assert read.findings == []
    frame = read.tables["programs"]
    assert frame.get_column("program_id").to_list() == ["DIC-1", "dic-1"]
    assert frame.get_column("county_fips").to_list() == ["4013", "04013"]
    assert frame.get_column("hours_per_week").to_list() == ["12.5", "0.3"]
    assert frame.get_column("emotional_support").to_list() == ["TRUE", "FALSE"]
    assert frame.get_column("participants_served").to_list() == [None, "40"]  # openpyxl caches no result
    assert frame.get_column(ROW_COLUMN).to_list() == [2, 4]


def test_external_link_relationship_is_ignored(workbook_path: Path) -> None:
    external = f'<Relationship Id="rIdX" Type="{REL_NS}/externalLink" Target="http://example.invalid/x.xlsx" TargetMode="External"/>'
    write_xlsx(workbook_path, {"workforce": [["role"], ["volunteer"]]}, workbook_rels_extra=external)
    read = read_package(workbook_path)
    assert read.findings == [] and column(read, "workforce", "role") == ["volunteer"]


def test_row_limit_in_a_sheet(workbook_path: Path, tmp_path: Path) -> None:
    def sheet(n: int) -> str:
        rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, n + 2))
        return (
            f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
            f"<is><t>headcount</t></is></c></row>{rows}</sheetData></worksheet>"
        )

    write_xlsx(workbook_path, {"workforce": sheet(100_000)})
    assert read_package(workbook_path).tables["workforce"].height == 100_000
    over = write_xlsx(
        tmp_path / "over.xlsx", {"workforce": sheet(100_001), "programs": [["program_id"], ["p"]]}
    )
    read = read_package(over)
    assert only(read, "P04").table_name == "workforce"
    assert "workforce" not in read.tables and "programs" in read.tables


# --- safety -------------------------------------------------------------------------------------------


def _package_p01(path: Path) -> str:
    read = read_package(path)
    assert rules(read) == ["P01"], read.findings
    assert read.tables == {}
    return read.findings[0].message


def test_zip_bomb_is_p04_with_bounded_memory(workbook_path: Path) -> None:
    parts = xlsx_parts({"programs": [["program_id"], ["p1"]]})
    parts["xl/media/padding.bin"] = b"\0" * 50_000_000  # deflates about 1000 to 1
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(zip_bytes(parts))
    del parts
    tracemalloc.start()
    try:
        read = read_package(workbook_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    p04 = only(read, "P04")
    assert p04.table_name is None and "100 to 1" in p04.message
    assert peak < 5_000_000  # the part was never inflated


def test_parts_declaring_over_200mb_are_p04_without_inflating(workbook_path: Path) -> None:
    noise = random.Random(5).randbytes(2_100_000)  # incompressible, so the declared ratio stays under 100
    parts = xlsx_parts({"programs": [["program_id"], ["p1"]]}, extra_parts={"xl/media/image1.png": noise})
    data = patch_declared_size(zip_bytes(parts, zipfile.ZIP_STORED), "xl/media/image1.png", 205_000_000)
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(data)
    tracemalloc.start()
    try:
        read = read_package(workbook_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert only(read, "P04").table_name is None
    assert peak < 5_000_000


def test_part_inflating_past_its_declared_size_is_p01(workbook_path: Path) -> None:
    text = "".join(f"<!-- {random.Random(1).random()} {i} -->" for i in range(2000))
    sheet = f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>{text}'
    data = zip_bytes(xlsx_parts({"programs": sheet}))
    data = patch_declared_size(data, "xl/worksheets/sheet1.xml", len(sheet) // 2)
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(data)
    assert "inflates past its declared size" in _package_p01(workbook_path)


@pytest.mark.parametrize("where", ["xl/worksheets/sheet1.xml", "docProps/custom.xml"])
def test_dtd_in_any_part_is_p01(workbook_path: Path, where: str) -> None:
    evil = f'{XML_DECL}<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>'
    parts = xlsx_parts({"programs": [["program_id"], ["p1"]]})
    parts[where] = evil
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(zip_bytes(parts))
    assert "DTD" in _package_p01(workbook_path)


def test_dtd_in_a_utf16_part_is_p01(workbook_path: Path) -> None:
    evil = '<?xml version="1.0" encoding="UTF-16"?><!doctype x SYSTEM "file:///etc/passwd"><x/>'
    parts = xlsx_parts(
        {"programs": [["program_id"], ["p1"]]}, extra_parts={"customXml/item1.xml": evil.encode("utf-16-le")}
    )
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(zip_bytes(parts))
    assert "DTD" in _package_p01(workbook_path)


def test_vba_project_part_is_p01(workbook_path: Path) -> None:
    write_xlsx(
        workbook_path, {"programs": [["program_id"], ["p1"]]}, extra_parts={"xl/vbaProject.bin": b"\x01" * 64}
    )
    assert "macros" in _package_p01(workbook_path)


def test_macro_enabled_content_type_is_p01(workbook_path: Path) -> None:
    macro = (
        '<Override PartName="/xl/other.xml" '
        'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
    )
    write_xlsx(workbook_path, {"programs": [["program_id"], ["p1"]]}, extra_content_types=macro)
    assert "macro" in _package_p01(workbook_path)


def test_ole_compound_file_is_p01(workbook_path: Path) -> None:
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert "encrypted" in _package_p01(workbook_path)


def test_truncated_zip_is_p01(workbook_path: Path) -> None:
    data = zip_bytes(xlsx_parts({"programs": [["program_id"], ["p1"]]}))
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(data[: len(data) // 2])
    _package_p01(workbook_path)


def test_corrupt_part_data_is_p01(workbook_path: Path) -> None:
    parts = xlsx_parts({"programs": [["program_id"], ["p1"]]})
    data = bytearray(zip_bytes(parts, zipfile.ZIP_STORED))
    at = data.find(b"<sheetData>")
    data[at + 1 : at + 4] = b"XXX"  # checksum no longer matches
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(bytes(data))
    assert "corrupt" in _package_p01(workbook_path)


def test_malformed_xml_is_p01(workbook_path: Path) -> None:
    write_xlsx(workbook_path, {"programs": f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData><row>'})
    assert "well-formed" in _package_p01(workbook_path)


def test_text_file_named_xlsx_is_p01(workbook_path: Path) -> None:
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_text("program_id\np1\n")
    _package_p01(workbook_path)


def test_workbook_over_20mb_is_p04(workbook_path: Path) -> None:
    workbook_path.parent.mkdir(parents=True)
    with open(workbook_path, "wb") as fh:
        fh.truncate(20_000_001)
    read = read_package(workbook_path)
    assert rules(read) == ["P04"] and read.tables == {}


def test_symlinked_workbook_is_p01_and_never_opened(workbook_path: Path, tmp_path: Path, monkeypatch) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", {"programs": [["program_id"], ["p1"]]})
    workbook_path.parent.mkdir(parents=True)
    workbook_path.symlink_to(real)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k))
    assert "symbolic link" in _package_p01(workbook_path)
    assert opened == []


def test_nonsense_row_number_is_p01_not_a_crash(workbook_path: Path) -> None:
    sheet = f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="one"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    write_xlsx(workbook_path, {"programs": sheet})
    assert "could not be read" in _package_p01(workbook_path)


def test_prefixed_spreadsheetml_elements_are_read(workbook_path: Path) -> None:
    sheet = (
        f'{XML_DECL}<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
        '<x:is><x:t>role</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>volunteer'
        "</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"
    )
    write_xlsx(workbook_path, {"workforce": sheet})
    assert column(read_package(workbook_path), "workforce", "role") == ["volunteer"]


def test_wide_header_in_a_sheet_keeps_memory_to_the_contract_columns(workbook_path: Path) -> None:
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 5_002))
    sheet = (
        f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>headcount</t></is></c><c r="XFD1" t="inlineStr"><is><t>role</t></is></c>'
        f"</row>{rows}</sheetData></worksheet>"
    )
    write_xlsx(workbook_path, {"workforce": sheet})
    tracemalloc.start()
    try:
        read = read_package(workbook_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read.findings == []
    assert read.tables["workforce"].columns == ["role", "headcount", ROW_COLUMN]
    assert read.tables["workforce"].height == 5_000
    assert peak < 30_000_000


def test_cell_beyond_the_last_column_is_p01_for_its_sheet(workbook_path: Path) -> None:
    sheet = (
        f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>role</t>'
        '</is></c><c r="ZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    write_xlsx(workbook_path, {"workforce": sheet, "programs": [["program_id"], ["p1"]]})
    read = read_package(workbook_path)
    assert only(read, "P01").table_name == "workforce"
    assert "workforce" not in read.tables and "programs" in read.tables
