"""Every state is present, grantee counts follow population, rosters agree with the packages."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.generate.population import NATIONAL_GRANTEES, default_states, grantee_counts, state_frames


def read_roster(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_default_states_are_the_50_states_dc_and_puerto_rico() -> None:
    # The contract's landing tree takes the 50 states, DC and PR; the generator covers all of them.
    states = default_states()
    assert len(states) == 52
    assert "DC" in states and "PR" in states


def test_counts_follow_population_and_add_up_to_about_4000() -> None:
    counts = grantee_counts(default_states(), 1.0)
    assert abs(sum(counts.values()) - NATIONAL_GRANTEES) < 0.02 * NATIONAL_GRANTEES
    frames = state_frames()
    for big, small in [("CA", "WY"), ("TX", "VT"), ("NY", "DE")]:
        ratio = counts[big] / counts[small]
        population_ratio = frames[big].population / frames[small].population
        assert 0.8 * population_ratio < ratio < 1.25 * population_ratio
    assert counts["CA"] > counts["TX"] > counts["NY"] > counts["VT"]


def test_every_state_has_at_least_one_grantee_at_any_scale() -> None:
    assert min(grantee_counts(default_states(), 0.001).values()) == 1


def test_every_state_has_a_roster_and_packages(national) -> None:
    out, manifest = national
    assert sorted(p.name for p in out.iterdir()) == sorted(default_states())
    assert {p.state for p in manifest.packages} == set(default_states())
    assert all((out / s / "roster.csv").is_file() for s in default_states())


def test_roster_columns_come_from_the_contract(national) -> None:
    out, _ = national
    with (out / "NY" / "roster.csv").open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == [c.name for c in load_contract().roster_columns]


def test_roster_agrees_with_the_packages(national, few_states) -> None:
    for out, manifest in (national, few_states):
        sent = {(p.grantee_id, p.period) for p in manifest.packages}
        missing = set(manifest.not_submitted)
        for state in manifest.states:
            roster = read_roster(out / state / "roster.csv")
            ids = [r["grantee_id"] for r in roster]
            assert len(ids) == len(set(ids))
            for row in roster:
                funded = [
                    p
                    for p in manifest.periods
                    if row["first_period"] <= p and (not row["last_period"] or p <= row["last_period"])
                ]
                for period in funded:
                    assert ((row["grantee_id"], period) in sent) != ((row["grantee_id"], period) in missing)
                for period in set(manifest.periods) - set(funded):
                    assert (row["grantee_id"], period) not in sent
        on_roster = {r["grantee_id"] for s in manifest.states for r in read_roster(out / s / "roster.csv")}
        assert {g for g, _ in sent} <= on_roster


def test_some_grantees_start_late_stop_early_or_are_former(few_states) -> None:
    out, manifest = few_states
    rows = [r for s in manifest.states for r in read_roster(out / s / "roster.csv")]
    first, last = manifest.periods[0], manifest.periods[-1]
    assert any(r["first_period"] > first for r in rows), "late starters"
    assert any(r["last_period"] and first <= r["last_period"] < last for r in rows), "stopped"
    assert any(r["last_period"] and r["last_period"] < first for r in rows), "former grantees"
    assert any(r["first_period"] < first and not r["last_period"] for r in rows), "long-standing grantees"


def test_grantee_ids_match_the_contract_and_some_are_named(national) -> None:
    _, manifest = national
    pattern = load_contract().pattern("grantee_id")
    ids = {p.grantee_id for p in manifest.packages}
    assert all(pattern.fullmatch(i) and i.startswith(f"{i[:2]}-") for i in ids)
    assert all(p.grantee_id[:2] == p.state for p in manifest.packages)
    kinds = Counter("numbered" if i[3:].isdigit() else "named" for i in ids)
    assert kinds["named"] > 0 and kinds["numbered"] > kinds["named"]
