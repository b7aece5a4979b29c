"""The deployment files say what runs: the PostgreSQL instance config is valid Dagster 1.13 config, the systemd
units start real entry points with options those accept, the environment files read the same in a shell and
in systemd, and the Helm values mount the landing folder and LANDSCAPE_HOME and state the one-writer rule."""

from __future__ import annotations

import configparser
import importlib.util
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from pipelines.defs.partitions import WRITER_POOL
from pipelines.paths import PROJECT_ROOT
from tests.deploy.conftest import BIN, POSTGRES_YAML

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALL_ROOT = "/opt/peer-landscape"
LOCATION = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["dg"]["project"][
    "code_location_name"
]


def test_postgres_instance_config_is_valid_and_sets_queue_pool_and_monitoring(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/landscape")
    (tmp_path / "dagster.yaml").write_bytes(POSTGRES_YAML.read_bytes())
    config, _ = dagster_instance_config(str(tmp_path))  # Dagster's own schema: unknown keys fail here

    assert config["storage"]["postgres"]["postgres_url"] == {"env": "DAGSTER_POSTGRES_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}
    embedded = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    assert embedded["concurrency"]["pools"]["default_limit"] == 1  # the same one-writer rule as the default
    monitoring = config["run_monitoring"]
    assert monitoring["enabled"] is True
    # A dead run's slot is freed by the first poll after free_slots_after_run_end_seconds: within a minute.
    assert monitoring["free_slots_after_run_end_seconds"] + monitoring["poll_interval_seconds"] < 60
    assert WRITER_POOL in POSTGRES_YAML.read_text()
    assert not (DEPLOY / "dagster-postgres.yaml").exists()  # the older, partial file is gone


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


def _in_repo(path: str) -> Path:
    assert path.startswith(INSTALL_ROOT + "/"), path
    return PROJECT_ROOT / path.removeprefix(INSTALL_ROOT + "/")


def test_three_systemd_units_share_one_environment_file():
    assert {u.name for u in UNITS} == {
        "landscape-code-server.service",
        "landscape-webserver.service",
        "landscape-daemon.service",
    }
    files = {_unit(u)["Service"]["EnvironmentFile"] for u in UNITS}
    assert files == {"/etc/peer-landscape/landscape.env"}
    for unit in UNITS:
        assert _unit(unit)["Service"]["WorkingDirectory"] == INSTALL_ROOT


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.stem)
def test_unit_starts_a_real_entry_point_with_options_it_accepts(unit):
    command = shlex.split(_unit(unit)["Service"]["ExecStart"])
    executable = _in_repo(command[0])
    assert executable.parent == PROJECT_ROOT / ".venv" / "bin"
    assert (BIN / executable.name).exists(), f"{executable.name} is not installed by uv sync"
    for flag, value in zip(command, command[1:], strict=False):
        if flag in ("--workspace", "-w"):
            assert _in_repo(value).is_file()
        if flag == "--module-name":
            assert importlib.util.find_spec(value) is not None
        if flag == "--location-name":
            assert value == LOCATION
    # Options are parsed before --help acts, so an unknown or misspelt option fails here.
    result = subprocess.run(
        [str(BIN / executable.name), *command[1:], "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_webserver_and_daemon_load_the_code_server_the_unit_starts():
    code_server = shlex.split(
        _unit(DEPLOY / "systemd" / "landscape-code-server.service")["Service"]["ExecStart"]
    )
    port = int(code_server[code_server.index("--port") + 1])
    [entry] = yaml.safe_load((DEPLOY / "systemd" / "workspace.yaml").read_text())["load_from"]
    assert entry["grpc_server"] == {"host": "127.0.0.1", "port": port, "location_name": LOCATION}


@pytest.mark.parametrize("name", ["national.env", "single-state.env"])
def test_environment_files_read_the_same_in_a_shell_and_in_systemd(name):
    """systemd's EnvironmentFile takes no trailing comments: a value would swallow them."""
    variables = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), line
        assert " #" not in value and "\t#" not in value, f"inline comment in {line!r}"
        variables[key] = value.strip('"')
    assert {"LANDSCAPE_HOME", "LANDSCAPE_LANDING", "DAGSTER_HOME", "DAGSTER_POSTGRES_URL"} <= set(variables)
    assert variables["DAGSTER_POSTGRES_URL"].startswith("postgresql://")


def test_helm_values_run_the_code_location_with_landing_and_home_volumes_and_state_one_writer():
    text = (DEPLOY / "kubernetes" / "values.yaml").read_text()
    values = yaml.safe_load(text)
    [deployment] = values["dagster-user-deployments"]["deployments"]
    args = deployment["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "pipelines.definitions"
    assert args[args.index("--location-name") + 1] == LOCATION
    env = {item["name"]: item["value"] for item in deployment["env"]}
    mounts = {m["name"]: m["mountPath"] for m in deployment["volumeMounts"]}
    assert mounts == {"landscape-home": env["LANDSCAPE_HOME"], "landing": env["LANDSCAPE_LANDING"]}
    assert {v["name"] for v in deployment["volumes"]} == set(mounts)
    assert deployment["includeConfigInLaunchedRuns"]["enabled"] is True  # run pods mount them too
    assert values["dagsterDaemon"]["runCoordinator"]["type"] == "QueuedRunCoordinator"
    assert values["dagsterDaemon"]["runMonitoring"]["enabled"] is True
    assert values["concurrency"]["pools"]["defaultLimit"] == 1
    assert "ONE WRITER" in text and f"concurrency set {WRITER_POOL} 1" in text
