"""The publishing rule itself: primary and complementary suppression, and derived figures."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from pipelines.contract import load_contract
from pipelines.reports.cells import count_cells, publishable_counts
from pipelines.reports.data import read_landscape
from pipelines.reports.suppression import (
    COMPLEMENTARY_MARK,
    Constraint,
    Published,
    SmallCellRule,
    derived_hidden,
    suppress,
)

RULE = SmallCellRule.from_contract()


def test_rule_comes_from_the_contract():
    spec = load_contract().small_cells
    assert RULE.threshold == spec["threshold"] == 11
    assert RULE.shown_as == spec["shown_as"] == "<11"
    assert set(RULE.people_counts) == {"participants_served", "new_participants", "respondents", "improved"}


def test_counts_from_one_to_ten_are_shown_as_under_eleven_and_others_as_they_are():
    values = {"zero": 0, "one": 1, "ten": 10, "eleven": 11, "big": 500}
    out = suppress(values, [], RULE)
    assert [out[k].shown() for k in values] == [0, "<11", "<11", 11, 500]


def test_one_hidden_part_of_a_published_total_hides_the_next_smallest_part():
    values = {"total": 300, "a": 5, "b": 40, "c": 255, "d": 0}
    out = suppress(values, [Constraint("total", ("a", "b", "c", "d"))], RULE)
    assert out["a"].shown() == "<11"
    assert out["b"].shown() == COMPLEMENTARY_MARK  # the smallest non-zero visible part, not the zero
    assert out["c"].shown() == 255 and out["d"].shown() == 0 and out["total"].shown() == 300


def test_a_total_with_a_single_part_is_hidden_with_it():
    values = {"total": 7, "only": 7}
    out = suppress(values, [Constraint("total", ("only",))], RULE)
    assert out["total"].hidden and out["only"].hidden


def test_two_hidden_cells_that_bounds_would_pin_get_a_third():
    # 10 + 10 = 20: a reader who knows both are at most 10 knows both are 10.
    values = {"total": 120, "a": 10, "b": 10, "c": 100}
    out = suppress(values, [Constraint("total", ("a", "b", "c"))], RULE)
    assert out["c"].hidden


def test_complementary_suppression_follows_chains_of_totals():
    # region = s1 + s2; nation = region + s3. Hiding s1 hides s2; then nation/region are still fine.
    values = {"nation": 600, "region": 250, "s1": 4, "s2": 246, "s3": 350}
    out = suppress(values, [Constraint("region", ("s1", "s2")), Constraint("nation", ("region", "s3"))], RULE)
    assert out["s1"].hidden and out["s2"].hidden
    assert not out["region"].hidden and not out["nation"].hidden


def test_unknown_cells_in_a_constraint_are_an_error():
    with pytest.raises(KeyError):
        suppress({"total": 5}, [Constraint("total", ("missing",))], RULE)


def test_derived_figures_of_a_hidden_count_are_hidden():
    assert derived_hidden(Published(None, "<11"), Published(40))
    assert derived_hidden(Published(40), Published(None, COMPLEMENTARY_MARK))
    assert not derived_hidden(Published(40), Published(12))


def _linear_audit(values, constraints, published):
    """Every hidden cell's possible range given ALL published sums at once (a linear program per cell)."""
    hidden = [k for k, c in published.cells.items() if c.hidden]
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for c in constraints:
        terms = [(c.total, -1.0)] + [(p, 1.0) for p in c.parts]
        if not any(k in index for k, _ in terms):
            continue
        row = np.zeros(len(hidden))
        constant = 0.0
        for k, a in terms:
            if k in index:
                row[index[k]] += a
            else:
                constant -= a * values[k]
        rows.append(row)
        rhs.append(constant)
    bounds = [(1, RULE.threshold - 1) if published[k].mark == RULE.shown_as else (0, None) for k in hidden]
    pinned = []
    for k, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds)
        high = linprog(-objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds)
        assert low.status == 0, low.message
        if high.status == 0 and abs(-high.fun - low.fun) < 1e-6:
            pinned.append(k)
    return pinned


def test_fixture_has_small_cells_and_no_hidden_cell_is_determined_by_all_sums_together(fixture_warehouse):
    land = read_landscape(fixture_warehouse.path)
    values, constraints = count_cells(land)
    published = publishable_counts(land, RULE)
    assert published.primary, "the fixture must exercise primary suppression"
    assert published.complementary, "the fixture must exercise complementary suppression"
    assert _linear_audit(values, constraints, published) == []


def test_complementary_choice_avoids_cells_that_would_drag_their_totals_along():
    # b is smaller than c, but b is its region's only part: hiding it would hide the region too.
    values = {"nation": 95, "a": 5, "b": 20, "c": 30, "d": 40, "r1": 20, "r2": 70}
    constraints = [
        Constraint("nation", ("a", "b", "c", "d")),
        Constraint("r1", ("b",)),
        Constraint("r2", ("c", "d")),
    ]
    out = suppress(values, constraints, RULE)
    assert out["a"].hidden and not out["b"].hidden and not out["r1"].hidden
    assert out["c"].hidden and out["d"].hidden  # c's region then needs a second hidden cell
