"""One grantee's package for one period, built from its profile: tables of typed Python values.

Values keep their meaning until a writer spells them: str (text, codes, FIPS), int, Decimal (money,
hours, fte), bool (spelled with the grantee's own words), None (empty cell). A mistake may put a str
where a number belongs, or an int where a FIPS code belongs, exactly as a grantee would.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pipelines.contract import load_contract
from pipelines.generate import vocabulary as V
from pipelines.generate.draws import grantee_rng, independent_statuses
from pipelines.generate.plans import Grantee

W04_JUMP_SHARE = 0.004  # grantee-years whose funding jumps more than fivefold (a new major contract)
W04_JUMP = 6.5


@dataclass
class Sheet:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Package:
    grantee_id: str
    state: str
    period: str
    tables: dict[str, Sheet]

    def copy(self) -> Package:
        return Package(
            self.grantee_id,
            self.state,
            self.period,
            {n: Sheet(list(s.columns), [dict(r) for r in s.rows]) for n, s in self.tables.items()},
        )


@dataclass
class Drift:
    """What carries over from one period to the next: growth of people served, money and staff."""

    reach: float = 1.0
    money: float = 1.0
    source_growth: dict[str, float] = field(default_factory=dict)
    peer_specialists: int = 0
    board_extra: int = 0


def build_packages(seed: int, g: Grantee, periods: list[str]) -> dict[str, Package]:
    """The grantee's packages for the periods it is funded and actually reports, in period order."""
    drift = Drift(
        peer_specialists=g.roles["peer_specialist"].headcount if "peer_specialist" in g.roles else 0
    )
    packages = {}
    for index, period in enumerate(periods):
        rng = grantee_rng(seed, g.grantee_id, period)
        if index:
            _advance(rng, drift, g)
        if not _funded(g, period) or period in g.skipped_periods:
            continue
        packages[period] = build_package(rng, g, period, index, drift)
    return packages


def _funded(g: Grantee, period: str) -> bool:
    return g.first_period <= period and (g.last_period is None or period <= g.last_period)


def _advance(rng: random.Random, drift: Drift, g: Grantee) -> None:
    drift.reach *= rng.uniform(0.9, 1.15)
    drift.money *= W04_JUMP if rng.random() < W04_JUMP_SHARE else rng.uniform(0.95, 1.08)
    for plan in g.funding:
        drift.source_growth[plan.source] = drift.source_growth.get(plan.source, 1.0) * rng.uniform(0.92, 1.1)
    if rng.random() < 0.3:
        drift.peer_specialists = max(1, drift.peer_specialists + rng.choice((-1, 1)))
    if rng.random() < 0.15:
        drift.board_extra += 1


def _columns(table: str, g: Grantee) -> list[str]:
    return [c for c in load_contract().tables[table].column_names if (table, c) not in g.habits.omitted]


def build_package(rng: random.Random, g: Grantee, period: str, index: int, drift: Drift) -> Package:
    programs = [p for p in g.programs if p.first_index <= index <= p.last_index]
    tables = {
        "organization": Sheet(_columns("organization", g), [_organization(g, period, drift)]),
        "programs": Sheet(_columns("programs", g), [_program_row(rng, p, drift) for p in programs]),
        "funding": Sheet(
            _columns("funding", g), _funding_rows(g, index, drift, {p.program_id for p in programs})
        ),
        "workforce": Sheet(_columns("workforce", g), _workforce_rows(rng, g, drift)),
    }
    outcomes = _outcomes_state(rng, g)
    if outcomes != "absent":
        rows = _outcome_rows(rng, tables["programs"].rows) if outcomes == "rows" else []
        tables["outcomes"] = Sheet(_columns("outcomes", g), rows)
    if g.habits.blank_optional:
        _blank_optional(tables)
    return Package(g.grantee_id, g.state, period, tables)


def _blank_optional(tables: dict[str, Sheet]) -> None:
    """Empty every optional cell the contract lets a grantee leave empty: not a key column (an empty
    program_id is a key value of its own) and not one another value makes required."""
    contract = load_contract()
    for name, sheet in tables.items():
        table = contract.tables[name]
        keys = {c for key in table.unique for c in key}
        blank = [
            c.name for c in table.columns if not c.required and not c.required_when and c.name not in keys
        ]
        for row in sheet.rows:
            row.update(dict.fromkeys((c for c in blank if c in row), None))


def _organization(g: Grantee, period: str, drift: Drift) -> dict[str, Any]:
    board_total = min(100, g.board_total + drift.board_extra)
    # Peer-governed boards add members with lived experience; other boards add members without.
    board_lived = min(board_total, g.board_lived + (drift.board_extra if g.archetype == "peer_run" else 0))
    return {
        "grantee_id": g.grantee_id,
        "organization_name": g.organization_name,
        "state": g.state,
        "reporting_period": period,
        "county_fips": g.home.fips,
        "year_founded": g.year_founded,
        "legal_status": g.legal_status,
        "autonomous": g.autonomous,
        "accountable": g.accountable,
        "board_members_total": board_total,
        "board_members_lived_experience": board_lived,
        "director_lived_experience": g.director_lived,
        "cultural_focus": g.cultural_focus,
    }


