"""What a grantee's profile is: its lasting traits as plans, and the shares they are drawn with.

profiles.py draws them (programs, funding and staff in operations.py); packages.py turns a profile into one
package per period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.generate.population import County

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
