"""Seeded draws the profile uses, and the contract's codes they draw from.

Every grantee draws from its own random.Random (grantee_rng), so it looks the same whichever other states or
grantees are generated beside it.
"""

from __future__ import annotations

import math
import random
import re
from functools import cache

from pipelines.contract import load_contract
from pipelines.generate import vocabulary as V
from pipelines.generate.population import state_frames


def weighted(rng: random.Random, weights: dict[str, float], codes: tuple[str, ...]) -> str:
    """One contract code, drawn with the vocabulary's weight (default for codes it does not know)."""
    return rng.choices(codes, weights=[weights.get(c, V.DEFAULT_WEIGHT) for c in codes])[0]


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


@cache
def remote_settings() -> tuple[str, ...]:
    """Setting codes that are no county's urbanicity (virtual): delivery without a place."""
    places = {c.urbanicity for frame in state_frames().values() for c in frame.counties}
    return tuple(s for s in load_contract().code_values("setting") if s not in places)


@cache
def independent_statuses() -> tuple[str, ...]:
    """Legal statuses the contract's `independent` criterion names in its rule text."""
    contract = load_contract()
    rule = next(c["rule"] for c in contract.peer_run["criteria"] if c["name"] == "independent")
    return tuple(s for s in contract.code_values("legal_status") if re.search(rf"\b{s}\b", rule))


def grantee_rng(seed: int, grantee_id: str, *parts: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.seed, so it is stable across processes.
    return random.Random("/".join([str(seed), grantee_id, *parts]))
