"""landscape run only launches partitions whose landing content differs from what was received."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.identity import package_identity
from pipelines.ingest.landing import scan_landing
from pipelines.ingest.pending import pending_partitions
from tests.orchestration.package_builder import write_package

SCHEMA = {"grantee_id": pl.Utf8, "version": pl.Int64, "sha256": pl.Utf8, "source_path": pl.Utf8}


def test_only_partitions_with_unseen_content_are_pending(tmp_path):
    seen = write_package(tmp_path, "VT-0001", period="FY2025", mtime_s=100)
    write_package(tmp_path, "VT-0002", period="FY2026", mtime_s=100)
    write_package(tmp_path, "DE-0001", period="FY2026", county="10001", mtime_s=100)
    history = {
        ("VT", "FY2025"): pl.DataFrame(
            [("VT-0001", 1, package_identity(seen), str(seen))], schema=SCHEMA, orient="row"
        )
    }

    def history_of(state, period):
        return history.get((state, period), pl.DataFrame(schema=SCHEMA))

    scan = scan_landing(tmp_path)
    assert pending_partitions(scan, history_of) == [("FY2026", "DE"), ("FY2026", "VT")]
    assert pending_partitions(scan, history_of, frozenset({"VT"})) == [("FY2026", "VT")]
    write_package(tmp_path, "VT-0001", period="FY2025", amount="1")  # replaced in place
    assert ("FY2025", "VT") in pending_partitions(scan_landing(tmp_path), history_of)
