"""Scan the landing tree: packages, rosters, and a log line for everything else.

Layout (contract, *Where packages land* and *Paths*):
    <landing>/<STATE>/roster.csv
    <landing>/<STATE>/<FY>/<GRANTEE_ID>.xlsx   or   <landing>/<STATE>/<FY>/<GRANTEE_ID>/
State and period folder names are matched case-insensitively. Nothing is opened here and no link is
ever followed: a linked state or period folder is logged and not entered; a linked package is still a
package (its reader answers P01). Package names are not validated here (intake gives F05/P05).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipelines.ingest.model import IntakeLogEntry, PackageRef
from pipelines.paths import REFERENCE_DIR

ROSTER_NAME = "roster.csv"
PERIOD_FOLDER = re.compile(r"^FY[0-9]{4}$", re.IGNORECASE)
# Workbook extensions that make a file in a period folder a package: .xlsx is read, the others are
# answered with P01 by the reader so the grantee hears why, instead of being logged unseen.
WORKBOOK_KINDS = {
    ".xlsx": "xlsx",
    ".xlsm": "other",
    ".xlsb": "other",
    ".xls": "other",
    ".xltx": "other",
    ".xltm": "other",
}
LOCK_PREFIX = "~$"  # the lock file a spreadsheet program leaves next to an open workbook


@dataclass
class LandingScan:
    packages: list[PackageRef] = field(default_factory=list)
    rosters: dict[str, Path] = field(default_factory=dict)  # STATE -> roster.csv
    log: list[IntakeLogEntry] = field(default_factory=list)


@cache
def landing_states() -> frozenset[str]:
    """The jurisdictions with county reference data: the 50 states, DC and PR."""
    with (REFERENCE_DIR / "counties.csv").open(newline="", encoding="utf-8") as fh:
        return frozenset(row["state"].upper() for row in csv.DictReader(fh))


def landing_problem(landing: Path) -> str | None:
    """Why the landing root cannot be taken as it is (missing, unreadable, empty: an unmounted share looks
    like this), or None. A run never reads such a landing as "no packages"."""
    landing = Path(landing)
    try:
        if not landing.exists():
            return f"the landing folder {landing} does not exist (is the share mounted? is LANDSCAPE_LANDING right?)"
        if not landing.is_dir():
            return f"the landing folder {landing} is not a folder (is LANDSCAPE_LANDING right?)"
        with os.scandir(landing) as entries:
            empty = next(entries, None) is None
    except OSError as error:
        return f"the landing folder {landing} cannot be read ({error.strerror or error})"
    if empty:
        return f"the landing folder {landing} is empty (is the share mounted?)"
    return None


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _mode(entry: os.DirEntry) -> os.stat_result:
    return entry.stat(follow_symlinks=False)


def scan_landing(landing: Path, partitions: Iterable[tuple[str, str]] | None = None) -> LandingScan:
    """Everything in the landing tree; with `partitions` ((state, period) pairs), only those partitions' packages
    and their states' rosters, without entering any other state or period folder (a resubmission's intake
    costs what its partition holds, not what the whole landing holds). A limited scan's log covers only the
    folders it entered; the intake log comes from a whole scan."""
    scan = LandingScan()
    landing = Path(landing)
    if not landing.is_dir():
        return scan
    states = landing_states()
    wanted = None if partitions is None else {(s.upper(), p.upper()) for s, p in partitions}
    for entry in _entries(landing):
        info = _mode(entry)
        state = entry.name.upper()
        if wanted is not None and not any(s == state for s, _ in wanted):
            continue
        if stat.S_ISLNK(info.st_mode):
            _log(scan, entry, "symbolic link at the top of the landing folder; not followed")
        elif not stat.S_ISDIR(info.st_mode):
            _log(scan, entry, "file at the top of the landing folder; packages belong in <STATE>/<FY>/")
        elif state not in states:
            _log(scan, entry, "folder is not a state: expected one of the 50 states, DC or PR")
        else:
            _scan_state(scan, Path(entry.path), state, wanted)
    scan.packages.sort(key=lambda p: (p.mtime_ns, str(p.path)))
    return scan


def _scan_state(
    scan: LandingScan, folder: Path, state: str, wanted: set[tuple[str, str]] | None = None
) -> None:
    for entry in _entries(folder):
        info = _mode(entry)
        name = entry.name
        if wanted is not None and (state, name.upper()) not in wanted and name.lower() != ROSTER_NAME:
            continue
        if stat.S_ISLNK(info.st_mode):
            _log(scan, entry, "symbolic link in a state folder; not followed")
        elif stat.S_ISDIR(info.st_mode) and PERIOD_FOLDER.fullmatch(name):
            _scan_period(scan, Path(entry.path), state, name.upper())
        elif stat.S_ISREG(info.st_mode) and name.lower() == ROSTER_NAME:
            if state in scan.rosters:
                _log(
                    scan, entry, f"a second roster for {state} (already found {scan.rosters[state]}); ignored"
                )
            else:
                scan.rosters[state] = Path(entry.path)
        elif stat.S_ISDIR(info.st_mode):
            _log(scan, entry, "folder in a state folder is not a period: expected FY and four digits")
        else:
            _log(scan, entry, "file in a state folder is neither roster.csv nor a period folder")


def _scan_period(scan: LandingScan, folder: Path, state: str, period: str) -> None:
    for entry in _entries(folder):
        info = _mode(entry)
        stem, suffix = os.path.splitext(entry.name)
        kind = WORKBOOK_KINDS.get(suffix.lower())
        if stat.S_ISLNK(info.st_mode):
            # Still a package, so the grantee is answered (P01); lstat only, the target is never touched.
            _package(scan, entry, state, period, stem if kind else entry.name, kind or "csv_folder", info)
        elif stat.S_ISDIR(info.st_mode):
            _package(
                scan, entry, state, period, entry.name, "csv_folder", _folder_stat(Path(entry.path), info)
            )
        elif not stat.S_ISREG(info.st_mode):
            _log(scan, entry, "not a regular file or folder; left alone")
        elif entry.name.startswith(LOCK_PREFIX):
            _log(scan, entry, "a spreadsheet program's lock file, not a package")
        elif kind is not None:
            _package(scan, entry, state, period, stem, kind, info)
        else:
            _log(
                scan,
                entry,
                "file in a period folder is not a package: expected <GRANTEE_ID>.xlsx or a folder",
            )


def _package(
    scan: LandingScan,
    entry: os.DirEntry,
    state: str,
    period: str,
    name: str,
    kind: str,
    info: os.stat_result | tuple[int, int, str],
) -> None:
    if isinstance(info, os.stat_result):
        mtime_ns, size, key = info.st_mtime_ns, info.st_size, f"{info.st_size}:{info.st_mtime_ns}"
    else:
        mtime_ns, size, key = info
    scan.packages.append(
        PackageRef(
            state=state,
            period=period,
            name=name,
            path=Path(entry.path),
            kind=kind,
            mtime_ns=mtime_ns,
            size_bytes=size,
            stat_key=key,
        )
    )


def _folder_stat(folder: Path, info: os.stat_result) -> tuple[int, int, str]:
    """Latest modification time over the folder and everything in it, its regular files' total size, and its
    stat key: a digest of every entry's path, type, size and modification time.

    A file rewritten in place changes only its own mtime, so the folder's alone would miss it.
    """
    latest, size = info.st_mtime_ns, 0
    entries_seen = hashlib.blake2b(f"{info.st_mtime_ns}".encode(), digest_size=16)
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = _entries(current)
        except OSError:
            continue
        for entry in entries:
            sub = _mode(entry)
            latest = max(latest, sub.st_mtime_ns)
            relative = os.path.relpath(entry.path, folder)
            entries_seen.update(
                f"\0{relative}\0{stat.S_IFMT(sub.st_mode)}:{sub.st_size}:{sub.st_mtime_ns}".encode(
                    "utf-8", "surrogateescape"
                )
            )
            if stat.S_ISREG(sub.st_mode):
                size += sub.st_size
            elif stat.S_ISDIR(sub.st_mode):
                pending.append(Path(entry.path))
    return latest, size, f"{size}:{latest}:{entries_seen.hexdigest()}"


def _log(scan: LandingScan, entry: os.DirEntry, reason: str) -> None:
    scan.log.append(IntakeLogEntry(path=entry.path, reason=reason))
