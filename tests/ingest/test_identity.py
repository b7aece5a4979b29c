"""Package identity: the SHA-256 over a package's table files (contract, Versions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipelines.ingest.identity import UnhashablePackage, package_sha256
from pipelines.ingest.model import PackageRef
from tests.ingest.builders import write_csv_folder, write_xlsx


def test_workbook_identity_is_the_sha256_of_its_bytes(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "NY-0042.xlsx", {"programs": [["program_id"], ["p"]]})
    expected = hashlib.sha256(book.read_bytes()).hexdigest()
    assert package_sha256(book) == expected
    ref = PackageRef("NY", "FY2025", "NY-0042", book, "xlsx", 0, book.stat().st_size)
    assert package_sha256(ref) == expected


def test_folder_identity_is_defined_over_table_files_in_table_order(tmp_path: Path) -> None:
    folder = write_csv_folder(
        tmp_path / "NY-0042",
        {"workforce.csv": b"role\n", "Programs.CSV": b"program_id\np\n", "notes.txt": b"ignored"},
    )
    expected = hashlib.sha256(b"programs\x0013\x00program_id\np\n" + b"workforce\x005\x00role\n").hexdigest()
    assert package_sha256(folder) == expected


def test_identity_ignores_unknown_files_and_name_case_but_not_content(tmp_path: Path) -> None:
    first = write_csv_folder(tmp_path / "a" / "NY-0042", {"programs.csv": "program_id\np\n"})
    same = write_csv_folder(tmp_path / "b" / "NY-0042", {"PROGRAMS.csv": "program_id\np\n", "x.txt": "new"})
    changed = write_csv_folder(tmp_path / "c" / "NY-0042", {"programs.csv": "program_id\nq\n"})
    assert package_sha256(first) == package_sha256(same) != package_sha256(changed)


def test_moving_bytes_between_tables_changes_identity(tmp_path: Path) -> None:
    one = write_csv_folder(tmp_path / "a", {"funding.csv": "ab", "programs.csv": "c"})
    two = write_csv_folder(tmp_path / "b", {"funding.csv": "a", "programs.csv": "bc"})
    assert package_sha256(one) != package_sha256(two)


def test_links_are_never_followed(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", {"programs": [["program_id"], ["p"]]})
    link = tmp_path / "NY-0042.xlsx"
    link.symlink_to(real)
    with pytest.raises(UnhashablePackage):
        package_sha256(link)
    folder = write_csv_folder(tmp_path / "NY-0043", {"workforce.csv": "role\n"})
    (folder / "programs.csv").symlink_to(tmp_path / "real.xlsx")
    with pytest.raises(UnhashablePackage):
        package_sha256(folder)
    nested = write_csv_folder(tmp_path / "NY-0044", {"programs.csv": "program_id\n"})
    (nested / "old").mkdir()
    (nested / "old" / "etc").symlink_to("/etc")
    with pytest.raises(UnhashablePackage):
        package_sha256(nested)
