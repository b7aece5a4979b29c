"""One partition's new package versions: numbered from the archive, copied into it, recorded; rosters too.

Also what planning needs to know without opening a package: the recorded identities and which archived
versions the warehouse has not loaded.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

from pipelines.ingest.archive import ArchivedVersion, archive_roster, archived_versions, roster_copy
from pipelines.ingest.archive.writer import StagedCopy, by_grantee, discard, publish_version, stage_copies
from pipelines.ingest.identity import recorded_identity
from pipelines.ingest.landing import LandingScan
from pipelines.ingest.versions import NewVersion, path_findings, plan_versions
from pipelines.paths import HomeLayout
from pipelines.validate.roster import read_roster


@dataclass
class ReceivedPartition:
    """Versions of one state x period to load: new ones, archived now, and archived ones the warehouse has
    not recorded yet (a run that died after archiving, or a rebuild). Not yet opened."""

    state: str
    period: str
    new: list[NewVersion]
    roster: pl.DataFrame | None
    rosters: dict[str, pl.DataFrame] = field(default_factory=dict)  # r<N> -> the archived roster

    def roster_of(self, version: NewVersion) -> pl.DataFrame | None:
        return self.rosters.get(version.roster) if version.roster else None


def planning_history(archived: list[ArchivedVersion], warehouse_history: pl.DataFrame) -> pl.DataFrame:
    """Every version number taken, from the archive (the record) and, for versions archived before
    manifests existed, the warehouse."""
    rows = {
        (r["grantee_id"], r["version"]): {k: r[k] for k in ("grantee_id", "version", "sha256", "source_path")}
        for r in warehouse_history.iter_rows(named=True)
    }
    for a in archived:
        if a.has_manifest or (a.grantee_id, a.version) not in rows:
            rows[(a.grantee_id, a.version)] = {
                "grantee_id": a.grantee_id,
                "version": a.version,
                "sha256": a.sha256,
                "source_path": a.source_path,
            }
    schema = {"grantee_id": pl.Utf8, "version": pl.Int64, "sha256": pl.Utf8, "source_path": pl.Utf8}
    return pl.DataFrame(list(rows.values()), schema=schema)


def unloaded_versions(
    archived: list[ArchivedVersion], warehouse_history: pl.DataFrame
) -> list[ArchivedVersion]:
    """Archived versions the warehouse has not recorded, in version order."""
    loaded = set(warehouse_history.select("grantee_id", "version").iter_rows())
    return [a for a in archived if a.has_manifest and (a.grantee_id, a.version) not in loaded]


def recorded_identities(archived: list[ArchivedVersion], history: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """source path -> (landing stat key, sha256) of the last version received from each path, when its
    manifest recorded the stat key: a landed package with that key is that version's content again."""
    last = {
        r["source_path"]: r["version"]
        for r in history.sort("version").iter_rows(named=True)
        if r["source_path"]
    }
    return {
        a.source_path: (a.landing_stat, a.sha256)
        for a in archived
        if a.landing_stat and a.sha256 and a.source_path and last.get(a.source_path) == a.version
    }


def _resumed(record: ArchivedVersion) -> NewVersion:
    ref = record.as_ref()
    return NewVersion(
        ref=ref,
        version=record.version,
        sha256=record.sha256 or "",
        received_at=record.received or datetime.now(UTC),
        duplicate_of=record.duplicate_of,
        path_findings=path_findings(ref),
        archive_path=record.copy_path,
        archived=record,
        roster=record.roster,
    )


def _archived_rosters(layout: HomeLayout, state: str, tags: set[str]) -> dict[str, pl.DataFrame]:
    return {tag: read_roster(roster_copy(layout.archive, state, tag)) for tag in sorted(tags)}


def receive_partition(
    scan: LandingScan,
    state: str,
    period: str,
    history: pl.DataFrame,
    layout: HomeLayout,
    archive_only: bool = False,
) -> ReceivedPartition:
    """Number and archive what is new in one state x period, and pick up archived versions the warehouse
    lacks. Writes only to the archive.

    Raises RosterError before anything is archived when the state's roster cannot be used: the packages
    stay in the landing tree and are taken once the roster is fixed. With archive_only (a rebuild), the
    landing tree is not looked at.
    """
    now = datetime.now(UTC)
    roster, roster_tag = None, None
    if not archive_only and state in scan.rosters:
        roster = read_roster(scan.rosters[state])
        roster_tag = archive_roster(layout.archive, state, scan.rosters[state], now)
    archived = archived_versions(layout.archive, state, period)
    resumed = [_resumed(a) for a in unloaded_versions(archived, history)]
    refs = sorted(
        (r for r in scan.packages if r.state == state and r.period == period and not archive_only),
        key=lambda r: (r.mtime_ns, str(r.path)),
    )
    planning = planning_history(archived, history)
    recorded = recorded_identities(archived, planning)
    # A package whose stat key is the recorded one is not read at all; any other is copied once, its
    # identity hashed from the bytes copied, and the copy becomes its version if it is one.
    known = {str(r.path): recorded_identity(r, recorded) for r in refs}
    staged = {
        str(c.ref.path): c for c in stage_copies(layout.archive, [r for r in refs if not known[str(r.path)]])
    }
    identities = [(r, known[str(r.path)] or staged[str(r.path)].identity) for r in refs]
    new = plan_versions(identities, planning, now)
    copies = [(version, staged.pop(str(version.ref.path))) for version in new]
    for version in new:
        version.roster = roster_tag
    for leftover in staged.values():
        discard(leftover)

    def publish(item: tuple[NewVersion, StagedCopy]) -> ArchivedVersion:
        version, copy = item
        return publish_version(
            layout.archive,
            copy,
            version.version,
            version.sha256,
            version.received_at,
            duplicate_of=version.duplicate_of,
            roster=roster_tag,
        )

    for version, record in zip(new, by_grantee(copies, lambda item: item[0].ref, publish), strict=True):
        version.archived = record
        version.archive_path = record.copy_path
    versions = sorted(resumed + new, key=lambda v: (v.grantee_id, v.version))
    rosters = _archived_rosters(layout, state, {v.roster for v in versions if v.roster})
    return ReceivedPartition(state=state, period=period, new=versions, roster=roster, rosters=rosters)
