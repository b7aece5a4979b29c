"""The project-local Dagster instance: DAGSTER_HOME defaults to ./data/dagster with the repo's dagster.yaml."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from pipelines.paths import PROJECT_ROOT


def dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "data" / "dagster")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    return home


def project_instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()
