"""One partition's intake: find new package versions, archive them, read and validate them as one batch.

The step above ingest (files -> package reads) and validate (reads -> a validated batch); the Dagster
assets, feedback and the warehouse load use it. receive.py numbers and archives new versions;
validated.py reads them back from the archive and validates them together.
"""

from pipelines.intake.receive import (
    ReceivedPartition,
    planning_history,
    receive_partition,
    recorded_identities,
    unloaded_versions,
)
from pipelines.intake.validated import PartitionIntake, read_archived, validate_partition, validate_partitions

__all__ = [
    "PartitionIntake",
    "ReceivedPartition",
    "planning_history",
    "read_archived",
    "receive_partition",
    "recorded_identities",
    "unloaded_versions",
    "validate_partition",
    "validate_partitions",
]
