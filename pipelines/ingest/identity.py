"""A package's identity: the SHA-256 the contract's *Versions* paragraph defines.

Definition (stable; stored in core.packages.sha256):
- a workbook (any file package): SHA-256 of the file's bytes, exactly.
- a CSV folder: its table files are the regular files directly inside it named <table>.csv, with the
  table name and extension matched case-insensitively. They are taken in order of (lower-case table
  name, file name as written) and each is fed to one SHA-256 as
      table name (lower-case, UTF-8) + b"\\0" + decimal byte length (ASCII) + b"\\0" + the file's bytes.
  Other files and sub-folders are not part of the identity. A folder with no table file hashes the
  empty input.
No link is ever followed: a package that is or contains a symbolic link, or a table file that is not a
regular file, raises UnhashablePackage, which callers record as P01.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.ingest.model import PackageRef

CHUNK = 1 << 20


class UnhashablePackage(Exception):
    """The package cannot be hashed without following a link or reading a non-regular file (P01)."""


def package_sha256(ref_or_path: PackageRef | Path | str) -> str:
    path = Path(ref_or_path.path if isinstance(ref_or_path, PackageRef) else ref_or_path)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnhashablePackage(f"{path.name} is a symbolic link")
    digest = hashlib.sha256()
    if stat.S_ISDIR(info.st_mode):
        for table, file in _table_files(path):
            size = os.lstat(file).st_size
            digest.update(table_frame(table, size))
            _feed(digest, file, expected=size)
    else:
        _feed(digest, path)
    return digest.hexdigest()


def table_of(name: str) -> str | None:
    """The table a file directly inside a CSV folder is for (by its name), or None when it is no table file."""
    stem, dot, ext = name.rpartition(".")
    table = stem.strip().lower()
    return table if dot and ext.lower() == "csv" and table in load_contract().tables else None


def table_frame(table: str, size: int) -> bytes:
    """What goes into the digest before a table file's bytes."""
    return table.encode("utf-8") + b"\0" + str(size).encode("ascii") + b"\0"


def _table_files(folder: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, str, Path]] = []
    with os.scandir(folder) as it:
        entries = list(it)
    for entry in entries:
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            raise UnhashablePackage(f"{entry.name} is a symbolic link")
        table = table_of(entry.name)
        if table is not None:
            if not stat.S_ISREG(mode):
                raise UnhashablePackage(f"{entry.name} is not a regular file")
            found.append((table, entry.name, Path(entry.path)))
        elif stat.S_ISDIR(mode) and _has_link(Path(entry.path)):
            raise UnhashablePackage(f"{entry.name} contains a symbolic link")
    return [(table, path) for table, _, path in sorted(found)]


def _has_link(folder: Path) -> bool:
    with os.scandir(folder) as it:
        for entry in it:
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode) or (stat.S_ISDIR(mode) and _has_link(Path(entry.path))):
                return True
    return False


def _feed(digest, path: Path, expected: int | None = None) -> None:
    """Stream a regular file into the digest; O_NOFOLLOW so a link swapped in meanwhile is refused."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise UnhashablePackage(f"{path.name} cannot be opened without following a link") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise UnhashablePackage(f"{path.name} is not a regular file")
        read = 0
        while chunk := fh.read(CHUNK):
            read += len(chunk)
            digest.update(chunk)
    if expected is not None and read != expected:
        raise UnhashablePackage(f"{path.name} changed while it was being read")


def package_identity(path: Path) -> str:
    try:
        return package_sha256(path)
    except (OSError, UnhashablePackage):
        return unreadable_identity(path)


def unreadable_identity(path: Path) -> str:
    """Unreadable or a link: identified by what lstat shows, so the same object is not received twice."""
    st = path.lstat()
    return f"unreadable:{st.st_mtime_ns}:{st.st_size}"


def recorded_identity(ref: PackageRef, recorded: Mapping[str, tuple[str, str]]) -> str | None:
    """The identity recorded for the package's path, while the landing package has the stat key recorded
    with it (sizes and modification times unchanged); None when it must be hashed."""
    known = recorded.get(str(ref.path))
    return known[1] if known is not None and ref.stat_key and known[0] == ref.stat_key else None


def landed_identity(ref: PackageRef, recorded: Mapping[str, tuple[str, str]]) -> str:
    """The identity of a landed package: the recorded one while it is unchanged, else hashed from its bytes."""
    return recorded_identity(ref, recorded) or package_identity(ref.path)
