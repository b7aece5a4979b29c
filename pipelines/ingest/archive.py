"""The archive: the system of record of what grantees sent. Append-only.

Every received package version is copied to `$LANDSCAPE_HOME/archive/<STATE>/<FY>/<GRANTEE_ID>/v<N>/`,
with `manifest.json` beside the copy (what rebuilding needs: received time, source path, SHA-256, size,
what could not be copied and why, the roster it was validated against). A version is written under a
temporary name and renamed into place, so it is either whole or absent; an archived version is never
deleted or overwritten. Version numbers come from here, so losing the warehouse cannot renumber anything.

Rosters are archived the same way, each content once, as `archive/<STATE>/roster/r<N>/roster.csv`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.ingest.model import PackageRef

MANIFEST = "manifest.json"
PARTIAL = ".partial-"
ROSTER_FOLDER = "roster"
VERSION_FOLDER = re.compile(r"^v([1-9][0-9]*)$")
ROSTER_VERSION = re.compile(r"^r([1-9][0-9]*)$")
PERIOD_FOLDER = re.compile(r"^FY[0-9]{4}$")


class ArchiveConflict(Exception):
    """A version folder already exists: the archive is never overwritten."""


@dataclass
class ArchivedVersion:
    """One archived package version, as its manifest records it."""

    grantee_id: str
    state: str
    period: str
    version: int
    sha256: str | None
    received_at: str | None  # ISO 8601, UTC
    source_path: str | None
    package_kind: str | None
    package: str | None  # name of the copy inside the version folder (None: nothing could be copied)
    size_bytes: int = 0
    duplicate_of: int | None = None
    roster: str | None = None  # the roster version it was validated against (r<N>), None without one
    not_copied: list[dict[str, str]] = field(default_factory=list)  # {"path", "reason"}: never read
    folder: Path | None = None  # set when read back

    @property
    def copy_path(self) -> Path | None:
        return self.folder / self.package if self.folder and self.package else None

    @property
    def received(self) -> datetime | None:
        return datetime.fromisoformat(self.received_at) if self.received_at else None

    @property
    def has_manifest(self) -> bool:
        return self.sha256 is not None

    def as_ref(self) -> PackageRef:
        path = Path(self.source_path) if self.source_path else Path(self.grantee_id)
        kind = self.package_kind if self.package_kind in ("xlsx", "csv_folder", "other") else "other"
        return PackageRef(self.state, self.period, self.grantee_id, path, kind, 0, self.size_bytes)


def archive_dir(archive_root: Path, ref: PackageRef, version: int) -> Path:
    return archive_root / ref.state / ref.period / ref.name / f"v{version}"


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


def _clear_partials(parent: Path) -> None:
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


def _write_manifest(folder: Path, data: dict) -> None:
    target = folder / MANIFEST
    with open(target, "x", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(target, 0o444)


def _publish(partial: Path, target: Path) -> None:
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
    _clear_partials(target.parent)
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
    _write_manifest(partial, {**_manifest_fields(record), "files": copier.files})
    _publish(partial, target)
    record.folder = target
    return record


def _manifest_fields(record: ArchivedVersion) -> dict:
    data = asdict(record)
    data.pop("folder")
    return data


def read_manifest(folder: Path) -> ArchivedVersion | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    data.pop("files", None)
    known = set(ArchivedVersion.__dataclass_fields__)
    record = ArchivedVersion(**{k: v for k, v in data.items() if k in known})
    record.folder = folder
    return record


def archived_versions(archive_root: Path, state: str, period: str) -> list[ArchivedVersion]:
    """Every version folder of a state x period, in (grantee, version) order. A folder without a manifest
    (archived before manifests existed) still holds its number: it comes back with only its number."""
    partition = archive_root / state / period
    versions: list[ArchivedVersion] = []
    if not partition.is_dir():
        return versions
    for grantee in sorted(p for p in partition.iterdir() if p.is_dir() and not p.is_symlink()):
        for folder in grantee.iterdir():
            match = VERSION_FOLDER.fullmatch(folder.name)
            if not match or not folder.is_dir():
                continue
            record = read_manifest(folder) or ArchivedVersion(
                grantee.name, state, period, int(match.group(1)), None, None, None, None, None, folder=folder
            )
            versions.append(record)
    return sorted(versions, key=lambda v: (v.grantee_id, v.version))


def archived_partitions(archive_root: Path) -> list[tuple[str, str]]:
    """(period, state) pairs with at least one archived version, earliest period first."""
    found = set()
    if archive_root.is_dir():
        for state in archive_root.iterdir():
            if not state.is_dir():
                continue
            for period in state.iterdir():
                if PERIOD_FOLDER.fullmatch(period.name) and any(period.iterdir()):
                    found.add((period.name, state.name))
    return sorted(found)


def has_versions(archive_root: Path) -> bool:
    return bool(archived_partitions(archive_root))


# Rosters ---------------------------------------------------------------------------------------------


def _roster_versions(archive_root: Path, state: str) -> list[tuple[int, Path]]:
    folder = archive_root / state / ROSTER_FOLDER
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := ROSTER_VERSION.fullmatch(p.name))]
    return sorted(found)


def latest_roster(archive_root: Path, state: str) -> tuple[str, Path] | None:
    """(r<N>, path of the copy) of the state's last roster read, or None."""
    versions = _roster_versions(archive_root, state)
    if not versions:
        return None
    number, folder = versions[-1]
    return f"r{number}", folder / "roster.csv"


def roster_copy(archive_root: Path, state: str, tag: str) -> Path:
    return archive_root / state / ROSTER_FOLDER / tag / "roster.csv"


def archive_roster(archive_root: Path, state: str, source: Path, received_at: datetime) -> str:
    """Archive a roster file that was read, unless its content is the last one archived; returns r<N>."""
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    versions = _roster_versions(archive_root, state)
    if versions:
        number, folder = versions[-1]
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("sha256") == sha:
            return f"r{number}"
    number = versions[-1][0] + 1 if versions else 1
    target = archive_root / state / ROSTER_FOLDER / f"r{number}"
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_partials(target.parent)
    partial = target.parent / f"{target.name}{PARTIAL}{os.getpid()}"
    partial.mkdir()
    with open(partial / "roster.csv", "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(partial / "roster.csv", 0o444)
    _write_manifest(
        partial,
        {
            "state": state,
            "received_at": received_at.isoformat(),
            "source_path": str(source),
            "sha256": sha,
            "size_bytes": len(data),
        },
    )
    _publish(partial, target)
    return f"r{number}"
