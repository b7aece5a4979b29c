"""A grantee's lasting traits: organization, programs, funding mix, staff and reporting habits.

Everything here is drawn once per grantee from its own seeded random.Random, so a grantee looks the same
whichever other states or grantees are generated beside it; packages.py turns a profile into one
package per period, letting programs, money and staff drift a little from year to year.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.contract import load_contract
from pipelines.generate import vocabulary as V
from pipelines.generate.population import County, StateFrame, place_name, state_frames

ARCHETYPE_WEIGHTS = {"peer_run": 0.55, "peer_partnered": 0.18, "other": 0.27}
TIERS = {  # share of grantees, programs (low, high), budget USD (low, high), participant multiplier
    "small": (0.5, (1, 2), (40_000, 350_000), 0.35),
    "medium": (0.35, (2, 4), (300_000, 1_500_000), 1.0),
    "large": (0.15, (3, 7), (1_200_000, 9_000_000), 2.2),
}
XLSX_SHARE = 0.35
BLANK_OPTIONAL_SHARE = 0.05  # grantees who fill in only what the contract requires
SMALL_PROGRAM_SHARE = 0.07  # programs serving 1 to 10 people: small cells the publisher must hide
NAMED_ID_SHARE = 0.12  # grantees whose id is a word (TX-HOPE7) rather than a number (TX-0042)


@dataclass
class ProgramPlan:
    program_id: str
    name: str
    type: str
    other_description: str | None
    county: County
    setting: str
    participants: int
    contacts_per_person: float | None  # None: the grantee does not count contacts
    hours: float | None
    supports: dict[str, bool]
    first_index: int  # first and last period index (in the generated periods) the program runs
    last_index: int


@dataclass
class FundingPlan:
    source: str
    share: float
    program_id: str | None
    first_index: int
    last_index: int


@dataclass
class RolePlan:
    headcount: int
    lived: int
    certified: int | None
    fte_ratio: float | None


@dataclass
class Habits:
    """How a grantee fills in its package; the same every year."""

    kind: str  # csv | xlsx
    bool_words: tuple[str, str]  # spelling of true and false
    bom: bool
    title_case_sheets: bool
    omitted: frozenset[tuple[str, str]]  # optional columns left out entirely
    cents: bool  # amounts written with cents
    outcomes: str  # rows | header_only | absent
    blank_optional: bool = False  # every optional cell left empty (the columns are still there)


@dataclass
class Grantee:
    grantee_id: str
    state: str
    organization_name: str
    archetype: str
    tier: str
    home: County
    year_founded: int
    legal_status: str
    autonomous: bool
    accountable: bool
    board_total: int
    board_lived: int
    director_lived: bool
    cultural_focus: str | None
    first_period: str
    last_period: str | None
    budget: float
    programs: list[ProgramPlan] = field(default_factory=list)
    funding: list[FundingPlan] = field(default_factory=list)
    roles: dict[str, RolePlan] = field(default_factory=dict)
    habits: Habits | None = None
    skipped_periods: frozenset[str] = frozenset()  # periods on the roster with no package sent


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
    g.programs = _programs(rng, g, frame, contract, len(periods))
    g.funding = _funding(rng, g, contract, len(periods))
    g.roles = _roles(rng, g, contract)
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


def _programs(
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


def _funding(rng: random.Random, g: Grantee, contract, n_periods: int) -> list[FundingPlan]:
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


def _roles(rng: random.Random, g: Grantee, contract) -> dict[str, RolePlan]:
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
