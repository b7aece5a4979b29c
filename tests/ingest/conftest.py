"""Fixtures for the ingest tests; the builders that write packages live in tests/ingest/builders.py."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    """Where a CSV-folder package for NY-0042, FY2025 would land (not yet created)."""
    return tmp_path / "landing" / "NY" / "FY2025" / "NY-0042"


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return tmp_path / "landing" / "NY" / "FY2025" / "NY-0042.xlsx"
