"""Contract, *Where packages land* and *Reading rules* -> *Paths*, *Roster*, *W04*: where a package sits and
what it is checked against."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.ingest.landing import scan_landing
from pipelines.ingest.readers import read_package
from pipelines.validate.batch import validate_batch
from pipelines.validate.model import PackageContext
from tests.conformance.builder import (
    TODAY,
    check,
    keys,
    valid,
    with_cell,
    write_csv_package,
    write_xlsx_package,
)


def test_state_and_period_folders_case_insensitive(tmp_path):
    folder = write_csv_package(tmp_path, state="ny", period="fy2026")
    assert keys(check(folder)) == []
    scan = scan_landing(tmp_path)
    assert [(p.state, p.period, p.name, p.kind) for p in scan.packages] == [
        ("NY", "FY2026", "NY-0042", "csv_folder")
    ]


def test_landing_keeps_only_states_periods_and_packages(tmp_path):
    write_csv_package(tmp_path)
    write_xlsx_package(tmp_path, name="NY-0043")
    (tmp_path / "GU" / "FY2026").mkdir(parents=True)  # not a state with county data
    (tmp_path / "NY" / "2026").mkdir(parents=True)  # not a period folder
    (tmp_path / "NY" / "FY2026" / "notes.txt").write_text("x")
    (tmp_path / "NY" / "Roster.CSV").write_text("grantee_id,organization_name,first_period,last_period\n")
    scan = scan_landing(tmp_path)
    assert sorted((p.name, p.kind) for p in scan.packages) == [("NY-0042", "csv_folder"), ("NY-0043", "xlsx")]
    assert sorted(e.path.rpartition("/")[2] for e in scan.log) == ["2026", "GU", "notes.txt"]
    assert list(scan.rosters) == ["NY"]


@pytest.mark.parametrize("name", ["ny-0042", "NY-42", "NY_0042", "NY-0042-final"])
def test_package_name_not_a_grantee_id_is_f05_unopened(tmp_path, name):
    tables = with_cell(valid(), "programs", 2, "setting", "downtown")  # would be F03 if opened
    folder = write_csv_package(tmp_path, tables, name=name)
    assert keys(check(folder)) == [("F05", "organization", None, "grantee_id", name)]


def test_package_prefix_not_its_state_folder_is_p05_unopened(tmp_path):
    tables = with_cell(valid(), "programs", 2, "setting", "downtown")
    folder = write_csv_package(tmp_path, tables, name="NJ-0042")
    assert keys(check(folder)) == [("P05", "organization", None, "grantee_id", "NJ-0042")]


def test_workbook_name_is_its_stem(tmp_path):
    path = write_xlsx_package(tmp_path, name="NY-0042")
    assert path.name == "NY-0042.xlsx"
    assert keys(check(path)) == []


def test_period_folder_differing_from_the_cell_is_p05(tmp_path):
    tables = with_cell(valid(), "organization", 2, "reporting_period", "FY2026")
    folder = write_csv_package(tmp_path, tables, period="FY2025")
    found = keys(check(folder))
    # FY2025's founding year limit is 2025: 1998 is fine
    assert found == [("P05", "organization", 2, "reporting_period", "FY2026")]


# --- roster ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "first,last,on",
    [("FY2026", "FY2026", True), ("FY2020", "", True), ("FY2027", "", False), ("FY2020", "FY2025", False)],
)
def test_roster_bounds_inclusive(tmp_path, first, last, on):
    folder = write_csv_package(tmp_path)
    roster = tmp_path / "NY" / "roster.csv"
    roster.write_text(
        f"grantee_id,organization_name,first_period,last_period\nNY-0042,Hudson,{first},{last}\n"
    )
    found = keys(check(folder, roster=roster))
    assert found == ([] if on else [("P06", None, None, "grantee_id", "NY-0042")])


# --- W04 ---------------------------------------------------------------------------------------------------------------
# The valid package's funding totals 291,000.00.
@pytest.mark.parametrize(
    "previous,warned",
    [
        (58_200.0, False),
        (58_199.99, True),
        (1_455_000.0, False),
        (1_455_000.01, True),
        (0.0, False),
        (None, False),
    ],
)
def test_w04_more_than_fivefold(tmp_path, previous, warned):
    read = read_package(write_csv_package(tmp_path))
    ctx = PackageContext(
        "NY-0042", "NY", "FY2026", 1, previous_period="FY2025", previous_funding_total=previous
    )
    found = keys(validate_batch([(ctx, read)], TODAY).findings.to_dicts())
    assert [f[0] for f in found] == (["W04"] if warned else [])


def test_w04_never_when_new_total_is_zero(tmp_path):
    tables = valid()
    tables["funding"] = (tables["funding"][0], [["mhbg", "0", ""]])
    read = read_package(write_csv_package(tmp_path, tables))
    ctx = PackageContext(
        "NY-0042", "NY", "FY2026", 1, previous_period="FY2025", previous_funding_total=1000.0
    )
    assert [f[0] for f in keys(validate_batch([(ctx, read)], date(2026, 11, 26)).findings.to_dicts())] == [
        "W01"
    ]


def test_period_folder_must_be_exactly_fy_and_four_digits(tmp_path):
    write_csv_package(tmp_path, period="FY2026\n")  # '$' alone would match before the final newline
    write_csv_package(tmp_path, period="FY20266")
    scan = scan_landing(tmp_path)
    assert scan.packages == []
    assert sorted(e.path.rpartition("/")[2] for e in scan.log) == ["FY2026\n", "FY20266"]


def test_roster_in_windows_1252_is_read(tmp_path):
    folder = write_csv_package(tmp_path)
    roster = tmp_path / "NY" / "roster.csv"
    roster.write_bytes(
        "grantee_id,organization_name,first_period,last_period\r\nNY-0042,Caf\u00e9 Hudson,FY2020,\r\n".encode(
            "cp1252"
        )
    )
    assert keys(check(folder, roster=roster)) == []


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeg\x00",
        "grantee_id,organization_name,first_period,last_period\r\nNY-0042,Caf\x81,FY2020,\r\n".encode(
            "latin-1"
        ),
    ],
)
def test_roster_neither_utf8_nor_windows_1252_cannot_be_used(tmp_path, data):
    from pipelines.validate.roster import RosterError, read_roster

    roster = tmp_path / "roster.csv"
    roster.write_bytes(data)
    with pytest.raises(RosterError):
        read_roster(roster)
