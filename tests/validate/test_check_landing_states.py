"""`landscape check` reads <STATE>/<FY>/ folders as the landing scan does: only the 50 states, DC and PR."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.validate.package_check import derive_context


def test_state_folders_of_the_landing_tree_give_state_and_period():
    ctx, findings = derive_context(Path("/x/PR/FY2025/PR-0001"), None, None, date(2026, 11, 26))
    assert (ctx.state, ctx.period, findings) == ("PR", "FY2025", [])


def test_a_territory_folder_is_not_a_landing_state_folder():
    # GU is a USPS code but has no county reference data, so the landing scan logs GU/ and never takes it;
    # check does not pretend otherwise: the period comes from the package (or today), not the folder.
    ctx, _ = derive_context(Path("/x/GU/FY2025/NY-0001"), None, None, date(2026, 11, 26))
    assert (ctx.state, ctx.period) == ("NY", "FY2027")
