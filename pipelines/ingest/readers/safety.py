"""Reading a package's bytes without ever following a link, opening a device or trusting a size claim."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding, fix_sentence


class PackageRejected(Exception):
    """A package-level problem (P01 or P04) that stops the read; carries the finding to report."""

    def __init__(self, found: Finding):
        super().__init__(found.message)
        self.finding = found


def problem(rule_id: str, reason: str, table: str | None = None, value: str | None = None) -> Finding:
    """P01/P04 with the reason first, then the contract's sentence on what to change."""
    message = f"{reason}. {fix_sentence(rule_id, table=table, value=value)}"
    return finding(rule_id, table=table, value=value, message=message)


def reject(rule_id: str, reason: str, table: str | None = None, value: str | None = None) -> PackageRejected:
    """The same finding, as the exception that stops reading the package (no table) or one table."""
    return PackageRejected(problem(rule_id, reason, table, value))


def limits() -> dict[str, int]:
    return load_contract().limits


@dataclass(frozen=True)
class Entry:
    """One thing inside a package folder, seen through lstat only."""

    path: Path
    relative: str  # posix path relative to the package folder, for messages only
    mode: int
    size: int

    @property
    def is_link(self) -> bool:
        return stat.S_ISLNK(self.mode)

    @property
    def is_file(self) -> bool:
        return stat.S_ISREG(self.mode)

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.mode)


def walk(folder: Path, prefix: str = "") -> Iterator[Entry]:
    """Every entry under folder, depth first, never entering a link (lstat, not stat)."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        info = entry.stat(follow_symlinks=False)
        item = Entry(Path(entry.path), prefix + entry.name, info.st_mode, info.st_size)
        yield item
        if item.is_dir:
            yield from walk(item.path, item.relative + "/")


def open_regular(path: Path, label: str):
    """Open a regular file for binary reading; a link or anything but a regular file is P01.

    O_NOFOLLOW closes the gap between an lstat and the open; O_NONBLOCK keeps a FIFO from hanging us.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise reject(
            "P01",
            f"{label} could not be opened ({exc.strerror or 'error'}), or is a symbolic link",
            value=label,
        ) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise reject("P01", f"{label} is not a regular file", value=label)
    return os.fdopen(fd, "rb")


def read_regular(path: Path, label: str, max_bytes: int) -> bytes:
    """A regular file's bytes, never more than max_bytes + 1 whatever the file grows to meanwhile."""
    with open_regular(path, label) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big(len(data))
    return data


def too_big(size: int) -> PackageRejected:
    limit = limits()["package_bytes"]
    return reject("P04", f"The package is over {limit:,} bytes ({size:,} bytes or more)", value=str(size))
