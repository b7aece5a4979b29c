"""What became of a package version: the one status type shared by intake, validation, warehouse and reports."""

from __future__ import annotations

from enum import StrEnum


class PackageStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


STATUSES: tuple[str, ...] = tuple(status.value for status in PackageStatus)
