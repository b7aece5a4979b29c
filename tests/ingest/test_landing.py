"""The landing scan: layout, case-insensitive folders, the intake log, links never entered, ordering."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.ingest.landing import LandingScan, landing_states, scan_landing
from tests.ingest.builders import write_csv_folder, write_xlsx


def _reasons(scan: LandingScan, landing: Path) -> dict[str, str]:
    return {os.path.relpath(e.path, landing): e.reason for e in scan.log}


def _refs(scan: LandingScan) -> dict[str, tuple]:
    return {p.name: (p.state, p.period, p.kind) for p in scan.packages}


def test_jurisdictions_are_states_dc_and_pr() -> None:
    states = landing_states()
    assert len(states) == 52
    assert {"NY", "DC", "PR"} <= states and "GU" not in states and "VI" not in states


def test_folder_names_are_case_insensitive_and_names_kept_as_written(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "ny" / "fy2025" / "NY-0042.XLSX", {"programs": [["program_id"], ["p"]]})
    write_csv_folder(tmp_path / "Pr" / "Fy2026" / "pr-hope7", {"programs.csv": "program_id\np\n"})
    scan = scan_landing(tmp_path)
    assert _refs(scan) == {"NY-0042": ("NY", "FY2025", "xlsx"), "pr-hope7": ("PR", "FY2026", "csv_folder")}
    assert scan.log == []
    ref = next(p for p in scan.packages if p.kind == "csv_folder")
    assert ref.path == tmp_path / "Pr" / "Fy2026" / "pr-hope7"


def test_rosters_are_found_per_state(tmp_path: Path) -> None:
    (tmp_path / "tx").mkdir()
    (tmp_path / "tx" / "roster.csv").write_text("grantee_id\n")
    (tmp_path / "NY").mkdir()
    (tmp_path / "NY" / "Roster.CSV").write_text("grantee_id\n")
    scan = scan_landing(tmp_path)
    assert scan.rosters == {"TX": tmp_path / "tx" / "roster.csv", "NY": tmp_path / "NY" / "Roster.CSV"}


def test_everything_that_does_not_fit_is_logged(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("hi")
    (tmp_path / "GU" / "FY2025" / "GU-001").mkdir(parents=True)
    (tmp_path / "misc").mkdir()
    period = tmp_path / "NY" / "FY2025"
    period.mkdir(parents=True)
    (tmp_path / "NY" / "2025").mkdir()
    (tmp_path / "NY" / "notes.docx").write_text("x")
    (period / "NY-0042.csv").write_text("program_id\n")
    (period / "~$NY-0042.xlsx").write_bytes(b"lock")
    (period / ".DS_Store").write_bytes(b"\0")
    os.mkfifo(period / "pipe")
    scan = scan_landing(tmp_path)
    assert scan.packages == []
    reasons = _reasons(scan, tmp_path)
    assert set(reasons) == {
        "README.txt",
        "GU",
        "misc",
        "NY/2025",
        "NY/notes.docx",
        "NY/FY2025/NY-0042.csv",
        "NY/FY2025/~$NY-0042.xlsx",
        "NY/FY2025/.DS_Store",
        "NY/FY2025/pipe",
    }
    assert "not a state" in reasons["GU"]
    assert "lock file" in reasons["NY/FY2025/~$NY-0042.xlsx"]
    assert all(reason for reason in reasons.values())


def test_other_workbook_formats_are_packages_the_reader_rejects(tmp_path: Path) -> None:
    period = tmp_path / "NY" / "FY2025"
    period.mkdir(parents=True)
    (period / "NY-0042.xlsm").write_bytes(b"PK\x03\x04")
    (period / "NY-0043.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert _refs(scan_landing(tmp_path)) == {
        "NY-0042": ("NY", "FY2025", "other"),
        "NY-0043": ("NY", "FY2025", "other"),
    }


def test_symlinked_state_and_period_folders_are_logged_not_entered(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    outside = tmp_path / "outside"
    write_csv_folder(outside / "FY2025" / "NY-0042", {"programs.csv": "program_id\np\n"})
    (landing / "TX").mkdir(parents=True)
    (landing / "NY").symlink_to(outside, target_is_directory=True)
    (landing / "TX" / "FY2025").symlink_to(outside / "FY2025", target_is_directory=True)
    (landing / "TX" / "roster.csv").symlink_to(outside / "FY2025" / "NY-0042" / "programs.csv")
    scan = scan_landing(landing)
    assert scan.packages == [] and scan.rosters == {}
    reasons = _reasons(scan, landing)
    assert set(reasons) == {"NY", "TX/FY2025", "TX/roster.csv"}
    assert all("symbolic link" in r for r in reasons.values())


def test_symlinked_packages_are_still_packages(tmp_path: Path) -> None:
    period = tmp_path / "landing" / "NY" / "FY2025"
    period.mkdir(parents=True)
    real = write_xlsx(tmp_path / "real.xlsx", {"programs": [["program_id"], ["p"]]})
    (period / "NY-0042.xlsx").symlink_to(real)
    (period / "NY-0043").symlink_to(tmp_path, target_is_directory=True)
    (period / "NY-0044.xlsx").symlink_to(tmp_path / "missing.xlsx")  # dangling: lstat only
    scan = scan_landing(tmp_path / "landing")
    assert _refs(scan) == {
        "NY-0042": ("NY", "FY2025", "xlsx"),
        "NY-0043": ("NY", "FY2025", "csv_folder"),
        "NY-0044": ("NY", "FY2025", "xlsx"),
    }
    link = next(p for p in scan.packages if p.name == "NY-0042")
    assert link.size_bytes == os.lstat(period / "NY-0042.xlsx").st_size != real.stat().st_size


def test_packages_sorted_by_mtime_then_path(tmp_path: Path) -> None:
    period = tmp_path / "NY" / "FY2025"
    for name, mtime in [("NY-0003.xlsx", 100), ("NY-0001.xlsx", 300), ("NY-0002.xlsx", 100)]:
        write_xlsx(period / name, {"programs": [["program_id"], ["p"]]})
        os.utime(period / name, ns=(mtime * 10**9, mtime * 10**9))
    scan = scan_landing(tmp_path)
    assert [p.name for p in scan.packages] == ["NY-0002", "NY-0003", "NY-0001"]
    assert [p.mtime_ns for p in scan.packages] == [100 * 10**9, 100 * 10**9, 300 * 10**9]


def test_folder_package_mtime_and_size_cover_its_files(tmp_path: Path) -> None:
    folder = write_csv_folder(
        tmp_path / "NY" / "FY2025" / "NY-0042",
        {"programs.csv": "program_id\np\n", "funding.csv": "funding_source\nmhbg\n"},
    )
    os.utime(folder, ns=(10**9, 10**9))
    os.utime(folder / "programs.csv", ns=(5 * 10**9, 5 * 10**9))
    os.utime(folder / "funding.csv", ns=(2 * 10**9, 2 * 10**9))
    (ref,) = scan_landing(tmp_path).packages
    assert ref.mtime_ns == 5 * 10**9  # a file rewritten in place counts, though the folder did not change
    assert ref.size_bytes == len("program_id\np\n") + len("funding_source\nmhbg\n")


def test_missing_landing_folder_is_an_empty_scan(tmp_path: Path) -> None:
    scan = scan_landing(tmp_path / "nowhere")
    assert scan.packages == [] and scan.rosters == {} and scan.log == []


def test_a_scan_limited_to_partitions_lists_exactly_their_packages_and_rosters(tmp_path: Path) -> None:
    for state, period, name in [
        ("ny", "fy2025", "NY-0001"),
        ("NY", "FY2026", "NY-0002"),
        ("VT", "FY2025", "VT-0001"),
        ("pr", "Fy2025", "PR-0001"),
    ]:
        write_csv_folder(tmp_path / state / period / name, {"programs.csv": "program_id\np\n"})
    write_xlsx(tmp_path / "ny" / "fy2025" / "NY-0003.xlsx", {"programs": [["program_id"], ["p"]]})
    (tmp_path / "ny" / "roster.csv").write_text("grantee_id\n")
    (tmp_path / "VT" / "roster.csv").write_text("grantee_id\n")
    whole = scan_landing(tmp_path)
    wanted = {("NY", "FY2025"), ("PR", "FY2025")}
    limited = scan_landing(tmp_path, wanted)
    assert limited.packages == [p for p in whole.packages if (p.state, p.period) in wanted]
    assert _refs(limited) == {
        "NY-0001": ("NY", "FY2025", "csv_folder"),
        "NY-0003": ("NY", "FY2025", "xlsx"),
        "PR-0001": ("PR", "FY2025", "csv_folder"),
    }
    assert limited.rosters == {"NY": tmp_path / "ny" / "roster.csv"}
    assert scan_landing(tmp_path, []).packages == []
