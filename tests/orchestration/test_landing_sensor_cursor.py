"""The landing sensor's cursor: only new or changed packages, only once quiet, never twice."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.defs.automation.landing_sensor import landing_changes, package_signature
from pipelines.ingest.model import PackageRef

SECOND = 1_000_000_000


def make_package(root: Path, state: str, period: str, name: str, mtime_s: int) -> PackageRef:
    path = root / state / period / f"{name}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"workbook bytes")
    os.utime(path, ns=(mtime_s * SECOND, mtime_s * SECOND))
    return PackageRef(state, period, name, path, "xlsx", mtime_s * SECOND, path.stat().st_size)


def test_new_quiet_package_requests_its_partition_and_is_remembered(tmp_path):
    pkg = make_package(tmp_path, "NY", "FY2026", "NY-0042", 1000)
    changes = landing_changes([pkg], {}, now_ns=2000 * SECOND, quiet_s=30)
    assert changes.ready == {("NY", "FY2026"): [str(pkg.path)]}
    again = landing_changes([pkg], changes.cursor, now_ns=3000 * SECOND, quiet_s=30)
    assert again.ready == {} and again.cursor == changes.cursor


def test_package_still_being_written_waits_for_quiet_period(tmp_path):
    pkg = make_package(tmp_path, "NY", "FY2026", "NY-0042", 1000)
    changes = landing_changes([pkg], {}, now_ns=1010 * SECOND, quiet_s=30)
    assert changes.ready == {} and changes.waiting == 1 and changes.cursor == {}
    later = landing_changes([pkg], changes.cursor, now_ns=1031 * SECOND, quiet_s=30)
    assert ("NY", "FY2026") in later.ready


def test_changed_package_is_requested_again_and_run_key_differs(tmp_path):
    pkg = make_package(tmp_path, "NY", "FY2026", "NY-0042", 1000)
    first = landing_changes([pkg], {}, now_ns=2000 * SECOND, quiet_s=30)
    pkg.path.write_bytes(b"a corrected workbook")
    os.utime(pkg.path, ns=(1500 * SECOND, 1500 * SECOND))
    second = landing_changes([pkg], first.cursor, now_ns=2000 * SECOND, quiet_s=30)
    assert ("NY", "FY2026") in second.ready
    assert first.run_key("NY", "FY2026") != second.run_key("NY", "FY2026")


def test_only_changed_partitions_are_requested_and_state_filter_applies(tmp_path):
    ny = make_package(tmp_path, "NY", "FY2026", "NY-0042", 1000)
    vt = make_package(tmp_path, "VT", "FY2026", "VT-0001", 1000)
    seen = landing_changes([ny], {}, now_ns=2000 * SECOND, quiet_s=30).cursor
    changes = landing_changes([ny, vt], seen, now_ns=2000 * SECOND, quiet_s=30)
    assert list(changes.ready) == [("VT", "FY2026")]
    assert landing_changes([ny, vt], {}, 2000 * SECOND, 30, states=frozenset({"NY"})).ready.keys() == {
        ("NY", "FY2026")
    }


def test_folder_signature_sees_a_changed_table_file(tmp_path):
    folder = tmp_path / "NY" / "FY2026" / "NY-0042"
    folder.mkdir(parents=True)
    (folder / "programs.csv").write_text("program_id\n1\n")
    ref = PackageRef("NY", "FY2026", "NY-0042", folder, "csv_folder", 0, 0)
    before = package_signature(ref)
    (folder / "programs.csv").write_text("program_id\n1\n2\n")
    assert package_signature(ref) != before
