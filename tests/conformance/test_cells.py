"""Contract, *Reading rules* -> *Cells*, *Numbers*, *One finding per cell* and *Tables*: one cell changed
in an otherwise valid CSV package, the exact findings it must get."""

from __future__ import annotations

import pytest

from pipelines.validate.package_check import check_package
from tests.conformance.builder import TODAY, check, keys, valid, with_cell, write_csv_package


def one_cell(tmp_path, table: str, row: int, column: str, value: str) -> list[tuple]:
    return keys(check(write_csv_package(tmp_path, with_cell(valid(), table, row, column, value))))


# --- Numbers: int -------------------------------------------------------------------------------------
# workforce row 3: headcount 6, certified_count 4 (int, optional, 0 to headcount)
@pytest.mark.parametrize("value", ["4", "4.0", "4.000", "004", "-0", "0", " 4 ", "0004.00"])
def test_int_spellings_accepted(tmp_path, value):
    assert one_cell(tmp_path, "workforce", 3, "certified_count", value) == []


# Literal reading: "optionally followed by `.` and zeros" -- the '.' comes with one or more zeros, so a
# bare trailing '.' is not an int.
@pytest.mark.parametrize(
    "value",
    ["4.", "1,234", "$5", "1e3", "+5", "12.345", "4.5", "about 240", "٤", "４", "0x4", "4 5", "--4", ".0"],
)
def test_int_spellings_rejected_f02(tmp_path, value):
    assert one_cell(tmp_path, "workforce", 3, "certified_count", value) == [
        ("F02", "workforce", 3, "certified_count", value.strip())
    ]


def test_negative_count_is_f04(tmp_path):
    assert one_cell(tmp_path, "workforce", 3, "certified_count", "-1") == [
        ("F04", "workforce", 3, "certified_count", "-1")
    ]


def test_int_too_big_for_any_storage_is_f04_not_f02(tmp_path):
    big = "9" * 30
    assert one_cell(tmp_path, "programs", 2, "contacts", big) == [("F04", "programs", 2, "contacts", big)]


def test_int_value_is_the_number_007_is_7(tmp_path):
    folder = write_csv_package(tmp_path, with_cell(valid(), "workforce", 3, "certified_count", "004"))
    typed = check_package(folder, TODAY).tables["workforce"]
    assert typed["certified_count"].to_list() == [None, 4]


# --- Numbers: decimal ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["168", "168.0", "168.00", "0", "0.5", "12.25", "-0", "-0.00", "007.5"])
def test_decimal_spellings_accepted(tmp_path, value):
    assert one_cell(tmp_path, "programs", 2, "hours_per_week", value) == []


@pytest.mark.parametrize("value", [".5", "5.", "1.234", "1,5", "1e2", "+1", "$40", "40 h", "-.5", "168.000"])
def test_decimal_spellings_rejected_f02(tmp_path, value):
    assert one_cell(tmp_path, "programs", 2, "hours_per_week", value) == [
        ("F02", "programs", 2, "hours_per_week", value)
    ]


@pytest.mark.parametrize("value", ["168.01", "169", "-0.01", "-1"])
def test_decimal_out_of_range_f04(tmp_path, value):
    assert one_cell(tmp_path, "programs", 2, "hours_per_week", value) == [
        ("F04", "programs", 2, "hours_per_week", value)
    ]


@pytest.mark.parametrize(
    "value,rule",
    [
        ("1000000000", None),
        ("1000000000.00", None),
        ("1000000000.01", "F04"),
        ("12345678901234567890123", "F04"),
    ],
)
def test_amount_range(tmp_path, value, rule):
    found = one_cell(tmp_path, "funding", 3, "amount_usd", value)
    assert found == ([] if rule is None else [(rule, "funding", 3, "amount_usd", value)])


def test_decimal_value_kept_exactly(tmp_path):
    folder = write_csv_package(tmp_path, with_cell(valid(), "programs", 2, "hours_per_week", "007.5"))
    typed = check_package(folder, TODAY).tables["programs"]
    assert [str(v) for v in typed["hours_per_week"].to_list()] == ["7.50", "None"]


