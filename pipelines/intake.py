"""One partition's intake: find new package versions, archive them, read and validate them as one batch.

The step above ingest (files -> package reads) and validate (reads -> a validated batch); the Dagster
assets, feedback and the warehouse load use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import polars as pl

from pipelines.findings import FINDING_SCHEMA
from pipelines.ingest.archive import ArchivedVersion, archive_roster, archived_versions, roster_copy
from pipelines.ingest.archive.writer import StagedCopy, by_grantee, discard, publish_version, stage_copies
from pipelines.ingest.identity import recorded_identity
from pipelines.ingest.landing import LandingScan
from pipelines.ingest.model import PACKAGE_RECORD_SCHEMA, ROW_COLUMN, PackageRead
from pipelines.ingest.readers import read_guarded
from pipelines.ingest.readers.safety import problem
from pipelines.ingest.versions import NewVersion, path_findings, plan_versions
from pipelines.package_status import STATUSES, PackageStatus
from pipelines.paths import HomeLayout
from pipelines.validate.batch import split_batch, validate_batch
from pipelines.validate.model import PACKAGE_KEY, PackageContext, ValidatedBatch
from pipelines.validate.roster import is_on_roster, read_roster


@dataclass
class PartitionIntake:
    state: str
    period: str
    new_versions: pl.DataFrame  # PACKAGE_RECORD_SCHEMA, one row per new version (status decided)
    batch: ValidatedBatch  # validation of the versions that were opened (findings of all new versions)
    roster: pl.DataFrame | None = None  # the state's roster, when it has one
    # The opened packages as read: GX checks them again and raw rows are derived from them.
    opened: list[tuple[PackageContext, PackageRead]] = field(default_factory=list)
    validated_on: date | None = None

    @property
    def raw_tables(self) -> dict[str, pl.DataFrame]:
        """Every opened version's rows as received, per table (derived: the reads are kept once)."""
        return _raw_tables(self.opened)

    @property
    def counts(self) -> dict[str, int]:
        statuses = self.new_versions.get_column("status").to_list()
        return {s: statuses.count(s) for s in STATUSES} | {"new": len(statuses)}


def _raw_frame(context: PackageContext, table: pl.DataFrame) -> pl.DataFrame:
    # Keyed by package_key so the organization's own grantee_id and state stay as received.
    return table.rename({ROW_COLUMN: "row_number"}).with_columns(pl.lit(context.key).alias(PACKAGE_KEY))


def _raw_tables(opened: list[tuple[PackageContext, PackageRead]]) -> dict[str, pl.DataFrame]:
    by_table: dict[str, list[pl.DataFrame]] = {}
    for context, read in opened:
        for name, table in read.tables.items():
            by_table.setdefault(name, []).append(_raw_frame(context, table))
    return {name: pl.concat(frames, how="diagonal_relaxed") for name, frames in by_table.items()}


def _path_findings(unopened: list[NewVersion]) -> pl.DataFrame:
    rows = [
        {PACKAGE_KEY: f"{v.grantee_id}|{v.ref.period}|{v.version}", **f.as_row()}
        for v in unopened
        for f in v.path_findings
    ]
    return pl.DataFrame(rows, schema={PACKAGE_KEY: pl.Utf8, **FINDING_SCHEMA})


def _status_frame(new: list[NewVersion], batch: ValidatedBatch, findings: pl.DataFrame) -> pl.DataFrame:
    validated = {r[PACKAGE_KEY]: r["status"] for r in batch.packages.iter_rows(named=True)}
    counts = findings.group_by(PACKAGE_KEY).agg(
        (pl.col("severity") == "error").sum().alias("errors"),
        (pl.col("severity") == "warning").sum().alias("warnings"),
    )
    count_of = {r[PACKAGE_KEY]: (r["errors"], r["warnings"]) for r in counts.iter_rows(named=True)}
    rows = []
    for v in new:
        key = f"{v.grantee_id}|{v.ref.period}|{v.version}"
        if v.is_duplicate:
            status = PackageStatus.DUPLICATE.value
        elif v.rejected_unopened:
            status = PackageStatus.REJECTED.value
        else:
            status = validated[key]
        errors, warnings = count_of.get(key, (0, 0))
        rows.append(
            {
                "grantee_id": v.grantee_id,
                "state": v.ref.state,
                "period": v.ref.period,
                "version": v.version,
                "sha256": v.sha256,
                "received_at": v.received_at,
                "source_path": str(v.ref.path),
                "archive_path": str(v.archive_path) if v.archive_path else None,
                "package_kind": v.ref.kind,
                "status": status,
                "error_count": errors,
                "warning_count": warnings,
                "duplicate_of": v.duplicate_of,
            }
        )
    return pl.DataFrame(rows, schema=PACKAGE_RECORD_SCHEMA)


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


