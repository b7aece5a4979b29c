"""The Dagster UI serves the code location: asset graph, asset checks, schedules and sensors over GraphQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.paths import PROJECT_ROOT

QUERY = """
{
  assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } }
  repositoriesOrError { ... on RepositoryConnection { nodes { name schedules { name } sensors { name } } } }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, query: str) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def webserver(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster"), "LANDSCAPE_HOME": str(tmp_path / "home")}
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_bytes((PROJECT_ROOT / "dagster.yaml").read_bytes())
    bin_dir = Path(sys.executable).parent
    process = subprocess.Popen(
        [
            str(bin_dir / "dagster-webserver"),
            "-w",
            str(PROJECT_ROOT / "workspace.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("dagster-webserver exited during start-up")
                time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not answer within 120 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.slow
def test_ui_serves_assets_checks_schedules_and_sensors(webserver):
    data = {}
    for _ in range(60):  # the code location loads in a subprocess after the server answers
        data = _post(f"{webserver}/graphql", QUERY).get("data") or {}
        if data.get("assetNodes"):
            break
        time.sleep(1)
    assets = {"/".join(node["assetKey"]["path"]) for node in data["assetNodes"]}
    assert {
        "package_versions",
        "validated_packages",
        "warehouse_partition",
        "marts",
        "published_warehouse",
        "landscape_reports",
    } <= assets
    checks = {c["name"] for node in data["assetNodes"] for c in node["assetChecksOrError"].get("checks", [])}
    assert "column_rules_hold_in_gx" in checks
    [repo] = data["repositoriesOrError"]["nodes"]
    assert {s["name"] for s in repo["schedules"]} == {"nightly_ingest", "report_refresh"}
    assert {"landing_sensor", "refresh_after_ingest", "alert_on_run_failure"} <= {
        s["name"] for s in repo["sensors"]
    }
