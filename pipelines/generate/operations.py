"""A grantee's operations: the programs it runs, the funding mix behind them and its staff by role."""

from __future__ import annotations

import random

from pipelines.generate import vocabulary as V
from pipelines.generate.draws import log_uniform, remote_settings, weighted
from pipelines.generate.plans import SMALL_PROGRAM_SHARE, TIERS, FundingPlan, Grantee, ProgramPlan, RolePlan
from pipelines.generate.population import StateFrame, place_name


def draw_programs(
    rng: random.Random, g: Grantee, frame: StateFrame, contract, n_periods: int
) -> list[ProgramPlan]:
    types = contract.code_values("program_type")
    weights = dict(V.PROGRAM_TYPE_WEIGHTS)
    if g.archetype == "other":
        for t in ("peer_counseling", "crisis_respite", "housing_support", "employment_support"):
            weights[t] = weights.get(t, V.DEFAULT_WEIGHT) * 2
    low, high = TIERS[g.tier][1]
    count = rng.randint(low, high)
    plans = []
    for seq in range(1, count + 1):
        ptype = weighted(rng, weights, types)
        plans.append(_program(rng, g, frame, ptype, seq, n_periods))
    # The core program runs every year: programs around it come and go, the grantee stays recognisable.
    plans[0].first_index, plans[0].last_index = 0, n_periods - 1
    return plans


def _program(
    rng: random.Random, g: Grantee, frame: StateFrame, ptype: str, seq: int, n_periods: int
) -> ProgramPlan:
    county = g.home if rng.random() < 0.65 else frame.draw_county(rng)
    remote = remote_settings()
    if remote and rng.random() < V.VIRTUAL_SHARE.get(ptype, 0.0):
        setting = remote[0]
    else:
        setting = county.urbanicity
    if rng.random() < SMALL_PROGRAM_SHARE:
        participants = rng.randint(1, 10)
    else:
        low, high = V.PARTICIPANTS_RANGE.get(ptype, V.DEFAULT_PARTICIPANTS)
        participants = max(1, round(log_uniform(rng, low, high) * TIERS[g.tier][3]))
    names = V.PROGRAM_NAMES.get(ptype, (ptype.replace("_", " ").title(),))
    name = rng.choice(names).format(place=place_name(county), word=rng.choice(V.NAME_WORDS))
    other = rng.choice(V.OTHER_DESCRIPTIONS) if ptype == "other" else None
    supports = {
        kind: rng.random() < probs.get(ptype, probs["_default"]) for kind, probs in V.SUPPORT_PROFILE.items()
    }
    hours_range = V.HOURS_RANGE.get(ptype, V.DEFAULT_HOURS)
    hours = round(rng.uniform(*hours_range) * 4) / 4
    contacts = (
        None
        if rng.random() < 0.12
        else rng.uniform(*V.CONTACTS_PER_PERSON.get(ptype, V.DEFAULT_CONTACTS_PER_PERSON))
    )
    first, last = 0, n_periods - 1
    if n_periods > 1 and rng.random() < 0.10:
        first = rng.randint(1, n_periods - 1)
    elif n_periods > 1 and rng.random() < 0.06:
        last = rng.randint(0, n_periods - 2)
    initials = "".join(part[0] for part in ptype.split("_")).upper()
    return ProgramPlan(
        f"{initials}-{seq}",
        name[:200],
        ptype,
        other,
        county,
        setting,
        participants,
        contacts,
        min(hours, 168.0),
        supports,
        first,
        last,
    )


def draw_funding(rng: random.Random, g: Grantee, contract, n_periods: int) -> list[FundingPlan]:
    sources = contract.code_values("funding_source")
    boost = {"medicaid": 2.0, "managed_care": 2.0, "fundraising": 0.5} if g.archetype == "other" else {}
    chosen = [
        s
        for s in sources
        if rng.random() < V.FUNDING_PREVALENCE.get(s, V.DEFAULT_PREVALENCE) * boost.get(s, 1)
    ]
    public = [s for s in ("mh_authority", "state_general_fund", "mhbg", "medicaid") if s in sources]
    if not any(s in public for s in chosen) and rng.random() < 0.85:
        chosen.insert(0, rng.choices(public, weights=[5, 3, 3, 2][: len(public)])[0])
    if not chosen:
        chosen = [rng.choice(sources)]
    plans = []
    for source in chosen:
        share = rng.uniform(*V.FUNDING_SIZE.get(source, V.DEFAULT_FUNDING_SIZE))
        targets = [p for p in g.programs if p.type in V.RESTRICTED_TO.get(source, ())]
        restrict_p = 0.35 if source == "foundation" else 0.7
        program = rng.choice(targets) if targets and rng.random() < restrict_p else None
        first, last = 0, n_periods - 1
        if program is not None:
            first, last = program.first_index, program.last_index
        elif n_periods > 1 and share < 1 and rng.random() < 0.1:
            first = rng.randint(1, n_periods - 1)
        plans.append(FundingPlan(source, share, program.program_id if program else None, first, last))
    total = sum(p.share for p in plans)
    for p in plans:
        p.share /= total
    return plans


def draw_roles(rng: random.Random, g: Grantee, contract) -> dict[str, RolePlan]:
    staff_share = next(c["staff_share"] for c in contract.peer_run["criteria"] if "staff_share" in c)
    multiplier = TIERS[g.tier][3]
    roles: dict[str, RolePlan] = {}
    for role in contract.code_values("role"):
        low, high = V.ROLE_HEADCOUNT.get(role, V.DEFAULT_ROLE_HEADCOUNT)
        if role == "executive_director":
            headcount = 1
        else:
            headcount = round(rng.uniform(low, high) * multiplier)
            if role == "other_staff" and g.archetype == "other":
                headcount += rng.randint(2, 8)
        if role == "executive_director":
            lived = int(g.director_lived)
        elif role in V.PEER_ROLES:
            lived = headcount
        elif g.archetype == "other":
            lived = round(headcount * rng.uniform(0, 0.2))
        else:
            lived = round(headcount * rng.uniform(0.3, 1.0))
        certified = None
        if role in V.PEER_ROLES:
            certified = round(headcount * rng.uniform(0.4, 0.95))
        elif role == "executive_director" and g.director_lived:
            certified = int(rng.random() < 0.4)
        fte = None if role == "volunteer" else rng.uniform(0.5, 1.0)
        roles[role] = RolePlan(headcount, lived, certified, fte)
    if "peer_specialist" in roles:
        roles["peer_specialist"].headcount = max(1, roles["peer_specialist"].headcount)
        roles["peer_specialist"].lived = roles["peer_specialist"].headcount
    _balance_staff(roles, g, staff_share)
    return roles


def _balance_staff(roles: dict[str, RolePlan], g: Grantee, staff_share: float) -> None:
    """Make paid staff's lived-experience share agree with the archetype (peer-staffed or not)."""
    paid = [r for name, r in roles.items() if name != "volunteer"]
    peer_staffed_wanted = g.archetype != "other"

    def share() -> float:
        total = sum(r.headcount for r in paid)
        return sum(r.lived for r in paid) / total if total else 0.0

    filler = roles.get("other_staff") or paid[-1]
    if peer_staffed_wanted:
        while share() < staff_share:
            for r in paid:
                if r.lived < r.headcount:
                    r.lived += 1
                    break
            else:
                break
    elif g.director_lived:
        while share() >= staff_share:
            filler.headcount += 1
