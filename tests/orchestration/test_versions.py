"""Version numbering, duplicates and path findings per the contract's *Versions* and *Paths* paragraphs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipelines.ingest.model import PackageRef
from pipelines.ingest.versions import plan_versions

NOW = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_SCHEMA = {"grantee_id": pl.Utf8, "version": pl.Int64, "sha256": pl.Utf8, "source_path": pl.Utf8}


def ref(name: str, state: str = "NY", kind: str = "xlsx") -> PackageRef:
    path = Path(f"/landing/{state}/FY2026/{name}.xlsx")
    return PackageRef(
        state=state, period="FY2026", name=name, path=path, kind=kind, mtime_ns=1, size_bytes=10
    )


def history(*rows: tuple[str, int, str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=HISTORY_SCHEMA, orient="row")


def test_first_package_is_version_one():
    [v] = plan_versions([(ref("NY-0042"), "a")], history(), NOW)
    assert (v.version, v.duplicate_of, v.path_findings) == (1, None, [])


def test_unchanged_package_at_same_path_is_not_received_again():
    r = ref("NY-0042")
    assert plan_versions([(r, "a")], history(("NY-0042", 1, "a", str(r.path))), NOW) == []


def test_replaced_in_place_is_next_version():
    r = ref("NY-0042")
    [v] = plan_versions([(r, "b")], history(("NY-0042", 1, "a", str(r.path))), NOW)
    assert v.version == 2 and not v.is_duplicate


def test_identical_to_an_earlier_version_is_duplicate_with_its_own_number():
    r = ref("NY-0042")
    past = history(
        ("NY-0042", 1, "a", str(r.path)), ("NY-0042", 2, "b", str(r.path)), ("NY-0042", 3, "c", str(r.path))
    )
    [v] = plan_versions([(r, "b")], past, NOW)
    assert (v.version, v.duplicate_of) == (4, 2)


def test_same_scan_versions_follow_given_order_and_detect_duplicates_within_the_scan():
    xlsx, folder = ref("NY-0042"), ref("NY-0042", kind="csv_folder")
    folder = PackageRef(**{**folder.__dict__, "path": Path("/landing/NY/FY2026/NY-0042")})
    planned = plan_versions([(xlsx, "a"), (folder, "a")], history(), NOW)
    assert [(v.version, v.duplicate_of) for v in planned] == [(1, None), (2, 1)]


def test_invalid_name_is_f05_and_never_opened():
    [v] = plan_versions([(ref("NY-42"), "a")], history(), NOW)
    assert [(f.rule_id, f.column_name, f.value) for f in v.path_findings] == [("F05", "grantee_id", "NY-42")]
    assert v.rejected_unopened


def test_prefix_of_other_state_is_p05():
    [v] = plan_versions([(ref("NJ-0042", state="NY"), "a")], history(), NOW)
    assert [f.rule_id for f in v.path_findings] == ["P05"]


def test_versions_are_counted_per_grantee():
    planned = plan_versions(
        [(ref("NY-0001"), "a"), (ref("NY-0002"), "b")], history(("NY-0001", 3, "z", "/elsewhere")), NOW
    )
    assert [(v.grantee_id, v.version) for v in planned] == [("NY-0001", 4), ("NY-0002", 1)]
