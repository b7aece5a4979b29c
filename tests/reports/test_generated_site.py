"""The whole pipeline on generated data that includes Puerto Rico (no population in the reference data):
the site builds, every local link resolves, and PR's rates per resident are a dash with a footnote."""

from __future__ import annotations

import dagster as dg
import pytest
from link_checker import broken_links
from small_cell_checker import read_html_tables

from pipelines.definitions import defs
from pipelines.defs.resources import resources_for
from pipelines.generate import generate_landing
from pipelines.orchestrate import run_everything
from pipelines.reports.tables import NO_VALUE


@pytest.mark.slow
def test_a_generated_landing_with_puerto_rico_gives_a_complete_site(tmp_path):
    home, landing = tmp_path / "home", tmp_path / "landing"
    generate_landing(landing, seed=3, periods=["FY2025", "FY2026"], scale=0.05, states=["PR", "VT", "DE"])
    summary = run_everything(defs, dg.DagsterInstance.ephemeral(), resources_for(home, landing))
    assert summary.success, [p.error for p in summary.partitions if not p.success]
    site = home / "reports"
    assert (site / "states" / "PR.html").is_file() and (site / "methodology.html").is_file()
    assert broken_links(site) == []
    states = next(t for t in read_html_tables(site / "index.html") if t.slug == "states")
    pr = dict(zip(states.header, next(r for r in states.body if r[1] == "PR"), strict=True))
    assert pr["grantees_per_100k"] == NO_VALUE and pr["funding_per_resident"] == NO_VALUE
    assert "no population figure in the reference data" in (site / "index.html").read_text(encoding="utf-8")
