"""Referential integrity and totals that must reconcile across marts, on a seeded random warehouse."""

from __future__ import annotations

import random
from decimal import Decimal

import polars as pl
import pytest

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR
from pipelines.warehouse.connection import connect
from pipelines.warehouse.marts import build_marts
from tests.warehouse.conftest import Pkg, error, funding, load, organization, outcome, program, role

STATES = ("NY", "TX", "WY", "PR", "DC")
PERIODS = ("FY2024", "FY2025")
ADDITIVE = (
    "grantees",
    "peer_run",
    "peer_partnered",
    "other_class",
    "programs",
    "participants_served",
    "funding_usd",
    "peer_staff_headcount",
    "lived_experience_staff",
    "certified_peer_specialists",
)


def _random_package(
    rng: random.Random, grantee_id: str, state: str, period: str, counties: list[str], version: int
) -> Pkg:
    contract = load_contract()
    n_programs = rng.randint(1, 4)
    programs = [
        program(
            f"P{i}",
            rng.randint(0, 500),
            rng.choice(contract.code_values("program_type")),
            rng.choice(counties),
            setting=rng.choice(contract.code_values("setting")),
        )
        for i in range(n_programs)
    ]
    sources = rng.sample(contract.code_values("funding_source"), rng.randint(1, 4))
    funds = [
        funding(s, f"{rng.randint(0, 200000)}.{rng.randint(0, 99):02d}", rng.choice([None, "P0"]))
        for s in sources
    ]
    roles = rng.sample(contract.code_values("role"), rng.randint(0, 6))
    workforce = []
    for name in roles:
        headcount = rng.randint(0, 12)
        lived = rng.randint(0, headcount)
        workforce.append(role(name, headcount, lived, rng.choice([None, rng.randint(0, headcount)])))
    total = rng.randint(0, 12)
    org = organization(
        grantee_id,
        state,
        period,
        county_fips=rng.choice(counties),
        legal_status=rng.choice(contract.code_values("legal_status")),
        autonomous=rng.random() < 0.8,
        accountable=rng.random() < 0.8,
        board_members_total=total,
        board_members_lived_experience=rng.randint(0, total),
        director_lived_experience=rng.random() < 0.7,
    )
    measures = rng.sample(contract.code_values("measure"), rng.randint(0, 3))
    outcomes = [
        outcome(m, r, rng.randint(0, r), rng.choice([None, "P0"]))
        for m in measures
        for r in [rng.randint(0, 100)]
    ]
    return Pkg(
        grantee_id,
        version,
        "accepted",
        state,
        period,
        tables={
            "organization": [org],
            "programs": programs,
            "funding": funds,
            "workforce": workforce,
            "outcomes": outcomes,
        },
    )


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    rng = random.Random(20251101)
    counties = pl.read_csv(REFERENCE_DIR / "counties.csv", schema_overrides={"county_fips": pl.Utf8})
    con = connect(tmp_path_factory.mktemp("integrity") / "w.duckdb")
    for state in STATES:
        fips = counties.filter(pl.col("state") == state).get_column("county_fips").to_list()
        for period in PERIODS:
            pkgs = []
            for n in range(rng.randint(2, 6)):
                grantee_id = f"{state}-{n:04d}"
                pkgs.append(_random_package(rng, grantee_id, state, period, fips, 1))
                if rng.random() < 0.3:  # a resubmission, accepted or rejected
                    later = _random_package(rng, grantee_id, state, period, fips, 2)
                    if rng.random() < 0.5:
                        later.status, later.findings = "rejected", [error()]
                    pkgs.append(later)
            load(con, pkgs, state=state, period=period)
    build_marts(con)
    yield con
    con.close()


def _frame(con, sql: str, *params) -> pl.DataFrame:
    return con.execute(sql, list(params)).pl()


@pytest.mark.parametrize(
    ("table", "column", "dimension", "key"),
    [
        ("core.grantees", "county_fips", "core.dim_county", "county_fips"),
        ("core.programs", "county_fips", "core.dim_county", "county_fips"),
        ("core.programs", "program_type", "core.dim_program_type", "program_type"),
        ("core.funding", "funding_source", "core.dim_funding_source", "funding_source"),
        ("marts.funding_by_source", "funding_source", "core.dim_funding_source", "funding_source"),
        ("marts.programs_by_type", "program_type", "core.dim_program_type", "program_type"),
        ("core.grantees", "state", "core.dim_state", "state"),
        ("marts.state_summary", "state", "core.dim_state", "state"),
        ("core.packages", "period", "core.dim_period", "period"),
        ("core.grantees", "period", "core.dim_period", "period"),
        ("core.programs", "period", "core.dim_period", "period"),
        ("core.funding", "period", "core.dim_period", "period"),
        ("core.workforce", "period", "core.dim_period", "period"),
        ("core.outcomes", "period", "core.dim_period", "period"),
        ("marts.state_summary", "period", "core.dim_period", "period"),
        ("marts.region_summary", "period", "core.dim_period", "period"),
        ("marts.trend", "period", "core.dim_period", "period"),
    ],
)
def test_every_key_is_in_its_dimension(con, table, column, dimension, key):
    values = set(con.table(table).select(column).fetchall())
    known = set(con.table(dimension).select(key).fetchall())
    assert values, f"{table} is empty: the fixture does not exercise it"
    assert values <= known