# --- bool ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,expected",
    [
        ("Yes", True),
        ("N", False),
        ("1", True),
        ("TRUE", True),
        (" y ", True),
        ("no", False),
        ("False", False),
        ("0", False),
    ],
)
def test_bool_spellings(tmp_path, value, expected):
    folder = write_csv_package(tmp_path, with_cell(valid(), "programs", 2, "emotional_support", value))
    batch = check_package(folder, TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["emotional_support"][0] is expected


@pytest.mark.parametrize("value", ["t", "f", "2", "oui", "yes!", "1.0", "on"])
def test_bool_other_spellings_f02(tmp_path, value):
    assert one_cell(tmp_path, "programs", 2, "emotional_support", value) == [
        ("F02", "programs", 2, "emotional_support", value)
    ]


# --- codes and ids ------------------------------------------------------------------------------------
def test_codes_case_insensitive_and_stored_lower(tmp_path):
    tables = valid()
    with_cell(tables, "programs", 2, "setting", "URBAN")
    with_cell(tables, "programs", 2, "program_type", "Drop_In_Center")
    with_cell(tables, "organization", 2, "state", "ny")
    with_cell(tables, "organization", 2, "legal_status", "Independent_Nonprofit")
    with_cell(tables, "funding", 2, "funding_source", "MHBG")
    batch = check_package(write_csv_package(tmp_path, tables), TODAY)
    assert batch.findings.height == 0
    assert batch.tables["programs"]["setting"][0] == "urban"
    assert batch.tables["programs"]["program_type"][0] == "drop_in_center"
    assert batch.tables["organization"]["legal_status"][0] == "independent_nonprofit"
    assert batch.tables["funding"]["funding_source"][0] == "mhbg"


def test_unknown_code_f03(tmp_path):
    assert one_cell(tmp_path, "programs", 2, "setting", "downtown") == [
        ("F03", "programs", 2, "setting", "downtown")
    ]


def test_ids_are_case_sensitive_x04(tmp_path):
    found = one_cell(tmp_path, "programs", 2, "program_id", "dic-1")
    assert found == [
        ("X04", "funding", 3, "program_id", "DIC-1"),
        ("X04", "funding", 4, "program_id", "DIC-1"),
        ("X04", "outcomes", 2, "program_id", "DIC-1"),
    ]


def test_ids_differing_in_case_are_distinct_programs(tmp_path):
    tables = valid()
    with_cell(tables, "programs", 3, "program_id", "dic-1")
    assert keys(check(write_csv_package(tmp_path, tables))) == []


def test_empty_program_id_is_a_key_value_of_its_own(tmp_path):
    tables = valid()
    tables["funding"][1].append(["mhbg", "5", ""])  # row 5: mhbg + empty again (row 2 is mhbg + empty)
    found = keys(check(write_csv_package(tmp_path, tables)))
    assert [(r, t, n) for r, t, n, _, _ in found] == [("X03", "funding", 5)]


def test_empty_program_id_in_outcomes_duplicates(tmp_path):
    tables = valid()
    tables["outcomes"][1].append(["HOPE", "", "10", "5"])  # codes compare lower-case
    found = keys(check(write_csv_package(tmp_path, tables)))
    assert [(r, t, n) for r, t, n, _, _ in found] == [("X03", "outcomes", 4)]


def test_empty_program_id_in_programs_is_f01(tmp_path):
    tables = valid()
    with_cell(tables, "programs", 3, "program_id", "")
    assert keys(check(write_csv_package(tmp_path, tables))) == [("F01", "programs", 3, "program_id", None)]


def test_duplicate_program_id_x03(tmp_path):
    found = one_cell(tmp_path, "programs", 3, "program_id", "DIC-1")
    assert [(r, t, n, c) for r, t, n, c, _ in found] == [("X03", "programs", 3, "program_id")]


def test_duplicate_role_x03_case_insensitive_codes(tmp_path):
    found = one_cell(tmp_path, "workforce", 3, "role", "Executive_Director")
    assert [(r, t, n, c) for r, t, n, c, _ in found] == [("X03", "workforce", 3, "role")]


# --- One finding per cell, in the order F01, F02, F05, F03, F04 ------------------------------------------
@pytest.mark.parametrize("value", ["4013", "ABCDE", "360610", "36 061"])
def test_fips_pattern_f05_not_x05(tmp_path, value):
    assert one_cell(tmp_path, "programs", 2, "county_fips", value) == [
        ("F05", "programs", 2, "county_fips", value)
    ]


def test_county_of_another_state_x05(tmp_path):
    assert one_cell(tmp_path, "programs", 2, "county_fips", "06037") == [
        ("X05", "programs", 2, "county_fips", "06037")
    ]


def test_required_missing_f01(tmp_path):
    assert one_cell(tmp_path, "programs", 2, "participants_served", " ") == [
        ("F01", "programs", 2, "participants_served", None)
    ]


def test_wrong_type_beats_range(tmp_path):
    assert one_cell(tmp_path, "organization", 2, "year_founded", "1850.5") == [
        ("F02", "organization", 2, "year_founded", "1850.5")
    ]


# --- Part and whole -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "table,row,column,value",
    [
        ("programs", 2, "new_participants", "2000000"),  # over its whole and over any count: X06 alone
        ("programs", 2, "new_participants", "241"),
        ("organization", 2, "board_members_lived_experience", "10"),
        ("workforce", 3, "lived_experience_count", "7"),
        ("workforce", 3, "certified_count", "7"),
        ("outcomes", 2, "improved", "51"),
    ],
)
def test_part_exceeds_whole_is_x06_not_f04(tmp_path, table, row, column, value):
    assert one_cell(tmp_path, table, row, column, value) == [("X06", table, row, column, value)]


def test_part_negative_is_f04(tmp_path):
    assert one_cell(tmp_path, "programs", 2, "new_participants", "-1") == [
        ("F04", "programs", 2, "new_participants", "-1")
    ]


