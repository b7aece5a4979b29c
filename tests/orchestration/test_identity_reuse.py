"""Identities are hashed once: while archiving, from the bytes copied, and reused from the archive manifest
while the landing package keeps the stat key recorded with it (sizes and modification times). A package
changed in place is recognised; the archive is never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest import identity
from pipelines.ingest.archive import archived_versions
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import pending_partitions
from pipelines.intake import planning_history, receive_partition, recorded_identities
from pipelines.paths import HomeLayout
from tests.orchestration.package_builder import write_package

NO_HISTORY = pl.DataFrame(
    schema={"grantee_id": pl.Utf8, "version": pl.Int64, "sha256": pl.Utf8, "source_path": pl.Utf8}
)


@pytest.fixture
def layout(tmp_path) -> HomeLayout:
    return HomeLayout(home=tmp_path / "home", landing=tmp_path / "landing")


@pytest.fixture
def hashed(monkeypatch) -> list[Path]:
    """Every package hashed from the landing tree (not while archiving)."""
    calls: list[Path] = []
    original = identity.package_identity

    def counting(path):
        calls.append(Path(path))
        return original(path)

    monkeypatch.setattr(identity, "package_identity", counting)
    return calls


def _receive(layout: HomeLayout):
    """New versions of VT FY2026, with a warehouse that loaded every version received before."""
    loaded = planning_history(archived_versions(layout.archive, "VT", "FY2026"), NO_HISTORY)
    return receive_partition(scan_landing(layout.landing), "VT", "FY2026", loaded, layout).new


def _archive_bytes(layout: HomeLayout) -> dict[str, bytes]:
    root = layout.archive / "VT" / "FY2026"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _same_size_new_bytes(file: Path) -> None:
    data = file.read_bytes()
    assert b"150000" in data
    file.write_bytes(data.replace(b"150000", b"150001"))  # one digit changed: the same size


def test_a_new_package_is_read_once_and_its_manifest_keeps_the_stat_key(layout, hashed):
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    [version] = _receive(layout)
    assert hashed == []  # the identity came from the copy
    assert version.sha256 == identity.package_identity(folder)
    [record] = archived_versions(layout.archive, "VT", "FY2026")
    [ref] = scan_landing(layout.landing).packages
    assert record.landing_stat == ref.stat_key and record.sha256 == version.sha256


def test_an_unchanged_landing_tree_is_neither_read_nor_copied_again(layout, hashed):
    write_package(layout.landing, "VT-0001", mtime_s=100)
    _receive(layout)
    before = _archive_bytes(layout)
    assert _receive(layout) == []
    assert hashed == [] and _archive_bytes(layout) == before


def test_a_package_touched_without_a_change_is_hashed_again_and_adds_nothing(layout):
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    _receive(layout)
    before = _archive_bytes(layout)
    os.utime(folder / "funding.csv", (200, 200))
    assert _receive(layout) == []
    assert _archive_bytes(layout) == before  # the copy taken to hash it was discarded
    assert sorted(p.name for p in (layout.archive / "VT" / "FY2026" / "VT-0001").iterdir()) == ["v1"]


def test_a_file_changed_in_place_with_the_same_size_and_a_new_mtime_is_a_new_version(layout):
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    [first] = _receive(layout)
    before = _archive_bytes(layout)
    _same_size_new_bytes(folder / "funding.csv")
    os.utime(folder / "funding.csv", (200, 200))
    [second] = _receive(layout)
    assert (second.version, second.sha256 != first.sha256) == (2, True)
    assert second.sha256 == identity.package_identity(folder)
    after = _archive_bytes(layout)
    assert {k: v for k, v in after.items() if k.startswith("VT-0001/v1/")} == before  # v1 untouched
    assert (second.archive_path / "funding.csv").read_bytes() == (folder / "funding.csv").read_bytes()


def test_a_file_changed_with_an_older_mtime_than_the_newest_in_its_folder_is_still_seen(layout):
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    os.utime(folder / "programs.csv", (300, 300))  # the newest file of the folder
    _receive(layout)
    _same_size_new_bytes(folder / "funding.csv")
    os.utime(folder / "funding.csv", (200, 200))  # the folder's latest time and total size are unchanged
    os.utime(folder, (100, 100))
    [second] = _receive(layout)
    assert second.version == 2


def test_the_same_size_and_mtime_is_trusted_as_documented(layout, hashed):
    """README: a package whose sizes and modification times are unchanged is taken as unchanged."""
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    _receive(layout)
    _same_size_new_bytes(folder / "funding.csv")
    os.utime(folder / "funding.csv", (100, 100))
    os.utime(folder, (100, 100))
    assert _receive(layout) == [] and hashed == []


def test_planning_hashes_only_the_packages_whose_stat_key_changed(layout, hashed):
    write_package(layout.landing, "VT-0001", mtime_s=100)
    changed = write_package(layout.landing, "VT-0002", mtime_s=100)
    _receive(layout)
    archived = archived_versions(layout.archive, "VT", "FY2026")
    history = planning_history(archived, NO_HISTORY)

    def plan():
        return pending_partitions(
            scan_landing(layout.landing),
            lambda state, period: history,
            recorded_of=lambda state, period: recorded_identities(archived, history),
        )

    assert plan() == [] and hashed == []
    os.utime(changed / "funding.csv", (200, 200))
    assert plan() == [] and hashed == [changed]  # touched, hashed again, the same content
    _same_size_new_bytes(changed / "funding.csv")
    os.utime(changed / "funding.csv", (300, 300))
    assert plan() == [("FY2026", "VT")]


def test_a_manifest_without_a_stat_key_is_hashed_as_before(layout, hashed):
    folder = write_package(layout.landing, "VT-0001", mtime_s=100)
    _receive(layout)
    archived = archived_versions(layout.archive, "VT", "FY2026")
    for record in archived:
        record.landing_stat = None  # as written before stat keys were recorded
    history = planning_history(archived, NO_HISTORY)
    assert recorded_identities(archived, history) == {}
    pending = pending_partitions(
        scan_landing(layout.landing),
        lambda state, period: history,
        recorded_of=lambda state, period: recorded_identities(archived, history),
    )
    assert pending == [] and hashed == [folder]