@pytest.mark.parametrize(
    ("table", "column", "code_list"),
    [
        ("core.grantees", "legal_status", "legal_status"),
        ("core.programs", "setting", "setting"),
        ("core.workforce", "role", "role"),
        ("core.outcomes", "measure", "measure"),
        ("core.dim_funding_source", "funding_category", "funding_category"),
    ],
)
def test_every_code_is_in_dim_code(con, table, column, code_list):
    values = {r[0] for r in con.table(table).select(column).fetchall()}
    known = {
        r[0]
        for r in con.execute("SELECT code FROM core.dim_code WHERE code_list = ?", [code_list]).fetchall()
    }
    assert values and values <= known


def test_puerto_rico_is_outside_the_census_regions(con):
    regions = {
        r[0]
        for r in con.execute(
            "SELECT region FROM marts.region_summary WHERE region_type = 'census_region'"
        ).fetchall()
    }
    assert "Outside the Census regions" in regions


def test_program_county_in_grantee_state(con):
    mismatched = con.execute(
        "SELECT count(*) FROM core.programs p JOIN core.dim_county c USING (county_fips) "
        "WHERE c.state <> p.state"
    ).fetchone()
    assert mismatched == (0,)


def test_one_current_version_per_grantee_and_period(con):
    assert con.execute(
        "SELECT count(*) FROM (SELECT grantee_id, period FROM core.packages WHERE is_current "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone() == (0,)
    assert (
        con.execute("SELECT count(*) FROM core.grantees").fetchone()
        == con.execute("SELECT count(*) FROM core.packages WHERE is_current").fetchone()
    )


def test_programs_by_type_adds_up_to_state_summary(con):
    by_type = _frame(
        con,
        "SELECT state, period, sum(programs) AS programs, "
        "sum(participants_served) AS participants FROM marts.programs_by_type GROUP BY ALL",
    )
    summary = _frame(
        con, "SELECT state, period, programs, participants_served AS participants FROM marts.state_summary"
    )
    assert (
        by_type.sort("state", "period")
        .cast({"programs": pl.Int64, "participants": pl.Int64})
        .equals(summary.sort("state", "period"))
    )


def test_funding_by_source_adds_up_to_state_summary(con):
    joined = _frame(
        con,
        "SELECT s.state, s.period, s.funding_usd, sum(f.amount_usd) AS by_source, "
        "sum(f.share_of_state_funding) AS shares FROM marts.state_summary s "
        "JOIN marts.funding_by_source f USING (state, period) GROUP BY ALL",
    )
    assert joined.height == _frame(con, "SELECT * FROM marts.state_summary").height
    for row in joined.iter_rows(named=True):
        assert row["by_source"] == row["funding_usd"]
        if row["funding_usd"] > 0:
            assert row["shares"] == pytest.approx(1.0)


def test_workforce_summary_adds_up_to_state_summary(con):
    joined = _frame(
        con,
        """
        SELECT s.state, s.period, s.peer_staff_headcount, s.lived_experience_staff, s.certified_peer_specialists,
               COALESCE(sum(w.headcount) FILTER (WHERE w.role IN ('peer_specialist', 'peer_supervisor')), 0) AS peers,
               COALESCE(sum(w.lived_experience_count) FILTER (WHERE w.role <> 'volunteer'), 0) AS lived,
               COALESCE(sum(w.certified_count), 0) AS certified
        FROM marts.state_summary s LEFT JOIN marts.workforce_summary w USING (state, period) GROUP BY ALL""",
    )
    for row in joined.iter_rows(named=True):
        assert (row["peers"], row["lived"], row["certified"]) == (
            row["peer_staff_headcount"],
            row["lived_experience_staff"],
            row["certified_peer_specialists"],
        )


@pytest.mark.parametrize(
    "region_type", ["national", "hhs_region", "census_region", "census_division", "urbanicity"]
)
def test_regions_add_up_to_the_sum_of_states(con, region_type):
    states = _frame(con, "SELECT * FROM marts.state_summary")
    regions = _frame(con, "SELECT * FROM marts.region_summary WHERE region_type = ?", region_type)
    for period in PERIODS:
        of_states = states.filter(pl.col("period") == period)
        of_regions = regions.filter(pl.col("period") == period)
        assert of_states.height and of_regions.height
        for measure in ADDITIVE:
            assert of_regions.get_column(measure).sum() == of_states.get_column(measure).sum(), (
                period,
                measure,
            )
        served = of_regions.get_column("participants_served").sum()
        funding_total = of_regions.get_column("funding_usd").sum()
        national = regions.filter(pl.col("period") == period)
        if region_type == "national":
            assert national.height == 1
            expected = (Decimal(funding_total) / served).quantize(Decimal("0.01")) if served else None
            assert national.get_column("funding_per_participant").item() == expected
