"""Generate a whole landing tree: wave 1, every grantee's first delivery of each period.

A landing tree holds one file per path, so a grantee's corrected package cannot sit beside the rejected
one. Resubmissions therefore come in waves: after the pipeline has run, `generate_resubmissions`
(resubmissions.py) overwrites a few packages in place with later modification times.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.generate.draws import grantee_rng
from pipelines.generate.manifest import GenerationManifest, ManifestPackage
from pipelines.generate.mistakes import Mistake, inject, pick_mistake
from pipelines.generate.packages import Package, build_packages, peer_class
from pipelines.generate.plans import NAMED_ID_SHARE, Grantee
from pipelines.generate.population import default_states, grantee_counts, state_frames
from pipelines.generate.profiles import make_grantee
from pipelines.generate.vocabulary import NAME_WORDS
from pipelines.generate.writers import touch, write_csv_folder, write_roster, write_xlsx

DEFAULT_PERIODS = ("FY2024", "FY2025", "FY2026")
LATE_STARTERS = 0.15  # funded from a later generated period
STOPPED = 0.08  # funding ended before the last generated period
FORMER = 0.03  # on the roster, funding ended before the first generated period
QUIET_STATE_SHARE = 0.1  # states where no grantee sends anything for one period (all stay on the roster)


@dataclass
class Delivery:
    """One package as it goes into the tree: its clean content, and what is actually written."""

    grantee: Grantee
    clean: Package
    written: Package
    mistake: Mistake | None


def normalise_periods(periods: list[str] | tuple[str, ...]) -> list[str]:
    pattern = load_contract().pattern("reporting_period")
    bad = [p for p in periods if not pattern.fullmatch(p)]
    if bad or not periods:
        raise ValueError(f"periods must look like FY2026; got {', '.join(bad) or 'none'}")
    return sorted(set(periods))


def normalise_states(states: list[str] | tuple[str, ...] | None) -> list[str]:
    if not states:
        return list(default_states())
    frames = state_frames()
    chosen = sorted({s.upper() for s in states})
    unknown = [s for s in chosen if s not in frames]
    if unknown:
        raise ValueError(f"unknown state code(s): {', '.join(unknown)}")
    return chosen


def _fy(year: int) -> str:
    return f"FY{year}"


def _named_id(rng: random.Random, state: str) -> str:
    word = "".join(ch for ch in rng.choice(NAME_WORDS).upper() if ch.isalpha())[:8]
    return f"{state}-{word}{rng.randint(1, 9)}"


def plan_state(seed: int, state: str, count: int, periods: list[str]) -> list[Grantee]:
    """The state's roster: `count` grantees funded in some generated period, plus a few former ones."""
    rng = random.Random(f"{seed}/{state}/roster")
    frame = state_frames()[state]
    first_year = int(periods[0][2:])
    grantees, taken = [], set()
    for number in range(1, count + round(count * FORMER) + 1):
        grantee_id = f"{state}-{number:04d}"
        if rng.random() < NAMED_ID_SHARE:
            named = _named_id(rng, state)
            grantee_id = named if named not in taken else grantee_id
        taken.add(grantee_id)
        first, last = _fy(first_year - rng.randint(0, 8)), None
        roll = rng.random()
        if number > count:
            last = _fy(first_year - rng.randint(1, 2))
            first = _fy(min(int(first[2:]), int(last[2:])))
        elif len(periods) > 1 and roll < LATE_STARTERS:
            first = rng.choice(periods[1:])
        elif len(periods) > 1 and roll < LATE_STARTERS + STOPPED:
            last = rng.choice(periods[:-1])
        grantees.append(make_grantee(seed, grantee_id, frame, first, last, periods))
    quiet = quiet_period(seed, state, periods)
    for g in grantees if quiet else ():
        g.skipped_periods = g.skipped_periods | {quiet}
    return grantees


def quiet_period(seed: int, state: str, periods: list[str]) -> str | None:
    """The period, if any, in which none of the state's grantees reports (its own stream of draws)."""
    rng = random.Random(f"{seed}/{state}/quiet")
    if len(periods) < 2 or rng.random() >= QUIET_STATE_SHARE:
        return None
    return rng.choice(periods)


def deliveries(
    seed: int, grantees: list[Grantee], periods: list[str], error_rate: float
) -> Iterator[Delivery]:
    for g in grantees:
        for period, clean in build_packages(seed, g, periods).items():
            rng = grantee_rng(seed, g.grantee_id, period, "mistake")
            mistake = pick_mistake(clean, rng, error_rate)
            written = inject(clean, mistake, rng) if mistake else clean
            yield Delivery(g, clean, written, mistake)


