"""Feedback files for every new package version of a run's partitions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from pipelines.feedback.batch import BATCH_SCHEMA, keyed_findings, write_feedback_batch
from pipelines.intake import PartitionIntake
from pipelines.validate.model import PACKAGE_KEY, package_key


def feedback_dir(root: Path, state: str, period: str, grantee_id: str, version: int) -> Path:
    return root.joinpath(state, period, grantee_id, f"v{version}")


def version_key(package: dict) -> str:
    """The package key of a version record (a dict with grantee_id, period and version)."""
    return package_key(package["grantee_id"], package["period"], package["version"])


def write_run_feedback(root: Path, intakes: Iterable[PartitionIntake]) -> list[Path]:
    """findings.html and findings.csv per new version of every partition, under
    <root>/<STATE>/<FY>/<GRANTEE_ID>/v<N>/, written as one batch.

    A version's findings are those of its own partition with its package key (the key is prefixed with the
    partition's place in the run, so partitions never share findings)."""
    targets: list[tuple[Path, dict, str]] = []
    findings: list[pl.DataFrame] = []
    for index, intake in enumerate(intakes):
        prefix = f"{index}|"
        findings.append(keyed_findings(intake.batch.findings, pl.lit(prefix) + pl.col(PACKAGE_KEY)))
        for package in intake.new_versions.iter_rows(named=True):
            folder = feedback_dir(
                root, package["state"], package["period"], package["grantee_id"], package["version"]
            )
            targets.append((folder, package, prefix + version_key(package)))
    return write_feedback_batch(
        targets, pl.concat(findings) if findings else pl.DataFrame(schema=BATCH_SCHEMA)
    )
