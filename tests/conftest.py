"""Suite-wide safety: no test writes into the repo's ./data or reads the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_SESSION_HOME = Path(os.environ.get("PYTEST_LANDSCAPE_HOME", "/tmp")) / f"landscape-pytest-{os.getpid()}"
os.environ.setdefault("LANDSCAPE_HOME", str(_SESSION_HOME))
os.environ.setdefault("LANDSCAPE_LANDING", str(_SESSION_HOME / "landing"))
os.environ.setdefault("DAGSTER_HOME", str(_SESSION_HOME / "dagster"))


@pytest.fixture
def landscape_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh LANDSCAPE_HOME (with landing/ inside) for one test."""
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    monkeypatch.setenv("LANDSCAPE_HOME", str(home))
    monkeypatch.setenv("LANDSCAPE_LANDING", str(home / "landing"))
    return home
