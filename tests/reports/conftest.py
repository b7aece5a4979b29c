from __future__ import annotations

import pytest

from report_fixture import Fixture, build_fixture_warehouse


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory) -> Fixture:
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")
