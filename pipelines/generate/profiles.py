"""A grantee's lasting traits drawn: organization, governance and reporting habits, then its programs,
funding mix and staff (operations.py), as the plans of plans.py.

Everything here is drawn once per grantee from its own seeded random.Random, so a grantee looks the same
whichever other states or grantees are generated beside it; packages.py turns a profile into one
package per period, letting programs, money and staff drift a little from year to year.
"""

from __future__ import annotations

import math
import random

from pipelines.contract import load_contract
from pipelines.generate import vocabulary as V
from pipelines.generate.draws import grantee_rng, independent_statuses, log_uniform
from pipelines.generate.operations import draw_funding, draw_programs, draw_roles
from pipelines.generate.plans import (
    ARCHETYPE_WEIGHTS,
    BLANK_OPTIONAL_SHARE,
    TIERS,
    XLSX_SHARE,
    Grantee,
    Habits,
)
from pipelines.generate.population import StateFrame, place_name


def make_grantee(
    seed: int,
    grantee_id: str,
    frame: StateFrame,
    first_period: str,
    last_period: str | None,
    periods: list[str],
) -> Grantee:
    rng = grantee_rng(seed, grantee_id, "profile")
    contract = load_contract()
    archetype = rng.choices(list(ARCHETYPE_WEIGHTS), weights=list(ARCHETYPE_WEIGHTS.values()))[0]
    tier = rng.choices(list(TIERS), weights=[t[0] for t in TIERS.values()])[0]
    home = frame.draw_county(rng)
    first_year = int(first_period[2:])
    founded_low = 1950 if archetype == "other" else 1975
    year_founded = rng.randint(min(founded_low, first_year), first_year)
    g = Grantee(
        grantee_id=grantee_id,
        state=frame.code,
        organization_name="",
        archetype=archetype,
        tier=tier,
        home=home,
        year_founded=year_founded,
        legal_status="",
        autonomous=True,
        accountable=True,
        board_total=0,
        board_lived=0,
        director_lived=True,
        cultural_focus=None,
        first_period=first_period,
        last_period=last_period,
        budget=log_uniform(rng, *TIERS[tier][2]),
    )
    _governance(rng, g, contract)
    g.organization_name = organization_name(rng, g, frame)
    if rng.random() < 0.12:
        g.cultural_focus = rng.choice(V.CULTURAL_FOCUS)
    g.programs = draw_programs(rng, g, frame, contract, len(periods))
    g.funding = draw_funding(rng, g, contract, len(periods))
    g.roles = draw_roles(rng, g, contract)
    g.habits = _habits(rng, contract)
    g.skipped_periods = frozenset(p for p in periods if rng.random() < 0.02)
    # Drawn from its own stream so the grantees generated before this habit existed stay as they were.
    g.habits.blank_optional = grantee_rng(seed, grantee_id, "blank_optional").random() < BLANK_OPTIONAL_SHARE
    return g


def organization_name(rng: random.Random, g: Grantee, frame: StateFrame) -> str:
    place = rng.choice([place_name(g.home), frame.name])
    if g.legal_status == "government_unit":
        pattern = rng.choice(V.GOVERNMENT_NAMES)
    elif g.archetype == "other":
        pattern = rng.choice(V.HYBRID_NAMES)
    else:
        pattern = rng.choice(V.PEER_RUN_NAMES)
    return pattern.format(place=place, word=rng.choice(V.NAME_WORDS))[:200]


def _governance(rng: random.Random, g: Grantee, contract) -> None:
    """Legal form, board and director so the grantee lands in its archetype's peer-run class."""
    share = next(c["board_share"] for c in contract.peer_run["criteria"] if "board_share" in c)
    statuses = contract.code_values("legal_status")
    independent = [s for s in statuses if s in independent_statuses()]
    dependent = [s for s in statuses if s not in independent]
    g.board_total = rng.randint(5, 15)
    governed = rng.randint(math.ceil(share * g.board_total), g.board_total)
    g.board_lived = governed
    if g.archetype == "peer_run":
        g.legal_status = rng.choices(independent, weights=[0.88, 0.12][: len(independent)])[0]
        return
    if g.archetype == "peer_partnered":
        g.legal_status = rng.choices(independent, weights=[0.88, 0.12][: len(independent)])[0]
        failing = rng.choice(["independent", "consumer_governed", "autonomous", "accountable"])
        if failing == "independent":
            g.legal_status = (
                "program_of_larger_agency" if "program_of_larger_agency" in dependent else dependent[0]
            )
        elif failing == "consumer_governed":
            g.board_lived = rng.randint(0, math.ceil(share * g.board_total) - 1)
        elif failing == "autonomous":
            g.autonomous = False
        else:
            g.accountable = False
        return
    weights = {"program_of_larger_agency": 0.5, "government_unit": 0.1, "other": 0.05}
    g.legal_status = rng.choices(
        statuses, weights=[weights.get(s, 0.35 / max(1, len(independent))) for s in statuses]
    )[0]
    g.board_total = rng.randint(7, 20)
    g.board_lived = rng.randint(0, min(3, g.board_total))
    g.director_lived = rng.random() < 0.25
    g.autonomous = rng.random() < 0.5
    g.accountable = rng.random() < 0.6


def _habits(rng: random.Random, contract) -> Habits:
    trues, falses = contract.bool_values[True], contract.bool_values[False]
    words = rng.choices(list(zip(trues, falses, strict=False)), weights=[5, 3, 1, 1][: len(trues)])[0]
    case = rng.choices([str.lower, str.title, str.upper], weights=[6, 3, 1])[0]
    omitted: set[tuple[str, str]] = set()
    optional = {
        t.name: [c.name for c in t.columns if not c.required and not c.required_when]
        for t in contract.tables.values()
    }
    if rng.random() < 0.2:
        omitted |= {
            ("programs", c)
            for c in optional.get("programs", [])
            if c.endswith("_support") or c == "hours_per_week"
        }
    if rng.random() < 0.1:
        omitted |= {("workforce", c) for c in optional.get("workforce", [])}
    if rng.random() < 0.3:
        omitted |= {("organization", c) for c in optional.get("organization", [])}
    outcomes = rng.choices(["rows", "header_only", "absent"], weights=[0.72, 0.12, 0.16])[0]
    return Habits(
        kind="xlsx" if rng.random() < XLSX_SHARE else "csv",
        bool_words=(case(words[0]), case(words[1])),
        bom=rng.random() < 0.15,
        title_case_sheets=rng.random() < 0.1,
        omitted=frozenset(omitted),
        cents=rng.random() < 0.4,
        outcomes=outcomes,
    )
