"""The archive's layout, and one archived version as its manifest records it."""

from __future__ import annotations

import json
import re
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
    # The landing package's stat key when it was received (PackageRef.stat_key): while the package at
    # source_path still has it, its identity is this version's sha256 and it is not hashed again.
    landing_stat: str | None = None
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


def manifest_fields(record: ArchivedVersion) -> dict:
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
