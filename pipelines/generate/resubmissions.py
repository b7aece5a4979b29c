"""Wave 2 and later: the packages grantees send again, overwritten in place in a tree made by generate_landing.

Fixes of rejected packages, corrections of accepted ones and byte-identical re-sends, each with a later
modification time, so that a second run takes them as new versions.
"""

from __future__ import annotations

import random
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.generate.draws import grantee_rng
from pipelines.generate.landing import (
    DEFAULT_PERIODS,
    Delivery,
    deliveries,
    delivery_time,
    normalise_periods,
    normalise_states,
    population,
    resend_unchanged,
    roster_time,
    touch_folders,
    write_delivery,
)
from pipelines.generate.manifest import GenerationManifest, ManifestPackage
from pipelines.generate.packages import Package

FIX_SHARE = {"error": 0.7, "warning": 0.3}  # mistaken packages resent fixed in wave 2
CORRECTION_SHARE = 0.01  # clean packages resent with a corrected figure
IDENTICAL_SHARE = 0.005  # clean packages resent unchanged


def _resubmission(seed: int, d: Delivery, wave: int) -> tuple[str, Package] | None:
    """What, if anything, the grantee sends again for this period, and its content."""
    rng = grantee_rng(seed, d.clean.grantee_id, d.clean.period, f"resubmission{wave}")
    roll = rng.random()
    if d.mistake is not None:
        severity = load_contract().rules[d.mistake.rule_id].severity
        return ("fix", d.clean) if roll < FIX_SHARE[severity] else None
    if roll < CORRECTION_SHARE:
        return "correction", _corrected(d.clean, rng)
    if roll < CORRECTION_SHARE + IDENTICAL_SHARE:
        return "identical", d.clean
    return None


def _corrected(package: Package, rng: random.Random) -> Package:
    """The same package with one program's people served revised upward, still consistent."""
    fixed = package.copy()
    row = rng.choice(fixed.tables["programs"].rows)
    row["participants_served"] += max(1, round(row["participants_served"] * 0.1))
    if row.get("contacts") is not None:
        row["contacts"] = max(row["contacts"], row["participants_served"])
    return fixed


def generate_resubmissions(
    out: Path,
    seed: int = 7,
    periods: list[str] | tuple[str, ...] = DEFAULT_PERIODS,
    scale: float = 1.0,
    error_rate: float = 0.03,
    states: list[str] | None = None,
    wave: int = 2,
) -> GenerationManifest:
    """Overwrite, in a tree made by generate_landing with the same arguments, the packages resent later.

    Returns a manifest of the packages written in this wave only. Deterministic like generate_landing.
    """
    out = Path(out)
    periods, states = normalise_periods(periods), normalise_states(states)
    if wave < 2:
        raise ValueError("resubmissions start at wave 2; wave 1 is generate_landing")
    missing = [s for s in states if not (out / s / load_contract().raw["roster"]["file"]).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{out} has no generated tree for {', '.join(missing)}; generate wave 1 first"
        )
    manifest = GenerationManifest(
        seed=seed, periods=periods, scale=scale, error_rate=error_rate, states=states, wave=wave
    )
    for _state, grantees in population(seed, periods, scale, states).items():
        for d in deliveries(seed, grantees, periods, error_rate):
            resent = _resubmission(seed, d, wave)
            if resent is None:
                continue
            reason, package = resent
            mtime = delivery_time(seed, package.grantee_id, package.period, wave)
            if reason == "identical":
                entry = resend_unchanged(out, d, mtime)
            else:
                entry = write_delivery(out, d, package, mtime)
            manifest.packages.append(
                ManifestPackage(**{**entry.__dict__, "wave": wave, "resubmission": reason})
            )
    touch_folders(out, states, periods, roster_time(periods))
    return manifest
