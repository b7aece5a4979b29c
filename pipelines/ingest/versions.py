"""Version numbering per the contract's *Versions* paragraph.

Every package received gets the next version number for its grantee and period, whatever its outcome.
A package is *received* when the content at its landing path differs from what was last seen there, so an
untouched landing tree yields nothing new, and a package replaced in place is a new version. A package whose
identity equals any earlier version of the same grantee and period is a duplicate: kept, never validated again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from pipelines.contract import load_contract
from pipelines.findings import Finding, finding
from pipelines.ingest.archive import ArchivedVersion
from pipelines.ingest.model import PackageRef


@dataclass
class NewVersion:
    ref: PackageRef
    version: int
    sha256: str
    received_at: datetime
    duplicate_of: int | None = None
    path_findings: list[Finding] = field(default_factory=list)  # F05/P05 found on the path: never opened
    archive_path: Path | None = None
    archived: ArchivedVersion | None = None  # its archive record, once archived
    roster: str | None = None  # the archived roster (r<N>) it is validated against

    @property
    def grantee_id(self) -> str:
        return self.ref.name

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None

    @property
    def rejected_unopened(self) -> bool:
        return bool(self.path_findings)


def path_findings(ref: PackageRef) -> list[Finding]:
    """F05 when the package name is not a grantee id, P05 when its prefix is not the state folder."""
    grantee_id = load_contract().identifiers["grantee_id"]
    if not load_contract().pattern("grantee_id").fullmatch(ref.name):
        return [
            finding(
                "F05",
                table="organization",
                column="grantee_id",
                value=ref.name,
                message=f"Rename the package: '{ref.name}' is not a grantee id "
                f"({grantee_id['description']}, e.g. {grantee_id['example']}).",
            )
        ]
    if ref.name[:2] != ref.state:
        return [
            finding(
                "P05",
                table="organization",
                column="grantee_id",
                value=ref.name,
                message=f"Move the package to the {ref.name[:2]} folder or correct its name: "
                f"'{ref.name}' does not belong to state {ref.state}.",
            )
        ]
    return []


def plan_versions(
    refs: list[tuple[PackageRef, str]], history: pl.DataFrame, received_at: datetime
) -> list[NewVersion]:
    """New versions among (package, sha256) pairs, given the partition's history.

    history: grantee_id, version, sha256, source_path (every version already recorded).
    refs must already be in arrival order (modification time, then path).
    """
    last_sha_at_path: dict[str, str] = {}
    versions: dict[str, dict[str, int]] = {}  # grantee -> sha -> first version with that identity
    next_version: dict[str, int] = {}
    for row in history.sort("version").iter_rows(named=True):
        last_sha_at_path[row["source_path"]] = row["sha256"]
        versions.setdefault(row["grantee_id"], {}).setdefault(row["sha256"], row["version"])
        next_version[row["grantee_id"]] = max(next_version.get(row["grantee_id"], 0), row["version"])

    planned: list[NewVersion] = []
    for ref, sha in refs:
        source = str(ref.path)
        if last_sha_at_path.get(source) == sha:
            continue
        version = next_version.get(ref.name, 0) + 1
        next_version[ref.name] = version
        last_sha_at_path[source] = sha
        seen = versions.setdefault(ref.name, {})
        planned.append(
            NewVersion(
                ref=ref,
                version=version,
                sha256=sha,
                received_at=received_at,
                duplicate_of=seen.get(sha),
                path_findings=path_findings(ref),
            )
        )
        seen.setdefault(sha, version)
    return planned
