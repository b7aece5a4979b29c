"""In-process materialization of whole landing trees: counts, versions, idempotency, report, roster failure."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.resources import resources_for
from pipelines.orchestrate import run_everything
from tests.orchestration.package_builder import organization_with, write_package


@pytest.fixture
def deployment(tmp_path):
    home, landing = tmp_path / "home", tmp_path / "landing"
    landing.mkdir()
    instance = dg.DagsterInstance.ephemeral()
    return home, landing, instance


def run(deployment):
    home, landing, instance = deployment
    return run_everything(defs, instance, resources_for(home, landing))


def query(home, sql: str, params=None):
    with duckdb.connect(str(home / "warehouse" / "landscape.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def versions(home, gid: str):
    return query(
        home,
        "SELECT version, status, is_current FROM core.packages WHERE grantee_id = ? ORDER BY version",
        [gid],
    )


@pytest.mark.slow
def test_version_sequence_accept_replace_reject_duplicate(deployment):
    home, landing, _ = deployment
    folder = write_package(landing, "VT-0042", amount="150000")
    assert run(deployment).success
    write_package(landing, "VT-0042", amount="180000")  # v2: a corrected, accepted package
    assert run(deployment).success
    v2 = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_package(
        landing,
        "VT-0042",
        overrides={
            "organization": organization_with(
                grantee_id="VT-0042",
                state="VT",
                reporting_period="FY2026",
                county_fips="50007",
                year_founded="1800",
            )
        },
    )
    assert run(deployment).success  # v3 is rejected; a rejection is a finding, not a failed run
    for name, data in v2.items():  # v4: byte-identical to v2
        (folder / name).write_bytes(data)
    assert run(deployment).success
    assert versions(home, "VT-0042") == [
        (1, "accepted", False),
        (2, "accepted", True),
        (3, "rejected", False),
        (4, "duplicate", False),
    ]
    assert query(home, "SELECT rule_id, column_name, row_number FROM core.findings WHERE version = 3") == [
        ("F04", "year_founded", 2)
    ]
    assert query(home, "SELECT sum(amount_usd) FROM core.funding WHERE grantee_id = 'VT-0042'") == [(230000,)]
    feedback = home / "feedback" / "VT" / "FY2026" / "VT-0042"
    assert "F04" in (feedback / "v3" / "findings.csv").read_text()
    assert "F04" not in (feedback / "v2" / "findings.csv").read_text()


@pytest.mark.slow
def test_second_run_changes_nothing(deployment):
    home, landing, _ = deployment
    write_package(landing, "VT-0001")
    write_package(landing, "VT-0002", county="50021")
    write_package(landing, "DE-0001", county="10001")
    assert run(deployment).success
    tables = [
        "core.packages",
        "core.findings",
        "core.grantees",
        "core.programs",
        "core.funding",
        "marts.state_summary",
    ]
    before = {
        t: query(
            home,
            f"SELECT * EXCLUDE (received_at) FROM {t} ORDER BY ALL"
            if t == "core.packages"
            else f"SELECT * FROM {t} ORDER BY ALL",
        )
        for t in tables
    }
    summary = run(deployment)
    assert summary.success and all(p.counts.get("new", 0) == 0 for p in summary.partitions)
    after = {
        t: query(
            home,
            f"SELECT * EXCLUDE (received_at) FROM {t} ORDER BY ALL"
            if t == "core.packages"
            else f"SELECT * FROM {t} ORDER BY ALL",
        )
        for t in tables
    }
    assert after == before
    assert query(home, "SELECT state, grantees FROM marts.state_summary ORDER BY state") == [
        ("DE", 1),
        ("VT", 2),
    ]
    assert (home / "reports" / "index.html").is_file()
    assert (home / "analyst" / "warehouse.duckdb").is_file()
    assert (home / "feedback" / "VT" / "FY2026" / "VT-0001" / "v1" / "findings.html").is_file()
    assert (home / "archive" / "VT" / "FY2026" / "VT-0001" / "v1").is_dir()


@pytest.mark.slow
def test_broken_roster_stops_the_state_and_fails_the_run_until_fixed(deployment):
    home, landing, _ = deployment
    write_package(landing, "VT-0001")
    (landing / "VT" / "roster.csv").write_text(
        "grantee_id,organization_name\nVT-0001,Hope\n"
    )  # columns missing
    summary = run(deployment)
    assert not summary.success
    [failed] = [p for p in summary.partitions if not p.success]
    assert failed.state == "VT" and "roster" in failed.error
    assert (landing / "VT" / "FY2026" / "VT-0001").is_dir()  # left untouched
    assert not (home / "archive" / "VT").exists()
    (landing / "VT" / "roster.csv").write_text(
        "grantee_id,organization_name,first_period,last_period\nVT-0001,Hope,FY2024,\n"
    )
    assert run(deployment).success
    assert versions(home, "VT-0001") == [(1, "accepted", True)]


@pytest.mark.slow
def test_generated_landing_loads_with_expected_counts(deployment, tmp_path):
    from pipelines.generate import generate_landing

    home, landing, _ = deployment
    shutil.rmtree(landing)
    manifest = generate_landing(
        landing, seed=3, periods=["FY2025", "FY2026"], scale=0.05, states=["VT", "DE"]
    )
    summary = run(deployment)
    assert summary.success, [p.error for p in summary.partitions if not p.success]
    received = query(home, "SELECT count(*) FROM core.packages")[0][0]
    assert received == len(manifest.packages)
    clean = [p for p in manifest.packages if p.mistake is None]
    accepted = query(home, "SELECT count(*) FROM core.packages WHERE status = 'accepted'")[0][0]
    assert accepted >= len(clean)
    assert (home / "reports" / "states" / "VT.html").is_file()


@pytest.mark.slow
def test_bad_names_links_and_strays_are_recorded_not_skipped(deployment):
    home, landing, _ = deployment
    bad = write_package(landing, "VT-0001")
    bad.rename(landing / "VT" / "FY2026" / "vt_hope")  # not a grantee id
    write_package(landing, "VT-0002")
    (landing / "VT" / "FY2026" / "VT-LINKED").symlink_to(landing / "VT" / "FY2026" / "VT-0002")
    (landing / "VT" / "notes.txt").write_text("stray")
    assert run(deployment).success
    rows = query(home, "SELECT grantee_id, status FROM core.packages ORDER BY grantee_id")
    assert (
        ("vt_hope", "rejected") in rows
        and ("VT-LINKED", "rejected") in rows
        and ("VT-0002", "accepted") in rows
    )
    assert query(
        home, "SELECT rule_id, column_name, value FROM core.findings WHERE grantee_id = 'vt_hope'"
    ) == [("F05", "grantee_id", "vt_hope")]
    assert [
        r[0] for r in query(home, "SELECT rule_id FROM core.findings WHERE grantee_id = 'VT-LINKED'")
    ] == ["P01"]
    assert "notes.txt" in (home / "intake" / "intake_log.csv").read_text()
    assert not (home / "archive" / "VT" / "FY2026" / "VT-LINKED" / "v1" / "VT-LINKED").exists()


@pytest.mark.slow
def test_a_failing_partition_fails_alone_and_the_rest_of_its_range_loads(deployment, monkeypatch):
    from pipelines.defs.validate import assets as validate_assets

    home, landing, _ = deployment
    write_package(landing, "DE-0001", county="10001")
    write_package(landing, "VT-0001")
    real = validate_assets.validate_partitions

    def breaks_for_delaware(partitions, *args, **kwargs):
        if any(received.state == "DE" for received, _ in partitions):
            raise RuntimeError("simulated failure in DE")
        return real(partitions, *args, **kwargs)

    monkeypatch.setattr(validate_assets, "validate_partitions", breaks_for_delaware)
    summary = run(deployment)
    outcome = {p.state: p for p in summary.partitions}
    assert not summary.success
    assert not outcome["DE"].success and "simulated failure in DE" in outcome["DE"].error
    assert outcome["VT"].success and outcome["VT"].counts["accepted"] == 1
    assert versions(home, "VT-0001") == [(1, "accepted", True)]
    assert versions(home, "DE-0001") == []
    monkeypatch.setattr(validate_assets, "validate_partitions", real)
    assert run(deployment).success  # once the cause is gone, DE is taken (its archived leftover replaced)
    assert versions(home, "DE-0001") == [(1, "accepted", True)]
