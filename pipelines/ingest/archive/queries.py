"""What the archive holds: the versions of a partition, the partitions with versions."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest.archive.record import PERIOD_FOLDER, VERSION_FOLDER, ArchivedVersion, read_manifest


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