# --- organization: period, founding year, path ----------------------------------------------------------
@pytest.mark.parametrize("value", ["FY26", "2026", "FY 2026", "FY20266", "fy2026"])
def test_period_pattern_f05(tmp_path, value):
    assert one_cell(tmp_path, "organization", 2, "reporting_period", value) == [
        ("F05", "organization", 2, "reporting_period", value)
    ]


def test_period_later_than_current_fiscal_year_f04(tmp_path):
    # validated on 2026-11-26, which is in FY2027
    assert one_cell(tmp_path, "organization", 2, "reporting_period", "FY2099") == [
        ("F04", "organization", 2, "reporting_period", "FY2099")
    ]
    assert one_cell(tmp_path / "b", "organization", 2, "reporting_period", "FY2028") == [
        ("F04", "organization", 2, "reporting_period", "FY2028")
    ]


def test_period_current_fiscal_year_differing_from_path_p05(tmp_path):
    assert one_cell(tmp_path, "organization", 2, "reporting_period", "FY2027") == [
        ("P05", "organization", 2, "reporting_period", "FY2027")
    ]


def test_package_for_current_fiscal_year_is_accepted(tmp_path):
    tables = with_cell(valid(), "organization", 2, "reporting_period", "FY2027")
    assert keys(check(write_csv_package(tmp_path, tables, period="FY2027"))) == []


@pytest.mark.parametrize("value,rule", [("1899", "F04"), ("1900", None), ("2026", None), ("2027", "F04")])
def test_year_founded_range(tmp_path, value, rule):
    found = one_cell(tmp_path, "organization", 2, "year_founded", value)
    assert found == ([] if rule is None else [(rule, "organization", 2, "year_founded", value)])


def test_state_differing_from_path_is_p05_alone(tmp_path):
    assert one_cell(tmp_path, "organization", 2, "state", "NJ") == [("P05", "organization", 2, "state", "NJ")]


def test_grantee_id_differing_from_path_p05(tmp_path):
    assert one_cell(tmp_path, "organization", 2, "grantee_id", "NY-0043") == [
        ("P05", "organization", 2, "grantee_id", "NY-0043")
    ]


@pytest.mark.parametrize("value", ["ny-0042", "NY-42", "NY0042", "NY-0042-A"])
def test_grantee_id_pattern_f05(tmp_path, value):
    assert one_cell(tmp_path, "organization", 2, "grantee_id", value) == [
        ("F05", "organization", 2, "grantee_id", value)
    ]


def test_organization_county_checked_against_path_state(tmp_path):
    assert one_cell(tmp_path, "organization", 2, "county_fips", "34001") == [
        ("X05", "organization", 2, "county_fips", "34001")
    ]


# --- Lengths, trimming, NFC -----------------------------------------------------------------------------
@pytest.mark.parametrize("length,rule", [(200, None), (201, "F04")])
def test_text_length(tmp_path, length, rule):
    value = "x" * length
    found = one_cell(tmp_path, "organization", 2, "organization_name", f"  {value}  ")
    assert found == ([] if rule is None else [(rule, "organization", 2, "organization_name", value)])


def test_decomposed_accent_counts_as_one_code_point(tmp_path):
    value = "e\u0301" * 200  # 400 code points as written, 200 after NFC
    assert one_cell(tmp_path, "organization", 2, "organization_name", value) == []
    folder = tmp_path / "x"
    typed = check_package(
        write_csv_package(folder, with_cell(valid(), "organization", 2, "organization_name", value)), TODAY
    ).tables["organization"]
    assert typed["organization_name"][0] == "\u00e9" * 200


@pytest.mark.parametrize("length,rule", [(40, None), (41, "F04")])
def test_program_id_length(tmp_path, length, rule):
    value = "P" * length
    found = one_cell(tmp_path, "programs", 3, "program_id", value)
    assert found == ([] if rule is None else [(rule, "programs", 3, "program_id", value)])


def test_other_without_description_x07(tmp_path):
    found = one_cell(tmp_path, "programs", 3, "program_type", "Other")
    assert [(r, t, n, c) for r, t, n, c, _ in found] == [("X07", "programs", 3, "program_type_other")]


def test_other_with_description_ok(tmp_path):
    tables = with_cell(valid(), "programs", 3, "program_type", "other")
    with_cell(tables, "programs", 3, "program_type_other", "Peer-run radio show")
    assert keys(check(write_csv_package(tmp_path, tables))) == []


# --- The finding's value is the offending value as the grantee wrote it (trimmed) ----------------------------------
@pytest.mark.parametrize(
    "table,row,column,written,rule",
    [
        ("workforce", 3, "fte", " 6.5 ", "W03"),
        ("programs", 2, "contacts", "0100.0", "W02"),
        ("programs", 2, "new_participants", "241.00", "X06"),
        ("organization", 2, "state", "nj", "P05"),
    ],
)
def test_cross_rule_value_as_written(tmp_path, table, row, column, written, rule):
    assert one_cell(tmp_path, table, row, column, written) == [(rule, table, row, column, written.strip())]