def _program_row(rng: random.Random, p, drift: Drift) -> dict[str, Any]:
    served = max(1, round(p.participants * drift.reach * rng.uniform(0.9, 1.1)))
    if p.participants <= 10:
        served = max(1, min(10, served))
    new = None if rng.random() < 0.1 else rng.randint(math.ceil(served * 0.3), served)
    contacts = None
    if p.contacts_per_person is not None:
        contacts = max(served, round(served * p.contacts_per_person * rng.uniform(0.9, 1.1)))
    row = {
        "program_id": p.program_id,
        "program_name": p.name,
        "program_type": p.type,
        "program_type_other": p.other_description,
        "county_fips": p.county.fips,
        "setting": p.setting,
        "participants_served": served,
        "new_participants": new,
        "contacts": contacts,
        "hours_per_week": _decimal(p.hours, 2),
    }
    for kind, offered in p.supports.items():
        row[f"{kind}_support"] = offered
    return row


def _decimal(value: float | None, places: int) -> Decimal | None:
    if value is None:
        return None
    # Through text so 20.0 is written 20 and 37.50 is written 37.5, as a person would.
    return Decimal(f"{value:.{places}f}".rstrip("0").rstrip("."))


def _money(amount: float, cents: bool) -> Decimal:
    if cents:
        return Decimal(f"{amount:.2f}")
    step = 1000 if amount >= 20_000 else 100 if amount >= 1_000 else 1
    return Decimal(max(step, round(amount / step) * step))


def _funding_rows(g: Grantee, index: int, drift: Drift, active: set[str]) -> list[dict[str, Any]]:
    amounts: dict[tuple[str, str | None], float] = {}
    for plan in g.funding:
        if not plan.first_index <= index <= plan.last_index:
            continue
        # Money restricted to a program that is not running this year is reported as general operating.
        program = plan.program_id if plan.program_id in active else None
        amount = g.budget * plan.share * drift.money * drift.source_growth.get(plan.source, 1.0)
        amounts[(plan.source, program)] = amounts.get((plan.source, program), 0.0) + amount
    if not amounts:
        biggest = max(g.funding, key=lambda p: p.share)
        amounts[(biggest.source, None)] = g.budget * drift.money
    return [
        {"funding_source": s, "amount_usd": _money(a, g.habits.cents), "program_id": pid}
        for (s, pid), a in amounts.items()
    ]


def _workforce_rows(rng: random.Random, g: Grantee, drift: Drift) -> list[dict[str, Any]]:
    rows = []
    for role, plan in g.roles.items():
        headcount, lived, certified = plan.headcount, plan.lived, plan.certified
        if role == "peer_specialist":
            headcount = lived = drift.peer_specialists
            if certified is not None:
                certified = min(certified, headcount)
        if headcount == 0 and rng.random() < 0.7:
            continue
        fte = None if plan.fte_ratio is None else _decimal(headcount * plan.fte_ratio, 1)
        rows.append(
            {
                "role": role,
                "headcount": headcount,
                "fte": fte,
                "lived_experience_count": lived,
                "certified_count": certified,
            }
        )
    return rows


def _outcomes_state(rng: random.Random, g: Grantee) -> str:
    if g.habits.outcomes == "rows" and rng.random() < 0.04:
        return "header_only"
    return g.habits.outcomes


def _outcome_rows(rng: random.Random, programs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    measures = load_contract().code_values("measure")
    chosen: list[str] = []
    for _ in range(rng.randint(1, 4)):
        m = rng.choices(measures, weights=[V.MEASURE_WEIGHTS.get(c, V.DEFAULT_WEIGHT) for c in measures])[0]
        if m not in chosen:
            chosen.append(m)
    total = sum(p["participants_served"] for p in programs)
    scopes: list[tuple[str | None, int]] = [(None, total)]
    if rng.random() < 0.4:
        scopes = [
            (p["program_id"], p["participants_served"]) for p in rng.sample(programs, min(2, len(programs)))
        ]
    rows = []
    for measure in chosen:
        for program_id, served in scopes:
            respondents = rng.randint(max(1, served // 5), max(1, round(served * 0.7)))
            improved = round(respondents * rng.uniform(0.35, 0.85))
            rows.append(
                {
                    "measure": measure,
                    "program_id": program_id,
                    "respondents": respondents,
                    "improved": improved,
                }
            )
    return rows


def peer_class(package: Package) -> str:
    """The contract's peer-run classification of a package (peer_run | peer_partnered | other)."""
    contract = load_contract()
    criteria = {c["name"]: c for c in contract.peer_run["criteria"]}
    org = package.tables["organization"].rows[0]
    board, lived = org["board_members_total"], org["board_members_lived_experience"]
    paid = [r for r in package.tables["workforce"].rows if r["role"] != "volunteer"]
    paid_total = sum(r["headcount"] for r in paid)
    peer_staffed = (
        bool(org["director_lived_experience"])
        and paid_total > 0
        and (
            sum(r["lived_experience_count"] for r in paid)
            >= criteria["peer_staffed"]["staff_share"] * paid_total
        )
    )
    all_five = (
        org["legal_status"] in independent_statuses()
        and org["autonomous"]
        and org["accountable"]
        and board > 0
        and lived >= criteria["consumer_governed"]["board_share"] * board
        and peer_staffed
    )
    classes = [c["code"] for c in contract.peer_run["classes"]]
    return classes[0] if all_five else classes[1] if peer_staffed else classes[2]
