"""The immutable archive: every received package version is copied under $LANDSCAPE_HOME/archive."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from pipelines.ingest.model import PackageRef


def archive_dir(archive_root: Path, ref: PackageRef, version: int) -> Path:
    return archive_root / ref.state / ref.period / ref.name / f"v{version}"


def _copy_regular_file(source: Path, target: Path) -> None:
    # lstat + O_NOFOLLOW: a link is never followed, read or copied.
    if not stat.S_ISREG(source.lstat().st_mode):
        return
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as src, open(target, "xb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    os.chmod(target, 0o444)


def archive_package(archive_root: Path, ref: PackageRef, version: int) -> Path | None:
    """Copy a package's regular files into its version folder, read-only. Links are skipped, never followed.

    Returns the archived package path (the workbook, or the folder), or None when nothing could be copied
    (a symbolic link as package).

    Version numbers come from the warehouse, so a version folder that already exists was left by a run that
    failed before recording it: it belongs to no recorded version and is replaced. Recorded versions are
    never archived twice, since intake only numbers what the warehouse has not seen.
    """
    if ref.path.is_symlink():
        return None
    target_dir = archive_dir(archive_root, ref, version)
    if target_dir.exists():
        shutil.rmtree(target_dir)
    target_dir.mkdir(parents=True)
    if ref.path.is_dir():
        package_copy = target_dir / ref.path.name
        package_copy.mkdir()
        for entry in sorted(ref.path.iterdir()):
            _copy_regular_file(entry, package_copy / entry.name)
        return package_copy
    package_copy = target_dir / ref.path.name
    _copy_regular_file(ref.path, package_copy)
    return package_copy
