"""landscape run groups pending partitions into ranges per period, never across an unusable roster."""

from __future__ import annotations

from pipelines.orchestrate import plan_runs

KEYS = [f"{p}|{s}" for p in ("FY2025", "FY2026") for s in ("AK", "CA", "DE", "NY", "VT")]


def test_one_range_per_period_earliest_first():
    pending = [("FY2026", "CA"), ("FY2025", "VT"), ("FY2026", "NY"), ("FY2025", "AK")]
    assert plan_runs(pending, set(), KEYS) == [("FY2025|AK", "FY2025|VT"), ("FY2026|CA", "FY2026|NY")]


def test_blocked_state_runs_alone_and_splits_the_range():
    pending = [("FY2026", "AK"), ("FY2026", "DE"), ("FY2026", "VT")]
    assert plan_runs(pending, {"DE"}, KEYS) == [
        ("FY2026|AK", "FY2026|AK"),
        ("FY2026|DE", "FY2026|DE"),
        ("FY2026|VT", "FY2026|VT"),
    ]


def test_blocked_state_without_pending_packages_still_splits_a_range_it_lies_in():
    pending = [("FY2026", "AK"), ("FY2026", "NY")]
    assert plan_runs(pending, {"CA"}, KEYS) == [("FY2026|AK", "FY2026|AK"), ("FY2026|NY", "FY2026|NY")]
    assert plan_runs(pending, {"VT"}, KEYS) == [("FY2026|AK", "FY2026|NY")]


def test_nothing_pending_no_runs():
    assert plan_runs([], {"CA"}, KEYS) == []


def test_ranges_are_cut_to_bound_the_packages_of_one_run():
    pending = [("FY2026", s) for s in ("AK", "CA", "DE", "NY", "VT")]
    weights = {
        ("FY2026", "AK"): 600,
        ("FY2026", "CA"): 900,
        ("FY2026", "DE"): 10,
        ("FY2026", "NY"): 700,
        ("FY2026", "VT"): 5,
    }
    assert plan_runs(pending, set(), KEYS, weights, max_weight=1500) == [
        ("FY2026|AK", "FY2026|CA"),
        ("FY2026|DE", "FY2026|VT"),
    ]
    assert plan_runs([("FY2026", "CA")], set(), KEYS, {("FY2026", "CA"): 5000}, max_weight=1500) == [
        ("FY2026|CA", "FY2026|CA")
    ]  # one partition is never split


def test_run_weights_count_landed_packages_and_archived_versions_of_partitions_not_landed(tmp_path):
    from pathlib import Path

    from pipelines.defs.run_plan import run_weights
    from pipelines.ingest.landing import LandingScan
    from pipelines.ingest.model import PackageRef

    def ref(state: str, name: str) -> PackageRef:
        return PackageRef(state, "FY2026", name, Path(name), "xlsx", 0, 0)

    scan = LandingScan(packages=[ref("VT", "VT-0001"), ref("VT", "VT-0002"), ref("NY", "NY-0001")])
    archive = tmp_path / "archive"
    for grantee, versions in (("AK-0001", 2), ("AK-0002", 1)):
        for version in range(1, versions + 1):
            (archive / "AK" / "FY2026" / grantee / f"v{version}").mkdir(parents=True)
    pending = [("FY2026", "AK"), ("FY2026", "VT")]
    assert run_weights(scan, archive, pending) == {
        ("FY2026", "VT"): 2,
        ("FY2026", "NY"): 1,
        ("FY2026", "AK"): 3,
    }
