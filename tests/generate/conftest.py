"""Generated landing trees shared by the generator tests (written once per session under tmp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.generate import GenerationManifest, generate_landing

# Four states: two with a leading-zero state FIPS (CA 06, CT 09) so every mistake can occur.
FEW_STATES = ["CA", "CT", "NY", "VT"]


@pytest.fixture(scope="session")
def few_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationManifest]:
    """A small tree with many mistakes (60 %), so each kind of mistake appears."""
    out = tmp_path_factory.mktemp("few") / "landing"
    return out, generate_landing(out, seed=11, scale=0.08, error_rate=0.6, states=FEW_STATES)


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationManifest]:
    """All 50 states + DC at a tiny scale with the default error rate."""
    out = tmp_path_factory.mktemp("national") / "landing"
    return out, generate_landing(out, scale=0.01)
