"""A failed report never throws away the work before it: marts and the analysts' copy are refreshed."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.resources import resources_for
from pipelines.orchestrate import run_everything
from tests.orchestration.package_builder import write_package


@pytest.mark.slow
def test_a_report_failure_leaves_marts_and_the_published_copy_refreshed(tmp_path, monkeypatch):
    from pipelines.defs.reports import assets as report_assets

    def breaks(*args, **kwargs):
        raise RuntimeError("simulated report failure")

    monkeypatch.setattr(report_assets, "build_site", breaks)
    landing = tmp_path / "landing"
    write_package(landing, "VT-0001")
    failures = []
    summary = run_everything(
        defs,
        dg.DagsterInstance.ephemeral(),
        resources_for(tmp_path / "home", landing),
        on_failure=lambda result, partition, message: failures.append(message),
    )
    phases = {p.name: p for p in summary.phases}
    assert phases["marts"].success and phases["publish"].success
    assert not phases["reports"].success and "simulated report failure" in phases["reports"].error
    assert not summary.success and failures == [phases["reports"].error]
    published = tmp_path / "home" / "analyst" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT grantees FROM marts.state_summary WHERE state = 'VT'").fetchall() == [(1,)]
