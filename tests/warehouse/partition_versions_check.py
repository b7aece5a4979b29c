"""core.partition_versions as the loads kept it, and as computed afresh from every version record: the one check
the warehouse tests and the fault drills both make of a home's partition fingerprints."""

from __future__ import annotations

import duckdb

from pipelines.warehouse.connection import query, record_all_partition_versions


def kept_partition_versions(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return query(con, "warehouse/partition_fingerprints").rows()


def recomputed_partition_versions(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The rows computed afresh from every version record (as for an older warehouse), in a transaction rolled
    back afterwards: the kept rows are left untouched."""
    con.begin()
    try:
        con.execute("DELETE FROM core.partition_versions")
        record_all_partition_versions(con)
        return kept_partition_versions(con)
    finally:
        con.rollback()
