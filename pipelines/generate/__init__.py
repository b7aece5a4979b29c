"""Synthetic landing trees for demos and tests: `generate_landing`, then `generate_resubmissions` per wave."""

from pipelines.generate.landing import DEFAULT_PERIODS, generate_landing, generate_resubmissions
from pipelines.generate.manifest import GenerationManifest, ManifestPackage
from pipelines.generate.mistakes import MISTAKES

__all__ = [
    "DEFAULT_PERIODS",
    "MISTAKES",
    "GenerationManifest",
    "ManifestPackage",
    "generate_landing",
    "generate_resubmissions",
]
