"""The UI on the PostgreSQL instance: a backfill of two partitions launched through its GraphQL API is run by
the daemon, and the UI lists the backfill's runs from PostgreSQL."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.execution.backfill import BulkActionStatus

from pipelines.defs.automation.jobs import INGEST_ASSETS
from pipelines.defs.partitions import period_partitions
from pipelines.paths import PROJECT_ROOT
from tests.deploy.conftest import BIN, daemon_args, instance_for, small_landing, wait_for
from tests.ops.test_webserver import _free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}
"""
BACKFILL_RUNS = """
query($backfill: String!) {
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $backfill}]}) {
    ... on Runs { results { runId status } }
  }
}
"""
ASSET_NODES = "{ assetNodes { assetKey { path } } }"


def graphql(base: str, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def answers(base: str) -> bool:
    try:
        return bool(graphql(base, ASSET_NODES)["assetNodes"])
    except OSError:
        return False


def test_backfill_launched_from_the_ui_runs_under_the_daemon_and_the_ui_lists_its_runs(
    deployment, start_process
):
    landing = Path(deployment["LANDSCAPE_LANDING"])
    small_landing(landing, ["VT", "NH"], ["FY2026"])
    # Packages never quiet: the landing sensor leaves them to the backfill.
    env = {**deployment, "LANDSCAPE_QUIET_SECONDS": str(10**9)}
    instance = instance_for(env)
    instance.add_dynamic_partitions(period_partitions.name, ["FY2026"])
    port = _free_port()
    start_process(
        [str(BIN / "dagster-webserver"), "-w", str(PROJECT_ROOT / "workspace.yaml"), "-p", str(port)],
        env,
        "webserver",
    )
    start_process(daemon_args(), env, "daemon")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: answers(base), 600, "the UI serving the code location", interval=2)

    launched = graphql(
        base,
        LAUNCH_BACKFILL,
        {
            "params": {
                "assetSelection": [{"path": key.path} for key in INGEST_ASSETS],
                "partitionNames": ["FY2026|NH", "FY2026|VT"],
            }
        },
    )["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill_id = launched["backfillId"]

    def backfill_done():
        status = instance.get_backfill(backfill_id).status
        return status if status != BulkActionStatus.REQUESTED else None

    assert wait_for(backfill_done, 900, "the backfill finished") == BulkActionStatus.COMPLETED_SUCCESS
    runs = graphql(base, BACKFILL_RUNS, {"backfill": backfill_id})["runsOrError"]["results"]
    assert runs and {run["status"] for run in runs} == {"SUCCESS"}
    assert not instance.get_runs(dg.RunsFilter(job_name="ingest_partition"))  # the sensor took nothing
    warehouse = Path(deployment["LANDSCAPE_HOME"]) / "warehouse" / "landscape.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        states = con.sql("SELECT DISTINCT state FROM core.packages ORDER BY state").fetchall()
    assert states == [("NH",), ("VT",)]
