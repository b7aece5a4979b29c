"""The append-only writer: a version copied (links never followed), its manifest beside it, renamed into place.

A version is written under a temporary name and renamed into place, so it is either whole or absent; an
archived version is never deleted or overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from datetime import datetime
from pathlib import Path

from pipelines.ingest.archive.record import (
    MANIFEST,
    PARTIAL,
    ArchiveConflict,
    ArchivedVersion,
    archive_dir,
    manifest_fields,
)
from pipelines.ingest.model import PackageRef


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(source: Path, target: Path) -> tuple[int, str]:
    """Copy one regular file, never following a link; (size, sha256) of what was copied."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            raise OSError(f"{source.name} is not a regular file")
        with open(target, "xb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    os.chmod(target, 0o444)
    return size, digest.hexdigest()


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


class _Copier:
    def __init__(self, root: Path):
        self.root = root
        self.size = 0
        self.files: list[dict] = []
        self.not_copied: list[dict[str, str]] = []

    def _skip(self, relative: str, reason: str) -> None:
        self.not_copied.append({"path": relative, "reason": reason})

    def copy(self, source: Path, target: Path, relative: str) -> bool:
        try:
            info = source.lstat()
        except OSError as error:
            self._skip(relative, _reason(error))
            return False
        if stat.S_ISLNK(info.st_mode):
            self._skip(relative, "a symbolic link (never followed)")
        elif stat.S_ISDIR(info.st_mode):
            target.mkdir()
            try:
                entries = sorted(source.iterdir(), key=lambda p: p.name)
            except OSError as error:
                self._skip(f"{relative}/" if relative else ".", _reason(error))
                return True
            for entry in entries:
                self.copy(entry, target / entry.name, f"{relative}/{entry.name}" if relative else entry.name)
            return True
        elif not stat.S_ISREG(info.st_mode):
            self._skip(relative, "not a regular file")
        else:
            try:
                size, sha = _copy_file(source, target)
            except OSError as error:
                target.unlink(missing_ok=True)
                self._skip(relative, _reason(error))
                return False
            self.size += size
            self.files.append({"path": relative, "size": size, "sha256": sha})
            return True
        return False


def clear_partials(parent: Path) -> None:
    """Temporary folders of writes that never finished (the process died); never an archived version."""
    if parent.is_dir():
        for entry in parent.iterdir():
            if PARTIAL in entry.name:
                _make_writable(entry)
                shutil.rmtree(entry)


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


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
        _make_writable(partial)
        shutil.rmtree(partial)
        raise ArchiveConflict(f"{target} already exists; the archive is never overwritten")
    os.rename(partial, target)
    _fsync_dir(target.parent)


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
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_partials(target.parent)
    if target.exists():
        raise ArchiveConflict(f"{target} already exists; the archive is never overwritten")
    partial = target.parent / f"{target.name}{PARTIAL}{os.getpid()}"
    partial.mkdir()
    copier = _Copier(partial)
    # Inside a folder package, paths are named as the reader names them: relative to the package folder.
    is_folder = not ref.path.is_symlink() and ref.path.is_dir()
    copied = copier.copy(ref.path, partial / ref.path.name, "" if is_folder else ref.path.name)
    record = ArchivedVersion(
        grantee_id=ref.name,
        state=ref.state,
        period=ref.period,
        version=version,
        sha256=sha256,
        received_at=received_at.isoformat(),
        source_path=str(ref.path),
        package_kind=ref.kind,
        package=ref.path.name if copied else None,
        size_bytes=copier.size,
        duplicate_of=duplicate_of,
        roster=roster,
        not_copied=copier.not_copied,
    )
    write_manifest(partial, {**manifest_fields(record), "files": copier.files})
    publish(partial, target)
    record.folder = target
    return record
