"""Injected mistakes: one per package, at about the requested rate, each drawing the rule it names."""

from __future__ import annotations

import math
from collections import Counter

from pipelines.contract import load_contract
from pipelines.generate import MISTAKES
from pipelines.generate import mistakes as M
from pipelines.generate.landing import deliveries, plan_state
from pipelines.generate.population import grantee_counts
from tests.generate.light_check import check as light_check


def test_mistake_rule_ids_and_misspellings_are_real() -> None:
    contract = load_contract()
    assert {m.rule_id for m in MISTAKES} <= set(contract.rules)
    assert M.UNKNOWN_PROGRAM_TYPE not in contract.code_values("program_type")
    assert M.UNKNOWN_FUNDING_SOURCE not in contract.code_values("funding_source")
    assert all(M.UNKNOWN_COLUMN not in t.column_names for t in contract.tables.values())
    assert len({m.name for m in MISTAKES}) == len(MISTAKES)


def test_every_kind_of_mistake_appears_and_is_recorded(few_states) -> None:
    _, manifest = few_states
    seen = Counter(p.mistake for p in manifest.mistaken)
    assert set(seen) == {m.name for m in MISTAKES}
    assert all(p.expected_rule == M.BY_NAME[p.mistake].rule_id for p in manifest.mistaken)
    assert all(p.expected_rule is None for p in manifest.packages if p.mistake is None)


def test_each_mistaken_package_shows_exactly_its_mistake(few_states) -> None:
    out, manifest = few_states
    for p in manifest.mistaken:
        found = light_check(out / p.path, p.state, p.period, p.grantee_id)
        expected = {p.expected_rule} | ({"W06"} if p.outcomes == "absent" else set())
        assert found == expected, (p.path, p.mistake, found)


def test_mistakes_come_at_about_the_requested_rate() -> None:
    periods, rate = ["FY2025", "FY2026"], 0.03
    total = mistaken = 0
    for state, count in grantee_counts(["CA", "TX", "OH"], 0.5).items():
        for d in deliveries(5, plan_state(5, state, count, periods), periods, rate):
            total += 1
            mistaken += d.mistake is not None
    assert total > 400
    spread = 4 * math.sqrt(rate * (1 - rate) / total)
    assert abs(mistaken / total - rate) < spread


def test_error_rate_zero_and_one(tmp_path) -> None:
    from pipelines.generate import generate_landing

    none = generate_landing(tmp_path / "none", scale=0.02, error_rate=0.0, states=["VT", "CT"])
    every = generate_landing(tmp_path / "all", scale=0.02, error_rate=1.0, states=["VT", "CT"])
    assert not none.mistaken
    assert len(every.mistaken) == len(every.packages)


def test_fips_that_lost_its_zero_is_a_number_in_a_workbook_and_four_digits_in_csv(few_states) -> None:
    out, manifest = few_states
    from tests.generate.light_check import read_tables

    for p in (p for p in manifest.mistaken if p.mistake == "fips_lost_leading_zero"):
        tables = read_tables(out / p.path)
        fips = [r["county_fips"] for t in ("organization", "programs") for r in tables[t][1:]]
        assert any(len(f) == 4 and f.isdigit() for f in fips)
