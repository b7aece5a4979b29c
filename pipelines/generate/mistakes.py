"""Realistic single mistakes a grantee makes, each carrying the rule id the pipeline should answer with.

A mistake changes one thing in an otherwise clean package. `applies` says whether the package has what
the mistake needs (a FIPS code cannot lose a leading zero it does not have; improved > respondents needs
an outcome row).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pipelines.contract import load_contract
from pipelines.generate.packages import Package
from pipelines.generate.population import state_frames

# Misspellings a grantee types instead of a listed code; tests check none of them is a contract code.
UNKNOWN_PROGRAM_TYPE = "dropin"
UNKNOWN_FUNDING_SOURCE = "block_grant"
UNKNOWN_COLUMN = "notes"
UNKNOWN_PROGRAM_ID = "YOUTH-99"


@dataclass(frozen=True)
class Mistake:
    name: str
    rule_id: str
    applies: Callable[[Package], bool]
    apply: Callable[[Package, random.Random], None]


def _rows(package: Package, table: str) -> list[dict]:
    sheet = package.tables.get(table)
    return sheet.rows if sheet else []


def _always(package: Package) -> bool:
    return True


def _text_in_number(package: Package, rng: random.Random) -> None:
    # A thousands separator where the total still has other amounts, so W01 cannot fire beside F02.
    funding = _rows(package, "funding")
    cells = [(r, "amount_usd") for r in funding if r["amount_usd"] >= 1000] if len(funding) > 1 else []
    cells += [
        (r, "participants_served") for r in _rows(package, "programs") if r["participants_served"] >= 1000
    ]
    if cells:
        row, column = rng.choice(cells)
        row[column] = f"{row[column]:,.0f}"
    else:
        row = rng.choice(_rows(package, "programs"))
        row["participants_served"] = f"about {row['participants_served']}"


def _missing_required(package: Package, rng: random.Random) -> None:
    table, column = rng.choice(
        [
            ("programs", "program_name"),
            ("organization", "year_founded"),
            ("organization", "organization_name"),
        ]
    )
    rng.choice(_rows(package, table))[column] = None


def _fips_cells(package: Package) -> list[dict]:
    return [
        r for t in ("organization", "programs") for r in _rows(package, t) if r["county_fips"].startswith("0")
    ]


def _fips_lost_zero(package: Package, rng: random.Random) -> None:
    row = rng.choice(_fips_cells(package))
    # An int is what a spreadsheet keeps once it has read 06037 as a number.
    row["county_fips"] = int(row["county_fips"])


def _unknown_code(package: Package, rng: random.Random) -> None:
    drop_ins = [r for r in _rows(package, "programs") if r["program_type"] == "drop_in_center"]
    if drop_ins:
        rng.choice(drop_ins)["program_type"] = UNKNOWN_PROGRAM_TYPE
    else:
        rng.choice(_rows(package, "funding"))["funding_source"] = UNKNOWN_FUNDING_SOURCE


def _improved_over_respondents(package: Package, rng: random.Random) -> None:
    row = rng.choice(_rows(package, "outcomes"))
    row["improved"] = row["respondents"] + rng.randint(1, 12)


def _duplicate_program_id(package: Package, rng: random.Random) -> None:
    programs = _rows(package, "programs")
    # The same program pasted twice, once with a corrected name.
    copy = dict(rng.choice(programs))
    copy["program_name"] = f"{copy['program_name']} (2)"[:200]
    programs.append(copy)


def _funding_unknown_program(package: Package, rng: random.Random) -> None:
    rng.choice(_rows(package, "funding"))["program_id"] = UNKNOWN_PROGRAM_ID


def _county_other_state(package: Package, rng: random.Random) -> None:
    others = [f for code, f in state_frames().items() if code != package.state]
    county = rng.choice(others).draw_county(rng)
    rng.choice(_rows(package, "programs"))["county_fips"] = county.fips


def _other_without_description(package: Package, rng: random.Random) -> None:
    other = next(c for c in load_contract().code_values("program_type") if c == "other")
    row = rng.choice(_rows(package, "programs"))
    row["program_type"], row["program_type_other"] = other, None


def _lived_over_board(package: Package, rng: random.Random) -> None:
    org = _rows(package, "organization")[0]
    org["board_members_lived_experience"] = org["board_members_total"] + rng.randint(1, 3)


def _wrong_period(package: Package, rng: random.Random) -> None:
    # Last year's form sent again with only the numbers updated.
    org = _rows(package, "organization")[0]
    org["reporting_period"] = f"FY{int(package.period[2:]) - 1}"


def _hours_per_month(package: Package, rng: random.Random) -> None:
    # Hours per month typed where hours per week belong: more hours than a week has.
    most = int(load_contract().tables["programs"].column("hours_per_week").max)
    rng.choice(_rows(package, "programs"))["hours_per_week"] = Decimal(rng.randint(most + 1, most * 4 + 48))


def _has_hours(package: Package) -> bool:
    return "hours_per_week" in package.tables["programs"].columns


def _extra_column(package: Package, rng: random.Random) -> None:
    programs = package.tables["programs"]
    programs.columns.append(UNKNOWN_COLUMN)
    for row in programs.rows:
        row[UNKNOWN_COLUMN] = None
    rng.choice(programs.rows)[UNKNOWN_COLUMN] = "moved to new building in March"


MISTAKES: tuple[Mistake, ...] = (
    Mistake("text_in_number", "F02", _always, _text_in_number),
    Mistake("missing_required", "F01", _always, _missing_required),
    Mistake("fips_lost_leading_zero", "F05", lambda p: bool(_fips_cells(p)), _fips_lost_zero),
    Mistake("unknown_code", "F03", _always, _unknown_code),
    Mistake(
        "improved_over_respondents", "X06", lambda p: bool(_rows(p, "outcomes")), _improved_over_respondents
    ),
    Mistake("duplicate_program_id", "X03", _always, _duplicate_program_id),
    Mistake("funding_unknown_program", "X04", _always, _funding_unknown_program),
    Mistake("county_of_other_state", "X05", _always, _county_other_state),
    Mistake("other_without_description", "X07", _always, _other_without_description),
    Mistake("lived_experience_over_board", "X06", _always, _lived_over_board),
    Mistake("wrong_reporting_period", "P05", _always, _wrong_period),
    Mistake("hours_per_month_as_week", "F04", _has_hours, _hours_per_month),
    Mistake("unknown_extra_column", "W05", _always, _extra_column),
)
BY_NAME = {m.name: m for m in MISTAKES}


def pick_mistake(package: Package, rng: random.Random, error_rate: float) -> Mistake | None:
    """With probability error_rate, one mistake that fits the package (uniform among those that fit)."""
    if rng.random() >= error_rate:
        return None
    return rng.choice([m for m in MISTAKES if m.applies(package)])


def inject(package: Package, mistake: Mistake, rng: random.Random) -> Package:
    """A copy of the package carrying the mistake; the clean package is left as it was."""
    broken = package.copy()
    mistake.apply(broken, rng)
    return broken
