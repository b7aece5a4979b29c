"""Feedback files for every new package version of a partition."""

from __future__ import annotations

from pathlib import Path

from pipelines.feedback.writer import write_feedback
from pipelines.intake import PartitionIntake
from pipelines.validate.model import PACKAGE_KEY


def feedback_dir(root: Path, state: str, period: str, grantee_id: str, version: int) -> Path:
    return root / state / period / grantee_id / f"v{version}"


def write_partition_feedback(root: Path, intake: PartitionIntake) -> list[Path]:
    """findings.html and findings.csv per new version, under <root>/<STATE>/<FY>/<GRANTEE_ID>/v<N>/."""
    findings = intake.batch.findings
    by_package = findings.partition_by(PACKAGE_KEY, as_dict=True) if findings.height else {}
    empty = findings.clear()
    written: list[Path] = []
    for package in intake.new_versions.iter_rows(named=True):
        key = f"{package['grantee_id']}|{package['period']}|{package['version']}"
        own = by_package.get((key,), empty)
        target = feedback_dir(
            root, package["state"], package["period"], package["grantee_id"], package["version"]
        )
        written.extend(write_feedback(target, package, own))
    return written
