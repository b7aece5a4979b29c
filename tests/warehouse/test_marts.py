"""Every mart against a small fixture whose figures are worked out by hand in the comments below.

NY FY2025
  NY-0001 peer_run        office 36061 (urban)     P1 drop_in_center 100 (36061 urban), P2 warmline 50 (36007 suburban)
                          funding mhbg 1000, medicaid 3000
                          workforce ED 1/1, peer_specialist 4/3 cert 2, peer_supervisor 1/1 cert 1, volunteer 10/10 cert 1
                          outcomes wellbeing org 40/30 + P1 20/10 (org row wins), hope P1 10/5 + P2 10/6
  NY-0002 other           office 36003 (rural)     P1 drop_in_center 30 (36003 rural)
                          government_unit, director without lived experience
                          funding mhbg 500, foundation 500; workforce ED 1/0, administrative 3/1
  NY-0003 peer_partnered  office 36007 (suburban)  P1 support_group 20 (36009 rural)
                          program_of_larger_agency; funding state_general_fund 2000; workforce ED 1/1, peer_specialist 2/2
                          outcomes wellbeing P1 10/4
  NY-0005 rejected (2 errors), on the roster
  NY-0006 rejected (P06), not on the roster, named "Six" in its organization table
CT FY2025 (no roster)
  CT-0001 peer_run        office 09130 (suburban)  P1 drop_in_center 40 (09110 urban)
                          funding medicaid 1000; workforce ED 1/1, peer_specialist 1/1 cert 1
NY FY2024
  NY-0001 peer_run        P1 drop_in_center 80; funding mhbg 800; workforce ED 1/1, peer_specialist 3/2
NY roster: NY-0001 FY2020- (no package of any state before FY2024: FY2020-23 not expected), NY-0002 FY2025-FY2025, NY-0004 FY2024-, NY-0005 FY2025-
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from pipelines.warehouse.connection import connect
from pipelines.warehouse.load import load_roster
from pipelines.warehouse.marts import MARTS, build_marts, mart_files
from tests.warehouse.conftest import (
    Pkg,
    error,
    funding,
    load,
    organization,
    outcome,
    program,
    role,
)

D = Decimal


def _pkg(grantee_id, state="NY", period="FY2025", version=1, status="accepted", **tables) -> Pkg:
    return Pkg(grantee_id, version, status, state, period, tables=tables)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("marts") / "w.duckdb")
    ny1 = _pkg(
        "NY-0001",
        organization=[organization("NY-0001")],
        programs=[program("P1", 100), program("P2", 50, "warmline", "36007")],
        funding=[funding("mhbg", "1000"), funding("medicaid", "3000", "P1")],
        workforce=[
            role("executive_director", 1, 1),
            role("peer_specialist", 4, 3, 2, "3.5"),
            role("peer_supervisor", 1, 1, 1, "1"),
            role("volunteer", 10, 10, 1),
        ],
        outcomes=[
            outcome("wellbeing", 40, 30),
            outcome("wellbeing", 20, 10, "P1"),
            outcome("hope", 10, 5, "P1"),
            outcome("hope", 10, 6, "P2"),
        ],
    )
    ny2 = _pkg(
        "NY-0002",
        organization=[
            organization(
                "NY-0002",
                county_fips="36003",
                legal_status="government_unit",
                director_lived_experience=False,
            )
        ],
        programs=[program("P1", 30, county_fips="36003")],
        funding=[funding("mhbg", "500"), funding("foundation", "500")],
        workforce=[role("executive_director", 1, 0), role("administrative", 3, 1)],
    )
    ny3 = _pkg(
        "NY-0003",
        organization=[organization("NY-0003", county_fips="36007", legal_status="program_of_larger_agency")],
        programs=[program("P1", 20, "support_group", "36009")],
        funding=[funding("state_general_fund", "2000")],
        workforce=[role("executive_director", 1, 1), role("peer_specialist", 2, 2)],
        outcomes=[outcome("wellbeing", 10, 4, "P1")],
    )
    ny5 = _pkg("NY-0005", status="rejected", programs=[program("P1", 5)])
    ny6 = _pkg("NY-0006", status="rejected", organization=[organization("NY-0006", organization_name="Six")])
    ny6.findings = [error("P06", table=None, row=None, column=None)]
    ny5.findings = [error(), error("F02", column="participants_served")]
    ct1 = _pkg(
        "CT-0001",
        state="CT",
        organization=[organization("CT-0001", "CT", county_fips="09130")],
        programs=[program("P1", 40, county_fips="09110")],
        funding=[funding("medicaid", "1000")],
        workforce=[role("executive_director", 1, 1), role("peer_specialist", 1, 1, 1)],
    )
    ny1_2024 = _pkg(
        "NY-0001",
        period="FY2024",
        organization=[organization("NY-0001", period="FY2024")],
        programs=[program("P1", 80)],
        funding=[funding("mhbg", "800")],
        workforce=[role("executive_director", 1, 1), role("peer_specialist", 3, 2)],
    )
    load(con, [ny1, ny2, ny3, ny5, ny6])
    load(con, [ct1], state="CT")
    load(con, [ny1_2024], period="FY2024")
    load_roster(
        con,
        "NY",
        pl.DataFrame(
            {
                "grantee_id": ["NY-0001", "NY-0002", "NY-0004", "NY-0005"],
                "organization_name": ["One", "Two", "Four", "Five"],
                "first_period": ["FY2020", "FY2025", "FY2024", "FY2025"],
                "last_period": [None, "FY2025", None, None],
            }
        ),
    )
    build_marts(con)
    yield con
    con.close()


def rows(con, sql, *params):
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def test_every_mart_file_is_built():
    assert set(MARTS) == mart_files()


def test_state_summary(con):
    got = {(r.pop("state"), r.pop("period")): r for r in rows(con, "SELECT * FROM marts.state_summary")}
    assert got == {
        ("NY", "FY2025"): dict(
            grantees=3,
            peer_run=1,
            peer_partnered=1,
            other_class=1,
            programs=4,
            participants_served=200,
            funding_usd=D("7000.00"),
            funding_per_participant=D("35.00"),
            peer_staff_headcount=7,
            lived_experience_staff=9,
            certified_peer_specialists=4,
        ),
        ("CT", "FY2025"): dict(
            grantees=1,
            peer_run=1,
            peer_partnered=0,
            other_class=0,
            programs=1,
            participants_served=40,
            funding_usd=D("1000.00"),
            funding_per_participant=D("25.00"),
            peer_staff_headcount=1,
            lived_experience_staff=2,
            certified_peer_specialists=1,
        ),
        ("NY", "FY2024"): dict(
            grantees=1,
            peer_run=1,
            peer_partnered=0,
            other_class=0,
            programs=1,
            participants_served=80,
            funding_usd=D("800.00"),
            funding_per_participant=D("10.00"),
            peer_staff_headcount=3,
            lived_experience_staff=3,
            certified_peer_specialists=0,
        ),
    }


def test_programs_by_type(con):
    got = rows(
        con,
        "SELECT program_type, program_type_label, programs, grantees, participants_served "
        "FROM marts.programs_by_type WHERE state = 'NY' AND period = 'FY2025' ORDER BY program_type",
    )
    assert [tuple(r.values()) for r in got] == [
        ("drop_in_center", "Drop-in center", 2, 2, 130),
        ("support_group", "Mutual support group", 1, 1, 20),
        ("warmline", "Warmline", 1, 1, 50),
    ]


def test_funding_by_source(con):
    got = rows(
        con,
        "SELECT funding_source, funding_category, grantees, amount_usd, share_of_state_funding "
        "FROM marts.funding_by_source WHERE state = 'NY' AND period = 'FY2025' ORDER BY funding_source",
    )
    assert [(r["funding_source"], r["funding_category"], r["grantees"], r["amount_usd"]) for r in got] == [
        ("foundation", "private", 1, D("500.00")),
        ("medicaid", "federal", 1, D("3000.00")),
        ("mhbg", "federal", 2, D("1500.00")),
        ("state_general_fund", "state_local", 1, D("2000.00")),
    ]
    assert [r["share_of_state_funding"] for r in got] == pytest.approx([1 / 14, 3 / 7, 3 / 14, 2 / 7])


def test_workforce_summary(con):
    got = rows(
        con,
        "SELECT role, grantees, headcount, fte, lived_experience_count, certified_count "
        "FROM marts.workforce_summary WHERE state = 'NY' AND period = 'FY2025' ORDER BY role",
    )
    assert [tuple(r.values()) for r in got] == [
        ("administrative", 1, 3, None, 1, 0),
        ("executive_director", 3, 3, None, 2, 0),
        ("peer_specialist", 2, 6, D("3.50"), 5, 2),
        ("peer_supervisor", 1, 1, D("1.00"), 1, 1),
        ("volunteer", 1, 10, None, 10, 1),
    ]


def test_outcomes_summary_counts_whole_organization_row_once(con):
    got = rows(
        con,
        "SELECT measure, grantees, respondents, improved, improved_share "
        "FROM marts.outcomes_summary WHERE state = 'NY' AND period = 'FY2025' ORDER BY measure",
    )
    assert [tuple(r.values())[:4] for r in got] == [("hope", 1, 20, 11), ("wellbeing", 2, 50, 34)]
    assert [r["improved_share"] for r in got] == pytest.approx([0.55, 0.68])


def test_region_summary_urbanicity_and_hhs(con):
    got = {
        (r["region_type"], r["region"]): r
        for r in rows(con, "SELECT * FROM marts.region_summary WHERE period = 'FY2025'")
    }
    national = got[("national", "United States")]
    assert (
        national["grantees"],
        national["peer_run"],
        national["peer_partnered"],
        national["other_class"],
        national["programs"],
        national["participants_served"],
        national["funding_usd"],
        national["funding_per_participant"],
        national["peer_staff_headcount"],
        national["lived_experience_staff"],
        national["certified_peer_specialists"],
    ) == (4, 2, 1, 1, 5, 240, D("8000.00"), D("33.33"), 8, 11, 5)
    urban, suburban, rural = (got[("urbanicity", u)] for u in ("urban", "suburban", "rural"))
    # grantee measures by the office county, programs by the program's county
    assert (
        urban["grantees"],
        urban["funding_usd"],
        urban["programs"],
        urban["participants_served"],
        urban["funding_per_participant"],
    ) == (1, D("4000.00"), 2, 140, D("28.57"))
    assert (
        suburban["grantees"],
        suburban["peer_run"],
        suburban["peer_partnered"],
        suburban["funding_usd"],
        suburban["programs"],
        suburban["participants_served"],
        suburban["lived_experience_staff"],
    ) == (2, 1, 1, D("3000.00"), 1, 50, 5)
    assert (rural["grantees"], rural["other_class"], rural["programs"], rural["participants_served"]) == (
        1,
        1,
        2,
        50,
    )
    assert got[("hhs_region", "HHS Region 1")]["grantees"] == 1
    assert got[("hhs_region", "HHS Region 2")]["grantees"] == 3
    assert got[("census_division", "New England")]["programs"] == 1
    assert got[("census_region", "Northeast")]["participants_served"] == 240


def test_trend(con):
    got = {(r["state"], r["period"], r["measure"]): r for r in rows(con, "SELECT * FROM marts.trend")}
    grantees = got[("NY", "FY2025", "grantees")]
    assert (
        grantees["value"],
        grantees["previous_period"],
        grantees["previous_value"],
        grantees["change"],
    ) == (D("3"), "FY2024", D("1"), D("2"))
    served = got[("NY", "FY2025", "participants_served")]
    assert served["change"] == D("120") and served["change_share"] == pytest.approx(1.5)
    funding_ = got[("NY", "FY2025", "funding_usd")]
    assert funding_["change"] == D("6200.00")
    first = got[("NY", "FY2024", "grantees")]
    assert first["previous_value"] is None and first["change"] is None
    assert got[("CT", "FY2025", "programs")]["previous_value"] is None
    measures = {m for (_, _, m) in got}
    summary_columns = set(con.table("marts.state_summary").columns)
    assert measures == summary_columns - {"state", "period"}


def test_submission_status(con):
    got = [
        (
            r["state"],
            r["period"],
            r["grantee_id"],
            r["status"],
            r["on_roster"],
            r["latest_version"],
            r["error_count"],
        )
        for r in rows(con, "SELECT * FROM marts.submission_status ORDER BY ALL")
    ]
    assert got == [
        ("CT", "FY2025", "CT-0001", "accepted", None, 1, 0),
        ("NY", "FY2024", "NY-0001", "accepted", True, 1, 0),
        ("NY", "FY2024", "NY-0004", "not_reported", True, None, None),
        ("NY", "FY2025", "NY-0001", "accepted", True, 1, 0),
        ("NY", "FY2025", "NY-0002", "accepted", True, 1, 0),
        ("NY", "FY2025", "NY-0003", "not_on_roster", False, 1, 0),
        ("NY", "FY2025", "NY-0004", "not_reported", True, None, None),
        ("NY", "FY2025", "NY-0005", "rejected", True, 1, 2),
        ("NY", "FY2025", "NY-0006", "not_on_roster", False, 1, 1),
    ]
    names = {
        r["grantee_id"]: r["organization_name"]
        for r in rows(
            con, "SELECT grantee_id, organization_name FROM marts.submission_status WHERE period = 'FY2025'"
        )
    }
    assert (names["NY-0001"], names["NY-0004"], names["NY-0006"]) == ("Org NY-0001", "Four", "Six")


def test_every_mart_has_state_and_period_unless_regional(con):
    for mart in MARTS:
        columns = set(con.table(f"marts.{mart}").columns)
        expected = {"region_type", "region", "period"} if mart == "region_summary" else {"state", "period"}
        assert expected <= columns, mart


def test_rebuild_is_deterministic(con):
    before = {m: sorted(con.table(f"marts.{m}").fetchall(), key=repr) for m in MARTS}
    build_marts(con)
    assert {m: sorted(con.table(f"marts.{m}").fetchall(), key=repr) for m in MARTS} == before