def read_archived(version: NewVersion) -> PackageRead:
    """A version as archived: what could not be copied when it was received makes it P01 naming that file
    (the same finding whenever it is read again, a rebuild included); otherwise the copy is read."""
    record = version.archived
    if record is None:
        return read_guarded(version.ref.path)
    if record.not_copied:
        first = record.not_copied[0]
        return PackageRead(
            findings=[
                problem("P01", f"{first['path']} could not be read ({first['reason']})", value=first["path"])
            ]
        )
    if record.copy_path is None:
        return PackageRead(
            findings=[
                problem("P01", f"{version.ref.path.name} could not be read", value=version.ref.path.name)
            ]
        )
    return read_guarded(record.copy_path)


def _opened(
    received: ReceivedPartition, previous_funding: pl.DataFrame
) -> list[tuple[PackageContext, PackageRead]]:
    """Every new, non-duplicate version of a partition read, with what validation needs from outside it."""
    funding_before = {r["grantee_id"]: r for r in previous_funding.iter_rows(named=True)}
    contexts: list[tuple[PackageContext, PackageRead]] = []
    for version in (v for v in received.new if not v.is_duplicate and not v.rejected_unopened):
        read = read_archived(version)
        roster = received.roster_of(version)
        before = funding_before.get(version.grantee_id, {})
        context = PackageContext(
            grantee_id=version.grantee_id,
            state=received.state,
            period=received.period,
            version=version.version,
            on_roster=None if roster is None else is_on_roster(roster, version.grantee_id, received.period),
            previous_period=before.get("previous_period"),
            previous_funding_total=before.get("previous_funding_total"),
        )
        contexts.append((context, read))
    return contexts


def _intake(
    received: ReceivedPartition,
    opened: list[tuple[PackageContext, PackageRead]],
    batch: ValidatedBatch,
    today: date,
) -> PartitionIntake:
    findings = pl.concat([batch.findings, _path_findings(received.new)], how="diagonal_relaxed")
    batch = ValidatedBatch(packages=batch.packages, findings=findings, tables=batch.tables)
    return PartitionIntake(
        state=received.state,
        period=received.period,
        new_versions=_status_frame(received.new, batch, findings),
        batch=batch,
        roster=received.roster,
        opened=opened,
        validated_on=today,
    )


def validate_partition(
    received: ReceivedPartition, previous_funding: pl.DataFrame, today: date | None = None
) -> PartitionIntake:
    """Open every new, non-duplicate version and validate them together as one batch."""
    return validate_partitions([(received, previous_funding)], today)[0]


def validate_partitions(
    partitions: list[tuple[ReceivedPartition, pl.DataFrame]], today: date | None = None
) -> list[PartitionIntake]:
    """Several partitions (each with its grantees' previous funding) validated as one batch, then split by
    partition. Every rule is judged per package, so each partition gets what validating it alone gives; the
    batch's fixed costs (the rule queries on DuckDB, the Polars plans) are paid once, not once per partition.
    """
    today = today or date.today()
    opened = [_opened(received, funding) for received, funding in partitions]
    keys = [[context.key for context, _ in pairs] for pairs in opened]
    if len(partitions) == 1:
        batches = [validate_batch(opened[0], today)]
    elif len({k for ks in keys for k in ks}) < sum(map(len, keys)):  # a key in two partitions: apart
        batches = [validate_batch(pairs, today) for pairs in opened]
    else:
        whole = validate_batch([pair for pairs in opened for pair in pairs], today)
        batches = [split_batch(whole, ks) for ks in keys]
    return [
        _intake(received, pairs, batch, today)
        for (received, _), pairs, batch in zip(partitions, opened, batches, strict=True)
    ]
