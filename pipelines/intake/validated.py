"""One partition's received versions read from the archive and validated as one batch: the PartitionIntake.

What defs, feedback and the warehouse load use; receive.py finds and archives the versions first.
"""

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.findings import FINDING_SCHEMA
from pipelines.ingest.model import PACKAGE_RECORD_SCHEMA, ROW_COLUMN, PackageRead
from pipelines.ingest.readers import read_guarded
from pipelines.ingest.readers.safety import problem
from pipelines.ingest.versions import NewVersion
from pipelines.intake.receive import ReceivedPartition
from pipelines.package_status import STATUSES, PackageStatus
from pipelines.validate.batch import split_batch, validate_batch
from pipelines.validate.model import PACKAGE_KEY, PackageContext, ValidatedBatch, package_key
from pipelines.validate.roster import is_on_roster


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
        {PACKAGE_KEY: package_key(v.grantee_id, v.ref.period, v.version), **f.as_row()}
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
