"""What validation receives for each package of a batch and what it returns for the batch."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines.ingest.model import PackageRead

PACKAGE_KEY = "package_key"  # package_key(grantee_id, period, version): unique within a batch


KEY_SEPARATOR = "|"


def package_key(grantee_id: str, period: str, version: int) -> str:
    return KEY_SEPARATOR.join((grantee_id, period, str(version)))


def package_key_expr() -> pl.Expr:
    """package_key of every row of a frame with grantee_id, period and version columns."""
    parts = [pl.col("grantee_id"), pl.col("period"), pl.col("version").cast(pl.Utf8)]
    return pl.concat_str(parts, separator=KEY_SEPARATOR)


@dataclass(frozen=True)
class PackageContext:
    """Facts about a package that come from outside it: its path, roster and history."""

    grantee_id: str  # from the path
    state: str  # from the path
    period: str  # from the path
    version: int
    on_roster: bool | None = None  # None: the state has no roster.csv (P06 not applied)
    previous_period: str | None = None  # W04: most recent earlier period with an accepted current version
    previous_funding_total: float | None = None

    @property
    def key(self) -> str:
        return package_key(self.grantee_id, self.period, self.version)


@dataclass
class BatchInput:
    packages: list[tuple[PackageContext, PackageRead]]


@dataclass
class ValidatedBatch:
    """Result for a batch.

    packages: package_key, grantee_id, state, period, version, status ('accepted'|'rejected'),
              error_count, warning_count
    findings: package_key + FINDING_SCHEMA columns, one row per finding (capped per rule and package)
    tables:   table -> typed frame of every package in the batch (accepted and rejected), with
              package_key, row_number and the contract's columns typed: text/code -> Utf8 (codes lower-case),
              int -> Int64, decimal -> Decimal(18, 2), bool -> Boolean; a cell that failed its rule is null.
    """

    packages: pl.DataFrame
    findings: pl.DataFrame
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
