"""The archive: read-only copies of every version; links never followed; an unrecorded leftover replaced."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest.archive import archive_package
from pipelines.ingest.model import PackageRef
from tests.orchestration.package_builder import write_package


def _ref(path: Path) -> PackageRef:
    return PackageRef("VT", "FY2026", path.name, path, "csv_folder", 0, 0)


def test_folder_is_copied_read_only_and_links_inside_are_not(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the archive")
    (folder / "notes.csv").symlink_to(secret)
    copy = archive_package(tmp_path / "archive", _ref(folder), 1)
    assert copy == tmp_path / "archive" / "VT" / "FY2026" / "VT-0001" / "v1" / "VT-0001"
    assert sorted(p.name for p in copy.iterdir()) == [
        "funding.csv",
        "organization.csv",
        "outcomes.csv",
        "programs.csv",
        "workforce.csv",
    ]
    assert (copy / "programs.csv").read_bytes() == (folder / "programs.csv").read_bytes()
    assert oct((copy / "programs.csv").stat().st_mode & 0o777) == oct(0o444)


def test_linked_package_is_not_archived(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    link = folder.parent / "VT-0002"
    link.symlink_to(folder)
    assert archive_package(tmp_path / "archive", _ref(link), 1) is None
    assert not (tmp_path / "archive").exists()


def test_leftover_of_a_failed_run_is_replaced(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001", amount="1")
    archive_package(tmp_path / "archive", _ref(folder), 1)
    write_package(tmp_path / "landing", "VT-0001", amount="2")
    copy = archive_package(tmp_path / "archive", _ref(folder), 1)
    assert "2" in (copy / "funding.csv").read_text().splitlines()[1]


def test_a_package_that_breaks_the_reader_is_rejected_alone(tmp_path, monkeypatch):
    from pipelines.ingest import readers

    def explode(path):
        raise MemoryError("simulated")

    monkeypatch.setattr(readers, "read_package", explode)
    read = readers.read_guarded(tmp_path)
    [finding] = read.findings
    assert finding.rule_id == "P01" and "MemoryError" in finding.message and read.tables == {}
