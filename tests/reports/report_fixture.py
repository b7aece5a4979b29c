"""A small warehouse with the core tables and marts the reports read, written by the tests themselves.

The marts are computed here in pandas from the core rows, independently of sql/marts/, so the tests can compare
the published pages with figures they know.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.contract import load_contract
from pipelines.paths import REFERENCE_DIR

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'
SCHEMAS_SQL = Path(__file__).with_name("fixture_schemas.sql")

# state -> (population, counties used by its programs)
STATES = {
    "CT": ["09110", "09120", "09150", "09160", "09170"],
    "NY": ["36061", "36047", "36001", "36007", "36003", "36009"],
    "VT": ["50007", "50001", "50003"],
    "RI": ["44007", "44003"],  # one grantee with few people: every people count here is small
    "PR": ["72001", "72003", "72005"],  # the contract allows it; the reference data has no population for it
}
PERIODS = ["FY2024", "FY2025"]
DUPLICATE_RESENT = ("CT", 2, "FY2025")  # this grantee's latest version repeats its first


@dataclass(frozen=True)
class Fixture:
    path: Path
    core: dict[str, pd.DataFrame]
    marts: dict[str, pd.DataFrame]


def _reference(name: str) -> pd.DataFrame:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


def grantee_row(gid: str, state: str, period: str, name: str, criteria: list[bool] | None = None) -> dict:
    """A core.grantees row; the peer-run class follows the five criteria (all met without them)."""
    criteria = criteria or [True] * 5
    cls = "peer_run" if all(criteria) else ("peer_partnered" if criteria[4] else "other")
    return dict(
        grantee_id=gid,
        state=state,
        period=period,
        organization_name=name,
        peer_run_class=cls,
        independent=criteria[0],
        autonomous=criteria[1],
        accountable=criteria[2],
        consumer_governed=criteria[3],
        peer_staffed=criteria[4],
    )


def package_row(
    gid: str,
    state: str,
    period: str,
    version: int,
    sha256: str,
    received_at: pd.Timestamp,
    status: str = "accepted",
    is_current: bool = True,
) -> dict:
    return dict(
        grantee_id=gid,
        state=state,
        period=period,
        version=version,
        sha256=sha256,
        received_at=received_at,
        status=status,
        is_current=is_current,
    )


def status_row(
    gid: str, state: str, period: str, name: str, version: int | None = None, received_at=None
) -> dict:
    """A submission-status row: accepted at `version` (also the latest one), or not reported without one."""
    accepted = version is not None
    return dict(
        state=state,
        period=period,
        grantee_id=gid,
        organization_name=name,
        status="accepted" if accepted else "not_reported",
        error_count=0 if accepted else None,
        current_version=version,
        latest_version=version,
        latest_status="accepted" if accepted else None,
        latest_duplicate_of=None,
        latest_received_at=received_at,
    )


def program_row(
    gid: str, state: str, period: str, program_id: str, name: str, program_type: str, county: str, served: int
) -> dict:
    return dict(
        grantee_id=gid,
        state=state,
        period=period,
        program_id=program_id,
        program_name=name,
        program_type=program_type,
        county_fips=county,
        setting="urban",
        participants_served=served,
        new_participants=served // 2,
    )


def funding_row(gid: str, state: str, period: str, source: str, amount: float) -> dict:
    return dict(
        grantee_id=gid, state=state, period=period, funding_source=source, amount_usd=amount, program_id=None
    )


def workforce_row(
    gid: str, state: str, period: str, role: str, headcount: int, fte: float, lived: int, certified: int
) -> dict:
    return dict(
        grantee_id=gid,
        state=state,
        period=period,
        role=role,
        headcount=headcount,
        fte=fte,
        lived_experience_count=lived,
        certified_count=certified,
    )


def outcome_row(gid: str, state: str, period: str, measure: str, respondents: int, improved: int) -> dict:
    return dict(
        grantee_id=gid,
        state=state,
        period=period,
        measure=measure,
        program_id=None,
        respondents=respondents,
        improved=improved,
    )


def empty_rows() -> dict[str, list[dict]]:
    return {k: [] for k in ("grantees", "programs", "funding", "workforce", "outcomes", "packages", "status")}


def _core_rows(rng: random.Random) -> dict[str, list[dict]]:
    contract = load_contract()
    types = contract.code_values("program_type")
    sources = contract.code_values("funding_source")
    roles = contract.code_values("role")
    measures = contract.code_values("measure")
    rows = empty_rows()
    for state, counties in STATES.items():
        n_grantees = {"CT": 4, "NY": 5, "VT": 2, "RI": 1, "PR": 3}[state]
        for gi in range(n_grantees):
            gid = f"{state}-G{gi:03d}"
            name = {("CT", 1): SCRIPT_NAME, ("NY", 2): FORMULA_NAME}.get(
                (state, gi), f"{state} Peer Network {gi}"
            )
            for pi, period in enumerate(PERIODS):
                if state == "VT" and gi == 1 and period == "FY2024":
                    rows["status"].append(status_row(gid, state, period, name))
                    continue
                criteria = [rng.random() < 0.8 for _ in range(5)]
                rows["grantees"].append(grantee_row(gid, state, period, name, criteria))
                received = pd.Timestamp(f"{2024 + pi}-10-{10 + gi:02d} 09:30:00")
                first_sha = f"{rng.getrandbits(256):064x}"
                rows["packages"].append(
                    package_row(
                        gid, state, period, 1, first_sha, received - pd.Timedelta(days=3), "rejected", False
                    )
                )
                rows["packages"].append(
                    package_row(gid, state, period, 2, f"{rng.getrandbits(256):064x}", received)
                )
                rows["status"].append(status_row(gid, state, period, name, 2, received))
                if (state, gi, period) == DUPLICATE_RESENT:
                    # v1 sent again after v2 was accepted: a duplicate of v1; v2 stays current
                    resent = received + pd.Timedelta(days=2)
                    rows["packages"].append(
                        package_row(gid, state, period, 3, first_sha, resent, "duplicate", False)
                    )
                    rows["status"][-1].update(
                        latest_version=3,
                        latest_status="duplicate",
                        latest_duplicate_of=1,
                        latest_received_at=resent,
                    )
                for pj in range(1 + (gi + pi) % 3):
                    served = rng.choice([2, 4] if state == "RI" else [0, 3, 7, 12, 25, 40, 90, 150, 320])
                    program_name = "<b>Drop-in</b> & more" if pj == 0 else f"Program {pj}"
                    county = counties[(gi + pj) % len(counties)]
                    program_type = types[(gi * 3 + pj) % 6]
                    rows["programs"].append(
                        program_row(gid, state, period, f"P{pj}", program_name, program_type, county, served)
                    )
                for source in rng.sample(sources[:8], 3):
                    amount = float(rng.randint(5, 400) * 1000)
                    rows["funding"].append(funding_row(gid, state, period, source, amount))
                for role in roles[:3]:
                    head = rng.randint(1, 9)
                    lived, certified = rng.randint(0, head), rng.randint(0, head)
                    rows["workforce"].append(
                        workforce_row(gid, state, period, role, head, head * 0.8, lived, certified)
                    )
                for measure in measures[:3]:
                    resp = rng.choice([4, 9] if state == "RI" else [0, 4, 9, 15, 30, 60])
                    rows["outcomes"].append(outcome_row(gid, state, period, measure, resp, resp * 2 // 3))
    return rows


def _marts(core: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    contract = load_contract()
    keys = ["state", "period"]
    g, p, f, w, o = (core[k] for k in ("grantees", "programs", "funding", "workforce", "outcomes"))
    category = {c.code: c.category for c in contract.codes["funding_source"]}
    peer = w[w["role"] == "peer_specialist"]
    summary = (
        g.groupby(keys)
        .agg(
            grantees=("grantee_id", "nunique"),
            peer_run=("peer_run_class", lambda s: int((s == "peer_run").sum())),
            peer_partnered=("peer_run_class", lambda s: int((s == "peer_partnered").sum())),
            other_class=("peer_run_class", lambda s: int((s == "other").sum())),
        )
        .join(
            p.groupby(keys).agg(
                programs=("program_id", "size"), participants_served=("participants_served", "sum")
            )
        )
        .join(f.groupby(keys).agg(funding_usd=("amount_usd", "sum")))
        .join(
            peer.groupby(keys).agg(
                peer_staff_headcount=("headcount", "sum"),
                lived_experience_staff=("lived_experience_count", "sum"),
                certified_peer_specialists=("certified_count", "sum"),
            )
        )
        .reset_index()
    )
    summary["funding_per_participant"] = summary["funding_usd"] / summary["participants_served"]
    by_type = (
        p.groupby([*keys, "program_type"])
        .agg(
            programs=("program_id", "size"),
            grantees=("grantee_id", "nunique"),
            participants_served=("participants_served", "sum"),
        )
        .reset_index()
    )
    f = f.assign(funding_category=f["funding_source"].map(category))
    by_source = (
        f.groupby([*keys, "funding_source", "funding_category"])
        .agg(grantees=("grantee_id", "nunique"), amount_usd=("amount_usd", "sum"))
        .reset_index()
    )
    by_source["share_of_state_funding"] = by_source["amount_usd"] / by_source.groupby(keys)[
        "amount_usd"
    ].transform("sum")
    workforce = (
        w.groupby([*keys, "role"])
        .agg(
            headcount=("headcount", "sum"),
            lived_experience_count=("lived_experience_count", "sum"),
            certified_count=("certified_count", "sum"),
            fte=("fte", "sum"),
        )
        .reset_index()
    )
    outcomes = (
        o.groupby([*keys, "measure"])
        .agg(respondents=("respondents", "sum"), improved=("improved", "sum"))
        .reset_index()
    )
    outcomes["improved_share"] = outcomes["improved"] / outcomes["respondents"].where(
        outcomes["respondents"] > 0
    )
    return {
        "state_summary": summary,
        "programs_by_type": by_type,
        "funding_by_source": by_source,
        "workforce_summary": workforce,
        "outcomes_summary": outcomes,
        "submission_status": core["status"],
    }


def build_fixture_warehouse(path: Path, seed: int = 7) -> Fixture:
    return write_warehouse(path, _core_rows(random.Random(seed)))


def write_warehouse(path: Path, rows: dict[str, list[dict]]) -> Fixture:
    """A warehouse holding these core rows (grantees, programs, funding, workforce, outcomes, packages,
    status) and the marts computed from them."""
    core = {k: pd.DataFrame(v) for k, v in rows.items()}
    marts = _marts(core)
    states = _reference("states.csv")
    counties = _reference("counties.csv")
    counties = counties.rename(columns={"population_2022": "population"})
    county_pop = pd.to_numeric(counties["population"], errors="coerce")
    # As sql/warehouse/dim_state.sql: NULL where no county of the state has a population (Puerto Rico).
    states["population"] = (
        states["state"].map(county_pop.groupby(counties["state"]).sum(min_count=1)).astype("Int64")
    )
    states["hhs_region"] = states["hhs_region"].astype(int)
    counties["population"] = county_pop
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMAS_SQL.read_text(encoding="utf-8"))
        tables = {
            "core.grantees": core["grantees"],
            "core.programs": core["programs"],
            "core.funding": core["funding"],
            "core.workforce": core["workforce"],
            "core.outcomes": core["outcomes"],
            "core.packages": core["packages"],
            "core.dim_state": states,
            "core.dim_county": counties,
            **{f"marts.{k}": v for k, v in marts.items()},
        }
        for name, frame in tables.items():
            con.from_df(frame).create(name)
    finally:
        con.close()
    return Fixture(path=path, core=core, marts=marts)
