"""The append-only writer: a version copied (links never followed), its manifest beside it, renamed into place.

A package is first copied into a temporary folder of its grantee's (`<name>.partial-<pid>`), its identity
hashed from the bytes copied; once its version number is decided the manifest is written into that folder,
which is renamed into place as `v<N>`: a version is either whole or absent, and an archived version is never
deleted or overwritten. Every file is fsynced before the rename and the folder after it. Packages of
different grantees are copied and published side by side (their fsyncs overlap); one grantee's in order.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pipelines.ingest.archive.copier import PackageCopier
from pipelines.ingest.archive.record import (
    MANIFEST,
    PARTIAL,
    ArchiveConflict,
    ArchivedVersion,
    archive_dir,
    manifest_fields,
)
from pipelines.ingest.model import PackageRef

# Copies under way at once: fsync waits on the disk, so overlapping them is what makes archiving fast.
WRITERS = 8

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class StagedCopy:
    """A package copied into its grantee's temporary folder, not yet a version."""

    ref: PackageRef
    folder: Path
    identity: str
    copied: bool
    size: int = 0
    files: list[dict] = field(default_factory=list)
    not_copied: list[dict[str, str]] = field(default_factory=list)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clear_partials(parent: Path) -> None:
    """Temporary folders of writes that never finished (the process died); never an archived version."""
    if parent.is_dir():
        for entry in parent.iterdir():
            if PARTIAL in entry.name:
                _remove(entry)


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def _remove(folder: Path) -> None:
    _make_writable(folder)
    shutil.rmtree(folder)


def write_manifest(folder: Path, data: dict) -> None:
    target = folder / MANIFEST
    with open(target, "x", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(target, 0o444)


def publish(partial: Path, target: Path) -> None:
    """Rename the finished folder into place; an existing version is never replaced."""
    if target.exists():
        _remove(partial)
        raise ArchiveConflict(f"{target} already exists; the archive is never overwritten")
    os.rename(partial, target)
    _fsync_dir(target.parent)


def by_grantee(items: Iterable[T], ref_of: Callable[[T], PackageRef], work: Callable[[T], R]) -> list[R]:
    """work(item) for every item, in order: one grantee's items one after another, grantees side by side."""
    items = list(items)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for index, item in enumerate(items):
        ref = ref_of(item)
        groups.setdefault((ref.state, ref.period, ref.name), []).append(index)
    results: list = [None] * len(items)

    def run(indexes: list[int]) -> None:
        for index in indexes:
            results[index] = work(items[index])

    if len(groups) <= 1:
        for indexes in groups.values():
            run(indexes)
        return results
    with ThreadPoolExecutor(max_workers=min(WRITERS, len(groups))) as pool:
        for done in [pool.submit(run, indexes) for indexes in groups.values()]:
            done.result()
    return results


def stage_copies(archive_root: Path, refs: list[PackageRef]) -> list[StagedCopy]:
    """Copy each package into a temporary folder of its grantee's, hashing its identity on the way."""
    for parent in {archive_dir(archive_root, ref, 0).parent for ref in refs}:
        parent.mkdir(parents=True, exist_ok=True)
        clear_partials(parent)
    slots = {id(ref): f"copy{index}" for index, ref in enumerate(refs)}
    return by_grantee(refs, lambda ref: ref, lambda ref: _stage(archive_root, ref, slots[id(ref)]))


def _stage(archive_root: Path, ref: PackageRef, slot: str) -> StagedCopy:
    partial = archive_dir(archive_root, ref, 0).parent / f"{slot}{PARTIAL}{os.getpid()}"
    partial.mkdir()
    copier = PackageCopier()
    copied = copier.copy_package(ref.path, partial / ref.path.name)
    return StagedCopy(
        ref=ref,
        folder=partial,
        identity=copier.identity(ref.path),
        copied=copied,
        size=copier.size,
        files=copier.files,
        not_copied=copier.not_copied,
    )


def discard(staged: StagedCopy) -> None:
    """A copy that became no version (its content was already received at that path)."""
    _remove(staged.folder)


def publish_version(
    archive_root: Path,
    staged: StagedCopy,
    version: int,
    sha256: str,
    received_at: datetime,
    duplicate_of: int | None = None,
    roster: str | None = None,
) -> ArchivedVersion:
    """Make a staged copy version `version`: its manifest written beside it, the folder renamed into place."""
    ref = staged.ref
    target = archive_dir(archive_root, ref, version)
    record = ArchivedVersion(
        grantee_id=ref.name,
        state=ref.state,
        period=ref.period,
        version=version,
        sha256=sha256,
        received_at=received_at.isoformat(),
        source_path=str(ref.path),
        package_kind=ref.kind,
        package=ref.path.name if staged.copied else None,
        size_bytes=staged.size,
        duplicate_of=duplicate_of,
        roster=roster,
        not_copied=staged.not_copied,
        landing_stat=ref.stat_key or None,
    )
    write_manifest(staged.folder, {**manifest_fields(record), "files": staged.files})
    publish(staged.folder, target)
    record.folder = target
    return record


def archive_package(
    archive_root: Path,
    ref: PackageRef,
    version: int,
    sha256: str,
    received_at: datetime,
    duplicate_of: int | None = None,
    roster: str | None = None,
) -> ArchivedVersion:
    """Copy a package (its regular files and folders; links never followed) into its version folder,
    read-only, with its manifest. What cannot be copied (a link, a device, a file that cannot be read) is
    named in the manifest with the reason, and the version reads as P01 naming it."""
    target = archive_dir(archive_root, ref, version)
    if target.exists():
        raise ArchiveConflict(f"{target} already exists; the archive is never overwritten")
    (staged,) = stage_copies(archive_root, [ref])
    return publish_version(archive_root, staged, version, sha256, received_at, duplicate_of, roster)