def delivery_time(seed: int, grantee_id: str, period: str, wave: int) -> int:
    """Seconds since the epoch: wave 1 arrives in the period's last two months, later waves after it ends."""
    year = int(period[2:])
    rng = grantee_rng(seed, grantee_id, period, f"wave{wave}")
    if wave == 1:
        start, spread = datetime(year, 8, 1, tzinfo=UTC), timedelta(days=55)
    else:
        start, spread = (
            datetime(year, 10, 1, tzinfo=UTC) + timedelta(days=30 * (wave - 2)),
            timedelta(days=20),
        )
    return int((start + timedelta(seconds=rng.randrange(int(spread.total_seconds())))).timestamp())


def roster_time(periods: list[str]) -> int:
    return int(datetime(int(periods[0][2:]) - 1, 9, 1, tzinfo=UTC).timestamp())


def package_path(out: Path, package: Package, kind: str) -> Path:
    folder = out / package.state / package.period
    return folder / f"{package.grantee_id}.xlsx" if kind == "xlsx" else folder / package.grantee_id


def write_delivery(out: Path, d: Delivery, package: Package, mtime: int) -> ManifestPackage:
    path = package_path(out, package, d.grantee.habits.kind)
    if d.grantee.habits.kind == "xlsx":
        write_xlsx(path, package, d.grantee.habits, mtime)
    else:
        write_csv_folder(path, package, d.grantee.habits, mtime)
    return manifest_entry(out, d, package, mtime)


def resend_unchanged(out: Path, d: Delivery, mtime: int) -> ManifestPackage:
    """The very same files sent again: bytes untouched (so identical to the earlier version), newer times."""
    path = package_path(out, d.written, d.grantee.habits.kind)
    for file in [*sorted(path.iterdir()), path] if path.is_dir() else [path]:
        touch(file, mtime)
    return manifest_entry(out, d, d.written, mtime)


def manifest_entry(out: Path, d: Delivery, package: Package, mtime: int) -> ManifestPackage:
    mistaken = package is d.written and d.mistake is not None
    outcomes = d.clean.tables.get("outcomes")
    return ManifestPackage(
        path=package_path(out, package, d.grantee.habits.kind).relative_to(out).as_posix(),
        state=package.state,
        period=package.period,
        grantee_id=package.grantee_id,
        kind=d.grantee.habits.kind,
        mistake=d.mistake.name if mistaken else None,
        expected_rule=d.mistake.rule_id if mistaken else None,
        peer_class=peer_class(d.clean),
        mtime=mtime,
        outcomes="absent" if outcomes is None else "rows" if outcomes.rows else "header_only",
    )


def _roster_rows(grantees: list[Grantee]) -> list[dict[str, str | None]]:
    return [
        {
            "grantee_id": g.grantee_id,
            "organization_name": g.organization_name,
            "first_period": g.first_period,
            "last_period": g.last_period,
        }
        for g in grantees
    ]


def touch_folders(out: Path, states: list[str], periods: list[str], mtime: int) -> None:
    # Folder times change whenever an entry is added; pin them so the whole tree is reproducible.
    for state in states:
        for period in periods:
            if (out / state / period).is_dir():
                touch(out / state / period, mtime)
        touch(out / state, mtime)
    touch(out, mtime)


def population(seed: int, periods: list[str], scale: float, states: list[str]) -> dict[str, list[Grantee]]:
    return {
        state: plan_state(seed, state, count, periods)
        for state, count in grantee_counts(states, scale).items()
    }


def generate_landing(
    out: Path,
    seed: int = 7,
    periods: list[str] | tuple[str, ...] = DEFAULT_PERIODS,
    scale: float = 1.0,
    error_rate: float = 0.03,
    states: list[str] | None = None,
) -> GenerationManifest:
    """Write a landing tree: a roster per state and one package per funded grantee and period.

    `out` must be missing or empty. Same arguments give a byte-identical tree with identical file times.
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; generate into a new or empty folder")
    periods, states = normalise_periods(periods), normalise_states(states)
    if scale <= 0 or not 0 <= error_rate <= 1:
        raise ValueError("scale must be > 0 and error_rate between 0 and 1")
    manifest = GenerationManifest(
        seed=seed, periods=periods, scale=scale, error_rate=error_rate, states=states
    )
    columns = [c.name for c in load_contract().roster_columns]
    stamp = roster_time(periods)
    for state, grantees in population(seed, periods, scale, states).items():
        roster = write_roster(
            out / state / load_contract().raw["roster"]["file"], columns, _roster_rows(grantees), stamp
        )
        manifest.rosters.append(roster.relative_to(out).as_posix())
        for d in deliveries(seed, grantees, periods, error_rate):
            mtime = delivery_time(seed, d.written.grantee_id, d.written.period, 1)
            manifest.packages.append(write_delivery(out, d, d.written, mtime))
        manifest.not_submitted += [
            (g.grantee_id, p)
            for g in grantees
            for p in sorted(g.skipped_periods)
            if g.first_period <= p and (g.last_period is None or p <= g.last_period)
        ]
    touch_folders(out, states, periods, stamp)
    return manifest
