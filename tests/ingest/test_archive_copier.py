"""Hashing while archiving: the identity taken from the bytes copied is the one package_identity gives, for
every shape of package, and the manifest lists files and what was not copied in the folder's name order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.ingest.archive.copier import PackageCopier
from pipelines.ingest.identity import package_identity


def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _copy(source: Path, tmp_path: Path) -> PackageCopier:
    target_root = tmp_path / "copy"
    target_root.mkdir()
    copier = PackageCopier()
    copier.copy_package(source, target_root / source.name)
    return copier


def _shapes(tmp_path: Path) -> dict[str, Path]:
    real = tmp_path / "real.csv"
    real.write_text("program_id\np\n")
    shapes = {
        "workbook": _folder(tmp_path / "wb", {"NY-0001.xlsx": "PK\x03\x04 not really a workbook"})
        / "NY-0001.xlsx",
        "tables in name order unlike table order": _folder(
            tmp_path / "a" / "NY-0002",
            {"Programs.csv": "program_id\np\n", "funding.csv": "amount_usd\n5\n", "ORGANIZATION.CSV": "x\n"},
        ),
        "other files and folders beside the tables": _folder(
            tmp_path / "b" / "NY-0003",
            {
                "programs.csv": "program_id\np\n",
                "a-notes.txt": "read me",
                "a/inner.csv": "not a table here",
                "zz.csv": "not a table name",
            },
        ),
        "empty folder": _folder(tmp_path / "c" / "NY-0004", {}),
        "two files for one table": _folder(
            tmp_path / "d" / "NY-0005",
            {"programs.csv": "a\n", "PROGRAMS.csv": "b\n", " programs .csv": "c\n"},
        ),
    }
    linked = _folder(tmp_path / "e" / "NY-0006", {"programs.csv": "program_id\n"})
    (linked / "funding.csv").symlink_to(real)
    shapes["a table file that is a link"] = linked
    nested = _folder(tmp_path / "f" / "NY-0007", {"programs.csv": "program_id\n", "sub/deeper/x.txt": "x"})
    (nested / "sub" / "deeper" / "link").symlink_to(real)
    shapes["a link deep inside"] = nested
    fifo_table = _folder(tmp_path / "g" / "NY-0008", {"programs.csv": "program_id\n"})
    os.mkfifo(fifo_table / "funding.csv")
    shapes["a table file that is not a regular file"] = fifo_table
    fifo_other = _folder(tmp_path / "h" / "NY-0009", {"programs.csv": "program_id\n"})
    os.mkfifo(fifo_other / "notes.txt")
    shapes["a device beside the tables"] = fifo_other
    table_dir = _folder(tmp_path / "i" / "NY-0010", {"programs.csv/inside.txt": "x", "funding.csv": "a\n"})
    shapes["a folder named like a table"] = table_dir
    link_package = tmp_path / "j" / "NY-0011.xlsx"
    link_package.parent.mkdir()
    link_package.symlink_to(real)
    shapes["a package that is a link"] = link_package
    return shapes


@pytest.fixture
def shapes(tmp_path):
    return _shapes(tmp_path)


@pytest.mark.parametrize(
    "shape",
    [
        "workbook",
        "tables in name order unlike table order",
        "other files and folders beside the tables",
        "empty folder",
        "two files for one table",
        "a table file that is a link",
        "a link deep inside",
        "a table file that is not a regular file",
        "a device beside the tables",
        "a folder named like a table",
        "a package that is a link",
    ],
)
def test_the_identity_hashed_while_copying_is_package_identity(shapes, shape, tmp_path):
    source = shapes[shape]
    expected = package_identity(source)
    copier = _copy(source, tmp_path)
    assert copier.identity(source) == expected


def test_the_listing_keeps_the_folder_name_order_whatever_order_the_tables_are_copied_in(tmp_path):
    source = _folder(
        tmp_path / "NY-0002",
        {"Programs.csv": "p\n", "a/x.txt": "x", "a-b.txt": "y", "funding.csv": "f\n", "zz.txt": "z"},
    )
    os.mkfifo(source / "b-pipe")
    (source / "a" / "link").symlink_to(source / "zz.txt")
    copier = _copy(source, tmp_path)
    assert [f["path"] for f in copier.files] == [
        "Programs.csv",
        "a/x.txt",
        "a-b.txt",
        "funding.csv",
        "zz.txt",
    ]
    assert copier.not_copied == [
        {"path": "a/link", "reason": "a symbolic link (never followed)"},
        {"path": "b-pipe", "reason": "not a regular file"},
    ]
    assert (tmp_path / "copy" / "NY-0002" / "funding.csv").read_text() == "f\n"
