"""Who exists: states and their counties (from reference/), and how many grantees each state has."""

from __future__ import annotations

import csv
import itertools
import random
from dataclasses import dataclass
from functools import cache

from pipelines.contract import load_contract
from pipelines.generate.vocabulary import COUNTY_SUFFIXES
from pipelines.paths import REFERENCE_DIR

NATIONAL_GRANTEES = 4000  # grantees across the 50 states, DC and PR at scale 1


@dataclass(frozen=True)
class County:
    fips: str
    state: str
    name: str
    population: int
    urbanicity: str


@dataclass(frozen=True)
class StateFrame:
    code: str
    name: str
    fips: str
    counties: tuple[County, ...]
    cum_weights: tuple[int, ...]

    @property
    def population(self) -> int:
        return self.cum_weights[-1]

    def draw_county(self, rng: random.Random) -> County:
        """A county drawn with probability proportional to its population."""
        return rng.choices(self.counties, cum_weights=self.cum_weights)[0]


def _read_csv(name: str) -> list[dict[str, str]]:
    # csv.DictReader keeps every value as text, so FIPS codes keep their leading zeros.
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def state_frames() -> dict[str, StateFrame]:
    """Every jurisdiction that has county reference data, keyed by USPS code."""
    known = set(load_contract().code_values("state"))
    states = {row["state"]: row for row in _read_csv("states.csv")}
    by_state: dict[str, list[County]] = {}
    for row in _read_csv("counties.csv"):
        by_state.setdefault(row["state"], []).append(
            County(
                row["county_fips"],
                row["state"],
                row["county_name"],
                int(row["population_2022"] or 0),
                row["urbanicity"],
            )
        )
    frames = {}
    for code, counties in sorted(by_state.items()):
        if code.lower() not in known:
            continue
        # max(1, ...) keeps a county with no population figure drawable at all.
        weights = tuple(itertools.accumulate(max(1, c.population) for c in counties))
        frames[code] = StateFrame(
            code, states[code]["state_name"], states[code]["state_fips"], tuple(counties), weights
        )
    return frames


@cache
def default_states() -> tuple[str, ...]:
    """Every jurisdiction a landing tree may hold: the 50 states, DC and Puerto Rico (the ones with county
    reference data). Puerto Rico has no population figure there, so it gets the smallest count."""
    frames = state_frames()
    return tuple(row["state"] for row in _read_csv("states.csv") if row["state"] in frames)


def grantee_counts(states: list[str] | tuple[str, ...], scale: float) -> dict[str, int]:
    """Grantees per state: proportional to population, NATIONAL_GRANTEES * scale across the default states.

    A state's count does not depend on which other states are generated; every state has at least one.
    """
    frames = state_frames()
    national = sum(frames[s].population for s in default_states())
    return {s: max(1, round(NATIONAL_GRANTEES * scale * frames[s].population / national)) for s in states}


def place_name(county: County) -> str:
    """'Kings County' -> 'Kings': the short form organizations put in their names."""
    for suffix in COUNTY_SUFFIXES:
        if county.name.endswith(suffix):
            return county.name[: -len(suffix)]
    return county.name
