"""Copying one package into the archive, links never followed, taking its identity from the bytes copied.

The identity (pipelines/ingest/identity.py) is computed in the same pass as the copy, so a package is read
once and the identity recorded is that of exactly the bytes archived. In a CSV folder the table files are
copied first, in the identity's order; what the manifest lists keeps the folder's name order.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from pipelines.ingest.identity import table_frame, table_of, unreadable_identity

CHUNK = 1 << 20


def _copy_file(source: Path, target: Path, identity=None) -> tuple[int, str]:
    """Copy one regular file, never following a link, fsynced; (size, sha256) of what was copied. The
    bytes are also fed to `identity`."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            raise OSError(f"{source.name} is not a regular file")
        with open(target, "xb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                if identity is not None:
                    identity.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    os.chmod(target, 0o444)
    return size, digest.hexdigest()


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


class PackageCopier:
    """Copies one package (regular files and folders) and hashes its identity on the way."""

    def __init__(self) -> None:
        self.size = 0
        self.files: list[dict] = []
        self.not_copied: list[dict[str, str]] = []
        self._digest = hashlib.sha256()
        self._hashable = True

    def identity(self, source: Path) -> str:
        """The package's identity, as `package_identity` gives it for the package as it was copied."""
        return self._digest.hexdigest() if self._hashable else unreadable_identity(source)

    def copy_package(self, source: Path, target: Path) -> bool:
        """Copy the package at `source` to `target`; False when nothing could be copied. Inside a folder
        package, paths are named as the reader names them: relative to the package folder."""
        info = self._lstat(source, source.name)
        if info is None or stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            self._hashable = self._hashable and info is not None and stat.S_ISREG(info.st_mode)
            copied = self._copy(source, target, source.name, info, identity=self._digest)
            self._hashable = self._hashable and copied
            return copied
        target.mkdir()
        try:
            names = sorted(entry.name for entry in os.scandir(source))
        except OSError as error:
            self._skip(".", _reason(error))
            self._hashable = False
            return True
        # Table files first, in the identity's order; each entry's listing is kept for the name order.
        tables = sorted((table, name) for name in names if (table := table_of(name)) is not None)
        order = [name for _, name in tables] + [name for name in names if table_of(name) is None]
        listed: dict[str, tuple[list[dict], list[dict[str, str]]]] = {}
        for name in order:
            files, skipped = self.files, self.not_copied
            self.files, self.not_copied = [], []
            self._copy_root_entry(source / name, target / name, name, table_of(name))
            listed[name] = (self.files, self.not_copied)
            self.files, self.not_copied = files, skipped
        for name in names:
            self.files += listed[name][0]
            self.not_copied += listed[name][1]
        return True

    def _copy_root_entry(self, source: Path, target: Path, name: str, table: str | None) -> None:
        info = self._lstat(source, name)
        if info is None or stat.S_ISLNK(info.st_mode):
            self._hashable = False
        if table is not None and info is not None and stat.S_ISREG(info.st_mode):
            self._digest.update(table_frame(table, info.st_size))
            if not self._copy(source, target, name, info, identity=self._digest, expected=info.st_size):
                self._hashable = False
            return
        if table is not None:
            self._hashable = False  # a table file that is not a regular file
        self._copy(source, target, name, info)

    def _lstat(self, source: Path, relative: str) -> os.stat_result | None:
        try:
            return source.lstat()
        except OSError as error:
            self._skip(relative, _reason(error))
            return None

    def _skip(self, relative: str, reason: str) -> None:
        self.not_copied.append({"path": relative, "reason": reason})

    def _copy(
        self,
        source: Path,
        target: Path,
        relative: str,
        info: os.stat_result | None,
        identity=None,
        expected: int | None = None,
    ) -> bool:
        if info is None:
            self._hashable = False
            return False
        if stat.S_ISLNK(info.st_mode):
            self._skip(relative, "a symbolic link (never followed)")
            self._hashable = False
        elif stat.S_ISDIR(info.st_mode):
            target.mkdir()
            try:
                entries = sorted(source.iterdir(), key=lambda p: p.name)
            except OSError as error:
                self._skip(f"{relative}/", _reason(error))
                self._hashable = False
                return True
            for entry in entries:
                inner = f"{relative}/{entry.name}"
                self._copy(entry, target / entry.name, inner, self._lstat(entry, inner))
            return True
        elif not stat.S_ISREG(info.st_mode):
            self._skip(relative, "not a regular file")
        else:
            try:
                size, sha = _copy_file(source, target, identity)
            except OSError as error:
                target.unlink(missing_ok=True)
                self._skip(relative, _reason(error))
                return False
            if expected is not None and size != expected:
                self._hashable = False  # changed while it was read: no identity from these bytes
            self.size += size
            self.files.append({"path": relative, "size": size, "sha256": sha})
            return True
        return False
