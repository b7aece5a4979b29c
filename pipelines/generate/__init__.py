"""Synthetic landing trees for demos and tests.

    generate_landing(out, seed=7, periods=("FY2024", "FY2025", "FY2026"), scale=1.0, error_rate=0.03, states=None)
        -> GenerationManifest   # wave 1: rosters + one package per funded grantee and period
    generate_resubmissions(out, <same arguments>, wave=2)
        -> GenerationManifest   # overwrites the packages resent later (fix | correction | identical)

Shell: `landscape generate --out DIR [--seed N] [--periods FY2024-FY2026] [--scale F] [--error-rate R]
[--states NY,VT] [--wave N] [--manifest FILE]` (pipelines/commands/generate.py). Same arguments give a
byte-identical tree with identical file times. The manifest lists every package written with its path
(relative to the landing root), grantee, period, kind (csv | xlsx), peer-run class, outcomes shape and the
injected mistake with the rule id it should draw (None for clean packages).
"""

from pipelines.generate.landing import DEFAULT_PERIODS, generate_landing
from pipelines.generate.manifest import GenerationManifest, ManifestPackage
from pipelines.generate.mistakes import MISTAKES
from pipelines.generate.resubmissions import generate_resubmissions

__all__ = [
    "DEFAULT_PERIODS",
    "MISTAKES",
    "GenerationManifest",
    "ManifestPackage",
    "generate_landing",
    "generate_resubmissions",
]
