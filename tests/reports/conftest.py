from __future__ import annotations

import pytest
from report_fixture import Fixture, build_fixture_warehouse


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory) -> Fixture:
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def built_site(fixture_warehouse, tmp_path_factory):
    from pipelines.reports.site import build_site

    out = tmp_path_factory.mktemp("site")
    return build_site(fixture_warehouse.path, out, run_id="test-run-42")
