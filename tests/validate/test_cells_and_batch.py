"""Cell-rule order, number spellings, capping and batch behaviour."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.validate.batch import FINDINGS_PER_RULE, split_batch, validate_batch
from pipelines.validate.model import PACKAGE_KEY
from tests.validate.helpers import TODAY, context, finding_keys, read_of, valid_tables, validate_one


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("participants_served", None, "F01"),  # required and empty: F01 only
        ("participants_served", "about 240", "F02"),
        ("participants_served", "1e3", "F02"),
        ("participants_served", "+5", "F02"),
        ("participants_served", "12.5", "F02"),  # an int with a fraction is not an int
        ("hours_per_week", "1.255", "F02"),  # a third decimal
        ("hours_per_week", "$5", "F02"),
        ("county_fips", "ABCDEF", "F05"),  # pattern before anything else a text cell could break
        ("program_id", "X" * 41, "F04"),  # 41 code points
        ("setting", "URBANISH", "F03"),
        ("participants_served", "-1", "F04"),  # F02 passes (an int), then the negative count is F04
        ("emotional_support", "maybe", "F02"),
    ],
)
def test_each_cell_gets_the_first_rule_in_order(column, value, rule):
    tables = valid_tables()
    tables["programs"][1][column] = value
    assert finding_keys(validate_one(tables)) == [(rule, "programs", 3, column)]


def test_number_and_code_spellings_are_read_as_the_guide_says():
    tables = valid_tables()
    tables["programs"][0].update(
        participants_served="0240.0",
        new_participants="007",
        setting="Urban",
        emotional_support="YES",
        hours_per_week="-0",
    )
    tables["funding"][0]["amount_usd"] = "250000.5"
    batch = validate_one(tables)
    assert batch.findings.height == 0
    programs = batch.tables["programs"].row(0, named=True)
    assert (programs["participants_served"], programs["new_participants"]) == (240, 7)
    assert (programs["setting"], programs["emotional_support"]) == ("urban", True)
    assert batch.tables["funding"]["amount_usd"][0] == Decimal("250000.50")


def test_ids_are_case_sensitive_and_lengths_count_code_points():
    tables = valid_tables()
    tables["programs"][1]["program_id"] = "dic-1"  # not a duplicate of DIC-1
    tables["programs"][1]["program_name"] = "é" * 200  # 200 code points, 400 bytes
    assert validate_one(tables).findings.height == 0


def test_failed_cell_is_null_in_typed_frame_and_skipped_by_cross_rules():
    tables = valid_tables()
    tables["organization"][0]["board_members_total"] = "101"  # F04; X06 must not compare against it
    batch = validate_one(tables)
    assert finding_keys(batch) == [("F04", "organization", 2, "board_members_total")]
    assert batch.tables["organization"]["board_members_total"][0] is None


def test_organization_state_differing_from_path_is_p05_alone():
    tables = valid_tables()
    tables["organization"][0]["state"] = "CA"  # counties stay in NY, the path's state
    assert finding_keys(validate_one(tables)) == [("P05", "organization", 2, "state")]


def test_findings_are_capped_per_rule_and_package_with_a_count_of_the_rest():
    tables = valid_tables()
    extra = FINDINGS_PER_RULE + 20
    tables["programs"] = [
        {**tables["programs"][1], "program_id": f"P{i}", "setting": "nowhere"} for i in range(extra)
    ]
    tables["funding"] = [{"funding_source": "mhbg", "amount_usd": "10", "program_id": None}]
    tables["outcomes"] = []
    batch = validate_one(tables)
    f03 = batch.findings.filter(batch.findings["rule_id"] == "F03")
    assert f03.height == FINDINGS_PER_RULE + 1
    summary = f03.row(-1, named=True)
    assert (summary["row_number"], summary["value"]) == (None, "20")
    assert "20 more F03" in summary["message"]
    assert batch.packages["error_count"][0] == extra


def test_batch_keeps_packages_apart():
    good = valid_tables()
    bad = valid_tables()
    bad["organization"][0]["grantee_id"] = "NY-0043"
    bad["organization"][0]["county_fips"] = "36047"
    bad["programs"][0]["program_id"] = "WARM"  # a duplicate only within this package
    batch = validate_batch(
        [
            (context(), read_of(good)),
            (context(grantee_id="NY-0043", version=2), read_of(bad)),
        ],
        TODAY,
    )
    status = dict(zip(batch.packages[PACKAGE_KEY], batch.packages["status"], strict=True))
    assert status == {"NY-0042|FY2025|1": "accepted", "NY-0043|FY2025|2": "rejected"}
    assert set(batch.findings[PACKAGE_KEY]) == {"NY-0043|FY2025|2"}
    # funding of the bad package names DIC-1, which it no longer has: X04 there, nothing borrowed from the good one
    rules = sorted(batch.findings["rule_id"])
    assert rules == ["X03", "X04", "X04", "X04"]  # two funding rows, one outcomes row
    assert batch.tables["programs"].height == 4


def test_a_batch_of_several_partitions_splits_into_what_each_alone_gives():
    """Validating a run's partitions as one batch and splitting it must give each partition exactly what
    validating it alone gives: same packages, findings (order, capping, messages) and typed rows."""
    capped = valid_tables()
    capped["programs"] = [
        {**capped["programs"][1], "program_id": f"P{i}", "setting": "nowhere"}
        for i in range(FINDINGS_PER_RULE + 3)
    ]
    duplicated = valid_tables()
    duplicated["programs"][0]["program_id"] = "WARM"
    duplicated["funding"][0].update(amount_usd="12.345", funding_source="MHBG")
    vermont = valid_tables()
    vermont["organization"][0].update(grantee_id="VT-0001", state="VT", county_fips="36061")
    partitions = [
        [(context(), read_of(capped)), (context(grantee_id="NY-0043", version=2), read_of(duplicated))],
        [],  # a partition whose versions were all duplicates: nothing opened
        [(context(grantee_id="VT-0001", state="VT", version=3), read_of(vermont))],
    ]
    whole = validate_batch([pair for pairs in partitions for pair in pairs], TODAY)
    assert whole.findings.height > FINDINGS_PER_RULE
    for pairs in partitions:
        alone = validate_batch(pairs, TODAY)
        part = split_batch(whole, [ctx.key for ctx, _ in pairs])
        assert part.packages.equals(alone.packages)
        assert part.findings.equals(alone.findings)
        assert part.tables.keys() == alone.tables.keys()
        for name, frame in alone.tables.items():
            assert part.tables[name].equals(frame), name


def test_rows_whose_key_cells_failed_are_not_duplicates():
    tables = valid_tables()
    for row in tables["workforce"]:
        row["role"] = "chief"
    tables["funding"][0]["funding_source"] = "lottery"
    tables["funding"].append({**tables["funding"][0]})
    assert finding_keys(validate_one(tables)) == [
        ("F03", "funding", 2, "funding_source"),
        ("F03", "funding", 5, "funding_source"),
        ("F03", "workforce", 2, "role"),
        ("F03", "workforce", 3, "role"),
    ]
