"""Generated landing trees shared by the generator tests (written once per session under tmp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.generate import GenerationManifest, generate_landing, generate_resubmissions
from tests.generate.trees import snapshot

# Four states: two with a leading-zero state FIPS (CA 06, CT 09) so every mistake can occur.
FEW_STATES = ["CA", "CT", "NY", "VT"]
WAVE_OPTIONS = dict(seed=5, scale=0.12, error_rate=0.3, states=["CT", "NY"])


@pytest.fixture(scope="session")
def few_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationManifest]:
    """A small tree with many mistakes (60 %), so each kind of mistake appears."""
    out = tmp_path_factory.mktemp("few") / "landing"
    return out, generate_landing(out, seed=11, scale=0.08, error_rate=0.6, states=FEW_STATES)


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationManifest]:
    """All 50 states, DC and PR at a tiny scale with the default error rate."""
    out = tmp_path_factory.mktemp("national") / "landing"
    return out, generate_landing(out, scale=0.01)


@pytest.fixture(scope="session")
def waves(tmp_path_factory: pytest.TempPathFactory):
    """A first wave, the tree as it was, the second wave (resubmissions) and the tree after it."""
    out = tmp_path_factory.mktemp("waves") / "landing"
    first = generate_landing(out, **WAVE_OPTIONS)
    before = snapshot(out)
    second = generate_resubmissions(out, wave=2, **WAVE_OPTIONS)
    return out, first, before, second, snapshot(out)
