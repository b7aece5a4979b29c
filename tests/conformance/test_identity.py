"""Contract, *Versions*: a package's identity is the SHA-256 over its table files, sorted by table name, each
as name and bytes (for a workbook, the file's bytes)."""

from __future__ import annotations

import hashlib
import os

import pytest

from pipelines.ingest.identity import UnhashablePackage, package_sha256
from tests.conformance.builder import valid, with_cell, write_csv_package, write_xlsx_package


def test_same_table_files_same_identity_whatever_else_the_folder_holds(tmp_path):
    a = write_csv_package(tmp_path / "a")
    b = write_csv_package(tmp_path / "b", raw={"notes.txt": "changed"})
    (b / "programs.csv").rename(b / "Programs.CSV")
    assert package_sha256(a) == package_sha256(b)


def test_any_table_byte_changes_identity(tmp_path):
    a = write_csv_package(tmp_path / "a")
    b = write_csv_package(tmp_path / "b", with_cell(valid(), "workforce", 3, "fte", "4.50"))
    assert package_sha256(a) != package_sha256(b)


def test_workbook_identity_is_its_bytes(tmp_path):
    path = write_xlsx_package(tmp_path)
    assert package_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_link_is_never_followed(tmp_path):
    folder = write_csv_package(tmp_path)
    os.symlink(folder / "funding.csv", folder / "outcomes2.csv")
    with pytest.raises(UnhashablePackage):
        package_sha256(folder)
