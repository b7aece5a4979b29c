"""Feedback files a recorded version lacks (a run interrupted between the load and the feedback), written
from what the warehouse recorded: found by what is missing, not by what is new."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipelines.feedback.batch import keyed_findings, write_feedback_batch
from pipelines.feedback.partition_feedback import feedback_dir, version_key
from pipelines.feedback.writer import FEEDBACK_FILES
from pipelines.validate.model import PACKAGE_KEY


def _folder(root: Path, row: dict) -> Path:
    return feedback_dir(root, row["state"], row["period"], row["grantee_id"], row["version"])


def versions_without_feedback(recorded: pl.DataFrame, root: Path) -> list[dict]:
    """Rows of `recorded` (one per package version) whose findings.html or findings.csv is missing."""
    return [
        row
        for row in recorded.iter_rows(named=True)
        if not all((_folder(root, row) / name).is_file() for name in FEEDBACK_FILES)
    ]


def complete_feedback(
    recorded: pl.DataFrame, findings_of: Callable[[list[str]], pl.DataFrame], root: Path
) -> list[Path]:
    """Write the feedback of every recorded version that lacks it, as one batch; findings_of(package keys)
    gives their findings (keyed by package_key)."""
    missing = versions_without_feedback(recorded, root)
    if not missing:
        return []
    targets = [(_folder(root, package), package, version_key(package)) for package in missing]
    findings = findings_of([key for _, _, key in targets])
    return write_feedback_batch(targets, keyed_findings(findings, pl.col(PACKAGE_KEY)))
