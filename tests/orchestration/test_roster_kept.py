"""A state's roster changes only when its roster file is read: a state folder that disappears (an unmounted
share, a cleaned folder) keeps its last roster, so its not-reported grantees stay in the reports."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.resources import resources_for
from pipelines.orchestrate import run_everything
from tests.orchestration.package_builder import write_package

ROSTER = (
    "grantee_id,organization_name,first_period,last_period\nVT-0001,Hope,FY2024,\nVT-0009,Quiet,FY2024,\n"
)


def _roster(home) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "landscape.duckdb"), read_only=True) as con:
        return con.execute("SELECT state, grantee_id FROM core.roster ORDER BY ALL").fetchall()


@pytest.mark.slow
def test_a_vanished_state_folder_keeps_its_last_roster(tmp_path):
    home, landing = tmp_path / "home", tmp_path / "landing"
    write_package(landing, "VT-0001")
    write_package(landing, "DE-0001", county="10001")
    (landing / "VT" / "roster.csv").write_text(ROSTER)
    instance = dg.DagsterInstance.ephemeral()
    assert run_everything(defs, instance, resources_for(home, landing)).success
    assert _roster(home) == [("VT", "VT-0001"), ("VT", "VT-0009")]
    assert (home / "archive" / "VT" / "roster" / "r1" / "roster.csv").read_text() == ROSTER
    shutil.rmtree(landing / "VT")
    assert run_everything(defs, instance, resources_for(home, landing)).success
    assert _roster(home) == [("VT", "VT-0001"), ("VT", "VT-0009")]
