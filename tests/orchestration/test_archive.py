"""The archive: append-only, read-only copies of every version with a manifest; links never followed."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.ingest.archive import (
    ArchiveConflict,
    archive_package,
    archive_roster,
    archived_versions,
    latest_roster,
)
from pipelines.ingest.identity import package_sha256
from pipelines.ingest.model import PackageRef
from pipelines.ingest.versions import NewVersion
from pipelines.intake import read_archived
from tests.orchestration.package_builder import write_package

RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _ref(path: Path) -> PackageRef:
    return PackageRef("VT", "FY2026", path.name, path, "csv_folder", 0, 0)


def _archive(root: Path, folder: Path, version: int = 1, sha256: str | None = None):
    return archive_package(root, _ref(folder), version, sha256 or package_sha256(folder), RECEIVED)


def test_folder_is_copied_read_only_and_links_inside_are_not(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the archive")
    (folder / "notes.csv").symlink_to(secret)
    record = _archive(tmp_path / "archive", folder, sha256="unreadable:0:0")
    copy = record.copy_path
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
    assert record.not_copied == [{"path": "notes.csv", "reason": "a symbolic link (never followed)"}]


def test_manifest_records_what_a_rebuild_needs(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    _archive(tmp_path / "archive", folder)
    manifest = json.loads(
        (tmp_path / "archive" / "VT" / "FY2026" / "VT-0001" / "v1" / "manifest.json").read_text()
    )
    assert manifest["received_at"] == RECEIVED.isoformat()
    assert manifest["source_path"] == str(folder)
    assert manifest["sha256"] == package_sha256(folder)
    assert manifest["size_bytes"] == sum(p.stat().st_size for p in folder.iterdir())
    assert {f["path"] for f in manifest["files"]} == {p.name for p in folder.iterdir()}
    [read_back] = archived_versions(tmp_path / "archive", "VT", "FY2026")
    assert (read_back.version, read_back.received, read_back.sha256) == (1, RECEIVED, package_sha256(folder))


def test_linked_package_is_recorded_but_not_copied(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    link = folder.parent / "VT-0002"
    link.symlink_to(folder)
    record = archive_package(tmp_path / "archive", _ref(link), 1, "unreadable:0:0", RECEIVED)
    assert record.copy_path is None and record.not_copied[0]["path"] == "VT-0002"
    assert sorted(p.name for p in record.folder.iterdir()) == ["manifest.json"]


def test_an_archived_version_is_never_overwritten(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001", amount="1")
    first = _archive(tmp_path / "archive", folder)
    before = (first.copy_path / "funding.csv").read_bytes()
    write_package(tmp_path / "landing", "VT-0001", amount="2")
    with pytest.raises(ArchiveConflict):
        _archive(tmp_path / "archive", folder)
    assert (first.copy_path / "funding.csv").read_bytes() == before
    assert [p.name for p in first.folder.parent.iterdir()] == ["v1"]  # no temporary folder left behind


def test_a_partial_write_is_never_a_version_and_is_cleared(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    leftover = tmp_path / "archive" / "VT" / "FY2026" / "VT-0001" / "v1.partial-999"
    leftover.mkdir(parents=True)
    (leftover / "funding.csv").write_text("half")
    assert archived_versions(tmp_path / "archive", "VT", "FY2026") == []
    _archive(tmp_path / "archive", folder)
    assert sorted(p.name for p in leftover.parent.iterdir()) == ["v1"]


def test_a_file_that_cannot_be_read_makes_its_package_p01_naming_it(tmp_path):
    folder = write_package(tmp_path / "landing", "VT-0001")
    (folder / "workforce.csv").unlink()
    os.mkfifo(folder / "workforce.csv")  # opening it would block; as root, a FIFO stands for "cannot be read"
    record = archive_package(tmp_path / "archive", _ref(folder), 1, "unreadable:1:1", RECEIVED)
    version = NewVersion(ref=_ref(folder), version=1, sha256="x", received_at=RECEIVED, archived=record)
    [p01] = read_archived(version).findings
    assert p01.rule_id == "P01" and "workforce.csv" in p01.message


def test_rosters_are_archived_once_per_content(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("grantee_id,organization_name,first_period,last_period\nVT-0001,Hope,FY2024,\n")
    assert archive_roster(tmp_path / "archive", "VT", roster, RECEIVED) == "r1"
    assert archive_roster(tmp_path / "archive", "VT", roster, RECEIVED) == "r1"
    roster.write_text("grantee_id,organization_name,first_period,last_period\n")
    assert archive_roster(tmp_path / "archive", "VT", roster, RECEIVED) == "r2"
    tag, copy = latest_roster(tmp_path / "archive", "VT")
    assert tag == "r2" and copy.read_text() == roster.read_text()


def test_a_package_that_breaks_the_reader_is_rejected_alone(tmp_path, monkeypatch):
    from pipelines.ingest import readers

    def explode(path):
        raise MemoryError("simulated")

    monkeypatch.setattr(readers, "read_package", explode)
    read = readers.read_guarded(tmp_path)
    [finding] = read.findings
    assert finding.rule_id == "P01" and "MemoryError" in finding.message and read.tables == {}


def test_a_staged_copy_never_replaces_a_version_that_appeared_meanwhile(tmp_path):
    from pipelines.ingest.archive.writer import publish_version, stage_copies

    folder = write_package(tmp_path / "landing", "VT-0001", amount="1")
    [staged] = stage_copies(tmp_path / "archive", [_ref(folder)])
    existing = staged.folder.parent / "v1"  # v1 appeared after the copy was staged
    existing.mkdir()
    (existing / "manifest.json").write_text("{}")
    with pytest.raises(ArchiveConflict):
        publish_version(tmp_path / "archive", staged, 1, staged.identity, RECEIVED)
    assert (existing / "manifest.json").read_text() == "{}"
    assert [p.name for p in existing.parent.iterdir()] == ["v1"]  # the staged copy is gone


def test_packages_are_archived_side_by_side_but_one_grantees_in_order():
    import threading
    import time

    from pipelines.ingest.archive.writer import by_grantee

    refs = [_ref(Path(f"/landing/VT/FY2026/VT-000{n}")) for n in (1, 2, 1, 3, 1)]
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def work(item):
        index, ref = item
        time.sleep(0.01 * (5 - index))  # later items finish sooner unless they wait their turn
        with lock:
            seen.append((ref.name, index))
        return index

    assert by_grantee(list(enumerate(refs)), lambda item: item[1], work) == [0, 1, 2, 3, 4]
    assert [index for name, index in seen if name == "VT-0001"] == [0, 2, 4]
