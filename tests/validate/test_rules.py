"""One minimal package per rule id: the valid package broken in exactly one way, and the exact finding."""

from __future__ import annotations

import pytest

from pipelines.findings import finding
from tests.validate.helpers import context, finding_keys, frame, read_of, valid_tables, validate_one


def test_valid_package_has_no_findings_and_is_accepted():
    batch = validate_one()
    assert batch.findings.height == 0
    row = batch.packages.row(0, named=True)
    assert (row["status"], row["error_count"], row["warning_count"]) == ("accepted", 0, 0)


def _set(table, row_index, column, value):
    def change(tables):
        tables[table][row_index][column] = value

    return change


def _drop_table(table):
    def change(tables):
        del tables[table]

    return change


def _add_row(table, **values):
    def change(tables):
        tables[table].append({**tables[table][0], **values})

    return change


def _empty_table(table):
    def change(tables):
        tables[table] = []

    return change


CASES = {
    "P02": (_drop_table("workforce"), [("P02", "workforce", None, None)]),
    "P05": (_set("organization", 0, "grantee_id", "NY-0043"), [("P05", "organization", 2, "grantee_id")]),
    "P05-state": (_set("organization", 0, "state", "nj"), [("P05", "organization", 2, "state")]),
    "F01": (
        _set("organization", 0, "organization_name", None),
        [("F01", "organization", 2, "organization_name")],
    ),
    "F02": (
        _set("programs", 0, "participants_served", "1,234"),
        [("F02", "programs", 2, "participants_served")],
    ),
    "F03": (_set("programs", 0, "setting", "downtown"), [("F03", "programs", 2, "setting")]),
    "F04": (_set("programs", 0, "hours_per_week", "168.01"), [("F04", "programs", 2, "hours_per_week")]),
    "F04-negative-count": (
        _set("programs", 1, "participants_served", "-5"),
        [("F04", "programs", 3, "participants_served")],
    ),
    "F04-founded-after-period": (
        _set("organization", 0, "year_founded", "2026"),
        [("F04", "organization", 2, "year_founded")],
    ),
    "F04-future-period": (
        _set("organization", 0, "reporting_period", "FY2026"),
        [("F04", "organization", 2, "reporting_period")],
    ),
    "F05": (_set("programs", 1, "county_fips", "3647"), [("F05", "programs", 3, "county_fips")]),
    "F05-period": (
        _set("organization", 0, "reporting_period", "2025"),
        [("F05", "organization", 2, "reporting_period")],
    ),
    "X01": (_add_row("organization"), [("X01", "organization", 3, None)]),
    "X02": (_empty_table("funding"), [("X02", "funding", None, None)]),
    "X03": (_set("programs", 1, "program_id", "DIC-1"), [("X03", "programs", 3, "program_id")]),
    "X03-empty-program-id": (
        _add_row("funding", funding_source="MHBG", amount_usd="5", program_id=None),
        [("X03", "funding", 5, "funding_source + program_id")],
    ),
    "X04": (_set("funding", 1, "program_id", "dic-1"), [("X04", "funding", 3, "program_id")]),
    "X05": (_set("programs", 0, "county_fips", "06037"), [("X05", "programs", 2, "county_fips")]),
    "X06": (_set("outcomes", 1, "improved", "61"), [("X06", "outcomes", 3, "improved")]),
    "X06-board": (
        _set("organization", 0, "board_members_lived_experience", "10"),
        [("X06", "organization", 2, "board_members_lived_experience")],
    ),
    "X07": (_set("programs", 0, "program_type", "other"), [("X07", "programs", 2, "program_type_other")]),
    "W02": (_set("programs", 0, "contacts", "100"), [("W02", "programs", 2, "contacts")]),
    "W03": (_set("workforce", 1, "fte", "7"), [("W03", "workforce", 3, "fte")]),
    "W06": (_drop_table("outcomes"), [("W06", "outcomes", None, None)]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_one_broken_rule_gives_exactly_its_finding(case):
    change, expected = CASES[case]
    tables = valid_tables()
    change(tables)
    batch = validate_one(tables)
    assert finding_keys(batch) == expected
    status = batch.packages["status"][0]
    assert status == ("rejected" if expected[0][0][0] in "PFX" else "accepted")
    assert all(batch.findings["message"].str.len_chars() > 10)


def test_p03_required_column_missing_is_reported_once_without_cell_or_reference_noise():
    tables = valid_tables()
    for row in tables["programs"]:
        del row["program_id"]
    batch = validate_one(tables)
    # funding and outcomes name DIC-1, a program the incomplete table cannot confirm: no X04 flood
    assert finding_keys(batch) == [("P03", "programs", 1, "program_id")]


def test_p06_not_on_roster():
    batch = validate_one(ctx=context(on_roster=False))
    assert finding_keys(batch) == [("P06", None, None, "grantee_id")]
    assert batch.findings["value"][0] == "NY-0042"
    assert validate_one(ctx=context(on_roster=True)).findings.height == 0


def test_w01_total_funding_zero():
    tables = valid_tables()
    for row in tables["funding"]:
        row["amount_usd"] = "0"
    batch = validate_one(tables)
    assert finding_keys(batch) == [("W01", "funding", None, "amount_usd")]
    assert batch.packages["status"][0] == "accepted"


@pytest.mark.parametrize(
    ("previous", "warned"),
    [(10_000.0, True), (291_000.0 * 6, True), (60_000.0, False), (0.0, False), (None, False)],
)
def test_w04_fivefold_change_against_previous_period(previous, warned):
    # the valid package's funding adds up to 291,000
    ctx = context(previous_period="FY2024" if previous is not None else None, previous_funding_total=previous)
    batch = validate_one(ctx=ctx)
    assert finding_keys(batch) == ([("W04", "funding", None, "amount_usd")] if warned else [])
    if warned:
        assert "FY2024" in batch.findings["message"][0]


def test_w06_outcomes_with_header_and_no_rows_is_present():
    tables = valid_tables()
    read = read_of({t: rows for t, rows in tables.items() if t != "outcomes"})
    read.tables["outcomes"] = frame(
        "outcomes", [], columns=["measure", "program_id", "respondents", "improved"]
    )
    assert validate_one(read=read).findings.height == 0


@pytest.mark.parametrize(
    ("reading", "status"),
    [
        (finding("P01", table="funding"), "rejected"),
        (finding("P03", table="programs", row=4, column=None, value="extra"), "rejected"),
        (finding("P04", table="programs"), "rejected"),
        (finding("W05", table="programs", row=1, column="notes", value="notes"), "accepted"),
        (finding("W07", table="workforce"), "accepted"),
    ],
)
def test_reader_findings_pass_through_into_status_and_counts(reading, status):
    read = read_of(valid_tables(), findings=[reading])
    if reading.rule_id in ("P01", "P04"):
        del read.tables[reading.table_name]  # a table the reader could not read is not handed over
    batch = validate_one(read=read)
    assert finding_keys(batch) == [
        (reading.rule_id, reading.table_name, reading.row_number, reading.column_name)
    ]
    row = batch.packages.row(0, named=True)
    assert row["status"] == status
    assert (row["error_count"], row["warning_count"]) == ((1, 0) if status == "rejected" else (0, 1))


def test_unreadable_package_gets_only_the_readers_finding():
    from pipelines.ingest.model import PackageRead

    batch = validate_one(read=PackageRead(tables={}, findings=[finding("P01")]))
    assert finding_keys(batch) == [("P01", None, None, None)]
    assert batch.packages["status"][0] == "rejected"
